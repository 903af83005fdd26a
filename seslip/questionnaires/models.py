"""Questionnaire response models (see the form engine issue)."""
