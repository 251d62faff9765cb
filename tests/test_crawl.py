"""The crawler against the mock portal: full first run, incremental second run, new and changed
articles, off-site links, failures that do not stop the run, retries of last run's failures."""
from __future__ import annotations

from typing import Iterable

import pytest

from pipeline.crawl import (ArticleFetched, Crawler, Discovered, Event, Failure, ListingScanned, RegisterRows,
                            cached_listings)
from tests.portal import SEED_ARTICLE_ID, Fault, MockPortal


class FakeStore:
    """What jobs.py does with the events, in memory: it loads each one as it arrives."""

    def __init__(self) -> None:
        self.hashes: dict[tuple[str, str], str] = {}
        self.numbers: set[str] = set()

    def is_known(self, site: str, article_id: str) -> str | None:
        return self.hashes.get((site, article_id))

    def is_known_register(self, number: str) -> bool:
        return number in self.numbers

    def consume(self, events: Iterable[Event]) -> list[Event]:
        seen = []
        for event in events:
            seen.append(event)
            if isinstance(event, ArticleFetched):
                self.hashes[(event.notice.site, event.notice.article_id)] = event.notice.content_hash
            elif isinstance(event, RegisterRows):
                self.numbers.update(entry.number for entry in event.entries)
        return seen


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
def crawl(portal, archive, profile, make_fetcher, store):
    """Run one crawl (a new fetcher per run, as a new process would) and return its events."""
    def run(cached: bool = False, **options: object) -> list[Event]:
        fetcher = make_fetcher()
        if cached:
            options["known_listings"] = cached_listings(archive, profile, portal.base_url)
        crawler = Crawler(fetcher, archive, profile, portal.base_url, store.is_known, store.is_known_register,
                          **options)
        return store.consume(crawler.run())
    return run


def of(events: list[Event], kind: type) -> list:
    return [e for e in events if isinstance(e, kind)]


def fetched_ids(events: list[Event]) -> list[str]:
    return [e.notice.article_id for e in of(events, ArticleFetched)]


def listing_page_paths(portal: MockPortal) -> list[str]:
    return [portal.listing_path(c, n) for c in portal.categories for n in range(1, portal.pages_of(c) + 1)]


def first_pages(portal: MockPortal) -> list[str]:
    return [portal.listing_path(c) for c in portal.categories] + [portal.register_path()]


def test_first_run_fetches_every_article_once(portal, archive, crawl):
    events = crawl()
    assert of(events, Failure) == []
    assert sorted(fetched_ids(events)) == sorted(portal.articles)
    assert all(e.is_new and not e.changed for e in of(events, ArticleFetched))
    paths = portal.paths()
    assert paths[:2] == ["/robots.txt", "/"]
    assert sorted(set(paths)) == sorted(paths)  # nothing asked twice
    expected = {"/robots.txt", "/", *listing_page_paths(portal), portal.register_path(1), portal.register_path(2),
                *(portal.article_path(a) for a in portal.articles.values())}
    assert set(paths) == expected
    assert [d.listings[-1].kind for d in of(events, Discovered)] == ["register"]
    # Every notice is archived and points at its raw file; the parsed text is the portal's.
    for event in of(events, ArticleFetched):
        article = portal.articles[event.notice.article_id]
        assert event.notice.body == article.body and event.notice.title == article.title
        assert archive.read(event.notice.raw_path).sha256 == event.archived.sha256
    assert {e.entries[0].number for e in of(events, RegisterRows)} == {"844/SKHCN-VP", "07/TB-SKHCN"}
    assert sum(len(e.entries) for e in of(events, RegisterRows)) == len(portal.register)


def test_second_run_with_nothing_new_asks_one_page_per_listing(portal, crawl):
    crawl()
    portal.clear_log()
    events = crawl(cached=True)  # listings from the archived home page: home is not fetched
    assert portal.paths() == ["/robots.txt", *first_pages(portal)]
    assert of(events, ArticleFetched) == [] and of(events, Failure) == []
    assert all(e.unknown == 0 for e in of(events, ListingScanned))


def test_second_run_without_cached_listings_also_fetches_home(portal, crawl):
    crawl()
    portal.clear_log()
    crawl()
    assert portal.paths() == ["/robots.txt", "/", *first_pages(portal)]


def test_a_new_article_on_page_one_is_fetched(portal, crawl):
    crawl()
    new = portal.add_article("Thông báo lịch tiếp công dân tháng 9/2024", ["Lịch tiếp công dân của Giám đốc Sở.",
                             "Đề nghị các phòng thực hiện.\nTrân trọng."], max(a.published for a in portal.articles.values()),
                             "1663228888354")
    portal.clear_log()
    events = crawl(cached=True)
    assert fetched_ids(events) == [new.article_id]
    assert of(events, ArticleFetched)[0].is_new
    assert of(events, ArticleFetched)[0].notice.body == "Lịch tiếp công dân của Giám đốc Sở.\n\nĐề nghị các phòng thực hiện.\nTrân trọng."
    # Page 1 held something new, so page 2 was read too; page 2 held only known ones: stop.
    cat = "1663228888354"
    assert [p for p in portal.paths() if cat in p and "view-category" in p] == [portal.listing_path(cat, 1), portal.listing_path(cat, 2)]


def test_each_listing_page_names_the_pages_it_commits_the_crawl_to(portal, crawl):
    """``pending``: what the job keeps in its durable queue until visited (a killed run's frontier)."""
    events = crawl()
    by_url = {e.url: e for e in of(events, ListingScanned)}
    cat = "1663228888354"
    first = by_url[portal.url(portal.listing_path(cat, 1))]
    expected = [(portal.url(portal.article_path(a)), "article") for a in portal.listing(cat)[:portal.per_page]]
    assert first.pending == expected + [(portal.url(portal.listing_path(cat, 2)), "listing")]
    last = by_url[portal.url(portal.listing_path(cat, portal.pages_of(cat)))]
    assert all(kind == "article" for _, kind in last.pending)  # no page after the last one
    assert by_url[portal.url(portal.register_path(1))].pending == [(portal.url(portal.register_path(2)), "register")]
    # Nothing new: nothing pending, the walk stops.
    assert all(e.pending == [] for e in of(crawl(cached=True), ListingScanned))


def test_changed_article_is_seen_with_refresh(portal, crawl):
    crawl()
    seed = portal.articles[SEED_ARTICLE_ID]
    portal.change_article(SEED_ARTICLE_ID, paragraphs=seed.paragraphs + ["7. Bổ sung: báo cáo trước ngày 30/9/2024."])
    assert fetched_ids(crawl(cached=True)) == []  # a normal run does not refetch known articles
    events = crawl(cached=True, refresh=True)
    changed = {e.notice.article_id: e.changed for e in of(events, ArticleFetched)}
    assert changed[SEED_ARTICLE_ID] is True
    assert not any(flag for aid, flag in changed.items() if aid != SEED_ARTICLE_ID)
    assert not any(e.is_new for e in of(events, ArticleFetched))


def test_full_walks_every_page_even_when_known(portal, crawl):
    crawl()
    portal.clear_log()
    crawl(cached=True, full=True)
    assert set(listing_page_paths(portal)) <= set(portal.paths())


def test_links_to_other_hosts_are_never_followed(portal, crawl, make_fetcher):
    with MockPortal.from_fixtures() as other:
        portal.off_site_links = [other.url(other.article_path(other.articles[SEED_ARTICLE_ID])),
                                 other.url(other.listing_path("1663228888101")),
                                 "http://evil.example/chi-tiet-tin/-/view-article/1/1/2"]
        events = crawl()
        assert other.paths() == []
    assert of(events, Failure) == []
    assert sorted(fetched_ids(events)) == sorted(portal.articles)


def test_a_failing_page_yields_a_failure_and_the_crawl_goes_on(portal, archive, crawl):
    gone, unparsable = portal.listing("1663228888101")[:2]
    broken = portal.listing("1663228888530")[0]
    portal.inject(portal.article_path(gone), Fault.not_found())
    portal.inject(portal.article_path(broken), Fault.error(500, times=None))
    portal.inject(portal.article_path(unparsable), Fault.raw(b"<html><body><nav>menu</nav></body></html>"))
    portal.inject(portal.listing_path("1663228888354", 2), Fault.error(503, times=None))
    events = crawl()
    failures = {f.failure.url.removeprefix(portal.base_url): f.failure for f in of(events, Failure)}
    assert failures[portal.article_path(gone)].reason == "not found (deleted?)"
    assert failures[portal.article_path(broken)].status == 500
    assert failures[portal.article_path(unparsable)].reason.startswith("parse error: no title")
    assert failures[portal.listing_path("1663228888354", 2)].kind == "listing"
    # Page 2 of that listing failed: its articles are missed this run, but page 3 (offered by
    # page 1's pagination) is still read.
    missed = {a.article_id for a in portal.listing("1663228888354")[2:4]}
    assert portal.count(portal.listing_path("1663228888354", 3)) == 1
    assert set(fetched_ids(events)) == set(portal.articles) - {gone.article_id, broken.article_id, unparsable.article_id} - missed
    # The unparsable page is archived all the same: a parser fix and a reparse recover it.
    assert archive.latest("article", unparsable.article_id) is not None


def test_last_runs_failures_are_retried_first(portal, crawl):
    victim = portal.listing("1663228888530")[0]
    portal.inject(portal.article_path(victim), Fault.error(503, times=3))  # the first run gives up
    first = crawl()
    assert [f.failure.url for f in of(first, Failure)] == [portal.url(portal.article_path(victim))]
    portal.clear_log()
    second = crawl(cached=True, retry_urls=[f.failure.url for f in of(first, Failure)])
    assert fetched_ids(second) == [victim.article_id]
    assert portal.paths()[:2] == ["/robots.txt", portal.article_path(victim)]
    assert set(first_pages(portal)) <= set(portal.paths())
    assert not any("view-article" in path for path in portal.paths()[2:])


def test_retry_urls_off_site_or_unknown_are_failures_without_requests(portal, crawl):
    events = crawl(cached=True, retry_urls=["http://evil.example/x", portal.url("/gioi-thieu")])
    assert [f.failure.reason for f in of(events, Failure)] == ["off-site URL refused",
                                                                "not a page the 'liferay' profile crawls"]
    assert "/gioi-thieu" not in portal.paths()


def test_home_failure_ends_the_run_with_a_failure(portal, crawl):
    portal.inject("/", Fault.error(503, times=None))
    events = crawl()
    assert [f.failure.kind for f in of(events, Failure)] == ["home"]
    assert of(events, ArticleFetched) == []


def test_register_is_incremental_too(portal, crawl, store):
    crawl()
    assert store.numbers == {row.number for row in portal.register}
    portal.clear_log()
    events = crawl(cached=True)
    assert portal.count(portal.register_path(2)) == 0
    assert [len(e.entries) for e in of(events, RegisterRows)] == [3]


@pytest.mark.parametrize("fault", [Fault.encoded("cp1258"), Fault.encoded(bom=True)], ids=["cp1258-meta", "utf8-bom"])
def test_articles_in_other_encodings_come_out_the_same(portal, crawl, fault):
    portal.inject(portal.article_path(portal.articles[SEED_ARTICLE_ID]), fault)
    events = crawl()
    seed = next(e for e in of(events, ArticleFetched) if e.notice.article_id == SEED_ARTICLE_ID)
    article = portal.articles[SEED_ARTICLE_ID]
    assert (seed.notice.title, seed.notice.body) == (article.title, article.body)
    raw = seed.archived.body
    assert raw.startswith(b"\xef\xbb\xbf") if fault.bom else b"windows-1258" in raw  # archived as received


def test_an_oversized_article_is_a_failure_not_a_crash(portal, make_fetcher, archive, profile, store):
    victim = portal.listing("1663228888412")[0]
    portal.inject(portal.article_path(victim), Fault.oversized(200_000, declare_length=False))
    crawler = Crawler(make_fetcher(max_bytes=100_000), archive, profile, portal.base_url, store.is_known)
    events = store.consume(crawler.run())
    assert [f.failure.reason for f in of(events, Failure)] == ["page too large: more than 100000 bytes (limit)"]
    assert len(of(events, ArticleFetched)) == len(portal.articles) - 1


def test_page_cap_stops_a_walk_and_says_where(portal, crawl):
    events = crawl(max_pages=2)
    cat = "1663228888354"  # three pages
    assert portal.count(portal.listing_path(cat, 3)) == 0
    assert [f.failure.url for f in of(events, Failure)] == [portal.url(portal.listing_path(cat, 3))]
    assert "stops after 2 pages" in of(events, Failure)[0].failure.reason
