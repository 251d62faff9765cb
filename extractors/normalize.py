"""Text normalization: the one place that decides what text every offset points into.

``normalize_text`` makes the notice text the contract promises (NFC, plain spaces, paragraphs
separated by blank lines). ``match_view`` gives a same-length, case- and spelling-folded copy
that the pattern stages search, so a match's offsets are offsets into the normalized text.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Spaces that editors and portals put in Vietnamese text: NBSP, narrow NBSP, figure space, ...
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\v\f"
_SPACE_RE = re.compile("[" + _SPACES + "]")
# Zero-width characters and the BOM carry nothing and break word matching.
_DROP_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_RUN_OF_SPACES = re.compile(r" {2,}")
_BLANK_LINES = re.compile(r"\n{3,}")

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_DASH_RE = re.compile("[" + DASHES + "]")


def normalize_text(raw: str) -> str:
    """NFC, one kind of space, no control characters, at most one blank line in a row."""
    # Some portals escape line breaks twice: the text holds a literal "\r\n" (four characters).
    text = raw.replace("\\r\\n", "\n") if "\\r\\n" in raw else raw
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _DROP_RE.sub("", _SPACE_RE.sub(" ", text))
    text = _CONTROL.sub("", text)
    lines = [_RUN_OF_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    # NFC last: a mark that followed a dropped character ("N\x01\u0300", "e\u200b\u0301") only
    # meets its letter once that character is gone.
    return unicodedata.normalize("NFC", text)


# Old and new placement of the tone mark on "oa", "oe", "uy" ("hoà" / "hòa", "Uỷ" / "Ủy"):
# both are correct Vietnamese and both occur in one corpus, so matching treats them as one.
_TONE_PAIRS = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
# Only at the end of a syllable ("hoà", not "hoàn") and not after "q" ("quý" is one spelling).
_TONE_RE = re.compile("(?<!q)(?:" + "|".join(_TONE_PAIRS) + r")(?![^\W\d_])")


def _lower_same_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few characters (e.g. "İ") lower to two code points; keep those as they are.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def match_view(text: str) -> str:
    """Lower-cased, tone-placement-folded, dash-folded, Ð-folded copy of ``text`` with the same length."""
    view = _lower_same_length(text)
    if _TONE_RE.search(view):
        view = _TONE_RE.sub(lambda m: _TONE_PAIRS[m.group(0)], view)
    if "ð" in view:  # Ð/ð (U+00D0/U+00F0) that OCR and some fonts put for Đ/đ
        view = view.replace("ð", "đ")
    return _DASH_RE.sub("-", view) if _DASH_RE.search(view) else view


@lru_cache(maxsize=65536)
def fold_name(name: str) -> str:
    """The key two spellings of one name share: case, tone placement, spaces and dashes folded."""
    view = match_view(_SPACE_RE.sub(" ", unicodedata.normalize("NFC", name)))
    view = re.sub(r"\s*-\s*", " - ", view)
    return re.sub(r"\s+", " ", view).strip(" .,;:")
