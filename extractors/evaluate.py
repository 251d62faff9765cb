"""Scoring predictions against a gold folder, exactly as brief/CONTRACT.md describes.

A gold file holds one notice (``text``, ``published``) and what should be found in it; a
prediction is the contract's JSON. Scores are summed over the folder (micro-averaged).
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .numbers import document_key

FIELDS = ("references", "dates", "dates_value", "units", "tasks", "task_leads")


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set, pred: set, optional: set = frozenset()) -> tuple[set, set]:
        """Count one notice; return (missed, extra)."""
        missed, extra = gold - pred, pred - gold - set(optional)
        self.tp += len(gold & pred)
        self.fn += len(missed)
        self.fp += len(extra)
        return missed, extra

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


@dataclass
class Share:
    right: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.right / self.total if self.total else None


@dataclass
class Evaluation:
    fields: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in FIELDS})
    doc_type: Share = field(default_factory=Share)
    issued: Share = field(default_factory=Share)
    deadline: Share = field(default_factory=Share)
    document: Share = field(default_factory=Share)  # files whose own number is right (gold with the key)
    invented: int = 0  # files given an own number where gold names none
    errors: dict[str, dict[str, Any]] = field(default_factory=dict)  # notice id -> field -> misses
    files: int = 0

    def bounds_met(self, bounds: dict[str, float]) -> list[str]:
        """The bounds ("references", "references.doc_type", "tasks.deadline", ...) not met."""
        short = []
        for name, bound in bounds.items():
            value = self.metric(name)
            if value is None or value < bound:
                short.append(f"{name}={value if value is None else round(value, 3)}<{bound}")
        return short

    def metric(self, name: str) -> float | None:
        extra = {"references.doc_type": self.doc_type, "references.issued": self.issued,
                 "tasks.deadline": self.deadline, "document": self.document}
        if name in extra:
            return extra[name].value
        return self.fields[name.split(".")[0]].f1


def fold(name: str) -> str:
    """The contract's unit-name match: case-insensitive, NFC, spaces folded (Uỷ = Ủy)."""
    s = unicodedata.normalize("NFC", name or "").casefold().replace("uỷ", "ủy").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", s).strip(" .,;:")


def score_notice(gold: dict[str, Any], pred: dict[str, Any], ev: Evaluation) -> None:
    """Add one notice's counts to ``ev``; record what was missed and what was extra."""
    errors: dict[str, Any] = {}
    _score_references(gold, pred, ev, errors)
    gd = {(d["value"], d["role"]) for d in gold.get("dates", [])}
    pd = {(d.get("value"), d.get("role")) for d in pred.get("dates", []) if isinstance(d, dict)}
    pd = {x for x in pd if x[0] and not re.fullmatch(r"\d{4}", str(x[0]))}  # bare years count neither way
    _note(errors, "dates", *ev.fields["dates"].add(gd, pd))
    ev.fields["dates_value"].add({v for v, _ in gd}, {v for v, _ in pd})
    alias = {}
    for u in gold.get("units", []):
        for n in [u["name"], *u.get("aliases", [])]:
            alias[fold(n)] = fold(u["name"])
    gu = {fold(u["name"]) for u in gold.get("units", [])}
    pu = {alias.get(fold(n), fold(n)) for n in (_unit_name(u) for u in pred.get("units", [])) if n}
    _note(errors, "units", *ev.fields["units"].add(gu, pu, {fold(x) for x in gold.get("optional_units", [])}))
    if gold.get("tasks") is not None:
        _score_tasks(gold, pred, alias, ev, errors)
    if "document" in gold:
        _score_document(gold["document"], pred.get("document"), ev, errors)
    if errors:
        ev.errors[gold.get("id", "?")] = errors
    ev.files += 1


def _unit_name(u: Any) -> str | None:
    return u.get("name") if isinstance(u, dict) else u


def _note(errors: dict, name: str, missed: set, extra: set) -> None:
    if missed or extra:
        errors[name] = {"missed": sorted(map(str, missed)), "extra": sorted(map(str, extra))}


def _score_references(gold: dict, pred: dict, ev: Evaluation, errors: dict) -> None:
    grefs = gold.get("references", [])
    keys = [document_key(r["number"]) for r in grefs]
    # The same number in two years is two documents; elsewhere the number alone is the identity.
    twice = {k for k in keys if keys.count(k) > 1}

    def ident(number: str, issued: str | None) -> str:
        k = document_key(number)
        return f"{k}@{(issued or '')[:4]}" if k in twice else k

    gi = {ident(r["number"], r.get("issued")): r for r in grefs}
    pi: dict[str, dict] = {}
    for r in pred.get("references", []):
        if isinstance(r, dict) and r.get("number"):
            pi.setdefault(ident(r["number"], r.get("issued")), r)
    optional = {document_key(x) for x in gold.get("optional_references", [])}
    _note(errors, "references", *ev.fields["references"].add(set(gi), set(pi), optional))
    for k in set(gi) & set(pi):
        g, p = gi[k], pi[k]
        if g.get("doc_type"):
            ev.doc_type.total += 1
            ev.doc_type.right += fold(p.get("doc_type") or "") == fold(g["doc_type"])
        if g.get("issued"):
            ev.issued.total += 1
            ev.issued.right += (p.get("issued") or "") == g["issued"]


def _score_document(gold: dict | None, pred: Any, ev: Evaluation, errors: dict) -> None:
    """The own number: null and null agree; a number where gold has none is also "invented"."""
    got = pred.get("number") if isinstance(pred, dict) else None
    want = gold.get("number") if gold else None
    ev.document.total += 1
    right = (got is None and want is None) or (got is not None and want is not None
                                               and document_key(got) == document_key(want))
    ev.document.right += right
    ev.invented += got is not None and want is None
    if not right:
        errors["document"] = [f"{got} (gold {want})"]


def _score_tasks(gold: dict, pred: dict, alias: dict, ev: Evaluation, errors: dict) -> None:
    gt = {t["ordinal"]: t for t in gold["tasks"]}
    pt: dict[str, dict] = {}
    for t in pred.get("tasks", []):
        if isinstance(t, dict) and t.get("ordinal") is not None:
            pt.setdefault(str(t["ordinal"]), t)
    _note(errors, "tasks", *ev.fields["tasks"].add(set(gt), set(pt)))
    gl = {(o, fold(x)) for o, t in gt.items() for x in t["lead_units"]}
    pl = {(o, alias.get(fold(x), fold(x))) for o, t in pt.items() for x in t.get("lead_units") or []}
    _note(errors, "task_leads", *ev.fields["task_leads"].add(gl, pl))
    wrong = []
    for o, t in gt.items():
        ev.deadline.total += 1
        got = (pt.get(o) or {}).get("deadline") or None
        ev.deadline.right += o in pt and got == t["deadline"]
        if o in pt and got != t["deadline"]:
            wrong.append(f"{o}: {got} (gold {t['deadline']})")
    if wrong:
        errors["deadlines"] = wrong


Predictor = Callable[[str, str | None], dict[str, Any]]


def evaluate(gold_dir: str | Path, predict: Predictor) -> Evaluation:
    """Score ``predict(text, published) -> contract JSON`` over every ``*.json`` of ``gold_dir``;
    raises ``GoldError`` for a folder without gold files or a file that is not one."""
    ev = Evaluation()
    paths = sorted(Path(gold_dir).glob("*.json"))
    if not paths:
        raise GoldError(f"{gold_dir}: no gold files (*.json) to score")
    for path in paths:
        gold = read_gold(path)
        pred = predict(gold["text"], gold.get("published"))
        try:
            score_notice(gold, pred, ev)
        except (KeyError, TypeError, AttributeError) as e:  # an item without its fields
            raise GoldError(f"{path}: an item of the gold file lacks a field or has the wrong type "
                            f"({type(e).__name__}: {e})") from None
    return ev


class GoldError(ValueError):
    """A gold folder or file that cannot be scored; the message is one line for the user."""


def read_gold(path: Path) -> dict[str, Any]:
    """One gold notice: a JSON object with its ``text`` (a string); ``id`` defaults to the name."""
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise GoldError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as e:
        raise GoldError(f"{path}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    except OSError as e:
        raise GoldError(f"{path}: cannot read ({e.strerror or e})") from None
    if not isinstance(gold, dict):
        raise GoldError(f"{path}: a gold notice is a JSON object, not {type(gold).__name__}")
    if not isinstance(gold.get("text"), str):
        raise GoldError(f"{path}: a gold file needs a \"text\" string (see the contract's gold format)")
    published = gold.get("published")
    if published is not None and not isinstance(published, str):
        raise GoldError(f"{path}: \"published\" must be a date YYYY-MM-DD or null")
    for field in ("references", "dates", "units", "tasks"):
        if not isinstance(gold.get(field) or [], list):
            raise GoldError(f"{path}: \"{field}\" must be a list")
    gold.setdefault("id", path.stem)
    return gold


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def report(ev: Evaluation, verbose: bool = False) -> str:
    """One line per field, then the notices where something went wrong (each miss with -v)."""
    lines = []
    for name in FIELDS:
        t = ev.fields[name]
        line = f"{name:<12} P={_fmt(t.p)} R={_fmt(t.r)} F1={_fmt(t.f1)}"
        if name == "references":
            line += f" doc_type={_fmt(ev.doc_type.value)} issued={_fmt(ev.issued.value)}"
        if name == "tasks":
            line += f" deadline={_fmt(ev.deadline.value)}"
        lines.append(line)
    if ev.document.total:
        lines.append(f"{'document':<12} right={_fmt(ev.document.value)} on {ev.document.total} files,"
                     f" invented={ev.invented}")
    lines.append(f"{ev.files} notices, {len(ev.errors)} with errors")
    for notice_id, errs in ev.errors.items():
        lines.append(f"- {notice_id}: " + ", ".join(sorted(errs)))
        if verbose:
            for name, detail in errs.items():
                if isinstance(detail, dict):
                    for kind in ("missed", "extra"):
                        for item in detail[kind]:
                            lines.append(f"    {name} {kind}: {item}")
                else:
                    for item in detail:
                        lines.append(f"    {name} wrong: {item}")
    return "\n".join(lines)
