"""The faults the mock portal can serve (``MockPortal.inject(path, Fault...)``), and windows-1258
as it really is written. Kept apart from the server machinery in ``portal.py``."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field


@dataclass
class Fault:
    kind: str
    times: int | None = 1
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    location: str = ""
    seconds: float = 0.0
    size: int = 0
    declare_length: bool = True
    encoding: str = "utf-8"
    bom: bool = False
    body: bytes = b""

    @classmethod
    def error(cls, status: int, *, retry_after: str | None = None, times: int | None = 1) -> Fault:
        """Answer ``status`` (503, 500, 429...), optionally with a Retry-After header."""
        return cls("status", times, status=status, headers={"Retry-After": retry_after} if retry_after else {})

    @classmethod
    def truncated(cls, times: int | None = 1) -> Fault:
        """Declare the full Content-Length, send half the body, close the connection."""
        return cls("truncate", times)

    @classmethod
    def stall(cls, seconds: float, times: int | None = 1) -> Fault:
        """Send nothing for ``seconds`` (longer than the client's timeout), then the page.
        Stopping the portal ends every stall at once."""
        return cls("stall", times, seconds=seconds)

    @classmethod
    def reset(cls, mid_body: bool = False, times: int | None = 1) -> Fault:
        """Drop the connection with a TCP reset: before any byte of the response, or (``mid_body``)
        after the headers and half of the body (a full Content-Length was declared)."""
        return cls("reset", times, declare_length=mid_body)

    @classmethod
    def gzip(cls, times: int | None = None) -> Fault:
        """The page gzip-compressed, with ``Content-Encoding: gzip``."""
        return cls("gzip", times)

    @classmethod
    def redirect(cls, location: str, status: int = 302, times: int | None = None) -> Fault:
        return cls("redirect", times, status=status, location=location)

    @classmethod
    def not_found(cls, times: int | None = None) -> Fault:
        return cls("status", times, status=404)

    @classmethod
    def oversized(cls, size: int, declare_length: bool = True, times: int | None = None) -> Fault:
        """The page padded to ``size`` bytes, with or without a Content-Length header."""
        return cls("oversize", times, size=size, declare_length=declare_length)

    @classmethod
    def encoded(cls, encoding: str = "cp1258", bom: bool = False, times: int | None = None) -> Fault:
        """The page in ``encoding``, declared only in <meta> (the header says just text/html);
        with ``bom=True`` a UTF-8 page with a byte-order mark and no declaration at all."""
        return cls("encode", times, encoding=encoding, bom=bom)

    @classmethod
    def raw(cls, body: bytes, content_type: str = "text/html", status: int = 200, times: int | None = None) -> Fault:
        return cls("raw", times, status=status, body=body, headers={"Content-Type": content_type})


_SHAPE_MARKS = "\u0302\u0306\u031b"  # circumflex, breve, horn: cp1258 has â ê ô ă ơ ư precomposed


def encode_cp1258(text: str) -> bytes:
    """Vietnamese text as windows-1258 writes it: base letters (with the circumflex, breve or
    horn cp1258 has) plus combining tone marks. Python's encoder needs that decomposition done
    first, and NFD puts a dot below before a circumflex, so the marks are regrouped by kind."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        shape = "".join(m for m in marks if m in _SHAPE_MARKS)
        tones = "".join(m for m in marks if m not in _SHAPE_MARKS)
        try:
            out += (unicodedata.normalize("NFC", base + shape) + tones).encode("cp1258")
        except UnicodeEncodeError:
            out += b"?"
    return bytes(out)
