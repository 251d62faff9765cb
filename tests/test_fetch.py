"""The fetcher against a real local server: retries, Retry-After, truncation, host guard, size
cap, robots.txt, politeness. Sleeps are recorded, never slept; nothing asserts on wall-clock time."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from pipeline.config import USER_AGENT
from pipeline.fetch import FetchError, parse_retry_after
from tests.portal import SEED_ARTICLE_ID, Fault, MockPortal


@pytest.fixture
def seed_path(portal: MockPortal) -> str:
    return portal.article_path(portal.articles[SEED_ARTICLE_ID])


def test_first_request_reads_robots_and_sends_user_agent(portal, make_fetcher):
    fetcher = make_fetcher()
    page = fetcher.get(portal.url("/"))
    assert page.status == 200 and b"danh-sach-tin" in page.body
    assert portal.paths() == ["/robots.txt", "/"]
    assert {seen.user_agent for seen in portal.log} == {USER_AGENT}
    assert fetcher.requests_made == 2
    assert [r.outcome for r in fetcher.log] == ["ok", "ok"]


def test_robots_is_read_once_per_host(portal, make_fetcher):
    fetcher = make_fetcher()
    for path in ("/", "/", portal.listing_path("1663228888354")):
        fetcher.get(portal.url(path))
    assert portal.count("/robots.txt") == 1
    assert fetcher.requests_made == len(portal.log) == 4


def test_503_once_is_retried_with_backoff(portal, make_fetcher, sleeps, seed_path):
    portal.inject(seed_path, Fault.error(503))
    page = make_fetcher(backoff=1.5).get(portal.url(seed_path))
    assert page.status == 200
    assert portal.count(seed_path) == 2
    assert sleeps == [1.5]


@pytest.mark.parametrize("status", [500, 502, 429])
def test_other_retryable_statuses(portal, make_fetcher, seed_path, status):
    portal.inject(seed_path, Fault.error(status))
    assert make_fetcher().get(portal.url(seed_path)).status == 200
    assert portal.count(seed_path) == 2


def test_retry_after_seconds_is_honoured(portal, make_fetcher, sleeps, seed_path):
    portal.inject(seed_path, Fault.error(503, retry_after="7"))
    make_fetcher(backoff=1.0).get(portal.url(seed_path))
    assert sleeps == [7.0]


def test_retry_after_beyond_the_cap_gives_up_for_this_run(portal, make_fetcher, sleeps, seed_path):
    portal.inject(seed_path, Fault.error(503, retry_after="86400"))
    with pytest.raises(FetchError) as err:
        make_fetcher(max_retry_after=120).get(portal.url(seed_path))
    assert "retry next run" in err.value.reason and err.value.status == 503
    assert portal.count(seed_path) == 1 and sleeps == []


NOW = datetime(2024, 8, 22, 10, 0, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("header, seconds", [
    ("120", 120.0),
    (" 5 ", 5.0),
    ("Thu, 22 Aug 2024 10:00:30 GMT", 30.0),
    ("Thu, 22 Aug 2024 09:00:00 GMT", 0.0),  # a date in the past: retry now
    ("soon", None),
    ("", None),
    (None, None),
])
def test_parse_retry_after(header, seconds):
    assert parse_retry_after(header, now=NOW) == seconds


def test_persistent_500_gives_up_with_a_clear_reason(portal, make_fetcher, seed_path):
    portal.inject(seed_path, Fault.error(500, times=None))
    with pytest.raises(FetchError) as err:
        make_fetcher(retries=2).get(portal.url(seed_path))
    assert err.value.status == 500
    assert err.value.reason == f"HTTP 500 Internal Server Error; gave up on {err.value.url} after 3 attempts"
    assert portal.count(seed_path) == 3


def test_truncated_body_once_is_refetched_whole(portal, make_fetcher, seed_path):
    whole = make_fetcher().get(portal.url(seed_path)).body
    portal.clear_log()
    portal.inject(seed_path, Fault.truncated())
    fetcher = make_fetcher()
    page = fetcher.get(portal.url(seed_path))
    assert page.body == whole
    assert portal.count(seed_path) == 2
    assert fetcher.log[-2].outcome.startswith("retry: truncated body")


def test_stalled_response_times_out_and_is_retried(portal, make_fetcher, seed_path):
    portal.inject(seed_path, Fault.stall(1.5))
    fetcher = make_fetcher(timeout=0.3)
    assert fetcher.get(portal.url(seed_path)).status == 200
    assert portal.count(seed_path) == 2
    assert fetcher.log[-2].outcome.startswith("retry")


def test_404_has_its_own_reason_and_is_not_retried(portal, make_fetcher):
    path = "/chi-tiet-tin/-/view-article/1/1663228888354/999"
    with pytest.raises(FetchError) as err:
        make_fetcher().get(portal.url(path))
    assert (err.value.reason, err.value.status) == ("not found (deleted?)", 404)
    assert portal.count(path) == 1
    assert str(err.value) == f"{portal.url(path)}: not found (deleted?)"


def test_same_host_redirect_is_followed(portal, make_fetcher):
    portal.inject("/old", Fault.redirect("/trang-chu", status=301))
    page = make_fetcher().get(portal.url("/old"))
    assert page.url == portal.url("/old") and page.final_url == portal.url("/trang-chu")
    assert portal.paths() == ["/robots.txt", "/old", "/trang-chu"]


def test_redirect_to_another_host_is_refused_and_never_requested(portal, make_fetcher):
    with MockPortal() as other:
        # Same address, other port: another origin all the same.
        for location in (other.url("/"), f"http://localhost:{other.url('').rsplit(':', 1)[1]}/",
                         "http://evil.example/steal"):
            portal.inject("/moved", Fault.redirect(location, times=1))
            with pytest.raises(FetchError) as err:
                make_fetcher().get(portal.url("/moved"))
            assert err.value.reason.startswith(f"refused: {location}")
        assert other.paths() == []


@pytest.mark.parametrize("location", ["http://10.0.0.7/admin", "http://169.254.169.254/latest/meta-data/",
                                      "http://[::1]/x", "http://192.168.1.1:8080/"])
def test_redirect_to_a_private_address_is_refused(portal, make_fetcher, location):
    portal.inject("/moved", Fault.redirect(location))
    with pytest.raises(FetchError) as err:
        make_fetcher().get(portal.url("/moved"))
    assert "private address" in err.value.reason
    assert portal.count("/moved") == 1


def test_redirect_loop_and_long_chains_stop(portal, make_fetcher):
    portal.inject("/a", Fault.redirect("/b"))
    portal.inject("/b", Fault.redirect("/a"))
    with pytest.raises(FetchError, match="redirect loop"):
        make_fetcher().get(portal.url("/a"))
    for n in range(8):
        portal.inject(f"/r{n}", Fault.redirect(f"/r{n + 1}"))
    with pytest.raises(FetchError, match=r"too many redirects \(more than 5\)"):
        make_fetcher().get(portal.url("/r0"))
    assert portal.count("/r5") == 1 and portal.count("/r6") == 0


def test_off_site_url_is_refused_without_a_request(portal, make_fetcher):
    with pytest.raises(FetchError, match="another host"):
        make_fetcher().get("http://example.org/")
    assert portal.paths() == []


@pytest.mark.parametrize("declare_length", [True, False])
def test_oversized_page_is_refused(portal, make_fetcher, seed_path, declare_length):
    portal.inject(seed_path, Fault.oversized(300_000, declare_length=declare_length))
    with pytest.raises(FetchError) as err:
        make_fetcher(max_bytes=100_000).get(portal.url(seed_path))
    assert err.value.reason.startswith("page too large") and "100000" in err.value.reason
    assert portal.count(seed_path) == 1  # not retried: it will not get smaller


def test_robots_disallow_is_honoured(portal, make_fetcher, seed_path):
    portal.robots_txt = "User-agent: *\nDisallow: /chi-tiet-tin/\n"
    fetcher = make_fetcher()
    with pytest.raises(FetchError, match="disallowed by robots.txt"):
        fetcher.get(portal.url(seed_path))
    assert fetcher.get(portal.url("/")).status == 200
    assert portal.paths() == ["/robots.txt", "/"]


def test_robots_rules_for_our_user_agent(portal, make_fetcher):
    portal.robots_txt = "User-agent: notices\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    with pytest.raises(FetchError, match="disallowed by robots.txt"):
        make_fetcher().get(portal.url("/"))


def test_robots_crawl_delay_raises_the_delay(portal, make_fetcher, sleeps):
    portal.robots_txt = "User-agent: *\nCrawl-delay: 3\n"
    fetcher = make_fetcher(clock=lambda: 100.0)  # a frozen clock: every pause is the full delay
    fetcher.get(portal.url("/"))
    assert fetcher.delay == 3.0 and sleeps == [3.0]


def test_missing_robots_allows_everything(portal, make_fetcher):
    portal.inject("/robots.txt", Fault.not_found())
    assert make_fetcher().get(portal.url("/")).status == 200


def test_unreachable_robots_is_conservative(portal, make_fetcher):
    portal.inject("/robots.txt", Fault.error(503, times=None))
    fetcher = make_fetcher(retries=1)
    with pytest.raises(FetchError) as err:
        fetcher.get(portal.url("/"))
    assert err.value.reason.startswith("robots.txt unavailable (HTTP 503")
    assert portal.paths() == ["/robots.txt", "/robots.txt"]  # retried, then nothing else asked


def test_politeness_delay_is_measured_from_the_previous_request(portal, make_fetcher, sleeps):
    now = [0.0]  # a fake clock that only sleeping and the test move

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    fetcher = make_fetcher(delay=1.0, clock=lambda: now[0], sleep=sleep)
    fetcher.get(portal.url("/"))  # robots.txt, a full pause, then "/"
    now[0] += 0.7  # the caller spends 0.7 s on the page
    fetcher.get(portal.url("/trang-chu"))
    assert sleeps == [1.0, pytest.approx(0.3)]


def test_gzip_bodies_are_decoded(make_fetcher):
    with MockPortal.from_fixtures(gzip_bodies=True) as zipped:
        page = make_fetcher(base_url=zipped.base_url).get(zipped.url("/"))
    assert page.headers.get("Content-Encoding") == "gzip"
    assert page.body.startswith(b"<!DOCTYPE html>")
