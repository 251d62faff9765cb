"""The commands as a user types them: the installed ``notices`` in a fresh working directory
with the default, relative paths (``data/db/notices.db``, ``data/raw``), against the mock portal.

- the README's commands on the first night, the second and the tenth, from the project folder
  and from another folder with ``NOTICES_*`` set; the README's own cron line, night after night;
- bad input of every kind: one line on stderr, the documented exit code, nothing written;
- read-only commands on a database in a read-only folder (as an unprivileged user when the
  tests run as root: root writes anywhere);
- Ctrl-C (a real SIGINT) on scrape, nightly and reparse: exit 130, the run "interrupted",
  nothing half-written, the next run goes on; every writing command takes the lock.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.exits import INTERRUPTED, LOCKED, SOME_FAILED, TERMINATED, UNREACHABLE, USAGE
from pipeline.jobs import run_lock
from tests.portal import FIXTURES, MockPortal
from tests.servers import free_port, get_json

PROJECT = Path(__file__).resolve().parent.parent
NOTICES = str(Path(sys.executable).with_name("notices"))
SAFETY = 120  # seconds: longer is a hang
DB, RAW = "data/db/notices.db", "data/raw"
NOTICE_TXT = FIXTURES / "sokhcn-2024-08-22-cchc-ket-luan.txt"


def notices(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([NOTICES, *args], cwd=cwd, capture_output=True, text=True, timeout=SAFETY,
                          env={**os.environ, **(env or {})})


def night(portal: MockPortal, cwd: Path, *extra: str, env: dict[str, str] | None = None) -> str:
    """``notices nightly --base-url URL --delay 0 --quiet`` as the README has it; its summary."""
    done = notices("nightly", "--base-url", portal.base_url, "--delay", "0", "--quiet", *extra, cwd=cwd, env=env)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def query(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture(scope="module")
def portal() -> Iterator[MockPortal]:
    with MockPortal.from_fixtures(per_page=3) as p:
        yield p


# --- the README, run as written, again and again ----------------------------------------------

def test_the_nightly_job_with_the_default_paths_runs_the_first_second_and_tenth_night(portal, tmp_path):
    project, elsewhere = tmp_path / "notices", tmp_path / "elsewhere"
    project.mkdir()
    elsewhere.mkdir()
    assert night(portal, project).startswith("12 new, 0 changed, 0 unchanged, 0 failed")
    for _ in range(9):  # nights 2 to 10
        assert night(portal, project).startswith("0 new, 0 changed, 0 unchanged, 0 failed")
    # From another folder, the same relative paths given through the environment.
    env = {"NOTICES_DB": f"../notices/{DB}", "NOTICES_RAW_DIR": f"../notices/{RAW}"}
    assert night(portal, elsewhere, env=env).startswith("0 new, 0 changed")
    portal.change_article(next(iter(portal.articles)), title="Thông báo đã sửa")
    assert night(portal, elsewhere, "--refresh", env=env).startswith("0 new, 1 changed")
    assert list(elsewhere.iterdir()) == []  # nothing landed where the command ran

    for args in (["summary"], ["status"], ["audit", "97 /kh- skhcn"], ["report", "report.html", "--today", "2024-09-20"],
                 ["reparse", "-q"], ["reparse", "-q", "--workers", "2"]):
        done = notices(*args, cwd=project)
        assert done.returncode == 0 and "Traceback" not in done.stderr, (args, done.stderr)
    done = notices("summary", cwd=elsewhere, env=env)
    assert done.returncode == 0 and done.stdout.startswith("12 notices")
    assert night(portal, project).startswith("0 new, 0 changed")  # and after the rebuilds
    statuses = {s for (s,) in query(project / DB, "select status from scrape_runs")}
    assert statuses == {"ok"}


def test_the_readme_cron_line_runs_night_after_night(portal, tmp_path):
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    [line] = [ln for ln in re.search(r"```cron\n(.*?)```", readme, re.S).group(1).splitlines()
              if ln.strip() and not ln.startswith("#")]
    command = line.split(None, 5)[5]  # after the five time fields
    assert command.startswith("cd /srv/notices && ")
    (tmp_path / ".venv").symlink_to(PROJECT / ".venv")  # the project's own install, as in a clone
    (tmp_path / "data").mkdir()
    command = command.replace("/srv/notices", str(tmp_path))
    env = {**os.environ, "NOTICES_BASE_URL": portal.base_url, "NOTICES_DELAY": "0"}  # cron's environment
    for _ in range(3):
        done = subprocess.run(["sh", "-c", command], env=env, timeout=SAFETY)
        assert done.returncode == 0, (tmp_path / "data/nightly.log").read_text()
    log = (tmp_path / "data/nightly.log").read_text().splitlines()
    assert log[0].startswith("12 new") and log[-1].startswith("0 new, 0 changed, 0 unchanged, 0 failed")
    assert "Traceback" not in "\n".join(log)


def test_make_demo_runs_twice_in_a_fresh_folder(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    outputs = []
    for _ in range(2):
        done = subprocess.run([sys.executable, "-m", "tests.demo", "--db", DB, "--raw-dir", RAW], cwd=tmp_path,
                              capture_output=True, text=True, env=env, timeout=SAFETY)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    # the sample portal's 12 notices and the demo's 6 that are only their attached file
    assert "18 notices" in outputs[0] and "18 notices" in outputs[1]


# --- bad input: one line, the documented code, nothing written --------------------------------

DEAD = "http://127.0.0.1:9"  # never asked: every invocation below fails before any request

BAD = [
    # extract / show
    (["extract", "missing.txt"], USAGE), (["extract", "afolder"], USAGE), (["extract", "empty.txt"], USAGE),
    (["extract", "binary.bin"], USAGE), (["extract", "notice.txt", "--published", "2024-13-45"], USAGE),
    (["extract"], USAGE),
    (["show", "notice.txt", "--html", "/nonexistent-dir/x.html"], USAGE),
    (["show", "notice.txt", "--html", "afolder"], USAGE), (["show", "notice.txt"], USAGE),
    # scrape
    (["scrape", "--base-url", "ftp://x"], USAGE), (["scrape", "--base-url", "notaurl"], USAGE),
    (["scrape", "--base-url", "http://"], USAGE), (["scrape", "--delay", "abc"], USAGE),
    (["scrape", "--delay", "-1"], USAGE), (["scrape", "--timeout", "0"], USAGE),
    (["scrape", "--max-bytes", "0"], USAGE), (["scrape", "--db", "afolder", "--base-url", DEAD], USAGE),
    (["scrape", "--db", "notes.txt", "--base-url", DEAD], USAGE),
    (["scrape", "--raw-dir", "notes.txt", "--base-url", DEAD], USAGE), (["scrape", "--bogus"], USAGE),
    (["scrape", "--db", "other.sqlite", "--base-url", DEAD], USAGE),
    # nightly
    (["nightly", "--base-url", "ftp://x"], USAGE), (["nightly", "--portals", "missing.toml"], USAGE),
    (["nightly", "--portals", "bad.toml"], USAGE), (["nightly", "--portals", "afolder"], USAGE),
    (["nightly", "--backoff", "x"], USAGE),
    # reparse
    (["reparse", "--raw-dir", "MISSING"], USAGE), (["reparse", "--raw-dir", "notes.txt"], USAGE),
    (["reparse", "--workers", "0"], USAGE), (["reparse", "--db", "afolder"], USAGE),
    (["reparse", "--db", "notes.txt"], USAGE), (["reparse", "--db", "other.sqlite"], USAGE),
    # summary / status
    (["summary", "--db", "typo/x.db"], USAGE), (["summary", "--db", "afolder"], USAGE),
    (["summary", "--db", "notes.txt"], USAGE), (["summary", "--top", "-1"], USAGE),
    (["status", "--db", "/nonexistent/x.db"], USAGE), (["status", "--runs", "many"], USAGE),
    (["status", "--db", "other.sqlite"], USAGE),
    # audit
    (["audit", "97/KH-SKHCN", "--db", "typo.db"], USAGE), (["audit", "97/KH-SKHCN", "--format", "pdf"], USAGE),
    (["audit", "97/KH-SKHCN", "--year", "twenty"], USAGE), (["audit", "1821/qd-ubnd"], SOME_FAILED),
    # report
    (["report", "/nonexistent-dir/r.html"], USAGE), (["report", "r.html", "--today", "yesterday"], USAGE),
    (["report", "r.html", "--db", "missing.db"], USAGE), (["report", "afolder"], USAGE),
    (["report", "r.html", "--top", "x"], USAGE),
    # serve
    (["serve", "--port", "99999"], USAGE), (["serve", "--port", "http"], USAGE),
    (["serve", "--db", "missing.db"], USAGE), (["serve", "--db", "notes.txt"], USAGE),
    (["serve", "--db", "other.sqlite"], USAGE),
    # eval
    (["eval", "missing-dir"], USAGE), (["eval", "notes.txt"], USAGE), (["eval", "gold_notext"], USAGE),
    (["eval", "gold_badjson"], USAGE), (["eval", "gold_list"], USAGE), (["eval", "gold_badshape"], USAGE),
    # probe
    (["probe", "ftp://x"], USAGE), (["probe", "notaurl"], USAGE), (["probe", DEAD, "--timeout", "0"], USAGE),
    (["probe", DEAD, "--profile", "missing-profile"], USAGE),
    # the group
    (["nosuchcommand"], USAGE), (["serve", "-x"], USAGE),
]


@pytest.fixture(scope="module")
def workdir(portal, tmp_path_factory) -> Path:
    """A project folder after one night, and the odd files a user may name by mistake."""
    cwd = tmp_path_factory.mktemp("user")
    night(portal, cwd)
    (cwd / "afolder").mkdir()
    (cwd / "notes.txt").write_text("not a database\n")
    (cwd / "empty.txt").write_text("")
    (cwd / "binary.bin").write_bytes(bytes(range(256)) * 4)
    shutil.copy(NOTICE_TXT, cwd / "notice.txt")
    (cwd / "bad.toml").write_text("[[portal]]\nbase_url = 'ftp://x'\n")
    sqlite3.connect(cwd / "other.sqlite").execute("create table t (x)").connection.close()
    gold = json.loads((FIXTURES / "dev" / sorted(os.listdir(FIXTURES / "dev"))[0]).read_text("utf-8"))
    for name, content in {"gold_notext": json.dumps({k: v for k, v in gold.items() if k != "text"}),
                          "gold_badjson": "{\"text\": ", "gold_list": "[1, 2]",
                          "gold_badshape": json.dumps({**gold, "dates": [{"text": "x"}]})}.items():
        (cwd / name).mkdir()
        (cwd / name / "n1.json").write_text(content)
    return cwd


def tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` with its size and mtime, and every folder. SQLite's -wal/-shm
    companions of an existing database are left out (a read-only connection may create them,
    which also touches their folder's mtime)."""
    return {str(p.relative_to(folder)): (0, 0) if p.is_dir() else (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if not p.name.endswith(("-wal", "-shm"))}


def test_the_table_of_bad_invocations_is_long_enough():
    assert len(BAD) >= 40 and {args[0] for args, _ in BAD} >= {
        "extract", "show", "scrape", "nightly", "reparse", "summary", "status", "audit", "report", "serve", "eval",
        "probe"}


@pytest.mark.parametrize("args, code", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_is_one_line_an_exit_code_and_nothing_written(workdir, args, code):
    runs = query(workdir / DB, "select count(*) from scrape_runs")
    before = tree(workdir)
    done = notices(*args, cwd=workdir, env={"NOTICES_BASE_URL": DEAD})
    assert done.returncode == code, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith("notices"), done.stderr
    assert done.stdout == ""
    assert tree(workdir) == before
    assert query(workdir / DB, "select count(*) from scrape_runs") == runs  # no "failed" run row
    assert not Path("/nonexistent-dir").exists() and not Path("/nonexistent").exists()


def test_typos_in_a_fresh_folder_create_no_database_and_no_folder(tmp_path):
    typo = tmp_path.parent / f"{tmp_path.name}-typo"
    for args in (["summary"], ["status"], ["audit", "97/KH-SKHCN"], ["report", "r.html"], ["serve"],
                 ["reparse"], ["reparse", "--raw-dir", "MISSING"], ["reparse", "--workers", "2"],
                 ["summary", "--db", f"{typo}/x.db"], ["status", "--db", f"{typo}/x.db"],
                 ["nightly", "--base-url", "notaurl"], ["scrape", "--base-url", "http://"]):
        done = notices(*args, cwd=tmp_path)
        assert done.returncode == USAGE and len(done.stderr.splitlines()) == 1, (args, done.stderr)
        assert list(tmp_path.iterdir()) == [] and not typo.exists(), args


@pytest.mark.parametrize("url, what", [
    ("http://127.0.0.1:{closed}", "refused the connection"),
    ("https://127.0.0.1:{portal}", "TLS (https) handshake"),
    ("http://no-such-host.invalid", "was not found (DNS)"),
])
@pytest.mark.parametrize("command", ["scrape", "nightly", "--portals"])
def test_an_unreachable_portal_is_exit_3_with_a_readable_reason(portal, tmp_path, url, what, command):
    url = url.format(closed=free_port(), portal=portal.base_url.rsplit(":", 1)[1])
    args = ["nightly", "--portals", "portals.toml"] if command == "--portals" else [command, "--base-url", url]
    (tmp_path / "portals.toml").write_text(f"[[portal]]\nbase_url = {url!r}\n")
    done = notices(*args, "--delay", "0", "--backoff", "0", "--timeout", "5", "-q", cwd=tmp_path,
                   env={"NO_PROXY": "*"})
    assert done.returncode == UNREACHABLE, done.stderr
    assert "Traceback" not in done.stderr
    [(status, message)] = query(tmp_path / DB, "select status, message from scrape_runs")
    assert status == "unreachable" and what in message and "after 4 attempts" in message, message
    assert "HTTPConnectionPool" not in message and "Max retries" not in message
    reasons = [r for (r,) in query(tmp_path / DB, "select reason from fetch_errors")]
    assert reasons and all("Caused by" not in r for r in reasons)


def test_some_failed_pages_on_a_reached_portal_is_exit_1(tmp_path):
    from tests.portal import Fault

    with MockPortal.from_fixtures(per_page=3) as p:
        p.inject(p.article_path(next(iter(p.articles.values()))), Fault.not_found())
        done = notices("nightly", "--base-url", p.base_url, "--delay", "0", "-q", cwd=tmp_path)
    assert done.returncode == SOME_FAILED and done.stdout.startswith("11 new, 0 changed, 0 unchanged, 1 failed")


# --- read-only commands ---------------------------------------------------------------------

def _as_unprivileged() -> list[str]:
    """Root ignores file permissions, so as root the read-only checks run as ``nobody``."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if not setpriv:
        pytest.skip("running as root without setpriv: cannot make a folder read-only to this process")
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


def test_a_database_in_a_read_only_folder_reads_fine_and_nothing_is_written(portal, tmp_path):
    prefix = _as_unprivileged()
    home = Path(tempfile.mkdtemp(prefix="notices-ro-"))  # outside root's private pytest folder
    try:
        night(portal, home)
        out = home / "out"
        out.mkdir()
        for p in [home, *home.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        out.chmod(0o777)
        (home / "data" / "db").chmod(0o555)  # the database's folder: nobody may write there
        before = tree(home / "data")

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run([*prefix, NOTICES, *args], cwd=home, capture_output=True, text=True,
                                  timeout=SAFETY, env={**os.environ, "HOME": str(home)})

        for args in (["summary"], ["status"], ["audit", "97/KH-SKHCN"], ["report", "out/report.html"]):
            done = run(*args)
            assert done.returncode == 0, (args, done.stderr)
        assert (out / "report.html").stat().st_size > 1000
        done = run("scrape", "--base-url", portal.base_url, "--delay", "0")
        assert done.returncode == USAGE and len(done.stderr.splitlines()) == 1, done.stderr
        assert "read-only" in done.stderr
        done = run("scrape", "--base-url", portal.base_url, "--delay", "0", "--db", "out/new.db")  # raw dir read-only
        assert done.returncode == USAGE and "cannot write in the raw archive data/raw" in done.stderr, done.stderr
        assert not (out / "new.db").exists()

        if _can_start_a_process(prefix):  # serve execs Datasette's interpreter
            _serve_answers(prefix, home)
        assert tree(home / "data") == before
    finally:
        for p in [home, *home.rglob("*")]:
            if p.is_dir():
                p.chmod(0o755)
        shutil.rmtree(home)


def _can_start_a_process(prefix: list[str]) -> bool:
    """Whether the unprivileged user may exec this interpreter (not when it lives in /root)."""
    probe = "import os, sys; os.execv(sys.executable, [sys.executable, '-c', ''])"
    return subprocess.run([*prefix, sys.executable, "-c", probe], capture_output=True).returncode == 0


def _serve_answers(prefix: list[str], home: Path) -> None:
    port = free_port()
    server = subprocess.Popen([*prefix, NOTICES, "serve", "--port", str(port)], cwd=home,
                              stderr=subprocess.PIPE, text=True, env={**os.environ, "HOME": str(home)})
    try:
        from tests.servers import wait_until_up

        wait_until_up(server, f"http://127.0.0.1:{port}")
        rows = get_json(f"http://127.0.0.1:{port}", "/notices.json", sql="select count(*) n from notices")
        assert rows["rows"] in ([[12]], [{"n": 12}])
    finally:
        server.terminate()
        server.wait(timeout=SAFETY)


# --- Ctrl-C and the lock -----------------------------------------------------------------------

def _as_at_a_terminal() -> None:
    """A child as a shell starts it in the foreground: Ctrl-C's SIGINT at its default. A test run
    started in the background of a script (CI) inherits SIGINT ignored, and so would the job."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _interrupt_at_save(args: list[str], cwd: Path, nth: int = 3, point: str = "save_notice"
                       ) -> subprocess.CompletedProcess[str]:
    """Run ``notices ARGS``, stopped inside the write transaction of its ``nth`` notice, and
    send it a real SIGINT (Ctrl-C) there."""
    marker = cwd / f"paused-{os.getpid()}"
    env = {**os.environ, "NOTICES_FAULT_PAUSE": f"{point}:{nth}:{marker}"}
    proc = subprocess.Popen([NOTICES, *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=_as_at_a_terminal)
    try:
        from tests.faults.support import wait_for

        wait_for(lambda: marker.exists() or proc.poll() is not None, "the job to reach the pause point")
        assert proc.poll() is None, proc.communicate()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=SAFETY)
    finally:
        if proc.poll() is None:
            proc.kill()
        marker.unlink(missing_ok=True)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.mark.parametrize("command", ["scrape", "nightly"])
def test_ctrl_c_on_a_crawl_is_exit_130_an_interrupted_run_and_the_next_run_goes_on(portal, tmp_path, command):
    args = [command, "--base-url", portal.base_url, "--delay", "0", "-q"]
    done = _interrupt_at_save(args, tmp_path)
    assert done.returncode == INTERRUPTED, done.stderr
    assert done.stderr.strip().splitlines() == [f"notices {command}: interrupted"]
    [(status, message)] = query(tmp_path / DB, "select status, message from scrape_runs")
    assert status == "interrupted" and "KeyboardInterrupt" not in message
    assert query(tmp_path / DB, "select count(*) from notices") == [(2,)]  # the third was rolled back whole
    assert not list((tmp_path / RAW).rglob(".*.part"))
    done = notices(*args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert query(tmp_path / DB, "select count(*) from notices") == [(12,)]
    assert [s for (s,) in query(tmp_path / DB, "select status from scrape_runs order by id")] == ["interrupted", "ok"]


def test_sigterm_is_handled_as_ctrl_c_with_its_own_code(portal, tmp_path):
    marker = tmp_path / "paused"
    env = {**os.environ, "NOTICES_FAULT_PAUSE": f"save_notice:2:{marker}"}
    proc = subprocess.Popen([NOTICES, "nightly", "--base-url", portal.base_url, "--delay", "0", "-q"], cwd=tmp_path,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    from tests.faults.support import wait_for

    wait_for(lambda: marker.exists() or proc.poll() is not None, "the job to reach the pause point")
    proc.terminate()
    _, err = proc.communicate(timeout=SAFETY)
    assert proc.returncode == TERMINATED and err == "notices nightly: terminated (SIGTERM)\n"
    [(status, message)] = query(tmp_path / DB, "select status, message from scrape_runs")
    assert status == "interrupted" and message.startswith("interrupted (SIGTERM) after "), message
    assert query(tmp_path / DB, "select count(*) from notices") == [(1,)]


@pytest.mark.parametrize("extra", [[], ["--workers", "2"]], ids=["reparse", "reparse --workers 2"])
def test_ctrl_c_on_reparse_is_exit_130_and_an_interrupted_run(portal, tmp_path, extra):
    night(portal, tmp_path)
    done = _interrupt_at_save(["reparse", "--db", "rebuilt.db", "-q", *extra], tmp_path,
                              point="bulk_save" if extra else "save_notice")
    assert done.returncode == INTERRUPTED, done.stderr
    assert done.stderr.strip().splitlines() == ["notices reparse: interrupted"]
    assert query(tmp_path / "rebuilt.db", "select status from scrape_runs") == [("interrupted",)]
    done = notices("reparse", "--db", "rebuilt.db", "-q", *extra, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert query(tmp_path / "rebuilt.db", "select count(*) from notices") == [(12,)]
    assert query(tmp_path / "rebuilt.db", "select status from scrape_runs order by id") == [("interrupted",), ("ok",)]


def test_ctrl_c_on_a_night_of_many_portals_stops_every_portal(portal, tmp_path):
    """Ctrl-C reaches the main thread; each portal's thread stops at its next page."""
    from tests.faults.support import wait_for
    from tests.portal import Fault

    with MockPortal.from_fixtures(per_page=3) as other:
        stalled = other.article_path(next(iter(other.articles.values())))
        other.inject(stalled, Fault.stall(60, times=None))
        (tmp_path / "portals.toml").write_text(f"[[portal]]\nbase_url = {other.base_url!r}\n")
        proc = subprocess.Popen([NOTICES, "nightly", "--portals", "portals.toml", "--delay", "0", "--timeout", "1",
                                 "--backoff", "0.05", "-q"], cwd=tmp_path, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, preexec_fn=_as_at_a_terminal)
        wait_for(lambda: other.count(stalled) > 0 or proc.poll() is not None, "the crawl to reach the stalled page")
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=SAFETY)
    assert proc.returncode == INTERRUPTED, err
    assert err.strip().splitlines()[-1] == "notices nightly: interrupted" and "Traceback" not in err
    assert query(tmp_path / DB, "select status from scrape_runs") == [("interrupted",)]


@pytest.mark.parametrize("args", [["scrape", "--base-url", DEAD], ["nightly", "--base-url", DEAD], ["reparse"],
                                  ["reparse", "--workers", "2"]], ids=" ".join)
def test_every_writing_command_takes_the_lock(tmp_path, args):
    (tmp_path / RAW).mkdir(parents=True)
    (tmp_path / DB).parent.mkdir(parents=True)
    with run_lock(str(tmp_path / DB), "test"):
        done = notices(*args, "-q", cwd=tmp_path)
    assert done.returncode == LOCKED, done.stderr
    assert len(done.stderr.splitlines()) == 1 and "another notices job is running" in done.stderr
    assert not (tmp_path / DB).exists()
