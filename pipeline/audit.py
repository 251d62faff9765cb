"""The citation trail of one directive, like a legal citator: the document (each year the
number was issued, when it was reused), every notice that cites it with the citing sentence,
oldest first, and every task that carries it. Read-only; accepts the number in any spelling.
"""
from __future__ import annotations

import csv
import dataclasses
import difflib
import io
import json
import re
import textwrap
from datetime import date

import sqlite_utils

from extractors.numbers import document_key
from pipeline.models import AuditCitation, AuditDocument, AuditTask, AuditTrail
from pipeline.pages import plural
from pipeline.render import render
from pipeline.store import Source, read_only
from pipeline.typed import read_typed


class UnknownNumber(LookupError):
    """No document has this number (in this year); ``suggestions`` are the closest known numbers,
    ``years`` the years the number is known in when only the asked year is missing."""

    def __init__(self, number: str, suggestions: list[str], year: int | None = None,
                 years: list[int | None] | None = None) -> None:
        self.number = number
        self.suggestions = suggestions
        if years:
            known = ", ".join(str(y) if y else "year unknown" for y in years)
            message = f"{number} is not on file for {year}; it is known for: {known}"
        else:
            hint = (f"; closest known numbers: {', '.join(suggestions)}" if suggestions
                    else "; no known number is close to it")
            message = f"no document numbered {number}{hint}"
        super().__init__(message)


_LEADING_DIGITS = re.compile(r"^\d+")


def closest_numbers(db: sqlite_utils.Database, key: str, n: int = 5) -> list[str]:
    """Known numbers that share the typed number's digits ("1820" -> 1820/QĐ-UBND), then those
    whose keys look most like ``key`` (difflib ratio >= 0.6)."""
    numbers: dict[str, str] = {}
    for known_key, number in db.execute("select key, number from documents order by year desc"):
        numbers.setdefault(known_key, number)

    def digits(k: str) -> str | None:
        m = _LEADING_DIGITS.match(k)
        return m.group() if m else None

    typed = digits(key)
    same = sorted(k for k in numbers if typed and digits(k) == typed)
    similar = difflib.get_close_matches(key, list(numbers), n=n, cutoff=0.6)
    ranked = list(dict.fromkeys(same + similar))[:n]
    return [numbers[k] for k in ranked]


def audit(source: Source, number: str, year: int | None = None) -> AuditTrail:
    """The trail of ``number`` (any spelling) in a Store, a Database or a database file;
    ``year`` narrows a reused number to one year. Raises ``UnknownNumber`` with the closest
    known numbers when nothing matches."""
    typed = read_typed(number)  # raises NotANumber (a ValueError) for what holds no number
    with read_only(source) as db:
        for candidate in (typed.number, *typed.alternatives):
            if _documents(db, document_key(candidate), None):
                break
        else:
            candidate = typed.number
        key = document_key(candidate)
        rows = _documents(db, key, year if year is not None else typed.year)
        if not rows and year is None:
            rows = _documents(db, key, None)  # the pasted phrase's year is a hint, not a filter
        if not rows:
            years = [r[2] for r in _documents(db, key, None)]
            raise UnknownNumber(candidate, [] if years else closest_numbers(db, key), year, years)
        return _trail(db, number, key, rows)


def _documents(db: sqlite_utils.Database, key: str, year: int | None) -> list:
    return db.execute("""
        select id, number, year, doc_type, issued, issuer, issuer_code, in_register, summary,
               file_url, detail_url
        from documents where key = ? and (? is null or year = ?)
        order by year is null, year""", [key, year, year]).fetchall()


def _trail(db: sqlite_utils.Database, number: str, key: str, rows: list) -> AuditTrail:
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
    # The lead units as task_schedule lists them (one definition of a task's leads).
    tasks = [AuditTask(*r[1:8], json.loads(r[8]), *r[9:], document_id=r[0]) for r in db.execute(f"""
        select tr.document_id, s.task_id, s.notice_id, s.published, s.notice_title, s.url,
               s.ordinal, s.text, s.lead_unit_list, s.deadline, s.deadline_date
        from task_references tr join task_schedule s on s.task_id = tr.task_id
        join tasks t on t.id = tr.task_id
        where tr.document_id in ({marks})
        order by s.published is null, s.published, s.notice_id, t.position""", ids)]
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
        groups = trail.citing_notices(document.id)
        lines.append(f"  {_cited_in(groups)}:" if groups else "  Not cited by any notice.")
        for mentions in groups:
            first = mentions[0]
            lines.append(f"    {first.published or '????-??-??'}  {first.title}")
            lines.append(f"      {first.url}")
            for c in mentions:
                if c.sentence:
                    lines.extend(wrap.wrap(f"“{c.sentence}”"))
        tasks = trail.tasks_of(document.id)
        if tasks:
            lines.append(f"  Carried by {plural(len(tasks), 'task')}:")
            for t in tasks:
                leads = ", ".join(t.lead_units) or "no lead unit named"
                when = t.published or "????-??-??"
                lines.append(f"    {when}  item {t.ordinal} of “{t.notice_title}”")
                lines.append(f"      lead: {leads}; deadline: {t.deadline or 'none'}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _cited_in(groups: list[list[AuditCitation]]) -> str:
    mentions = sum(len(g) for g in groups)
    return f"Cited in {plural(len(groups), 'notice')}" + (f" ({mentions} mentions)" if mentions != len(groups) else "")


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


def format_html(trail: AuditTrail, today: date | None = None) -> str:
    """The audit page: a self-contained HTML page of the trail (no script, no network), drawn by
    ``pipeline/templates/audit.html``."""
    numbers = ", ".join(dict.fromkeys(d.number for d in trail.documents))
    return render("audit.html", trail=trail, numbers=numbers, typed=trail.query.strip() != numbers,
                  notices=len({c.notice_id for c in trail.citations}), cited_in=_cited_in,
                  today=(today or date.today()).isoformat())


FORMATS = {"text": format_text, "json": format_json, "csv": format_csv, "html": format_html}
