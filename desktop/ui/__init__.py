"""The window: the only part of CCHC Desktop that imports PySide6 (import-linter enforces it)."""
