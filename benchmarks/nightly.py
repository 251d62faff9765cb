"""What a nightly run costs against the mock portal: the first run (everything new), a run with
nothing new (requests and seconds, with no delay and with the polite 1 s), and many portals at
once (``--portals``: hosts in parallel, one queue per host). Prints figures; asserts nothing.

    python benchmarks/nightly.py [--articles 1000] [--portals 4]

The portals are ``tests/portal.py`` mock portals on 127.0.0.1, 127.0.0.2, ... (distinct hosts)
filled with synthetic notices (``synthetic.py``), 20 to a listing page as on the real site.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from click.testing import CliRunner  # noqa: E402

from pipeline.cli import main as notices  # noqa: E402
from synthetic import Generator  # noqa: E402
from tests.portal import CATEGORIES, MockPortal  # noqa: E402


def portal_with(generator: Generator, first: int, count: int, host: str) -> MockPortal:
    portal = MockPortal.from_fixtures(per_page=20)
    categories = sorted(CATEGORIES)
    for i in range(first, first + count):
        _, article = generator.notice(i)
        portal.add_article(article.title, article.paragraphs, article.published, categories[i % len(categories)],
                           article.article_id)
    return portal.start(host=host)


def nightly(*args: str) -> tuple[float, str]:
    start = time.perf_counter()
    result = CliRunner().invoke(notices, ["nightly", "-q", *args])
    if result.exit_code != 0:
        raise RuntimeError(result.output)
    return time.perf_counter() - start, result.output.strip()


def requests_of(portals: list[MockPortal]) -> int:
    return sum(len(p.paths()) for p in portals)


def single(generator: Generator, articles: int, tmp: Path) -> None:
    portal = portal_with(generator, 0, articles, "127.0.0.1")
    base = ["--base-url", portal.base_url, "--db", str(tmp / "one.db"), "--raw-dir", str(tmp / "raw-one")]
    try:
        print(f"## One portal: {articles + 12:,} articles in {len(portal.categories)} listings of 20 a page, a register")
        print("| run | requests | seconds |")
        print("| --- | ---: | ---: |")
        seconds, _ = nightly(*base, "--delay", "0")
        print(f"| first run, everything new, --delay 0 | {requests_of([portal]):,} | {seconds:.1f} |", flush=True)
        for delay in ("0", "1"):
            portal.clear_log()
            seconds, _ = nightly(*base, "--delay", delay)
            print(f"| nothing new, --delay {delay} | {requests_of([portal])} ({', '.join(_kinds(portal))}) "
                  f"| {seconds:.1f} |", flush=True)
    finally:
        portal.stop()


def _kinds(portal: MockPortal) -> list[str]:
    paths = portal.paths()
    listings = sum(1 for p in paths if "/danh-sach-tin/" in p)
    return [f"{paths.count('/robots.txt')} robots.txt", f"{listings} listings",
            f"{sum(1 for p in paths if 'van-ban' in p)} register", f"{len(paths) - listings - 2} other"]


def many(generator: Generator, count: int, articles: int, tmp: Path) -> None:
    portals = [portal_with(generator, 10_000 + k * articles, articles, f"127.0.0.{k + 1}") for k in range(count)]
    db, raw = str(tmp / "many.db"), str(tmp / "raw-many")
    try:
        print(f"\n## {count} portals at once (`nightly --portals`), {articles + 12:,} articles each, one host each")
        print("| run | requests | seconds |")
        print("| --- | ---: | ---: |")
        for label, delay, parallel in [("first run, everything new", 0, count), ("nothing new", 0, count),
                                       ("nothing new", 0.5, count), ("nothing new, one host at a time", 0.5, 1)]:
            file = tmp / "portals.toml"
            file.write_text(f"delay = {delay}\nparallel = {parallel}\n" + "".join(
                f'[[portal]]\nbase_url = "{p.base_url}"\n' for p in portals), encoding="utf-8")
            for p in portals:
                p.clear_log()
            seconds, _ = nightly("--portals", str(file), "--db", db, "--raw-dir", raw)
            print(f"| {label}, delay {delay} s, parallel {parallel} | {requests_of(portals):,} | {seconds:.1f} |",
                  flush=True)
    finally:
        for p in portals:
            p.stop()


def on_big_database(generator: Generator, big: Path, tmp: Path) -> None:
    """A nothing-new run whose database already holds 100,000 notices (a copy of the cached one)."""
    import shutil

    db = tmp / "big.db"
    shutil.copy(big, db)
    portal = portal_with(generator, 200_000, 100, "127.0.0.1")
    base = ["--base-url", portal.base_url, "--db", str(db), "--raw-dir", str(tmp / "raw-big"), "--delay", "0"]
    try:
        nightly(*base)
        portal.clear_log()
        seconds, _ = nightly(*base)
        print(f"\nnothing new, --delay 0, the database holding {100_000 + 112:,} notices: "
              f"{requests_of([portal])} requests, {seconds:.1f} s")
    finally:
        portal.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--portals", type=int, default=4)
    a = ap.parse_args()
    generator = Generator()
    with tempfile.TemporaryDirectory() as folder:
        single(generator, a.articles, Path(folder))
        many(generator, a.portals, a.articles // a.portals, Path(folder))
        big = HERE / ".cache" / "db-100k" / "notices.db"
        if (big.parent / ".complete").exists():  # made by scale.py
            on_big_database(generator, big, Path(folder))


if __name__ == "__main__":
    main()
