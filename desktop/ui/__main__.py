"""``python -m desktop.ui``: the window (what ``cchc-desktop`` and the bundled app run)."""

import sys

from desktop.ui.app import main

sys.exit(main())
