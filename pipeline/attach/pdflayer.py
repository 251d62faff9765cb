"""PDF: the text layer through pdfium (pypdfium2), page by page, with each character's box.

pdfium gives visual lines ending in "\\r\\n", marks a line-end hyphen it joined with U+FFFE (or
U+0002 in other builds) and inserts spaces and line breaks of its own ("generated" characters).
We keep the characters with their boxes, cut lines at wide gaps (header columns), convert runs
typed in a legacy font (by the font's name), and hand the lines to ``layout`` to become text.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from . import legacy
from .layout import Line, columns_in_order, split_columns

# pdfium's marks for a hyphen at a line's end that it joined with the next line.
_HYPHEN_MARKS = {0xFFFE, 0x0002}
# Fewer non-space characters than this on a page: no usable text layer (a scan), read by OCR.
MIN_CHARS_PER_PAGE = 25


@dataclass
class PageLayer:
    """One page's text layer: its lines, how many real characters, the legacy encoding seen."""
    lines: list[Line]
    chars: int
    legacy: str | None
    garbled: bool


def _font_name(textpage, index: int, buf: ctypes.Array) -> str:
    flags = ctypes.c_int()
    n = raw.FPDFText_GetFontInfo(textpage, index, buf, len(buf), ctypes.byref(flags))
    return buf.raw[: max(n - 1, 0)].decode("utf-8", "replace") if n else ""


def read_layer(page) -> PageLayer:
    """The text layer of one pdfium page."""
    textpage = page.get_textpage()
    try:
        return _read(textpage.raw)
    finally:
        textpage.close()


def _read(tp) -> PageLayer:
    count = raw.FPDFText_CountChars(tp)
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    buf = ctypes.create_string_buffer(256)
    rows: list[list[tuple[str, float, float]]] = [[]]
    widths: list[float] = []
    real = bad = 0
    row_lo = row_hi = row_h = 0.0
    for i in range(count):
        code = raw.FPDFText_GetUnicode(tp, i)
        if code in (0x0D, 0x0A):
            if rows[-1]:
                rows.append([])
                row_h = 0.0
            continue
        if code in _HYPHEN_MARKS:
            ch = "-"
        else:
            try:
                ch = chr(code)
            except ValueError:
                bad += 1
                continue
        if raw.FPDFText_IsGenerated(tp, i) == 1:
            prev = rows[-1][-1] if rows[-1] else None
            rows[-1].append((" " if ch.isspace() else ch, prev[2] if prev else 0.0, prev[2] if prev else 0.0, -1))
            continue
        raw.FPDFText_GetCharBox(tp, i, ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top))
        if not ch.isspace() and top.value > bottom.value:
            # pdfium joins a line ending in a hyphen with whatever comes next, even the page
            # number in the footer: a character clear of the line's band starts a new line
            # (an underscore, below the baseline, still overlaps it).
            slack = 0.3 * row_h
            if row_h and (top.value < row_lo - slack or bottom.value > row_hi + slack) and rows[-1]:
                rows.append([])
                row_h = 0.0
            if not row_h:
                row_lo, row_hi, row_h = bottom.value, top.value, top.value - bottom.value
            else:  # the band grows with the line's letters (it may have begun with a comma)
                row_lo, row_hi = min(row_lo, bottom.value), max(row_hi, top.value)
                row_h = max(row_h, top.value - bottom.value)
        if not ch.isspace():
            real += 1
            if code < 0x20 or 0xE000 <= code <= 0xF8FF or code == 0xFFFD:
                bad += 1
            if right.value > left.value:
                widths.append(right.value - left.value)
        rows[-1].append((ch, left.value, right.value, i))
    size = sorted(widths)[len(widths) // 2] if widths else 5.0
    # The font of each segment's first character tells a legacy font (".VnTime", "VNI-Times").
    seen_legacy = None
    line_rows: list[list[Line]] = []
    for row in rows:
        if not row:
            continue
        lines = []
        for seg in split_columns(row, size):
            text = "".join(t[0] for t in seg)
            idx = next((t[3] for t in seg if t[3] >= 0 and not t[0].isspace()), -1)
            if idx >= 0:
                encoding, capitals = legacy.font_encoding(_font_name(tp, idx, buf))
                if encoding:
                    text = legacy.decode(text, encoding, capitals)
                    seen_legacy = encoding
            real_chars = [(t[1], t[2]) for t in seg if not t[0].isspace() and t[2] > t[1]]
            lo = min((l for l, _ in real_chars), default=0.0)
            hi = max((r for _, r in real_chars), default=0.0)
            lines.append(Line(text, lo, hi, size))
        line_rows.append(lines)
    garbled = real > 0 and bad > real * 0.3
    return PageLayer(columns_in_order(line_rows), real, seen_legacy, garbled)


def open_document(data: bytes):
    """A pdfium document; raises pdfium.PdfiumError (password, format) for ``read`` to explain."""
    return pdfium.PdfDocument(data)


def version() -> str:
    from pypdfium2.version import PDFIUM_INFO, PYPDFIUM_INFO
    return f"pypdfium2 {PYPDFIUM_INFO} (pdfium {PDFIUM_INFO})"
