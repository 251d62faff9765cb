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
    assert len(most) == 8 and all(r["citations"] == 1 for r in most)
    assert {r["number"]: r["tasks"] for r in most}["844/SKHCN-VP"] == 1
    gaps = {r["number"] for r in run(store, "unregistered_directives")}
    assert gaps == {"15/KH-SKHCN", "07/TB-SKHCN", "20/TB-SKHCN", "844/SKHCN-VP", "75/KH-SKHCN",
                    "2731/UBND-KGVX"}


def test_citations_per_month(store):
    assert run(store, "citations_per_month") == [
        {"month": "2024-08", "citations": 8, "notices": 1, "documents": 8}]


def test_tasks_due_soon_overdue_and_by_deadline(store):
    soon = run(store, "tasks_due_soon")
    assert [(r["ordinal"], r["lead_units"], r["support_units"]) for r in soon] == [
        ("1", "Văn phòng Sở", "Phòng Quản lý Khoa học")]
    overdue = run(store, "tasks_overdue")
    # the seed's 2024 deadlines are long past; the due notice adds one 5 days late
    assert ("2", "Phòng Quản lý Khoa học") in [(r["ordinal"], r["lead_units"]) for r in overdue]
    assert len(overdue) == 5 + 1
    assert [r["deadline_date"] for r in overdue] == sorted(r["deadline_date"] for r in overdue)
    ordered = run(store, "tasks_by_deadline")
    assert len(ordered) == 6 + 3
    dated = [r["deadline_date"] for r in ordered if r["deadline_date"]]
    assert dated == sorted(dated) and ordered[-1]["deadline_date"] is None


def test_unit_workload(store):
    workload = {r["unit"]: r for r in run(store, "unit_workload")}
    office = workload["Văn phòng Sở"]
    assert (office["tasks_led"], office["due_30_days"], office["overdue"]) == (3, 1, 2)
    science = workload["Phòng Quản lý Khoa học"]
    assert (science["tasks_led"], science["overdue"], science["tasks_supported"]) == (2, 2, 1)
    assert workload["Sở Nội vụ"]["tasks_supported"] == 1 and workload["Sở Nội vụ"]["tasks_led"] == 0


@pytest.mark.parametrize("spelling", ["97 /kh- skhcn", "97/KH-SKHCN", "097/KH_SKHCN"])
def test_notices_citing_any_spelling(store, spelling):
    [row] = run(store, "notices_citing", number=spelling)
    assert row["number"] == "97/KH-SKHCN" and row["in_register"] == 1
    assert "Kế hoạch số 97/KH-SKHCN ngày 28/12/2023" in row["sentence"]
    assert run(store, "notices_citing", number="") == []


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
        assert [(r["number"], r["published"]) for r in cited["rows"]] == [("97/KH-SKHCN", "2024-08-22")]
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
        for page in pages:
            with urllib.request.urlopen(base + page, timeout=10) as response:
                assert response.status == 200, page

        # served mutable: a notice written while Datasette runs shows up at once
        with Store(db_path) as store:
            store.save_notice(*due_notice(TODAY))
        soon = get_json(base, "/notices/tasks_due_soon.json", _shape="objects")
        assert [r["lead_units"] for r in soon["rows"]] == ["Văn phòng Sở"]


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
