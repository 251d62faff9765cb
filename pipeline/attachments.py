"""The files notices and register rows link, in the jobs: their bytes, their text, its extraction.

    link ──▶ archive (raw bytes; fetched politely through the crawl's Fetcher when absent)
         ──▶ pipeline.attach.read_attachment (kind from the bytes; text cached by content)
         ──▶ extract() ──▶ LoadedAttachment, which the store writes with its notice

A file the archive holds is never fetched again: a changed file gets a new link on these portals
(Liferay's ``?version=``), so the link names the bytes. A fetch that fails comes back as a
``failed`` attachment (the job records it in ``fetch_errors``, the next night asks again); bytes
no reader can take (an encrypted PDF, HTML sent as a PDF, a converter that hangs) as an
``unreadable`` one with the reason. Neither stops the notice from loading from its HTML.

Archive names: ``{raw}/{site}/attachment/{key}/...``, the key being the document library's UUID
when the link has one (one folder per file, whatever version), else a hash of the URL; never URL
text. Text cache: ``{raw}/.text-cache/`` (keyed by the bytes' sha256 and the reader's identity),
so a rebuild reads every file again from the archive without running OCR again.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from extractors import extract

from . import config
from .archive import Archive
from .fetch import Fetcher, FetchError
from .models import ArchivedPage, FetchFailure, LoadedAttachment
from .profile import SiteProfile
from .urls import same_host, site_of

KIND = "attachment"  # the archive kind of attached files
CACHE_DIR = ".text-cache"  # inside the raw dir; the archive's walks skip dot-folders


def attachment_key(url: str, profile: SiteProfile) -> str:
    """The archive folder of an attachment URL: its document-library UUID, else a URL hash."""
    return profile.attachment_uuid(url) or "u" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]


def text_cache_dir(raw_dir: str | os.PathLike[str]) -> Path:
    return Path(raw_dir) / CACHE_DIR


@dataclass
class Attachments:
    """Obtains, reads and extracts attachments for one job. Without a ``fetcher`` (a rebuild)
    only the archive is read: a file it lacks is ``missing``."""

    archive: Archive
    profile: SiteProfile
    fetcher: Fetcher | None = None
    max_bytes: int = config.DEFAULT_MAX_ATTACHMENT_BYTES
    ocr: str = "auto"
    workers: int | None = None  # OCR processes per file; None: every core
    timeout: float = config.DEFAULT_READ_TIMEOUT
    failures: list[FetchFailure] = field(default_factory=list)  # fetches that failed, to record
    fetched: list[str] = field(default_factory=list)  # URLs fetched (and archived) by this job
    _cache: object = None

    def load(self, url: str, published: str | None) -> LoadedAttachment:
        """One linked file as the store writes it (never raises for a bad file)."""
        got = self.obtain(url)
        return got if isinstance(got, LoadedAttachment) else self.read(url, got, published)

    def obtain(self, url: str) -> ArchivedPage | LoadedAttachment:
        """The archived bytes of ``url`` (fetched and archived first if need be), or the
        attachment that says why there are none."""
        try:
            site, key = site_of(url), attachment_key(url, self.profile)
        except ValueError as e:
            return LoadedAttachment(url, "unreadable", f"not a link that can be archived: {e}")
        if self.fetcher is not None and not same_host(url, self.fetcher.base_url):
            return LoadedAttachment(url, "off-site", "on another host: never fetched")
        archived = self.archive.latest(KIND, key, site)
        if archived is not None:
            return archived
        if self.fetcher is None:
            return LoadedAttachment(url, "missing", "not in the archive (never fetched)")
        try:
            page = self.fetcher.get(url, max_bytes=self.max_bytes)
        except FetchError as err:
            failure = err.to_failure(KIND)
            # The fetcher words its size cap for pages; this one is the attachments' own.
            failure.reason = failure.reason.replace("page too large", "file too large (--max-attachment-bytes)", 1)
            self.failures.append(failure)
            return LoadedAttachment(url, "failed", failure.reason)
        self.fetched.append(url)
        return self.archive.put(page, KIND, key)

    def read(self, url: str, archived: ArchivedPage, published: str | None) -> LoadedAttachment:
        """The text of archived bytes and its extraction; ``unreadable`` with the reason when no
        reader takes them."""
        from .attach import UnreadableAttachment, detect_kind, read_attachment

        data = archived.body
        loaded = LoadedAttachment(url, "read", size=len(data), sha256=archived.sha256,
                                  raw_path=archived.path, fetched_at=archived.fetched_at)
        try:
            text = read_attachment(data, ocr=self.ocr, workers=self.workers, timeout=self.timeout,
                                   cache=self._text_cache())
        except UnreadableAttachment as e:
            loaded.status, loaded.reason, loaded.kind = "unreadable", _reason(e), detect_kind(data)
            return loaded
        except Exception as e:  # noqa: BLE001 (a reader's bug on one file costs that file)
            loaded.status, loaded.kind = "unreadable", detect_kind(data)
            loaded.reason = f"reader error: {type(e).__name__}: {e}"[:500]
            return loaded
        loaded.kind, loaded.reader, loaded.legacy = text.kind, text.reader, text.legacy
        # One column says how the text was had; a converted legacy font is what matters most.
        loaded.method = "legacy-converted" if text.legacy else text.method
        loaded.pages = len(text.pages)
        loaded.page_starts = [start for start, _ in text.pages]
        loaded.text = text.text
        try:
            loaded.extraction = extract(text.text, published)
        except Exception as e:  # noqa: BLE001 (the text is kept; the extractor's bug is reported)
            loaded.reason = f"extract error: {type(e).__name__}: {e}"[:500]
            return loaded
        loaded.text = loaded.extraction.text  # the offsets index the extractor's text
        return loaded

    def _text_cache(self) -> object:
        if self._cache is None:
            from .attach import TextCache

            self._cache = TextCache(text_cache_dir(self.archive.root))
        return self._cache


def _reason(error: Exception) -> str:
    reason = getattr(error, "reason", None) or str(error) or type(error).__name__
    return str(reason)[:500]
