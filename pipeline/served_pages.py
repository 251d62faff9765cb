"""What the Datasette plugin's own pages show, read from the database: the dashboard (three
charts), the page of one unit (its tasks as of a day, the notices naming it) and the Atom
feeds (new notices; the deadlines a unit leads). Reading only; the pages are drawn by the
templates of ``pipeline/templates`` (``pipeline.render``).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlsplit

import sqlite_utils

from pipeline.models import ScheduledTask
from pipeline.rows import every_month, fold_accents
from pipeline.views import DUE_SOON_DAYS


@dataclass
class UnitTask:
    """A task of the unit page: the schedule row, where it stands on the day, what it cites."""

    task: ScheduledTask
    days: int | None  # deadline minus the day: negative when late, None without a deadline
    numbers: list[str] = field(default_factory=list)
    role: str = "lead"


@dataclass
class UnitPage:
    unit_id: int
    name: str
    kind: str | None
    as_of: str
    overdue: list[UnitTask] = field(default_factory=list)
    due_soon: list[UnitTask] = field(default_factory=list)
    later: list[UnitTask] = field(default_factory=list)
    no_deadline: list[UnitTask] = field(default_factory=list)
    supported: list[UnitTask] = field(default_factory=list)
    notices: list[dict] = field(default_factory=list)  # published, title, url, notice_id, mentions


@dataclass
class Dashboard:
    as_of: str
    months: list[tuple[str, int]]  # citations per month of publication, empty months as 0
    due_months: list[tuple[str, int]]  # tasks due per month, empty months as 0
    workload: list[dict]  # unit, unit_id, overdue, due_soon, later, no_deadline


def _schedule(db: sqlite_utils.Database, where: str, params: list) -> list[ScheduledTask]:
    rows = db.execute(f"""
        select task_id, notice_id, published, notice_title, url, ordinal, text, lead_unit_list,
               deadline, deadline_date
        from task_schedule where {where}
        order by deadline_date is null, deadline_date, published, task_id""", params)
    return [ScheduledTask(*r[:7], json.loads(r[7] or "[]"), *r[8:]) for r in rows]


def _numbers(db: sqlite_utils.Database, task_ids: list[int]) -> dict[int, list[str]]:
    numbers: dict[int, list[str]] = {}
    marks = ", ".join("?" for _ in task_ids)
    for task_id, number in db.execute(
            f"select task_id, number from task_references where task_id in ({marks}) order by id",
            task_ids):
        numbers.setdefault(task_id, []).append(number)
    return numbers


def find_unit(db: sqlite_utils.Database, name: str) -> tuple[int, str, str | None] | None:
    """The unit called ``name`` (exactly, else the same letters without diacritics)."""
    row = db.execute("select id, name, kind from units where name = ?", [name]).fetchone()
    if row:
        return row
    folded = fold_accents(name.strip())
    for row in db.execute("select id, name, kind from units order by name"):
        if fold_accents(row[1]) == folded:
            return row
    return None


def unit_page(db: sqlite_utils.Database, unit: tuple[int, str, str | None], as_of: date) -> UnitPage:
    """Every task the unit leads (overdue, due within DUE_SOON_DAYS, later, without deadline)
    and supports, as of ``as_of``, and the notices naming it, newest first."""
    unit_id, name, kind = unit
    page = UnitPage(unit_id, name, kind, as_of.isoformat())
    roles = dict(db.execute("select task_id, role from task_units where unit_id = ?", [unit_id]))
    tasks = _schedule(db, "task_id in (select task_id from task_units where unit_id = ?)", [unit_id])
    numbers = _numbers(db, [t.task_id for t in tasks])
    for task in tasks:
        days = (date.fromisoformat(task.deadline_date) - as_of).days if task.deadline_date else None
        item = UnitTask(task, days, numbers.get(task.task_id, []), roles.get(task.task_id, "lead"))
        if item.role != "lead":
            page.supported.append(item)
        elif days is None:
            page.no_deadline.append(item)
        elif days < 0:
            page.overdue.append(item)
        elif days <= DUE_SOON_DAYS:
            page.due_soon.append(item)
        else:
            page.later.append(item)
    page.notices = [dict(zip(("notice_id", "published", "title", "url", "mentions"), r)) for r in db.execute(
        "select notice_id, published, title, url, mentions from unit_notices where unit_id = ? "
        "order by published desc, notice_id desc", [unit_id])]
    return page


def dashboard(db: sqlite_utils.Database, as_of: date) -> Dashboard:
    """The three charts' numbers: citations per month, tasks due per month, and each lead
    unit's tasks by where their deadline stands on ``as_of``."""
    day, soon = as_of.isoformat(), (as_of + timedelta(days=DUE_SOON_DAYS)).isoformat()
    cited = dict(db.execute("select month, citations from citations_per_month"))
    due = dict(db.execute("select substr(deadline_date, 1, 7), count(*) from tasks "
                          "where deadline_date is not null group by 1"))
    workload = [dict(zip(("unit_id", "unit", "overdue", "due_soon", "later", "no_deadline"), r))
                for r in db.execute("""
        select u.id, u.name,
               count(case when t.deadline_date < :day then 1 end),
               count(case when t.deadline_date between :day and :soon then 1 end),
               count(case when t.deadline_date > :soon then 1 end),
               count(case when t.deadline_date is null then 1 end)
        from units u join task_units tu on tu.unit_id = u.id and tu.role = 'lead'
        join tasks t on t.id = tu.task_id
        group by u.id order by count(*) desc, u.name""", {"day": day, "soon": soon})]
    return Dashboard(day, every_month(cited), every_month(due), workload)


# ------------------------------------------------------------------ feeds

@dataclass
class FeedEntry:
    id: str  # a tag: URI from the portal's own ids, stable across rebuilds of the database
    title: str
    updated: str  # RFC 3339
    link: str | None
    summary: str


def _tag(url: str | None, *parts: object) -> str:
    host = urlsplit(url or "").hostname or "notices"
    return f"tag:{host},2024:" + "/".join(str(p) for p in parts)


def _updated(published: str | None, fetched_at: str | None) -> str:
    # The day the portal published it (Vietnam time); else when it was fetched.
    if published:
        return f"{published}T00:00:00+07:00"
    return (fetched_at or "1970-01-01T00:00:00+00:00")[:19] + "+00:00"


def notice_entries(db: sqlite_utils.Database, limit: int = 50) -> list[FeedEntry]:
    return [FeedEntry(_tag(url, "notice", site, article_id), title or "(không có tiêu đề)",
                      _updated(published, fetched_at), url, f"{category or ''} · {published or ''}")
            for site, article_id, title, url, published, fetched_at, category in db.execute("""
        select site, article_id, title, url, published, fetched_at, category from notices
        order by published desc, id desc limit ?""", [limit])]


def deadline_entries(db: sqlite_utils.Database, unit_id: int, limit: int = 100) -> list[FeedEntry]:
    """The tasks a unit leads that carry a deadline, newest notice first."""
    rows = db.execute("""
        select n.site, n.article_id, n.url, n.published, n.fetched_at, n.title, t.ordinal, t.text,
               t.deadline
        from tasks t join notices n on n.id = t.notice_id
        join task_units tu on tu.task_id = t.id and tu.role = 'lead' and tu.unit_id = ?
        where t.deadline_date is not null
        order by n.published desc, t.position limit ?""", [unit_id, limit])
    return [FeedEntry(_tag(url, "task", site, article_id, ordinal),
                      f"Hạn {deadline}: {text[:110].rstrip()}{'…' if len(text) > 110 else ''}",
                      _updated(published, fetched_at), url,
                      f"{text}\n\nHạn: {deadline}. Thông báo: {title} ({published or 'chưa rõ ngày'}).")
            for site, article_id, url, published, fetched_at, title, ordinal, text, deadline in rows]
