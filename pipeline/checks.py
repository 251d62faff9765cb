"""Checks of what a user names on the command line, before anything is opened or written.

Each returns the value to use or raises ``UserError`` with one sentence (exit 2). They run
before a command creates a folder, a database, a lock or a run row, so a typo costs nothing:
``notices summary --db /tmp/typo/x.db`` creates nothing, ``scrape --base-url ftp://x`` writes
no "failed" run.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from .exits import UserError
from .urls import host_key, is_valid_site

SQLITE_MAGIC = b"SQLite format 3\x00"


def existing_database(path: str | os.PathLike[str]) -> Path:
    """A database file to read: it must exist, be a file, be readable and be SQLite."""
    p = Path(path)
    if not p.exists():
        raise UserError(f"no database at {p} (run notices nightly or notices reparse to make one)")
    if p.is_dir():
        raise UserError(f"{p} is a folder, not a database")
    try:
        with p.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as e:
        raise UserError(f"cannot read {p}: {e.strerror or e}") from None
    if head != SQLITE_MAGIC:
        raise UserError(f"{p} is not an SQLite database")
    return p


def database_to_write(path: str | os.PathLike[str]) -> Path:
    """A database a job may create or update: an SQLite file (or nothing yet) in a folder this
    process can write (SQLite writes its journal beside the file)."""
    p = Path(path)
    if p.exists():
        if p.is_dir() or p.stat().st_size:  # an empty file is an empty database to SQLite
            existing_database(p)
            tables = _tables(p)
            if tables and "notices" not in tables:  # a typo must not add our tables to another's file
                raise UserError(f"{p} is an SQLite database but not a notices database (no notices table)")
        if not os.access(p, os.W_OK):
            raise UserError(f"cannot write the database {p}: it is read-only")
    _writable_folder(p.parent, f"the database {p}")
    return p


def raw_dir_to_read(path: str | os.PathLike[str]) -> Path:
    p = Path(path)
    if not p.exists():
        raise UserError(f"no raw archive at {p}")
    if not p.is_dir():
        raise UserError(f"{p} is not a folder (the raw archive is a folder)")
    return p


def raw_dir_to_write(path: str | os.PathLike[str]) -> Path:
    p = Path(path)
    if p.exists():
        raw_dir_to_read(p)
        if not os.access(p, os.W_OK | os.X_OK):
            raise UserError(f"cannot write in the raw archive {p}: permission denied")
        return p
    _writable_folder(p.parent, f"the raw archive {p}")
    return p


def output_file(path: str | os.PathLike[str]) -> Path:
    """A file a command writes (a report, a page): its folder must exist and be writable."""
    p = Path(path)
    if p.is_dir():
        raise UserError(f"{p} is a folder; give a file name")
    folder = p.parent
    if not folder.is_dir():
        raise UserError(f"cannot write {p}: no folder {folder}")
    if not os.access(folder, os.W_OK | os.X_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise UserError(f"cannot write {p}: permission denied")
    return p


def base_url(url: str) -> str:
    """A portal's URL: http or https, with a host name the archive can file pages under."""
    key = host_key(url)
    if key is None or not is_valid_site(key[0]):
        raise UserError(f"not a portal URL: {url!r} (expected http:// or https:// and a host name)")
    return url


def _tables(path: Path) -> set[str]:
    """The table names of an SQLite file, read without a lock or a journal (a glance at the
    schema only, before deciding to open it for real)."""
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?immutable=1", uri=True)
        try:
            return {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise UserError(f"{path} is not a readable SQLite database ({e})") from None


def _writable_folder(folder: Path, what: str) -> None:
    """The nearest existing folder on the way to ``folder`` must be a writable folder (the
    job creates the rest on its first run)."""
    probe = folder if str(folder) else Path(".")
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if not probe.is_dir():
        raise UserError(f"cannot create {what}: {probe} is not a folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise UserError(f"cannot create {what}: {probe} is read-only")
