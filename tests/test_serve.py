"""Datasette: the metadata matches the schema, the canned queries answer their questions, and
a real Datasette process serves search and canned queries over HTTP."""
from __future__ import annotations

import hashlib
import importlib.util
import json
import urllib.request
from datetime import date

import pytest
import sqlite_utils
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.exits import UserError
from pipeline.schema import MIGRATIONS
from pipeline.serve import METADATA, PLUGINS_DIR, datasette_command, metadata_for, ready_to_serve, serve
from pipeline.store import Store
from tests.servers import free_port, get_json, running
from tests.store_samples import due_notice, register_rows, seed

TODAY = date.today()


def load_plugin():
    spec = importlib.util.spec_from_file_location("notices_sql", PLUGINS_DIR / "notices_sql.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "notices.db") as s:
        s.save_notice(*seed())
        s.save_register(register_rows())
        s.save_notice(*due_notice(TODAY))
        load_plugin().prepare_connection(s.db.conn)  # document_key() as Datasette has it
        yield s


def canned(name: str) -> dict:
    return json.loads(METADATA.read_text("utf-8"))["databases"]["notices"]["queries"][name]


def run(store: Store, name: str, **params) -> list[dict]:
    query = canned(name)
    for param in query.get("params", []):
        params.setdefault(param, "")
    return list(store.db.query(query["sql"], params))


# ----------------------------------------------------------- metadata vs schema

def test_metadata_describes_what_exists(tmp_path):
    metadata = json.loads(METADATA.read_text("utf-8"))
    database = metadata["databases"]["notices"]
    with Store(tmp_path / "notices.db") as store:
        db = store.db
        names = set(db.table_names()) | set(db.view_names())
        for table, config in database["tables"].items():
            assert table in names, table
            columns = {c.name for c in (db[table].columns)}
            facets = {f if isinstance(f, str) else next(iter(f.values())) for f in config.get("facets", [])}
            mentioned = set(config.get("columns", {})) | facets
            mentioned |= {config[k] for k in ("label_column", "sort", "sort_desc", "fts_pk") if k in config}
            assert mentioned <= columns, (table, mentioned - columns)
            if "fts_table" in config:
                assert config["fts_table"] in names
        for name in ("notices", "documents", "units"):
            assert database["tables"][name]["label_column"] == {
                "notices": "title", "documents": "number", "units": "name"}[name]
        for name, query in database["queries"].items():
            assert query["title"] and query["description"], name
    assert {"most_cited_directives", "unregistered_directives", "citations_per_month",
            "tasks_due_soon", "tasks_overdue", "unit_workload", "notices_citing",
            "tasks_by_deadline", "notices_naming_unit", "tasks_due_in_month"} <= set(database["queries"])


def test_every_table_and_column_is_described(tmp_path):
    tables = json.loads(METADATA.read_text("utf-8"))["databases"]["notices"]["tables"]
    with Store(tmp_path / "notices.db") as store:
        db = store.db
        shown = [t for t in db.table_names() if not t.endswith(("_fts", "_data", "_idx", "_docsize", "_config"))
                 and t != "_sqlite_migrations"] + db.view_names()
        for name in shown:
            assert tables.get(name, {}).get("description"), name
        # in the tables (views repeat their columns), every column but a plain id says what it holds
        for name in db.table_names():
            if name in shown and name in tables:
                described = set(tables[name].get("columns", {})) | {"id"}
                assert {c.name for c in db[name].columns} <= described, (name, {c.name for c in db[name].columns} - described)


# ------------------------------------------------------------- canned queries

def test_most_cited_and_unregistered(store):
    most = run(store, "most_cited_directives")
    assert len(most) == 8 and all(r["Số lần trích dẫn"] == 1 for r in most)
    assert {r["Số hiệu"]: r["Số nhiệm vụ"] for r in most}["844/SKHCN-VP"] == 1
    gaps = {r["Số hiệu"] for r in run(store, "unregistered_directives")}
    assert gaps == {"15/KH-SKHCN", "07/TB-SKHCN", "20/TB-SKHCN", "844/SKHCN-VP", "75/KH-SKHCN",
                    "2731/UBND-KGVX"}


def test_citations_per_month(store):
    assert run(store, "citations_per_month") == [
        {"Tháng": "2024-08", "Số trích dẫn": 8, "Số thông báo": 1, "Số văn bản": 8}]


def test_citations_per_month_shows_empty_months(store):
    notice, extraction = seed()
    notice.article_id, notice.published = "20241105-other", "2024-11-05"
    store.save_notice(notice, extraction)
    months = run(store, "citations_per_month")
    assert [(r["Tháng"], r["Số trích dẫn"]) for r in months] == [
        ("2024-08", 8), ("2024-09", 0), ("2024-10", 0), ("2024-11", 8)]


def task_facts(store: Store, rows: list[dict]) -> list[tuple]:
    """(ordinal, deadline_date) of each task a canned query answered, from the tables."""
    return [store.db.execute("select ordinal, deadline_date from tasks where id = ?",
                             [r["task_id"]]).fetchone() for r in rows]


def test_tasks_due_soon_overdue_and_by_deadline(store):
    soon = run(store, "tasks_due_soon")
    assert [(o, r["Đơn vị chủ trì"], r["Đơn vị phối hợp"], r["Còn (ngày)"])
            for (o, _), r in zip(task_facts(store, soon), soon)] == [
        ("1", "Văn phòng Sở", "Phòng Quản lý Khoa học", 10)]
    overdue = run(store, "tasks_overdue")
    # the seed's 2024 deadlines are long past; the due notice adds one 5 days late
    late = [(o, r["Đơn vị chủ trì"], r["Số ngày quá hạn"]) for (o, _), r in zip(task_facts(store, overdue), overdue)]
    assert ("2", "Phòng Quản lý Khoa học", 5) in late
    assert len(overdue) == 5 + 1
    dates = [d for _, d in task_facts(store, overdue)]
    assert dates == sorted(dates)
    assert all(r["Số ngày quá hạn"] == (TODAY - date.fromisoformat(d)).days for r, d in zip(overdue, dates))
    ordered = run(store, "tasks_by_deadline")
    assert len(ordered) == 6 + 3
    dates = [d for _, d in task_facts(store, ordered)]
    assert [d for d in dates if d] == sorted(d for d in dates if d) and dates[-1] is None


def test_as_of_a_day(store):
    """The seed's deadlines (2024-08-26 to 2024-11-15) seen from other days, typed as people do."""
    for typed in ("2024-10-01", "1/10/2024", "01-10-2024", " 2024-10-1 ", "ngày 1/10/2024"):
        overdue = run(store, "tasks_overdue", as_of=typed)
        assert [d for _, d in task_facts(store, overdue)] == ["2024-08-26", "2024-09-30"], typed
        assert [r["Số ngày quá hạn"] for r in overdue] == [36, 1]
        soon = run(store, "tasks_due_soon", as_of=typed)
        assert sorted(d for _, d in task_facts(store, soon)) == ["2024-10-31"] or all(
            "2024-10-01" <= d <= "2024-10-31" for _, d in task_facts(store, soon))
    assert run(store, "tasks_overdue", as_of="2024-08-20") == []
    assert [r["Còn (ngày)"] for r in run(store, "tasks_due_soon", as_of="2024-08-20")] == [6]
    assert run(store, "tasks_overdue", as_of="tomorrow") == []  # unreadable: no rows, a message
    workload = {r["Đơn vị"]: r for r in run(store, "unit_workload", as_of="2024-01-01")}
    assert workload["Văn phòng Sở"]["Quá hạn"] == 0


def test_a_unit_s_overdue_tasks(store):
    rows = run(store, "tasks_overdue", unit="van phong so")
    assert rows and all("Văn phòng Sở" in r["Đơn vị chủ trì"] for r in rows)
    assert len(rows) < len(run(store, "tasks_overdue"))


@pytest.mark.parametrize("typed", ["2024-09", "9/2024", "09-2024", "tháng 9/2024", "2024/9"])
def test_a_month_in_any_spelling(store, typed):
    assert run(store, "tasks_due_in_month", month=typed) == run(store, "tasks_due_in_month", month="2024-09")


@pytest.mark.parametrize("typed", ["13/2024", "sept", "9/24x"])
def test_a_month_that_cannot_be_read_answers_nothing(store, typed):
    assert run(store, "tasks_due_in_month", month=typed) == []


def test_unit_workload(store):
    workload = {r["Đơn vị"]: r for r in run(store, "unit_workload")}
    office = workload["Văn phòng Sở"]
    assert (office["Chủ trì"], office["Đến hạn trong 30 ngày"], office["Quá hạn"]) == (3, 1, 2)
    science = workload["Phòng Quản lý Khoa học"]
    assert (science["Chủ trì"], science["Quá hạn"], science["Phối hợp"]) == (2, 2, 1)
    assert workload["Sở Nội vụ"]["Phối hợp"] == 1 and workload["Sở Nội vụ"]["Chủ trì"] == 0


@pytest.mark.parametrize("spelling", ["97 /kh- skhcn", "97/KH-SKHCN", "097/KH_SKHCN"])
def test_notices_citing_any_spelling(store, spelling):
    [row] = run(store, "notices_citing", number=spelling)
    assert row["Số hiệu"] == "97/KH-SKHCN" and row["Trong danh mục"] == 1
    assert "Kế hoạch số 97/KH-SKHCN ngày 28/12/2023" in row["Câu trích dẫn"]
    assert run(store, "notices_citing", number="") == []


@pytest.mark.parametrize("typed", ['"', '""', "   ", "-", "*", "NEAR(", "a:b", "(", "AND"])
def test_search_never_fails_on_what_is_typed(store, typed):
    assert run(store, "search_newest", q=typed) == [] or typed == "AND"


# --------------------------------------------------------------- the command

def test_command_line(tmp_path):
    command = datasette_command(tmp_path / "notices.db", "127.0.0.1", 9999)
    assert command[1:4] == ["-m", "datasette", "serve"]
    assert command[command.index("--metadata") + 1] == str(METADATA)
    assert command[command.index("--plugins-dir") + 1] == str(PLUGINS_DIR)
    assert "--immutable" not in command and "sql_time_limit_ms" in command
    # a database not called notices.db gets the same metadata under its own name
    copy = metadata_for(tmp_path / "archive.db")
    other = json.loads(copy.read_text("utf-8"))
    copy.unlink()
    assert list(other["databases"]) == ["archive"]
    assert "notices_citing" in other["databases"]["archive"]["queries"]


def test_real_datasette_serves_search_and_canned_queries(tmp_path):
    db_path = tmp_path / "notices.db"
    with Store(db_path) as store:
        store.save_notice(*seed())
        store.save_register(register_rows())
    port = free_port()
    with running(serve(db_path, "127.0.0.1", port, replace_process=False),
                 f"http://127.0.0.1:{port}") as base:
        for query in ("cai cach hanh chinh", "đổi mới", "doi moi"):
            found = get_json(base, "/notices/notices.json", _search=query, _shape="objects")
            assert [r["article_id"] for r in found["rows"]] == ["20240822-cchc"], query
        assert get_json(base, "/notices/notices.json", _search="khong ton tai")["rows"] == []

        cited = get_json(base, "/notices/notices_citing.json", number="97 /kh- skhcn",
                         _shape="objects")
        assert [(r["Số hiệu"], r["Ngày đăng"]) for r in cited["rows"]] == [("97/KH-SKHCN", "2024-08-22")]
        gaps = get_json(base, "/notices/unregistered_directives.json", _shape="objects")
        assert len(gaps["rows"]) == 6

        # foreign keys show labels: a citation links to its notice by title
        citations = get_json(base, "/notices/citations.json", _labels="on", _shape="objects",
                             number="1820/QĐ-UBND")
        assert citations["rows"][0]["notice_id"]["label"].startswith("Thông báo Ý kiến kết luận")
        assert citations["rows"][0]["document_id"]["label"] == "1820/QĐ-UBND"

        # tasks can be faceted by lead unit
        facets = get_json(base, "/notices/task_schedule.json")["facet_results"]
        counts = {r["value"]: r["count"] for r in facets["lead_unit_list"]["results"]}
        assert counts["Phòng Quản lý Công nghệ và Đổi mới sáng tạo"] == 3

        # every page the metadata configures renders (a bad sort or facet would be a 400/500)
        metadata = json.loads(METADATA.read_text("utf-8"))["databases"]["notices"]
        pages = ["/", "/notices"] + [f"/notices/{t}" for t, c in metadata["tables"].items()
                                     if not c.get("hidden")]
        pages += [f"/notices/{q}?number=97%2FKH-SKHCN" for q in metadata["queries"]]
        pages += ["/-/dashboard", "/-/unit?name=V%C4%83n+ph%C3%B2ng+S%E1%BB%9F", "/-/feeds/notices.atom",
                  "/-/feeds/deadlines.atom?unit=van+phong+so", "/-/audit/97%2FKH-SKHCN", "/notices-static/notices.css"]
        for page in pages:
            with urllib.request.urlopen(base + page, timeout=10) as response:
                assert response.status == 200, page

        # served mutable: a notice written while Datasette runs shows up at once
        with Store(db_path) as store:
            store.save_notice(*due_notice(TODAY))
        soon = get_json(base, "/notices/tasks_due_soon.json", _shape="objects")
        assert [r["Đơn vị chủ trì"] for r in soon["rows"]] == ["Văn phòng Sở"]


def test_serving_never_creates_nor_migrates_a_file(tmp_path):
    missing = tmp_path / "missing.db"
    with pytest.raises(UserError):
        ready_to_serve(missing)
    assert not missing.exists()
    result = CliRunner().invoke(main, ["serve", "--db", str(missing)])
    assert result.exit_code == 2 and "no database at" in result.output

    current = tmp_path / "notices.db"
    with Store(current) as store:
        store.save_notice(*seed())
    before = hashlib.sha256(current.read_bytes()).hexdigest()
    assert ready_to_serve(current) is False
    assert hashlib.sha256(current.read_bytes()).hexdigest() == before

    old = sqlite_utils.Database(tmp_path / "old.db")
    MIGRATIONS.apply(old, stop_before="m003_search_without_copies")
    old.close()
    before = hashlib.sha256((tmp_path / "old.db").read_bytes()).hexdigest()
    with pytest.raises(UserError, match="older schema"):  # refused, not migrated: serving writes nothing
        ready_to_serve(tmp_path / "old.db")
    assert hashlib.sha256((tmp_path / "old.db").read_bytes()).hexdigest() == before


def test_search_newest_finds_with_and_without_diacritics_newest_first(store):
    from pipeline.search import fts_query

    store.db.conn.create_function("escape_fts", 1, fts_query)  # as the project's plugin installs it
    for q in ("cai cach hanh chinh", "cải cách hành chính", "doi moi"):
        assert [r["notice_id"] for r in run(store, "search_newest", q=q)][:1] == [1], q
    assert run(store, "search_newest", q="khong ton tai") == [] and run(store, "search_newest") == []
    plan = " ".join(r[3] for r in store.db.execute(
        "explain query plan " + canned("search_newest")["sql"], {"q": "x"}))
    assert "USING INDEX idx_notices_published" in plan and "TEMP B-TREE" not in plan  # stops at 50


def test_a_database_is_served_immutable_when_asked(tmp_path):
    """What ``notices serve`` does for a database in a read-only folder (where mode=ro cannot
    open a WAL file): Datasette's --immutable, and the queries answer."""
    db = tmp_path / "notices.db"
    with Store(db) as store:
        store.save_notice(*seed())
    assert "--immutable" in datasette_command(db, immutable=True)
    port = free_port()
    with running(serve(db, port=port, replace_process=False, immutable=True), f"http://127.0.0.1:{port}") as base:
        assert get_json(base, "/notices.json", sql="select count(*) from notices", _shape="array") == [{"count(*)": 1}]
