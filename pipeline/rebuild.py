"""Rebuild the database from the archive on every core: ``notices reparse --workers N`` (and,
through ``dask_rebuild.py``, on a Dask cluster: ``--dask``).

    archive.paths() ──▶ workers: read + parse + extract ──▶ this process: load, in archive order

Extraction is a pure function of one archived file, so it runs in any process; SQLite takes one
writer, so this process does every write. Pages come back in archive order (the order of the
single-process ``reparse``), so notices, units, citations and tasks get the same ids.

Memory stays flat whatever the archive's size: paths are listed lazily, workers receive chunks
of names (never bodies), and at most ``WINDOW_PER_WORKER`` chunks per worker are in flight.
``multiprocessing.Pool.imap`` would not do: its result queue grows without bound whenever the
writer is slower than the workers.

The writer defers what can be done once at the end (docs/DATABASE.md, "Rebuilds"):
- the full-text index: its triggers are dropped, and the index is rebuilt in one pass;
- settling documents: ``save_notice(settle=False)``, then one ``resolve_undated()`` sweep;
- commits: one transaction per ``batch`` notices (each notice a savepoint inside).
The end state is the single-process path's (tests/test_rebuild.py proves it table by table).
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache
from itertools import islice
from typing import TypeVar

from extractors import extract

from .archive import Archive
from .attachments import Attachments
from .fetch import utc_now
from .htmltext import ParseError
from .jobs import extract_notice, load_register_pages, run_end, run_lock
from .models import FetchFailure, ParsedPage, RunStats
from .parse import parse_article
from .profile import SiteProfile, load_profile
from .progress import Progress, advance, expect
from .store import Store

T = TypeVar("T")

CHUNK = 16  # pages per task: big enough to hide the per-task cost, small enough to balance
WINDOW_PER_WORKER = 4  # chunks in flight per worker: keeps workers busy while the writer writes
DEFAULT_BATCH = 250  # notices per transaction in a rebuild


# --- the pure part: one archived file -> ParsedPage (runs in the workers) ---------------------

@lru_cache(maxsize=8)
def _profile(name: str) -> SiteProfile:
    return load_profile(name)


@lru_cache(maxsize=8)
def _files(raw_dir: str, profile: str) -> Attachments:
    """One reader of archived attachments per worker (its text cache remembers the readers)."""
    return Attachments(Archive(raw_dir), _profile(profile), workers=1)


def parse_archived(path: str, raw_dir: str, profile: str = "liferay") -> ParsedPage:
    """Read, parse and extract one archived article page. Never raises for a bad page: the
    reason comes back in ``error`` and the writer records it, as a scrape would."""
    try:
        page = Archive(raw_dir).read(path)
    except (OSError, EOFError, ValueError, KeyError) as e:  # missing, truncated gzip, bad header
        return ParsedPage(path, error=f"unreadable archive file: {type(e).__name__}: {e}")
    try:
        notice = parse_article(page.body, page.url, _profile(profile), page.headers)
    except (ParseError, ValueError) as e:
        return ParsedPage(path, page.url, page.status, error=f"parse error: {e}")
    notice.raw_path, notice.fetched_at = page.path, page.fetched_at
    try:
        extraction = extract_notice(notice)
    except Exception as e:  # an extractor bug on one page must not stop a rebuild
        return ParsedPage(path, page.url, page.status, error=f"extract error: {type(e).__name__}: {e}")
    # Its files as the archive holds them, their text from the cache (OCR runs again only for a
    # reader that changed, then one file at a time: the rebuild's workers are the parallelism).
    files = _files(raw_dir, profile)
    published = notice.published.isoformat() if notice.published else None
    attachments = [files.load(url, published) for url in notice.attachments]
    return ParsedPage(path, page.url, page.status, notice, extraction, attachments=attachments)


def parse_chunk(paths: Sequence[str], raw_dir: str, profile: str) -> list[ParsedPage]:
    return [parse_archived(path, raw_dir, profile) for path in paths]


def warm_up(profile: str) -> None:
    """Load the profile and the extractor's data once per worker, before the first task.
    Ctrl-C reaches the whole process group: the parent stops the pool and records the run
    "interrupted"; a worker ignores it, or each would print its own traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _profile(profile)
    extract("Kế hoạch số 97/KH-SKHCN ngày 28/12/2023; Văn phòng Sở báo cáo trước ngày 26/8/2024.",
            "2024-08-22")


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while group := list(islice(iterator, size)):
        yield group


# --- engines: paths -> ParsedPage, in order ---------------------------------------------------

def pages_serial(paths: Iterable[str], raw_dir: str, profile: str) -> Iterator[ParsedPage]:
    for path in paths:
        yield parse_archived(path, raw_dir, profile)


def _context() -> multiprocessing.context.BaseContext:
    # forkserver: workers fork from a clean single-threaded server that has imported the
    # extractor once, never from this process (which may run threads: a portal in the tests,
    # the SQLite connection). spawn where there is no forkserver.
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["pipeline.rebuild"])
        return ctx
    return multiprocessing.get_context("spawn")


def pages_in_processes(paths: Iterable[str], raw_dir: str, profile: str, workers: int,
                       chunk: int = CHUNK) -> Iterator[ParsedPage]:
    """``parse_archived`` over ``paths`` in ``workers`` processes, results in input order, at
    most ``WINDOW_PER_WORKER * workers`` chunks submitted and not yet consumed."""
    window = WINDOW_PER_WORKER * workers
    with _context().Pool(workers, initializer=warm_up, initargs=(profile,)) as pool:
        pending: deque[multiprocessing.pool.AsyncResult] = deque()
        for group in chunks(paths, chunk):
            pending.append(pool.apply_async(parse_chunk, (group, raw_dir, profile)))
            if len(pending) >= window:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


# --- the writer ---------------------------------------------------------------------------

def rebuild(db: str, raw_dir: str, profile: str = "liferay", *, workers: int = 2,
            dask: str | None = None, batch: int = DEFAULT_BATCH,
            progress: Progress | None = None) -> RunStats:
    """Rebuild ``db`` from every archived article version and the register: extraction in
    ``workers`` processes (or on the Dask scheduler ``dask``: an address, or "local"), the
    writes here. Holds the nightly lock (``AlreadyRunning`` if a job runs on ``db``)."""
    archive = Archive(raw_dir)
    paths = list(archive.paths("article", latest_only=False))  # names only; the count feeds the bar
    expect(progress, len(paths))
    if dask:
        from .dask_rebuild import dask_pages

        pages = dask_pages(dask, paths, raw_dir, profile, workers)
        how = f"--dask {dask}"
    elif workers > 1:
        pages = pages_in_processes(paths, str(archive.root), profile, workers)
        how = f"--workers {workers}"
    else:
        pages = pages_serial(paths, raw_dir, profile)
        how = "--workers 1"
    with run_lock(db, "reparse"), Store(db) as store:
        store.close_interrupted_runs()  # holding the lock, a run still "running" is dead
        return load_pages(store, pages, archive, load_profile(profile), label=f"reparse {raw_dir} {how}",
                          batch=batch, progress=progress)


def load_pages(store: Store, pages: Iterable[ParsedPage], archive: Archive, profile: SiteProfile,
               *, label: str, batch: int = DEFAULT_BATCH, progress: Progress | None = None) -> RunStats:
    """Write parsed pages in order, ``batch`` per transaction, with the search index paused and
    documents settled once at the end; then the register. One ``scrape_runs`` row."""
    say = progress or (lambda message: None)
    stats = RunStats(started_at=utc_now(), base_url=label)
    run_id = store.start_run(label)
    store.pause_full_text()
    clock = _WriterClock()
    try:
        for group in chunks(clock.waiting(pages), batch):
            with clock.writing(), store.batch():
                for page in group:
                    load_page(store, page, stats, run_id, settle=False)
            advance(say, len(group))
        with clock.writing():
            load_register_pages(store, archive, profile, stats, run_id)
    except BaseException as e:  # a crash or Ctrl-C still leaves its run row and a usable index
        stats.status, stats.message = run_end(e, stats)
        raise
    finally:
        with clock.ending():
            say("rebuilding the full-text index")
            store.resume_full_text()
            if stats.status not in ("failed", "interrupted"):
                say("settling documents")
                store.resolve_undated()
                stats.status = "ok" if not stats.failed else "ok with failures"
        stats.finished_at = utc_now()
        store.finish_run(run_id, stats)
        say(clock.summary(stats.pages_fetched))
    return stats


class _WriterClock:
    """Where the writer's time goes: writing the pages, waiting for the workers' next page,
    and the end (search index, settling). A rebuild is as fast as its writer allows when
    the writer never waits."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.write = self.wait = self.end = 0.0

    def waiting(self, pages: Iterable[ParsedPage]) -> Iterator[ParsedPage]:
        iterator = iter(pages)
        while True:
            t = time.perf_counter()
            try:
                page = next(iterator)
            except StopIteration:
                self.wait += time.perf_counter() - t
                return
            self.wait += time.perf_counter() - t
            yield page

    def writing(self) -> AbstractContextManager[None]:
        return self._timed("write")

    def ending(self) -> AbstractContextManager[None]:
        return self._timed("end")

    @contextmanager
    def _timed(self, share: str) -> Iterator[None]:
        """Add the time spent inside to one share of the rebuild ("write" or "end")."""
        t = time.perf_counter()
        try:
            yield
        finally:
            setattr(self, share, getattr(self, share) + time.perf_counter() - t)

    def summary(self, pages: int) -> str:
        total = time.perf_counter() - self.start
        writer = self.write + self.end
        per_page = f" ({self.write / pages * 1000:.2f} ms a page)" if pages else ""
        return (f"writer: {writer:.1f} s of {total:.1f} s ({writer / total:.0%}): writing {self.write:.1f} s"
                f"{per_page}, index and settling at the end {self.end:.1f} s; "
                f"waiting for the workers {self.wait:.1f} s")


def load_page(store: Store, page: ParsedPage, stats: RunStats, run_id: int, *, settle: bool) -> None:
    """Save one parsed page's notice (``settle``: its documents now, else in the end sweep),
    or record why it has none."""
    stats.pages_fetched += 1
    if page.notice is not None and page.extraction is not None:
        try:
            store.save_notice(page.notice, page.extraction, page.notice.raw_path,
                              attachments=page.attachments, settle=settle)
            stats.new += 1
            return
        except Exception as e:  # the savepoint rolled this notice back; the batch goes on
            page.error = f"load error: {type(e).__name__}: {e}"
    stats.failed += 1
    store.record_failure(FetchFailure(page.url or f"archive:{page.path}", page.error or "no notice",
                                      page.status, "article", utc_now()), run_id)
