"""A document number as a user types or pastes it into `notices audit` (or the audit page):
"1820/QD-UBND", "1820 QD UBND", full-width "１８２０/QĐ-UBND", or the whole citation phrase
"Quyết định số 1820/QĐ-UBND ngày 24/7/2024 của Chủ tịch UBND tỉnh".

Pasted phrases are read by the extractor's own reference finder, so audit understands every
spelling the extractor does; what it cannot read there is taken token by token.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from extractors import extract
from extractors.numbers import canonical_number


class NotANumber(ValueError):
    """What was typed holds no document number; the message is one line for the user."""


@dataclass(frozen=True)
class TypedNumber:
    number: str  # canonical
    year: int | None  # the issue year the phrase wrote with it ("ngày 24/7/2024"), if any
    alternatives: tuple[str, ...] = ()  # other readings of a space-separated number, tried in order


_TOKENS = re.compile(r"[^\W_]+", re.UNICODE)
_YEAR = re.compile(r"(?:19|20)\d\d")


def read_typed(typed: str) -> TypedNumber:
    """The number in ``typed``; raises ``NotANumber`` when there is none."""
    # NFKC folds full-width digits and slashes ("１８２０／ＱĐ") to ASCII.
    text = unicodedata.normalize("NFKC", typed).strip()
    if not text:
        raise NotANumber("no document number given")
    found = extract(text)
    # A pasted header ("Số: 912/SKHCN-QLKH") is the text's own number, not a reference.
    first = found.references[0] if found.references else getattr(found, "document", None)
    if first is not None:
        return TypedNumber(first.number, int(first.issued[:4]) if first.issued else None)
    return _from_tokens(text, typed)


def _from_tokens(text: str, typed: str) -> TypedNumber:
    """"1820 QD UBND" → 1820/QĐ-UBND; "30 2020 ND CP" → 30/2020/NĐ-CP; "57 NQ TW" → 57/NQ-TW or 57-NQ/TW."""
    tokens = _TOKENS.findall(text)
    if len(tokens) == 1 and tokens[0].isdigit():
        return TypedNumber(tokens[0], None)  # digits alone: audit names the known numbers that have them
    if len(tokens) < 2 or not tokens[0].isdigit() or not all(t.isalnum() for t in tokens):
        raise NotANumber(f"“{typed.strip()}” is not a document number (e.g. 97/KH-SKHCN, 30/2020/NĐ-CP, 57-NQ/TW)")
    head, rest = tokens[0], tokens[1:]
    if len(rest) > 1 and _YEAR.fullmatch(rest[0]):
        head, rest = f"{head}/{rest[0]}", rest[1:]
    plain = canonical_number(f"{head}/{'-'.join(rest)}")
    alternatives = ()
    if len(rest) == 2 and "/" not in head:
        alternatives = (canonical_number(f"{head}-{rest[0]}/{rest[1]}"),)  # a Party number
    return TypedNumber(plain, None, alternatives)
