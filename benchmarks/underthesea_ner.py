"""How underthesea's own NER does on the units of a gold folder, beside the rule extractor.

Its ORG (and, separately, ORG + LOC) entities are scored as units exactly as `notices eval`
scores ours, so the README can show why the units stage is rules and a gazetteer.
Usage: python benchmarks/underthesea_ner.py tests/fixtures/dev
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from extractors import extract
from extractors.evaluate import Evaluation, score_notice


def ner_units(text: str, labels: tuple[str, ...]) -> list[dict]:
    from underthesea import ner

    units, current, label = [], [], None
    for line in text.split("\n"):
        for word, _pos, _chunk, tag in ner(line) if line.strip() else []:
            if tag.startswith("B-") or tag == "O" or (tag.startswith("I-") and tag[2:] != label):
                if current and label in labels:
                    units.append(" ".join(current))
                current, label = ([word], tag[2:]) if tag != "O" else ([], None)
            else:
                current.append(word)
        if current and label in labels:
            units.append(" ".join(current))
        current, label = [], None
    return [{"name": u} for u in dict.fromkeys(units)]


def units_only(gold: dict) -> dict:
    return {**gold, "references": [], "dates": [], "tasks": None}


def main(gold_dir: str) -> None:
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(gold_dir).glob("*.json"))]
    rows = []
    for name, predict in (
        ("underthesea ner (ORG)", lambda g: ner_units(g["text"], ("ORG",))),
        ("underthesea ner (ORG+LOC)", lambda g: ner_units(g["text"], ("ORG", "LOC"))),
        ("notices rules + gazetteer", lambda g: extract(g["text"], g["published"]).to_dict()["units"]),
    ):
        ev = Evaluation()
        start = time.perf_counter()
        for g in golds:
            score_notice(units_only(g), {"units": predict(g)}, ev)
        secs = time.perf_counter() - start
        t = ev.fields["units"]
        rows.append((name, t.p, t.r, t.f1, secs / len(golds) * 1000))
    print(f"units on {gold_dir} ({len(golds)} notices)")
    print(f"{'extractor':<28} {'P':>6} {'R':>6} {'F1':>6} {'ms/notice':>10}")
    for name, p, r, f1, ms in rows:
        print(f"{name:<28} {p:6.3f} {r:6.3f} {f1:6.3f} {ms:10.1f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/dev")
