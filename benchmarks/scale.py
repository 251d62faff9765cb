"""Scale figures: rebuild time and memory by archive size and engine, and full-text query
latency on 100,000 notices. Prints figures; asserts nothing (targets: brief/DESIGN.md).

    python benchmarks/scale.py                  # rebuilds of 1k and 10k pages, search on 100k
    python benchmarks/scale.py --large          # and a rebuild of 100k (NOTICES_BENCH_LARGE=1)

Archives (synthetic notices, ``benchmarks/synthetic.py``) and the 100k database are built once
under ``benchmarks/.cache/`` (ignored by git) and reused. Every rebuild runs the real CLI in a
fresh database; time, CPU (all processes) and peak memory (summed PSS of all processes, and
the largest single process) come from ``measure.py``. This machine is shared: the load average
before each run is printed, and CPU seconds say what the job itself cost.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from measure import Measured, run  # noqa: E402
from synthetic import GENERATOR_VERSION, build_archive  # noqa: E402

CACHE = HERE / ".cache"
NOTICES = str(Path(sys.executable).with_name("notices"))
ENGINES = {  # name -> extra arguments of `notices reparse`
    "reparse (1 process, per-notice transactions)": [],
    "--workers 1 (bulk writer)": ["--workers", "1"],
    "--workers 2": ["--workers", "2"],
    "--dask local (2 workers)": ["--dask", "local"],
}
PLAN = {1_000: list(ENGINES), 10_000: [e for e in ENGINES if "--workers 1" not in e], 100_000: ["--workers 2"]}
QUERIES = ["cai cach hanh chinh", "cải cách hành chính", "doi moi sang tao", "chuyển đổi số", "dich ta lon chau phi",
           "nghiệm thu đề tài", "Quảng Trị", "giong san khang benh"]


def load() -> str:
    return "load %.1f" % os.getloadavg()[0]


def rebuild(raw: Path, db: Path, extra: list[str]) -> Measured:
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    # Not --quiet: a rebuild with workers ends with the writer's share on stderr.
    return run([NOTICES, "reparse", "--db", str(db), "--raw-dir", str(raw), *extra])


def writer_share(m: Measured) -> str:
    """The rebuild's own account of its writer ("writer: 9.1 s of 21.0 s (43%): ...")."""
    line = next((ln for ln in m.stderr.splitlines() if ln.startswith("writer: ")), "")
    return line.removeprefix("writer: ") or "-"


def rebuild_table(sizes: list[int], engines: list[str] | None = None) -> None:
    print("## Rebuild from the archive (`notices reparse`), fresh database, 2 cores")
    print("| pages | engine | wall s | pages/s | CPU s | peak memory, all processes (PSS) | largest process (RSS) "
          "| load before | the writer |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    for n in sizes:
        raw = build_archive(CACHE / f"archive-{n // 1000}k", n)
        for engine in PLAN[n]:
            if engines and not any(e in engine for e in engines):
                continue
            before = load()
            # The 100k rebuild leaves the database the search figures use (kept in the cache).
            target = _db_100k() if n == 100_000 else CACHE / "rebuild.db"
            m = rebuild(raw, target, ENGINES[engine])
            if n == 100_000:
                _mark_100k()
            print(f"| {n:,} | {engine} | {m.seconds:.1f} | {n / m.seconds:,.0f} | {m.cpu_seconds:.0f} | "
                  f"{m.peak_total_mb:.0f} MB | {m.peak_process_mb:.0f} MB | {before} | {writer_share(m)} |", flush=True)
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{CACHE / 'rebuild.db'}{suffix}").unlink(missing_ok=True)


_STAMP = json.dumps({"n": 100_000, "version": GENERATOR_VERSION})


def _db_100k() -> Path:
    folder = CACHE / "db-100k"
    (folder / ".complete").unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "notices.db"


def _mark_100k() -> None:
    (CACHE / "db-100k" / ".complete").write_text(_STAMP)


def database_100k() -> Path:
    """The 100k-notice database, built once by a rebuild of the 100k archive."""
    db, marker = CACHE / "db-100k" / "notices.db", CACHE / "db-100k" / ".complete"
    if marker.exists() and marker.read_text() == _STAMP:
        return db
    print("building the 100k archive and database once (benchmarks/.cache/) ...", flush=True)
    raw = build_archive(CACHE / "archive-100k", 100_000)
    m = rebuild(raw, _db_100k(), ["--workers", "2"])
    print(f"100,000 pages rebuilt with --workers 2 in {m.seconds:.0f} s ({100_000 / m.seconds:,.0f} pages/s, "
          f"{m.cpu_seconds:.0f} CPU s), peak {m.peak_total_mb:.0f} MB (all processes)", flush=True)
    _mark_100k()
    return db


def _canned(name: str) -> str:
    metadata = json.loads((HERE.parent / "pipeline" / "datasette" / "metadata.json").read_text("utf-8"))
    return metadata["databases"]["notices"]["queries"][name]["sql"]


def _median_ms(conn: sqlite3.Connection, sql: str, params: dict, runs: int) -> tuple[float, list]:
    result = conn.execute(sql, params).fetchall()  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        conn.execute(sql, params).fetchall()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def search_table(db: Path, runs: int = 15) -> None:
    """Each query four ways on SQLite (the FTS index alone; the canned query search_newest; the
    SQL Datasette runs for /notices/notices?_search=, newest first, and its count), then the two
    pages through a real Datasette (`notices serve`): the table's search and the canned query."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    from datasette.utils import escape_fts

    conn.create_function("escape_fts", 1, escape_fts)
    total = conn.execute("select count(*) from notices").fetchone()[0]
    print(f"\n## Full-text search on {total:,} notices ({db.stat().st_size / 1e9:.1f} GB file), median ms")
    print("| query | matches | FTS index: all matches | `search_newest` (50 newest) | Datasette's table search SQL "
          "| its count | HTTP: `search_newest` page | HTTP: `notices?_search=` page |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    index = "select rowid from notices_fts where notices_fts match escape_fts(:q)"
    table = ("select * from notices where id in (select rowid from notices_fts where notices_fts match"
             " escape_fts(:q)) order by published desc limit 51")  # as Datasette 0.65 writes it
    count = ("select count(*) from notices where id in (select rowid from notices_fts"
             " where notices_fts match escape_fts(:q))")
    with datasette(db) as base:
        for query in QUERIES:
            params = {"q": query}
            fts, rows = _median_ms(conn, index, params, runs)
            newest, _ = _median_ms(conn, _canned("search_newest"), params, runs)
            page, _ = _median_ms(conn, table, params, max(3, runs // 3))
            counted, _ = _median_ms(conn, count, params, runs)
            canned_http = _http_ms(f"{base}/notices/search_newest?q={urllib.parse.quote_plus(query)}")
            table_http = _http_ms(f"{base}/notices/notices?_search={urllib.parse.quote_plus(query)}", runs=3)
            print(f"| {query} | {len(rows):,} | {fts:.0f} | {newest:.0f} | {page:.0f} | {counted:.0f} | "
                  f"{canned_http:.0f} | {table_http:.0f} |", flush=True)
    conn.close()


class datasette:
    """`notices serve` on a free port, for the duration of a with block."""

    def __init__(self, db: Path) -> None:
        self.db = db

    def __enter__(self) -> str:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.proc = subprocess.Popen([NOTICES, "serve", "--db", str(self.db), "--port", str(port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=1).read()
                return base
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("Datasette did not start")

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait()


def _http_ms(url: str, runs: int = 5) -> float:
    urllib.request.urlopen(url, timeout=60).read()  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        urllib.request.urlopen(url, timeout=60).read()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def sweep_time(db: Path) -> None:
    """The full settling sweep every single-portal scrape ends with, on a copy of the 100k file."""
    copy = CACHE / "sweep.db"
    shutil.copy(db, copy)
    code = ("import sys, time; from pipeline.store import Store; s = Store(sys.argv[1]); "
            "t = time.perf_counter(); s.resolve_undated(); print(time.perf_counter() - t)")
    seconds = float(subprocess.run([sys.executable, "-c", code, str(copy)], check=True, capture_output=True,
                                   text=True, cwd=HERE.parent).stdout)
    print(f"\nend-of-run settling sweep (resolve_undated) on the 100k database: {seconds:.1f} s")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--large", action="store_true", default=bool(os.environ.get("NOTICES_BENCH_LARGE")),
                    help="also rebuild 100k pages (NOTICES_BENCH_LARGE=1)")
    ap.add_argument("--sizes", default=None, help="comma-separated archive sizes to rebuild (default 1000,10000)")
    ap.add_argument("--no-search", action="store_true", help="skip the 100k search figures")
    ap.add_argument("--engines", default=None,
                    help="comma-separated parts of engine names to run (e.g. 'workers 2'; default all)")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")] if a.sizes else [1_000, 10_000] + ([100_000] if a.large else [])
    CACHE.mkdir(exist_ok=True)
    print(f"machine: {os.cpu_count()} cores; {load()}\n")
    rebuild_table(sizes, a.engines.split(",") if a.engines else None)
    if not a.no_search:
        db = database_100k()
        search_table(db)
        sweep_time(db)


if __name__ == "__main__":
    main()
