"""Datasette while the job writes, and what it shows.

Readers: a real Datasette (``notices serve``) and a plain SQLite reader query the database over and
over while a real ``notices nightly`` loads a portal and then rewrites every notice (``--refresh
--full`` after each one changed). No reader and no job sees "database is locked" (WAL, busy
timeout, one short transaction per notice), and no reader ever sees a half-written notice (a
citation, task or date whose notice is not there).

Escaping: notices whose text holds ``<script>`` and event-handler attributes are shown by Datasette
as text, escaped; a real ``<script>`` element in a page never reaches the database at all.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from datetime import date
from typing import Iterator

import pytest

from pipeline.store import Store
from tests import portal_pages as pages
from tests.faults.conftest import Paths
from tests.faults.support import FIGURES, datasette, job_args, mirror_portal, run_job
from tests.portal import Fault, MockPortal

PAGES = [  # what analysts open: search, tables with labels, canned queries, arbitrary SQL
    "/notices/notices.json?_search=cai+cach+hanh+chinh&_shape=objects",
    "/notices/citations.json?_labels=on&_size=100",
    "/notices/task_schedule.json",
    "/notices/notices_citing.json?number=97%2FKH-SKHCN",
    "/notices/unit_workload.json",
    "/notices.json?sql=" + urllib.parse.quote("select count(*) as n from notices"),
]
ORPHANS = """select (select count(*) from citations where notice_id not in (select id from notices))
                  + (select count(*) from tasks where notice_id not in (select id from notices))
                  + (select count(*) from dates where notice_id not in (select id from notices))
                  + (select count(*) from task_units where task_id not in (select id from tasks))"""


@dataclass
class Readers:
    base: str
    db: str
    stop: threading.Event = field(default_factory=threading.Event)
    queries: int = 0
    errors: list[str] = field(default_factory=list)
    counts_seen: set[int] = field(default_factory=set)  # notices counts: proof the reads overlapped the writes
    lock: threading.Lock = field(default_factory=threading.Lock)

    def tally(self, error: str | None = None, count: int | None = None) -> None:
        with self.lock:
            self.queries += 1
            if error:
                self.errors.append(error)
            if count is not None:
                self.counts_seen.add(count)

    def http(self, offset: int) -> None:
        i = offset
        while not self.stop.is_set():
            page = PAGES[i % len(PAGES)]
            i += 1
            try:
                with urllib.request.urlopen(self.base + page, timeout=30) as response:
                    body = response.read().decode("utf-8")
                count = json.loads(body)["rows"][0][0] if "sql=" in page else None
                self.tally("database is locked" if "locked" in body else None, count)
            except (OSError, ValueError) as e:  # HTTPError is an OSError: a 500 counts here
                detail = e.read().decode("utf-8", "replace")[:300] if isinstance(e, urllib.error.HTTPError) else ""
                self.tally(f"{page}: {type(e).__name__}: {e} {detail}")

    def sqlite(self) -> None:
        # Read-only, like Datasette; the default 5 s busy timeout, which a reader in WAL never needs.
        conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        try:
            while not self.stop.is_set():
                try:
                    conn.execute("begin")
                    count = conn.execute("select count(*) from notices").fetchone()[0]
                    orphans = conn.execute(ORPHANS).fetchone()[0]
                    conn.execute("select count(*) from notices_fts where notices_fts match 'doi moi'").fetchone()
                    conn.execute("commit")
                    self.tally(f"{orphans} rows of a notice not (or no longer) there" if orphans else None, count)
                except sqlite3.Error as e:
                    self.tally(f"sqlite: {e}")
                self.stop.wait(0.002)  # a busy reader, but one that leaves the job some CPU
        finally:
            conn.close()


SCRIPT_TITLE = 'Thông báo <script>alert("xss-title")</script>'
SCRIPT_TEXT = 'Nội dung <script>alert("xss-body")</script> và <img src=x onerror=alert(1)> hết.'
REAL_SCRIPT = '<script>alert("xss-real")</script><p onclick="alert(4)">Đoạn có thuộc tính sự kiện.</p>'


@dataclass
class Served:
    portal: MockPortal
    paths: Paths
    base: str  # Datasette
    scripted: str  # article id of the notice whose text holds <script>
    real_script: str  # article id of the page with a real <script> element


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The mirror with two hostile notices, and Datasette on the (empty) database the tests' jobs
    write."""
    tmp = tmp_path_factory.mktemp("served")
    paths = Paths(tmp / "db" / "notices.db", tmp / "raw", tmp / "out")
    portal = mirror_portal()
    category = next(iter(portal.categories))
    scripted = portal.add_article(SCRIPT_TITLE, [SCRIPT_TEXT], date(2024, 8, 20), category)
    real = portal.add_article("Thông báo có mã độc", ["Đoạn đầu."], date(2024, 8, 19), category)
    with portal:
        page = pages.article(portal, real).replace('<div class="news-content" id="news-content">',
                                                   '<div class="news-content" id="news-content">' + REAL_SCRIPT)
        portal.inject(portal.article_path(real), Fault.raw(page.encode(), "text/html; charset=utf-8"))
        Store(paths.db).close()  # the schema, so Datasette starts on the file the jobs will write
        with datasette(paths.db, paths.out) as base:
            yield Served(portal, paths, base, scripted.article_id, real.article_id)
        FIGURES["faults injected (responses)"] += portal.faults_served


def test_readers_and_the_job_never_see_a_locked_database(served):
    mirror, paths = served.portal, served.paths
    readers = Readers(served.base, str(paths.db))
    threads = [threading.Thread(target=readers.http, args=(0,))]
    threads.append(threading.Thread(target=readers.sqlite))
    for t in threads:
        t.start()
    try:
        first = run_job(job_args("nightly", mirror, paths.db, paths.raw), paths.out)
        for a in mirror.articles.values():  # every notice changes: the rerun rewrites them all
            mirror.change_article(a.article_id, paragraphs=a.paragraphs + ["Văn phòng Sở báo cáo trước ngày 30/12/2024."])
        second = run_job(job_args("nightly", mirror, paths.db, paths.raw, "--refresh", "--full"), paths.out)
    finally:
        readers.stop.set()
        for t in threads:
            t.join(timeout=60)

    FIGURES["reader queries while the job wrote"] += readers.queries
    FIGURES["reader errors"] += len(readers.errors)
    for job in (first, second):
        assert job.proc.returncode == 0, job.stderr
        assert "locked" not in job.stderr
        FIGURES["job errors (database is locked)"] += job.stderr.count("locked")
    assert readers.errors == []
    assert len(readers.counts_seen) >= 3, readers.counts_seen  # the reads really overlapped the writes
    with sqlite3.connect(paths.db) as db:
        assert db.execute("select status, new, changed from scrape_runs order by id").fetchall() == [
            ("ok", len(mirror.articles), 0), ("ok", 0, len(mirror.articles) - 1)]  # the raw page stays as it is


def html(base: str, path: str) -> str:
    with urllib.request.urlopen(base + path, timeout=30) as response:
        assert response.status == 200, path
        return response.read().decode("utf-8")


def test_html_in_a_notice_reaches_datasette_escaped(served):
    job = run_job(job_args("nightly", served.portal, served.paths.db, served.paths.raw), served.paths.out)
    assert job.proc.returncode == 0, job.stderr
    with sqlite3.connect(served.paths.db) as db:
        ids = dict(db.execute("select article_id, id from notices where article_id in (?, ?)",
                              [served.scripted, served.real_script]).fetchall())
        real_body = db.execute("select body from notices where id = ?", [ids[served.real_script]]).fetchone()[0]
    assert "Đoạn có thuộc tính sự kiện." in real_body and "alert" not in real_body  # the element was dropped

    pages_shown = [f"/notices/notices/{ids[served.scripted]}", "/notices/notices?_search=xss",
                   f"/notices/notices?id={ids[served.scripted]}", "/notices/notice_versions?_labels=on",
                   f"/notices/notices/{ids[served.real_script]}"]
    shown = {path: html(served.base, path) for path in pages_shown}
    for path, page in shown.items():
        FIGURES["Datasette pages checked for unescaped HTML"] += 1
        assert "<script>alert(" not in page and "<img src=x" not in page, path
    row = shown[pages_shown[0]]  # shown, as text
    assert "&lt;script&gt;alert(&#34;xss-body&#34;)&lt;/script&gt;" in row and "&lt;img src=x onerror=alert(1)&gt;" in row
