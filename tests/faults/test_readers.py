"""Readers while the job writes: a real Datasette (``notices serve``) and a plain SQLite reader query
the database over and over while a real ``notices nightly`` loads a portal and then rewrites every
notice (``--refresh --full`` after each one changed). No reader and no job sees "database is
locked" (WAL, busy timeout, one short transaction per notice), and no reader ever sees a half-written
notice (a citation, task or date whose notice is not there)."""
from __future__ import annotations

import json
import sqlite3
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from pipeline.store import Store
from tests.faults.support import FIGURES, datasette, job_args, run_job
from tests.portal import MockPortal

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


def grow(portal: MockPortal, copies: int) -> None:
    """More notices, so the job writes for a while: copies of the mirror's notices under new ids."""
    originals = list(portal.articles.values())
    for n in range(copies):
        a = originals[n % len(originals)]
        portal.add_article(f"{a.title} ({n + 2})", a.paragraphs, a.published, a.category_id, str(1900000000000 + n))


def test_readers_and_the_job_never_see_a_locked_database(mirror, paths):
    grow(mirror, 12)
    Store(paths.db).close()  # the schema, so Datasette starts on the file the job will write
    with datasette(paths.db, paths.out) as base:
        readers = Readers(base, str(paths.db))
        threads = [threading.Thread(target=readers.http, args=(i,)) for i in range(2)]
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
            ("ok", len(mirror.articles), 0), ("ok", 0, len(mirror.articles))]
