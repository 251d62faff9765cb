"""Vietnamese text typed in the legacy 8-bit fonts, back to Unicode.

Before Unicode, Vietnamese offices typed in TCVN3 ("ABC": fonts ``.VnTime``, ``.VnArial`` ...)
and VNI (``VNI-Times`` ...). Such a document's characters are Latin-1 look-alikes — "Th«ng b¸o"
is "Thông báo" — and TCVN3's "ư" is U+00AD (the soft hyphen that ``normalize_text`` deletes), so
conversion must happen before normalization. The tables are data (``legacy.toml``), checked in
tests by a round trip over every Vietnamese letter.

Two ways to tell: the font's name where the file keeps it (DOCX runs, PDF fonts), and otherwise
the characters themselves (``detect``): legacy text is full of Latin-1 characters that Vietnamese
Unicode never uses, and the two encodings differ in where their accents sit — TCVN3 replaces the
vowel ("b¸o"), VNI follows it ("baùo").
"""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

ENCODINGS = ("tcvn3", "vni")


@lru_cache(maxsize=1)
def tables() -> dict[str, dict[str, str]]:
    """{"tcvn3": {unicode letter: legacy chars}, "vni": {...}} from legacy.toml."""
    with (Path(__file__).with_name("legacy.toml")).open("rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=2)
def _decoder(encoding: str) -> tuple[re.Pattern[str], dict[str, str]]:
    reverse = {legacy: uni for uni, legacy in tables()[encoding].items()}
    # Longest sequence first: VNI "ôù" is "ớ", not "ơ" + "ù".
    alternatives = sorted(reverse, key=len, reverse=True)
    return re.compile("|".join(re.escape(a) for a in alternatives)), reverse


def decode(text: str, encoding: str, capitals: bool = False) -> str:
    """``text`` typed in ``encoding`` as Unicode. ``capitals``: a TCVN3 capital font (.VnTimeH),
    whose small-letter codes are drawn as capitals."""
    pattern, reverse = _decoder(encoding)
    out = pattern.sub(lambda m: reverse[m.group(0)], text)
    return out.upper() if capitals else out


def encode(text: str, encoding: str) -> str:
    """Unicode as typed in ``encoding`` (test documents; letters without a code stay as they are;
    TCVN3 capitals with a tone have none: they are written in small letters, as a .VnTimeH font would)."""
    table = tables()[encoding]
    out = []
    for ch in text:
        legacy = table.get(ch)
        if legacy is None and encoding == "tcvn3" and ch.lower() in table and ch != ch.lower():
            legacy = table[ch.lower()]
        out.append(legacy if legacy is not None else ch)
    return "".join(out)


def font_encoding(font_name: str | None) -> tuple[str | None, bool]:
    """(encoding, capitals) a font's name stands for: ".VnTime" TCVN3, ".VnTimeH" its capitals,
    "VNI-Times" VNI; (None, False) for any Unicode font. PDF names carry a subset prefix "ABCDEF+"."""
    if not font_name:
        return None, False
    name = font_name.split("+", 1)[-1].strip().lower()
    if name.startswith(".vn") or re.match(r"vn(?!i)[a-z]", name):
        base = re.split(r"[,\-\s]", name.lstrip("."), maxsplit=1)[0]
        base = re.sub(r"(?:bold|italic|oblique|regular|black)+$", "", base)  # ".VnTimeHBold"
        return "tcvn3", base.endswith("h")
    if name.startswith(("vni-", "vni ", "vni_")):
        return "vni", False
    return None, False


_VIETNAMESE = frozenset(
    "àáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
_VIETNAMESE |= frozenset(c.upper() for c in _VIETNAMESE)
_VOWELS = frozenset("aeiouyAEIOUY")
_VNI_ACCENTS = frozenset("ùøûõïâáàåãäêéèúüëÙØÛÕÏÂÁÀÅÃÄÊÉÈÚÜË")


def detect(text: str) -> str | None:
    """"tcvn3" or "vni" when ``text`` reads as typed in that font, else None (Unicode, or too little
    to tell). Decided by the Latin-1 characters Vietnamese Unicode never uses and where accents sit."""
    strange = tcvn = vni = 0
    previous = " "
    for ch in text:
        code = ord(ch)
        if 0xA0 < code < 0x100:
            if ch not in _VIETNAMESE:
                strange += 1
            if previous in _VOWELS and ch in _VNI_ACCENTS:
                vni += 1
            elif previous not in _VOWELS:
                tcvn += 1
        previous = ch
    vietnamese = sum(1 for ch in text if ch in _VIETNAMESE and ord(ch) > 0xFF)
    if strange < 3 or strange <= vietnamese:
        return None
    return "vni" if vni > tcvn else "tcvn3"
