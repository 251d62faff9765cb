"""Full-text queries that find Vietnamese text typed with or without its diacritics.

The FTS5 tokenizer (``unicode61 remove_diacritics 2``) already strips tone and vowel marks on
both sides, so "cai cach hanh chinh" matches *cải cách hành chính*. It cannot fold "đ": that is
a letter of its own, not d plus a mark. Rather than index an accent-free copy of every text
(a second copy of each body in the database), the query does the folding: every d or đ a
user types may stand for either, so "doi moi" asks for ("doi" OR "đoi") AND "moi".

``fts_query`` keeps the syntax of Datasette's ``escape_fts`` (each word or "quoted phrase" must
occur; FTS operators typed by the user are plain words), and the Datasette plugin installs it
under that name, so ``/notices/notices?_search=doi+moi`` finds *Đổi mới*.
"""
from __future__ import annotations

import itertools
import re
import unicodedata

# How Datasette's escape_fts splits a query: on white space, keeping "quoted phrases" whole.
_BITS = re.compile(r'\s+|(".*?")')
_D = re.compile("[dđ]")
# A phrase with more d's than this asks only for the spelling typed and its all-đ twin:
# 2**6 variants is already a long query, and such phrases are rare.
MAX_AMBIGUOUS = 6


def _variants(phrase: str) -> list[str]:
    """Every spelling of ``phrase`` with each d/đ as d or as đ, the typed one first."""
    slots = [m.start() for m in _D.finditer(phrase)]
    if not slots:
        return [phrase]
    if len(slots) > MAX_AMBIGUOUS:
        swapped = "".join("đ" if c == "d" else "d" if c == "đ" else c for c in phrase)
        return [phrase, swapped]
    spellings = [phrase]
    for letters in itertools.product("dđ", repeat=len(slots)):
        chars = list(phrase)
        for at, letter in zip(slots, letters):
            chars[at] = letter
        spelling = "".join(chars)
        if spelling != phrase:
            spellings.append(spelling)
    return spellings


def fts_query(query: str) -> str:
    """An FTS5 MATCH expression for a query typed in a search box: every word or quoted
    phrase must occur, and d/đ match each other. An empty query gives an empty string."""
    query = unicodedata.normalize("NFC", query).lower()
    if query.count('"') % 2:
        query += '"'
    terms = []
    for bit in _BITS.split(query):
        if not bit or bit == '""':
            continue
        phrase = bit.strip('"')
        if not phrase.strip():
            continue
        spellings = [f'"{s}"' for s in _variants(phrase)]
        terms.append(spellings[0] if len(spellings) == 1 else f"({' OR '.join(spellings)})")
    return " AND ".join(terms)
