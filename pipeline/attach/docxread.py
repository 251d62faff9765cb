"""DOCX: the body in document order, tables included, with Word's automatic numbering written out.

``Document.paragraphs`` alone loses every table; ``iter_inner_content()`` gives paragraphs and
tables as they stand. Word does not store "1." or "a)" of a numbered list in the text — the
paragraph says "list 7, level 0" and numbering.xml says how level 0 counts and is written — so
most readers drop them, and with them the task items. ``Numbering`` counts them as Word does.
Runs typed in a legacy font (.VnTime, VNI-Times) are converted by the font's name.
"""
from __future__ import annotations

import io
import zipfile

from . import legacy
from .read import (MAX_UNZIPPED, MAX_ZIP_RATIO, READER_VERSION, AttachmentText, UnreadableAttachment, assemble,
                   convert_legacy)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def reader() -> str:
    import docx
    return f"notices-readers {READER_VERSION}; python-docx {getattr(docx, '__version__', '?')}"


def check_zip(data: bytes, what: str = "DOCX") -> None:
    """Refuse a corrupt archive and a zip bomb (uncompressed size or ratio beyond the limits)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            if any(i.flag_bits & 0x1 for i in infos):
                raise UnreadableAttachment(f"encrypted {what}: it needs a password")
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if total > MAX_UNZIPPED or (total > 10 * 2**20 and total / packed > MAX_ZIP_RATIO):
                raise UnreadableAttachment(
                    f"zip bomb: the {what} unpacks to {total / 2**20:.0f} MB from {len(data) / 2**20:.1f} MB")
            if "word/document.xml" not in z.namelist():
                raise UnreadableAttachment(f"corrupt {what}: no word/document.xml in it")
            bad = z.testzip()
            if bad is not None:
                raise UnreadableAttachment(f"corrupt or truncated {what}: {bad} is damaged")
    except zipfile.BadZipFile:
        raise UnreadableAttachment(f"corrupt or truncated {what}: not a readable ZIP archive") from None


def read_docx(data: bytes, *, kind: str = "docx", method: str = "docx", reader_id: str | None = None) -> AttachmentText:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as e:
        raise UnreadableAttachment(f"corrupt DOCX: {str(e).splitlines()[0][:120] if str(e) else type(e).__name__}") from None
    except Exception as e:  # lxml.etree.XMLSyntaxError and kin: a damaged part
        raise UnreadableAttachment(f"corrupt DOCX: {type(e).__name__}") from None
    numbering = Numbering(document)
    default_font = _default_font(document)
    seen: set[str] = set()
    lines: list[str] = []
    for block in document.iter_inner_content():
        _block(block, lines, numbering, default_font, seen)
    raw = "\n".join(lines)
    found = next(iter(sorted(seen)), None)
    if not found:
        raw, found = convert_legacy(raw)
    return assemble(kind, method, [(raw, "\n")], reader_id or reader(), legacy=found)


def _block(block, lines: list[str], numbering: "Numbering", default_font: str | None, seen: set[str]) -> None:
    from docx.table import Table

    if isinstance(block, Table):
        _table(block, lines, numbering, default_font, seen)
        return
    text = _paragraph_text(block, default_font, seen)
    label = numbering.label(block)
    if label:
        text = f"{label} {text.lstrip()}" if text.strip() else ""
    lines.append(text)


def _table(table, lines: list[str], numbering, default_font, seen) -> None:
    for row in table.rows:
        cells, ids = [], set()
        for cell in row.cells:
            if id(cell._tc) in ids:  # a merged cell comes back once per grid column
                continue
            ids.add(id(cell._tc))
            inner: list[str] = []
            for block in cell.iter_inner_content():
                _block(block, inner, numbering, default_font, seen)
            cells.append([t for t in inner if t.strip()])
        if all(len(c) <= 1 for c in cells):
            lines.append("\t".join(c[0] if c else "" for c in cells).strip())
        else:
            for c in cells:
                lines.extend(c)


def _paragraph_text(paragraph, default_font: str | None, seen: set[str]) -> str:
    from docx.text.hyperlink import Hyperlink

    base_font = _style_font(paragraph.style) or default_font
    out = []
    for item in paragraph.iter_inner_content():
        runs = item.runs if isinstance(item, Hyperlink) else [item]
        for run in runs:
            text = run.text
            if not text:
                continue
            font = run.font.name or _style_font(run.style) or base_font
            encoding, capitals = legacy.font_encoding(font)
            if encoding:
                text = legacy.decode(text, encoding, capitals)
                seen.add(encoding)
            out.append(text)
    return "".join(out)


def _style_font(style) -> str | None:
    while style is not None:
        try:
            name = style.font.name
        except AttributeError:
            return None
        if name:
            return name
        style = style.base_style
    return None


def _default_font(document) -> str | None:
    try:
        rfonts = document.styles.element.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}rFonts")
    except AttributeError:
        return None
    return rfonts.get(f"{_W}ascii") if rfonts is not None else None


class Numbering:
    """Word's list counters: which label ("1.", "a)", "II.", "2.1.") each numbered paragraph shows."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # abstractNumId -> ilvl -> (start, fmt, text)
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}          # numId -> (abstractNumId, start overrides)
        self.counters: dict[str, list[int | None]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        for abstract in root.findall(f"{_W}abstractNum"):
            levels = {}
            for lvl in abstract.findall(f"{_W}lvl"):
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    int(_val(lvl, "start") or 1), _val(lvl, "numFmt") or "decimal", _val(lvl, "lvlText") or "")
            self.levels[abstract.get(f"{_W}abstractNumId")] = levels
        for num in root.findall(f"{_W}num"):
            overrides = {}
            for o in num.findall(f"{_W}lvlOverride"):
                start = _val(o, "startOverride")
                if start is not None:
                    overrides[int(o.get(f"{_W}ilvl", "0"))] = int(start)
            self.nums[num.get(f"{_W}numId")] = (_val(num, "abstractNumId") or "", overrides)

    def label(self, paragraph) -> str | None:
        num_id, ilvl = _num_pr(paragraph)
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return None
        abstract_id, overrides = self.nums[num_id]
        levels = self.levels.get(abstract_id, {})
        if ilvl not in levels:
            return None
        counters = self.counters.setdefault(num_id, [None] * 10)
        start = overrides.get(ilvl, levels[ilvl][0])
        counters[ilvl] = start if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, 10):
            counters[deeper] = None
        fmt, text = levels[ilvl][1], levels[ilvl][2]
        if fmt == "bullet":
            return text if text in ("-", "–", "+", "•", "*") else "•"
        if fmt == "none":
            return None
        for n in range(9, -1, -1):
            placeholder = f"%{n + 1}"
            if placeholder in text:
                value = counters[n] if counters[n] is not None else overrides.get(n, levels.get(n, (1,))[0])
                text = text.replace(placeholder, _format(value, levels.get(n, (1, "decimal"))[1]))
        return text.strip() or None


def _val(el, tag: str) -> str | None:
    child = el.find(f"{_W}{tag}")
    return child.get(f"{_W}val") if child is not None else None


def _num_pr(paragraph) -> tuple[str | None, int]:
    """(numId, level) of a paragraph: its own numPr, else its style's (and their bases')."""
    ppr = paragraph._p.pPr
    numpr = ppr.numPr if ppr is not None else None
    num_id = ilvl = None
    if numpr is not None:
        num_id = numpr.numId.val if numpr.numId is not None else None
        ilvl = numpr.ilvl.val if numpr.ilvl is not None else None
    style = paragraph.style
    while num_id is None and style is not None:
        sppr = style.element.pPr
        snum = sppr.numPr if sppr is not None else None
        if snum is not None:
            num_id = snum.numId.val if snum.numId is not None else None
            ilvl = ilvl if ilvl is not None else (snum.ilvl.val if snum.ilvl is not None else None)
        style = style.base_style
    return (str(num_id) if num_id is not None else None), int(ilvl or 0)


_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    # Word's letters: a..z, then aa, bb, ... (the letter repeated)
    n = max(n, 1)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)
