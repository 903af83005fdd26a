"""Cycles area: the yearly self-assessment round, one response per authority."""
