"""Task lists on real documents: scores the task items, their leads and deadlines of the texts
cached in CACHE_DIR against the gold of tests/fixtures/real/tasks-*.json (gold keeps no text:
the texts are third-party and stay outside the repository). Prints P/R/F1 with every miss,
and the items invented on the texts whose gold has no task ("tasks": []).
Usage: python benchmarks/real_tasks.py CACHE_DIR [GOLD_DIR] [-v]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from extractors import extract
from extractors.evaluate import Evaluation, report, score_notice

GOLD = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "real"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cache_dir", type=Path)
    ap.add_argument("gold_dir", type=Path, nargs="?", default=GOLD)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    directive, other = Evaluation(), Evaluation()
    invented: dict[str, list[str]] = {}
    missing = 0
    for path in sorted(args.gold_dir.glob("tasks-*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        cached = args.cache_dir / f"{path.stem}.txt"
        if not cached.exists():
            missing += 1
            continue
        pred = extract(cached.read_text(encoding="utf-8"), gold.get("published")).to_dict()
        # Only the task fields are scored here: the other fields have no gold in these files.
        only_tasks = {"id": gold["id"], "tasks": gold["tasks"]}
        pred_tasks = {"tasks": pred["tasks"]}
        score_notice(only_tasks, pred_tasks, directive if gold["tasks"] else other)
        if not gold["tasks"] and pred["tasks"]:
            invented[gold["id"]] = [t["ordinal"] for t in pred["tasks"]]
    for name, ev in (("directive texts", directive), ("non-directive texts", other)):
        lines = [ln for ln in report(ev, args.verbose).splitlines()
                 if not ln.startswith(("references", "dates", "units"))]
        print(f"## {name}\n" + "\n".join(lines))
    n_items = sum(len(v) for v in invented.values())
    print(f"invented items on non-directive lists: {n_items} in {len(invented)} of {other.files} texts")
    for notice_id, ordinals in invented.items():
        print(f"  {notice_id}: {', '.join(ordinals)}")
    if missing:
        print(f"{missing} gold files have no cached text in {args.cache_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
