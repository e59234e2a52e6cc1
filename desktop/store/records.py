"""What the store hands back: typed, immutable records, one per table row.

Read a field as ``report.status``, never ``report["status"]``: a misspelt field is an
error where it is written, and the fields a record has are listed here. A record is
a snapshot: after a write, read it again from the store. (Named tuples rather than
dataclasses: six frozen dataclasses cost the window's and the CLI's start 5 ms here.)
"""

from __future__ import annotations

from typing import NamedTuple

from desktop.foundation.periods import Period


def _of(cls, row: dict):
    """A record from a row of its table (columns a later schema version adds are left out)."""
    return cls(**{k: v for k, v in row.items() if k in cls._fields})


def _period(self) -> Period:
    return Period(self.period_type, self.year, self.period_number, self.year_from)


class Unit(NamedTuple):
    code: str
    name: str
    level: str  # tinh | huyen | xa
    parent_code: str | None = None
    position: int | None = 0
    of = classmethod(_of)


class Report(NamedTuple):
    id: int
    unit_code: str
    period_type: str
    period_number: int | None
    year: int
    year_from: int | None
    form_set_id: str
    form_set_version: int
    status: str
    doc_number: str | None = None
    doc_date: str | None = None
    signer_name: str | None = None
    signer_title: str | None = None
    place: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    version: int = 1
    signer_mode: str | None = None
    subject: str | None = None
    revision: int = 0  # counted up by the store's triggers at every change of the report's data
    data_from: str | None = None  # the data period the report states (ISO dates), when not the rules'
    data_to: str | None = None
    recipients: str | None = None  # one per line; None: the settings' list
    totals: str = "nhu_ban_in"  # tinh: blank totals computed from their parts; nhu_ban_in: as printed
    of = classmethod(_of)

    @property
    def computes_totals(self) -> bool:
        return self.totals == "tinh"
    period = property(_period)


class Attachment(NamedTuple):
    id: int
    report_id: int
    form_code: str
    row_id: str
    sha256: str
    filename: str
    added_at: str | None = None
    of = classmethod(_of)


class Signature(NamedTuple):
    id: int
    report_id: int
    version: int
    signed_at: str
    signer: str
    cert_sha256: str
    ca_verified: int
    package_sha256: str
    filename: str
    voided_at: str | None = None
    void_reason: str | None = None
    role: str = "ca_nhan"  # ca_nhan (the person with authority) | co_quan (the organisation: its seal)
    of = classmethod(_of)


class Submission(NamedTuple):
    """A child unit's signed package, kept as received (``document`` is its data.json)."""

    id: int
    unit_code: str
    period_type: str
    period_number: int | None
    year: int
    year_from: int | None
    form_set_id: str
    form_set_version: int
    report_version: int
    signed_at: str
    signer: str
    ca_verified: int
    package_sha256: str
    received_at: str
    document: str
    superseded_by: int | None = None
    state: str = "accepted"  # accepted | held (its signer awaits the clerk's confirmation) | refused
    certificate_sha256: str | None = None
    held_reason: str | None = None
    of = classmethod(_of)
    period = property(_period)


class Certificate(NamedTuple):
    """A child unit's signing certificate in the receiving unit's register."""

    sha256: str
    unit_code: str
    subject: str
    issuer: str
    identifiers: str  # JSON list of the subject's identifier values (serial number, UID)
    valid_from: str
    valid_to: str
    der: bytes
    bound_by: str  # ca (a trusted CA names the unit) | enrolled (imported by the clerk) | confirmed (on receipt)
    added_at: str
    added_by: str
    withdrawn_at: str | None = None
    withdraw_reason: str | None = None
    of = classmethod(_of)


class AuditEntry(NamedTuple):
    id: int
    at: str
    user: str | None
    report_id: int | None
    action: str
    form_code: str | None = None
    row_id: str | None = None
    col_id: str | None = None
    old: str | None = None
    new: str | None = None
    of = classmethod(_of)


__all__ = ["Attachment", "AuditEntry", "Report", "Signature", "Submission", "Unit"]
