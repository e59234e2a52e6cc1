"""Foundations: Vietnamese numbers, periods, the message catalogue, paths, settings, files.

Imported by every layer above; imports nothing of the app."""
