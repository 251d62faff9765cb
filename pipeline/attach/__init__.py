"""Attachments' bytes → text with offsets (PDF text layer, OCR, DOCX, DOC, legacy fonts).

Pure functions: bytes in, text out; no HTTP, no SQL. See ``read.read_attachment``.
"""
from .cache import TextCache
from .read import (MAX_BYTES, MAX_OCR_PAGES, MAX_PAGES, OCR_MODES, AttachmentText, UnreadableAttachment, detect_kind,
                   read_attachment)

__all__ = ["AttachmentText", "UnreadableAttachment", "TextCache", "detect_kind", "read_attachment",
           "MAX_BYTES", "MAX_PAGES", "MAX_OCR_PAGES", "OCR_MODES"]
