"""Questionnaires area."""
