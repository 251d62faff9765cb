"""The audit report (``notices report OUT.html``): one self-contained HTML file an auditor can
open offline or mail — the most-cited directives, citations per month, deadlines per unit,
the citation graph of the top directives and the directives cited but not in the register.

``collect`` reads an ``AuditReport`` out of the database (read-only) as of a given day;
``render`` turns it into HTML with inline CSS and SVG (``pipeline.pages``, ``pipeline.svg``).
"""
from __future__ import annotations

import json
import os
import sys
from datetime import date, timedelta
from pathlib import Path

import sqlite_utils

from pipeline.models import (AuditReport, CitationLink, CitedDirective, CitingNotice, ScheduledTask,
                             UnitDeadlines)
from pipeline.pages import clip, esc, link, page, plural, table
from pipeline.store import Source, Store, read_only
from pipeline.svg import GraphEdge, GraphNode, bar_chart, bipartite_graph
from pipeline.views import DUE_SOON_DAYS

NO_LEAD = "(no lead unit named)"


# ------------------------------------------------------------------- reading

def _directives(db: sqlite_utils.Database, view: str, limit: int) -> list[CitedDirective]:
    rows = db.execute(f"""
        select v.document_id, v.number, v.year, v.doc_type, v.issued, v.in_register, v.citations,
               v.notices, v.tasks, v.first_cited, v.last_cited, d.summary, d.file_url
        from {view} v join documents d on d.id = v.document_id limit ?""", [limit])
    return [CitedDirective(*r[:5], bool(r[5]), *r[6:]) for r in rows]


def _months(db: sqlite_utils.Database) -> list[tuple[str, int]]:
    """Citations per month of publication, every month from the first to the last (a month
    without citations is a 0 bar, not a missing one)."""
    counts = dict(db.execute("select month, citations from citations_per_month"))
    if not counts:
        return []
    first, last = min(counts), max(counts)
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        months.append((key, counts.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _units(db: sqlite_utils.Database, today: date) -> list[UnitDeadlines]:
    """Each lead unit's tasks: overdue, due within DUE_SOON_DAYS, later, without deadline."""
    soon = (today + timedelta(days=DUE_SOON_DAYS)).isoformat()
    units: dict[str, UnitDeadlines] = {}
    for r in db.execute("""
            select task_id, notice_id, published, notice_title, url, ordinal, text, lead_unit_list,
                   deadline, deadline_date
            from task_schedule order by deadline_date, published, task_id"""):
        task = ScheduledTask(*r[:7], json.loads(r[7] or "[]"), *r[8:])
        for name in task.lead_units or [NO_LEAD]:
            unit = units.setdefault(name, UnitDeadlines(name))
            if not task.deadline_date:
                unit.no_deadline += 1
            elif task.deadline_date < today.isoformat():
                unit.overdue.append(task)
            elif task.deadline_date <= soon:
                unit.due_soon.append(task)
            else:
                unit.later += 1
    return sorted(units.values(), key=lambda u: (-len(u.overdue) - len(u.due_soon),
                                                 u.unit == NO_LEAD, u.unit))


def _name(source: Source, db: sqlite_utils.Database) -> str:
    """The database file as the user named it (the file SQLite opened, for a Database)."""
    if isinstance(source, Store):
        return str(source.path)
    if isinstance(source, sqlite_utils.Database):
        return db.execute("select file from pragma_database_list where name = 'main'").fetchone()[0] or "database"
    return str(source)


def collect(source: Source, today: date | None = None, top: int = 15, graph_top: int = 8,
            gaps: int = 50) -> AuditReport:
    """Read the report out of a database: the ``top`` most-cited directives, the citation graph
    of the first ``graph_top`` of them, and up to ``gaps`` directives missing from the register."""
    today = today or date.today()
    with read_only(source) as db:
        one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
        report = AuditReport(today=today.isoformat(), source=_name(source, db))
        report.most_cited = _directives(db, "directive_citations", top)
        report.unregistered = _directives(db, "unregistered_directives", gaps)
        report.months = _months(db)
        report.units = _units(db, today)
        report.totals = {
            "notices": one("select count(*) from notices"),
            "first_published": one("select min(published) from notices"),
            "last_published": one("select max(published) from notices"),
            "directives": one("select count(distinct document_id) from citations"),
            "citations": one("select count(*) from citations"),
            "unregistered": one("select count(*) from unregistered_directives"),
            "tasks": one("select count(*) from tasks"),
            "overdue": len({t.task_id for u in report.units for t in u.overdue}),
            "due_soon": len({t.task_id for u in report.units for t in u.due_soon}),
        }
        ids = [d.document_id for d in report.most_cited[:graph_top]]
        marks = ", ".join("?" for _ in ids)
        report.graph_links = [CitationLink(*r) for r in db.execute(f"""
            select document_id, notice_id, count(*) from citations
            where document_id in ({marks}) group by document_id, notice_id""", ids)]
        notice_ids = sorted({link.notice_id for link in report.graph_links})
        marks = ", ".join("?" for _ in notice_ids)
        # A citing notice that is itself a document: the graph draws document -> document.
        copies = db.execute("select count(*) from sqlite_master where name = 'document_copies'").fetchone()[0]
        own = ("(select k.document_id from document_copies k where k.notice_id = n.id and k.kind = 'notice')"
               if copies else "null")
        report.graph_notices = [CitingNotice(*r) for r in db.execute(f"""
            select n.id, n.published, n.title, n.url, {own} as own_id,
                   (select number from documents where id = {own}) from notices n where n.id in ({marks})
            order by n.published, n.id""", notice_ids)]
    return report


# ----------------------------------------------------------------- rendering

def _figures(report: AuditReport) -> str:
    t = report.totals
    cards = [(t["notices"], "notices"), (t["directives"], "directives cited"),
             (t["citations"], "citations"), (t["unregistered"], "cited, not in the register"),
             (t["overdue"], "tasks overdue"), (t["due_soon"], f"due in {DUE_SOON_DAYS} days")]
    return '<div class="figures">' + "".join(
        f'<div class="figure"><strong>{esc(n)}</strong><span>{esc(label)}</span></div>'
        for n, label in cards) + "</div>"


def _register_badge(d: CitedDirective) -> str:
    return ('<span class="badge ok">yes</span>' if d.in_register
            else '<span class="badge warn">no</span>')


def _directive_rows(directives: list[CitedDirective], rank: bool) -> list[list[str]]:
    rows = []
    for i, d in enumerate(directives, start=1):
        number = link(d.file_url, d.number) if d.file_url else esc(d.number)
        if d.summary:
            number += f'<div class="muted">{esc(clip(d.summary, 90))}</div>'
        cells = [number, esc(d.doc_type), f'<span class="date">{esc(d.issued)}</span>',
                 _register_badge(d), esc(d.notices), esc(d.citations), esc(d.tasks),
                 f'<span class="date">{esc(d.first_cited)}</span>',
                 f'<span class="date">{esc(d.last_cited)}</span>']
        rows.append(([esc(i)] if rank else []) + cells)
    return rows


_DIRECTIVE_HEADERS = ["Number", "Type", "Issued", "In register", "Notices", "Citations",
                      "Tasks", "First cited", "Last cited"]


def _task_rows(tasks: list[ScheduledTask], today: date, late: bool) -> list[list[str]]:
    rows = []
    for t in tasks:
        days = (date.fromisoformat(t.deadline_date) - today).days
        when = f"{-days} days late" if late else ("today" if days == 0 else f"in {days} days")
        badge = "warn" if late else "soon"
        rows.append([f'<span class="date">{esc(t.deadline)}</span>',
                     f'<span class="badge {badge}">{esc(when)}</span>',
                     f'<span title="{esc(t.text)}">{esc(clip(t.text, 220))}</span>',
                     f'{link(t.url, clip(t.notice_title, 90))} · item {esc(t.ordinal)}'])
    return rows


def _deadlines(report: AuditReport, today: date) -> str:
    summary = [[esc(u.unit), esc(len(u.overdue)), esc(len(u.due_soon)), esc(u.later),
                esc(u.no_deadline)] for u in report.units]
    parts = [table(["Lead unit", "Overdue", f"Due in {DUE_SOON_DAYS} days", "Later",
                    "No deadline"], summary, numeric=[1, 2, 3, 4], empty="No tasks.")]
    for unit in report.units:
        if not unit.overdue and not unit.due_soon:
            continue
        counts = []
        if unit.due_soon:
            counts.append(f"{len(unit.due_soon)} due soon")
        if unit.overdue:
            counts.append(f"{len(unit.overdue)} overdue")
        parts.append(f'<h3>{esc(unit.unit)} <span class="muted">· {esc(", ".join(counts))}</span></h3>')
        rows = _task_rows(unit.due_soon, today, False) + _task_rows(unit.overdue, today, True)
        parts.append(table(["Deadline", "", "Task", "Notice"], rows, css_class="tasks"))
    return "\n".join(parts)


def _graph(report: AuditReport) -> str:
    shown = {link.document_id for link in report.graph_links}
    left = [GraphNode(d.document_id, d.number, f"{d.number}: {plural(d.notices, 'notice')}",
                      d.file_url) for d in report.most_cited if d.document_id in shown]
    right = [GraphNode(n.notice_id, f"{n.published or '????-??-??'} · "
                       + (f"= {n.document_number} · " if n.document_number else "") + n.title,
                       f"{n.published} {n.title}", n.url) for n in report.graph_notices]
    edges = [GraphEdge(link.document_id, link.notice_id, link.mentions)
             for link in report.graph_links]
    # The notice that IS a directive of the left column: a dashed line joins the two, so
    # directive -> notice that is a directive -> the directives it cites reads as one chain.
    edges += [GraphEdge(n.document_id, n.notice_id, 1, same=True) for n in report.graph_notices
              if n.document_id in shown]
    if not left:
        return '<p class="muted">No citations.</p>'
    svg = bipartite_graph(left, right, edges, title="Which notices cite the most-cited directives",
                          headings=("Directive", "Citing notice"))
    return (f"<figure>{svg}<figcaption>Left: the {plural(len(left), 'most-cited directive')}; "
            f"right: the {plural(len(right), 'notice')} citing them, ordered to keep lines apart. "
            "One line per citing notice, thicker when it cites the directive more than once; "
            "a dashed line joins a directive to the notice that is that directive (“= number”), "
            "so what one directive cites and what cites it read as a chain."
            "</figcaption></figure>")


def _months_chart(report: AuditReport) -> str:
    if not report.months:
        return '<p class="muted">No citations.</p>'
    labels, values = zip(*report.months)
    svg = bar_chart(list(labels), list(values), title="Citations per month", unit=" citations")
    return (f"<figure>{svg}<figcaption>Mentions of document numbers in the notices published "
            "each month.</figcaption></figure>")


def _gaps(report: AuditReport) -> str:
    total = int(report.totals["unregistered"] or 0)
    shown = (f" (the first {len(report.unregistered)} shown)"
             if len(report.unregistered) < total else "")
    return (f'<p class="muted">{esc(plural(total, "directive"))} the notices cite that the '
            f"portal's register of directives does not list{shown}.</p>"
            + table(_DIRECTIVE_HEADERS, _directive_rows(report.unregistered, False),
                    numeric=[4, 5, 6], empty="Every cited directive is in the register."))


def render(report: AuditReport) -> str:
    """The report as one HTML page (inline CSS and SVG, no script, no network)."""
    today = date.fromisoformat(report.today)
    t = report.totals
    span = (f"published {esc(t['first_published'])} to {esc(t['last_published'])}"
            if t["first_published"] else "none published yet")
    # The directives first (what is cited, when, by whom, what is missing), then the deadlines.
    sections = [
        ("most-cited", "Most-cited directives",
         table(["#"] + _DIRECTIVE_HEADERS, _directive_rows(report.most_cited, True),
               numeric=[0, 5, 6, 7], empty="No citations.")),
        ("per-month", "Citations per month", _months_chart(report)),
        ("graph", "Citation graph of the top directives", _graph(report)),
        ("not-in-register", "Cited but not in the register", _gaps(report)),
        ("deadlines", "Deadlines per unit",
         f'<p class="muted">Tasks by lead unit: past their deadline on {esc(report.today)}, or '
         f"due within {DUE_SOON_DAYS} days. The portal does not report whether a task was done, "
         "so overdue means past the deadline.</p>" + _deadlines(report, today)),
    ]
    nav = " · ".join(f'<a href="#{key}">{esc(heading)}</a>' for key, heading, _ in sections)
    body = ["<h1>Audit report: directives, citations and deadlines</h1>",
            f'<p class="lead">{esc(report.source)} · {esc(plural(int(t["notices"] or 0), "notice"))} '
            f"{span} · deadlines as of {esc(report.today)}</p>",
            _figures(report), f'<nav class="muted">{nav}</nav>']
    body += [f'<h2 id="{key}">{esc(heading)}</h2>\n{html}' for key, heading, html in sections]
    footer = f"notices report · {esc(report.source)} · as of {esc(report.today)}"
    return page("Audit report", "\n".join(body), footer)


def write_report(source: Source, out: str | os.PathLike[str], today: date | None = None,
                 top: int = 15, graph_top: int = 8) -> AuditReport:
    """Collect and render the report into ``out`` (parent folders created; "-" is stdout)."""
    report = collect(source, today, top, graph_top)
    if str(out) == "-":
        sys.stdout.write(render(report))
        sys.stdout.flush()
        return report
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(report), encoding="utf-8")
    return report
