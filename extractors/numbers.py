"""Document numbers ("số ký hiệu"): the canonical spelling and the identity key.

Two pure functions, shared by the extractor (which canonicalizes every mention) and the
store (which groups mentions into documents):

- ``canonical_number`` is how a number is *shown*: the spelling the contract fixes.
- ``document_key`` is how a number is *compared*: spellings that name the same document
  (a lost dash, a lost Đ, an extra leading zero) share a key. The issue year is not part of
  the key; the store pairs the key with the year (the same number is reused every year).
"""
from __future__ import annotations

import re
import unicodedata

# "_" and every dash-like character people (and word processors) type inside a number.
_DASHES = "_\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"
_DASH_TABLE = str.maketrans({c: "-" for c in _DASHES} | {"\uff0f": "/", "\u2044": "/"})
# Invisible characters that str.isspace() does not cover but copy-paste leaves behind.
_INVISIBLE = re.compile("[\\s\u200b\u200c\u200d\u2060\ufeff]+")
# Type codes whose Đ is often typed as D. Only these are restored: "HD" is also a real code
# (Hướng dẫn), so a blanket D→Đ would be wrong.
_RESTORE_D = {"QD": "QĐ", "ND": "NĐ"}
# The symbol's first letter group: after "1820/" or "30/2020/" (slash shapes), or after
# "57-" in the Party shape "57-NQ/TW". Only that position holds a type code.
_TYPE_POSITION = re.compile(r"^(\d+[A-Z]?(?:/\d{4})?/|\d+-)([A-ZĐ]+)(?=$|[-/])")
_LEADING_ZEROS = re.compile(r"^0+(?=\d)")


def canonical_number(raw: str) -> str:
    """The contract's canonical form of a document number.

    >>> canonical_number("844/SKHCN_VP"), canonical_number("1820/QD-UBND")
    ('844/SKHCN-VP', '1820/QĐ-UBND')
    >>> canonical_number("97 /KH- SKHCN"), canonical_number("19/2014/QĐ-TTg")
    ('97/KH-SKHCN', '19/2014/QĐ-TTG')
    """
    text = unicodedata.normalize("NFC", raw)
    text = _INVISIBLE.sub("", text).translate(_DASH_TABLE).upper()

    def restore(match: re.Match[str]) -> str:
        code = match.group(2)
        return match.group(1) + _RESTORE_D.get(code, code)

    return _TYPE_POSITION.sub(restore, text, count=1)


def document_key(number: str) -> str:
    """The identity of a number: canonical, without dashes, Đ as D, no leading zeros.

    >>> document_key("01961/QD-UBND") == document_key("1961/QĐUBND") == "1961/QDUBND"
    True
    """
    key = canonical_number(number).replace("-", "").replace("Đ", "D")
    return _LEADING_ZEROS.sub("", key)
