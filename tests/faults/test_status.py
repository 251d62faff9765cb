"""``notices status`` after a night with a failure, a killed run and a rerun: the last runs (when,
how long, requests, pages fetched, new, changed, failed) as ``scrape_runs`` holds them, the open
fetch errors with their reasons, and the pages a killed run left queued. Real processes throughout."""
from __future__ import annotations

import re
import sqlite3

from tests.faults.support import NOTICES, Job, job_args, run_job, wait_for
from tests.portal import Fault

ROW = re.compile(r"^(\S+) +(\S+) +(.+?) +(\S+) +(\S+) +(\S+) +(\S+) +(\S+)  (\S+)$")


def status(paths) -> list[str]:  # noqa: ANN001
    job = run_job([NOTICES, "status", "--db", str(paths.db)], paths.out)
    assert job.proc.returncode == 0, job.stderr
    return job.stdout.splitlines()


def runs_as_printed(lines: list[str]) -> list[tuple]:
    return [ROW.match(line).groups() for line in lines[1:] if ROW.match(line)]


def runs_in_db(paths) -> list[tuple]:  # noqa: ANN001
    with sqlite3.connect(paths.db) as db:
        rows = db.execute("""
            select substr(started_at, 1, 19), round((julianday(finished_at) - julianday(started_at)) * 86400, 1),
                   status, requests, pages_fetched, new, changed, failed, base_url
            from scrape_runs order by id desc""").fetchall()
    return [tuple("-" if v is None else str(v) for v in row) for row in rows]


def test_status_shows_the_runs_and_the_open_errors(sample, paths):
    articles = list(sample.articles.values())
    gone, slow = sample.article_path(articles[0]), sample.article_path(articles[1])
    sample.inject(gone, Fault.not_found())
    assert run_job(job_args("nightly", sample, paths.db, paths.raw), paths.out).proc.returncode == 1  # a page failed
    sample.change_article(articles[1].article_id, paragraphs=articles[1].paragraphs + ["Bổ sung."])
    sample.inject(slow, Fault.stall(60))
    killed = Job(job_args("nightly", sample, paths.db, paths.raw, "--refresh"), paths.out)
    wait_for(lambda: sample.count(slow) > 1, "the second run to wait on the stalled page")
    killed.kill()

    lines = status(paths)
    assert lines[0].split()[:3] == ["started", "(UTC)", "secs"]
    assert runs_as_printed(lines) == runs_in_db(paths)
    assert [r[2] for r in runs_as_printed(lines)] == ["running", "ok with failures"]
    assert f"  {sample.url(gone)}  [article] not found (deleted?) (last tried " in "\n".join(lines)
    assert lines[-1].startswith("pages queued by an unfinished run: ")

    sample.clear_faults()
    sample.inject(gone, Fault.not_found())
    assert run_job(job_args("nightly", sample, paths.db, paths.raw, "--refresh"), paths.out).proc.returncode == 1

    lines = status(paths)
    printed = runs_as_printed(lines)
    assert printed == runs_in_db(paths)
    assert [r[2] for r in printed] == ["ok with failures", "interrupted", "ok with failures"]
    new, changed, failed = printed[0][5:8]
    assert (new, changed, failed) == ("0", "1", "1")  # the edited notice, the deleted one
    assert lines[-2:] == ["open fetch errors: 1", lines[-1]] and sample.url(gone) in lines[-1]
