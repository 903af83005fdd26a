"""Accounts area."""
