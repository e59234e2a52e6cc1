"""What every ``cchc`` command shares: exit codes, printing a result, the catalog and the store."""

from __future__ import annotations

import json

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def say(args, data, text: str) -> None:
    """The result: ``data`` as JSON with ``--json``, else ``text``."""
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        print(text)


def catalog_for(args, folder=None):
    from desktop.foundation.paths import forms_dir, received_forms_dir
    from desktop.registry import load_catalog

    return load_catalog(folder or args.forms or forms_dir(), received=None if folder else received_forms_dir())


def store_for(args):
    from desktop.foundation.paths import default_db_path
    from desktop.store.db import Store

    return Store.open(args.db or default_db_path())
