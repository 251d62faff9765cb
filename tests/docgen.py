"""Attachments the project makes itself from its gold notices, so what a reader must find is known.

A gold notice (tests/fixtures/dev, synth) becomes:

* ``to_docx``   — a Word file: the two-column national header as a table, the body with Word's
                  automatic numbering for its "1." / "a)" / "I." items (numbering.xml, the marker
                  removed from the text, as Word writes it), optionally typed in a legacy font;
* ``to_pdf``    — a text PDF laid out like an office's letter (fpdf2, a Unicode TrueType font):
                  the two-column header, justified lines wrapped at "-" and "/" inside numbers
                  ("97/KH-⏎SKHCN"), page numbers at the foot of every page;
* ``to_scan``   — the pages of a PDF rendered as grayscale images wrapped in an image-only PDF,
                  clean (300 dpi) or degraded (200 dpi, noise, blur, a slight skew);
* ``to_doc``    — the Word file converted to the old binary .doc by LibreOffice;
* ``to_image``  — one page as a PNG.

``python -m tests.docgen OUT_DIR [GOLD ...]`` writes every kind for each gold file (the sample
portal and the benchmark use the functions directly).
"""
from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.attach import legacy

FIXTURES = Path(__file__).parent / "fixtures"
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path("/usr/share/fonts/TTF"))
# "1. ", "2.1. ", "a) ", "b. ", "III. " at the start of a paragraph: Word's automatic numbering.
ITEM = re.compile(r"^(?:(?P<roman>(?:I{1,3}|IV|V|VI{1,3}|IX|X))\.|(?P<num>\d{1,2})[.)]|(?P<letter>[a-zđ])\))\s+")


@dataclass(frozen=True)
class Notice:
    """What the generators need of a gold notice."""
    name: str
    title: str
    paragraphs: tuple[str, ...]
    published: str | None
    gold: dict


def load(path: str | Path) -> Notice:
    gold = json.loads(Path(path).read_text(encoding="utf-8"))
    paragraphs = tuple(p.strip() for p in gold["text"].split("\n\n") if p.strip())
    return Notice(Path(path).stem, paragraphs[0], paragraphs[1:], gold.get("published"), gold)


def gold_files(*folders: str) -> list[Path]:
    folders = folders or ("dev", "synth")
    return sorted(p for f in folders for p in (FIXTURES / f).glob("*.json"))


def header(notice: Notice) -> tuple[list[str], list[str]]:
    """The national header's two columns (issuing body and number | motto and place, date)."""
    doc = notice.gold.get("document") or {}
    number = doc.get("number") if isinstance(doc, dict) else None
    left = ["UBND TỈNH QUẢNG TRỊ", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"]
    if number:
        left.append(f"Số: {number}")
    right = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    if notice.published:
        y, m, d = notice.published.split("-")
        right.append(f"Quảng Trị, ngày {int(d)} tháng {int(m)} năm {y}")
    return left, right


def font_path(bold: bool = False) -> Path:
    name = "DejaVuSerif-Bold.ttf" if bold else "DejaVuSerif.ttf"
    for d in FONT_DIRS:
        if (d / name).exists():
            return d / name
    raise FileNotFoundError(f"{name}: no DejaVu font here (Debian package fonts-dejavu-core)")


_RENAMED: dict[tuple[str, bool], Path] = {}


def legacy_font_path(name: str, bold: bool = False) -> Path:
    """The DejaVu font renamed ``name`` (".VnTime", "VNI-Times"): a PDF typed in a legacy font
    carries that name, as an office's file does (the glyphs do not matter to a text layer)."""
    key = (name, bold)
    if key not in _RENAMED or not _RENAMED[key].exists():
        from fontTools.ttLib import TTFont

        font = TTFont(str(font_path(bold)))
        ps_name = name + ("-Bold" if bold else "")
        for record in font["name"].names:
            if record.nameID in (1, 4, 16):
                record.string = name
            elif record.nameID == 6:
                record.string = ps_name
        out = Path(tempfile.gettempdir()) / f"docgen-{ps_name.lstrip('.')}.ttf"
        font.save(str(out))
        _RENAMED[key] = out
    return _RENAMED[key]


# --- DOCX -------------------------------------------------------------------------------------

# marker kind -> (Word's numFmt, lvlText)
_FORMATS = {"num.": ("decimal", "%1."), "num)": ("decimal", "%1)"), "letter)": ("lowerLetter", "%1)"),
            "letter.": ("lowerLetter", "%1."), "roman.": ("upperRoman", "%1.")}
_ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def _marker(m: re.Match) -> tuple[str, int]:
    """("num." | "num)" | "letter)" | ..., the value it shows) of an item marker."""
    text = m.group(0).strip()
    if m.group("roman"):
        return "roman.", _ROMANS.index(m.group("roman")) + 1
    if m.group("num"):
        return "num" + text[-1], int(m.group("num"))
    letter = m.group("letter")
    return "letter" + text[-1], (ord(letter) - ord("a") + 1) if letter != "đ" else 5


def to_docx(notice: Notice, *, encoding: str | None = None, numbering: bool = True) -> bytes:
    """A Word file of ``notice``: items numbered by Word (numbering.xml), the header a table;
    ``encoding`` "tcvn3"/"vni" types it in that legacy font (.VnTime / VNI-Times)."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document()
    font = {"tcvn3": ".VnTime", "vni": "VNI-Times"}.get(encoding or "", "Times New Roman")
    style = document.styles["Normal"]
    style.font.name = font
    style.element.rPr.rFonts.set(qn("w:eastAsia"), font)

    def put(paragraph, text: str, bold: bool = False, capitals: bool = False) -> None:
        capital_font = capitals and encoding == "tcvn3"  # .VnTimeH draws small-letter codes as capitals
        shown = legacy.encode(text.lower() if capital_font else text, encoding) if encoding else text
        run = paragraph.add_run(shown)
        run.bold = bold
        run.font.name = font + ("H" if capital_font else "")

    left, right = header(notice)
    table = document.add_table(rows=1, cols=2)
    for cell, lines in zip(table.rows[0].cells, (left, right)):
        for i, line in enumerate(lines):
            par = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            put(par, line, bold=i < 2, capitals=line.isupper())
    put(document.add_paragraph(), notice.title.upper(), bold=True, capitals=True)

    lists = _Lists(document, qn)
    # Word counts letters a, b, c, d, e: a Vietnamese list with "đ)" is typed by hand.
    typed_letters = bool(re.search(r"(?m)^đ[).]", notice.gold["text"]))
    for text in notice.paragraphs:
        m = ITEM.match(text) if numbering else None
        if m and m.group("letter") and typed_letters:
            m = None
        par = document.add_paragraph()
        if m:
            kind, value = _marker(m)
            lists.number(par, kind, value)
            text = text[m.end():]
        put(par, text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class _Lists:
    """numbering.xml entries as a Word user makes them: a new list (its own abstract list,
    starting at its first value) wherever the gold text's numbering does not go on by one."""

    def __init__(self, document, qn):
        from docx.oxml import OxmlElement

        self.qn, self.make = qn, OxmlElement
        self.root = document.part.numbering_part.element
        self.current: dict[str, tuple[str, int]] = {}
        self.next_id = 90

    def _el(self, tag: str, val: str | None = None, **attrs):
        el = self.make(tag)
        if val is not None:
            el.set(self.qn("w:val"), val)
        for k, v in attrs.items():
            el.set(self.qn("w:" + k), v)
        return el

    def _new_list(self, kind: str, start: int) -> str:
        fmt, text = _FORMATS[kind]
        list_id = str(self.next_id)
        self.next_id += 1
        abstract = self._el("w:abstractNum", abstractNumId=list_id)
        lvl = self._el("w:lvl", ilvl="0")
        for tag, val in (("w:start", str(start)), ("w:numFmt", fmt), ("w:lvlText", text)):
            lvl.append(self._el(tag, val))
        abstract.append(lvl)
        first_num = self.root.find(self.qn("w:num"))  # abstractNum elements come before num ones
        first_num.addprevious(abstract) if first_num is not None else self.root.append(abstract)
        num = self._el("w:num", numId=list_id)
        num.append(self._el("w:abstractNumId", list_id))
        self.root.append(num)
        return list_id

    def number(self, paragraph, kind: str, value: int) -> None:
        num_id, last = self.current.get(kind, (None, 0))
        if num_id is None or value != last + 1:
            num_id = self._new_list(kind, value)
        self.current[kind] = (num_id, value)
        numpr = self._el("w:numPr")
        numpr.append(self._el("w:ilvl", "0"))
        numpr.append(self._el("w:numId", num_id))
        paragraph._p.get_or_add_pPr().insert(0, numpr)


# --- text PDF ---------------------------------------------------------------------------------

def to_pdf(notice: Notice, *, encoding: str | None = None, size: float = 13, width_mm: float = 160,
           split: str | None = None, font_names: bool = True) -> bytes:
    """A text PDF of ``notice``. ``split``: a number to break at the end of a page after its "-"
    (the trap of a number cut by a page break, with the page number between its halves).
    ``encoding``: typed in a legacy font, named as such unless ``font_names`` is False (then only
    the characters tell)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    legacy_name = {"tcvn3": ".VnTime", "vni": "VNI-Times"}.get(encoding or "")
    if legacy_name and font_names:
        pdf.add_font("Serif", "", str(legacy_font_path(legacy_name)))
        pdf.add_font("Serif", "B", str(legacy_font_path(legacy_name, bold=True)))
    else:
        pdf.add_font("Serif", "", str(font_path()))
        pdf.add_font("Serif", "B", str(font_path(bold=True)))
    # TCVN3 capitals with a tone have no code: offices type them in the capital font (.VnTimeH),
    # whose small-letter codes are drawn as capitals.
    caps = encoding == "tcvn3" and font_names
    if caps:
        pdf.add_font("Caps", "", str(legacy_font_path(".VnTimeH")))
        pdf.add_font("Caps", "B", str(legacy_font_path(".VnTimeH", bold=True)))

    def family(text: str) -> str:
        return "Caps" if caps and text.isupper() else "Serif"

    def enc(text: str, fam: str | None = None) -> str:
        if not encoding:
            return text
        return legacy.encode(text.lower() if (fam or family(text)) == "Caps" else text, encoding)
    margin, line_h = 25.0, size * 0.5
    bottom = 297 - 25.0
    state = {"y": 0.0, "page": 0}

    def new_page() -> None:
        if state["page"]:
            pdf.set_font("Serif", "", 10)
            pdf.set_xy(0, 297 - 15)
            pdf.cell(210, 5, str(state["page"]), align="C")
        pdf.add_page()
        state["page"] += 1
        state["y"] = 20.0

    def line(words: list[str], x: float, justify: bool, bold: bool = False, center: bool = False) -> None:
        fam = family(" ".join(words))
        pdf.set_font(fam, "B" if bold else "", size)
        if state["y"] + line_h > bottom:
            new_page()
            pdf.set_font(fam, "B" if bold else "", size)
        text = enc(" ".join(words), fam)
        if center:
            pdf.set_xy(margin, state["y"])
            pdf.cell(width_mm, line_h, text, align="C")
        elif justify and len(words) > 1:
            widths = [pdf.get_string_width(enc(w, fam)) for w in words]
            gap = (margin + width_mm - x - sum(widths)) / (len(words) - 1)
            cx = x
            for w, width in zip(words, widths):
                pdf.set_xy(cx, state["y"])
                pdf.cell(width + 0.01, line_h, enc(w, fam))
                cx += width + gap
        else:
            pdf.set_xy(x, state["y"])
            pdf.cell(width_mm, line_h, text)
        state["y"] += line_h

    def paragraph(text: str, bold: bool = False, center: bool = False, indent: float = 10.0) -> None:
        pdf.set_font(family(text), "B" if bold else "", size)
        words = _breakable(text.split())
        x = margin + indent
        current: list[str] = []
        for w in words:
            trial = current + [w]
            glued = _glue(trial)
            pdf.set_font(family(text), "B" if bold else "", size)  # a page break set the footer's font
            if current and pdf.get_string_width(enc(" ".join(glued))) > margin + width_mm - x:
                line(_glue(current), x, justify=not center, bold=bold, center=center)
                x, current = margin, [w]
            else:
                current = trial
        if current:
            line(_glue(current), x, justify=False, bold=bold, center=center)
        state["y"] += line_h * 0.4

    new_page()
    left, right = header(notice)
    y0 = state["y"]
    for i, (l_text, r_text) in enumerate(zip(left + [""] * 3, right + [""] * 3)):
        if not l_text and not r_text:
            break
        for x, w, cell_text in ((15, 80, l_text), (95, 105, r_text)):
            pdf.set_font(family(cell_text), "B" if i < 2 else "", size - 2)
            pdf.set_xy(x, y0 + i * line_h)
            pdf.cell(w, line_h, enc(cell_text), align="C")
    state["y"] = y0 + (max(len(left), len(right)) + 1) * line_h
    paragraph(notice.title.upper(), bold=True, center=True, indent=0)
    for text in notice.paragraphs:
        if split and split in text:
            _paragraph_split(paragraph, text, split, state, bottom)
            continue
        paragraph(text)
    pdf.set_font("Serif", "", 10)
    pdf.set_xy(0, 297 - 15)
    pdf.cell(210, 5, str(state["page"]), align="C")
    return bytes(pdf.output())


def _paragraph_split(paragraph, text: str, split: str, state: dict, bottom: float) -> None:
    """Lay out ``text`` so that ``split`` ends one page after its first "-" and goes on on the next."""
    head, tail = text.split(split, 1)
    cut = split.index("-") + 1
    # Fill the page so the first half is the last line: the head paragraph, then move to the bottom.
    paragraph(head + split[:cut])
    state["y"] = bottom + 1  # the next line starts a new page
    # The rest continues the paragraph on the next page without indent.
    paragraph(split[cut:] + tail, indent=0.0)


def _breakable(words: list[str]) -> list[str]:
    """Words, with numbers split after "-" and "/" so a line can end inside one ("97/KH-|SKHCN")."""
    out = []
    for w in words:
        parts = re.split(r"(?<=[-/])(?=\w)", w) if re.search(r"\d", w) and len(w) > 6 else [w]
        out.extend([parts[0]] + ["\u0000" + p for p in parts[1:]])
    return out


def _glue(words: list[str]) -> list[str]:
    """Join the pieces of a split word back (a piece starts with NUL)."""
    out: list[str] = []
    for w in words:
        if w.startswith("\u0000") and out:
            out[-1] += w[1:]
        else:
            out.append(w.lstrip("\u0000"))
    return out


# --- scans and images -------------------------------------------------------------------------

def rasterize(pdf: bytes, dpi: int = 300) -> list:
    """The pages of a PDF as grayscale PIL images."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()


def degrade(image, seed: int = 7):
    """A poor scan: slight skew, blur, speckle noise, uneven threshold."""
    from PIL import Image, ImageFilter
    import numpy as np

    rng = np.random.default_rng(seed)
    image = image.rotate(0.6, resample=Image.BICUBIC, fillcolor=255, expand=False)
    image = image.filter(ImageFilter.GaussianBlur(0.8))
    pixels = np.asarray(image, dtype=np.float32)
    pixels += rng.normal(0, 28, pixels.shape)
    pixels[rng.random(pixels.shape) < 0.002] = 0
    return Image.fromarray(np.clip(pixels, 0, 255).astype("uint8"), "L")


def to_scan(pdf: bytes, *, dpi: int = 300, degraded: bool = False) -> bytes:
    """An image-only PDF of ``pdf``'s pages, as a scanner makes it (no text layer)."""
    pages = rasterize(pdf, dpi)
    if degraded:
        pages = [degrade(p, seed=i) for i, p in enumerate(pages)]
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return out.getvalue()


def to_image(pdf: bytes, page: int = 0, dpi: int = 300, fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    rasterize(pdf, dpi)[page].save(out, fmt, dpi=(dpi, dpi))
    return out.getvalue()


# --- DOC (LibreOffice) ------------------------------------------------------------------------

def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_doc(docx_bytes: bytes, timeout: float = 120) -> bytes:
    """The Word file as the old binary .doc (LibreOffice, its own profile)."""
    binary = soffice()
    if binary is None:
        raise FileNotFoundError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="docgen-") as tmp:
        src = Path(tmp) / "in.docx"
        src.write_bytes(docx_bytes)
        subprocess.run([binary, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        "--convert-to", "doc:MS Word 97", "--outdir", tmp, str(src)],
                       check=True, capture_output=True, timeout=timeout)
        return (Path(tmp) / "in.doc").read_bytes()


KINDS = ("pdf", "docx", "doc", "scan", "scan-degraded", "docx-tcvn3", "docx-vni", "pdf-tcvn3", "pdf-vni")


def make(notice: Notice, kind: str) -> bytes:
    """The attachment of ``kind`` (one of KINDS) for ``notice``."""
    if kind == "pdf":
        return to_pdf(notice)
    if kind == "docx":
        return to_docx(notice)
    if kind == "doc":
        return to_doc(to_docx(notice))
    if kind == "scan":
        return to_scan(to_pdf(notice))
    if kind == "scan-degraded":
        return to_scan(to_pdf(notice), dpi=200, degraded=True)
    if kind.startswith("docx-"):
        return to_docx(notice, encoding=kind.split("-", 1)[1])
    if kind.startswith("pdf-"):
        return to_pdf(notice, encoding=kind.split("-", 1)[1])
    raise ValueError(f"unknown kind {kind!r}")


SUFFIX = {"pdf": ".pdf", "docx": ".docx", "doc": ".doc", "scan": ".scan.pdf", "scan-degraded": ".scan200.pdf",
          "docx-tcvn3": ".tcvn3.docx", "docx-vni": ".vni.docx", "pdf-tcvn3": ".tcvn3.pdf", "pdf-vni": ".vni.pdf"}


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    files = [Path(a) for a in argv[1:]] or gold_files()
    for path in files:
        notice = load(path)
        for kind in KINDS:
            if kind == "doc" and soffice() is None:
                continue
            (out / (notice.name + SUFFIX[kind])).write_bytes(make(notice, kind))
        print(path.name)
    return 0


if __name__ == "__main__":
    random.seed(0)
    sys.exit(main(sys.argv[1:]))


# --- what a reader must find ------------------------------------------------------------------

def reference_scores(gold: dict, extraction: dict) -> tuple[int, int, int]:
    """(gold references, found by document key, found with the number exactly as in gold):
    references recall and the exact-number rate of one document read from an attachment."""
    from extractors.numbers import canonical_number, document_key

    found_keys = {document_key(r["number"]) for r in extraction["references"]}
    found_numbers = {r["number"] for r in extraction["references"]}
    # as the extractor writes a number today (gold files keep the spelling of their day: "TTG")
    wanted = [canonical_number(r["number"]) for r in gold["references"]]
    return (len(wanted), sum(document_key(n) in found_keys for n in wanted),
            sum(n in found_numbers for n in wanted))


# --- tests: the system tools a reader needs ---------------------------------------------------

def _tool_mark(found: bool, env: str, what: str):
    """A pytest mark: nothing when ``found``; a skip saying why on a machine without the tool;
    on CI (``env`` set, as .ci/run does after ``make system-deps``) a missing tool is an error."""
    import pytest

    if found:
        return pytest.mark.skipif(False, reason=f"{what} is installed")
    if os.environ.get(env):
        raise RuntimeError(f"{env} is set but {what} was not found (make system-deps)")
    return pytest.mark.skip(reason=f"{what} is not installed (make system-deps installs it)")


def needs_tesseract():
    from pipeline.attach import ocr
    return _tool_mark(ocr.available(), "NOTICES_REQUIRE_TESSERACT", "Tesseract with its Vietnamese model")


def needs_soffice():
    return _tool_mark(soffice() is not None, "NOTICES_REQUIRE_SOFFICE", "LibreOffice (soffice)")
