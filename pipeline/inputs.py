"""Reading one notice from a file or stdin for ``notices extract``: decide text, HTML or an
attachment (PDF, DOCX, DOC, image: by its bytes), decode, and refuse what is not a notice
(empty, binary, undecodable) with a one-line reason."""
from __future__ import annotations

import gzip
import io
import re
import sys
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

MAX_INPUT_BYTES = 50 * 1024 * 1024


class InputError(Exception):
    """A notice that cannot be read; the message is one line for the user."""


@dataclass
class RawNotice:
    data: bytes
    is_html: bool
    name: str
    attachment: str | None = None  # "pdf" | "docx" | "doc" | "image": read by pipeline.attach


def read_input(path: str) -> RawNotice:
    """The bytes of ``path`` ("-" is stdin), with whether they are an HTML page."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            p = Path(path)
            if p.is_dir():
                raise InputError(f"{path}: is a directory")
            with p.open("rb") as fh:
                data = fh.read(MAX_INPUT_BYTES + 1)
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{path}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")
    if data.startswith(GZIP_MAGIC):  # an archived page (data/raw/.../*.html.gz)
        data = _gunzip(data, path)
    if not data.strip():
        raise InputError(f"{path}: empty input")
    from .attach.read import detect_kind

    kind = detect_kind(data)
    if kind is not None:
        return RawNotice(data, False, path, kind)
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    is_html = path.lower().removesuffix(".gz").endswith((".html", ".htm")) or head.startswith((b"<!doctype html", b"<html")) \
        or b"<body" in data[:65536].lower()
    if not is_html and _looks_binary(data):
        raise InputError(f"{path}: binary data, not a notice")
    return RawNotice(data, is_html, path)


GZIP_MAGIC = b"\x1f\x8b"


def _gunzip(data: bytes, path: str) -> bytes:
    """The content of a gzip file, refused past the same size cap as any input."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            inner = fh.read(MAX_INPUT_BYTES + 1)
    except (OSError, EOFError, zlib.error) as e:
        raise InputError(f"{path}: a damaged gzip file ({e})") from None
    if len(inner) > MAX_INPUT_BYTES:
        raise InputError(f"{path}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB once unpacked")
    return inner


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control > len(sample) * 0.05


def decode_text(raw: RawNotice) -> str:
    """Plain text must be UTF-8 (a BOM is fine) or UTF-16 with its BOM."""
    data = raw.data
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{raw.name}: not UTF-8 text (undecodable byte at offset {e.start})") from None
    if not text.strip():
        raise InputError(f"{raw.name}: empty input")
    return text


# A page saved as text keeps its publication line ("Ngày đăng: 22-08-2024") near the top.
_HEAD_CHARS = 3000


def published_line(text: str) -> tuple[date | None, str]:
    """The publication date of a notice saved as text, from a line that holds only a publication
    label and its date near the top, and the text without that line (it is the page's, not the
    notice's: read as a date of the notice it would be an event)."""
    from .profile import load_profile

    profile = load_profile()
    head = text[:_HEAD_CHARS]
    for line in re.finditer(r"[^\n]*", head):
        m = profile.dated_label_re.search(line[0])
        if m and not line[0][:m.start()].strip() and not line[0][m.end():].strip(" .\t"):
            found = profile.find_labelled_date(m[0])
            if found:
                return found, text[:line.start()] + text[line.end():]
    return None, text
