"""From bytes to readable text: charset detection, block-aware text rendering, and the generic
main-content fallback (the largest text block once menus, side blocks and footers are gone).

Pure functions over BeautifulSoup trees; ``parse.py`` uses them for each kind of page.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
import warnings
from typing import Iterable, Mapping

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, NavigableString, Tag, XMLParsedAsHTMLWarning
from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction
from lxml import etree

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


def _meta_codec(label: str) -> str | None:
    """A charset named in ``<meta>``. UTF-16 there means UTF-8 (WHATWG prescan): the page could
    not have been read as ASCII to find the tag otherwise, and decoding UTF-8 bytes as UTF-16
    rarely fails, so a lying tag would turn the whole page into CJK noise."""
    name = _codec(label)
    return "utf-8" if name and name.startswith("utf-16") else name


def _header(headers: Mapping[str, str] | None, name: str) -> str:
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return value
    return ""


def decode_html(body: bytes | str, headers: Mapping[str, str] | None = None) -> str:
    """The page as NFC text.

    Order: a byte-order mark (the HTML standard lets it override everything); then bytes that
    are valid UTF-8 and not plain ASCII are UTF-8, whatever is declared (real windows-1258 or
    windows-1252 text is practically never valid UTF-8, while a template's stale ``<meta
    charset=windows-1258>`` over a CMS's UTF-8 output is common, and every single-byte codec
    "decodes" UTF-8 bytes into mojibake without an error); then the Content-Type charset, a
    ``<meta charset>`` / ``http-equiv`` in the first 4 KB, UTF-8, windows-1258. Each declared
    charset is tried strictly, so a header that lies (``utf-8`` over cp1258 bytes) falls through
    to the next. windows-1258 writes Vietnamese with combining tone marks, hence NFC.
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
        if text is None and not body.isascii():
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                pass
        if text is None:
            meta = _CHARSET_RE.search(body[:4096])
            candidates = [
                _codec(m[1]) if (m := _HEADER_CHARSET_RE.search(_header(headers, "content-type"))) else None,
                _meta_codec(meta[1].decode("ascii", "ignore")) if meta else None,
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


# Bounds on a page's tree. A notice page is 10-30 elements deep and has a few thousand; browsers
# stop nesting at 512. Past these, the tree walks below would take minutes (hostile or broken
# pages: 100,000 nested <div>, a flood of tags), so such a page is refused with its reason.
MAX_DEPTH = 256
MAX_ELEMENTS = 100_000


class _Shape:
    """An lxml parser target that only counts: refuses a tree too deep or too large before
    BeautifulSoup builds it (lxml stops parsing at the first exception a target raises)."""

    def __init__(self) -> None:
        self.depth = self.count = 0

    def start(self, tag: str, attrib: object) -> None:
        self.depth += 1
        self.count += 1
        if self.depth > MAX_DEPTH:
            raise ParseError(f"page nested deeper than {MAX_DEPTH} elements, not a notice page")
        if self.count > MAX_ELEMENTS:
            raise ParseError(f"page has more than {MAX_ELEMENTS} elements, not a notice page")

    def end(self, tag: str) -> None:
        self.depth -= 1

    def data(self, data: str) -> None:
        pass

    def close(self) -> None:
        pass


def check_shape(html: str) -> None:
    """Raise ParseError when the page's tree is deeper or larger than any notice page."""
    parser = etree.HTMLParser(target=_Shape(), recover=True, no_network=True)
    parser.feed(html)
    parser.close()


def soup_of(html: str) -> BeautifulSoup:
    check_shape(html)
    with warnings.catch_warnings():
        # Everything is parsed as HTML on purpose (a page that opens with <?xml too); bs4's advice
        # would otherwise land on stderr, where `notices extract` promises one line.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
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
    found = select_first_by(soup, group)
    return found[1] if found else None


def select_first_by(soup: Tag, group: str) -> tuple[str, Tag] | None:
    """``select_first`` with the selector of the group that found the element (`notices probe`)."""
    for selector in (s.strip() for s in group.split(",")):
        if not selector:
            continue
        # iselect stops at the first hit; select would match the whole page first (the
        # larger part of parsing an article).
        for el in soup.css.iselect(selector):
            if inline_text(el):
                return selector, el
    return None


# --- generic main content ---------------------------------------------------------------

_CONTAINERS = _BLOCK - {"body", "html"} | _LINE | _CELL


_HEAD = 120  # characters of a block's text that a boilerplate marker is looked for in


def starts_with_marker(text: str, markers: Iterable[str]) -> bool:
    head = text.lstrip()[:_HEAD].casefold()
    return any(head.startswith(m.casefold()) for m in markers)


def _text_head(el: Tag) -> str:
    """How ``el.get_text(" ", strip=True)`` starts, reading no further than needed: the whole
    text of every block of a page would be quadratic in its depth."""
    parts, size = [], 0
    for piece in el.stripped_strings:
        parts.append(piece)
        size += len(piece) + 1
        if size > _HEAD:
            break
    return " ".join(parts)


def strip_boilerplate(soup: BeautifulSoup, profile: SiteProfile) -> BeautifulSoup:
    """Remove menus, headers, footers, scripts and every block that opens with a boilerplate
    marker ("LỊCH CÔNG TÁC TUẦN", "Thống kê truy cập", "©", "Các tin khác"...). Mutates ``soup``."""
    for tag in soup.find_all(list(profile.strip_tags)):
        tag.decompose()
    for el in soup.find_all(list(_CONTAINERS)):
        # Gone with an ancestor: detached. (Not ``el.decomposed``: on a live tag, bs4 answers it
        # by searching the whole subtree for a tag named "_decomposed".)
        if el.parent is None:
            continue
        if starts_with_marker(_text_head(el), profile.boilerplate_markers):
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
