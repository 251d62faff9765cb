"""Pages -> records, without HTTP: the home menu, category listings, article pages, the register.

Each parser asks the site profile first (selectors, URL patterns) and falls back to generic rules
when the markup is not what the profile expects: links are recognised by their URL pattern, the
body by the largest text block, the title by the nearest heading or ``<title>``, the date by a
publication label ("Ngày đăng", "Cập nhật").
"""
from __future__ import annotations

import hashlib
import unicodedata
from datetime import date
from typing import Mapping
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from . import fastparse
from .htmltext import (ParseError, decode_html, element_text, inline_text, main_content, select_first,
                       soup_of, starts_with_marker, strip_boilerplate)
from .models import ArticleLink, ListingPage, ListingRef, Notice, RegisterEntry, RegisterPage
from .profile import SiteProfile, load_profile
from .urls import absolute, same_host, site_of

__all__ = ["ParseError", "decode_html", "parse_home", "parse_listing", "parse_article", "parse_register",
           "body_text_from_html", "content_hash"]


def content_hash(title: str, body: str) -> str:
    """What "changed" means for a notice: its normalized title and body, not the page chrome."""
    text = unicodedata.normalize("NFC", title) + "\n\n" + unicodedata.normalize("NFC", body)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _html(page: bytes | str, headers: Mapping[str, str] | None = None) -> str:
    return decode_html(page, headers)


# --- home ---------------------------------------------------------------------------------

def parse_home(html: bytes | str, base_url: str, profile: SiteProfile) -> list[ListingRef]:
    """The category listings (and the register) the home page links to, menu links first."""
    soup = soup_of(_html(html))
    anchors = soup.select(profile.selectors.menu) + soup.find_all("a", href=True)
    refs: dict[str, ListingRef] = {}
    for a in anchors:
        url = absolute(a.get("href", ""), base_url)
        if url is None or not same_host(url, base_url):
            continue
        name = inline_text(a) or a.get("title", "")
        category_id = profile.match_listing(url)
        if category_id is not None:
            ref = ListingRef(profile.page_url(url, 1), name, "listing", category_id)
        elif profile.is_register(url):
            ref = ListingRef(profile.page_url(url, 1), name, "register")
        else:
            continue
        known = refs.setdefault(ref.url, ref)
        if not known.name and name:
            known.name = name
    return list(refs.values())


# --- listings and pagination ----------------------------------------------------------------

def parse_listing(html: bytes | str, url: str, profile: SiteProfile) -> ListingPage:
    """Article links (found by URL pattern inside the listing block, or the cleaned page when the
    block's selector finds nothing) and the pagination the page offers."""
    soup = soup_of(_html(html))
    scope = select_first(soup, profile.selectors.listing_scope)
    if scope is None or not _article_anchors(scope, url, profile):
        scope = strip_boilerplate(soup_of(_html(html)), profile)
    links: dict[str, ArticleLink] = {}
    for a, link_url, (category_id, article_id) in _article_anchors(scope, url, profile):
        link = links.setdefault(article_id, ArticleLink(link_url, article_id, category_id))
        text = inline_text(a) or a.get("title", "").strip()
        if text and len(text) > len(link.title or ""):
            link.title = text  # the image link and the title link share a URL; keep the words
        if link.published is None:
            link.published = _date_near(a, article_id, url, profile)
    pages, next_url = _pagination(soup, url, profile)
    return ListingPage(url, profile.match_listing(url), profile.page_number(url), list(links.values()),
                       pages, next_url)


def _article_anchors(scope: Tag, page_url: str, profile: SiteProfile) -> list[tuple[Tag, str, tuple[str, str]]]:
    found = []
    for a in scope.find_all("a", href=True):
        url = absolute(a["href"], page_url)
        if url is None or not same_host(url, page_url):
            continue
        match = profile.match_article(url)
        if match:
            found.append((a, url, match))
    return found


def _date_near(a: Tag, article_id: str, page_url: str, profile: SiteProfile) -> date | None:
    """The date shown with a listed article: in its listing item (profile selector), else in the
    smallest ancestor that links to no other article."""
    item = a.css.closest(profile.selectors.listing_item)
    if item is not None and {m[1] for _, _, m in _article_anchors(item, page_url, profile)} == {article_id}:
        found = profile.find_date(inline_text(item))
        if found:
            return found
    el = a.parent
    for _ in range(3):
        if el is None or el.name in ("body", "html"):
            return None
        ids = {m[1] for _, _, m in _article_anchors(el, page_url, profile)}
        if ids - {article_id}:
            return None
        found = profile.find_date(inline_text(el))
        if found:
            return found
        el = el.parent
    return None


def _pagination(soup: BeautifulSoup, url: str, profile: SiteProfile) -> tuple[list[str], str | None]:
    """Links to other pages of the same listing (same path, a page number), and the "next" one:
    in the pagination widget (profile selector), else anywhere on the page, always by URL."""
    current = profile.page_number(url)
    this_listing = profile.page_url(url, 1)
    pages: dict[int, str] = {}
    next_url = None
    for a in soup.select(profile.selectors.pagination) or soup.find_all("a", href=True):
        target = absolute(a["href"], url)
        if target is None or profile.page_url(target, 1) != this_listing:
            continue
        number = profile.page_number(target)
        if number == current:
            continue
        pages.setdefault(number, profile.page_url(target, number))
        label = inline_text(a)
        if number > current and (label in profile.next_labels or a.get("title", "").strip() in profile.next_labels):
            next_url = pages[number]
    if next_url is None and current + 1 in pages:
        next_url = pages[current + 1]
    return [pages[n] for n in sorted(pages)], next_url


# --- articles -------------------------------------------------------------------------------

def parse_article(body: bytes | str, url: str, profile: SiteProfile,
                  headers: Mapping[str, str] | None = None) -> Notice:
    """One article page -> Notice. Raises ParseError when no title or no body can be found."""
    match = profile.match_article(url)
    if match is None:
        raise ParseError(f"not an article URL for profile {profile.name!r}: {url}")
    category_id, article_id = match
    html = _html(body, headers)
    read, generic = _read_article_from(html, url, profile)
    title, published, text, category, attachments = read
    return Notice(site=site_of(url), article_id=article_id, url=url, title=title, published=published,
                  category=category, body=text, content_hash=content_hash(title, text),
                  category_id=category_id, attachments=attachments, generic=generic)


def notice_text(title: str | None, body: str) -> str:
    """The text the extractor reads: the title as its first line, as in the gold corpus (a title
    often names the directive: "Sơ kết ... Nghị quyết số 57-NQ/TW"), then the body."""
    return f"{title}\n\n{body}" if title else body


def body_text_from_html(html: bytes | str, profile: SiteProfile | None = None, url: str = "http://localhost/",
                        headers: Mapping[str, str] | None = None) -> tuple[str, date | None, str]:
    """(title, published, body) of any detail page, for ``notices extract``."""
    title, published, text, _, _ = _read_article(_html(html, headers), url, profile or load_profile())
    return title, published, text


def _read_article(html: str, url: str, profile: SiteProfile) -> tuple[str, date | None, str, str | None, list[str]]:
    return _read_article_from(html, url, profile)[0]


ARTICLE_FIELDS = ("title", "published", "body")  # what an article page must give the profile


def _read_article_from(html: str, url: str, profile: SiteProfile) -> tuple[
        tuple[str, date | None, str, str | None, list[str]], tuple[str, ...]]:
    """The article, and which of its fields the profile's selectors missed (the generic
    fallback read them). The fast path only succeeds when the selectors found them all."""
    fast = fastparse.read_article(html, url, profile)  # the same reading on lxml, when it can
    if fast is not None:
        title, published, text, category, attachments = fast
        text = _drop_heading_lines(text, title, profile)
        if text:
            return (title, published, text, category, attachments), ()
    read = read_article_soup(html, url, profile)
    return read, selector_misses(soup_of(html), profile)


def selector_misses(soup: BeautifulSoup, profile: SiteProfile) -> tuple[str, ...]:
    """The article fields whose profile selector finds nothing on this page."""
    sel = profile.selectors
    groups = {"title": sel.title, "published": sel.published, "body": sel.body}
    return tuple(f for f in ARTICLE_FIELDS if select_first(soup, groups[f]) is None)


def read_article_soup(html: str, url: str, profile: SiteProfile) -> tuple[str, date | None, str, str | None, list[str]]:
    """The reference reading of an article page, on BeautifulSoup, with every fallback."""
    sel = profile.selectors
    soup = soup_of(html)
    title = inline_text(select_first(soup, sel.title))
    date_el = select_first(soup, sel.published)
    published = profile.find_date(inline_text(date_el)) if date_el is not None else None
    category = _category(soup, profile)
    body_el = select_first(soup, sel.body)
    attachments = _attachments(soup, body_el, url, profile)
    text = ""
    if body_el is not None:
        for excluded in body_el.select(sel.body_exclude):
            excluded.decompose()
        text = element_text(body_el)
    if not text or not title:
        clean = strip_boilerplate(soup_of(html), profile)
        main = main_content(clean)
        if not text:
            text = element_text(main)
        if not title:
            title = _fallback_title(clean, main, soup, profile)
    if published is None:
        published = profile.find_labelled_date(element_text(soup.body or soup))
    text = _drop_heading_lines(text, title, profile)
    if not title:
        raise ParseError("no title found (no title selector, heading or usable <title>)")
    if not text:
        raise ParseError("no body text found")
    return title, published, text, category, attachments


def _category(soup: BeautifulSoup, profile: SiteProfile) -> str | None:
    el = select_first(soup, profile.selectors.category)
    return category_label(inline_text(el)) if el is not None else None


def category_label(text: str) -> str | None:
    """"Tin tức - Sự kiện: Cải cách hành chính" / "Trang chủ > Tin tức > Thông báo": the last part."""
    for sep in (":", "»", "›", ">"):
        text = text.rsplit(sep, 1)[-1]
    return text.strip() or None


def _attachments(soup: BeautifulSoup, body_el: Tag | None, url: str, profile: SiteProfile) -> list[str]:
    anchors = soup.select(profile.selectors.attachments)
    if body_el is not None:
        anchors += [a for a in body_el.find_all("a", href=True)
                    if urlsplit(a["href"]).path.lower().endswith(profile.attachment_extensions)]
    found = (absolute(a.get("href", ""), url) for a in anchors)
    return list(dict.fromkeys(u for u in found if u))


def _fallback_title(clean: BeautifulSoup, main: Tag | None, soup: BeautifulSoup, profile: SiteProfile) -> str:
    """A heading inside the main block, else the nearest one before it, else any <h1>-<h3>,
    else ``<title>`` without its " - Sở ..." suffix; never a page-type name ("Chi tiết tin")."""
    levels = ["h1", "h2", "h3"]
    candidates: list[Tag] = []
    if main is not None:
        candidates += main.find_all(levels) + main.find_all_previous(levels)
    for level in levels:
        candidates += clean.find_all(level)
    page_title = inline_text(soup.title) if soup.title is not None else ""
    suffix = profile.title_suffix_re.search(page_title)
    # A heading that repeats the site name of <title> ("SỞ KHOA HỌC VÀ CÔNG NGHỆ") is the banner.
    site_name = suffix.group(0).casefold() if suffix else ""
    texts = [t for t in (inline_text(h) for h in candidates) if t.casefold() not in site_name]
    texts.append(profile.title_suffix_re.sub("", page_title))
    for text in texts:
        if text and text.casefold() not in profile.generic_titles \
                and not starts_with_marker(text, profile.boilerplate_markers):
            return text
    return ""


def _drop_heading_lines(text: str, title: str, profile: SiteProfile) -> str:
    """Drop the title and a "Ngày đăng: ..." line when a generic body block starts with them."""
    paragraphs = text.split("\n\n")
    while paragraphs:
        head = paragraphs[0]
        if head == title or (len(head) < 100 and profile.find_labelled_date(head)):
            paragraphs.pop(0)
        else:
            break
    return "\n\n".join(paragraphs)


# --- the register ---------------------------------------------------------------------------

def parse_register(html: bytes | str, url: str, profile: SiteProfile) -> RegisterPage:
    """Rows of the register of directives, by cell selectors or, failing that, by the words in
    the table header ("Số/Ký hiệu", "Ngày ban hành"...), and the register's pagination."""
    soup = soup_of(_html(html))
    sel = profile.selectors
    site = site_of(url)
    entries = []
    for row in _register_rows(soup, profile):
        cells = row.find_all("td")
        columns = _column_map(row.find_parent("table"), profile)

        def cell(selector: str, field: str) -> Tag | None:
            found = row.select_one(selector)
            index = columns.get(field)
            return found if found is not None else cells[index] if index is not None and index < len(cells) else None

        number_el = cell(sel.register_number, "number")
        number = inline_text(number_el).removeprefix("Số:").strip()
        if not number:
            continue
        detail = _first_link(number_el, url) or _first_link(cell(sel.register_summary, "summary"), url)
        file_el = cell(sel.register_file, "file")
        entries.append(RegisterEntry(
            site=site, number=number,
            issued=profile.find_date(inline_text(cell(sel.register_issued, "issued"))),
            doc_type=inline_text(cell(sel.register_type, "doc_type")) or None,
            summary=inline_text(cell(sel.register_summary, "summary")) or None,
            file_url=_first_link(file_el, url, any_href=True) if file_el is not None else None,
            detail_url=detail,
            register_id=profile.match_register_detail(detail) if detail else None,
        ))
    pages, next_url = _pagination(soup, url, profile)
    return RegisterPage(url, profile.page_number(url), entries, pages, next_url)


def _register_rows(soup: BeautifulSoup, profile: SiteProfile) -> list[Tag]:
    rows = soup.select(profile.selectors.register_row)
    if rows:
        return rows
    for table in soup.find_all("table"):
        if "number" in _column_map(table, profile):
            return [tr for tr in table.find_all("tr") if tr.find("td")]
    return []


def _column_map(table: Tag | None, profile: SiteProfile) -> dict[str, int]:
    """Column index of each register field, from header-cell words."""
    if table is None:
        return {}
    header = table.find("tr")
    heads = [inline_text(th).casefold() for th in header.find_all("th")] if header else []
    columns: dict[str, int] = {}
    for field, words in profile.register_columns.items():
        for index, head in enumerate(heads):
            if any(w in head for w in words) and index not in columns.values():
                columns[field] = index
                break
    return columns


def _first_link(el: Tag | None, url: str, any_href: bool = False) -> str | None:
    if el is None:
        return None
    a = el if el.name == "a" else el.find("a", href=True)
    href = absolute(a.get("href", ""), url) if a is not None else None
    return href if href and (any_href or same_host(href, url)) else None
