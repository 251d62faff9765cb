"""Killed at any moment: a real ``notices nightly`` process gets SIGKILL while it waits on a stalled
page, inside a notice's write transaction, inside an archive write, and again and again at varied
points; each time the database passes SQLite's checks, the archive holds no half-written file under
a final name, and the rerun finishes the work: the database then holds exactly what one clean run
over the same portal gives (no row lost, none twice)."""
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
    are already in the database."""
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


def check_after_kill(paths) -> None:  # noqa: ANN001
    assert integrity_problems(paths.db) == []
    bad, _ = archive_problems(paths.raw)
    assert bad == []


def rerun_and_compare(portal: MockPortal, paths, reference: dict) -> None:  # noqa: ANN001
    job = run_job(job_args("nightly", portal, paths.db, paths.raw), paths.out)
    assert job.proc.returncode == 0, job.stderr
    assert integrity_problems(paths.db) == []
    lost, extra = lost_and_extra(reference, natural_content(paths.db, portal.base_url))
    FIGURES["rows lost after a kill and a rerun"] += sum(lost.values())
    FIGURES["rows duplicated after a kill and a rerun"] += sum(extra.values())
    assert (lost, extra) == ({}, {})
    bad, _ = archive_problems(paths.raw)
    assert bad == []
    with sqlite3.connect(paths.db) as db:
        assert db.execute("select count(*) from fetch_errors").fetchone()[0] == 0
        assert db.execute("select count(*) from crawl_queue").fetchone()[0] == 0
        *killed, (last,) = db.execute("select status from scrape_runs order by id").fetchall()
    assert killed and set(killed) == {("interrupted",)} and last == "ok"


def notices_in(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from notices").fetchone()[0]


def test_killed_while_waiting_on_a_stalled_page(mirror, paths, reference):
    stalled = second_page_article(mirror)
    kill_while_stalled(mirror, paths, stalled)
    check_after_kill(paths)
    assert notices_in(paths.db) >= mirror.per_page  # page 1 was loaded before the kill...
    with sqlite3.connect(paths.db) as db:  # ...and the rest of the walk waits in the queue
        queued = [url for (url,) in db.execute("select url from crawl_queue")]
    assert mirror.url(stalled) in queued
    rerun_and_compare(mirror, paths, reference)


def test_killed_inside_a_load_transaction(mirror, paths, reference):
    kill_at_pause(mirror, paths, "save_notice", mirror.per_page + 2)
    check_after_kill(paths)
    # Every row of the notice being written was in the transaction: none of it is in the file.
    assert notices_in(paths.db) == mirror.per_page + 1
    rerun_and_compare(mirror, paths, reference)


def test_killed_inside_an_archive_write(mirror, paths, reference):
    kill_at_pause(mirror, paths, "archive", 9)
    check_after_kill(paths)
    bad, leftovers = archive_problems(paths.raw)
    assert len(leftovers) == 1  # the temporary file, whole but never renamed: ignored
    rerun_and_compare(mirror, paths, reference)


@pytest.mark.parametrize("kills", [
    # Each run goes on from where the last one died; the register is read at the end of a crawl.
    [("stall", "page 2"), ("save_notice", 2), ("archive", 6), ("save_notice", 4), ("stall", "register")],
])
def test_killed_again_and_again_then_finished(mirror, paths, reference, kills):
    for point, where in kills:
        if point == "stall":
            path = mirror.register_path(2) if where == "register" else second_page_article(mirror)
            kill_while_stalled(mirror, paths, path)
        else:
            kill_at_pause(mirror, paths, point, where)
        check_after_kill(paths)
    rerun_and_compare(mirror, paths, reference)
