"""Network models (see the networks issue)."""
