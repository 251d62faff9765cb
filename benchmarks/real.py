"""Scores the extractor on real documents: the study set of ``tests/fixtures/real``.

The gold files hold only what is ours (URL, the search query that finds the page, a hint locating
the excerpt, and the annotation); the third-party texts are cached outside the project, one
``<id>.txt`` per gold file. Scoring is ``extractors.evaluate`` (the same as ``notices eval``) with
three study-set conventions:

- the text's own number (gold ``document``) counts neither way as a reference;
- references, dates and units are scored only on the files whose gold annotates them (a
  ``references`` / ``dates`` / ``units`` key); elsewhere predictions of them count neither way
  (the task files ``tasks-*.json`` annotate tasks only; ``benchmarks/real_tasks.py`` scores them
  apart, directive and non-directive texts separately);
- ``document`` (the own number) is scored where gold has the key: the share of files whose
  predicted own number has the gold identity (null and null agree), and how many were invented.

The same texts are scored for a bare-regex baseline: one regular expression for document numbers,
no types, no dates — what the rules have to beat.

    python benchmarks/real.py CACHE_DIR [--gold tests/fixtures/real] [--quiet]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from extractors import extract  # noqa: E402
from extractors.evaluate import Evaluation, report, score_notice  # noqa: E402
from extractors.numbers import document_key  # noqa: E402

# The baseline: digits, an optional year, then a code of capitals (letters, digits, & and dashes
# or slashes between its parts) — "97/KH-SKHCN", "30/2020/NĐ-CP", "57-NQ/TW", "2231/SNV-CCHC&PC".
BARE_REGEX = re.compile(r"\b\d{1,5}(?:/(?:19|20)\d\d)?[/-][A-ZĐ][A-ZĐa-zđ0-9&]*(?:[-/][A-ZĐ0-9][A-ZĐa-zđ0-9&]*)*")

Predictor = Callable[[str, str | None], dict[str, Any]]


def rules(text: str, published: str | None) -> dict[str, Any]:
    return extract(text, published).to_dict()


def bare_regex(text: str, published: str | None) -> dict[str, Any]:
    return {"references": [{"number": m[0], "doc_type": None, "issued": None} for m in BARE_REGEX.finditer(text)],
            "dates": [], "units": [], "tasks": [], "document": None}


class Document:
    """The own-number score: right / total, and numbers predicted where the text names none."""

    def __init__(self) -> None:
        self.right = self.total = self.invented = 0
        self.wrong: list[str] = []

    def add(self, gold_id: str, gold: dict | None, pred: dict | None) -> None:
        g = document_key(gold["number"]) if gold and gold.get("number") else None
        p = document_key(pred["number"]) if isinstance(pred, dict) and pred.get("number") else None
        self.total += 1
        self.right += g == p
        self.invented += g is None and p is not None
        if g != p:
            self.wrong.append(f"{gold_id}: {pred.get('number') if p else None} (gold {gold and gold.get('number')})")

    def line(self) -> str:
        share = f"{self.right / self.total:.3f}" if self.total else "n/a"
        return f"document     right={share} ({self.right}/{self.total}) invented={self.invented}"


def attribute_misses(gold: dict, pred: dict) -> list[str]:
    """Matched references whose doc_type or issued disagree with gold (the report lists only sets)."""
    by_key = {}
    for r in pred.get("references", []):
        by_key.setdefault(document_key(r["number"]), r)
    out = []
    for g in gold.get("references", []):
        p = by_key.get(document_key(g["number"]))
        if p is None:
            continue
        if g.get("doc_type") and (p.get("doc_type") or "") != g["doc_type"]:
            out.append(f"doc_type {g['number']}: {p.get('doc_type')} (gold {g['doc_type']})")
        if g.get("issued") and (p.get("issued") or "") != g["issued"]:
            out.append(f"issued {g['number']}: {p.get('issued')} (gold {g['issued']})")
    return out


def score(gold_dir: Path, cache_dir: Path, predict: Predictor) -> tuple[Evaluation, Document, list[str]]:
    ev, doc, missing = Evaluation(), Document(), []
    ev.attribute_misses = []  # type: ignore[attr-defined]
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        gold.setdefault("id", path.stem)
        cached = cache_dir / f"{gold['id']}.txt"
        if not cached.is_file():
            missing.append(gold["id"])
            continue
        pred = predict(cached.read_text(encoding="utf-8"), gold.get("published"))
        own = gold.get("document")
        if own and own.get("number"):
            gold["optional_references"] = [*gold.get("optional_references", []), own["number"]]
        if "references" not in gold:  # a task-only gold file (tasks-*.json): references count neither way
            pred["references"] = []
        if "dates" not in gold:
            pred["dates"] = []
        if "units" not in gold:
            pred["units"] = []
        score_notice(gold, pred, ev)
        ev.attribute_misses += [f"{gold['id']}: {m}" for m in attribute_misses(gold, pred)]  # type: ignore[attr-defined]
        if "document" in gold:
            doc.add(gold["id"], own, pred.get("document"))
    return ev, doc, missing


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("cache_dir", type=Path, help="folder of <id>.txt texts of the study set")
    ap.add_argument("--gold", type=Path, default=ROOT / "tests/fixtures/real")
    ap.add_argument("--quiet", action="store_true", help="figures only, no list of misses")
    args = ap.parse_args(argv)
    if not args.cache_dir.is_dir():
        print(f"real.py: no such folder: {args.cache_dir}", file=sys.stderr)
        return 2
    for name, predict in (("rules (notices extract)", rules), ("bare regex baseline", bare_regex)):
        ev, doc, missing = score(args.gold, args.cache_dir, predict)
        print(f"== {name}")
        if missing:
            print(f"{len(missing)} gold files without a cached text (skipped): {', '.join(missing)}")
        print(report(ev, verbose=not args.quiet))
        if not args.quiet:
            for m in ev.attribute_misses:  # type: ignore[attr-defined]
                print(f"    wrong {m}")
        print(doc.line())
        if not args.quiet:
            for w in doc.wrong:
                print(f"    document wrong: {w}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
