"""Killed at any moment: a real ``notices nightly`` process gets SIGKILL while it waits on a stalled
page, inside a notice's write transaction, inside an archive write, again and again, each run
going on from where the last one died. After every kill the database passes SQLite's checks and
the archive holds no half-written file under a final name; one clean rerun then finishes the work:
the database holds exactly what one clean run over the same portal gives (no row lost, none twice),
the queue is empty and the killed runs read "interrupted"."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.faults.support import (FIGURES, Job, archive_problems, integrity_problems, job_args, lost_and_extra,
                                  mirror_portal, natural_content, run_job, wait_for)
from tests.portal import Fault, MockPortal


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """What one clean run over the mirror leaves in a database."""
    tmp = tmp_path_factory.mktemp("reference")
    with mirror_portal() as portal:
        job = run_job(job_args("nightly", portal, tmp / "ref.db", tmp / "raw"), tmp / "out")
        assert job.proc.returncode == 0, job.stderr
        return natural_content(tmp / "ref.db", portal.base_url)


def second_page_article(portal: MockPortal) -> str:
    """An article on page 2 of the first category: when the run dies there, the articles of page 1
    are in the database and the rest of the listing is still to read."""
    category = next(iter(portal.categories))
    return portal.article_path(portal.listing(category)[portal.per_page])


def kill_at_pause(portal: MockPortal, paths, point: str, nth: int) -> None:  # noqa: ANN001
    """Start the job, let it stop at the ``nth`` pass of ``point`` (pipeline.faultpoint), kill it."""
    marker = paths.out / f"paused-{point}-{nth}"
    job = Job(job_args("nightly", portal, paths.db, paths.raw), paths.out,
              env={"NOTICES_FAULT_PAUSE": f"{point}:{nth}:{marker}"})
    wait_for(lambda: marker.exists() or job.proc.poll() is not None, f"the job to pause at {point} #{nth}")
    assert job.proc.poll() is None, f"the job ended before pausing at {point} #{nth}: {job.stderr[-2000:]}"
    job.kill()


def kill_while_stalled(portal: MockPortal, paths, path: str) -> None:  # noqa: ANN001
    """Start the job, let it wait on a page that stalls (far past the timeout), kill it."""
    portal.inject(path, Fault.stall(60))
    job = Job(job_args("nightly", portal, paths.db, paths.raw), paths.out)
    wait_for(lambda: portal.count(path) > 0 or job.proc.poll() is not None, f"the job to ask for {path}")
    assert job.proc.poll() is None, f"the job ended without asking for {path}: {job.stderr[-2000:]}"
    job.kill()
    portal.clear_faults()


def one(db: Path, sql: str) -> object:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


# The kills, in order: each run starts where the one before died. (point, where, what must hold after)
KILLS = [
    ("stall", "an article on page 2", "page 1 is loaded and the article waits in the queue"),
    ("save_notice", 2, "the notice being written is not there at all: its transaction never committed"),
    ("archive", 6, "a temporary file is left, whole, under a hidden name; no final name is half-written"),
    ("save_notice", 4, "as above"),
    ("stall", "register page 2", "the register is read last: the articles are all loaded"),
]


def test_killed_five_times_at_five_points_then_finished(mirror, paths, reference):
    for point, where, _ in KILLS:
        notices_before = one(paths.db, "select count(*) from notices") if paths.db.exists() else 0
        leftovers_before = len(archive_problems(paths.raw)[1])
        if point == "stall":
            path = mirror.register_path(2) if where.startswith("register") else second_page_article(mirror)
            kill_while_stalled(mirror, paths, path)
        else:
            kill_at_pause(mirror, paths, point, where)

        assert integrity_problems(paths.db) == []
        bad, leftovers = archive_problems(paths.raw)
        assert bad == []
        notices = one(paths.db, "select count(*) from notices")
        if point == "save_notice":
            assert notices == notices_before + where - 1
        elif point == "archive":
            assert len(leftovers) == leftovers_before + 1
        elif where.startswith("register"):
            assert notices == len(mirror.articles)
        else:
            assert notices >= mirror.per_page
            with sqlite3.connect(paths.db) as db:
                queued = [url for (url,) in db.execute("select url from crawl_queue")]
            assert mirror.url(path) in queued

    job = run_job(job_args("nightly", mirror, paths.db, paths.raw), paths.out)

    assert job.proc.returncode == 0, job.stderr
    assert integrity_problems(paths.db) == []
    lost, extra = lost_and_extra(reference, natural_content(paths.db, mirror.base_url))
    FIGURES["rows lost after kills and a rerun"] += sum(lost.values())
    FIGURES["rows duplicated after kills and a rerun"] += sum(extra.values())
    assert (lost, extra) == ({}, {})
    assert archive_problems(paths.raw)[0] == []
    with sqlite3.connect(paths.db) as db:
        assert db.execute("select count(*) from fetch_errors").fetchone()[0] == 0
        assert db.execute("select count(*) from crawl_queue").fetchone()[0] == 0
        runs = [status for (status,) in db.execute("select status from scrape_runs order by id")]
    assert runs == ["interrupted"] * len(KILLS) + ["ok"]
