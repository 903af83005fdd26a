"""Networks area."""
