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
    assert (top[0]["Số hiệu"], top[0]["Số thông báo"], top[0]["Số lần trích dẫn"], top[0]["Trong danh mục"]) == (
        "97/KH-SKHCN", 4, 5, 1)
    assert len(top) == sql(scraped_db, "select count(distinct document_id) from citations")[0][0]
    assert [r["Số thông báo"] for r in top] == sorted((r["Số thông báo"] for r in top), reverse=True)


def test_cited_but_not_in_the_register(served, scraped_db):
    gaps = canned(served, "unregistered_directives")
    expected = sql(scraped_db, "select number from documents d where in_register = 0"
                               " and exists (select 1 from citations c where c.document_id = d.id)")
    assert sorted(r["Số hiệu"] for r in gaps) == sorted(n for (n,) in expected)
    assert {"1820/QĐ-UBND", "57-NQ/TW", "2731/UBND-KGVX"} <= {r["Số hiệu"] for r in gaps}
    assert not {"97/KH-SKHCN", "75/KH-SKHCN"} & {r["Số hiệu"] for r in gaps}  # in the register


def test_citations_per_month(served, scraped_db):
    months = canned(served, "citations_per_month")
    assert sum(r["Số trích dẫn"] for r in months) == sql(scraped_db, "select count(*) from citations")[0][0]
    assert [r["Tháng"] for r in months] == sorted(r["Tháng"] for r in months)
    assert {r["Tháng"]: r["Số thông báo"] for r in months}["2024-08"] == 1
    assert 0 in {r["Số trích dẫn"] for r in months}  # the empty months are there


def test_tasks_due_soon_and_overdue(served, scraped_db):
    soon = canned(served, "tasks_due_soon")
    due = (TODAY + timedelta(days=10)).isoformat()
    assert [(r["Đơn vị chủ trì"], r["Còn (ngày)"]) for r in soon] == [
        ("Văn phòng Sở", 10), ("Phòng Quản lý Khoa học", 10)]
    assert soon[0]["Đơn vị phối hợp"] == "Phòng Quản lý Khoa học"
    overdue = canned(served, "tasks_overdue")
    assert overdue and all(r["Số ngày quá hạn"] > 0 for r in overdue)
    assert len(overdue) == sql(scraped_db, "select count(*) from tasks where deadline_date < date('now', 'localtime')")[0][0]
    month = canned(served, "tasks_due_in_month", month=due[:7])
    assert {r["task_id"] for r in soon} <= {r["task_id"] for r in month}
    assert canned(served, "tasks_due_in_month", month="1999-01") == []
    everything = canned(served, "tasks_by_deadline")
    assert len(everything) == sql(scraped_db, "select count(*) from tasks")[0][0]


def test_unit_workload(served):
    workload = {r["Đơn vị"]: r for r in canned(served, "unit_workload")}
    office = workload["Văn phòng Sở"]
    assert office["Đến hạn trong 30 ngày"] == 1 and office["Chủ trì"] >= office["Quá hạn"] + 1
    science = workload["Phòng Quản lý Khoa học"]
    assert science["Đến hạn trong 30 ngày"] == 1 and science["Phối hợp"] >= 1


@pytest.mark.parametrize("spelling", ["97/KH-SKHCN", "97 /kh- skhcn", "097/KH_SKHCN", "97/KHSKHCN"])
def test_notices_citing_a_number_in_any_spelling(served, spelling):
    cited = canned(served, "notices_citing", number=spelling)
    assert [r["Ngày đăng"] for r in cited] == sorted(r["Ngày đăng"] for r in cited)  # oldest first
    assert len(cited) == 5 and len({r["notice_id"] for r in cited}) == 4
    assert all("97" in r["Câu trích dẫn"] and r["Trong danh mục"] == 1 for r in cited)


def test_a_reused_number_shows_each_year(served):
    cited = canned(served, "notices_citing", number="1820/qd-ubnd")
    assert [(r["Năm"], r["Ngày đăng"]) for r in cited] == [(2022, "2022-11-28"), (2024, "2024-08-22")]


def test_notices_naming_a_unit(served, scraped_db):
    found = canned(served, "notices_naming_unit", unit="van phong so")
    expected = sql(scraped_db, "select count(distinct m.notice_id) from unit_mentions m join units u"
                               " on u.id = m.unit_id where u.name = 'Văn phòng Sở'")[0][0]
    assert {r["Đơn vị"] for r in found} == {"Văn phòng Sở"} and len(found) == expected
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


# ------------------------------------------------- the pages analysts read

def status_and_text(base: str, path: str) -> tuple[int, str]:
    import urllib.error
    import urllib.request
    try:
        with urllib.request.urlopen(base + path, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_the_home_page_leads_with_the_questions(served):
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(get_text(served, "/"), "html.parser")
    groups = [h2.get_text(" ", strip=True) for h2 in soup.select(".notices-group h2")]
    assert groups[:3] == ["Kiểm tra văn bản và trích dẫn cho kiểm toán viên",
                          "Theo dõi nhiệm vụ và thời hạn cho chuyên viên phân tích",
                          "Công việc thu thập cho người vận hành"]
    links = {a.get_text(): a["href"] for a in soup.select(".notices-group li > a")}
    assert links["Nhiệm vụ quá hạn"] == "/notices/tasks_overdue"
    assert links["Thông báo"] == "/notices/notices" and "Lịch nhiệm vụ" in links
    shown = " ".join(links.values())
    for internal in ("crawl_queue", "scrape_runs", "fetch_errors", "unit_mentions", "dates", "task_units"):
        assert f"/notices/{internal}" not in shown
        assert get_json(served, f"/notices/{internal}.json")["rows"] is not None  # still queryable
    hidden = {t["name"] for t in get_json(served, "/notices.json")["tables"] if t["hidden"]}
    assert {"crawl_queue", "scrape_runs", "fetch_errors", "unit_mentions", "dates", "task_units"} <= hidden


@pytest.mark.parametrize("typed", ["9/2024", "2024-09", "09-2024", "tháng 9/2024"])
def test_a_month_typed_any_way(served, typed):
    assert canned(served, "tasks_due_in_month", month=typed) == canned(served, "tasks_due_in_month", month="2024-09")


@pytest.mark.parametrize("path, expected", [
    ("/notices/tasks_due_in_month?month=9%2F24x", "hãy gõ một tháng, ví dụ 2024-09, 9/2024 hoặc 09-2024"),
    ("/notices/tasks_overdue?as_of=yesterday", "hãy gõ một ngày, ví dụ 2024-09-20 hoặc 20/9/2024"),
])
def test_what_cannot_be_read_says_what_is_expected(served, path, expected):
    status, page = status_and_text(served, path)
    assert status == 200 and expected in page and "message-warning" in page
    assert "error" not in page.lower().split("<footer")[0].replace("message-error", "")


@pytest.mark.parametrize("path", ['/notices/search_newest?q=%22', "/notices/search_newest?q=%22%22",
                                  "/notices/notices?_search=%22", "/notices/tasks?_search=%22+%22",
                                  "/notices/search_newest?q=NEAR%28", "/notices/notices_citing?number=%27%3B"])
def test_typing_never_shows_an_sql_error(served, path):
    status, page = status_and_text(served, path)
    assert status == 200, path
    assert "syntax error" not in page and "message-error" not in page


def test_an_overdue_task_links_its_numbers_to_their_trail(served):
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(get_text(served, "/notices/tasks_overdue", _size="max"), "html.parser")
    rows = soup.select("table.rows-and-columns tbody tr")
    assert rows
    late = [td.get_text() for td in soup.select("td .notices-late")]
    assert late and all(t.startswith("quá hạn ") and t.endswith(" ngày") for t in late)
    trails = [a["href"] for a in soup.select("table.rows-and-columns a[href^='/-/audit/']")]
    assert trails
    status, page = status_and_text(served, trails[0])
    assert status == 200 and "<h1>Citation trail of" in page
    units = [a.get_text() for a in soup.select("a[href^='/-/unit?name=']")]
    assert "Phòng Quản lý Khoa học" in units


def test_a_citing_sentence_is_whole_with_the_number_marked(served, scraped_db):
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(get_text(served, "/notices/notices_citing", number="97/KH-SKHCN"), "html.parser")
    sentences = {s for (s,) in sql(scraped_db, "select sentence from citation_trail where number = '97/KH-SKHCN'")}
    cells = soup.select("tbody td mark")
    assert len(cells) == 5 and all("97" in m.get_text() for m in cells)
    assert {m.parent.get_text() for m in cells} == sentences  # whole: not cut at 300 characters


def test_a_facet_shows_once(served):
    for path in ("/notices/notices?_facet=category", "/notices/task_schedule?_facet_array=lead_unit_list",
                 "/notices/task_schedule?lead_unit_list__arraycontains=V%C4%83n+ph%C3%B2ng+S%E1%BB%9F&_facet_array=lead_unit_list"):
        page = get_text(served, path)
        assert page.count('class="facet-info ') == len(set(re.findall(r'class="facet-info facet-[^"]*"', page))), path


def test_the_unit_page(served):
    from bs4 import BeautifulSoup
    status, page = status_and_text(served, "/-/unit?name=van+phong+so")
    assert status == 200
    soup = BeautifulSoup(page, "html.parser")
    assert soup.h1.get_text() == "Văn phòng Sở"
    assert soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"].startswith("default-src 'none'")
    overdue = soup.select("#qua-han + table tbody tr")
    assert overdue and all("quá hạn" in tr.select_one(".badge").get_text() for tr in overdue)
    soon = soup.select("#sap-den-han + table tbody tr")
    assert [tr.select_one(".badge").get_text() for tr in soon] == ["còn 10 ngày"]
    feed = soup.find("link", rel="alternate")["href"]
    assert feed == "/-/feeds/deadlines.atom?unit=V%C4%83n+ph%C3%B2ng+S%E1%BB%9F"
    assert soup.select("#thong-bao + table tbody tr")
    # as of another day: nothing past yet in 2022
    old = BeautifulSoup(status_and_text(served, "/-/unit?name=van+phong+so&as_of=1%2F1%2F2022")[1], "html.parser")
    assert old.select("#qua-han + table") == [] and "2022-01-01" in old.select_one(".lead").get_text()
    assert status_and_text(served, "/-/unit?name=khong+co+don+vi")[0] == 404
    status, page = status_and_text(served, "/-/unit?name=van+phong+so&as_of=h%C3%B4m+qua")
    assert status == 200 and "Không đọc được ngày «hôm qua»: hãy gõ một ngày, ví dụ 2024-09-20" in page
    status, page = status_and_text(served, "/-/unit?name=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert status == 404 and "«&lt;script&gt;alert(1)&lt;/script&gt;»" in page


def test_the_feeds(served, scraped_db):
    import xml.etree.ElementTree as ET
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring(get_text(served, "/-/feeds/deadlines.atom", unit="Văn phòng Sở"))
    assert feed.find(f"{atom}title").text == "Hạn nhiệm vụ của Văn phòng Sở"
    entries = feed.findall(f"{atom}entry")
    expected = sql(scraped_db, "select count(*) from tasks t join task_units tu on tu.task_id = t.id join units u"
                               " on u.id = tu.unit_id where u.name = 'Văn phòng Sở' and tu.role = 'lead'"
                               " and t.deadline_date is not null")[0][0]
    assert len(entries) == expected and all(e.find(f"{atom}title").text.startswith("Hạn ") for e in entries)
    assert len({e.find(f"{atom}id").text for e in entries}) == len(entries)
    notices = ET.fromstring(get_text(served, "/-/feeds/notices.atom")).findall(f"{atom}entry")
    assert len(notices) == sql(scraped_db, "select count(*) from notices")[0][0]
    assert status_and_text(served, "/-/feeds/deadlines.atom?unit=khong+co")[0] == 404


def test_the_audit_page_through_datasette(served):
    status, page = status_and_text(served, "/-/audit/97%2FKH-SKHCN")
    assert status == 200 and "<h1>Citation trail of 97/KH-SKHCN</h1>" in page
    status, page = status_and_text(served, "/-/audit/1821%2Fqd-ubnd")
    assert status == 404 and "/-/audit/1820%2FQ%C4%90-UBND" in page


def test_the_dashboard(served, scraped_db):
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(get_text(served, "/-/dashboard"), "html.parser")
    months, due, workload = soup.find_all("svg")
    cited = [int(b.title.get_text().split(": ")[1].split()[0]) for b in months.select("rect.bar")]
    assert sum(cited) == sql(scraped_db, "select count(*) from citations")[0][0] and 0 in cited
    assert len(due.select("rect.bar")) >= 3
    assert "Văn phòng Sở" in {t.title.get_text() for t in workload.select("text.label")}


def test_markup_in_notices_is_text_in_the_feeds_and_pages(served):
    import xml.etree.ElementTree as ET
    atom = "{http://www.w3.org/2005/Atom}"
    feed = get_text(served, "/-/feeds/notices.atom")
    titles = [e.find(f"{atom}title").text for e in ET.fromstring(feed).findall(f"{atom}entry")]
    assert HOSTILE_TITLE in titles  # parsed back as the text it is
    assert "<script>" not in feed
    for path in ("/-/dashboard", "/-/unit?name=van+phong+so", "/-/audit/97%2FKH-SKHCN"):
        page = get_text(served, path)
        assert "<script" not in page, path
