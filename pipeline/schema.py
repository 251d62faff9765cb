"""The database schema, as sqlite-utils migrations (applied once each, recorded in
``_sqlite_migrations``), plus the views (recreated whenever their SQL changes).

A new column or table is a new migration function appended below; never edit one that has
shipped, because databases in the field have already applied it.

Offsets (``start``/``end``) in citations, dates, tasks and unit_mentions are Python string
indices into ``notices.body`` (or, for a row with an ``attachment_id``, into that attachment's
``text``), end exclusive.
"""
from __future__ import annotations

from sqlite_utils import Database, Migrations

from pipeline.views import VIEWS

MIGRATIONS = Migrations("notices")

# FTS5 tokenizer: strips tone and vowel marks and folds case; "đ" survives it, so queries
# let d and đ match each other (pipeline/search.py).
FTS_TOKENIZE = "unicode61 remove_diacritics 2"


@MIGRATIONS()
def m001_tables(db: Database) -> None:
    db["scrape_runs"].create({
        "id": int, "started_at": str, "finished_at": str, "base_url": str, "requests": int,
        "pages_fetched": int, "new": int, "changed": int, "unchanged": int, "failed": int,
        "register_rows": int, "status": str, "message": str,
    }, pk="id", not_null=["started_at", "status"])
    db["fetch_errors"].create({
        "id": int, "url": str, "reason": str, "status": int, "kind": str,
        "first_seen": str, "last_seen": str, "attempts": int, "run_id": int,
    }, pk="id", not_null=["url", "reason", "attempts"], defaults={"attempts": 1},
        foreign_keys=[("run_id", "scrape_runs", "id")])
    db["fetch_errors"].create_index(["url"], unique=True)

    db["notices"].create({
        "id": int, "site": str, "article_id": str, "url": str, "category": str,
        "category_id": str, "title": str, "published": str, "body": str, "attachments": str,
        "fetched_at": str, "content_hash": str, "raw_path": str, "extractor_version": str,
        "search_text": str,
    }, pk="id", not_null=["site", "article_id", "url", "title", "body", "content_hash"])
    db["notices"].create_index(["site", "article_id"], unique=True)
    db["notices"].create_index(["published"])
    db["notices"].create_index(["category"])
    db["notice_versions"].create({
        "id": int, "notice_id": int, "content_hash": str, "raw_path": str, "fetched_at": str,
    }, pk="id", not_null=["notice_id", "content_hash"],
        foreign_keys=[("notice_id", "notices", "id")])
    db["notice_versions"].create_index(["notice_id", "content_hash"], unique=True)

    db["documents"].create({
        "id": int, "number": str, "key": str, "year": int, "type_code": str, "doc_type": str,
        "issuer_code": str, "issuer": str, "issued": str, "in_register": int, "summary": str,
        "file_url": str, "detail_url": str,
    }, pk="id", not_null=["number", "key", "in_register"], defaults={"in_register": 0})
    # Identity is (key, year) with "year unknown" as one more value: a plain UNIQUE would let
    # any number of year-NULL rows share a key, because NULLs never compare equal.
    db.execute("CREATE UNIQUE INDEX idx_documents_identity ON documents (key, ifnull(year, 0))")
    db["documents"].create_index(["in_register"])
    db["register_entries"].create({
        "id": int, "site": str, "register_id": str, "number": str, "key": str, "year": int,
        "issued": str, "doc_type": str, "summary": str, "file_url": str, "detail_url": str,
        "document_id": int, "seen_at": str,
    }, pk="id", not_null=["site", "number", "key", "document_id"],
        foreign_keys=[("document_id", "documents", "id")])
    db.execute("CREATE UNIQUE INDEX idx_register_entries_identity"
               " ON register_entries (site, key, ifnull(year, 0))")
    db["register_entries"].create_index(["document_id"])

    db["units"].create({"id": int, "name": str, "kind": str}, pk="id", not_null=["name"])
    db["units"].create_index(["name"], unique=True)
    db["unit_mentions"].create({
        "id": int, "notice_id": int, "unit_id": int, "start": int, "end": int,
        "extractor_version": str,
    }, pk="id", not_null=["notice_id", "unit_id"],
        foreign_keys=[("notice_id", "notices", "id"), ("unit_id", "units", "id")])

    db["citations"].create({
        "id": int, "notice_id": int, "document_id": int, "number": str,
        "number_as_written": str, "year_known": int, "doc_type": str, "issued": str,
        "issuer": str, "mention": str, "sentence": str, "start": int, "end": int,
        "extractor_version": str,
    }, pk="id", not_null=["notice_id", "document_id", "number", "year_known"],
        foreign_keys=[("notice_id", "notices", "id"), ("document_id", "documents", "id")])

    db["tasks"].create({
        "id": int, "notice_id": int, "position": int, "ordinal": str, "text": str,
        "deadline": str, "deadline_date": str, "start": int, "end": int,
        "extractor_version": str, "search_text": str,
    }, pk="id", not_null=["notice_id", "position", "ordinal", "text"],
        foreign_keys=[("notice_id", "notices", "id")])
    db["tasks"].create_index(["notice_id", "position"], unique=True)
    db["tasks"].create_index(["deadline_date"])
    db["task_units"].create({"task_id": int, "unit_id": int, "role": str},
                            pk=("task_id", "unit_id", "role"),
                            foreign_keys=[("task_id", "tasks", "id"), ("unit_id", "units", "id")])
    db["task_references"].create({
        "id": int, "task_id": int, "document_id": int, "citation_id": int, "number": str,
    }, pk="id", not_null=["task_id", "document_id", "number"], foreign_keys=[
        ("task_id", "tasks", "id"), ("document_id", "documents", "id"),
        ("citation_id", "citations", "id")])
    db["task_references"].create_index(["task_id", "number"], unique=True)

    db["dates"].create({
        "id": int, "notice_id": int, "text": str, "value": str, "role": str, "start": int,
        "end": int, "date_start": str, "date_end": str, "extractor_version": str,
    }, pk="id", not_null=["notice_id", "value", "role"],
        foreign_keys=[("notice_id", "notices", "id")])
    db["dates"].create_index(["role", "date_start"])

    # Every foreign key column gets an index: deletes of a notice's rows and Datasette's
    # "links from other tables" counts both look rows up by them.
    for table, column in [
        ("fetch_errors", "run_id"), ("notice_versions", "notice_id"),
        ("unit_mentions", "notice_id"), ("unit_mentions", "unit_id"),
        ("citations", "notice_id"), ("citations", "document_id"),
        ("tasks", "notice_id"), ("task_units", "unit_id"),
        ("task_references", "document_id"), ("task_references", "citation_id"),
        ("dates", "notice_id"),
    ]:
        db[table].create_index([column], if_not_exists=True)
    db["documents"].create_index(["key", "year"])


@MIGRATIONS()
def m002_full_text(db: Database) -> None:
    # External-content FTS5 kept in sync by triggers (insert/update/delete), so every write
    # path, including a plain UPDATE from a sqlite3 shell, keeps search right. search_text
    # is the accent-folded copy that lets "doi moi" match "Đổi mới".
    db["notices"].enable_fts(["title", "body", "search_text"], tokenize=FTS_TOKENIZE,
                             create_triggers=True)
    db["tasks"].enable_fts(["text", "search_text"], tokenize=FTS_TOKENIZE,
                           create_triggers=True)


def _external_fts(db: Database, table: str, columns: list[str]) -> None:
    """An FTS5 index over ``table``'s own columns (external content: no copy of the text),
    filled now and kept in sync by triggers, in the shape sqlite-utils gives them. Plain SQL
    rather than ``enable_fts``, whose executescript would commit the migration halfway."""
    cols = ", ".join(f'"{c}"' for c in columns)
    new = ", ".join(f'new."{c}"' for c in columns)
    old = ", ".join(f'old."{c}"' for c in columns)
    fts = f"{table}_fts"
    db.execute(f"""CREATE VIRTUAL TABLE "{fts}" USING FTS5 (
    {cols},
    tokenize='{FTS_TOKENIZE}',
    content="{table}"
)""")
    db.execute(f'INSERT INTO "{fts}" ("{fts}") VALUES (\'rebuild\')')
    db.execute(f"""CREATE TRIGGER "{table}_ai" AFTER INSERT ON "{table}" BEGIN
  INSERT INTO "{fts}" (rowid, {cols}) VALUES (new.rowid, {new});
END""")
    db.execute(f"""CREATE TRIGGER "{table}_ad" AFTER DELETE ON "{table}" BEGIN
  INSERT INTO "{fts}" ("{fts}", rowid, {cols}) VALUES('delete', old.rowid, {old});
END""")
    db.execute(f"""CREATE TRIGGER "{table}_au" AFTER UPDATE ON "{table}" BEGIN
  INSERT INTO "{fts}" ("{fts}", rowid, {cols}) VALUES('delete', old.rowid, {old});
  INSERT INTO "{fts}" (rowid, {cols}) VALUES (new.rowid, {new});
END""")


@MIGRATIONS()
def m003_search_without_copies(db: Database) -> None:
    # The accent-free copies (search_text) doubled every text and cluttered the tables
    # analysts browse; queries now fold d/đ instead (pipeline/search.py) and the tokenizer
    # folds the other marks, so the indexes cover the texts themselves.
    for table, columns in (("notices", ["title", "body"]), ("tasks", ["text"])):
        for suffix in ("ai", "ad", "au"):
            db.execute(f'DROP TRIGGER IF EXISTS "{table}_{suffix}"')
        db.execute(f'DROP TABLE IF EXISTS "{table}_fts"')
        db.execute(f'ALTER TABLE "{table}" DROP COLUMN search_text')
        _external_fts(db, table, columns)


@MIGRATIONS()
def m004_crawl_queue(db: Database) -> None:
    # The crawl's frontier, made durable: the pages a run has committed to visit (the articles a
    # listing page showed as new, the next listing page) and not yet visited. A finished run
    # leaves it empty; what a killed run leaves is visited first by the next run. Without it, a
    # run killed after loading page 1 of a listing left page 2 unread for good: the next run
    # found page 1 all known and stopped there.
    db["crawl_queue"].create({
        "id": int, "url": str, "kind": str, "queued_at": str, "run_id": int,
    }, pk="id", not_null=["url", "queued_at"], foreign_keys=[("run_id", "scrape_runs", "id")])
    db["crawl_queue"].create_index(["url"], unique=True)
    db["crawl_queue"].create_index(["run_id"])


@MIGRATIONS()
def m005_generic_pages(db: Database) -> None:
    # How many articles of a run the profile's selectors could not read (the generic fallback
    # did): a silent change of the portal's markup must not look like a good night.
    db["scrape_runs"].add_column("generic_pages", int)


@MIGRATIONS()
def m006_documents_on_file(db: Database) -> None:
    # A document is on file when the register lists it (register_entries), when a notice IS it
    # (its own header: kind "notice"), or when an attachment is it (kind "attachment"; written
    # by the attachment reader, attachment_id names the attachment). One row per copy; the
    # register stays in register_entries, and the view document_files unites them all.
    db["document_copies"].create({
        "id": int, "document_id": int, "kind": str, "notice_id": int, "attachment_id": int,
        "url": str, "number": str, "number_as_written": str, "year_known": int, "doc_type": str,
        "issued": str, "issuer": str, "mention": str, "start": int, "end": int,
        "extractor_version": str,
    }, pk="id", not_null=["document_id", "kind", "notice_id", "number", "year_known"],
        foreign_keys=[("document_id", "documents", "id"), ("notice_id", "notices", "id")])
    for column in ("document_id", "notice_id", "attachment_id"):
        db["document_copies"].create_index([column])
    # Where a document is on file, in a word per kind ("register, notice"); NULL: nowhere.
    db["documents"].add_column("on_file", str)
    db.execute("update documents set on_file = 'register' where in_register = 1")



@MIGRATIONS()
def m007_attachments(db: Database) -> None:
    # The files a notice or a register row links (PDF, DOCX, DOC, images), one row per link:
    # what was fetched (its bytes in the archive, named by raw_path), how its text was read, or
    # why it could not be. The extracted rows of a notice (citations, dates, unit mentions, tasks)
    # name the attachment they were found in; their offsets then index attachments.text, and
    # page is the file's page (1-based). NULL attachment_id: found in notices.body as before.
    db["attachments"].create({
        "id": int, "notice_id": int, "register_entry_id": int, "position": int, "url": str,
        "status": str, "reason": str, "kind": str, "bytes": int, "sha256": str, "pages": int,
        "method": str, "legacy": str, "reader": str, "text": str, "raw_path": str,
        "fetched_at": str, "extractor_version": str,
    }, pk="id", not_null=["url", "status"], foreign_keys=[
        ("notice_id", "notices", "id"), ("register_entry_id", "register_entries", "id")])
    for column in ("notice_id", "register_entry_id", "url", "sha256"):
        db["attachments"].create_index([column])
    # ALTER TABLE rather than sqlite-utils' add_foreign_key, which would rebuild the tables
    # (and drop the full-text triggers of tasks).
    for table in ("citations", "dates", "unit_mentions", "tasks"):
        db.execute(f"ALTER TABLE [{table}] ADD COLUMN attachment_id INTEGER REFERENCES attachments(id)")
        db.execute(f"ALTER TABLE [{table}] ADD COLUMN page INTEGER")
        db[table].create_index(["attachment_id"])
    _external_fts(db, "attachments", ["text"])
    db.execute("ALTER TABLE scrape_runs ADD COLUMN attachments INTEGER")  # files fetched by the run


# The full-text indexes as m003 and m007 made them: what a bulk load pauses and restores.
FULL_TEXT = {"notices": ["title", "body"], "tasks": ["text"], "attachments": ["text"]}


def _sync_triggers(table: str) -> set[str]:
    return {f"{table}_ai", f"{table}_ad", f"{table}_au"}  # sqlite-utils' names, kept by m003


def full_text_paused(db: Database) -> bool:
    """True when an index's sync triggers are missing: a bulk load paused them and did not
    get to restore them (or the migrations have not run yet; migrate() handles both)."""
    have = {r[0] for r in db.execute("select name from sqlite_master where type = 'trigger'")}
    return any(db[table].exists() and db[f"{table}_fts"].exists() and not _sync_triggers(table) <= have
               for table in FULL_TEXT)


def pause_full_text(db: Database) -> None:
    """Drop the sync triggers: rows written from now on are not indexed until
    ``restore_full_text``. Indexing row by row costs five times one rebuild at the end."""
    for table in FULL_TEXT:
        for trigger in sorted(_sync_triggers(table)):
            db.execute(f"drop trigger if exists [{trigger}]")


def restore_full_text(db: Database) -> None:
    """Recreate each paused index from its table, with its triggers, exactly as m003 made it.
    The triggers come last, so a run killed halfway still counts as paused and the next open
    does it again."""
    for table, columns in FULL_TEXT.items():
        for trigger in sorted(_sync_triggers(table)):
            db.execute(f"drop trigger if exists [{trigger}]")
        db.execute(f'DROP TABLE IF EXISTS "{table}_fts"')
        _external_fts(db, table, columns)


def ensure_views(db: Database) -> None:
    """Create the views, replacing any whose SQL changed (views hold no data)."""
    for name, sql in VIEWS.items():
        db.create_view(name, sql.strip(), replace=True)


def views_stale(db: Database) -> bool:
    have = {r[0]: r[1] for r in db.execute(
        "select name, sql from sqlite_master where type = 'view'")}
    return any(have.get(name) != f"CREATE VIEW \"{name}\" AS {sql.strip()}"
               for name, sql in VIEWS.items())


def needs_migration(db: Database) -> bool:
    """Whether ``migrate`` would change anything (a paused index aside); reads only."""
    return bool(MIGRATIONS.pending(db)) or views_stale(db)


def migrate(db: Database, *, repair_full_text: bool = True) -> None:
    """Bring a database (new or old) to the current schema; safe to run on every open.
    ``repair_full_text=False`` leaves a paused index to the bulk load that paused it."""
    MIGRATIONS.apply(db)
    if repair_full_text and full_text_paused(db):
        restore_full_text(db)
    ensure_views(db)
