"""Many portals in one nightly run: ``notices nightly --portals FILE``.

The same Liferay platform serves dozens of agencies of the province (sở, huyện, xã), so a
portals file lists them and one run crawls them all:

    delay = 1.0        # seconds between two requests to one host (default for every portal)
    parallel = 8       # hosts crawled at the same time

    [[portal]]
    name = "Sở KH&CN Quảng Trị"
    base_url = "https://sokhcn.quangtri.gov.vn"
    profile = "liferay"            # a bundled profile, or a TOML path (relative to this file)

    [[portal]]
    base_url = "https://snnmt.quangtri.gov.vn"
    delay = 2.0

Politeness is per host: one thread per host, and the portals of one host (the same name on
other ports or paths) run one after the other in that thread, each with its own ``Fetcher``
(its delay, its robots.txt). Different hosts run at the same time.

Each portal is an ordinary ``jobs.scrape`` with its own ``Store`` connection and its own
``scrape_runs`` row. SQLite takes one writer at a time: every write is a short
``BEGIN IMMEDIATE`` transaction (one notice) and the others wait for it (``busy_timeout``);
the long end-of-run sweep (``resolve_undated``) is done once, after every portal, instead of
once per portal while the others wait. A portal that fails (its server down, its crawl
crashing) gets a "failed" row and never stops the others.
"""
from __future__ import annotations

import threading
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from .fetch import utc_now
from .jobs import ScrapeOptions, scrape
from .models import PortalRun, PortalSpec, RunStats
from .profile import load_profile
from .progress import Progress
from .store import Store
from .urls import host_key, site_of

DEFAULT_PARALLEL = 8
_FILE_KEYS = {"delay", "parallel", "profile", "portal"}
_PORTAL_KEYS = {"base_url", "profile", "delay", "name"}


class PortalsError(ValueError):
    """A portals file that cannot be used; the message says where and why."""


@dataclass
class PortalsFile:
    portals: list[PortalSpec]
    delay: float | None = None  # the default for portals without their own; None: --delay
    parallel: int = DEFAULT_PARALLEL


def load_portals(path: str | Path) -> PortalsFile:
    """Read and check a portals file: every base URL valid, every profile loadable, no unknown
    keys (a typo must not silently crawl with defaults)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise PortalsError(f"{path}: {e}") from None
    _no_unknown(data, _FILE_KEYS, f"{path}")
    default_profile = data.get("profile", "liferay")
    delay = _delay(data.get("delay"), f"{path}: delay")
    parallel = data.get("parallel", DEFAULT_PARALLEL)
    if not isinstance(parallel, int) or isinstance(parallel, bool) or parallel < 1:
        raise PortalsError(f"{path}: parallel must be a whole number ≥ 1, not {parallel!r}")
    entries = data.get("portal", [])
    if not isinstance(entries, list) or not entries:
        raise PortalsError(f"{path}: no [[portal]] entries")
    portals, seen = [], set()
    for n, entry in enumerate(entries, start=1):
        where = f"{path}: portal {n}"
        if not isinstance(entry, dict):
            raise PortalsError(f"{where}: not a table")
        _no_unknown(entry, _PORTAL_KEYS, where)
        base_url = entry.get("base_url")
        if not isinstance(base_url, str) or host_key(base_url) is None:
            raise PortalsError(f"{where}: base_url must be an http(s) URL with a host, not {base_url!r}")
        try:
            site_of(base_url)
        except ValueError as e:
            raise PortalsError(f"{where}: {e}") from None
        if base_url.rstrip("/") in seen:
            raise PortalsError(f"{where}: {base_url} is listed twice")
        seen.add(base_url.rstrip("/"))
        profile = _profile(entry.get("profile", default_profile), path.parent, where)
        portals.append(PortalSpec(base_url=base_url, profile=profile,
                                  delay=_delay(entry.get("delay"), f"{where}: delay"), name=entry.get("name")))
    return PortalsFile(portals, delay, parallel)


def _no_unknown(table: dict, known: set[str], where: str) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        raise PortalsError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})")


def _delay(value: object, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise PortalsError(f"{where} must be a number of seconds ≥ 0, not {value!r}")
    return float(value)


def _profile(name: object, folder: Path, where: str) -> str:
    if not isinstance(name, str) or not name:
        raise PortalsError(f"{where}: profile must be a name or a TOML path, not {name!r}")
    if name.endswith(".toml") and not Path(name).is_absolute():
        name = str(folder / name)
    try:
        load_profile(name)
    except (ValueError, KeyError, OSError, tomllib.TOMLDecodeError) as e:
        raise PortalsError(f"{where}: profile {name!r}: {e}") from None
    return name


def by_host(portals: list[PortalSpec]) -> dict[str, list[PortalSpec]]:
    """Portals grouped by host name (ports aside: one machine, one polite queue), file order."""
    groups: dict[str, list[PortalSpec]] = {}
    for portal in portals:
        groups.setdefault(site_of(portal.base_url), []).append(portal)
    return groups


def crawl_portals(portals: PortalsFile, opts: ScrapeOptions, progress: Progress | None = None) -> list[PortalRun]:
    """Crawl every portal (``opts`` gives the database, archive and crawl flags; each portal its
    URL, profile and delay), hosts in parallel, then settle documents once. Results in file
    order. Never raises for a portal's failure: it is in its ``PortalRun`` and its run row."""
    say = progress or (lambda message: None)
    with Store(opts.db):  # migrate (or repair) once, before the threads open their connections
        pass
    groups = by_host(portals.portals)
    results: dict[int, PortalRun] = {}
    opts = replace(opts, stop=threading.Event())

    def crawl_host(group: list[PortalSpec]) -> None:
        for portal in group:
            results[id(portal)] = _crawl_one(portal, opts, portals.delay, say)

    with ThreadPoolExecutor(max_workers=min(portals.parallel, len(groups)),
                            thread_name_prefix="portal") as pool:
        try:
            for future in [pool.submit(crawl_host, group) for group in groups.values()]:
                future.result()  # _crawl_one never raises but for Ctrl-C; else a bug in the runner
        except BaseException:
            # Ctrl-C reaches this thread only: every portal stops at its next page and records
            # its run "interrupted"; the pool waits for them before this goes on up.
            opts.stop.set()
            raise
    runs = [results[id(portal)] for portal in portals.portals]
    if any(run.stats is not None and (run.stats.new or run.stats.changed) for run in runs):
        with Store(opts.db) as store:  # as jobs.scrape: only after a run that loaded something
            store.resolve_undated()
    return runs


def _crawl_one(portal: PortalSpec, opts: ScrapeOptions, default_delay: float | None, say: Progress) -> PortalRun:
    delay = portal.delay if portal.delay is not None else default_delay if default_delay is not None else opts.delay
    mine = replace(opts, base_url=portal.base_url, profile=portal.profile, delay=delay, sweep=False)
    before = _last_run_id(opts.db, portal)
    try:
        return PortalRun(portal, scrape(mine, lambda message: say(f"[{portal.label}] {message}")))
    except Exception as e:  # scrape wrote its "failed" row, unless it crashed before writing one
        error = f"{type(e).__name__}: {e}"[:500]
        say(f"[{portal.label}] failed: {error}")
        if _last_run_id(opts.db, portal) == before:
            _failed_row(opts.db, portal, error)
        return PortalRun(portal, None, error)


def _last_run_id(db: str, portal: PortalSpec) -> int | None:
    try:
        with Store(db) as store:
            return store.db.execute("select max(id) from scrape_runs where base_url = ?",
                                    [portal.base_url]).fetchone()[0]
    except Exception:  # the database itself is the problem: scrape will say so
        return None


def _failed_row(db: str, portal: PortalSpec, error: str) -> None:
    try:
        with Store(db) as store:
            stats = RunStats(started_at=utc_now(), base_url=portal.base_url, status="failed", message=error)
            store.finish_run(store.start_run(portal.base_url), stats)
    except Exception:  # nowhere to write it: the error is in the PortalRun and on stderr
        pass
