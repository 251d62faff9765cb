"""A PDF attachment: its text layer where it has one, OCR for the pages that are scans.

``ocr="auto"`` reads by OCR the pages whose text layer is missing or garbage (fewer than
``MIN_CHARS_PER_PAGE`` characters, or mostly private-use / control codes); "always" every page;
"never" none (a scan then has no text and is unreadable).
"""
from __future__ import annotations

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


def read_pdf(data: bytes, *, ocr: str = "auto", workers: int | None = None, timeout: float = 120) -> AttachmentText:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise UnreadableAttachment(_ERRORS.get(getattr(e, "err_code", 0), f"unreadable PDF ({e})")) from None
    try:
        return _read(document, ocr, workers, timeout)
    finally:
        document.close()


def _read(document, ocr: str, workers: int | None, timeout: float) -> AttachmentText:
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
    reader = text_layer_reader()
    ocr_lines: dict[int, list[layout.Line]] = {}
    if len(wanted) > MAX_OCR_PAGES:
        raise UnreadableAttachment(f"too many pages to OCR: {len(wanted)} scanned pages, the limit is {MAX_OCR_PAGES}")
    if wanted:
        try:
            reader += "; " + ocr_engine.identity()
            read = ocr_engine.ocr_pages(ocr_engine.render_pages(document, wanted), workers=workers, timeout=timeout)
        except ocr_engine.OcrError as e:
            if len(wanted) < count and ocr == "auto":
                raise UnreadableAttachment(f"{len(wanted)} of {count} pages are scans and {e}") from None
            raise UnreadableAttachment(f"a scanned PDF (no text layer): {e}") from None
        ocr_lines = dict(zip(wanted, read))
    # A legacy font without its name in the file: told by the characters of the text layer.
    layer_text = "\n".join(ln.text for i, layer in enumerate(layers) if i not in ocr_lines for ln in layer.lines)
    by_chars = legacy.detect(layer_text)
    seen = next((layer.legacy for layer in layers if layer.legacy), None)
    pages = []
    for i, layer in enumerate(layers):
        lines = ocr_lines.get(i)
        if lines is None:
            lines = layer.lines
            if by_chars and not layer.legacy:
                lines = [layout.Line(legacy.decode(ln.text, by_chars), ln.left, ln.right, ln.size, ln.new_block)
                         for ln in lines]
        pages.append(layout.page_text(lines, i + 1, i == count - 1))
    method = "ocr" if ocr_lines else "text-layer"
    if not ocr_lines and not any(layer.chars for layer in layers):
        raise UnreadableAttachment("a scanned PDF (no text layer) and OCR is off (--ocr never)")
    return assemble("pdf", method, pages, reader, legacy=seen or by_chars)
