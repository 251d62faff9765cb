"""Small pure helpers that turn extracted records into database values: accent-free
text, the sentence around a mention, the day bounds of a date value, the year of a number.

Kept apart from the store so they can be tested (and reused by audit) without a database.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from datetime import date

from extractors.numbers import parse_symbol

# ---------------------------------------------------------------- search text


# Every combining mark of the Basic Multilingual Plane, deleted by str.translate: a C-speed
# pass, where a per-character Python filter cost more than the rest of a notice's load.
_DROP_MARKS = {c: None for c in range(0x10000) if unicodedata.combining(chr(c))}
_FOLD = str.maketrans({**_DROP_MARKS, ord("đ"): "d", ord("Đ"): "D"})


def fold_accents(text: str) -> str:
    """Lower-case, accent-free copy ("Đổi mới" -> "doi moi"), for comparing names typed
    without diacritics; Datasette has it as the SQL function ``fold_accents()``. (Full-text
    search needs no copy: see pipeline/search.py.)"""
    return unicodedata.normalize("NFD", text).translate(_FOLD).lower()


# ------------------------------------------------------------------ sentences

# A sentence ends at a line break, or at . ! ? … (optionally closed by a quote or bracket)
# followed by white space. Dots inside numbers and dates ("3.513.363", "13/8/2024") are not
# followed by a space, so they never end a sentence.
_BOUNDARY = re.compile(r"\n+|[.!?…]+[\"”’)\]]*\s+")
# "1. ", "a) ", "III.2. " at the start of a line label a list item: not a sentence end.
_ITEM_LABEL = re.compile(r"\s*(?:[0-9]{1,3}|[IVXLC]{1,6}|[a-zđ])(?:\.[0-9]{1,3})*[.)]?")
# Abbreviations that end with a dot inside a sentence ("TP. Đông Hà", "ThS. Nguyễn").
_ABBREVIATIONS = {"tp", "ths", "ts", "pgs", "gs", "bs", "ks", "cn", "v.v", "tx", "tt"}


def sentence_bounds(text: str) -> list[int]:
    """Offsets where sentences start (always includes 0); feed to :func:`sentence_at`."""
    starts = [0]
    for match in _BOUNDARY.finditer(text):
        if match.group().startswith("\n"):
            starts.append(match.end())
            continue
        line_start = text.rfind("\n", 0, match.start()) + 1
        if _ITEM_LABEL.fullmatch(text[line_start:match.start() + 1]):
            continue
        # Look back a few characters only: rsplit on the whole prefix would be quadratic.
        word = text[max(0, match.start() - 8):match.start()].rsplit(None, 1)[-1:] or [""]
        if word[0].lower() in _ABBREVIATIONS:
            continue
        starts.append(match.end())
    return starts


def sentence_at(text: str, starts: list[int], start: int, end: int) -> str | None:
    """The sentence containing the span [start, end), stripped; None for a bad span.

    A mention that straddles a boundary (rare: a line break inside a number) takes every
    sentence it touches.
    """
    if not 0 <= start <= end <= len(text):
        return None
    first = bisect.bisect_right(starts, start) - 1
    last = bisect.bisect_right(starts, max(start, end - 1))
    stop = starts[last] if last < len(starts) else len(text)
    return text[starts[first]:stop].strip() or None


# ---------------------------------------------------------------------- dates

def iso_date(value: date | str | None) -> str | None:
    """A date (or an ISO string) as ``YYYY-MM-DD``; None stays None."""
    if value is None or value == "":
        return None
    return value.isoformat() if isinstance(value, date) else str(value)[:10]


# -------------------------------------------------------------------- numbers

_YEAR = re.compile(r"(\d{4})")

# number/year/... (30/2020/NĐ-CP, 29/2013/QH13): the year is part of the number.


def mention_year(number: str, issued: str | None) -> int | None:
    """The issue year a mention itself carries: from the number, else from its date.

    Deliberately not the notice's year: a mention without its own year is resolved by the
    store against the documents it knows (see ``pipeline.documents``).
    """
    if (year := parse_symbol(number).year) is not None:
        return year
    if issued and (m := _YEAR.match(issued)):
        return int(m.group(1))
    return None


# Type codes that open a symbol ("KH" in 97/KH-SKHCN). Used only to split the symbol for
# display (type_code, issuer_code); identity never depends on it.
def split_symbol(number: str) -> tuple[str | None, str | None]:
    """(type_code, issuer_code) of a canonical number, as the extractor reads its symbol.

    97/KH-SKHCN -> (KH, SKHCN); 844/SKHCN-VP -> (None, SKHCN) (a letter: issuer then unit);
    30/2020/NĐ-CP -> (NĐ, CP); 57-NQ/TW -> (NQ, TW); 29/2013/QH13 -> (None, QH13).
    """
    symbol = parse_symbol(number)
    return symbol.type_code, symbol.issuer


def every_month(counts: dict[str, int]) -> list[tuple[str, int]]:
    """``counts`` by month (YYYY-MM) as every month from the first to the last, a month
    without a count as 0: a chart's time axis shows the gaps instead of closing them."""
    if not counts:
        return []
    first, last = min(counts), max(counts)
    year, month, months = int(first[:4]), int(first[5:7]), []
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        months.append((key, counts.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
