"""Datasette plugin (loaded with ``--plugins-dir``): the pages an analyst reads.

- Routes: the audit page of a number (``/-/audit/97%2FKH-SKHCN``), the dashboard of charts
  (``/-/dashboard``), the page of a unit (``/-/unit?name=Văn phòng Sở``) and Atom feeds
  (``/-/feeds/notices.atom``, ``/-/feeds/deadlines.atom?unit=...``), all drawn by the
  project's Jinja2 templates (``pipeline.render``), self-contained like ``notices report``.
- Cells of the canned queries, by their Vietnamese column labels: numbers link to their trail,
  titles to the notice on the portal and to its row, unit names to the unit's page, long text
  folds into one click, the citing sentence is whole with the number marked.
- The home page's questions, grouped (``plugins.notices.home`` in metadata.json), and a
  sentence saying what a box expects when what was typed cannot be read.
- One facet per column: a ``_facet=`` in the address for a column the metadata already
  facets is dropped (Datasette 0.65 would show that facet twice).
"""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from urllib.parse import parse_qsl, quote, unquote, urlencode

import sqlite_utils
from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from pipeline.audit import UnknownNumber, audit, format_html
from pipeline.pages import clip, highlight, safe_url
from pipeline.query_params import EXPECTED, READERS, typed_day
from pipeline.render import audit_href, days_label, render, unit_href
from pipeline.served_pages import dashboard, deadline_entries, find_unit, notice_entries, unit_page
from pipeline.svg import bar_chart, stacked_bars

PLUGIN = "notices"


def _config(datasette) -> dict:
    return datasette.plugin_config(PLUGIN) or {}


def _database(datasette):
    return datasette.get_database()


async def _read(datasette, fn):
    """Run ``fn(sqlite_utils.Database)`` on one of Datasette's read-only connections."""
    return await _database(datasette).execute_fn(lambda conn: fn(sqlite_utils.Database(conn)))


def _as_of(request) -> tuple[date, str, str | None]:
    """The ``as_of`` day typed in the address (empty: today), what was typed, and a sentence
    when it could not be read (then today is used)."""
    typed = request.args.get("as_of", "")
    day = typed_day(typed)
    if day is None:
        return date.today(), typed, f"Không đọc được ngày «{typed}»: hãy gõ {EXPECTED['day']}. Đang tính đến hôm nay."
    return date.fromisoformat(day), typed, None


def _html(body: str, status: int = 200) -> Response:
    return Response.html(body, status=status)


def _not_found(title: str, sentence: str, links: list[tuple[str, str]] = ()) -> Response:
    return _html(render("message.html", title=title, sentence=sentence, links=links, nav=""), 404)


# ------------------------------------------------------------------- routes

async def audit_page(datasette, request):
    number = unquote(request.url_vars["number"])  # routes match the raw path: 97%2FKH-SKHCN
    year = request.args.get("year", "")
    try:
        trail = await _read(datasette, lambda db: audit(db, number, int(year) if year.isdigit() else None))
    except UnknownNumber as missing:
        return _not_found(f"Không có văn bản số {missing.number}",
                          f"Không có văn bản nào mang số {missing.number}.",
                          [(s, audit_href(s)) for s in missing.suggestions])
    return _html(format_html(trail, _as_of(request)[0]))


async def dashboard_page(datasette, request):
    as_of, typed, problem = _as_of(request)
    board = await _read(datasette, lambda db: dashboard(db, as_of))
    months = bar_chart([m for m, _ in board.months], [n for _, n in board.months],
                       title="Số trích dẫn theo tháng", unit=" trích dẫn") if board.months else ""
    due = bar_chart([m for m, _ in board.due_months], [n for _, n in board.due_months],
                    title="Nhiệm vụ đến hạn theo tháng", unit=" nhiệm vụ",
                    color="#a15c00") if board.due_months else ""
    workload = ""
    if board.workload:
        rows = board.workload
        workload = stacked_bars(
            [r["unit"] for r in rows],
            [("Quá hạn", "#b3261e", [r["overdue"] for r in rows]),
             ("Đến hạn trong 30 ngày", "#a15c00", [r["due_soon"] for r in rows]),
             ("Hạn sau đó", "#1f5fa8", [r["later"] for r in rows]),
             ("Không có hạn", "#9aa5b1", [r["no_deadline"] for r in rows])],
            title="Khối lượng nhiệm vụ của từng đơn vị",
            hrefs=[unit_href(r["unit"]) + (f"&as_of={as_of.isoformat()}" if typed else "") for r in rows])
    return _html(render("dashboard.html", board=board, problem=problem, as_of_typed=typed,
                        nav=f"/{_database(datasette).name}", months_chart=Markup(months),
                        due_chart=Markup(due), workload_chart=Markup(workload)))


async def unit_view(datasette, request):
    name = request.args.get("name", "")
    as_of, typed, problem = _as_of(request)

    def read(db):
        unit = find_unit(db, name)
        return unit and unit_page(db, unit, as_of)

    page = await _read(datasette, read)
    db_name = _database(datasette).name
    if page is None:
        return _not_found("Không có đơn vị này", f"Không có đơn vị nào tên «{name}».",
                          [("Danh sách đơn vị và khối lượng nhiệm vụ", f"/{db_name}/unit_workload")])
    feed = "/-/feeds/deadlines.atom?" + urlencode({"unit": page.name})
    return _html(render("unit.html", page=page, db=db_name, nav=f"/{db_name}", feed=feed,
                        problem=problem, as_of_typed=typed))


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _atom(request, title: str, page_url: str, entries) -> Response:
    base = request.url.split("/-/")[0]
    body = render("feed.atom", feed_id=request.url, title=title, self_url=request.url,
                  page_url=base + page_url, entries=entries,
                  updated=max((e.updated for e in entries), default=_now()))
    return Response(body, content_type="application/atom+xml; charset=utf-8")


async def notices_feed(datasette, request):
    entries = await _read(datasette, notice_entries)
    return _atom(request, "Thông báo mới", "/", entries)


async def deadlines_feed(datasette, request):
    name = request.args.get("unit", "")

    def read(db):
        unit = find_unit(db, name)
        return unit, (deadline_entries(db, unit[0]) if unit else [])

    unit, entries = await _read(datasette, read)
    if unit is None:
        return Response.text(f"Không có đơn vị nào tên «{name}».", status=404)
    return _atom(request, f"Hạn nhiệm vụ của {unit[1]}", unit_href(unit[1]), entries)


@hookimpl
def register_routes():
    return [
        (r"^/-/audit/(?P<number>.+)$", audit_page),
        (r"^/-/dashboard$", dashboard_page),
        (r"^/-/unit$", unit_view),
        (r"^/-/feeds/notices\.atom$", notices_feed),
        (r"^/-/feeds/deadlines\.atom$", deadlines_feed),
    ]


# -------------------------------------------------------------------- cells

def _link(href: str | None, text: object) -> Markup:
    return Markup('<a href="{}">{}</a>').format(href, text) if href else escape(text)


def _fold(text: str, chars: int = 160) -> Markup:
    """Long text cut to ``chars`` (on one line) with the whole of it one click away."""
    if len(text) <= chars:
        return escape(text)
    return Markup("<details><summary>{}</summary>{}</details>").format(clip(" ".join(text.split()), chars), text)


def _get(row, key: str):
    try:
        return row[key]
    except (IndexError, KeyError):
        return None


def _units(value: str, as_of: object = None) -> Markup:
    """Unit names, each linked to its page (as of the query's day, when it has one)."""
    day = f"&as_of={as_of}" if isinstance(as_of, str) and as_of else ""
    return Markup("; ").join(_link(unit_href(n) + day, n) for n in value.split("; ") if n)


def _cell(row, value, column: str, table: str | None, db: str) -> Markup | None:
    if value is None or not isinstance(value, (str, int)):
        return None
    if table is None:  # a canned query: by its Vietnamese labels
        if column == "Số hiệu":
            year = _get(row, "Năm")
            return _link(audit_href(value, year if isinstance(year, int) else None), value)
        if column == "Văn bản dẫn":
            return Markup("<br>").join(_link(audit_href(n), n) for n in str(value).split("; ") if n)
        if column == "Trong danh mục":
            return Markup('<span class="notices-yes">có</span>' if value else
                          '<span class="notices-no">không</span>')
        if column == "Thông báo":
            notice_id = _get(row, "notice_id")
            title = _link(safe_url(_get(row, "url")), value)
            if notice_id is None:
                return title
            return title + Markup(' <a class="notices-row" href="/{}/notices/{}">dòng</a>').format(db, notice_id)
        if column == "Nhiệm vụ":
            task_id = _get(row, "task_id")
            folded = _fold(str(value))
            if task_id is None:
                return folded
            return folded + Markup(' <a class="notices-row" href="/{}/tasks/{}">dòng</a>').format(db, task_id)
        if column == "Câu trích dẫn":
            return Markup(highlight(str(value), [_get(row, "Số như đã viết") or ""]))
        if column == "Số ngày quá hạn" and isinstance(value, int):
            return Markup('<span class="notices-late">{}</span>').format(days_label(-value))
        if column == "Còn (ngày)" and isinstance(value, int):
            return Markup('<span class="notices-soon">{}</span>').format(days_label(value))
        if column in ("Đơn vị", "Đơn vị chủ trì", "Đơn vị phối hợp"):
            return _units(str(value), _get(row, "as_of"))
        return None
    if (table, column) in (("notices", "body"), ("tasks", "text"), ("task_schedule", "text"),
                           ("citations", "sentence"), ("citation_trail", "sentence")):
        return _fold(str(value), 200)
    if (table, column) in (("notices", "title"), ("citation_trail", "title"),
                           ("task_schedule", "notice_title")):
        title = _link(safe_url(_get(row, "url")), value)
        notice_id = _get(row, "notice_id")
        if table == "notices" or notice_id is None:
            return title
        return title + Markup(' <a class="notices-row" href="/{}/notices/{}">dòng</a>').format(db, notice_id)
    if table == "notices" and column == "attachments":
        try:
            files = json.loads(value)
        except ValueError:
            return None
        links = [_link(safe_url(f if isinstance(f, str) else f.get("url")), f"tệp {i}")
                 for i, f in enumerate(files, 1) if isinstance(f, (str, dict))]
        return Markup(", ").join(links) if links else Markup('<span class="muted">—</span>')
    if column == "in_register" and table in ("documents", "citation_trail", "directive_citations",
                                             "unregistered_directives"):
        return Markup("có" if value else "không")
    if column in ("number",) and table in ("documents", "citation_trail", "directive_citations",
                                          "unregistered_directives", "citations"):
        return _link(audit_href(str(value)), value)
    if table == "task_schedule" and column in ("lead_units", "support_units"):
        return _units(str(value))
    return None


# A foreign key on a row page (Datasette 0.65 shows only the number there; table pages already
# show the label): the table it points to, the column that names the row, and how to show it.
_LABELS = {"notice_id": ("notices", "title"), "document_id": ("documents", "number"),
           "unit_id": ("units", "name"), "task_id": ("tasks", "text"),
           "citation_id": ("citations", "mention"), "run_id": ("scrape_runs", "started_at")}


async def _label(datasette, database: str, column: str, value: int) -> Markup | None:
    target, label = _LABELS[column]
    row = (await datasette.get_database(database).execute(
        f"select [{label}] from [{target}] where id = ?", [value])).first()
    if row is None or row[0] is None:
        return None
    return _link(f"/{database}/{target}/{value}", clip(" ".join(str(row[0]).split()), 90))


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if table and column in _LABELS and isinstance(value, int) and not isinstance(value, bool):
        return _label(datasette, database, column, value)
    return _cell(row, value, column, table, database)


# --------------------------------------------------------- templates' extras

async def _home(datasette, request) -> dict:
    """The home page's groups of questions and its main tables, from the metadata."""
    config = _config(datasette)
    db = _database(datasette)
    queries = await datasette.get_canned_queries(db.name, request.actor if request else None)
    placed: set[str] = set()
    groups = []
    for group in config.get("home", []):
        items = [{**queries[n], "name": n} for n in group.get("queries", []) if n in queries]
        placed |= {i["name"] for i in items}
        groups.append({**group, "items": items})
    others = [{**q, "name": n} for n, q in queries.items() if n not in placed]
    if others:  # a canned query no group names still shows
        groups.append({"title": "Câu hỏi khác", "who": "", "items": others})
    tables = []
    for name in config.get("main_tables", []):
        meta = datasette.table_metadata(db.name, name) or {}
        try:
            count = (await db.execute(f"select count(*) from [{name}]")).first()[0]
        except Exception:  # a table an older file lacks
            continue
        tables.append({"name": name, "title": meta.get("title", name),
                       "description": meta.get("description", ""), "count": count})
    return {"notices_groups": groups, "notices_tables": tables, "notices_db": db.name}


def _param_problems(datasette, request) -> None:
    """A message, shown above the results, for each box whose text cannot be read."""
    for name, spec in _config(datasette).get("params", {}).items():
        kind = spec.get("kind")
        typed = request.args.get(name, "")
        if kind in READERS and typed.strip() and READERS[kind](typed) is None:
            datasette.add_message(request, f"Không đọc được «{typed}» ở ô «{spec.get('label', name)}»: "
                                           f"hãy gõ {EXPECTED[kind]}.", datasette.WARNING)


@hookimpl
def extra_template_vars(template, request, datasette):
    async def extras():
        if template == "index.html":
            return await _home(datasette, request)
        if template == "table.html":
            return {"notices_facet_labels": _config(datasette).get("facet_labels", {})}
        if template == "query.html" and request is not None:
            _param_problems(datasette, request)
            return {"notices_params": _config(datasette).get("params", {})}
        return {}
    return extras


# ----------------------------------------------------------------- facets

def _one_facet_each(datasette, scope) -> dict:
    """Drop ``_facet=``/``_facet_array=`` for a column the table's metadata facets already."""
    parts = [p for p in scope.get("path", "").split("/") if p]
    if len(parts) != 2 or b"_facet" not in scope.get("query_string", b""):
        return scope
    meta = datasette.table_metadata(parts[0], parts[1]) or {}
    configured = {f if isinstance(f, str) else next(iter(f.values())) for f in meta.get("facets", [])}
    pairs = parse_qsl(scope["query_string"].decode("utf-8", "replace"), keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not (k.startswith("_facet") and v in configured)]
    if len(kept) == len(pairs):
        return scope
    return {**scope, "query_string": urlencode(kept, quote_via=quote).encode("utf-8")}


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def one_facet_each(scope, receive, send):
            if scope.get("type") == "http":
                scope = _one_facet_each(datasette, scope)
            await app(scope, receive, send)
        return one_facet_each
    return wrap
