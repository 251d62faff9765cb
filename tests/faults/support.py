"""What the fault suite shares: the mirror portal of unseen notices, real ``notices`` processes,
checks of a database and an archive left by a bad night, and the figures the suite reports.

Everything here drives real parts: HTTP servers on 127.0.0.1, ``notices`` subprocesses, SQLite
files, Datasette. Waits poll with a safety timeout; nothing asserts on how long a thing took.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Callable, Iterator

from extractors.normalize import normalize_text
from pipeline.parse import notice_text
from tests.portal import CATEGORIES, FIXTURES, MockPortal, PortalArticle

NOTICES = str(Path(sys.executable).with_name("notices"))
SAFETY = 120.0  # seconds: a wait that takes longer than this is a hang, not a slow machine

# What the suite did, for the README's figures (written when NOTICES_FAULT_FIGURES names a file).
FIGURES: Counter[str] = Counter()


# --- the mirror: notices the extractor was never tuned on, in the portal's markup --------------

def mirror_portal(per_page: int = 3) -> MockPortal:
    """The sample portal (dev corpus, register) plus the 24 synthetic notices of other agencies,
    spread over the four categories: 36 articles, three or four listing pages per category."""
    portal = MockPortal.from_fixtures(per_page=per_page)
    categories = list(CATEGORIES)
    for i, path in enumerate(sorted((FIXTURES / "synth").glob("*.json"))):
        notice = json.loads(path.read_text(encoding="utf-8"))
        title, _, rest = notice["text"].partition("\n")
        portal.add_article(title.strip(), rest.strip("\n").split("\n\n"), date.fromisoformat(notice["published"]),
                           categories[i % len(categories)], str(1800000000100 + i))
    return portal


def expected_body(article: PortalArticle) -> str:
    """``notices.body`` of a notice loaded whole: its title line, then every paragraph."""
    return normalize_text(notice_text(article.title, article.body))


# --- real processes ---------------------------------------------------------------------------

def wait_for(condition: Callable[[], object], what: str, timeout: float = SAFETY) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.02)


def job_args(command: str, portal: MockPortal, db: Path, raw: Path, *extra: str) -> list[str]:
    return [NOTICES, command, "--base-url", portal.base_url, "--delay", "0", "--db", str(db),
            "--raw-dir", str(raw), "--timeout", "5", "--backoff", "0.05", "-q", *extra]


class Job:
    """``notices ...`` as a child process, its output in files (a pipe nobody reads can fill up
    and block the child)."""

    def __init__(self, args: list[str], out_dir: Path, env: dict[str, str] | None = None) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        n = len(list(out_dir.glob("*.out")))
        self.stdout_path, self.stderr_path = out_dir / f"job{n}.out", out_dir / f"job{n}.err"
        with self.stdout_path.open("wb") as out, self.stderr_path.open("wb") as err:
            self.proc = subprocess.Popen(args, stdout=out, stderr=err, env={**os.environ, **(env or {})})

    def wait(self, timeout: float = SAFETY) -> int:
        return self.proc.wait(timeout=timeout)

    def kill(self) -> None:
        """SIGKILL: no handler, no finally, no atexit: the process just stops."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=SAFETY)
        FIGURES["runs killed (SIGKILL)"] += 1

    @property
    def stdout(self) -> str:
        return self.stdout_path.read_text("utf-8", "replace")

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text("utf-8", "replace")


def run_job(args: list[str], out_dir: Path, env: dict[str, str] | None = None) -> Job:
    job = Job(args, out_dir, env)
    job.wait()
    return job


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def datasette(db: Path, out_dir: Path) -> Iterator[str]:
    """``notices serve`` on a free port; yields its base URL once it answers."""
    port = free_port()
    job = Job([NOTICES, "serve", "--db", str(db), "--port", str(port)], out_dir)
    base = f"http://127.0.0.1:{port}"
    try:
        def up() -> bool:
            assert job.proc.poll() is None, f"datasette exited: {job.stderr[-2000:]}"
            try:
                with urllib.request.urlopen(base + "/-/versions.json", timeout=5):
                    return True
            except OSError:
                return False
        wait_for(up, "datasette to answer")
        yield base
    finally:
        job.proc.terminate()
        job.proc.wait(timeout=SAFETY)


# --- what a database and an archive hold --------------------------------------------------------

def integrity_problems(db: Path) -> list[str]:
    """SQLite's own checks: the file, the foreign keys, and every full-text index against its
    content table. Empty when all is well."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {r}" for r in conn.execute("PRAGMA foreign_key_check")]
        for fts in ("notices_fts", "tasks_fts", "attachments_fts"):
            try:
                conn.execute(f"insert into {fts}({fts}) values ('integrity-check')")
            except sqlite3.DatabaseError as e:
                problems.append(f"{fts}: {e}")
    return problems


# Every table as what it says, not as row ids: two databases that hold the same notices compare
# equal even when their ids differ; a duplicate row shows as a count of 2.
NATURAL = {
    "notices": "select site, article_id, url, category, category_id, title, published, body, attachments,"
               " content_hash, extractor_version from notices",
    "notice_versions": "select n.article_id, v.content_hash from notice_versions v join notices n on n.id = v.notice_id",
    "documents": "select number, key, year, type_code, doc_type, issuer_code, issuer, issued, in_register, summary,"
                 " file_url, detail_url, on_file from documents",
    "document_copies": "select n.article_id, d.key, d.year, k.kind, k.url, k.number, k.year_known, k.doc_type,"
                       " k.issued, k.issuer, k.mention, k.start, k.[end] from document_copies k"
                       " join notices n on n.id = k.notice_id join documents d on d.id = k.document_id",
    "register_entries": "select r.site, r.register_id, r.number, r.key, r.year, r.issued, r.doc_type, r.summary,"
                        " r.file_url, r.detail_url, d.key, d.year from register_entries r"
                        " join documents d on d.id = r.document_id",
    "citations": "select n.article_id, d.key, d.year, c.number, c.number_as_written, c.year_known, c.doc_type,"
                 " c.issued, c.issuer, c.mention, c.sentence, c.start, c.[end] from citations c"
                 " join notices n on n.id = c.notice_id join documents d on d.id = c.document_id",
    "units": "select name, kind from units",
    "unit_mentions": "select n.article_id, u.name, m.start, m.[end] from unit_mentions m"
                     " join notices n on n.id = m.notice_id join units u on u.id = m.unit_id",
    "tasks": "select n.article_id, t.position, t.ordinal, t.text, t.deadline, t.deadline_date, t.start, t.[end]"
             " from tasks t join notices n on n.id = t.notice_id",
    "task_units": "select n.article_id, t.position, u.name, tu.role from task_units tu join tasks t on t.id = tu.task_id"
                  " join notices n on n.id = t.notice_id join units u on u.id = tu.unit_id",
    "task_references": "select n.article_id, t.position, d.key, d.year, tr.number, c.start from task_references tr"
                       " join tasks t on t.id = tr.task_id join notices n on n.id = t.notice_id"
                       " join documents d on d.id = tr.document_id left join citations c on c.id = tr.citation_id",
    "dates": "select n.article_id, d.text, d.value, d.role, d.start, d.[end], d.date_start, d.date_end"
             " from dates d join notices n on n.id = d.notice_id",
    "attachments": "select n.article_id, r.number, a.position, a.url, a.status, a.reason, a.kind, a.bytes, a.sha256,"
                   " a.pages, a.method, a.text from attachments a left join notices n on n.id = a.notice_id"
                   " left join register_entries r on r.id = a.register_entry_id",
    "found in files": "select a.url, c.number, c.page, c.start, c.[end] from citations c"
                      " join attachments a on a.id = c.attachment_id",
}


def natural_content(db: Path, base_url: str) -> dict[str, Counter]:
    """The rows of ``NATURAL``, with the portal's base URL cut out of URLs (each test's portal
    listens on another port)."""
    import sqlite3

    def row(values: tuple) -> tuple:
        return tuple(v.replace(base_url, "") if isinstance(v, str) else v for v in values)

    with sqlite3.connect(db) as conn:
        return {table: Counter(map(row, conn.execute(sql))) for table, sql in NATURAL.items()}


def lost_and_extra(reference: dict[str, Counter], actual: dict[str, Counter]) -> tuple[dict, dict]:
    """Rows of the reference missing from ``actual`` and rows ``actual`` has too many (duplicates
    or strays), per table; both empty when the two hold the same."""
    lost = {t: sum((reference[t] - actual[t]).values()) for t in reference}
    extra = {t: sum((actual[t] - reference[t]).values()) for t in reference}
    return {t: n for t, n in lost.items() if n}, {t: n for t, n in extra.items() if n}


# The run log: one row per run, and the stamp of when the register last listed a row.
RUN_LOG = {"scrape_runs": None, "register_entries": {"seen_at"}}


def whole_tables(db: Path, aside: dict[str, set[str] | None] = RUN_LOG) -> dict[str, list[tuple]]:
    """Every row of every table, ids and all, in rowid order; ``aside`` names tables (None) or
    columns left out. The full-text shadow tables are left out too: the same content may sit in
    other segments after an update (integrity_problems checks the index against the content)."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        names = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table'"
                                            " and name not like '%\\_fts%' escape '\\' order by name")]
        tables = {}
        for name in names:
            if name in aside and aside[name] is None:
                continue
            columns = [r[1] for r in conn.execute(f"pragma table_info([{name}])") if r[1] not in (aside.get(name) or ())]
            tables[name] = conn.execute(f"select {', '.join(f'[{c}]' for c in columns)} from [{name}]"
                                        " order by rowid").fetchall()
        return tables


def archive_problems(raw: Path) -> tuple[list[str], list[Path]]:
    """(files under a final name that are not whole, temporary files left behind). A final file is
    whole when it gunzips, its header parses and its body has the sha256 the header records."""
    bad = []
    for path in sorted(raw.rglob("*.html.gz")):
        if path.name.startswith("."):
            continue
        try:
            with gzip.open(path, "rb") as gz:
                header = json.loads(gz.readline())
                body = gz.read()
            if hashlib.sha256(body).hexdigest() != header["sha256"]:
                bad.append(f"{path}: body does not match its sha256")
        except (OSError, EOFError, ValueError, KeyError) as e:
            bad.append(f"{path}: {type(e).__name__}: {e}")
    return bad, sorted(raw.rglob(".*.part"))


def write_figures() -> None:
    target = os.environ.get("NOTICES_FAULT_FIGURES")
    if target:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        Path(target).write_text(json.dumps(dict(sorted(FIGURES.items())), indent=1, ensure_ascii=False) + "\n")
