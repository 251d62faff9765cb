"""The fast path of ``parse_article``: the same reading of an article page, on an lxml tree.

Why: building a BeautifulSoup tree and matching soupsieve selectors is most of the time it takes
to parse an article page (about 3.4 ms of 3.9), and a rebuild parses every archived page. lxml
builds the same tree (BeautifulSoup's "lxml" builder drives the very same libxml2 parser) in a
twentieth of the time, and cssselect compiles each selector to XPath once.

Only the common case is answered here: the profile's selectors find a title, a body with text and
a publication date. For anything else (a selector cssselect cannot translate, a missing part, a
page that needs the generic fallbacks) ``read_article`` returns None and ``parse.py`` takes the
BeautifulSoup path, which stays the reference: tests/test_fastparse.py checks that both give the
same notice for every page the tests serve and for synthetic pages of every shape.
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector

from .htmltext import _ASCII_WS, _BLOCK, _CELL, _CELL_BREAK, _LINE, _LINE_BREAK, _PARA_BREAK, _SKIP, render_tokens
from .profile import SiteProfile
from .urls import absolute

# As BeautifulSoup's lxml builder configures libxml2: recover from broken markup.
_PARSER = lxml.html.HTMLParser(recover=True)
# Markup whose handling by the two tree builders was not shown to agree: the slow path reads it.
_UNUSUAL = re.compile(r"<!\[CDATA\[|^\s*<\?xml", re.IGNORECASE)

Article = tuple[str, date, str, "str | None", list[str]]  # title, published, body text, category, attachments


class _Unsupported(Exception):
    """A selector cssselect cannot translate (soupsieve extensions): take the slow path."""


@lru_cache(maxsize=256)
def _selector(css: str) -> CSSSelector:
    try:
        return CSSSelector(css, translator="html")
    except Exception as e:  # SelectorSyntaxError, ExpressionError: soupsieve-only syntax
        raise _Unsupported(css) from e


def _select_all(root: etree._Element, css: str) -> list[etree._Element]:
    return _selector(css)(root)


def _select_first(root: etree._Element, group: str) -> etree._Element | None:
    """``htmltext.select_first``: each selector of the group in the order written, the first
    element (document order) with text."""
    for css in (s.strip() for s in group.split(",")):
        if css:
            for el in _select_all(root, css):
                if inline_text(el):
                    return el
    return None


def _tokens(root: etree._Element) -> list[object]:
    """``htmltext._tokens`` on an lxml tree: element text, children, then each child's tail
    (which BeautifulSoup keeps as the next sibling string). Iterative, like the original."""
    out: list[object] = []
    stack: list[tuple[etree._Element | str | object, bool]] = [(root, True)]
    while stack:
        item, is_root = stack.pop()
        if not isinstance(item, etree._Element):
            out.append(item)  # a tail string or a closing mark, pushed in order
            continue
        if not isinstance(item.tag, str):  # comment, processing instruction: no text of its own
            continue
        name = item.tag
        if name in _SKIP and not is_root:
            continue
        if name == "br":
            out.append(_LINE_BREAK)
            continue
        mark = _PARA_BREAK if name in _BLOCK else _LINE_BREAK if name in _LINE else None
        if name in _CELL:
            out.append(_CELL_BREAK)
        if mark is not None:
            out.append(mark)
        if item.text:
            out.append(_ASCII_WS.sub(" ", item.text))
        later: list[tuple[object, bool]] = []
        for child in item:
            later.append((child, False))
            if child.tail:
                later.append((_ASCII_WS.sub(" ", child.tail), False))
        if mark is not None:
            later.append((mark, False))
        stack.extend(reversed(later))
    return out


def element_text(root: etree._Element | None) -> str:
    return render_tokens(_tokens(root)) if root is not None else ""


def inline_text(el: etree._Element | None) -> str:
    return " ".join(element_text(el).split()) if el is not None else ""


def read_article(html: str, url: str, profile: SiteProfile) -> Article | None:
    """(title, published, body text, category, attachments) as ``parse._read_article`` reads
    them before its final clean-up, or None when the slow path must decide."""
    if _UNUSUAL.search(html[:200]) or "<![CDATA[" in html:
        return None
    try:
        root = lxml.html.document_fromstring(html, parser=_PARSER)
        return _read(root, url, profile)
    except (_Unsupported, etree.LxmlError, ValueError):
        return None


def _read(root: etree._Element, url: str, profile: SiteProfile) -> Article | None:
    from .parse import category_label

    sel = profile.selectors
    title = inline_text(_select_first(root, sel.title))
    date_el = _select_first(root, sel.published)
    published = profile.find_date(inline_text(date_el)) if date_el is not None else None
    body = _select_first(root, sel.body)
    if not title or published is None or body is None:
        return None
    category_el = _select_first(root, sel.category)
    category = category_label(inline_text(category_el)) if category_el is not None else None
    anchors = _select_all(root, sel.attachments)
    anchors += [a for a in body.iterdescendants("a") if a.get("href") is not None
                and profile.is_attachment(absolute(a.get("href"), url) or "")]
    found = (absolute(a.get("href", ""), url) for a in anchors)
    attachments = list(dict.fromkeys(u for u in found if u))
    for excluded in _select_all(body, sel.body_exclude):
        if excluded is not body:  # soupsieve's select looks below the element only
            excluded.drop_tree()  # keeps its tail, as decompose() keeps the next string
    text = element_text(body)
    return (title, published, text, category, attachments) if text else None
