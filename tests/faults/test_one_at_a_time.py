"""One nightly at a time, with two real processes: a second ``notices nightly`` started while the
first one runs exits at once with a clear message and exit code 75, touching neither the portal
nor the database; a lock left by a run killed with SIGKILL does not stop the next night."""
from __future__ import annotations

import sqlite3

from pipeline.cli import EXIT_ALREADY_RUNNING
from tests.faults.support import Job, job_args, run_job, wait_for
from tests.portal import Fault


def test_an_overlapping_nightly_exits_at_once_and_a_killed_ones_lock_is_not_stale(sample, paths):
    stalled = sample.article_path(sample.listing(next(iter(sample.categories)))[0])
    sample.inject(stalled, Fault.stall(60))
    first = Job(job_args("nightly", sample, paths.db, paths.raw), paths.out)
    wait_for(lambda: sample.count(stalled) > 0, "the first run to reach the stalled page")
    asked_before = len(sample.paths())

    second = run_job(job_args("nightly", sample, paths.db, paths.raw), paths.out)

    assert second.proc.returncode == EXIT_ALREADY_RUNNING
    assert second.stdout == ""
    [line] = second.stderr.splitlines()
    assert line.startswith(f"notices nightly: another notices job is running on {paths.db} "
                           f"(notices nightly, pid {first.proc.pid} since ")
    assert line.endswith("; exiting")
    assert len(sample.paths()) == asked_before  # the second run asked the portal nothing
    with sqlite3.connect(paths.db) as db:
        assert db.execute("select count(*) from scrape_runs").fetchone()[0] == 1  # and wrote no run

    first.kill()  # the lock file stays behind, naming a dead process
    assert f"pid {first.proc.pid}" in (paths.db.parent / "notices.db.lock").read_text()
    sample.clear_faults()

    third = run_job(job_args("nightly", sample, paths.db, paths.raw), paths.out)

    assert third.proc.returncode == 0, third.stderr
    with sqlite3.connect(paths.db) as db:
        runs = db.execute("select status from scrape_runs order by id").fetchall()
        assert runs == [("interrupted",), ("ok",)]
        assert db.execute("select count(*) from notices").fetchone()[0] == len(sample.articles)
