"""The citation trail of one directive, like a legal citator: the document (each year the
number was issued, when it was reused), every notice that cites it with the citing sentence,
oldest first, and every task that carries it. Read-only; accepts the number in any spelling.
"""
from __future__ import annotations

import contextlib
import csv
import dataclasses
import difflib
import io
import json
import os
import sqlite3
import textwrap
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from extractors.numbers import canonical_number, document_key
from pipeline.models import AuditCitation, AuditDocument, AuditTask, AuditTrail
from pipeline.store import Store


class UnknownNumber(LookupError):
    """No document has this number; ``suggestions`` are the closest known numbers."""

    def __init__(self, number: str, suggestions: list[str]) -> None:
        self.number = number
        self.suggestions = suggestions
        hint = f"; closest: {', '.join(suggestions)}" if suggestions else ""
        super().__init__(f"no document numbered {number!r}{hint}")


Source = Store | sqlite_utils.Database | str | os.PathLike[str]


@contextlib.contextmanager
def _database(source: Source) -> Iterator[sqlite_utils.Database]:
    if isinstance(source, Store):
        yield source.db
    elif isinstance(source, sqlite_utils.Database):
        yield source
    else:
        path = Path(source)
        if not path.exists():
            raise FileNotFoundError(f"no database at {path}")
        # Read-only: an audit must never create or migrate the file it inspects.
        db = sqlite_utils.Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True))
        try:
            yield db
        finally:
            db.close()


def closest_numbers(db: sqlite_utils.Database, key: str, n: int = 5) -> list[str]:
    """Known numbers whose keys look most like ``key`` (difflib ratio >= 0.6)."""
    numbers: dict[str, str] = {}
    for known_key, number in db.execute("select key, number from documents order by year desc"):
        numbers.setdefault(known_key, number)
    return [numbers[k] for k in difflib.get_close_matches(key, list(numbers), n=n, cutoff=0.6)]


def audit(source: Source, number: str, year: int | None = None) -> AuditTrail:
    """The trail of ``number`` (any spelling) in a Store, a Database or a database file;
    ``year`` narrows a reused number to one year. Raises ``UnknownNumber`` with the closest
    known numbers when nothing matches."""
    with _database(source) as db:
        return _trail(db, number, year)


def _trail(db: sqlite_utils.Database, number: str, year: int | None) -> AuditTrail:
    key = document_key(number)
    rows = db.execute("""
        select id, number, year, doc_type, issued, issuer, issuer_code, in_register, summary,
               file_url, detail_url
        from documents where key = ? and (? is null or year = ?)
        order by year is null, year""", [key, year, year]).fetchall()
    if not rows:
        raise UnknownNumber(canonical_number(number), closest_numbers(db, key))
    documents = [AuditDocument(*r[:7], in_register=bool(r[7]), summary=r[8], file_url=r[9],
                               detail_url=r[10]) for r in rows]
    ids = [d.id for d in documents]
    marks = ", ".join("?" for _ in ids)
    citations = [AuditCitation(*r) for r in db.execute(f"""
        select c.document_id, n.id, n.published, n.title, n.url, c.number_as_written,
               c.sentence, c.start, c.[end]
        from citations c join notices n on n.id = c.notice_id
        where c.document_id in ({marks})
        order by n.published is null, n.published, n.id, c.start""", ids)]
    tasks = []
    for r in db.execute(f"""
        select tr.document_id, t.id, n.id, n.published, n.title, n.url, t.ordinal, t.text,
               (select json_group_array(name) from (
                  select u.name from task_units tu join units u on u.id = tu.unit_id
                  where tu.task_id = t.id and tu.role = 'lead' order by u.name)),
               t.deadline, t.deadline_date
        from task_references tr join tasks t on t.id = tr.task_id
        join notices n on n.id = t.notice_id
        where tr.document_id in ({marks})
        order by n.published is null, n.published, n.id, t.position""", ids):
        tasks.append(AuditTask(*r[:8], lead_units=json.loads(r[8]), deadline=r[9],
                               deadline_date=r[10]))
    return AuditTrail(query=number, key=key, documents=documents, citations=citations,
                      tasks=tasks)


# ----------------------------------------------------------------- formatting

def _describe(document: AuditDocument) -> str:
    head = document.number + (f" ({document.year})" if document.year else " (year unknown)")
    facts = [document.doc_type, document.issued and f"issued {document.issued}"]
    if document.issuer:
        facts.append(f"by {document.issuer}")
    elif document.issuer_code:
        facts.append(f"issuer code {document.issuer_code}")
    facts = [f for f in facts if f]
    return f"{head} — {', '.join(facts)}" if facts else head


def format_text(trail: AuditTrail, width: int = 100) -> str:
    """A human-readable trail, one block per document."""
    wrap = textwrap.TextWrapper(width=width, initial_indent="      ", subsequent_indent="      ")
    lines: list[str] = []
    for document in trail.documents:
        lines.append(_describe(document))
        if document.in_register:
            lines.append(f"  In the register: {document.summary or '(no summary)'}")
            if document.file_url:
                lines.append(f"  File: {document.file_url}")
        else:
            lines.append("  Not in the register.")
        cited = [c for c in trail.citations if c.document_id == document.id]
        lines.append(f"  Cited by {len(cited)} mention(s):")
        for c in cited:
            lines.append(f"    {c.published or '????-??-??'}  {c.title}")
            lines.append(f"      {c.url}")
            if c.sentence:
                lines.extend(wrap.wrap(f"“{c.sentence}”"))
        tasks = [t for t in trail.tasks if t.document_id == document.id]
        if tasks:
            lines.append(f"  Carried by {len(tasks)} task(s):")
            for t in tasks:
                leads = ", ".join(t.lead_units) or "no lead unit named"
                when = t.published or "????-??-??"
                lines.append(f"    {when}  item {t.ordinal} of “{t.notice_title}”")
                lines.append(f"      lead: {leads}; deadline: {t.deadline or 'none'}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def format_json(trail: AuditTrail) -> str:
    return json.dumps(dataclasses.asdict(trail), ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = ["kind", "number", "year", "in_register", "published", "notice_title", "url",
               "number_as_written", "sentence_or_task", "ordinal", "lead_units", "deadline"]


def format_csv(trail: AuditTrail) -> str:
    """One row per citation and per task, citations first, each in date order."""
    by_id = {d.id: d for d in trail.documents}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in trail.citations:
        d = by_id[c.document_id]
        writer.writerow(["citation", d.number, d.year, int(d.in_register), c.published, c.title,
                         c.url, c.number_as_written, c.sentence, "", "", ""])
    for t in trail.tasks:
        d = by_id[t.document_id]
        writer.writerow(["task", d.number, d.year, int(d.in_register), t.published,
                         t.notice_title, t.url, "", t.text, t.ordinal, "; ".join(t.lead_units),
                         t.deadline])
    return out.getvalue()


FORMATS = {"text": format_text, "json": format_json, "csv": format_csv}
