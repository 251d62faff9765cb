"""A PDF attachment: its text layer where it has one, OCR for the pages that are scans.

``ocr="auto"`` reads by OCR the pages whose text layer is missing or garbage (fewer than
``MIN_CHARS_PER_PAGE`` characters, or mostly private-use / control codes); "always" every page;
"never" none (a scan then has no text and is unreadable).
"""
from __future__ import annotations

from dataclasses import dataclass

import pypdfium2 as pdfium

from . import layout, legacy, ocr as ocr_engine
from .pdflayer import MIN_CHARS_PER_PAGE, read_layer, version
from .read import MAX_OCR_PAGES, MAX_PAGES, READER_VERSION, AttachmentText, UnreadableAttachment, assemble

# pdfium's error codes (FPDF_ERR_*) as the sentence a person reads.
_ERRORS = {2: "unreadable PDF: the file cannot be opened", 3: "corrupt or truncated PDF: pdfium cannot parse it",
           4: "encrypted PDF: it needs a password", 5: "encrypted PDF: its security handler is not supported",
           6: "corrupt PDF: a page is missing or damaged"}


def text_layer_reader() -> str:
    return f"notices-readers {READER_VERSION}; {version()}"


@dataclass
class PdfPlan:
    """A PDF read as far as it goes without OCR: each page's text layer, and the pages OCR must
    read as 300 dpi grayscale PNGs. ``read_pdf`` = ``plan_pdf`` → OCR of ``images`` → ``finish_pdf``;
    a Dask job maps ``ocr.ocr_image`` over the images of many plans as tasks, then finishes each."""
    layers: list
    wanted: list[int]
    images: list[bytes]
    reader: str
    ocr: str


def read_pdf(data: bytes, *, ocr: str = "auto", workers: int | None = None, timeout: float = 120) -> AttachmentText:
    plan = plan_pdf(data, ocr)
    try:
        lines = ocr_engine.ocr_pages(plan.images, workers=workers, timeout=timeout) if plan.images else []
    except ocr_engine.OcrError as e:
        raise UnreadableAttachment(_ocr_failed(plan, e)) from None
    return finish_pdf(plan, lines)


def _ocr_failed(plan: PdfPlan, e: Exception) -> str:
    if len(plan.wanted) < len(plan.layers) and plan.ocr == "auto":
        return f"{len(plan.wanted)} of {len(plan.layers)} pages are scans and {e}"
    return f"a scanned PDF (no text layer): {e}"


def plan_pdf(data: bytes, ocr: str = "auto") -> PdfPlan:
    """The text layers and the page images to OCR; raises UnreadableAttachment."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise UnreadableAttachment(_ERRORS.get(getattr(e, "err_code", 0), f"unreadable PDF ({e})")) from None
    try:
        return _plan(document, ocr)
    finally:
        document.close()


def _plan(document, ocr: str) -> PdfPlan:
    count = len(document)
    if count == 0:
        raise UnreadableAttachment("empty PDF: it has no pages")
    if count > MAX_PAGES:
        raise UnreadableAttachment(f"too many pages: {count}, the limit is {MAX_PAGES}")
    layers = []
    for i in range(count):
        try:
            layers.append(read_layer(document[i]))
        except pdfium.PdfiumError:
            raise UnreadableAttachment(f"corrupt PDF: page {i + 1} cannot be read") from None
    wanted = [i for i, layer in enumerate(layers)
              if ocr == "always" or (ocr == "auto" and (layer.chars < MIN_CHARS_PER_PAGE or layer.garbled))]
    if len(wanted) > MAX_OCR_PAGES:
        raise UnreadableAttachment(f"too many pages to OCR: {len(wanted)} scanned pages, the limit is {MAX_OCR_PAGES}")
    if not wanted and not any(layer.chars for layer in layers):
        raise UnreadableAttachment("a scanned PDF (no text layer) and OCR is off (--ocr never)")
    reader = text_layer_reader()
    plan = PdfPlan(layers, wanted, [], reader, ocr)
    if wanted:
        try:
            plan.reader += "; " + ocr_engine.identity()
        except ocr_engine.OcrError as e:
            raise UnreadableAttachment(_ocr_failed(plan, e)) from None
        plan.images = list(ocr_engine.render_pages(document, wanted))
    return plan


def finish_pdf(plan: PdfPlan, ocr_lines: list[list[layout.Line]]) -> AttachmentText:
    """The attachment's text from a plan and the OCR lines of its ``wanted`` pages, in order."""
    layers, count = plan.layers, len(plan.layers)
    by_page = dict(zip(plan.wanted, ocr_lines))
    # A legacy font without its name in the file: told by the characters of the text layer.
    layer_text = "\n".join(ln.text for i, layer in enumerate(layers) if i not in by_page for ln in layer.lines)
    by_chars = legacy.detect(layer_text)
    seen = next((layer.legacy for layer in layers if layer.legacy), None)
    pages = []
    for i, layer in enumerate(layers):
        lines = by_page.get(i)
        if lines is None:
            lines = layer.lines
            if by_chars and not layer.legacy:
                lines = [layout.Line(legacy.decode(ln.text, by_chars), ln.left, ln.right, ln.size, ln.new_block)
                         for ln in lines]
        pages.append(layout.page_text(lines, i + 1, i == count - 1))
    method = "ocr" if by_page else "text-layer"
    return assemble("pdf", method, pages, plan.reader, legacy=seen or by_chars)
