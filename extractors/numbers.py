"""Document numbers ("số ký hiệu"): the canonical form, document identity and what a symbol says.

Shapes (Decree 30/2020/NĐ-CP): 97/KH-SKHCN · 844/SKHCN-VP · 30/2020/NĐ-CP · 29/2013/QH13 · 57-NQ/TW.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .normalize import DASHES


@lru_cache(maxsize=1)
def document_data() -> dict:
    """The document-type table (extractors/data/documents.toml)."""
    with resources.files(__package__).joinpath("data/documents.toml").open("rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=1)
def _code_to_type() -> dict[str, str]:
    table: dict[str, str] = {}
    for name, codes in document_data()["types"].items():
        for code in codes:
            table.setdefault(code.upper(), name)
    return table


_SEPARATORS = str.maketrans({**{d: "-" for d in DASHES}, "_": "-", "\u00d0": "Đ", "\u00f0": "đ"})
_SEGMENT = re.compile(r"[A-ZĐƯ]+")


def canonical_number(raw: str) -> str:
    """The contract's canonical form: NFC, no spaces, upper case except the codes whose official
    form has lower case, one dash, Đ restored, a year joined by a dash put in its place.

    >>> canonical_number("844/SKHCN_VP"), canonical_number("1820/QD-UBND"), canonical_number("97 /kh- skhcn")
    ('844/SKHCN-VP', '1820/QĐ-UBND', '97/KH-SKHCN')
    >>> canonical_number("19/2014/QĐ-TTG"), canonical_number("84 QĐ/TWĐTN"), canonical_number("19-2018/NQ-CP")
    ('19/2014/QĐ-TTg', '84-QĐ/TWĐTN', '19/2018/NQ-CP')
    """
    s = unicodedata.normalize("NFC", raw).translate(_SEPARATORS)
    s = _INVISIBLE.sub("", s).upper()
    s = re.sub(r"-{2,}", "-", s)
    s = re.sub(r"Đ{2,}", "Đ", s)  # OCR doubles the letter it is unsure of ("QĐÐ")
    s = _YEAR_AFTER_DASH.sub(r"\1/\2/", s)
    s = _PARTY_WITHOUT_DASH.sub(_restore_party_dash, s)
    s = _TYPE_POSITION.sub(lambda m: m[1] + _restore_code(m[2]), s)
    s = _PARTY_ISSUER.sub(lambda m: m[1] + document_data()["ocr"]["party_issuers"].get(m[2], m[2]), s)
    s = _SEGMENT.sub(lambda m: "HĐND" if m[0] == "HDND" else m[0], s)  # an issuer, wherever it stands
    return _official_case(_LOST_DASH.sub(_restore_dash, s))


# Spaces (NBSP too), zero-width characters and OCR's stray apostrophes ("T'W") are not part of a number.
_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff\u00ad'’`]+")
# Where a type code stands: right after the number or the year ("1820/QD-", "30/2020/ND-"), or
# after the dash of a Party number ("123-QD/TU"). "123/SNV-ND" keeps its unit code ND.
_TYPE_POSITION = re.compile(r"^(\d+[A-Z]?(?:/(?:19|20)\d\d)?/|\d+-)([A-ZĐƯ]+)")
# The issuer of a Party number ("445-KL/TƯ": OCR's Ư for the U of Tỉnh ủy).
_PARTY_ISSUER = re.compile(r"^(\d+-[A-ZĐ]+/)([A-ZĐƯ]+)(?=-|$)")
# "19-2018/NQ-CP" (a portal's spelling of 19/NQ-CP of 2018): the year belongs between slashes.
_YEAR_AFTER_DASH = re.compile(r"^(\d+[A-Z]?)-((?:19|20)\d\d)/")
# "84 QĐ/TWĐTN", "22HD/TWĐTN": a Party number that lost the dash before its type code.
_PARTY_WITHOUT_DASH = re.compile(r"^(\d+)([A-ZĐ]{2,6})/(?=[A-ZĐ])")


def _restore_party_dash(m: re.Match) -> str:
    code = _restore_code(m[2])
    return f"{m[1]}-{code}/" if code in _code_to_type() else m[0]


def _restore_code(code: str) -> str:
    data = document_data()
    return data["restore_d"].get(code) or data["ocr"]["codes"].get(code) or code


_LOST_DASH = re.compile(r"/([A-ZĐ]{4,10})$")


def _restore_dash(m: re.Match) -> str:
    """"1961/QĐUBND" names 1961/QĐ-UBND: a type code glued to a known issuer code."""
    glued = m[1]
    for i in range(1, len(glued) - 1):
        code, issuer = _restore_code(glued[:i]), glued[i:]
        if code in _code_to_type() and issuer in document_data()["issuers"]["codes"]:
            return f"/{code}-{issuer}"
    return m[0]


@lru_cache(maxsize=1)
def _mixed_case() -> dict[str, str]:
    return {code.upper(): code for code in document_data()["case"]["codes"]}


def _official_case(s: str) -> str:
    """ "QĐ-TTG" → "QĐ-TTg": codes whose official spelling has lower-case letters keep it."""
    table = _mixed_case()
    return _SEGMENT.sub(lambda m: table.get(m[0], m[0]), s)


def document_key(number: str) -> str:
    """Identity of a number: case, dashes and dots inside the symbol, Đ/D and leading zeros do not count."""
    s = canonical_number(number).upper().replace("-", "").replace(".", "").replace("Đ", "D")
    # A slash inside the symbol is a separator too ("93/2006/TTLT/BTC-BKHCN" = ".../TTLT-BTC-BKHCN").
    head, *rest = s.split("/")
    if rest and re.fullmatch(r"(?:19|20)\d\d", rest[0]) and len(rest) > 1:
        head, rest = f"{head}/{rest[0]}", rest[1:]
    s = f"{head}/{''.join(rest)}" if rest else head
    return re.sub(r"^0+(?=\d)", "", s)


@dataclass(frozen=True)
class Symbol:
    """What a canonical number says about its document."""

    number: str
    year: int | None  # written in the number (normative documents, laws)
    type_code: str | None  # "QĐ", "KH", ... when the symbol carries one
    issuer: str | None  # "UBND", "SKHCN", "TW", ...
    doc_type: str | None  # the type the code names; "Công văn" for letter-style numbers


_NORMATIVE = re.compile(r"^\d+[A-Z]?/(?P<y>(?:19|20)\d\d)/(?P<rest>.+)$")
_PARTY = re.compile(r"^\d+-(?P<code>[A-ZĐƯ]+)/(?P<issuer>[A-ZĐƯ]+(?:-[A-ZĐƯ]+)*)$")
_PLAIN = re.compile(r"^\d+[A-Z]?/(?P<rest>.+)$")


def parse_symbol(number: str) -> Symbol:
    """Read year, type code and issuer out of a canonical number."""
    codes = _code_to_type()
    upper = number.upper()
    m = _PARTY.match(upper)
    if m:
        return Symbol(number, None, m["code"], m["issuer"], codes.get(m["code"]))
    year = None
    rest = upper
    m = _NORMATIVE.match(upper)
    if m:
        year, rest = int(m["y"]), m["rest"]
    else:
        m = _PLAIN.match(upper)
        rest = m["rest"] if m else ""
    parts = [p for p in re.split(r"[-/.]", rest) if p]
    if not parts:
        return Symbol(number, year, None, None, None)
    head = parts[0]
    if re.fullmatch(r"QH\d*", head):  # a law: no type code, the Quốc hội (of a term) issued it
        return Symbol(number, year, None, head, "Luật")
    if head in codes:
        return Symbol(number, year, head, "-".join(parts[1:]) or None, codes[head])
    # number/ISSUER-UNIT: a letter ("công văn") has no type code, only its issuer and unit.
    return Symbol(number, year, None, head, "Công văn" if len(parts) > 1 or year is None else None)
