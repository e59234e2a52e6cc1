"""CCHC Desktop: offline entry, validation and submission of CCHC report annexes.

This module must stay importable with the standard library alone: the
bootstrap script and build.spec read ``__version__`` before any dependency
is installed.
"""

__version__ = "0.1.0"
