"""Lines with their place on the page → paragraphs of text, for the PDF text layer and for OCR.

A PDF (or an OCR engine) gives visual lines, not paragraphs: every line ends in a break, a
number is cut at a line's end ("97/KH-⏎SKHCN") or at a page's end with the page number between
its halves, and the two columns of the national header come out side by side on one line.
This module decides, from where each line starts and ends on its page, which lines belong
together, so what follows (the extractor) sees the sentences the author wrote.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

# A line that starts a new item whatever its length: "1.", "2.1.", "a)", "III.", "- ", "+ ".
_ITEM_START = re.compile(r"^(?:(?:I{1,3}|IV|VI{0,3}|IX|X)[.)]\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|[a-zđ][).]\s|[-–+•*]\s)")
# The page number a footer or header prints: "2", "- 2 -", "Trang 2", "2/5".
_PAGE_NUMBER = re.compile(r"^[-–]?\s*(?:trang\s*)?(\d{1,3})(?:\s*/\s*\d{1,3})?\s*[-–]?$", re.I)
# A line end that cuts a word or number in two: "KH-", "97/" (no space before the mark).
_CUT_END = re.compile(r"[\w)][-/]$")
# ... and surely a number ("97/KH-" | "SKHCN"): joined even where the line is short.
_CODE_END = re.compile(r"(?:\d+/|\d+/[A-ZĐ][\wĐ]*-|[A-ZĐ]{2,}-)$")
_CODE_START = re.compile(r"^[A-ZĐ0-9]")


@dataclass
class Line:
    """One visual line: its text and horizontal extent; ``size`` is a typical character width."""
    text: str
    left: float
    right: float
    size: float
    new_block: bool = False  # the OCR engine's own block or paragraph starts here


def page_text(lines: list[Line], page_no: int, last_page: bool) -> tuple[str, str]:
    """(text of the page, how it joins the next page: "" | " " | "\\n")."""
    lines = [ln for ln in lines if ln.text.strip()]
    lines = _drop_page_numbers(lines, page_no)
    if not lines:
        return "", "\n"
    lefts = sorted(ln.left for ln in lines)
    rights = sorted(ln.right for ln in lines if len(ln.text) >= 20) or sorted(ln.right for ln in lines)
    left_margin = lefts[len(lefts) // 10]
    right_margin = rights[int(len(rights) * 0.9)]
    size = median(ln.size for ln in lines) or 5.0
    out: list[str] = []
    for i, ln in enumerate(lines):
        text = ln.text.strip()
        if i == 0:
            out.append(text)
            continue
        prev = lines[i - 1]
        # A line that starts in the right half (a header's right column, a place and date,
        # a signature) never wraps on into the next.
        joiner = "\n" if prev.left > (left_margin + right_margin) / 2 else _joiner(prev, ln, left_margin, right_margin, size)
        out.append(joiner + text)
    ending = lines[-1]
    if last_page:
        tail = "\n"
    elif _CODE_END.search(ending.text.rstrip()):
        tail = "\u0000"  # join with the next page only if it starts with the rest of the number
    elif _full(ending, right_margin, size):
        tail = "" if _CUT_END.search(ending.text.rstrip()) else " "
    else:
        tail = "\n"
    return "".join(out), tail


def _full(line: Line, right_margin: float, size: float) -> bool:
    return line.right >= right_margin - 2.5 * size


def _joiner(prev: Line, line: Line, left_margin: float, right_margin: float, size: float) -> str:
    text = line.text.strip()
    if _CODE_END.search(prev.text.rstrip()) and _CODE_START.match(text):
        return ""
    if line.new_block or _ITEM_START.match(text):
        return "\n"
    if not _full(prev, right_margin, size):
        return "\n"
    if line.left > left_margin + 2.5 * size:  # an indented first line opens a paragraph
        return "\n"
    if _CUT_END.search(prev.text.rstrip()):
        return ""
    return " "


def _drop_page_numbers(lines: list[Line], page_no: int) -> list[Line]:
    """Without the page number printed as the first or last line of the page."""
    def is_number(ln: Line) -> bool:
        m = _PAGE_NUMBER.match(ln.text.strip())
        return bool(m) and abs(int(m.group(1)) - page_no) <= 1
    while lines and is_number(lines[-1]):
        lines = lines[:-1]
    while lines and is_number(lines[0]):
        lines = lines[1:]
    return lines


def split_columns(chars: list[tuple], size: float) -> list[list[tuple]]:
    """A visual line's characters ``(char, left, right, ...)`` cut where a gap is wider than a few
    characters: the two columns of a header ("UBND TỈNH ...      CỘNG HÒA XÃ HỘI ...")."""
    segments: list[list[tuple]] = [[]]
    last_right = None
    for item in chars:
        ch, left, right = item[0], item[1], item[2]
        if not ch.isspace():
            if last_right is not None and left - last_right > 5 * size and segments[-1]:
                segments.append([])
            last_right = right
        segments[-1].append(item)
    return [s for s in segments if any(not t[0].isspace() for t in s)]


def columns_in_order(rows: list[list[Line]]) -> list[Line]:
    """Rows of segments → lines in reading order: a run of rows cut in two columns is read
    column by column (left column's lines, then the right's), the rest row by row."""
    out: list[Line] = []
    block: list[list[Line]] = []

    after_block = False

    def flush() -> None:
        nonlocal after_block
        if not block:
            return
        width = max(len(r) for r in block)
        for col in range(width):
            for r in block:
                if col < len(r):
                    r[col].new_block = True  # each line of a header column stands alone
                    out.append(r[col])
        block.clear()
        after_block = True

    for row in rows:
        if len(row) > 1:
            block.append(row)
            continue
        flush()
        if after_block and row:
            row[0].new_block = True  # what follows the header (the title) opens a paragraph
            after_block = False
        out.extend(row)
    flush()
    return out
