"""The SQLite store: notices and what was extracted from them, the register of directives,
fetch failures and the run log. One ``Store`` per process; Datasette reads the same file.

Why these settings: WAL lets Datasette read while the nightly job writes; every write
transaction starts with ``BEGIN IMMEDIATE`` so a second writer waits (``busy_timeout``)
instead of failing halfway; ``synchronous=NORMAL`` is durable enough under WAL (a power cut
can lose the last commits, never corrupt) and the archive can replay anything lost.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from extractors import EXTRACTOR_VERSION
from extractors.models import Extraction, Reference
from extractors.numbers import canonical_number, document_key
from pipeline.documents import (anchored_years, contributions, document_for, needs_refresh,
                                 settle)
from pipeline.documents import settle as settle_documents  # save_notice has a `settle` flag
from pipeline.exits import UserError
from pipeline.faultpoint import pause_point
from pipeline.attachment_rows import (RETRY_STATUSES, attachment_keys, write_notice_attachments,
                                      write_register_attachment)
from pipeline.loader import UNIT_IDS, notice_keys, write_copy, write_extraction
from pipeline.models import FetchFailure, LoadedAttachment, Notice, RegisterEntry, RunStats
from pipeline.rows import iso_date, mention_year
from pipeline.schema import full_text_paused, migrate, needs_migration, pause_full_text, restore_full_text


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# Rows derived from a notice's extraction, in an order that respects the foreign keys.
_EXTRACTED = [
    # the notice's own copy, and those of its files (written again with them)
    ("document_copies", "notice_id = :id and (kind = 'notice' or attachment_id in"
                        " (select id from attachments where notice_id = :id))"),
    ("task_references", "task_id in (select id from tasks where notice_id = :id)"),
    ("task_units", "task_id in (select id from tasks where notice_id = :id)"),
    ("tasks", "notice_id = :id"),
    ("citations", "notice_id = :id"),
    ("dates", "notice_id = :id"),
    ("unit_mentions", "notice_id = :id"),
    ("attachments", "notice_id = :id"),  # after the rows that point to them
]


class Store:
    """The database at ``path`` (created with its parent folders, migrated on open)."""

    def __init__(self, path: str | os.PathLike[str], *, busy_timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(self.path), timeout=busy_timeout)
        self.db = sqlite_utils.Database(conn)
        self._in_batch = False
        self._pause_lock: int | None = None  # held while this Store keeps the index paused
        self.db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        self.db.enable_wal()
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("PRAGMA foreign_keys = ON")
        repair = full_text_paused(self.db) and not self._paused_by_a_live_process()
        if needs_migration(self.db) or repair:
            # Under the write lock, so two processes opening a new file never both migrate;
            # Migrations.apply re-checks what is pending once it holds the lock. A rebuild
            # killed while its search index was paused is repaired here too (never one that
            # is still running: it restores the index itself when it ends).
            with self._write():
                migrate(self.db, repair_full_text=repair)

    # ------------------------------------------------------------------ plumbing

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction, taking the write lock up front (BEGIN IMMEDIATE). Inside
        ``batch()`` it is a savepoint instead: a write that fails leaves the batch as it was
        before that write, and the batch goes on."""
        if self._in_batch:
            self.db.execute("SAVEPOINT write")
            try:
                yield
            except BaseException:
                self.db.execute("ROLLBACK TO write")
                self.db.execute("RELEASE write")
                setattr(self.db, UNIT_IDS, {})  # the ids it remembered may be rolled back
                raise
            self.db.execute("RELEASE write")
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.rollback()
            raise
        self.db.commit()

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Many writes in one transaction: a rebuild commits every few hundred notices instead
        of after each one (a commit costs about a third of a save). Each write inside stays
        whole (a savepoint); a crash loses at most the open batch, which a rerun redoes."""
        if self._in_batch:
            yield
            return
        with self._write():
            self._in_batch = True
            setattr(self.db, UNIT_IDS, {})  # unit ids written in this batch (loader.unit_id)
            try:
                yield
            finally:
                self._in_batch = False
                delattr(self.db, UNIT_IDS)

    def pause_full_text(self) -> None:
        """Stop keeping the search index in step (drop its triggers) for a bulk load;
        ``resume_full_text`` rebuilds it once, which costs a fifth of indexing row by row.
        While paused this Store holds a lock file (``{db}.fts-paused.lock``); if its process
        dies the lock goes with it, and the next ``Store`` opened on the file restores the index."""
        self._pause_lock = os.open(f"{self.path}.fts-paused.lock", os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self._pause_lock, fcntl.LOCK_EX)
        with self._write():
            pause_full_text(self.db)

    def resume_full_text(self) -> None:
        restore_full_text(self.db)
        self._release_pause()

    def _paused_by_a_live_process(self) -> bool:
        try:
            fd = os.open(f"{self.path}.fts-paused.lock", os.O_RDWR)
        except FileNotFoundError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return False  # nobody holds it: whoever paused the index is gone
        except BlockingIOError:
            return True
        finally:
            os.close(fd)  # and with it the lock this check took

    def _release_pause(self) -> None:
        if self._pause_lock is not None:
            os.close(self._pause_lock)
            self._pause_lock = None

    @classmethod
    def reader(cls, path: str | os.PathLike[str]) -> Store:
        """A Store over ``open_read_only(path)``: its reading methods work, every write fails."""
        store = cls.__new__(cls)
        store.path, store.db = Path(path), open_read_only(path)
        store._in_batch, store._pause_lock = False, None
        return store

    def close(self) -> None:
        self._release_pause()  # a Store closed while paused is gone, as a killed process is
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def counts(self) -> dict[str, int]:
        """Rows per table, for run summaries and tests."""
        return {name: self.db[name].count for name in (
            "notices", "notice_versions", "documents", "register_entries", "citations",
            "units", "unit_mentions", "tasks", "task_units", "task_references", "dates", "document_copies",
            "scrape_runs", "fetch_errors", "crawl_queue", "attachments")}

    # ------------------------------------------------------------------- notices

    def content_hash(self, site: str, article_id: str) -> str | None:
        row = self.db.execute("select content_hash from notices where site = ? and article_id = ?",
                              [site, article_id]).fetchone()
        return row[0] if row else None

    def known_article_ids(self, site: str) -> set[str]:
        return {r[0] for r in self.db.execute(
            "select article_id from notices where site = ?", [site])}

    def save_notice(self, notice: Notice, extraction: Extraction, raw_path: str | None = None,
                    *, attachments: Sequence[LoadedAttachment] = (),
                    extractor_version: str = EXTRACTOR_VERSION, settle: bool = True) -> int:
        """Insert or update one notice and replace everything extracted from it (its body and
        its ``attachments``), in one transaction. The notice keeps its id; a new content hash
        adds a version row. Saving the same notice twice leaves the same rows. Returns the id.

        ``settle=False`` leaves its documents unsettled (placeholders, undated mentions not
        re-pointed, columns not recomputed) for one ``resolve_undated()`` sweep at the end of
        a bulk load, which ends in the same rows (tests/test_rebuild.py)."""
        raw_path = raw_path or notice.raw_path
        # The body stored is the extractor's normalized text, so every offset in citations,
        # dates, tasks and unit_mentions points into notices.body.
        body = extraction.text or notice.body or ""
        title = notice.title or extraction.title or ""
        published = iso_date(notice.published) or iso_date(extraction.published)
        row = {
            "site": notice.site, "article_id": notice.article_id, "url": notice.url,
            "category": notice.category, "category_id": notice.category_id, "title": title,
            "published": published, "body": body,
            "attachments": json.dumps(notice.attachments, ensure_ascii=False)
            if notice.attachments else None,
            "fetched_at": notice.fetched_at, "content_hash": notice.content_hash,
            "raw_path": raw_path, "extractor_version": extractor_version,
        }
        columns = list(row)
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns
                            if c not in ("site", "article_id", "fetched_at", "raw_path"))
        with self._write():
            notice_id = self.db.execute(f"""
                insert into notices ({', '.join(columns)})
                values ({', '.join(':' + c for c in columns)})
                on conflict (site, article_id) do update set {updates},
                    fetched_at = coalesce(excluded.fetched_at, notices.fetched_at),
                    raw_path = coalesce(excluded.raw_path, notices.raw_path)
                returning id""", row).fetchone()[0]
            self.db.execute("""
                insert or ignore into notice_versions (notice_id, content_hash, raw_path, fetched_at)
                values (?, ?, ?, ?)""", [notice_id, notice.content_hash, raw_path,
                                         notice.fetched_at or now_iso()])
            if not settle:
                self._replace_extraction(notice_id, published, body, extraction, attachments,
                                         extractor_version)
                pause_point("bulk_save")  # tests interrupt a rebuild here, inside its batch
                return int(notice_id)
            keys = self._document_keys(notice_id) | notice_keys(extraction) | attachment_keys(attachments)
            anchors_before = {key: anchored_years(self.db, key) for key in keys}
            old = contributions(self.db, notice_id)
            copies = self._copies(notice_id)
            keys |= self._replace_extraction(notice_id, published, body, extraction, attachments,
                                             extractor_version)
            new = contributions(self.db, notice_id)
            # A copy that comes or goes changes where its document is on file (and what it says).
            copies |= self._copies(notice_id)
            settle_documents(self.db, keys, anchors_before, needs_refresh(self.db, old, new) | copies)
            pause_point("save_notice")  # tests kill the job here, mid-transaction
        return int(notice_id)

    def _replace_extraction(self, notice_id: int, published: str | None, body: str,
                            extraction: Extraction, attachments: Sequence[LoadedAttachment],
                            extractor_version: str) -> set[str]:
        for table, where in _EXTRACTED:
            self.db.execute(f"delete from {table} where {where}", {"id": notice_id})
        keys = write_extraction(self.db, notice_id, published, body, extraction, extractor_version)
        return keys | write_notice_attachments(self.db, notice_id, published, attachments,
                                               extractor_version)

    def _copies(self, notice_id: int) -> set[int]:
        return {r[0] for r in self.db.execute(
            "select document_id from document_copies where notice_id = ?", [notice_id])}

    def _document_keys(self, notice_id: int) -> set[str]:
        return {r[0] for r in self.db.execute("""
            select d.key from citations c join documents d on d.id = c.document_id
            where c.notice_id = :id
            union
            select d.key from document_copies k join documents d on d.id = k.document_id
            where k.notice_id = :id
            union
            select d.key from task_references tr join tasks t on t.id = tr.task_id
            join documents d on d.id = tr.document_id where t.notice_id = :id""",
            {"id": notice_id})}

    def save_copy(self, notice_id: int, own: Reference | None, *, attachment_id: int, url: str | None,
                  text: str = "", extractor_version: str = EXTRACTOR_VERSION) -> None:
        """Record that an attachment of a notice IS the document ``own`` (an attachment's
        ``Extraction.document``), replacing what was recorded for that attachment; None
        records that it is no document. One transaction; its document is settled (anchors,
        ``on_file``); ``text`` is the attachment's text ``own``'s offsets point into. The hook
        the attachment reader calls; a notice's own copy is written by ``save_notice``."""
        with self._write():
            before = {r[0]: r[1] for r in self.db.execute("""
                select k.document_id, d.key from document_copies k join documents d on d.id = k.document_id
                where k.kind = 'attachment' and k.attachment_id = ?""", [attachment_id])}
            keys = set(before.values()) | ({document_key(canonical_number(own.number))} if own else set())
            anchors_before = {key: anchored_years(self.db, key) for key in keys}
            self.db.execute("delete from document_copies where kind = 'attachment' and attachment_id = ?",
                            [attachment_id])
            if own is not None:
                row = self.db.execute("select published from notices where id = ?", [notice_id]).fetchone()
                year = int(row[0][:4]) if row and row[0] else None
                write_copy(self.db, notice_id, year, text, own, extractor_version, kind="attachment",
                           attachment_id=attachment_id, url=url)
            settle(self.db, keys, anchors_before, set(before) | self._copies(notice_id))

    def resolve_undated(self) -> int:
        """Re-point every mention without a year to the document it names now, and drop
        placeholders nothing uses. ``save_notice`` already settles the keys it touches; run
        this at the end of a load batch or reparse as the full sweep. Returns rows moved."""
        with self._write():
            keys = [r[0] for r in self.db.execute("select distinct key from documents")]
            return settle(self.db, keys)

    # ------------------------------------------------------------------ register

    def save_register(self, entries: Iterable[RegisterEntry]) -> int:
        """Record rows of the register of directives; their documents get ``in_register``,
        summary and file. Returns how many entries were saved (blank numbers are skipped)."""
        rows = []
        for entry in entries:
            number = canonical_number(entry.number or "")
            if number:
                issued = iso_date(entry.issued)
                year = mention_year(number, issued)
                rows.append((entry, number, document_key(number), year, issued))
        with self._write():
            anchors_before = {key: anchored_years(self.db, key) for _, _, key, _, _ in rows}
            documents = set()
            for entry, number, key, year, issued in rows:
                values = {
                    "site": entry.site, "register_id": entry.register_id, "number": number,
                    "key": key, "year": year, "issued": issued, "doc_type": entry.doc_type,
                    "summary": entry.summary, "file_url": entry.file_url,
                    "detail_url": entry.detail_url,
                    "document_id": document_for(self.db, key, year, number), "seen_at": now_iso(),
                }
                documents.add(values["document_id"])
                existing = self.db.execute(
                    "select id from register_entries"
                    " where site = ? and key = ? and ifnull(year, 0) = ?",
                    [entry.site, key, year or 0]).fetchone()
                if existing:
                    sets = ", ".join(f"{c} = :{c}" for c in values)
                    self.db.execute(f"update register_entries set {sets} where id = :id",
                                    {**values, "id": existing[0]})
                else:
                    self.db["register_entries"].insert(values)
            settle(self.db, anchors_before, anchors_before, documents)
        return len(rows)

    def save_register_attachment(self, register_entry_id: int, attachment: LoadedAttachment, *,
                                 extractor_version: str = EXTRACTOR_VERSION) -> int:
        """Record the file of one register row (replacing the one recorded before)."""
        with self._write():
            return write_register_attachment(self.db, register_entry_id, attachment, extractor_version)

    def register_files_to_read(self, site: str) -> list[tuple[int, str]]:
        """(register entry id, file URL) of the site's rows whose file has no row yet, has
        another URL than the one recorded, or failed to arrive: what the nightly job fetches."""
        marks = ", ".join("?" for _ in RETRY_STATUSES)
        return [(r[0], r[1]) for r in self.db.execute(f"""
            select r.id, r.file_url from register_entries r
            left join attachments a on a.register_entry_id = r.id
            where r.site = ? and r.file_url is not null
              and (a.id is null or a.url != r.file_url or a.status in ({marks}))
            order by r.id""", [site, *RETRY_STATUSES])]

    def notices_with_files_to_retry(self, site: str) -> list[tuple[int, str, str | None]]:
        """(notice id, url, raw path) of the site's notices with an attachment that failed to
        arrive (or that the archive lacks): the nightly job loads them again with their files."""
        marks = ", ".join("?" for _ in RETRY_STATUSES)
        return [(r[0], r[1], r[2]) for r in self.db.execute(f"""
            select n.id, n.url, n.raw_path from notices n where n.site = ? and exists (
                select 1 from attachments a where a.notice_id = n.id and a.status in ({marks}))
            order by n.id""", [site, *RETRY_STATUSES])]

    def known_register_numbers(self, site: str) -> set[str]:
        return {r[0] for r in self.db.execute(
            "select number from register_entries where site = ?", [site])}

    # ------------------------------------------------------------------ failures

    def record_failure(self, failure: FetchFailure, run_id: int | None = None) -> None:
        """Remember a page that failed; a repeat bumps ``attempts`` and ``last_seen``."""
        at = failure.at or now_iso()
        with self._write():
            self.db.execute("""
                insert into fetch_errors (url, reason, status, kind, first_seen, last_seen,
                    attempts, run_id) values (?, ?, ?, ?, ?, ?, 1, ?)
                on conflict (url) do update set reason = excluded.reason,
                    status = excluded.status, kind = coalesce(excluded.kind, fetch_errors.kind),
                    last_seen = excluded.last_seen, attempts = fetch_errors.attempts + 1,
                    run_id = coalesce(excluded.run_id, fetch_errors.run_id)""",
                [failure.url, failure.reason, failure.status, failure.kind, at, at, run_id])
            # A failed page leaves the queue: fetch_errors is what the next run retries.
            self.db.execute("delete from crawl_queue where url = ?", [failure.url])

    def clear_failure(self, url: str) -> bool:
        """Forget a failure once its page went through; True if there was one."""
        with self._write():
            return self.db.execute("delete from fetch_errors where url = ?", [url]).rowcount > 0

    def visited(self, url: str, pending: Iterable[tuple[str, str]] = (), run_id: int | None = None) -> None:
        """A page went through: forget its failure and its place in the crawl queue, and queue
        the (url, kind) pages it commits the crawl to visit next. One transaction, so a kill
        leaves either the page still queued or its successors queued, never neither."""
        at = now_iso()
        with self._write():
            self.db.execute("delete from fetch_errors where url = ?", [url])
            self.db.execute("delete from crawl_queue where url = ?", [url])
            self.db.conn.executemany(
                "insert or ignore into crawl_queue (url, kind, queued_at, run_id) values (?, ?, ?, ?)",
                [(u, kind, at, run_id) for u, kind in pending])

    def queued_urls(self) -> list[str]:
        """Pages a run committed to visit and never did (it was killed): oldest first."""
        return [r[0] for r in self.db.execute("select url from crawl_queue order by id")]

    def clear_queue(self, urls: Iterable[str] | None = None) -> int:
        """Empty the crawl queue (or drop ``urls`` from it) once a crawl has run to its end."""
        if urls is not None:
            with self._write():
                return sum(self.db.execute("delete from crawl_queue where url = ?", [u]).rowcount for u in urls)
        with self._write():
            return self.db.execute("delete from crawl_queue").rowcount

    def open_failures(self) -> list[FetchFailure]:
        """Failures still waiting for a retry, oldest first (``at`` is the last attempt)."""
        rows = self.db.execute("select url, reason, status, kind, last_seen from fetch_errors"
                               " order by first_seen, id").fetchall()
        return [FetchFailure(url=u, reason=r, status=s, kind=k, at=a) for u, r, s, k, a in rows]

    # ---------------------------------------------------------------------- runs

    def start_run(self, base_url: str) -> int:
        with self._write():
            cursor = self.db.execute("insert into scrape_runs (started_at, base_url, status)"
                                     " values (?, ?, 'running')", [now_iso(), base_url])
        return int(cursor.lastrowid)

    def finish_run(self, run_id: int, stats: RunStats) -> None:
        """Write a run's figures; a run still marked "running" when it finishes is "ok"."""
        values: dict[str, Any] = {
            "finished_at": stats.finished_at or now_iso(),
            "status": "ok" if stats.status == "running" else stats.status,
            "requests": stats.requests, "pages_fetched": stats.pages_fetched,
            "new": stats.new, "changed": stats.changed, "unchanged": stats.unchanged,
            "failed": stats.failed, "register_rows": stats.register_rows,
            "generic_pages": stats.generic_pages, "attachments": stats.attachments,
            "message": stats.message,
        }
        if stats.base_url:
            values["base_url"] = stats.base_url
        with self._write():
            sets = ", ".join(f"[{c}] = :{c}" for c in values)
            self.db.execute(f"update scrape_runs set {sets} where id = :id", {**values, "id": run_id})

    def close_interrupted_runs(self) -> int:
        """Mark runs still "running" as "interrupted". Only safe under the nightly lock: then
        no other job is running, so those runs died (SIGKILL, power cut) before finishing."""
        with self._write():
            return self.db.execute(
                "update scrape_runs set status = 'interrupted', message = coalesce(message,"
                " 'killed before it finished (found so by the next nightly)')"
                " where status = 'running'").rowcount

    def last_runs(self, n: int = 10) -> list[dict[str, Any]]:
        """The latest ``n`` rows of ``scrape_runs``, newest first."""
        return list(self.db.query("select * from scrape_runs order by id desc limit ?", [n]))


# ---------------------------------------------------------------------- readers

Source = Store | sqlite_utils.Database | str | os.PathLike[str]


def open_read_only(path: str | os.PathLike[str]) -> sqlite_utils.Database:
    """A notices database opened read-only, for the commands that only read (summary, status,
    audit, report, serve): nothing is created, migrated or locked. Raises ``UserError`` (one
    line, exit 2) for a missing path, a folder, a file that is not a notices database, or one
    whose schema is older than this program's (a writing command brings it up to date).

    ``mode=ro`` sees the commits of a job writing at the same time (WAL). In a folder this
    process cannot write, SQLite cannot make the WAL index a ``mode=ro`` reader needs; there no
    job can write either (a WAL writer must create files beside the database), so the file is
    opened ``immutable``, which reads it without that index."""
    from pipeline.checks import existing_database

    file = existing_database(path).absolute()
    uri = file.as_uri()
    try:
        conn = _checked(sqlite3.connect(f"{uri}?mode=ro", uri=True))
    except sqlite3.OperationalError:
        if os.access(file.parent, os.W_OK):
            raise UserError(f"cannot open {path} read-only") from None
        conn = _checked(sqlite3.connect(f"{uri}?immutable=1", uri=True))
    except sqlite3.DatabaseError as e:
        raise UserError(f"{path} is not a readable SQLite database ({e})") from None
    db = sqlite_utils.Database(conn)
    if "notices" not in db.table_names():
        db.close()
        raise UserError(f"{path} is an SQLite database but not a notices database (no notices table)")
    if needs_migration(db):
        db.close()
        raise UserError(f"{path} has an older schema than this notices; run notices nightly or "
                        "notices reparse once to bring it up to date")
    return db


def _checked(conn: sqlite3.Connection) -> sqlite3.Connection:
    try:
        conn.execute("select count(*) from sqlite_master").fetchone()  # opens the file for real
    except sqlite3.Error:
        conn.close()
        raise
    return conn


@contextlib.contextmanager
def read_only(source: Source) -> Iterator[sqlite_utils.Database]:
    """The database of a Store, a Database, or a file opened read-only (``open_read_only``):
    an audit or a report must never create, migrate or lock the file it inspects."""
    if isinstance(source, Store):
        yield source.db
    elif isinstance(source, sqlite_utils.Database):
        yield source
    else:
        db = open_read_only(source)
        try:
            yield db
        finally:
            db.close()
