"""Store benchmark: load N seed-like notices into a fresh database, then time a full-text
query and the undated sweep. Prints figures; asserts nothing (targets: docs/DATABASE.md).

    .venv/bin/python bench/bench_store.py [N] [--popular]

By default each notice cites the seed's eight numbers renumbered per notice group (about
50 notices share a document), with one undated mention; --popular makes every notice cite
the same eight documents, the worst case for per-document work.
"""
from __future__ import annotations

import dataclasses
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent.parent), str(Path(__file__).parent.parent / "tests")]

from extractors.numbers import canonical_number  # noqa: E402
from pipeline.search import fts_query  # noqa: E402
from pipeline.store import Store  # noqa: E402
from store_samples import seed  # noqa: E402


def variants(n: int, popular: bool):
    notice, extraction = seed()
    for i in range(n):
        group = 0 if popular else i // 50
        refs = []
        for j, ref in enumerate(extraction.references):
            number = ref.number if popular else canonical_number(f"{group * 10 + j + 1}/{ref.number.split('/', 1)[1]}")
            undated = j == 0 and i % 3 == 0
            refs.append(dataclasses.replace(ref, number=number, issued=None if undated else ref.issued))
        published = date(2020, 1, 1) + timedelta(days=i % 1800)
        yield (dataclasses.replace(notice, article_id=f"a{i}", published=published,
                                   content_hash=f"h{i}"),
               dataclasses.replace(extraction, references=refs, published=published.isoformat()))


def main() -> None:
    n = int(next((a for a in sys.argv[1:] if a.isdigit()), 2000))
    popular = "--popular" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "notices.db") as store:
            start = time.perf_counter()
            for notice, extraction in variants(n, popular):
                store.save_notice(notice, extraction)
            load = time.perf_counter() - start
            start = time.perf_counter()
            moved = store.resolve_undated()
            sweep = time.perf_counter() - start
            store.db.conn.create_function("escape_fts", 1, fts_query)  # as Datasette has it
            sql = ("select id, title from notices where id in (select rowid from notices_fts"
                   " where notices_fts match escape_fts(?)) order by published desc limit 50")
            fts = {}
            # tone marks only; then d/đ folded by the query (two spellings of "doi")
            for query in ("cai cach hanh chinh", "doi moi sang tao"):
                start = time.perf_counter()
                for _ in range(20):
                    store.db.execute(sql, [query]).fetchall()
                fts[query] = (time.perf_counter() - start) / 20
            counts = store.counts()
        size = (Path(tmp) / "notices.db").stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n} notices ({'popular' if popular else 'grouped'} citations): load {load:.1f} s "
          f"({n / load:.0f} notices/s), sweep {sweep:.2f} s ({moved} moved), "
          f"FTS query {' / '.join(f'{t * 1000:.1f}' for t in fts.values())} ms ({' / '.join(fts)}), db {size / 1e6:.0f} MB, peak RSS {peak:.0f} MB")
    print({k: v for k, v in counts.items() if v})


if __name__ == "__main__":
    main()
