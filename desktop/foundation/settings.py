"""The settings of one database, as JSON of plain types in its ``settings`` table.

Each top-level key is stored as its own JSON value, so the exports can read one
(``document``) without knowing the others.  ``load_settings`` fills what is
missing from ``DEFAULTS``; ``save_settings`` checks everything first and writes
all keys in one transaction, or nothing (message codes SET…).
"""

from __future__ import annotations

import copy

from desktop.foundation.messages import CchcError
from desktop.foundation.periods import DEFAULT_RULES, WARN_DAYS

SIGNER_MODES = ("TM", "KT", "Q", "TL", "TUQ")  # desktop/exchange/document.py prints them

DEFAULTS: dict = {
    # the clerk's own unit: new reports start with it
    "unit": "",
    # the document head and foot of the printed report (docs/export.md)
    "document": {"parent_body": "", "recipients": [], "number_symbol": "BC-UBND", "place": "",
                 # print and PDF export add a page of the key figures' trend charts (never the signed package)
                 "charts": False},
    # who signs: a new report starts with these
    "signer": {"name": "", "title": "", "mode": "TM"},
    # data cut-off, deadline and warning days (domain.md: national defaults)
    "period_rules": {**DEFAULT_RULES, "warn_days": WARN_DAYS},
    # where exports and evidence files are looked for first ("" = the user's documents)
    "folders": {"export": "", "evidence": ""},
    # digital signatures: the .p12 file or the USB token's PKCS#11 library (never a passphrase or PIN),
    # and the root certificates a district trusts when it verifies packages (files or folders)
    "signing": {"p12_file": "", "pkcs11_library": "", "token_label": "", "key_label": "", "trusted_roots": [],
                # with trusted roots configured, packages no CA vouches for are refused unless this says otherwise
                "accept_untrusted": False,
                # the images a signed PDF shows (Nghị định 30/2020): base64 PNG, and the seal's real
                # diameter in mm (desktop/exchange/signature_look.py); none: the text stamp
                "signature_image": "", "seal_image": "", "seal_mm": 36,
                # a receiving unit may require packages to carry the organisation's signature (its
                # seal) after the person's, as provinces' rules following Nghị định 30/2020 do
                "require_seal": False},
}


def load_settings(store) -> dict:
    settings = copy.deepcopy(DEFAULTS)
    for key, default in DEFAULTS.items():
        stored = store.settings.get(key)
        if isinstance(default, dict) and isinstance(stored, dict):
            settings[key].update({k: v for k, v in stored.items() if k in default})
        elif stored is not None and not isinstance(default, dict):
            settings[key] = stored
    return settings


def check_settings(settings: dict) -> dict:
    """The settings with their types checked and text trimmed; CchcError naming the field otherwise."""
    out = copy.deepcopy(DEFAULTS)
    for key, default in DEFAULTS.items():
        given = settings.get(key, default)
        if isinstance(default, dict):
            if not isinstance(given, dict):
                raise CchcError("SET001", field=key)
            for name, value in default.items():
                out[key][name] = _checked(f"{key}.{name}", given.get(name, value), value)
        else:
            out[key] = _checked(key, given, default)
    rules = out["period_rules"]
    for name in ("cutoff_day", "start_day", "deadline_day"):
        if not 1 <= rules[name] <= 28:
            raise CchcError("SET002", field=f"period_rules.{name}", low=1, high=28)
    if not 0 <= rules["warn_days"] <= 60:
        raise CchcError("SET002", field="period_rules.warn_days", low=0, high=60)
    if out["signer"]["mode"] not in SIGNER_MODES:
        raise CchcError("SET003", value=out["signer"]["mode"], allowed=", ".join(SIGNER_MODES))
    return out


def _checked(name: str, value, default):
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise CchcError("SET001", field=name)
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise CchcError("SET001", field=name)
        return value
    if isinstance(default, list):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise CchcError("SET001", field=name)
        return [v.strip() for v in value if v.strip()]
    if not isinstance(value, str):
        raise CchcError("SET001", field=name)
    return value.strip()


def save_settings(store, settings: dict) -> dict:
    checked = check_settings(settings)
    with store.transaction():
        for key, value in checked.items():
            store.settings.set(key, value)
    return checked
