"""Uploaded files, for every area that keeps them: content checks (filetypes.py), the one
storage (storage.py) and the columns of a kept file (models.StoredFile)."""
