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
from pipeline.chain import follow_chain
from pipeline.models import AuditCitation, AuditDocument, AuditTask, AuditTrail, TrailLink
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


def audit(source: Source, number: str, year: int | None = None, depth: int = 1) -> AuditTrail:
    """The trail of ``number`` (any spelling) in a Store, a Database or a database file;
    ``year`` narrows a reused number to one year; ``depth`` follows the citation chain that
    many steps each way (what cites what cites it; what it is based on, and what that is
    based on). Raises ``UnknownNumber`` with the closest known numbers when nothing matches."""
    typed = read_typed(number)  # raises NotANumber (a ValueError) for what holds no number
    with read_only(source) as db:
        known: list = []
        for candidate in (typed.number, *typed.alternatives):
            known = _documents(db, document_key(candidate))  # every year the number is on file
            if known:
                break
        else:
            candidate = typed.number
        key = document_key(candidate)
        wanted = year if year is not None else typed.year
        rows = [r for r in known if wanted is None or r[2] == wanted]
        if not rows and year is None:
            rows = known  # the pasted phrase's year is a hint, not a filter
        if not rows:
            years = [r[2] for r in known]
            raise UnknownNumber(candidate, [] if years else closest_numbers(db, key), year, years)
        trail = _trail(db, number, key, rows)
        follow_chain(db, trail, depth)
        return trail


def _documents(db: sqlite_utils.Database, key: str) -> list:
    return db.execute("""
        select id, number, year, doc_type, issued, issuer, issuer_code, in_register, summary,
               file_url, detail_url
        from documents where key = ?
        order by year is null, year""", [key]).fetchall()


def _trail(db: sqlite_utils.Database, number: str, key: str, rows: list) -> AuditTrail:
    documents = [AuditDocument(*r[:7], in_register=bool(r[7]), summary=r[8], file_url=r[9],
                               detail_url=r[10]) for r in rows]
    ids = [d.id for d in documents]
    marks = ", ".join("?" for _ in ids)
    citations = [AuditCitation(*r) for r in db.execute(f"""
        select c.document_id, n.id, n.published, n.title, n.url, c.number_as_written,
               c.sentence, c.start, c.[end], a.url, c.page
        from citations c join notices n on n.id = c.notice_id
        left join attachments a on a.id = c.attachment_id
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
        copies = [f for f in trail.files_of(document.id) if f.kind != "register"]
        for f in copies:
            lines.append(f"  On file as {'a' if f.kind == 'notice' else 'an'} {f.kind}: "
                         f"{f.dated or '????-??-??'}  {f.title or ''}".rstrip())
            lines.append(f"      {f.url}")
        if not document.in_register and not copies:
            lines.append("  On file nowhere: no register row, notice or attachment is it.")
        cited_by = trail.cited_by_of(document.id)
        direct = [link for link in cited_by if link.depth == 1]
        groups = _by_notice(direct)
        lines.append(f"  {_cited_in(groups)}, oldest first:" if groups else "  Not cited by any notice.")
        for depth, step in _steps(cited_by):
            if depth > 1:
                lines.append(f"    {depth} steps up (what cites the citing documents):")
            for mentions in _by_notice(step):
                lines += _link_lines(mentions, wrap, cited_by=True)
        cites = trail.cites_of(document.id)
        if cites:
            direct = [link for link in cites if link.depth == 1]
            lines.append(f"  Cites {plural(len(direct), 'document')} (what it is based on):")
            for depth, step in _steps(cites):
                if depth > 1:
                    lines.append(f"    {depth} steps down (what those are based on):")
                previous = None
                for link in step:
                    lines += _link_lines([link], wrap, cited_by=False, previous=previous)
                    previous = link.sentence
        elif copies:
            lines.append("  Cites no document.")
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


def _steps(links: list[TrailLink]) -> list[tuple[int, list[TrailLink]]]:
    return [(d, [link for link in links if link.depth == d]) for d in sorted({link.depth for link in links})]


def _by_notice(links: list[TrailLink]) -> list[list[TrailLink]]:
    groups: dict[tuple[int, int], list[TrailLink]] = {}
    for link in links:
        groups.setdefault((link.via_id, link.notice_id), []).append(link)
    return list(groups.values())


def _other(link: TrailLink) -> str:
    year = f" ({link.year})" if link.year else ""
    return f"{link.number}{year}" + (f", {link.doc_type}" if link.doc_type else "")


def _link_lines(mentions: list[TrailLink], wrap: textwrap.TextWrapper, *, cited_by: bool,
                previous: str | None = None) -> list[str]:
    """A notice (cited_by) or a cited document (cites) with its sentences; ``previous`` is the
    sentence just shown, not repeated (one sentence often cites several documents)."""
    first = mentions[0]
    if cited_by:
        which = f" — itself {_other(first)}" if first.number else ""
        via = f" (cites {first.via_number})" if first.depth > 1 else ""
        lines = [f"    {first.published or '????-??-??'}  {first.title}{which}{via}", f"      {first.url}"]
    else:
        via = f" (cited by {first.via_number})" if first.depth > 1 else ""
        lines = [f"    {_other(first)}{via}", f"      in {first.url}"]
    for link in mentions:
        if cited_by and link.sentence and link.attachment_url:
            lines.append(f"      {_where(link)}:")
        if link.sentence and link.sentence == previous:
            lines.append("      (the same sentence)")
        elif link.sentence:
            lines.extend(wrap.wrap(f"“{link.sentence}”"))
    return lines


def _where(c) -> str:
    """Where a sentence found in an attached file stands: the file, and its page."""
    return f"in the attached file {c.attachment_url}" + (f", page {c.page}" if c.page else "")


def _cited_in(groups: list[list[AuditCitation]] | list[list[TrailLink]]) -> str:
    mentions = sum(len(g) for g in groups)
    return f"Cited by {plural(len(groups), 'notice')}" + (f" ({mentions} mentions)" if mentions != len(groups) else "")


def _link_json(link: TrailLink) -> dict:
    return {"kind": link.kind, **dataclasses.asdict(link)}


def format_json(trail: AuditTrail) -> str:
    """``document`` (the newest year's, when the number was reused: ``documents`` has each),
    ``on_file``, ``cited_by``, ``cites``, ``tasks``; and the raw ``citations``."""
    data = dataclasses.asdict(trail)
    data["document"] = max(data["documents"], key=lambda d: (d["year"] is not None, d["year"] or 0),
                           default=None)
    data["cited_by"] = [_link_json(link) for link in trail.cited_by]
    data["cites"] = [_link_json(link) for link in trail.cites]
    first = ["query", "key", "document", "on_file", "cited_by", "cites", "tasks"]
    ordered = {k: data[k] for k in first} | {k: v for k, v in data.items() if k not in first}
    return json.dumps(ordered, ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = ["kind", "number", "year", "in_register", "published", "notice_title", "url",
               "number_as_written", "sentence_or_task", "ordinal", "lead_units", "deadline",
               "attachment_url", "page"]


def format_csv(trail: AuditTrail) -> str:
    """One row per citation, per document it cites ("cites"), per deeper citation
    ("cited_by_step_N", with --depth) and per task, each in date order."""
    by_id = {d.id: d for d in trail.documents}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in trail.citations:
        d = by_id[c.document_id]
        writer.writerow(["citation", d.number, d.year, int(d.in_register), c.published, c.title,
                         c.url, c.number_as_written, c.sentence, "", "", "", c.attachment_url or "",
                         c.page or ""])
    for x in trail.cites + [x for x in trail.cited_by if x.depth > 1]:
        kind = "cites" if x in trail.cites else f"cited_by_step_{x.depth}"
        writer.writerow([kind, x.number if kind == "cites" else x.via_number, x.year if kind == "cites" else "",
                         "", x.published, x.title, x.url, x.number_as_written, x.sentence, "", "", "",
                         x.attachment_url or "", x.page or ""])
    for t in trail.tasks:
        d = by_id[t.document_id]
        writer.writerow(["task", d.number, d.year, int(d.in_register), t.published,
                         t.notice_title, t.url, "", t.text, t.ordinal, "; ".join(t.lead_units),
                         t.deadline, "", ""])
    return out.getvalue()


def format_html(trail: AuditTrail, today: date | None = None) -> str:
    """The audit page: a self-contained HTML page of the trail (no script, no network), drawn by
    ``pipeline/templates/audit.html``."""
    numbers = ", ".join(dict.fromkeys(d.number for d in trail.documents))
    return render("audit.html", trail=trail, numbers=numbers, typed=trail.query.strip() != numbers,
                  notices=len({c.notice_id for c in trail.citations}), cited_in=_cited_in,
                  today=(today or date.today()).isoformat())


FORMATS = {"text": format_text, "json": format_json, "csv": format_csv, "html": format_html}
