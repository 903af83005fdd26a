"""Organisations area."""
