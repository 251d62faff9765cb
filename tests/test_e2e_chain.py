"""Documents on file and the citation chain, end to end: a mock portal whose notice B *is*
Thông báo 07/TB-SKHCN (its own header) and cites Kế hoạch 97/KH-SKHCN of the register, and whose
notice A cites 07/TB-SKHCN; scraped by the installed CLI in a temporary working directory
(default relative paths), audited both ways, and asked through Datasette's canned queries."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.portal import MockPortal, RegisterRow
from tests.servers import free_port, get_json, running

NOTICES = str(Path(sys.executable).with_name("notices"))

B_PARAGRAPHS = [
    "UBND TỈNH QUẢNG TRỊ\nSỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "Số: 07/TB-SKHCN\nQuảng Trị, ngày 29 tháng 01 năm 2024",
    "THÔNG BÁO\nÝ kiến kết luận của Giám đốc Sở về công tác cải cách hành chính năm 2024",
    "Thực hiện Kế hoạch số 97/KH-SKHCN ngày 28/12/2023 của Sở Khoa học và Công nghệ về cải cách hành"
    " chính năm 2024 và Nghị quyết số 01/NQ-CP ngày 05/01/2024 của Chính phủ, Giám đốc Sở kết luận như sau:",
    "1. Văn phòng Sở chủ trì rà soát các nhiệm vụ cải cách hành chính, hoàn thành trước ngày 15/02/2024.",
]
A_PARAGRAPHS = [
    "Ngày 12/3/2024, Giám đốc Sở chủ trì cuộc họp giao ban tháng 3.",
    "Các phòng, đơn vị tiếp tục thực hiện Thông báo số 07/TB-SKHCN ngày 29/01/2024 của Sở về công tác"
    " cải cách hành chính năm 2024.",
]
# A news post about B: it names 07/TB-SKHCN but is not it.
NEWS_PARAGRAPHS = [
    "Ngày 30/01/2024, Sở Khoa học và Công nghệ ban hành Thông báo số 07/TB-SKHCN về công tác cải cách hành chính.",
]


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([NOTICES, *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    work = tmp_path_factory.mktemp("chain")
    with MockPortal() as portal:
        portal.register.append(RegisterRow("97/KH-SKHCN", date(2023, 12, 28), "Kế hoạch",
                                           "Cải cách hành chính năm 2024", "1723500000106"))
        b = portal.add_article("Thông báo Ý kiến kết luận của Giám đốc Sở về công tác CCHC năm 2024",
                               B_PARAGRAPHS, date(2024, 1, 30), "1663228888530")
        a = portal.add_article("Thông báo kết luận cuộc họp giao ban tháng 3/2024", A_PARAGRAPHS,
                               date(2024, 3, 13), "1663228888530")
        news = portal.add_article("Sở Khoa học và Công nghệ ban hành Thông báo kết luận về CCHC",
                                  NEWS_PARAGRAPHS, date(2024, 1, 31), "1663228888101")
        cli(work, "scrape", "--base-url", portal.base_url, "--delay", "0", "-q")
        urls = {name: portal.url(portal.article_path(x)) for name, x in (("a", a), ("b", b), ("news", news))}
    return work, urls


def audit_json(work: Path, *args: str) -> dict:
    return json.loads(cli(work, "audit", *args, "--format", "json").stdout)


def test_the_notice_that_is_the_document_puts_it_on_file(chain):
    work, urls = chain
    trail = audit_json(work, "07/tb-skhcn")
    assert trail["document"]["number"] == "07/TB-SKHCN" and trail["document"]["doc_type"] == "Thông báo"
    assert trail["document"]["issued"] == "2024-01-29" and not trail["document"]["in_register"]
    assert [(f["kind"], f["url"]) for f in trail["on_file"]] == [("notice", urls["b"])]
    # cited by A and by the news post (plain notices, oldest first), never by B itself
    assert [(c["kind"], c["url"], c["depth"]) for c in trail["cited_by"]] == [
        ("notice", urls["news"], 1), ("notice", urls["a"], 1)]
    # what it is based on: the register's plan and a resolution on file nowhere
    assert [(c["number"], c["depth"], c["url"]) for c in trail["cites"]] == [
        ("97/KH-SKHCN", 1, urls["b"]), ("01/NQ-CP", 1, urls["b"])]
    assert "Kế hoạch số 97/KH-SKHCN" in trail["cites"][0]["sentence"]
    assert [t["ordinal"] for t in trail["tasks"]] == []  # B's task carries no number


def test_audit_depth_2_reaches_a_through_b(chain):
    work, urls = chain
    one = audit_json(work, "97/KH-SKHCN")
    assert [(c["kind"], c["number"], c["url"]) for c in one["cited_by"]] == [("document", "07/TB-SKHCN", urls["b"])]
    assert [f["kind"] for f in one["on_file"]] == ["register"]
    two = audit_json(work, "97/KH-SKHCN", "--depth", "2")
    assert [(c["depth"], c["kind"], c["url"], c["via_number"]) for c in two["cited_by"]] == [
        (1, "document", urls["b"], "97/KH-SKHCN"),
        (2, "notice", urls["news"], "07/TB-SKHCN"), (2, "notice", urls["a"], "07/TB-SKHCN")]
    text = cli(work, "audit", "97/KH-SKHCN", "--depth", "2").stdout
    assert "  Cited by 1 notice, oldest first:\n" in text
    assert "— itself 07/TB-SKHCN (2024), Thông báo" in text
    assert "    2 steps up (what cites the citing documents):\n" in text
    assert text.index(urls["b"]) < text.index(urls["a"])
    down = cli(work, "audit", "07/TB-SKHCN").stdout
    assert "  On file as a notice: 2024-01-30  Thông báo Ý kiến kết luận" in down
    assert "  Cites 2 documents (what it is based on):\n    97/KH-SKHCN (2023), Kế hoạch\n" in down
    # the other formats still render the trail
    assert cli(work, "audit", "07/TB-SKHCN", "--format", "csv").stdout.startswith("kind,number,year")
    assert "<h1>Citation trail of 07/TB-SKHCN</h1>" in cli(work, "audit", "07/TB-SKHCN", "--format", "html").stdout


def test_the_tables_say_where_each_document_is_on_file(chain):
    work, urls = chain
    with sqlite3.connect(work / "data" / "db" / "notices.db") as conn:
        on_file = dict(conn.execute("select number, on_file from documents"))
        edges = conn.execute("select citing_number, cited_number from document_citations order by citation_id").fetchall()
        nowhere = [r[0] for r in conn.execute("select number from documents_cited_nowhere")]
    assert on_file == {"97/KH-SKHCN": "register", "07/TB-SKHCN": "notice", "01/NQ-CP": None}
    assert edges == [("07/TB-SKHCN", "97/KH-SKHCN"), ("07/TB-SKHCN", "01/NQ-CP")]
    assert nowhere == ["01/NQ-CP"]


def test_canned_queries_answer_both_directions(chain):
    work, urls = chain
    port = free_port()
    process = subprocess.Popen([NOTICES, "serve", "--host", "127.0.0.1", "--port", str(port)], cwd=work,
                               stderr=subprocess.DEVNULL)
    with running(process, f"http://127.0.0.1:{port}") as base:
        def canned(name: str, **params: str) -> list[dict]:
            return get_json(base, f"/notices/{name}.json", _shape="objects", **params)["rows"]

        assert {(r["Số hiệu"], r["Có trong hồ sơ"]) for r in canned("documents_on_file")} == {
            ("97/KH-SKHCN", "register"), ("07/TB-SKHCN", "notice")}
        assert [r["Số hiệu"] for r in canned("cited_not_on_file")] == ["01/NQ-CP"]
        bases = canned("document_bases", number="07/tb-skhcn")
        assert [(r["Văn bản"], r["Số hiệu"], r["Có trong hồ sơ"]) for r in bases] == [
            ("07/TB-SKHCN", "97/KH-SKHCN", "register"), ("07/TB-SKHCN", "01/NQ-CP", None)]
        chain_rows = canned("citation_chain", number="97/KH-SKHCN", depth="2")
        assert [(r["Chiều"], r["Bậc"], r["Bên trích dẫn"], r["url"]) for r in chain_rows] == [
            ("được trích dẫn bởi", 1, "07/TB-SKHCN", urls["b"]), ("được trích dẫn bởi", 2, "thông báo", urls["news"]),
            ("được trích dẫn bởi", 2, "thông báo", urls["a"])]
        assert len(canned("citation_chain", number="97/KH-SKHCN", depth="")) == 3  # default 3: nothing further
        assert [r["Bậc"] for r in canned("citation_chain", number="97/KH-SKHCN", depth="1")] == [1]
        both = canned("citation_chain", number="07/TB-SKHCN", depth="abc")  # unreadable depth: the default
        assert {r["Chiều"] for r in both} == {"được trích dẫn bởi", "trích dẫn"}
        # the copies table, which the documents' pages link to
        page = get_json(base, "/notices/document_copies.json", _shape="objects")["rows"]
        assert [(r["number"], r["url"]) for r in page] == [("07/TB-SKHCN", urls["b"])]


def test_the_report_graph_draws_document_to_document(chain):
    work, urls = chain
    cli(work, "report", "report.html", "--today", "2024-09-20")
    page = (work / "report.html").read_text("utf-8")
    # B is drawn as the notice that is 07/TB-SKHCN, joined to it by a dashed line, and citing 97/KH-SKHCN
    assert "= 07/TB-SKHCN · " in page
    assert page.count('class="edge same"') == 1
    assert "<script" not in page
