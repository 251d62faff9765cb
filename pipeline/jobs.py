"""The jobs: scrape (crawl → archive → parse → extract → load), nightly (scrape under a lock,
one row per run) and reparse (the archive alone → the database).

Each notice is loaded in its own transaction as the crawler reports it, so a run killed at any
moment keeps everything loaded before the kill. The crawl's frontier is durable too: the pages a
listing page commits the crawl to visit (its new articles, the next page) wait in ``crawl_queue``
until visited, and the next run visits what a killed run left there first, then finishes the rest.
"""
from __future__ import annotations

import fcntl
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from extractors import Extraction, canonical_number, extract

from . import config, exits
from .archive import Archive
from .crawl import ArticleFetched, Crawler, Failure, ListingScanned, RegisterRows, cached_listings
from .exits import UserError
from .fetch import Fetcher, utc_now
from .htmltext import ParseError, decode_html
from .models import FetchFailure, Notice, RunStats
from .parse import notice_text, parse_register
from .profile import SiteProfile, load_profile
from .progress import Progress, advance, expect
from .store import Store
from .urls import same_host, site_of



@dataclass
class ScrapeOptions:
    base_url: str = config.DEFAULT_BASE_URL
    db: str = config.DEFAULT_DB
    raw_dir: str = config.DEFAULT_RAW_DIR
    delay: float = config.DEFAULT_DELAY
    timeout: float = config.DEFAULT_TIMEOUT
    max_bytes: int = config.DEFAULT_MAX_BYTES
    backoff: float = config.DEFAULT_BACKOFF  # first pause before a retry; doubles each time
    profile: str = "liferay"
    refresh: bool = False  # refetch the known articles the walk meets (finds changed ones)
    full: bool = False  # walk every page of every listing (a backfill)
    discover: bool = False  # fetch the home page even when its menu is archived
    sweep: bool = True  # resolve_undated() at the end; a run of many portals sweeps once, after all
    stop: threading.Event | None = None  # set: stop at the next page, as Ctrl-C would (--portals threads)


def extract_notice(notice: Notice) -> Extraction:
    """The extraction of one parsed notice (pure: rebuild workers run it in other processes)."""
    return extract(notice_text(notice.title, notice.body),
                   notice.published.isoformat() if notice.published else None, notice.title)


def load_notice(store: Store, notice: Notice) -> int:
    """Extract one parsed notice and load it (one transaction)."""
    return store.save_notice(notice, extract_notice(notice), notice.raw_path)


def scrape(opts: ScrapeOptions, progress: Progress | None = None) -> RunStats:
    """One incremental crawl of a portal into the archive and the database."""
    say = progress or (lambda message: None)
    profile = load_profile(opts.profile)
    archive = Archive(opts.raw_dir)
    stats = RunStats(started_at=utc_now(), base_url=opts.base_url)
    with Store(opts.db) as store:
        run_id = store.start_run(opts.base_url)
        try:
            with Fetcher(opts.base_url, delay=opts.delay, timeout=opts.timeout, max_bytes=opts.max_bytes,
                         backoff=opts.backoff) as fetcher:
                in_register = store.known_register_numbers(site_of(opts.base_url))
                crawler = Crawler(
                    fetcher, archive, profile, opts.base_url, is_known=store.content_hash,
                    is_known_register=lambda number: canonical_number(number) in in_register,
                    known_listings=None if opts.discover else cached_listings(archive, profile, opts.base_url),
                    retry_urls=_retry_urls(store, opts.base_url), refresh=opts.refresh, full=opts.full)
                first_failure: FetchFailure | None = None
                try:
                    for event in crawler.run():
                        if opts.stop is not None and opts.stop.is_set():
                            raise KeyboardInterrupt  # another thread was interrupted: stop here too
                        if isinstance(event, Failure) and first_failure is None:
                            first_failure = event.failure
                        _handle(event, store, stats, run_id, say)
                finally:
                    stats.requests = fetcher.requests_made
                unreachable = bool(fetcher.log) and all(r.status is None for r in fetcher.log)
                robots_problem = next(iter(fetcher.robots_problem.values()), None)
            # The crawl ran to its end: whatever it queued, it visited (other portals' queues, in a
            # --portals night, are theirs to clear).
            store.clear_queue(_of_portal(store.queued_urls(), opts.base_url))
            # Every save settled its own documents already; the full sweep is a safety net that
            # costs seconds per 10,000 notices, so a run that loaded nothing skips it.
            if opts.sweep and (stats.new or stats.changed):
                store.resolve_undated()
            stats.status = "ok" if not stats.failed else "ok with failures"
            stats.message = markup_warning(stats)
            if unreachable:  # not one HTTP answer: the portal is down or the URL is wrong
                stats.status = "unreachable"
                why = robots_problem or (first_failure.reason if first_failure else "no answer")
                stats.message = f"portal unreachable, no HTTP answer from {opts.base_url}: {why}"
        except BaseException as e:  # a crash or Ctrl-C still leaves its run row
            stats.status, stats.message = run_end(e, stats)
            raise
        finally:
            stats.finished_at = utc_now()
            store.finish_run(run_id, stats)
    return stats


def run_end(error: BaseException, stats: RunStats) -> tuple[str, str]:
    """The status and message of a run that ``error`` ended: Ctrl-C is "interrupted" (the next
    run goes on from the crawl queue), anything else "failed" with a one-line reason."""
    if isinstance(error, KeyboardInterrupt):
        how = "SIGTERM" if isinstance(error, exits.Terminated) else "Ctrl-C"
        return "interrupted", f"interrupted ({how}) after {stats.pages_fetched} pages"
    return "failed", " ".join(f"{type(error).__name__}: {error}".split())[:500]
def markup_warning(stats: RunStats) -> str | None:
    """Say so when most articles of a run had to be read by the generic fallback: the portal's
    markup no longer matches the profile, and a night that read the wrong block must not look good."""
    read = stats.new + stats.changed + stats.unchanged
    if not stats.generic_pages or stats.generic_pages * 2 < read:
        return None
    return (f"{stats.generic_pages} of {read} articles read by the generic fallback, not the profile's "
            f"selectors: the portal's markup may have changed (see notices probe URL)")


def _retry_urls(store: Store, base_url: str) -> list[str]:
    """Last run's failures, then the pages a killed run had queued and never visited: this
    portal's only (one database may hold many portals, crawled at the same time)."""
    urls = [f.url for f in store.open_failures()] + store.queued_urls()
    return list(dict.fromkeys(_of_portal(urls, base_url)))


def _of_portal(urls: list[str], base_url: str) -> list[str]:
    return [u for u in urls if same_host(u, base_url)]


def _handle(event: object, store: Store, stats: RunStats, run_id: int, say: Progress) -> None:
    if isinstance(event, (ListingScanned, ArticleFetched, Failure)):
        advance(say)  # one page asked for
    if isinstance(event, ListingScanned):
        stats.pages_fetched += 1
        # A register page stays queued until its rows are stored (RegisterRows comes next).
        pending = event.pending + ([(event.url, event.kind)] if event.kind == "register" else [])
        store.visited(event.url, pending, run_id)
    elif isinstance(event, ArticleFetched):
        stats.pages_fetched += 1
        notice = event.notice
        if notice.generic:
            stats.generic_pages += 1
        if not event.is_new and store.content_hash(notice.site, notice.article_id) == notice.content_hash:
            stats.unchanged += 1
            store.visited(notice.url)
            return
        try:
            load_notice(store, notice)
        except Exception as e:  # one bad page never stops a run; the raw page is archived
            _fail(store, stats, run_id, FetchFailure(notice.url, f"extract/load error: {type(e).__name__}: {e}",
                                                     kind="article", at=utc_now()))
            return
        store.visited(notice.url)
        if event.is_new:
            stats.new += 1
            say(f"new: {notice.published} {notice.title[:80]}")
        else:
            stats.changed += 1
            say(f"changed: {notice.published} {notice.title[:80]}")
    elif isinstance(event, RegisterRows):
        stats.register_rows += store.save_register(event.entries)
        store.visited(event.url)
    elif isinstance(event, Failure):
        _fail(store, stats, run_id, event.failure)
        say(f"failed: {event.failure.url}: {event.failure.reason}")


def _fail(store: Store, stats: RunStats, run_id: int, failure: FetchFailure) -> None:
    stats.failed += 1
    store.record_failure(failure, run_id)


def reparse(db: str, raw_dir: str, profile_name: str = "liferay", progress: Progress | None = None) -> RunStats:
    """Rebuild the database from the archive alone: every archived article version in order,
    one transaction per notice, then the register. No network. The reference the faster
    rebuilds (``pipeline.rebuild``) are held to: they read and load pages the same way."""
    from .rebuild import load_page, pages_serial

    say = progress or (lambda message: None)
    archive = Archive(raw_dir)
    stats = RunStats(started_at=utc_now(), base_url=f"reparse {raw_dir}")
    with run_lock(db, "reparse"), Store(db) as store:
        store.close_interrupted_runs()  # holding the lock, a run still "running" is dead
        run_id = store.start_run(stats.base_url)
        try:
            paths = list(archive.paths("article", latest_only=False))
            expect(say, len(paths))
            for page in pages_serial(paths, raw_dir, profile_name):
                load_page(store, page, stats, run_id, settle=True)
                advance(say)
            load_register_pages(store, archive, load_profile(profile_name), stats, run_id)
            store.resolve_undated()
            stats.status = "ok" if not stats.failed else "ok with failures"
        except BaseException as e:  # each notice is its own transaction: what was loaded stays
            stats.status, stats.message = run_end(e, stats)
            raise
        finally:
            stats.finished_at = utc_now()
            store.finish_run(run_id, stats)
    return stats


def close_interrupted_runs(db: str) -> int:
    """Mark the runs a kill left "running" as "interrupted" (call only under ``run_lock``)."""
    with Store(db) as store:
        return store.close_interrupted_runs()


def load_register_pages(store: Store, archive: Archive, profile: SiteProfile, stats: RunStats,
                        run_id: int) -> None:
    """The latest archived page of the register, each page parsed and its rows saved."""
    for page in archive.iter(kind="register", latest_only=True):
        try:
            parsed = parse_register(decode_html(page.body, page.headers), page.url, profile)
        except ParseError as e:
            _fail(store, stats, run_id, FetchFailure(page.url, f"parse error: {e}", page.status, "register", utc_now()))
            continue
        stats.register_rows += store.save_register(parsed.entries)


class AlreadyRunning(UserError):
    """Another job writing the database holds the lock."""

    exit_code = exits.LOCKED


@contextmanager
def run_lock(db: str, what: str = "nightly") -> Iterator[None]:
    """One writing job (scrape, nightly, reparse) at a time per database. An OS file lock: it
    dies with its process, so a run killed with SIGKILL leaves no stale lock behind."""
    path = Path(f"{db}.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "unknown"
            raise AlreadyRunning(f"another notices job is running on {db} ({holder}); exiting") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"notices {what}, pid {os.getpid()} since {utc_now()}".encode(), 0)
        yield
    finally:
        os.close(fd)
