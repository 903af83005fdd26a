"""Events and the development programme."""
