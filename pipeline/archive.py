"""The raw archive: every fetched version of every page, gzip-compressed, never rewritten.

Layout: ``{raw}/{site}/{kind}/{page_id}/{fetched_at}-{sha8}.html.gz``; each file holds one JSON
header line (url, final_url, status, headers, fetched_at, sha256, kind, site, page_id) and then the
raw body bytes exactly as received. The archive is the source of truth: the database can always be
rebuilt from it (``notices reparse``).

Paths are built only from validated ids, never from URL text, so a hostile URL cannot write outside
the raw dir. An archived page is known by its *name*: its path relative to the raw dir, in POSIX
form (``127.0.0.1/article/1/20240822T...-abcd1234.html.gz``). Names are what ``ArchivedPage.path``,
``paths()`` and the database's ``raw_path`` hold, and what ``read()`` takes; the archive alone joins
a name to its root (absolute from the start), so a relative raw dir (the default ``data/raw``) is
never added twice and a database stays valid when the raw dir moves. Files appear atomically (temp file + ``os.replace``): a run killed mid-write leaves at
most a hidden ``.*.part`` file, which iteration ignores.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from .faultpoint import pause_point
from .models import ArchivedPage, FetchedPage
from .urls import is_valid_site, site_of

ID_RE = re.compile(r"^[A-Za-z0-9_.-]{1,80}$")
SUFFIX = ".html.gz"
FORMAT_VERSION = 1


def validate_id(value: str, what: str = "page_id") -> str:
    # "." and ".." match the character class but are path components, not names.
    if not isinstance(value, str) or not ID_RE.match(value) or set(value) == {"."}:
        raise ValueError(f"invalid {what}: {value!r} (expected {ID_RE.pattern})")
    return value


def _compact(fetched_at: str) -> str:
    """'2024-08-22T10:11:12.123456+00:00' -> '20240822T101112123456Z' (sorts in time order)."""
    try:
        when = datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"invalid fetched_at: {fetched_at!r}") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


class Archive:
    def __init__(self, raw_dir: str | os.PathLike[str]) -> None:
        # Absolute once, here: every full path below is built from it, and names are taken
        # relative to it, so no caller ever has to guess which folder a path is relative to.
        self.root = Path(raw_dir).absolute()

    # --- writing -----------------------------------------------------------------------

    def put(self, page: FetchedPage, kind: str, page_id: str) -> ArchivedPage:
        """Archive one fetched version; an unchanged body (same sha256 as the latest) is not
        written again and the existing record is returned."""
        site = site_of(page.final_url or page.url)
        folder = self._folder(site, validate_id(kind, "kind"), validate_id(page_id))
        sha = hashlib.sha256(page.body).hexdigest()
        latest = self._latest_in(folder, with_body=False)
        if latest is not None and latest.sha256 == sha:
            latest.body = page.body
            return latest
        header = {
            "format": FORMAT_VERSION, "url": page.url, "final_url": page.final_url, "status": page.status,
            "headers": dict(page.headers), "fetched_at": page.fetched_at, "sha256": sha,
            "kind": kind, "site": site, "page_id": page_id,
        }
        target = folder / f"{_compact(page.fetched_at)}-{sha[:8]}{SUFFIX}"
        if not target.exists():  # never rewrite: the same name means the same version
            self._write_atomically(target, header, page.body)
        return self._record(header, target, page.body)

    def _write_atomically(self, target: Path, header: dict, body: bytes) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as raw:
                with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
                    gz.write(json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n")
                    gz.write(body)
                raw.flush()
                # fsync before the rename, or a crash could leave a complete name over empty data.
                os.fsync(raw.fileno())
            pause_point("archive")  # tests kill the job here: a whole temp file, no final name yet
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    # --- reading -----------------------------------------------------------------------

    def latest(self, kind: str, page_id: str, site: str | None = None, *, with_body: bool = True) -> ArchivedPage | None:
        """The newest archived version of a page (of ``site``, or of any site when None)."""
        validate_id(kind, "kind")
        validate_id(page_id)
        sites = [site] if site else self._sites()
        found = [self._latest_in(self._folder(s, kind, page_id), with_body) for s in sites]
        versions = [f for f in found if f is not None]
        return max(versions, key=lambda a: a.fetched_at, default=None)

    def iter(self, kind: str | None = None, latest_only: bool = True, *, site: str | None = None,
             with_body: bool = True) -> Iterator[ArchivedPage]:
        """Stream archived pages, one file open at a time (constant memory over any archive size).

        Directory order is the file system's (no global sort, which would need every name in
        memory); within one page, versions come oldest first, or only the newest.
        """
        for path in self.paths(kind, latest_only, site=site):
            yield self.read(path, with_body=with_body)

    def paths(self, kind: str | None = None, latest_only: bool = True, *,
              site: str | None = None) -> Iterator[str]:
        """The files ``iter`` would read, relative to the raw dir, in the same order, without
        opening any: what a rebuild hands to its worker processes (names, not bodies)."""
        if kind is not None:
            validate_id(kind, "kind")
        if site is not None and not is_valid_site(site):
            raise ValueError(f"invalid site: {site!r}")
        for site_dir in self._dirs(self.root, [site] if site else None):
            for kind_dir in self._dirs(site_dir, [kind] if kind else None):
                for page_dir in self._dirs(kind_dir):
                    names = self._versions(page_dir)
                    for name in names[-1:] if latest_only else names:
                        yield (page_dir / name).relative_to(self.root).as_posix()

    def read(self, name: str | os.PathLike[str], *, with_body: bool = True) -> ArchivedPage:
        """One archived page by its name (relative to the raw dir; an absolute path inside it
        is taken too). Raises ValueError for a path outside the raw dir."""
        return self._read_file(self.file_of(name), with_body=with_body)

    def file_of(self, name: str | os.PathLike[str]) -> Path:
        """The full path of an archived page's name. A relative name is always relative to the
        raw dir (never to the working directory); nothing outside the raw dir is ever read."""
        path = Path(name)
        full = path if path.is_absolute() else self.root / path
        if ".." in path.parts or not full.is_relative_to(self.root):
            raise ValueError(f"not a page of the archive {self.root}: {str(name)!r}")
        return full

    def _read_file(self, full: Path, *, with_body: bool = True) -> ArchivedPage:
        with gzip.open(full, "rb") as gz:
            header = json.loads(gz.readline())
            body = gz.read() if with_body else b""
        return self._record(header, full, body)

    # --- helpers -----------------------------------------------------------------------

    def _folder(self, site: str, kind: str, page_id: str) -> Path:
        if not is_valid_site(site):
            raise ValueError(f"invalid site: {site!r}")
        return self.root / site / kind / page_id

    def _latest_in(self, folder: Path, with_body: bool) -> ArchivedPage | None:
        names = self._versions(folder)
        return self._read_file(folder / names[-1], with_body=with_body) if names else None

    @staticmethod
    def _versions(folder: Path) -> list[str]:
        try:
            names = [e.name for e in os.scandir(folder) if e.name.endswith(SUFFIX) and not e.name.startswith(".")]
        except (FileNotFoundError, NotADirectoryError):
            return []
        return sorted(names)  # the compact timestamp prefix makes name order time order

    @staticmethod
    def _dirs(parent: Path, only: list[str] | None = None) -> Iterator[Path]:
        if only is not None:
            for name in only:
                if (parent / name).is_dir():
                    yield parent / name
            return
        try:
            with os.scandir(parent) as entries:
                for entry in entries:
                    if entry.is_dir() and not entry.name.startswith("."):
                        yield Path(entry.path)
        except FileNotFoundError:
            return

    def _sites(self) -> list[str]:
        return [p.name for p in self._dirs(self.root)]

    def _record(self, header: dict, path: Path, body: bytes) -> ArchivedPage:
        return ArchivedPage(
            kind=header["kind"], site=header["site"], page_id=header["page_id"], url=header["url"],
            status=header["status"], headers=header["headers"], fetched_at=header["fetched_at"],
            sha256=header["sha256"], path=path.relative_to(self.root).as_posix(), body=body,
            final_url=header.get("final_url"),
        )
