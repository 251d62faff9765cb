"""The extraction snapshot: what the extractor gives on every gold text, under the
``EXTRACTOR_VERSION`` that gave it (tests/fixtures/extraction-snapshot.json).

``tests/test_extraction_snapshot.py`` fails when the extractor's output on a gold text differs
from the snapshot while the version is the one the snapshot was made with. After a change of
the rules: bump ``RULES_VERSION`` in extractors/__init__.py, then regenerate with

    make snapshot            # = .venv/bin/python -m tests.snapshot

Regenerating refuses to overwrite a snapshot of the same version whose output differs (bump
first), so the file always says which version made which output.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
SNAPSHOT = FIXTURES / "extraction-snapshot.json"
GOLD_DIRS = ("dev", "synth")
REGENERATE = ".venv/bin/python -m tests.snapshot  (or: make snapshot)"


def gold_texts() -> list[tuple[str, str, str | None]]:
    """(id "dev/name", text, published) of every gold notice, in a fixed order."""
    out = []
    for folder in GOLD_DIRS:
        for path in sorted((FIXTURES / folder).glob("*.json")):
            gold = json.loads(path.read_text(encoding="utf-8"))
            out.append((f"{folder}/{path.stem}", gold["text"], gold.get("published")))
    return out


def extraction_fields(text: str, published: str | None) -> dict[str, Any]:
    """Every field of the extraction, the ones outside the contract JSON too (a unit's kind, a
    task's support units), with the normalized text as its hash."""
    from extractors import extract

    fields = dataclasses.asdict(extract(text, published))
    fields["text"] = hashlib.sha256(fields["text"].encode("utf-8")).hexdigest()
    return json.loads(json.dumps(fields, ensure_ascii=False))  # tuples as lists, as the file holds them


def build() -> dict[str, Any]:
    from extractors import EXTRACTOR_VERSION

    return {"extractor_version": EXTRACTOR_VERSION,
            "notices": {nid: extraction_fields(text, pub) for nid, text, pub in gold_texts()}}


def load() -> dict[str, Any] | None:
    if not SNAPSHOT.exists():
        return None
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def differences(old: dict[str, Any], new: dict[str, Any], limit: int = 12) -> list[str]:
    """Where two snapshots' notices differ, field by field (notices in only one are left out)."""
    out = []
    for nid in sorted(set(old["notices"]) & set(new["notices"])):
        a, b = old["notices"][nid], new["notices"][nid]
        for field in sorted(set(a) | set(b)):
            if a.get(field) != b.get(field):
                out.append(f"{nid}: {field}: {_first_difference(a.get(field), b.get(field))}")
    return out[:limit] + ([f"... and {len(out) - limit} more"] if len(out) > limit else [])


def _first_difference(a: Any, b: Any) -> str:
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return f"item {i}: snapshot {_short(x)} now {_short(y)}"
        return f"snapshot has {len(a)} items, now {len(b)}"
    return f"snapshot {_short(a)} now {_short(b)}"


def _short(x: Any) -> str:
    s = json.dumps(x, ensure_ascii=False)
    return s if len(s) <= 160 else s[:157] + "..."


def dumps(snapshot: dict[str, Any]) -> str:
    """JSON with one line per mention, so a change of the rules reads as a short diff."""
    lines = ["{", f' "extractor_version": {json.dumps(snapshot["extractor_version"])},', ' "notices": {']
    notices = list(snapshot["notices"].items())
    for i, (nid, fields) in enumerate(notices):
        lines.append(f"  {json.dumps(nid)}: {{")
        items = list(fields.items())
        for j, (name, value) in enumerate(items):
            comma = "," if j < len(items) - 1 else ""
            if isinstance(value, list) and value:
                lines.append(f"   {json.dumps(name)}: [")
                lines += [f"    {json.dumps(v, ensure_ascii=False)}" + ("," if k < len(value) - 1 else "")
                          for k, v in enumerate(value)]
                lines.append(f"   ]{comma}")
            else:
                lines.append(f"   {json.dumps(name)}: {json.dumps(value, ensure_ascii=False)}{comma}")
        lines.append("  }" + ("," if i < len(notices) - 1 else ""))
    lines += [" }", "}", ""]
    return "\n".join(lines)


def main() -> int:
    new = build()
    old = load()
    if old is not None and old["extractor_version"] == new["extractor_version"]:
        diff = differences(old, new)
        if diff:
            print(f"tests.snapshot: the output changed but EXTRACTOR_VERSION is still "
                  f"{new['extractor_version']}: bump RULES_VERSION in extractors/__init__.py first", file=sys.stderr)
            for line in diff:
                print("  " + line, file=sys.stderr)
            return 1
    SNAPSHOT.write_text(dumps(new), encoding="utf-8")
    print(f"wrote {SNAPSHOT.relative_to(Path.cwd()) if SNAPSHOT.is_relative_to(Path.cwd()) else SNAPSHOT}: "
          f"{len(new['notices'])} notices, extractor {new['extractor_version']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
