"""The whole job through the CLI against a real local portal and a real SQLite file."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import EXIT_ALREADY_RUNNING, main
from pipeline.jobs import run_lock
from tests.portal import Fault, MockPortal


@pytest.fixture
def paths(tmp_path: Path) -> dict[str, str]:
    return {"db": str(tmp_path / "db" / "notices.db"), "raw": str(tmp_path / "raw")}


def cli(*args: str, code: int = 0) -> object:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, (result.output, result.exception)
    return result


def scrape(portal: MockPortal, paths: dict[str, str], *extra: str, command: str = "scrape", code: int = 0) -> object:
    """A run; ``code`` 1 when some page is expected to fail (README, exit codes)."""
    return cli(command, "--base-url", portal.base_url, "--delay", "0", "--db", paths["db"],
               "--raw-dir", paths["raw"], "-q", *extra, code=code)


def rows(paths: dict[str, str], sql: str) -> list[tuple]:
    with sqlite3.connect(paths["db"]) as db:
        return db.execute(sql).fetchall()


def test_first_run_loads_everything_and_second_run_only_reads_listings(portal, paths):
    scrape(portal, paths)
    stored = dict(rows(paths, "select article_id, title from notices"))
    assert stored == {a.article_id: a.title for a in portal.articles.values()}
    published = dict(rows(paths, "select article_id, published from notices"))
    assert published == {a.article_id: a.published.isoformat() for a in portal.articles.values()}
    seed = rows(paths, "select id from notices where article_id = '1724300000003'")[0][0]
    cited = {n for (n,) in rows(paths, f"select d.number from citations c join documents d on d.id = c.document_id "
                                       f"where c.notice_id = {seed}")}
    assert cited == {"97/KH-SKHCN", "1820/QĐ-UBND", "15/KH-SKHCN", "07/TB-SKHCN", "20/TB-SKHCN",
                     "844/SKHCN-VP", "75/KH-SKHCN", "2731/UBND-KGVX"}
    assert rows(paths, f"select count(*) from tasks where notice_id = {seed}") == [(6,)]
    assert rows(paths, "select in_register from documents where number = '97/KH-SKHCN'") == [(1,)]
    assert rows(paths, "select status, new from scrape_runs") == [("ok", len(portal.articles))]
    archived = list(Path(paths["raw"]).rglob("*.html.gz"))
    assert len([p for p in archived if "/article/" in str(p)]) == len(portal.articles)

    portal.clear_log()
    scrape(portal, paths)
    listings = [portal.listing_path(c) for c in portal.categories] + [portal.register_path()]
    assert sorted(portal.paths()) == sorted(["/robots.txt", *listings])
    assert rows(paths, "select new, changed from scrape_runs order by id desc limit 1") == [(0, 0)]


def test_a_new_article_is_fetched_and_a_changed_one_reversioned(portal, paths):
    scrape(portal, paths)
    first = list(portal.articles.values())[0]
    portal.change_article(first.article_id, paragraphs=first.paragraphs + ["Văn phòng Sở báo cáo trước ngày 30/12/2024."])
    added = portal.add_article("Thông báo mới", ["Kế hoạch số 101/KH-SKHCN ngày 02/12/2024."],
                               max(a.published for a in portal.articles.values()), first.category_id)
    portal.clear_log()
    scrape(portal, paths)
    assert portal.count(portal.article_path(added)) == 1
    assert rows(paths, f"select title from notices where article_id = '{added.article_id}'") == [("Thông báo mới",)]
    scrape(portal, paths, "--refresh", "--full")  # refetch every known article: the edited one is a new version
    nid = rows(paths, f"select id from notices where article_id = '{first.article_id}'")[0][0]
    assert rows(paths, f"select count(*) from notice_versions where notice_id = {nid}") == [(2,)]
    assert rows(paths, f"select count(*) from dates where notice_id = {nid} and value = '2024-12-30'") == [(1,)]
    assert rows(paths, "select changed from scrape_runs order by id desc limit 1") == [(1,)]


def test_faulty_pages_end_up_whole(portal, paths):
    a, b = list(portal.articles.values())[:2]
    portal.inject(portal.article_path(a), Fault.error(503, retry_after="1"))
    portal.inject(portal.article_path(b), Fault.truncated())
    scrape(portal, paths)
    for article in (a, b):
        body = rows(paths, f"select body from notices where article_id = '{article.article_id}'")[0][0]
        assert body.endswith(article.paragraphs[-1].strip().split("\n")[-1].strip())
    assert portal.count(portal.article_path(a)) == 2 and portal.count(portal.article_path(b)) == 2
    assert rows(paths, "select count(*) from fetch_errors") == [(0,)]


def test_a_failing_page_is_recorded_and_retried_next_run(portal, paths):
    a = list(portal.articles.values())[0]
    portal.inject(portal.article_path(a), Fault.error(500, times=10))
    scrape(portal, paths, code=1)
    assert rows(paths, "select url, status from fetch_errors") == [(portal.url(portal.article_path(a)), 500)]
    assert rows(paths, f"select count(*) from notices where article_id = '{a.article_id}'") == [(0,)]
    portal.clear_faults()
    scrape(portal, paths)
    assert rows(paths, f"select count(*) from notices where article_id = '{a.article_id}'") == [(1,)]
    assert rows(paths, "select count(*) from fetch_errors") == [(0,)]


def test_links_and_redirects_to_other_hosts_are_not_followed(portal, paths):
    with MockPortal.from_fixtures() as elsewhere:
        portal.off_site_links = [elsewhere.url(elsewhere.article_path(a)) for a in elsewhere.articles.values()]
        moved = list(portal.articles.values())[0]
        portal.inject(portal.article_path(moved), Fault.redirect(elsewhere.url("/")))
        scrape(portal, paths, code=1)
        assert elsewhere.paths() == []
        reasons = [r for (r,) in rows(paths, "select reason from fetch_errors")]
        assert len(reasons) == 1 and reasons[0].startswith("refused: " + elsewhere.url("/"))


def test_reparse_rebuilds_the_same_database_from_the_archive(portal, paths, tmp_path):
    scrape(portal, paths)
    rebuilt = {"db": str(tmp_path / "rebuilt.db"), "raw": paths["raw"]}
    cli("reparse", "--db", rebuilt["db"], "--raw-dir", rebuilt["raw"], "-q")
    for sql in ("select site, article_id, title, published, body, content_hash from notices order by article_id",
                "select number, year, doc_type, issued, in_register from documents order by number, year",
                "select count(*) from citations",
                "select n.article_id, t.ordinal, t.deadline from tasks t join notices n on n.id = t.notice_id order by 1, t.position",
                "select name from units order by name"):
        assert rows(rebuilt, sql) == rows(paths, sql), sql


def test_an_overlapping_nightly_exits_at_once(portal, paths):
    Path(paths["db"]).parent.mkdir(parents=True)
    with run_lock(paths["db"]):
        result = CliRunner().invoke(main, ["nightly", "--base-url", portal.base_url, "--delay", "0",
                                           "--db", paths["db"], "--raw-dir", paths["raw"]])
    assert result.exit_code == EXIT_ALREADY_RUNNING
    assert "another notices job is running" in result.output
    assert portal.paths() == []
    scrape(portal, paths, command="nightly")  # the lock went with its holder


def test_one_portals_failures_and_queue_are_not_another_portals(portal, paths):
    """One database, two portals: what one left to retry is not the other's to fetch or clear."""
    from pipeline.models import FetchFailure
    from pipeline.store import Store

    with MockPortal.from_fixtures() as other:
        left = other.url(other.article_path(next(iter(other.articles.values()))))
        Path(paths["db"]).parent.mkdir(parents=True)
        with Store(paths["db"]) as store:
            store.record_failure(FetchFailure(left, "HTTP 500", 500, "article"))
            store.db.execute("insert into crawl_queue (url, kind, queued_at) values (?, 'article', '2024-01-01')",
                             [left + "0"])
            store.db.conn.commit()
        scrape(portal, paths)
        assert other.paths() == []
    assert rows(paths, "select url from fetch_errors") == [(left,)]
    assert rows(paths, "select url from crawl_queue") == [(left + "0",)]
    assert rows(paths, "select failed from scrape_runs") == [(0,)]
