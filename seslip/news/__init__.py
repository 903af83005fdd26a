"""News from the programme manager and admins, with every earlier version kept."""
