"""`notices probe URL`: one page of a portal, fetched politely, and what the site profile finds
there — which selector gave each field, where the generic fallback stepped in — so an operator
meeting a new portal (or a changed one) can adapt the profile file in minutes.

The values shown are the real parsers' (pipeline.parse); only the provenance is worked out here,
by asking each selector group which of its selectors matched.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from bs4 import BeautifulSoup

from .fetch import Fetcher
from .htmltext import ParseError, decode_html, inline_text, select_first_by, soup_of
from .parse import parse_article, parse_home, parse_listing, parse_register
from .profile import SiteProfile


@dataclass
class Finding:
    field: str
    selector: str | None  # the selector of the profile's group that found it; None: generic fallback
    value: str
    absent: bool = False  # nothing of the kind on this page (one page, no pagination): no fallback either


@dataclass
class ProbeReport:
    url: str
    status: int
    kind: str  # article | listing | register | home
    profile: str
    findings: list[Finding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def generic(self) -> list[str]:
        return [f.field for f in self.findings if f.selector is None and not f.absent]

    def render(self) -> str:
        lines = [f"{self.url} — HTTP {self.status}, read as {_KIND_NAMES[self.kind]} by profile {self.profile!r}"]
        width = max((len(f.field) for f in self.findings), default=0)
        for f in self.findings:
            how = "[not on this page]" if f.absent else f"[{f.selector}]" if f.selector else "[generic fallback]"
            lines.append(f"  {f.field:<{width}}  {how}  {f.value}")
        lines += [f"  ! {p}" for p in self.problems]
        generic = self.generic
        lines.append("  every field came from the profile's selectors" if not generic else
                     f"  the generic fallback read: {', '.join(generic)} — adapt [selectors] in the profile file")
        return "\n".join(lines) + "\n"


_KIND_NAMES = {"article": "an article page", "listing": "a category listing", "register": "the register",
               "home": "the home page (menu)"}


def page_kind(url: str, profile: SiteProfile) -> str:
    if profile.match_article(url):
        return "article"
    if profile.match_listing(url) is not None:
        return "listing"
    if profile.is_register(url):
        return "register"
    return "home"


def probe(fetcher: Fetcher, url: str, profile: SiteProfile) -> ProbeReport:
    """Fetch ``url`` (robots.txt, delay and host rules as any crawl; raises FetchError) and read it."""
    page = fetcher.get(url)
    return read_page(page.body, page.final_url, page.status, profile, page.headers)


def read_page(body: bytes, url: str, status: int, profile: SiteProfile,
              headers: dict[str, str] | None = None) -> ProbeReport:
    kind = page_kind(url, profile)
    report = ProbeReport(url, status, kind, profile.name)
    html = decode_html(body, headers)
    soup = soup_of(html)
    {"article": _article, "listing": _listing, "register": _register, "home": _home}[kind](
        report, html, soup, url, profile)
    return report


def _origin(soup: BeautifulSoup, group: str) -> str | None:
    found = select_first_by(soup, group)
    return found[0] if found else None


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _article(report: ProbeReport, html: str, soup: BeautifulSoup, url: str, profile: SiteProfile) -> None:
    sel = profile.selectors
    try:
        notice = parse_article(html, url, profile)
    except ParseError as e:
        report.problems.append(f"no notice could be read: {e}")
        return
    add = report.findings.append
    add(Finding("title", _origin(soup, sel.title), f"“{_short(notice.title)}”"))
    add(Finding("published", _origin(soup, sel.published),
                notice.published.isoformat() if notice.published else "not found"))
    add(Finding("category", _origin(soup, sel.category), f"“{notice.category}”" if notice.category else "not found"))
    body_from = _origin(soup, sel.body)
    add(Finding("body", body_from, f"{len(notice.body):,} characters: “{_short(notice.body, 50)}”"))
    listed = soup.select(sel.attachments)
    # An article without files has no attachments block: nothing the fallback had to read.
    add(Finding("attachments", sel.attachments if listed else None,
                f"{len(notice.attachments)} link(s)" + (f": {notice.attachments[0]}" if notice.attachments else ""),
                absent=not listed and not notice.attachments))
    if body_from is None and "body" in notice.generic:
        report.problems.append("the body is the page's largest text block: check that it is the notice")


def _pagination(soup: BeautifulSoup, profile: SiteProfile, pages: list[str], next_url: str | None) -> Finding:
    """Where a listing's or the register's other pages were found: the widget, a link anywhere, none."""
    pager = profile.selectors.pagination
    widget = bool(soup.select(pager))
    return Finding("pagination", pager if widget else None, f"{len(pages)} other page(s); next: {next_url or 'none'}",
                   absent=not widget and not pages)


def _listing(report: ProbeReport, html: str, soup: BeautifulSoup, url: str, profile: SiteProfile) -> None:
    listing = parse_listing(html, url, profile)
    scope = _origin(soup, profile.selectors.listing_scope)
    add = report.findings.append
    dated = sum(1 for a in listing.articles if a.published)
    add(Finding("articles", scope, f"{len(listing.articles)} article link(s) by the URL pattern, {dated} with a date"))
    if listing.articles:
        first = listing.articles[0]
        add(Finding("first", scope, f"{first.published or '????-??-??'} “{_short(first.title or '')}” {first.url}"))
    add(_pagination(soup, profile, listing.pages, listing.next_url))
    if not listing.articles:
        report.problems.append("no link matches the profile's article URL pattern ([urls] article)")


def _register(report: ProbeReport, html: str, soup: BeautifulSoup, url: str, profile: SiteProfile) -> None:
    register = parse_register(html, url, profile)
    rows = profile.selectors.register_row
    by_selector = bool(soup.select(rows))
    add = report.findings.append
    add(Finding("rows", rows if by_selector else None,
                f"{len(register.entries)} row(s)" + ("" if by_selector else " (columns found by header words)")))
    if register.entries:
        e = register.entries[0]
        add(Finding("first", rows if by_selector else None,
                    f"{e.number} · {e.doc_type or '-'} · {e.issued or '-'} · file {e.file_url or '-'}"))
    add(_pagination(soup, profile, register.pages, register.next_url))
    if not register.entries:
        report.problems.append("no register row found (neither [selectors] register_row nor a table with "
                               "a 'Số/Ký hiệu' header)")


def _home(report: ProbeReport, html: str, soup: BeautifulSoup, url: str, profile: SiteProfile) -> None:
    refs = parse_home(html, url, profile)
    menu = profile.selectors.menu
    in_menu = any(profile.match_listing(a.get("href", "")) is not None for a in soup.select(menu))
    listings = [r for r in refs if r.kind == "listing"]
    registers = [r for r in refs if r.kind == "register"]
    add = report.findings.append
    add(Finding("listings", menu if in_menu else None,
                f"{len(listings)} category listing(s)" + (f", e.g. “{listings[0].name}” {listings[0].url}"
                                                          if listings else "")))
    add(Finding("register", menu if in_menu and registers else None,
                registers[0].url if registers else "not linked"))
    if not refs:
        title = inline_text(soup.title) if soup.title is not None else ""
        report.problems.append(f"no link matches the profile's listing or register URL patterns (page “{title}”)")
