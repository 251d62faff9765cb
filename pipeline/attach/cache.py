"""The text of an attachment, kept on disk by the hash of its bytes and the reader that made it.

OCR is about a second a page and LibreOffice a second a file; an extractor upgrade re-extracts
from this cache and pays neither again. An entry is used only while its reader is still the
reader that would read it now (pdfium version, Tesseract version and model hash, LibreOffice
version, our own reading rules): upgrade one and its entries are read again, the others not.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from .read import AttachmentText


class TextCache:
    """A folder of JSON files ``<sha256[:2]>/<sha256>.<ocr mode>.json`` (path given by the caller,
    e.g. data/cache/text/). Safe for several processes: entries are written whole and renamed."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.hits = 0
        self.misses = 0
        self._current: dict[tuple[str, str], str | None] = {}

    def _path(self, data: bytes, ocr: str) -> Path:
        digest = hashlib.sha256(data).hexdigest()
        return self.root / digest[:2] / f"{digest}.{ocr}.json"

    def get(self, data: bytes, ocr: str = "auto") -> AttachmentText | None:
        path = self._path(data, ocr)
        try:
            entry = AttachmentText.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        current = self.current_reader(entry.kind, entry.method)
        if current is not None and current != entry.reader:
            self.misses += 1
            return None
        self.hits += 1
        return entry

    def put(self, data: bytes, ocr: str, text: AttachmentText) -> None:
        path = self._path(data, ocr)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(text.to_dict(), fh, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def current_reader(self, kind: str, method: str) -> str | None:
        """The identity the reader of (kind, method) has now; None where it cannot be told
        (the engine is gone): the text read before is then still the best there is."""
        key = (kind, method)
        if key not in self._current:
            from .read import reader_identity
            self._current[key] = reader_identity(kind, method)
        return self._current[key]
