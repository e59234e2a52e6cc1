"""What the store hands back: typed, immutable records, one per table row.

Read a field as ``report.status``, never ``report["status"]``: a misspelt field is an
error where it is written, and the fields a record has are listed here. A record is
a snapshot: after a write, read it again from the store.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from desktop.foundation.periods import Period


class _Record:
    @classmethod
    def of(cls, row: dict):
        """A record from a row of its table (columns a later schema version adds are left out)."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in row.items() if k in names})


@dataclass(frozen=True, slots=True)
class Unit(_Record):
    code: str
    name: str
    level: str  # tinh | huyen | xa
    parent_code: str | None = None
    position: int | None = 0


@dataclass(frozen=True, slots=True)
class _UnitPeriodSet(_Record):
    """A row about one unit's report for one period on one form set: a report, or a package received."""

    unit_code: str
    period_type: str
    period_number: int | None
    year: int
    year_from: int | None
    form_set_id: str
    form_set_version: int

    @property
    def period(self) -> Period:
        return Period(self.period_type, self.year, self.period_number, self.year_from)


@dataclass(frozen=True, slots=True)
class Report(_UnitPeriodSet):
    id: int
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


@dataclass(frozen=True, slots=True)
class Attachment(_Record):
    id: int
    report_id: int
    form_code: str
    row_id: str
    sha256: str
    filename: str
    added_at: str | None = None


@dataclass(frozen=True, slots=True)
class Signature(_Record):
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


@dataclass(frozen=True, slots=True)
class Submission(_UnitPeriodSet):
    """A child unit's signed package, kept as received (``document`` is its data.json)."""

    id: int
    report_version: int
    signed_at: str
    signer: str
    ca_verified: int
    package_sha256: str
    received_at: str
    document: str
    superseded_by: int | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry(_Record):
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


__all__ = ["Attachment", "AuditEntry", "Report", "Signature", "Submission", "Unit"]
