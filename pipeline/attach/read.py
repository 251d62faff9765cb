"""Bytes of an attachment → its text with offsets: the one entry point, ``read_attachment``.

The kind is told by the bytes (``detect_kind``), never by a URL or a Content-Type. Each kind has
its reader: the PDF text layer (pdfium), OCR (Tesseract, for scans and images), DOCX
(python-docx), DOC (LibreOffice, or a raw fallback). Every result is normalized exactly as
``extractors.extract`` normalizes, so offsets into ``text`` are the extraction's offsets, and
``pages`` says which page each offset is on. A file that cannot be read raises
``UnreadableAttachment`` with one sentence saying why.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from extractors.normalize import normalize_text

from . import legacy as legacy_fonts

# The reading rules' own version: part of every reader identity, so text cached by an older
# layout or joining rule is read again.
READER_VERSION = "1"
# Limits (documented in README "Attachments"): bytes, pages, pages to OCR (a 300-page scan is
# five minutes of both cores: not for a nightly job), DOCX's uncompressed size and ratio.
MAX_BYTES = 50 * 1024 * 1024
MAX_PAGES = 500
MAX_OCR_PAGES = 100
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100
OCR_MODES = ("auto", "always", "never")
_CODE_START = re.compile(r"^[A-ZĐ0-9]")


class UnreadableAttachment(Exception):
    """An attachment that yields no text; ``reason`` is one sentence for a person."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class AttachmentText:
    kind: str       # "pdf" | "docx" | "doc" | "image" (from the bytes)
    method: str     # "text-layer" | "ocr" | "docx" | "doc" | "doc-raw" (no LibreOffice: raw text)
    legacy: str | None   # "tcvn3" | "vni" when converted from a legacy font
    text: str       # normalized as extractors.extract() normalizes; offsets point into it
    pages: tuple[tuple[int, int], ...]   # (start, end) of each page in text; one span if unpaged
    reader: str     # identity of the reader (library / engine + model / converter versions)

    def page_of(self, offset: int) -> int:
        """The 1-based page that ``offset`` into ``text`` is on."""
        starts = [s for s, _ in self.pages]
        return max(1, bisect.bisect_right(starts, offset))

    def to_dict(self) -> dict:
        return {"kind": self.kind, "method": self.method, "legacy": self.legacy, "text": self.text,
                "pages": [list(p) for p in self.pages], "reader": self.reader}

    @classmethod
    def from_dict(cls, d: dict) -> AttachmentText:
        return cls(d["kind"], d["method"], d.get("legacy"), d["text"],
                   tuple((int(a), int(b)) for a, b in d["pages"]), d["reader"])


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = ((b"\x89PNG\r\n\x1a\n", "image"), (b"\xff\xd8\xff", "image"), (b"II*\x00", "image"),
           (b"MM\x00*", "image"))


def detect_kind(data: bytes) -> str | None:
    """"pdf" | "docx" | "doc" | "image" from the bytes' own signature; None for anything else
    (an HTML error page served as "file.pdf", a ZIP that is not a Word file, ...)."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx" if _zip_has(data, "word/") else None
    if data.startswith(_OLE):
        return "doc" if _ole_has(data, "WordDocument") else None
    for magic, kind in _IMAGES:
        if data.startswith(magic):
            return kind
    return None


def _zip_has(data: bytes, prefix: str) -> bool:
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return any(n.startswith(prefix) for n in z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return b"word/" in data[:65536]  # a truncated DOCX still names its parts near the start


def _ole_has(data: bytes, stream: str) -> bool:
    import io

    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return ole.exists(stream)
    except (OSError, ValueError, IndexError):
        return stream.encode("utf-16-le") in data


def _not_a_document(data: bytes) -> str:
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "not a document: the bytes are an HTML page"
    if data.startswith(b"PK\x03\x04"):
        return "not a document: a ZIP archive without a Word document in it"
    if data.startswith(_OLE) and _ole_has(data, "EncryptedPackage"):
        return "password-protected Office file (an encrypted DOCX): it needs a password"
    if data.startswith(_OLE):
        return "not a document: an OLE file without a Word document stream (Excel or PowerPoint?)"
    if not data.strip():
        return "not a document: the file is empty"
    return "not a document: the bytes are not a PDF, DOCX, DOC or image"


def read_attachment(data: bytes, *, ocr: str = "auto", workers: int | None = None, timeout: float = 120,
                    cache=None) -> AttachmentText:
    """The text of one attachment. ``ocr``: "auto" (pages without a text layer), "always",
    "never"; ``workers``: OCR processes (default: the cores); ``timeout``: seconds for a
    converter or an OCR page; ``cache``: a ``TextCache`` (text kept by the bytes' hash and the reader)."""
    if ocr not in OCR_MODES:
        raise ValueError(f"ocr must be one of {OCR_MODES}, not {ocr!r}")
    if len(data) > MAX_BYTES:
        raise UnreadableAttachment(f"too large: {len(data) / 2**20:.0f} MB, the cap is {MAX_BYTES // 2**20} MB")
    kind = detect_kind(data)
    if kind is None:
        raise UnreadableAttachment(_not_a_document(data))
    if cache is not None:
        hit = cache.get(data, ocr)
        if hit is not None:
            return hit
    if kind == "pdf":
        from .pdfread import read_pdf
        result = read_pdf(data, ocr=ocr, workers=workers, timeout=timeout)
    elif kind == "image":
        from .ocr import read_image
        if ocr == "never":
            raise UnreadableAttachment("an image: its text needs OCR, and OCR is off (--ocr never)")
        result = read_image(data, timeout=timeout)
    elif kind == "docx":
        from .docxread import read_docx
        result = read_docx(data)
    else:
        from .docread import read_doc
        result = read_doc(data, timeout=timeout)
    if cache is not None:
        cache.put(data, ocr, result)
    return result


def assemble(kind: str, method: str, pages: list[tuple[str, str]], reader: str,
             legacy: str | None = None) -> AttachmentText:
    """AttachmentText from each page's raw text and how it joins the next ("", " ", "\\n").
    Legacy conversion has been done; normalization happens here, page by page, so page spans
    are exact, and the whole is normalized text (normalize_text(text) == text)."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    joiner = ""
    for raw_text, tail in pages:
        page = normalize_text(raw_text)
        if joiner == "\u0000":  # the previous page ended inside a number: "" if this goes on with it
            joiner = "" if _CODE_START.match(page) else "\n"
        if parts and page:
            parts.append(joiner)
            pos += len(joiner)
        spans.append((pos, pos + len(page)))
        parts.append(page)
        pos += len(page)
        if page:
            joiner = tail if tail in ("", " ", "\n", "\u0000") else "\n"
    text = "".join(parts)
    if normalize_text(text) != text:  # a join made something normalization would change (rare)
        text = normalize_text(text)
        spans = _respan(spans, len(text))
    if not text.strip():
        raise UnreadableAttachment(f"no text: the {kind} has no readable text" +
                                   (" (a scan? OCR is off)" if method == "text-layer" else ""))
    return AttachmentText(kind, method, legacy, text, tuple(spans) or ((0, len(text)),), reader)


def _respan(spans: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    out = [(min(s, length), min(e, length)) for s, e in spans]
    if out:
        out[-1] = (out[-1][0], length)
    return out


def convert_legacy(text: str) -> tuple[str, str | None]:
    """``text`` converted when its characters say it was typed in TCVN3 or VNI."""
    encoding = legacy_fonts.detect(text)
    return (legacy_fonts.decode(text, encoding), encoding) if encoding else (text, None)


def reader_identity(kind: str, method: str) -> str | None:
    """The ``reader`` a fresh read of (kind, method) would record now; None if that reader is
    not available here."""
    try:
        if kind == "pdf":
            from .pdfread import text_layer_reader
            base = text_layer_reader()
            if method == "ocr":
                from . import ocr
                return base + "; " + ocr.identity()
            return base
        if kind == "image":
            from . import ocr
            return f"notices-readers {READER_VERSION}; {ocr.identity()}"
        if kind == "docx":
            from .docxread import reader
            return reader()
        if kind == "doc":
            from .docread import reader
            return reader(method)
    except Exception:  # an engine that does not run here: keep what was read before
        return None
    return None
