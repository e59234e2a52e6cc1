"""UI tests run offscreen: no screen is needed, in CI or here."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
