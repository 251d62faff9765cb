"""Extraction speed (issue 14 items 1-2, issue 9 item 6). Prints figures; asserts nothing.

1. Throughput: ``extract()`` on every gold text of tests/fixtures/dev and tests/fixtures/synth,
   notices per second of CPU on one core after start-up, beside a bare pass of two regular
   expressions (document numbers, numeric dates: the patterns as written) over the same texts,
   measured in the same run, interleaved, best of several rounds: their ratio says how the
   extractor does whatever else loads the machine (target: >= 1,000 notices/s, ratio >= 0.1).
2. Linearity: one ``extract()`` of 1, 2, 4, 8, 16 and 32 MB of notice text (the gold texts
   recombined in a fixed shuffled order), CPU seconds and the ratio to the 1 MB figure
   (target: 32 MB at most ~40x 1 MB), with the process's peak memory.
3. Cold start: `notices extract` of one file in a new process.

Usage: python benchmarks/extract_speed.py [--rounds N] [--sizes 1,2,4,8,16,32] [--skip-cold]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from extractors import extract
from extractors.dates import NUMERIC_DATE
from extractors.fastre import original
from extractors.normalize import match_view, normalize_text
from extractors.references import NUMBER

ROOT = Path(__file__).resolve().parent.parent
GOLD = [ROOT / "tests" / "fixtures" / "dev", ROOT / "tests" / "fixtures" / "synth"]


def gold_texts() -> list[tuple[str, str | None]]:
    out = []
    for folder in GOLD:
        for p in sorted(folder.glob("*.json")):
            g = json.loads(p.read_text(encoding="utf-8"))
            out.append((g["text"], g.get("published")))
    return out


def _extract_all(texts: list[tuple[str, str | None]]) -> float:
    start = time.process_time()  # CPU time of this one process: one core
    for text, published in texts:
        extract(text, published)
    return time.process_time() - start


def _bare_all(views: list[str]) -> float:
    """Two plain regex scans a notice, as the extractor's patterns are written."""
    number, numeric_date = original(NUMBER), original(NUMERIC_DATE)
    start = time.process_time()
    for view in views:
        for _ in number.finditer(view):
            pass
        for _ in numeric_date.finditer(view):
            pass
    return time.process_time() - start


def throughput(texts: list[tuple[str, str | None]], rounds: int) -> None:
    extract(*texts[0])  # start-up: gazetteer, word list, compiled patterns
    views = [match_view(normalize_text(t)) for t, _ in texts]
    ext, bare = [], []
    for _ in range(rounds):  # interleaved, so both see the same load
        ext.append(_extract_all(texts))
        bare.append(_bare_all(views))
    n = len(texts)
    rate, bare_rate = n / min(ext), n / min(bare)
    chars = sum(len(t) for t, _ in texts) / n
    print(f"extraction throughput: {rate:,.0f} notices/s on one core (best of {rounds} rounds over {n} gold "
          f"notices, mean {chars:,.0f} characters; median round {n / statistics.median(ext):,.0f}/s; "
          f"target >= 1,000)")
    print(f"bare regex pass (numbers + numeric dates), same texts, same run: {bare_rate:,.0f} notices/s")
    print(f"ratio extraction / bare pass: {rate / bare_rate:.3f} (target >= 0.1)")


def big_text(texts: list[tuple[str, str | None]], size: int) -> str:
    """About ``size`` bytes of UTF-8 notice text: the gold texts in a fixed shuffled order."""
    rng = random.Random(size)
    parts, n = [], 0
    while n < size:
        order = list(range(len(texts)))
        rng.shuffle(order)
        for i in order:
            parts.append(texts[i][0])
            n += len(texts[i][0].encode("utf-8")) + 2
            if n >= size:
                break
    return "\n\n".join(parts)


def linearity(texts: list[tuple[str, str | None]], sizes_mb: list[int]) -> None:
    print("one extract() of a big text (CPU seconds; ratio to the first size; peak memory of this process):")
    first = None
    for mb in sizes_mb:
        text = big_text(texts, mb * 1024 * 1024)
        start = time.process_time()
        extraction = extract(text, "2024-08-01")
        secs = time.process_time() - start
        first = first or (secs, mb)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  {mb:>3} MB  {secs:7.2f} s  x{secs / first[0]:5.1f} (size x{mb / first[1]:.0f})  "
              f"{len(extraction.references):>7,} references {len(extraction.dates):>7,} dates  peak {peak:,.0f} MB",
              flush=True)
        del text, extraction


def cold_extract(text: str, published: str | None, runs: int = 5) -> None:
    exe = Path(sys.executable).with_name("notices")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as fh:
        fh.write(text)
    times = []
    try:
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([str(exe), "extract", fh.name, "--published", published or "2024-08-22"], check=True,
                           stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
    finally:
        os.unlink(fh.name)
    print(f"cold `notices extract`: first {times[0]:.2f} s, median {statistics.median(times):.2f} s "
          f"over {runs} runs (target < 2 s)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--sizes", default="1,2,4,8,16,32", help="MB of text for the linearity figures ('' skips)")
    ap.add_argument("--skip-cold", action="store_true")
    a = ap.parse_args()
    texts = gold_texts()
    print(f"load average before: {os.getloadavg()[0]:.2f} (the machine is shared; ratios are measured in one run)")
    throughput(texts, a.rounds)
    if not a.skip_cold:
        cold_extract(*texts[0])
    if a.sizes:
        linearity(texts, [int(s) for s in a.sizes.split(",")])


if __name__ == "__main__":
    main()
