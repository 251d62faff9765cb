"""From bytes to readable text: charset detection, block-aware text rendering, and the generic
main-content fallback (the largest text block once menus, side blocks and footers are gone).

Pure functions over BeautifulSoup trees; ``parse.py`` uses them for each kind of page.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from typing import Iterable, Mapping

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction

from .profile import SiteProfile


class ParseError(ValueError):
    """A page that does not hold what we need (no title, no body, not HTML); one-line reason."""


# --- decoding ---------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Browsers read these labels as windows-1252 (WHATWG Encoding); so do we.
_WHATWG_ALIASES = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
                   "us-ascii": "cp1252", "ascii": "cp1252"}


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    try:
        return codecs.lookup(_WHATWG_ALIASES.get(label, label)).name
    except LookupError:
        return None


def _header(headers: Mapping[str, str] | None, name: str) -> str:
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return value
    return ""


def decode_html(body: bytes | str, headers: Mapping[str, str] | None = None) -> str:
    """The page as NFC text.

    Order: a byte-order mark (the HTML standard lets it override everything), the Content-Type
    charset, a ``<meta charset>`` / ``http-equiv`` in the first 4 KB, UTF-8, windows-1258. Each
    declared charset is tried strictly, so a header that lies (``utf-8`` over cp1258 bytes) falls
    through to the next. windows-1258 writes Vietnamese with combining tone marks, hence NFC.
    """
    if isinstance(body, str):
        text = body
    else:
        if not body or not body.strip():
            raise ParseError("empty page")
        text = None
        for bom, name in _BOMS:
            if body.startswith(bom):
                text = body[len(bom):].decode(name, errors="replace")
                break
        if text is None:
            meta = _CHARSET_RE.search(body[:4096])
            candidates = [
                _codec(m[1]) if (m := _HEADER_CHARSET_RE.search(_header(headers, "content-type"))) else None,
                _codec(meta[1].decode("ascii", "ignore")) if meta else None,
                "utf-8",
                "cp1258",
            ]
            for name in dict.fromkeys(c for c in candidates if c):
                try:
                    text = body.decode(name)
                    break
                except (UnicodeDecodeError, LookupError):
                    continue
            else:
                text = body.decode("utf-8", errors="replace")  # visible U+FFFD, never a silent drop
    if "\x00" in text[:4096]:
        raise ParseError("binary content, not an HTML page")
    return unicodedata.normalize("NFC", text)


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


# --- rendering --------------------------------------------------------------------------

_ASCII_WS = re.compile(r"[ \t\n\r\f\v]+")  # HTML white space; a no-break space is content
_SKIP = frozenset({"script", "style", "noscript", "template", "head", "title", "iframe", "object",
                   "svg", "select", "option", "button", "input", "textarea", "img"})
_BLOCK = frozenset({"p", "div", "section", "article", "main", "blockquote", "h1", "h2", "h3", "h4",
                    "h5", "h6", "ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "form",
                    "fieldset", "figure", "figcaption", "pre", "address", "center", "header",
                    "footer", "nav", "aside", "hr", "body", "html"})
_LINE = frozenset({"li", "tr", "dt", "dd", "caption"})
_CELL = frozenset({"td", "th"})
_NOT_TEXT = (Comment, CData, ProcessingInstruction, Declaration, Doctype)
_LINE_BREAK, _PARA_BREAK, _CELL_BREAK = object(), object(), object()


def _tokens(root: Tag) -> list[object]:
    """Text pieces and break markers in document order (iterative: deep broken HTML is common)."""
    out: list[object] = []
    stack: list[tuple[object, object | None]] = [(root, None)]
    while stack:
        node, closing = stack.pop()
        if closing is not None:
            out.append(closing)
            continue
        if isinstance(node, NavigableString):
            if not isinstance(node, _NOT_TEXT):
                out.append(_ASCII_WS.sub(" ", str(node)))
            continue
        if not isinstance(node, Tag) or (node.name in _SKIP and node is not root):
            continue
        if node.name == "br":
            out.append(_LINE_BREAK)
            continue
        mark = _PARA_BREAK if node.name in _BLOCK else _LINE_BREAK if node.name in _LINE else None
        if node.name in _CELL:
            out.append(_CELL_BREAK)
        if mark is not None:
            out.append(mark)
            stack.append((node, mark))
        stack.extend((child, None) for child in reversed(node.contents))
    return out


def element_text(root: Tag | None) -> str:
    """Text of an element: blocks become paragraphs separated by a blank line, ``<br>`` and list
    items / table rows become line breaks, table cells are joined by " | ". Lines are stripped,
    empty ones (also those holding only no-break spaces) dropped."""
    return render_tokens(_tokens(root)) if root is not None else ""


def render_tokens(tokens: Iterable[object]) -> str:
    """Text pieces and break markers (``_tokens``, or ``fastparse``'s walk of an lxml tree) as
    paragraphs and lines: the one place that decides how an element reads as text."""
    paragraphs: list[str] = []
    lines: list[str] = []
    buf: list[str] = []

    def end_line() -> None:
        line = _ASCII_WS.sub(" ", "".join(buf)).strip()
        buf.clear()
        if line:
            lines.append(line)

    for token in tokens:
        if token is _LINE_BREAK:
            end_line()
        elif token is _PARA_BREAK:
            end_line()
            if lines:
                paragraphs.append("\n".join(lines))
                lines.clear()
        elif token is _CELL_BREAK:
            if "".join(buf).strip():
                buf.append(" | ")
        elif isinstance(token, str):
            buf.append(token)
    end_line()
    if lines:
        paragraphs.append("\n".join(lines))
    return unicodedata.normalize("NFC", "\n\n".join(paragraphs))


def inline_text(el: Tag | None) -> str:
    """Text of an element on one line (titles, table cells, link labels)."""
    return " ".join(element_text(el).split()) if el is not None else ""


def select_first(soup: Tag, group: str) -> Tag | None:
    """The first element with text found by the selectors of a comma-separated group, trying
    them in the order written (CSS itself would take document order)."""
    for selector in (s.strip() for s in group.split(",")):
        if not selector:
            continue
        # iselect stops at the first hit; select would match the whole page first (the
        # larger part of parsing an article).
        for el in soup.css.iselect(selector):
            if inline_text(el):
                return el
    return None


# --- generic main content ---------------------------------------------------------------

_CONTAINERS = _BLOCK - {"body", "html"} | _LINE | _CELL


def starts_with_marker(text: str, markers: Iterable[str]) -> bool:
    head = text.lstrip()[:120].casefold()
    return any(head.startswith(m.casefold()) for m in markers)


def strip_boilerplate(soup: BeautifulSoup, profile: SiteProfile) -> BeautifulSoup:
    """Remove menus, headers, footers, scripts and every block that opens with a boilerplate
    marker ("LỊCH CÔNG TÁC TUẦN", "Thống kê truy cập", "©", "Các tin khác"...). Mutates ``soup``."""
    for tag in soup.find_all(list(profile.strip_tags)):
        tag.decompose()
    for el in soup.find_all(list(_CONTAINERS)):
        if el.decomposed:
            continue
        if starts_with_marker(el.get_text(" ", strip=True), profile.boilerplate_markers):
            el.decompose()
    return soup


def _block_parent(node: Tag | NavigableString) -> Tag | None:
    parent = node.parent
    while parent is not None and parent.name not in _BLOCK | _LINE | _CELL:
        parent = parent.parent
    return parent


def main_content(soup: BeautifulSoup) -> Tag | None:
    """The block holding the most non-link text, readability-style: a text counts for its
    block, that block's parent (paragraphs of a container) and, at half weight, the grandparent
    (a container of ``<div>`` paragraphs). Call on a soup already passed through
    ``strip_boilerplate``."""
    scores: dict[int, float] = {}
    blocks: dict[int, Tag] = {}
    for node in soup.find_all(string=True):
        if isinstance(node, _NOT_TEXT) or node.find_parent("a") is not None:
            continue
        length = len(node.strip())
        if not length or node.parent is None or node.parent.name in _SKIP:
            continue
        block = _block_parent(node)
        for weight in (1.0, 1.0, 0.5):
            if block is None or block.name in ("body", "html"):
                break
            blocks[id(block)] = block
            scores[id(block)] = scores.get(id(block), 0.0) + weight * length
            block = _block_parent(block)
    if not scores:
        return None
    best = max(scores, key=lambda k: scores[k])  # first of equals: dicts keep document order
    return blocks[best]
