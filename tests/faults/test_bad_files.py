"""Bad files lose nothing and stop nothing (issue 11): a night whose attachments are an
encrypted PDF, a truncated PDF, a zip-bomb DOCX, a login page served as a PDF, a 300-page scan,
a password-protected DOCX, a DOC whose converter never finishes in time, a file the server fails
on all night, one cut short once, one that is gone, one that moved to another host, and a link
to a file elsewhere. Each is recorded with its reason; every notice still loads from its HTML;
the run goes on; the next night asks again only for the files that failed to arrive, and a file
that arrives then gives its notice what it says."""
from __future__ import annotations

import sqlite3
from datetime import date

from click.testing import CliRunner

from pipeline.cli import main
from tests.docgen import needs_soffice
from tests.faults.support import FIGURES, archive_problems, integrity_problems
from tests.portal import Fault, MockPortal, PortalFile
from tests.portal_files import (BAD_FILES, NOTICES_CATEGORY, POINTER, add_attachment_notices, add_bad_file_notices,
                                attached_file, library_path)


def nightly(portal: MockPortal, paths, *extra: str) -> None:  # noqa: ANN001 (the paths fixture)
    result = CliRunner().invoke(main, ["nightly", "--base-url", portal.base_url, "--delay", "0", "--db", str(paths.db),
                                       "--raw-dir", str(paths.raw), "--timeout", "0.5", "--backoff", "0.05", "-q",
                                       *extra])
    assert result.exit_code in (0, 1), (result.output, result.exception)  # 1: some pages or files failed


def query(paths, sql: str, args: tuple = ()) -> list[tuple]:  # noqa: ANN001
    with sqlite3.connect(paths.db) as db:
        return db.execute(sql, args).fetchall()


def file_notice(portal: MockPortal, n: int, file: PortalFile) -> str:
    """An article citing 6n/KH-SKHCN in its HTML, with ``file``; returns the file's URL."""
    portal.add_article(f"Thông báo số {600 + n}/TB-SKHCN", [f"Thực hiện Kế hoạch số {60 + n}/KH-SKHCN ngày 2/4/2024.",
                                                            POINTER], date(2024, 4, 3), NOTICES_CATEGORY,
                       str(1900000000600 + n), [file])
    return portal.url(file.path)


def test_a_night_of_bad_files_then_a_quiet_one(sample, elsewhere, paths):
    portal = sample
    add_bad_file_notices(portal)
    good = attached_file("synth-01-skhcn-ket-luan-so-ket-6-thang", "pdf")
    flaky = PortalFile(library_path("that-bai-ca-dem", "pdf"), good, "application/pdf")
    cut = PortalFile(library_path("bi-cat-mot-lan", "pdf"), good, "application/pdf")
    gone = PortalFile(library_path("da-xoa", "pdf"), b"", "application/pdf")
    moved = PortalFile(library_path("da-chuyen", "pdf"), good, "application/pdf")
    away = elsewhere.url(library_path("o-noi-khac", "pdf"))
    urls = {"flaky": file_notice(portal, 1, flaky), "cut": file_notice(portal, 2, cut),
            "gone": file_notice(portal, 3, gone), "moved": file_notice(portal, 4, moved)}
    portal.add_article("Thông báo số 605/TB-SKHCN", ["Văn bản đính kèm ở trang khác:",
                                                   f"Kế hoạch số 65/KH-SKHCN ngày 2/4/2024."],
                       date(2024, 4, 3), NOTICES_CATEGORY, "1900000000605", [PortalFile(away, in_body=True)])
    portal.inject(flaky.path, Fault.error(503, times=4))
    portal.inject(cut.path, Fault.truncated())
    portal.inject(gone.path, Fault.not_found(times=None))
    portal.inject(moved.path, Fault.redirect(elsewhere.url("/tep.pdf").replace("127.0.0.1", "localhost"), times=None))

    nightly(portal, paths)

    assert {a for (a,) in query(paths, "select article_id from notices")} == set(portal.articles)
    for i, bad in enumerate(BAD_FILES):
        (status, reason), = query(paths, "select status, reason from attachments where url = ?",
                                  (portal.url(library_path(f"tep-loi-{i}", bad.extension)),))
        assert status == "unreadable" and bad.reason in reason, (bad.what, reason)
    status = dict(query(paths, "select url, status from attachments"))
    assert [status[urls[k]] for k in ("flaky", "cut", "gone", "moved")] == ["failed", "read", "failed", "failed"]
    assert status[away] == "off-site"
    errors = dict(query(paths, "select url, reason from fetch_errors where kind = 'attachment'"))
    assert set(errors) == {urls["flaky"], urls["gone"], urls["moved"]}
    assert "HTTP 503" in errors[urls["flaky"]] and "not found" in errors[urls["gone"]]
    assert "another host" in errors[urls["moved"]]
    for n in range(1, 6):  # every notice has its own citation from the HTML, file or no file
        assert query(paths, "select count(*) from citations c join notices n on n.id = c.notice_id"
                            " where n.article_id = ? and c.number = ?", (str(1900000000600 + n), f"{60 + n}/KH-SKHCN"))
    flaky_citations = "select count(*) from citations c join attachments a on a.id = c.attachment_id where a.url = ?"
    assert query(paths, flaky_citations, (urls["flaky"],)) == [(0,)]
    assert query(paths, flaky_citations, (urls["cut"],))[0][0] > 0

    portal.clear_faults()
    portal.inject(gone.path, Fault.not_found(times=None))
    portal.inject(moved.path, Fault.redirect(elsewhere.url("/tep.pdf").replace("127.0.0.1", "localhost"), times=None))
    portal.clear_log()
    nightly(portal, paths)

    asked = [p for p in portal.paths() if p.startswith("/documents/")]
    assert sorted(asked) == sorted([flaky.path, gone.path, moved.path])  # the failed ones, once each
    assert query(paths, "select status from attachments where url = ?", (urls["flaky"],)) == [("read",)]
    assert query(paths, flaky_citations, (urls["flaky"],))[0][0] > 0  # the notice now has its file's citations
    assert dict(query(paths, "select url, attempts from fetch_errors")) == {urls["gone"]: 2, urls["moved"]: 2}
    assert elsewhere.paths() == []
    assert integrity_problems(paths.db) == []
    assert archive_problems(paths.raw) == ([], [])
    FIGURES["bad files recorded"] += len(BAD_FILES) + 4


SOFFICE = needs_soffice()  # a skip without LibreOffice (an error on CI), else nothing to add


@(SOFFICE if SOFFICE.name == "skip" else lambda test: test)
def test_a_converter_that_does_not_finish_costs_its_file_only(sample, paths):
    """LibreOffice is killed at --attachment-timeout (here far shorter than it takes to start):
    the DOC is recorded unreadable with the reason, its notice and every other one load."""
    added = add_attachment_notices(sample, ("doc", "docx"))
    nightly(sample, paths, "--attachment-timeout", "0.2")
    status = {url: (s, r) for url, s, r in query(paths, "select url, status, reason from attachments")}
    for item in added:
        got = status[sample.url(item.file.path)]
        if item.kind == "doc":
            assert got[0] == "unreadable" and "converter timeout" in got[1], got
        else:
            assert got == ("read", None)
    assert {a for (a,) in query(paths, "select article_id from notices")} == set(sample.articles)
    assert query(paths, "select status from scrape_runs") == [("ok",)]
    FIGURES["bad files recorded"] += 2


def test_killed_while_a_file_stalls_then_finished(paths, tmp_path):
    """SIGKILL while the job waits on an article's file, then on a register row's file: the
    notice of the first is not half-loaded (it waits in the queue), and one clean rerun ends
    where one clean run does, files and all."""
    from tests.faults.support import Job, job_args, lost_and_extra, natural_content, run_job, wait_for

    portal = MockPortal.from_fixtures()
    added = add_attachment_notices(portal, ("pdf", "docx"))
    with portal:
        reference = tmp_path / "reference"
        job = run_job(job_args("nightly", portal, reference / "ref.db", reference / "raw"), reference / "out")
        assert job.proc.returncode == 0, job.stderr
        expected = natural_content(reference / "ref.db", portal.base_url)
        for path in (added[1].file.path, portal.register[-1].file_path):
            portal.inject(path, Fault.stall(60))
            portal.clear_log()
            job = Job(job_args("nightly", portal, paths.db, paths.raw), paths.out)
            wait_for(lambda: portal.count(path) > 0 or job.proc.poll() is not None, f"the job to ask for {path}")
            assert job.proc.poll() is None, job.stderr[-2000:]
            job.kill()
            portal.clear_faults()
            assert integrity_problems(paths.db) == []
            assert archive_problems(paths.raw)[0] == []
            if path == added[1].file.path:
                with sqlite3.connect(paths.db) as db:
                    article = added[1].article.article_id
                    assert db.execute("select count(*) from notices where article_id = ?", [article]).fetchone() == (0,)
                    assert portal.url(portal.article_path(added[1].article)) in {
                        u for (u,) in db.execute("select url from crawl_queue")}
        job = run_job(job_args("nightly", portal, paths.db, paths.raw), paths.out)
        assert job.proc.returncode == 0, job.stderr
        lost, extra = lost_and_extra(expected, natural_content(paths.db, portal.base_url))
    assert (lost, extra) == ({}, {})
    assert integrity_problems(paths.db) == []
    FIGURES["runs killed (SIGKILL)"] += 2
