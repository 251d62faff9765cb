"""A bad night, then a quiet one: the nightly job against a mirror of unseen notices that answers
with every fault a small government server has, then one clean rerun. Nothing is lost, every
failure is recorded with its reason and cleared when the page comes through, and no request
leaves the portal's host.

The job runs in this process (through the CLI) so that a Python audit hook can see every socket it
connects: the proof that 169.254.169.254 was refused without a connection.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from click.testing import CliRunner

from pipeline.cli import main
from tests.faults.support import (FIGURES, archive_problems, expected_body, integrity_problems, lost_and_extra,
                                  natural_content)
from tests.portal import Fault, MockPortal

METADATA = "http://169.254.169.254/latest/meta-data/"
BIG = 30 * 1024 * 1024  # the limit is 10 MB
DEEP = ("<html><body>" + "<div>" * 100_000 + "Thông báo" + "</div>" * 100_000 + "</body></html>").encode()


@dataclass
class Injected:
    what: str
    path: str  # path (and query) on the portal
    faults: list[Fault]
    reason: str | None  # in fetch_errors after the bad night; None: the run's own retries got through
    lasting: bool = False  # still there on the quiet night (an encoding, a deleted article)


def bad_night(portal: MockPortal, elsewhere: MockPortal) -> list[Injected]:
    """The faults of the night, one target each. Articles come from the categories whose first
    listing page answers, so each is reached on the bad night."""
    cats = list(portal.categories)
    failing_listing = cats[1]
    odd = portal.add_article("Thông báo có mã bài viết dài", ["Nội dung."], date(2020, 1, 1), cats[0], "9" * 100)
    articles = [a for c in cats if c != failing_listing for a in portal.listing(c) if a is not odd]
    art = iter(articles)

    def article(what: str, faults: list[Fault], reason: str | None, lasting: bool = False) -> Injected:
        return Injected(what, portal.article_path(next(art)), faults, reason, lasting)

    loop = [Fault.redirect("/vong-a", times=None)]
    # By name, as a real move to another site would be (by IP it is refused as a private address).
    other_host = elsewhere.url("/").replace("127.0.0.1", "localhost")
    portal.inject("/vong-a", Fault.redirect("/vong-b", times=None))
    portal.inject("/vong-b", Fault.redirect("/vong-a", times=None))
    return [
        Injected("robots.txt: 503 once, Retry-After 1", "/robots.txt", [Fault.error(503, retry_after="1")], None),
        Injected("home: a burst of two 500s", "/", [Fault.error(500, times=2)], None),
        Injected("listing page 2: 503 once, Retry-After 0", portal.listing_path(cats[0], 2),
                 [Fault.error(503, retry_after="0")], None),
        Injected("listing page 1: 503 all night", portal.listing_path(failing_listing),
                 [Fault.error(503, times=4)], "HTTP 503 Service Unavailable; gave up on"),
        Injected("register page 2: a burst of two 500s", portal.register_path(2), [Fault.error(500, times=2)], None),
        article("stalls past the client timeout once", [Fault.stall(30)], None),
        article("stalls past the client timeout all night", [Fault.stall(30, times=4)], "timed out"),
        article("connection reset before the headers", [Fault.reset()], None),
        article("connection reset mid-body all night", [Fault.reset(mid_body=True, times=4)], "after 4 attempts"),
        article("truncated body once", [Fault.truncated()], None),
        article("429 with Retry-After 0", [Fault.error(429, retry_after="0")], None),
        article("503 asking to wait a day", [Fault.error(503, retry_after="86400")], "retry next run"),
        article("404 tonight, back tomorrow", [Fault.not_found()], "not found (deleted?)"),
        article("listed but deleted (404 for good)", [Fault.not_found()], "not found (deleted?)", lasting=True),
        article("redirect loop", loop, "redirect loop"),
        article("redirect to another host", [Fault.redirect(other_host, times=None)],
                f"refused: {other_host} is on another host (localhost)"),
        article("redirect to the metadata address", [Fault.redirect(METADATA, times=None)],
                f"refused: {METADATA} is on a private address (169.254.169.254)"),
        article("30 MB page, length declared", [Fault.oversized(BIG, times=None)],
                "bytes declared (limit 10485760)"),
        article("30 MB page, no length", [Fault.oversized(BIG, declare_length=False, times=None)],
                "page too large: more than 10485760 bytes"),
        article("windows-1258 declared only in <meta>", [Fault.encoded("cp1258")], None, lasting=True),
        article("UTF-8 with a BOM, no declaration", [Fault.encoded(bom=True)], None, lasting=True),
        article("gzip", [Fault.gzip()], None, lasting=True),
        article("a page nested 100,000 elements deep", [Fault.raw(DEEP)],
                "parse error: page nested deeper than 256 elements"),
        # An article whose id is no file name: refused without a request, and again the next night.
        Injected("an article with a 100-digit id", portal.article_path(odd), [], "refused: invalid page_id", lasting=True),
    ]


def inject(portal: MockPortal, night: list[Injected], lasting_only: bool = False) -> None:
    for item in night:
        if item.lasting or not lasting_only:
            for fault in item.faults:
                portal.inject(item.path, fault)


def nightly(portal: MockPortal, paths) -> None:  # noqa: ANN001 (the paths fixture)
    result = CliRunner().invoke(main, ["nightly", "--base-url", portal.base_url, "--delay", "0", "--db", str(paths.db),
                                       "--raw-dir", str(paths.raw), "--timeout", "0.5", "--backoff", "0.05", "-q"])
    # exit 1 when some page failed, 0 when none did (README, exit codes)
    assert result.exit_code == (0 if " 0 failed;" in result.output else 1), (result.output, result.exception)


def query(paths, sql: str) -> list[tuple]:  # noqa: ANN001
    with sqlite3.connect(paths.db) as db:
        return db.execute(sql).fetchall()


def test_a_bad_night_then_a_quiet_one_loses_nothing_and_stays_on_the_host(mirror, elsewhere, paths, connections):
    elsewhere_articles = [elsewhere.url(elsewhere.article_path(a)) for a in list(elsewhere.articles.values())[:2]]
    mirror.off_site_links = elsewhere_articles + [
        "http://169.254.169.254/chi-tiet-tin/-/view-article/1/1663228888354/1724300000999", METADATA,
        "http://10.0.0.7/chi-tiet-tin/-/view-article/1/1663228888354/1724300000998"]
    night = bad_night(mirror, elsewhere)
    inject(mirror, night)

    nightly(mirror, paths)

    failing = {mirror.url(i.path): i for i in night if i.reason}
    errors = dict(query(paths, "select url, reason from fetch_errors"))
    assert set(errors) == set(failing), "every failure recorded, nothing else"
    for url, item in failing.items():
        assert item.reason in errors[url], (item.what, errors[url])
    [(status, failed)] = query(paths, "select status, failed from scrape_runs")
    assert (status, failed) == ("ok with failures", len(failing))

    mirror.clear_faults()
    inject(mirror, night, lasting_only=True)
    nightly(mirror, paths)

    deleted = {mirror.url(i.path) for i in night if i.reason and i.lasting}  # or refused for good
    stored = {r[0]: r[1:] for r in query(paths, "select url, title, published, body from notices")}
    for article in mirror.articles.values():
        url = mirror.url(mirror.article_path(article))
        if url in deleted:
            assert url not in stored
            continue
        assert stored.get(url) == (article.title, article.published.isoformat(), expected_body(article)), url
    assert len(stored) == len(mirror.articles) - len(deleted)
    lasting = {mirror.url(i.path): i.reason for i in night if i.reason and i.lasting}
    assert {url: (reason.split(":")[0], attempts) for url, reason, attempts in query(
        paths, "select url, reason, attempts from fetch_errors")} == {
        url: (reason.split(":")[0], 2) for url, reason in lasting.items()}

    assert elsewhere.paths() == [] and mirror.count(mirror.article_path(mirror.articles["9" * 100])) == 0
    portal_address = ("127.0.0.1", int(mirror.base_url.rsplit(":", 1)[1]))
    assert connections and set(connections) == {portal_address}
    assert integrity_problems(paths.db) == []
    assert archive_problems(paths.raw) == ([], [])

    # Row for row, what one run on a good night leaves (the deleted article aside, on both sides).
    clean = type(paths)(paths.db.with_name("clean.db"), paths.raw.with_name("clean-raw"), paths.out)
    nightly(mirror, clean)
    lost, extra = lost_and_extra(natural_content(clean.db, mirror.base_url), natural_content(paths.db, mirror.base_url))
    FIGURES["fault kinds in the bad night"] = len(night)
    FIGURES["rows lost (bad night + rerun)"] += sum(lost.values())
    FIGURES["rows duplicated (bad night + rerun)"] += sum(extra.values())
    assert (lost, extra) == ({}, {})
    FIGURES["requests off the portal's host"] += len(elsewhere.paths()) + sum(
        1 for address in connections if address != portal_address)
