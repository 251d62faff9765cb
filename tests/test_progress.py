"""Progress of long jobs: a bar on a terminal, messages and one closing line elsewhere, nothing quiet."""
import io
import re
import subprocess
import sys
from pathlib import Path

from pipeline.progress import Reporter, advance, expect

NOTICES = str(Path(sys.executable).with_name("notices"))


def run_job(reporter: Reporter, pages: int = 30) -> None:
    with reporter:
        expect(reporter, pages)
        for i in range(pages):
            advance(reporter)
            if i == 3:
                reporter("new: 2024-08-22 Thông báo kết luận")


def test_a_terminal_gets_a_bar_with_count_rate_and_time_left():
    out = io.StringIO()
    run_job(Reporter("pages", stream=out, terminal=True))
    drawn = out.getvalue()
    assert "30/30" in drawn and "pages/s" in drawn and "<00:00" in drawn  # count, rate, time left
    assert "new: 2024-08-22 Thông báo kết luận\n" in drawn  # messages printed above the bar


def test_off_a_terminal_the_messages_then_one_line():
    out = io.StringIO()
    run_job(Reporter("pages", stream=out, terminal=False))
    lines = out.getvalue().splitlines()
    assert lines[0] == "new: 2024-08-22 Thông báo kết luận"
    assert re.fullmatch(r"30 of 30 pages in \d+\.\d s, [\d.]+/s", lines[1])
    assert len(lines) == 2


def test_quiet_prints_nothing():
    out = io.StringIO()
    run_job(Reporter("pages", stream=out, terminal=True, quiet=True))
    assert out.getvalue() == ""


def test_plain_callbacks_ignore_the_counts():
    said = []
    advance(said.append)
    expect(said.append, 3)
    advance(None)
    assert said == []


def test_reparse_off_a_terminal_ends_with_its_count_and_rate(scraped_db, tmp_path):
    raw = scraped_db.parent / "raw"
    done = subprocess.run([NOTICES, "reparse", "--raw-dir", str(raw), "--db", "x.db"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"(\d+) of \1 archived pages in \d+\.\d s, [\d.]+/s\n", done.stderr)
    quiet = subprocess.run([NOTICES, "reparse", "--raw-dir", str(raw), "--db", "y.db", "-q"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)
    assert quiet.returncode == 0 and quiet.stderr == ""
