"""The crawl: home menu -> category listings -> pagination -> article pages; the register likewise.

``Crawler.run()`` yields events as they happen, so the caller (``jobs.py``) can load each notice
into the database as it arrives and a killed run loses nothing it has already reported:

- ``Discovered``: the listings found in the home menu;
- ``ListingScanned``: one listing or register page fetched and archived;
- ``ArticleFetched``: one article fetched, archived and parsed (new, changed or unchanged);
- ``RegisterRows``: the rows of one register page;
- ``Failure``: a page that could not be fetched or parsed; the crawl goes on.

Incremental rule: listings are assumed newest first, so paging a listing stops at the first page
that holds only articles known before this run (``is_known``), and known articles are not
fetched again unless ``refresh=True``. With nothing new, a run costs robots.txt plus one request
per watched listing, provided the caller passes ``known_listings`` (e.g. ``cached_listings()``
from the archived home page); without them the home page is fetched too, to discover listings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Generator, Iterable, Iterator

from .archive import Archive, validate_id
from .fetch import Fetcher, FetchError, utc_now
from .htmltext import ParseError, decode_html
from .models import (ArchivedPage, ArticleLink, FetchedPage, FetchFailure, ListingPage, ListingRef, Notice,
                     RegisterEntry, RegisterPage)
from .parse import parse_article, parse_home, parse_listing, parse_register
from .profile import SiteProfile
from .urls import same_host, site_of

DEFAULT_MAX_PAGES = 500  # per listing: a pagination loop or a runaway "next" link stops here


@dataclass
class Discovered:
    listings: list[ListingRef]
    archived: ArchivedPage


@dataclass
class ListingScanned:
    url: str
    kind: str  # "listing" | "register"
    page: int
    archived: ArchivedPage
    found: int  # articles or register rows on the page
    unknown: int  # of those, how many were not known before this run
    # (url, kind) of the pages this one commits the crawl to visit next, in order: the articles it
    # will fetch, then the next page of the walk. The job keeps them in a durable queue until they
    # are visited, so a run killed halfway leaves its frontier for the next run.
    pending: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ArticleFetched:
    notice: Notice
    archived: ArchivedPage
    changed: bool  # known before, and its content hash differs (only seen with refresh=True)
    is_new: bool  # not known before this run


@dataclass
class RegisterRows:
    url: str
    entries: list[RegisterEntry]
    archived: ArchivedPage


@dataclass
class Failure:
    failure: FetchFailure


Event = Discovered | ListingScanned | ArticleFetched | RegisterRows | Failure


def cached_listings(archive: Archive, profile: SiteProfile, base_url: str) -> list[ListingRef] | None:
    """The listings of the latest archived home page, so a nightly run need not fetch home.
    None when no home page is archived (or it no longer parses)."""
    latest = archive.latest("home", "home", site=site_of(base_url))
    if latest is None:
        return None
    try:
        return parse_home(decode_html(latest.body, latest.headers), base_url, profile) or None
    except Exception:  # noqa: BLE001 (any reason: then the home page is fetched and parsed again)
        return None


class Crawler:
    def __init__(
        self,
        fetcher: Fetcher,
        archive: Archive,
        profile: SiteProfile,
        base_url: str,
        is_known: Callable[[str, str], str | None],
        is_known_register: Callable[[str], bool] | None = None,
        *,
        known_listings: list[ListingRef] | None = None,
        retry_urls: Iterable[str] = (),
        refresh: bool = False,
        full: bool = False,
        max_pages: int = DEFAULT_MAX_PAGES,
    ) -> None:
        """``is_known(site, article_id)`` -> stored content hash or None; ``is_known_register(number)``
        -> whether a register number is stored (None: nothing is, walk every register page).
        ``refresh`` refetches the known articles the walk meets; ``full`` walks every page of
        every listing instead of stopping at the first all-known page (a backfill)."""
        self.fetcher = fetcher
        self.archive = archive
        self.profile = profile
        self.base_url = base_url
        self.site = site_of(base_url)
        self.is_known = is_known
        self.is_known_register = is_known_register or (lambda number: False)
        self.known_listings = known_listings
        self.retry_urls = list(retry_urls)
        self.refresh = refresh
        self.full = full
        self.max_pages = max_pages
        self._visited: set[str] = set()
        self._known_before: dict[str, str | None] = {}  # first is_known answer of this run
        self._fetched: set[str] = set()  # article ids fetched in this run

    def run(self) -> Iterator[Event]:
        yield from self._retry_failed()
        listings = self.known_listings
        if listings is None:
            listings = yield from self._discover()
        for ref in listings or []:
            if not same_host(ref.url, self.base_url):
                yield _failure(ref.url, "off-site listing refused", kind=ref.kind)
            elif ref.kind == "register":
                yield from self._walk(ref.url, "register")
            else:
                yield from self._walk(ref.url, "listing")

    # --- steps ---------------------------------------------------------------------------

    def _retry_failed(self) -> Iterator[Event]:
        """Pages that failed last run come first, each by what its URL says it is."""
        for url in self.retry_urls:
            if not same_host(url, self.base_url):
                yield _failure(url, "off-site URL refused")
            elif match := self.profile.match_article(url):
                yield from self._article(url, match[1])
            elif self.profile.match_listing(url):
                yield from self._walk(url, "listing")
            elif self.profile.is_register(url):
                yield from self._walk(url, "register")
            elif url.rstrip("/") != self.base_url.rstrip("/"):  # home is fetched by discovery anyway
                yield _failure(url, f"not a page the {self.profile.name!r} profile crawls")

    def _discover(self) -> Generator[Event, None, list[ListingRef] | None]:
        got = yield from self._fetch(self.base_url, "home", "home")
        if got is None:
            return None
        page, archived = got
        try:
            listings = parse_home(decode_html(page.body, page.headers), self.base_url, self.profile)
        except Exception as err:  # noqa: BLE001 (see _parse_failure)
            yield _parse_failure(self.base_url, err, page.status, "home")
            return None
        if not listings:
            yield _failure(self.base_url, "no category listings found in the home page menu", page.status, "home")
            return None
        yield Discovered(listings, archived)
        return listings

    def _walk(self, start_url: str, kind: str) -> Iterator[Event]:
        """Page through one listing (or the register) until a page holds nothing new."""
        # The form pagination links take (page 1 bare, ?cur=N), so visited URLs compare equal.
        url: str | None = self.profile.page_url(start_url, self.profile.page_number(start_url))
        offered: list[str] = []  # the pagination of the last page read, to step over a failed page
        for _ in range(self.max_pages):
            if url is None or url in self._visited:
                return
            self._visited.add(url)
            number = self.profile.page_number(url)
            page_id = f"register-p{number}" if kind == "register" else f"{self.profile.match_listing(url)}-p{number}"
            got = yield from self._fetch(url, kind, page_id)
            if got is None:
                # What the failed page held is unknown, so paging goes on with the next page
                # offered; the failed one is retried next run (retry_urls).
                url = self._next_page(number, None, offered)
                continue
            page, archived = got
            parser = parse_register if kind == "register" else parse_listing
            try:
                parsed = parser(decode_html(page.body, page.headers), url, self.profile)
            except Exception as err:  # noqa: BLE001 (see _parse_failure)
                yield _parse_failure(url, err, page.status, kind)
                return
            if isinstance(parsed, RegisterPage):
                found, to_fetch = len(parsed.entries), []
                unknown = sum(1 for entry in parsed.entries if not self.is_known_register(entry.number))
            else:
                found, unknown, to_fetch = self._plan_articles(parsed)
            # Decided before anything is yielded, so the event can name every page still to visit.
            go_on = unknown > 0 or self.full
            next_url = self._next_page(parsed.page, parsed.next_url, parsed.pages) if go_on else None
            pending = [(link.url, "article") for link in to_fetch] + ([(next_url, kind)] if next_url else [])
            yield ListingScanned(parsed.url, kind, parsed.page, archived, found, unknown, pending)
            if isinstance(parsed, RegisterPage):
                yield RegisterRows(parsed.url, parsed.entries, archived)
            for link in to_fetch:
                yield from self._article(link.url, link.article_id)
            if not go_on:
                return
            offered = parsed.pages
            url = next_url
        if url is not None and url not in self._visited:
            yield _failure(url, f"not read: the walk stops after {self.max_pages} pages", kind=kind)

    def _plan_articles(self, listing: ListingPage) -> tuple[int, int, list[ArticleLink]]:
        """(articles on the page, how many were unknown before this run, the links to fetch)."""
        links = [link for link in listing.articles if same_host(link.url, self.base_url)]
        # Ask the store about every link before yielding anything: the caller loads what we yield,
        # and a notice loaded a moment ago must still count as new for the stop rule.
        for link in links:
            if link.article_id not in self._known_before:
                self._known_before[link.article_id] = self.is_known(self.site, link.article_id)
        unknown = sum(1 for link in links if self._known_before[link.article_id] is None)
        to_fetch = [link for link in links if link.article_id not in self._fetched
                    and (self._known_before[link.article_id] is None or self.refresh)]
        return len(links), unknown, to_fetch

    def _article(self, url: str, article_id: str) -> Iterator[Event]:
        if article_id not in self._known_before:
            self._known_before[article_id] = self.is_known(self.site, article_id)
        known_hash = self._known_before[article_id]
        self._fetched.add(article_id)
        got = yield from self._fetch(url, "article", article_id)
        if got is None:
            return
        page, archived = got
        try:
            notice = parse_article(page.body, url, self.profile, page.headers)
        except Exception as err:  # noqa: BLE001 (see _parse_failure)
            # The raw page is archived already: a parser fix plus `notices reparse` recovers it.
            yield _parse_failure(url, err, page.status, "article")
            return
        notice.raw_path = archived.path
        notice.fetched_at = page.fetched_at
        yield ArticleFetched(notice, archived, changed=known_hash is not None and known_hash != notice.content_hash,
                             is_new=known_hash is None)

    def _next_page(self, current: int, next_url: str | None, pages: list[str]) -> str | None:
        if next_url and next_url not in self._visited and same_host(next_url, self.base_url):
            return next_url
        later = [(self.profile.page_number(p), p) for p in pages
                 if p not in self._visited and same_host(p, self.base_url) and self.profile.page_number(p) > current]
        return min(later)[1] if later else None

    def _fetch(self, url: str, kind: str, page_id: str) -> Generator[Event, None, tuple[FetchedPage, ArchivedPage] | None]:
        """Fetch and archive one page; on failure yield a Failure and return None."""
        try:
            validate_id(page_id)
        except ValueError as err:
            # A link the profile matches but whose id cannot name an archive folder (a 100-digit
            # "article id"): refused before it is requested, instead of failing the archive write
            # after it, which took the whole run down.
            yield _failure(url, f"refused: {err}", kind=kind)
            return None
        try:
            page = self.fetcher.get(url)
        except FetchError as err:
            yield Failure(err.to_failure(kind))
            return None
        return page, self.archive.put(page, kind, page_id)


def _parse_failure(url: str, err: Exception, status: int | None, kind: str) -> Failure:
    """A page that did not parse. Not only ParseError: whatever a parser raises on one hostile or
    broken page (a bug, a library's own exception) must cost that page, never the run."""
    reason = str(err) if isinstance(err, ParseError) else f"{type(err).__name__}: {err}"
    return _failure(url, f"parse error: {reason}"[:500], status, kind)


def _failure(url: str, reason: str, status: int | None = None, kind: str | None = None) -> Failure:
    return Failure(FetchFailure(url=url, reason=reason, status=status, kind=kind, at=utc_now()))
