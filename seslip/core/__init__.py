"""Core area."""
