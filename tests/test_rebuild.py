"""The fast rebuild (`notices reparse --workers N`, `--dask local`): the same database as the
single-process reparse, and as the nightly job that archived the pages; failures recorded,
the search index restored even after a kill, deferred settling ending where settling as you go
does."""
from __future__ import annotations

import dataclasses
import gzip
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.archive import Archive
from pipeline.cli import main
from pipeline.models import FetchedPage, RegisterEntry
from pipeline.rebuild import WINDOW_PER_WORKER, pages_in_processes
from pipeline.schema import full_text_paused
from pipeline.store import Store
from tests.db_snapshot import notice_ids, snapshot
from tests import portal_pages
from tests.portal import Fault, MockPortal
from tests.store_samples import SITE, citing_2410, seed

# Articles whose citations only settle right whatever the load order: 2410/QĐ-UBND was issued
# in 2021 and again in 2022; undated mentions must find the year their notice could mean.
EXTRA = [
    ("Thông báo triển khai quy chế sáng kiến", ["Các phòng triển khai theo Quyết định số 2410/QĐ-UBND về quy chế sáng kiến."], date(2022, 3, 1)),
    ("Kết luận giao ban quý I/2023", ["Căn cứ Quyết định số 2410/QĐ-UBND ngày 20/10/2022 của UBND tỉnh.",
                                      "1. Văn phòng Sở thực hiện Quyết định số 2410/QD-UBND trước ngày 30/6/2023."], date(2023, 4, 2)),
    ("Tin sáng kiến năm 2021", ["Quyết định số 2410/QĐ-UBND ngày 15/9/2021 ban hành quy chế sáng kiến."], date(2021, 10, 5)),
]


def cli(*args: str, code: int = 0) -> None:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, (result.output, result.exception)


@pytest.fixture(scope="module")
def archived(tmp_path_factory) -> dict[str, str]:
    """An archive and the database the nightly job built while filling it: two runs, an edited
    article (two versions), a page that never parses, the register."""
    folder = tmp_path_factory.mktemp("archived")
    paths = {"db": str(folder / "nightly.db"), "raw": str(folder / "raw")}
    with MockPortal.from_fixtures() as portal:
        for title, paragraphs, published in EXTRA:
            portal.add_article(title, paragraphs, published, "1663228888530")
        broken = portal.add_article("Trang lỗi", ["..."], date(2020, 1, 1), "1663228888101")
        portal.inject(portal.article_path(broken), Fault.raw(b"<html><body><p></p></body></html>"))
        crawl = ["--base-url", portal.base_url, "--delay", "0", "--db", paths["db"], "--raw-dir", paths["raw"], "-q"]
        cli("nightly", *crawl, code=1)  # the page that never parses: exit 1, some pages failed
        first = portal.articles["1724300000003"]
        portal.change_article(first.article_id, paragraphs=first.paragraphs + ["Văn phòng Sở báo cáo trước ngày 30/12/2024."])
        cli("nightly", *crawl, "--refresh", "--full", code=1)
    paths["reference"] = str(folder / "reparse.db")
    cli("reparse", "--db", paths["reference"], "--raw-dir", paths["raw"], "-q")
    return paths


def rows(db: str, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


@pytest.mark.parametrize("engine", [["--workers", "1"], ["--workers", "2"], ["--dask", "local"]],
                         ids=["serial", "pool", "dask"])
def test_every_engine_builds_the_database_of_the_single_process_reparse(archived, tmp_path, engine):
    db = str(tmp_path / "rebuilt.db")
    cli("reparse", "--db", db, "--raw-dir", archived["raw"], "-q", *engine)
    assert snapshot(db) == snapshot(archived["reference"])
    assert notice_ids(db) == notice_ids(archived["reference"])  # archive order kept: same ids
    assert rows(db, "select status, new, failed, register_rows from scrape_runs") == [("ok with failures", 16, 1, 6)]


def test_the_rebuild_equals_what_the_nightly_job_loaded(archived, tmp_path):
    db = str(tmp_path / "rebuilt.db")
    cli("reparse", "--db", db, "--raw-dir", archived["raw"], "-q", "--workers", "2")
    assert snapshot(db) == snapshot(archived["db"])
    versions = rows(db, "select count(*) from notice_versions v join notices n on n.id = v.notice_id"
                        " where n.article_id = '1724300000003'")
    assert versions == [(2,)]
    assert rows(db, "select reason from fetch_errors") == [("parse error: no title found (no title selector, "
                                                            "heading or usable <title>)",)]


def test_a_rebuild_over_a_loaded_database_ends_where_reparse_does(archived, tmp_path):
    slow, fast = str(tmp_path / "slow.db"), str(tmp_path / "fast.db")
    shutil.copy(archived["db"], slow)
    shutil.copy(archived["db"], fast)
    cli("reparse", "--db", slow, "--raw-dir", archived["raw"], "-q")
    cli("reparse", "--db", fast, "--raw-dir", archived["raw"], "-q", "--workers", "2")
    assert snapshot(fast) == snapshot(slow)


def test_unreadable_and_unparsable_files_are_recorded_and_the_rest_loaded(archived, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(archived["raw"], raw)
    victim = sorted(raw.glob("*/article/1724300000003/*.html.gz"))[0]  # the seed's first version
    victim.write_bytes(gzip.compress(b'{"format": 1, "url": "http://x/"}\n<html>')[:20])  # cut short
    db = str(tmp_path / "rebuilt.db")
    cli("reparse", "--db", db, "--raw-dir", str(raw), "-q", "--workers", "2")
    reasons = sorted(r for (r,) in rows(db, "select reason from fetch_errors"))
    assert len(reasons) == 2 and reasons[0].startswith("parse error: no title found")
    assert reasons[1].startswith("unreadable archive file: EOFError")
    assert rows(db, "select status, new, failed from scrape_runs") == [("ok with failures", 15, 2)]


def test_a_rebuild_waits_for_a_running_nightly(archived, tmp_path):
    from pipeline.cli import EXIT_ALREADY_RUNNING
    from pipeline.jobs import run_lock

    db = str(tmp_path / "locked.db")
    with run_lock(db):
        result = CliRunner().invoke(main, ["reparse", "--db", db, "--raw-dir", archived["raw"], "--workers", "2"])
    assert result.exit_code == EXIT_ALREADY_RUNNING and "another notices job is running" in result.output


def test_the_pool_reads_a_bounded_window_ahead_of_the_writer(archived):
    """Streaming: however long the archive, at most a window of names is handed out ahead of
    the results taken, so results never pile up when the writer is slower than the workers."""
    names = list(Archive(archived["raw"]).paths("article", latest_only=False)) * 10
    handed = 0

    def lazily():
        nonlocal handed
        for name in names:
            handed += 1
            yield name

    taken, ahead = 0, 0
    for page in pages_in_processes(lazily(), archived["raw"], "liferay", workers=2, chunk=2):
        taken += 1
        ahead = max(ahead, handed - taken)
        assert page.path == names[taken - 1]  # in order
    assert taken == len(names) and ahead <= (WINDOW_PER_WORKER * 2 + 1) * 2


def test_a_rebuild_killed_midway_leaves_a_usable_file_and_a_rerun_finishes_it(tmp_path):
    """SIGKILL after the first committed batch: the next open restores the search index, and
    running the rebuild again ends where an uninterrupted one does."""
    raw = tmp_path / "raw"
    archive, portal = Archive(raw), MockPortal.from_fixtures()
    for copy in range(50):  # 600 pages: a few batches
        for article in list(portal.articles.values())[:12]:
            twin = dataclasses.replace(article, article_id=f"{article.article_id[:-3]}{copy:03d}")
            portal.articles = {twin.article_id: twin}
            url = f"https://sokhcn.quangtri.gov.vn{portal.article_path(twin)}"
            archive.put(FetchedPage(url, url, 200, {"Content-Type": "text/html; charset=utf-8"},
                                    portal_pages.article(portal, twin).encode(), "2024-09-01T00:00:00+00:00"),
                        "article", twin.article_id)
    killed, clean = str(tmp_path / "killed.db"), str(tmp_path / "clean.db")
    command = [sys.executable, "-m", "pipeline.cli", "reparse", "--raw-dir", str(raw), "--workers", "2"]
    proc = subprocess.Popen([*command, "--db", killed], stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:
        if line.strip() == "250 pages":  # one batch committed
            proc.kill()
            break
    proc.wait()
    with Store(killed) as store:
        assert not full_text_paused(store.db)
        assert 0 < store.db["notices"].count < 600  # what was committed is there, whole
        snapshot(killed)  # and the search index matches it
    subprocess.run([*command, "--db", killed, "-q"], check=True, capture_output=True)
    subprocess.run([*command, "--db", clean, "-q"], check=True, capture_output=True)
    assert snapshot(killed) == snapshot(clean)


# --- the store's bulk mode -------------------------------------------------------------------

def test_a_paused_index_is_restored_when_the_file_is_next_opened(tmp_path):
    path = tmp_path / "notices.db"
    with Store(path) as store:
        store.pause_full_text()
        store.save_notice(*seed())  # a bulk load killed here never restores the index itself
    with Store(path) as store:
        found = store.db.execute("select count(*) from notices_fts where notices_fts match 'cai cach'").fetchone()
    assert found == (1,)
    snapshot(path)  # the integrity checks pass


def test_a_running_rebuilds_paused_index_is_left_to_it(tmp_path):
    """`notices status` during a rebuild must not rebuild the index under it (and hold the
    write lock for as long); the rebuild restores it when it ends."""
    path = tmp_path / "notices.db"
    with Store(path) as rebuilding:
        rebuilding.pause_full_text()
        with Store(path) as looking:
            assert full_text_paused(looking.db)
        rebuilding.save_notice(*seed(), settle=False)
        rebuilding.resume_full_text()
        assert not full_text_paused(rebuilding.db)
    snapshot(path)  # the integrity checks pass


def test_a_failed_write_inside_a_batch_leaves_the_rest_of_the_batch(tmp_path):
    notice, extraction = seed()
    with Store(tmp_path / "notices.db") as store:
        with store.batch():
            store.save_notice(notice, extraction)
            with pytest.raises(sqlite3.IntegrityError):  # content_hash NOT NULL: rolled back alone
                store.save_notice(dataclasses.replace(notice, article_id="x", content_hash=None), extraction)
            store.save_notice(dataclasses.replace(notice, article_id="y"), extraction)
        assert rows(str(store.path), "select article_id from notices order by id") == [("20240822-cchc",), ("y",)]
        assert rows(str(store.path), "select count(*) from citations") == [(16,)]


PUBLISHED = [date(2020, 6, 1), date(2021, 12, 1), date(2022, 6, 1), date(2023, 3, 10), None]
ISSUED = {"2021": date(2021, 9, 15), "2022": date(2022, 10, 20), None: None}
operation = st.one_of(
    st.tuples(st.just("notice"), st.sampled_from(["n1", "n2", "n3"]),
              st.tuples(st.sampled_from(PUBLISHED), st.sets(st.sampled_from(["2021", "2022"])), st.booleans())),
    st.tuples(st.just("register"), st.sampled_from(["2021", "2022", None])))


def _apply(store: Store, op: tuple, settle: bool) -> None:
    if op[0] == "notice":
        _, article, (published, years, undated) = op
        store.save_notice(*citing_2410(article, published, *sorted(years), undated=undated), settle=settle)
    else:
        store.save_register([RegisterEntry(site=SITE, number="2410/QD-UBND", issued=ISSUED[op[1]], doc_type="Quyết định",
                                           summary=f"register {op[1]}", file_url=None, detail_url=None)])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, min_size=1, max_size=8))
def test_deferred_settling_ends_where_settling_as_you_go_does(tmp_path_factory, operations):
    """Any history of saves and register rows, saved with settle=False in one batch and swept
    once, leaves the rows the normal job (one settled transaction per notice) leaves."""
    folder = tmp_path_factory.mktemp("deferred")
    with Store(folder / "normal.db") as store:
        for op in operations:
            _apply(store, op, settle=True)
    with Store(folder / "deferred.db") as store:
        store.pause_full_text()
        with store.batch():
            for op in operations:
                _apply(store, op, settle=False)
        store.resume_full_text()
        store.resolve_undated()
    assert snapshot(Path(folder / "deferred.db")) == snapshot(Path(folder / "normal.db"))
