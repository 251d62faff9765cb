"""Datasette as analysts use it: a database scraped from the mock portal through the CLI,
served by the `notices serve` command on a free local port, read over HTTP — the canned
queries' JSON, full-text search with and without diacritics, labels, facets, plugins."""
from __future__ import annotations

import hashlib
import re
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from pipeline.rows import fold_accents
from tests.conftest import HOSTILE_TITLE
from tests.servers import free_port, get_json, get_text, running

NOTICES = str(Path(sys.executable).with_name("notices"))
TODAY = date.today()


@pytest.fixture(scope="module")
def served(scraped_db):
    before = hashlib.sha256(scraped_db.read_bytes()).hexdigest()
    port = free_port()
    process = subprocess.Popen([NOTICES, "serve", "--db", str(scraped_db), "--host", "127.0.0.1",
                                "--port", str(port)], stderr=subprocess.DEVNULL)
    with running(process, f"http://127.0.0.1:{port}") as base:
        yield base
    # read-only: serving and every query below left the file as it was
    assert hashlib.sha256(scraped_db.read_bytes()).hexdigest() == before


def sql(db: Path, query: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(query, params).fetchall()


def rows(base: str, path: str, **params) -> list[dict]:
    return get_json(base, path + ".json", _shape="objects", _size="max", **params)["rows"]


def canned(base: str, name: str, **params) -> list[dict]:
    return rows(base, f"/notices/{name}", **params)


def words_in(text: str) -> set[str]:
    return set(re.findall(r"\w+", fold_accents(text)))


def matching(db: Path, table: str, columns: str, query: str) -> set[int]:
    """The ids whose text holds every word of ``query``, accents folded: an oracle that
    knows nothing of FTS."""
    wanted = words_in(query)
    return {row[0] for row in sql(db, f"select id, {columns} from {table}")
            if wanted <= words_in(" ".join(c or "" for c in row[1:]))}


# ---------------------------------------------------------------- plugins

def test_plugins_load(served):
    plugins = {p["name"] for p in get_json(served, "/-/plugins.json")}
    assert {"datasette-vega", "notices_sql.py"} <= plugins
    # datasette-vega puts its chart builder on query pages
    page = get_text(served, "/notices/citations_per_month")
    script = re.search(r'<script src="([^"]*datasette_vega[^"]*\.js)"', page)
    assert script and "vega" in get_text(served, script.group(1))


# ---------------------------------------------------------- canned queries

def test_most_cited_directives(served, scraped_db):
    top = canned(served, "most_cited_directives")
    assert (top[0]["number"], top[0]["notices"], top[0]["citations"], top[0]["in_register"]) == (
        "97/KH-SKHCN", 4, 5, 1)
    assert len(top) == sql(scraped_db, "select count(distinct document_id) from citations")[0][0]
    assert [r["notices"] for r in top] == sorted((r["notices"] for r in top), reverse=True)


def test_cited_but_not_in_the_register(served, scraped_db):
    gaps = canned(served, "unregistered_directives")
    expected = sql(scraped_db, "select number from documents d where in_register = 0"
                               " and exists (select 1 from citations c where c.document_id = d.id)")
    assert sorted(r["number"] for r in gaps) == sorted(n for (n,) in expected)
    assert {"1820/QĐ-UBND", "57-NQ/TW", "2731/UBND-KGVX"} <= {r["number"] for r in gaps}
    assert not {"97/KH-SKHCN", "75/KH-SKHCN"} & {r["number"] for r in gaps}  # in the register


def test_citations_per_month(served, scraped_db):
    months = canned(served, "citations_per_month")
    assert sum(r["citations"] for r in months) == sql(scraped_db, "select count(*) from citations")[0][0]
    assert [r["month"] for r in months] == sorted(r["month"] for r in months)
    assert {r["month"]: r["notices"] for r in months}["2024-08"] == 1


def test_tasks_due_soon_and_overdue(served, scraped_db):
    soon = canned(served, "tasks_due_soon")
    due = (TODAY + timedelta(days=10)).isoformat()
    assert [(r["ordinal"], r["lead_units"], r["deadline_date"]) for r in soon] == [
        ("1", "Văn phòng Sở", due), ("2", "Phòng Quản lý Khoa học", due)]
    assert soon[0]["support_units"] == "Phòng Quản lý Khoa học"
    overdue = canned(served, "tasks_overdue")
    assert overdue and all(r["deadline_date"] < TODAY.isoformat() for r in overdue)
    assert len(overdue) == sql(scraped_db, "select count(*) from tasks where deadline_date < date('now', 'localtime')")[0][0]
    month = canned(served, "tasks_due_in_month", month=due[:7])
    assert {r["task_id"] for r in soon} <= {r["task_id"] for r in month}
    assert canned(served, "tasks_due_in_month", month="1999-01") == []
    everything = canned(served, "tasks_by_deadline")
    assert len(everything) == sql(scraped_db, "select count(*) from tasks")[0][0]


def test_unit_workload(served):
    workload = {r["unit"]: r for r in canned(served, "unit_workload")}
    office = workload["Văn phòng Sở"]
    assert office["due_30_days"] == 1 and office["tasks_led"] >= office["overdue"] + 1
    science = workload["Phòng Quản lý Khoa học"]
    assert science["due_30_days"] == 1 and science["tasks_supported"] >= 1


@pytest.mark.parametrize("spelling", ["97/KH-SKHCN", "97 /kh- skhcn", "097/KH_SKHCN", "97/KHSKHCN"])
def test_notices_citing_a_number_in_any_spelling(served, spelling):
    cited = canned(served, "notices_citing", number=spelling)
    assert [r["published"] for r in cited] == sorted(r["published"] for r in cited)  # oldest first
    assert len(cited) == 5 and len({r["notice_id"] for r in cited}) == 4
    assert all("97" in r["sentence"] and r["in_register"] == 1 for r in cited)


def test_a_reused_number_shows_each_year(served):
    cited = canned(served, "notices_citing", number="1820/qd-ubnd")
    assert [(r["year"], r["published"]) for r in cited] == [(2022, "2022-11-28"), (2024, "2024-08-22")]


def test_notices_naming_a_unit(served, scraped_db):
    found = canned(served, "notices_naming_unit", unit="van phong so")
    expected = sql(scraped_db, "select count(distinct m.notice_id) from unit_mentions m join units u"
                               " on u.id = m.unit_id where u.name = 'Văn phòng Sở'")[0][0]
    assert {r["unit"] for r in found} == {"Văn phòng Sở"} and len(found) == expected
    assert canned(served, "notices_naming_unit", unit="") == []


# ------------------------------------------------------------- full text

@pytest.mark.parametrize("query", ["cai cach hanh chinh", "cải cách hành chính", "CẢI CÁCH HÀNH CHÍNH",
                                   "doi moi sang tao", "Đổi mới sáng tạo", "don vi", "quang tri"])
def test_search_notices_with_and_without_diacritics(served, scraped_db, query):
    found = {r["id"] for r in rows(served, "/notices/notices", _search=query)}
    assert found and found == matching(scraped_db, "notices", "title, body", query)


def test_the_contract_url(served, scraped_db):
    page = get_text(served, "/notices/notices?_search=cai+cach+hanh+chinh")
    titles = [t for (t,) in sql(scraped_db, "select title from notices where body like '%cải cách hành chính%'")]
    assert len(titles) >= 4
    for title in titles:
        assert title.split("<")[0][:40] in page.replace("&#39;", "'")
    # markup in a title is shown, never run
    assert "&lt;script&gt;" in page and "<script>document.title" not in page


@pytest.mark.parametrize("query", ["cai cach hanh chinh", "bao cao", "doi moi", "ra soat nhiem vu"])
def test_search_tasks(served, scraped_db, query):
    found = {r["id"] for r in rows(served, "/notices/tasks", _search=query)}
    assert found and found == matching(scraped_db, "tasks", "text", query)
    # the schedule view searches the same index, and shows the lead units with each task
    scheduled = rows(served, "/notices/task_schedule", _search=query)
    assert {r["task_id"] for r in scheduled} == found


def test_search_citations_by_their_notices(served):
    trail = rows(served, "/notices/citation_trail", _search="doi moi sang tao")
    assert trail and all(r["number"] for r in trail)


# ------------------------------------------------------ labels and facets

def test_foreign_keys_show_names(served):
    [citation, *_] = get_json(served, "/notices/citations.json", _labels="on", _shape="objects",
                              number="1820/QĐ-UBND", _sort="notice_id")["rows"]
    assert citation["notice_id"]["label"].startswith("Thông báo")
    assert citation["document_id"]["label"] == "1820/QĐ-UBND"
    [lead, *_] = get_json(served, "/notices/task_units.json", _labels="on", _shape="objects", role="lead")["rows"]
    assert isinstance(lead["unit_id"]["label"], str) and lead["unit_id"]["label"]


@pytest.mark.parametrize("table, facet", [("notices", "category"), ("documents", "doc_type"),
                                          ("dates", "role"), ("task_units", "unit_id"),
                                          ("unit_mentions", "unit_id"), ("task_schedule", "lead_unit_list")])
def test_default_facets(served, table, facet):
    results = get_json(served, f"/notices/{table}.json")["facet_results"]
    assert results[facet]["results"], (table, facet)


def test_markup_in_notices_is_escaped_in_datasette(served):
    page = get_text(served, "/notices/notices", _search="pwned")
    assert HOSTILE_TITLE.split("<")[0] in page
    assert "<script>document.title" not in page and "&lt;script&gt;document.title" in page
