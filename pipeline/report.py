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
from markupsafe import Markup

from pipeline.pages import plural
from pipeline.render import render as render_page
from pipeline.rows import every_month
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
    return every_month(dict(db.execute("select month, citations from citations_per_month")))


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

def _graph(report: AuditReport) -> tuple[str, int, int]:
    """The citation graph's SVG (empty without citations) and its two columns' sizes."""
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
        return "", 0, 0
    return (bipartite_graph(left, right, edges, title="Which notices cite the most-cited directives",
                            headings=("Directive", "Citing notice")), len(left), len(right))


SECTIONS = [("most-cited", "Most-cited directives"), ("per-month", "Citations per month"),
            ("graph", "Citation graph of the top directives"),
            ("not-in-register", "Cited but not in the register"), ("deadlines", "Deadlines per unit")]


def render(report: AuditReport) -> str:
    """The report as one HTML page (inline CSS and SVG, no script, no network), drawn by
    ``pipeline/templates/report.html``."""
    months = ""
    if report.months:
        labels, values = zip(*report.months)
        months = bar_chart(list(labels), list(values), title="Citations per month", unit=" citations")
    graph, left, right = _graph(report)
    return render_page("report.html", report=report, sections=SECTIONS, soon_days=DUE_SOON_DAYS,
                       today=date.fromisoformat(report.today), months_chart=Markup(months),
                       graph_chart=Markup(graph), graph_left=left, graph_right=right)


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
