"""Extraction speed: notices per second on one core after start-up, and the cold time of one
`notices extract` (a new process each time). Prints figures; asserts nothing.
Usage: python benchmarks/extract_speed.py [GOLD_DIR] [--notices N]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from extractors import extract


def throughput(texts: list[tuple[str, str]], n: int) -> float:
    extract(*texts[0])  # start-up: gazetteer, dictionary, compiled patterns
    start = time.process_time()  # CPU time of this one process: one core
    for i in range(n):
        extract(*texts[i % len(texts)])
    return n / (time.process_time() - start)


def cold_extract(text: str, published: str, runs: int = 5) -> list[float]:
    exe = Path(sys.executable).with_name("notices")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as fh:
        fh.write(text)
    times = []
    try:
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([str(exe), "extract", fh.name, "--published", published], check=True,
                           stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
    finally:
        os.unlink(fh.name)
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", nargs="?", default="tests/fixtures/dev")
    ap.add_argument("--notices", type=int, default=2000)
    a = ap.parse_args()
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(a.gold).glob("*.json"))]
    texts = [(g["text"], g["published"]) for g in golds]
    chars = sum(len(t) for t, _ in texts) / len(texts)
    rate = throughput(texts, a.notices)
    print(f"extraction throughput: {rate:,.0f} notices/s on one core ({a.notices} notices, "
          f"mean {chars:,.0f} characters; target >= 300)")
    cold = cold_extract(*texts[0])
    print(f"cold `notices extract`: first {cold[0]:.2f} s, median {statistics.median(cold):.2f} s "
          f"over {len(cold)} runs (target < 2 s)")


if __name__ == "__main__":
    main()
