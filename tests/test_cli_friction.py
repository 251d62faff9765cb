"""What a user meets at the command line, through the installed `notices` in a temporary working
directory: help, audit spellings, `report -`, a busy port, text and archived pages for extract,
an empty gold folder."""
from __future__ import annotations

import gzip
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

NOTICES = str(Path(sys.executable).with_name("notices"))
FIXTURES = Path(__file__).parent / "fixtures"


def notices(*args: str, cwd: Path, code: int = 0, input: bytes | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run([NOTICES, *args], cwd=cwd, capture_output=True, input=input, timeout=120)
    assert done.returncode == code, (done.stdout[-2000:], done.stderr[-2000:])
    assert b"Traceback" not in done.stderr
    return done


@pytest.mark.parametrize("command", ["extract", "scrape", "nightly", "reparse", "audit", "report", "serve",
                                     "summary", "status", "eval", "show"])
def test_dash_h_is_help_everywhere(command, tmp_path):
    out = notices(command, "-h", cwd=tmp_path).stdout.decode()
    assert out.startswith("Usage: notices " + command)
    assert list(tmp_path.iterdir()) == []  # help writes nothing


@pytest.mark.parametrize("typed", ["1820/QD-UBND", "1820 QD UBND", "Quyết định số 1820/QĐ-UBND ngày 24/7/2024",
                                   "１８２０/QĐ-UBND", "01820/qđubnd"])
def test_audit_takes_any_spelling_a_user_pastes(typed, scraped_db, tmp_path):
    trail = json.loads(notices("audit", typed, "--db", str(scraped_db), "--format", "json", cwd=tmp_path).stdout)
    assert {d["number"] for d in trail["documents"]} == {"1820/QĐ-UBND"}


@pytest.mark.parametrize("typed, message", [
    ("", "notices audit: no document number given\n"),
    ("hello", "notices audit: “hello” is not a document number"),
])
def test_audit_of_no_number_is_bad_input(typed, message, scraped_db, tmp_path):
    err = notices("audit", typed, "--db", str(scraped_db), cwd=tmp_path, code=2).stderr.decode()
    assert err.startswith(message) and err.count("\n") == 1


def test_audit_of_a_missing_year_names_the_known_years_not_itself(scraped_db, tmp_path):
    err = notices("audit", "1820/QD-UBND", "--year", "2019", "--db", str(scraped_db), cwd=tmp_path,
                  code=1).stderr.decode()
    assert err == "notices audit: 1820/QĐ-UBND is not on file for 2019; it is known for: 2022, 2024\n"
    assert "closest" not in err


def test_report_dash_writes_the_page_to_stdout(scraped_db, tmp_path):
    done = notices("report", "-", "--db", str(scraped_db), "--today", "2024-09-20", cwd=tmp_path)
    assert done.stdout.startswith(b"<!DOCTYPE html>") and done.stdout.rstrip().endswith(b"</html>")
    assert done.stderr.decode().startswith("wrote the report to stdout: ")
    assert list(tmp_path.iterdir()) == []


def test_serve_on_a_busy_port_says_so_before_serving(scraped_db, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        err = notices("serve", "--db", str(scraped_db), "--port", str(port), cwd=tmp_path, code=2).stderr.decode()
    assert err == f"notices serve: port {port} on 127.0.0.1 is already in use; choose another with --port\n"


def test_extract_reads_the_publication_line_of_a_text_page(tmp_path):
    text = "Tin tức - Sự kiện\n\nNgày đăng: 22-08-2024\n\nThông báo kết luận\n\nNgày 15/8/2024, Sở họp.\n"
    (tmp_path / "page.txt").write_text(text, encoding="utf-8")
    out = json.loads(notices("extract", "page.txt", cwd=tmp_path).stdout)
    assert out["published"] == "2024-08-22"
    assert [(d["value"], d["role"]) for d in out["dates"]] == [("2024-08-15", "event")]
    assert "Ngày đăng" not in out["text"]
    given = json.loads(notices("extract", "page.txt", "--published", "2024-09-01", cwd=tmp_path).stdout)
    assert given["published"] == "2024-09-01"  # the option wins


def test_extract_reads_an_archived_page(tmp_path):
    page = (FIXTURES / "site" / "detail-article.html").read_bytes()
    (tmp_path / "20240822T000000Z-abc.html.gz").write_bytes(gzip.compress(page))
    archived = json.loads(notices("extract", "20240822T000000Z-abc.html.gz", cwd=tmp_path).stdout)
    (tmp_path / "page.html").write_bytes(page)
    assert archived == json.loads(notices("extract", "page.html", cwd=tmp_path).stdout)
    (tmp_path / "broken.html.gz").write_bytes(gzip.compress(page)[:200])
    err = notices("extract", "broken.html.gz", cwd=tmp_path, code=2).stderr.decode()
    assert err.startswith("notices extract: broken.html.gz: a damaged gzip file") and err.count("\n") == 1


def test_eval_of_an_empty_folder_is_an_error_not_a_perfect_score(tmp_path):
    (tmp_path / "gold").mkdir()
    err = notices("eval", "gold", cwd=tmp_path, code=2).stderr.decode()
    assert err == "notices eval: gold: no gold files (*.json) to score\n"
    (tmp_path / "gold" / "a.json").write_text('{"id": "a"}', encoding="utf-8")
    err = notices("eval", "gold", cwd=tmp_path, code=2).stderr.decode()
    assert err.startswith("notices eval: gold/a.json: a gold file needs a \"text\" string")
