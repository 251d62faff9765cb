"""The records the extractor produces: one dataclass per kind of thing found in a notice.

Every record keeps its offsets into the normalized text (end exclusive), so a result can be
shown in place (displaCy, the audit trail) and checked by eye. ``Extraction.to_dict`` is the
JSON of the contract (brief/CONTRACT.md); nothing else decides that shape.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ROLES = ("issued", "deadline", "event", "period", "other")


@dataclass
class Reference:
    """One mention of a document number ("Kế hoạch số 97/KH-SKHCN ngày 28/12/2023")."""

    number: str  # canonical form (extractors.references.canonical_number)
    doc_type: str | None
    issued: str | None  # ISO date written with the mention
    issuer: str | None  # the issuing body written after the number ("Chủ tịch UBND tỉnh")
    text: str  # the whole mention: type words, number, date, issuer
    start: int
    end: int
    number_start: int = -1  # where the number itself is, inside [start, end)
    number_end: int = -1
    year: int | None = None  # issue year as resolved (from the number, the date, or the notice)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "doc_type": self.doc_type,
            "issued": self.issued,
            "issuer": self.issuer,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }


@dataclass
class DateMention:
    """A date expression of day or month granularity, or an explicit range."""

    text: str
    value: str  # 2024-08-26 | 2024-09 | 2024-01/2024-07
    role: str  # one of ROLES
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "value": self.value, "role": self.role,
                "start": self.start, "end": self.end}


@dataclass
class Unit:
    """One distinct organization or organizational unit, under its canonical name."""

    name: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    kind: str | None = None  # head noun class: "phòng", "sở", "ubnd", ... (not in the contract JSON)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "mentions": [list(m) for m in self.mentions]}


@dataclass(frozen=True)
class UnitMention:
    """One place a unit is named; ``name`` is the canonical name of the unit."""

    start: int
    end: int
    name: str
    kind: str | None = None


@dataclass
class Task:
    """One directive item of a numbered or lettered list."""

    ordinal: str  # as written; nested labels are paths ("III.2")
    text: str
    lead_units: list[str]
    deadline: str | None  # same format as DateMention.value
    references: list[str]  # canonical numbers cited inside the item
    start: int
    end: int
    support_units: list[str] = field(default_factory=list)  # "phối hợp" units (not in the contract JSON)

    def to_dict(self) -> dict[str, Any]:
        return {"ordinal": self.ordinal, "text": self.text, "lead_units": list(self.lead_units),
                "deadline": self.deadline, "references": list(self.references),
                "start": self.start, "end": self.end}


@dataclass
class Extraction:
    """Everything found in one notice."""

    title: str | None
    published: str | None  # ISO date
    text: str
    document: Reference | None = None  # the document the text itself is (its header or title)
    references: list[Reference] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "published": self.published,
            "text": self.text,
            "document": self.document.to_dict() if self.document else None,
            "references": [r.to_dict() for r in self.references],
            "dates": [d.to_dict() for d in self.dates],
            "units": [u.to_dict() for u in self.units],
            "tasks": [t.to_dict() for t in self.tasks],
        }
