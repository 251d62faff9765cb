"""The auditors' path end to end: the register of directives crawled through the CLI from the
mock portal (two pages, a row added later), and `notices audit` on the scraped database."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.portal import MockPortal, RegisterRow


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, (result.output, result.exception)
    return result


def scrape(portal: MockPortal, db: Path, raw: Path) -> None:
    run("scrape", "--base-url", portal.base_url, "--delay", "0", "--db", str(db), "--raw-dir", str(raw), "-q")


@pytest.fixture
def paths(tmp_path):
    return tmp_path / "notices.db", tmp_path / "raw"


def test_a_citation_resolves_to_the_register_row_on_its_second_page(portal, paths):
    db, raw = paths
    scrape(portal, db, raw)
    assert portal.count(portal.register_path(2)) == 1  # 97/KH-SKHCN is listed on page 2
    text = run("audit", "97/kh-skhcn", "--db", str(db)).stdout
    assert text.startswith("97/KH-SKHCN (2023) — Kế hoạch, issued 2023-12-28")
    assert "  In the register: Cải cách hành chính năm 2024\n" in text
    assert f"  File: {portal.base_url}/documents/10181/van-ban/1723500000106.pdf\n" in text
    [document] = json.loads(run("audit", "97/KH-SKHCN", "--db", str(db), "--format", "json").stdout)["documents"]
    assert document["in_register"] and document["detail_url"].endswith("/view-document/1/1723500000106")
    # cited, but the register does not list it
    assert "  Not in the register.\n" in run("audit", "1820/QĐ-UBND", "--db", str(db), "--year", "2024").stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from register_entries").fetchone() == (6,)
        assert conn.execute("select in_register from documents where number = '1820/QĐ-UBND'").fetchall() == [(0,), (0,)]


def test_a_register_row_added_later_reaches_the_documents_already_cited(portal, paths):
    db, raw = paths
    scrape(portal, db, raw)
    portal.register.append(RegisterRow("1820/QĐ-UBND", date(2024, 7, 24), "Quyết định",
                                       "Ban hành Quy định tiêu chí đánh giá, chấm điểm chỉ số CCHC", "1723500000201"))
    portal.clear_log()
    scrape(portal, db, raw)
    # the new row is on page 1: page 2 holds only known rows, so the walk stops there
    assert [p for p in portal.paths() if p.startswith("/van-ban")] == [portal.register_path(1), portal.register_path(2)]
    text = run("audit", "1820/QD-UBND", "--db", str(db)).stdout
    old, new = text.split("\n\n1820/QĐ-UBND (2024)")
    assert old.startswith("1820/QĐ-UBND (2022)") and "Not in the register." in old
    assert "In the register: Ban hành Quy định tiêu chí đánh giá, chấm điểm chỉ số CCHC" in new
    assert f"File: {portal.base_url}/documents/10181/van-ban/1723500000201.pdf" in new
    assert "Thông báo Ý kiến kết luận của Phó Giám đốc Sở - Nguyễn Hữu Thắng" in new


# ------------------------------------------------------- on the scraped database

def citing(db: Path, number: str) -> list[tuple[str, str, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("""
            select distinct n.published, n.title, n.url from citations c join notices n on n.id = c.notice_id
            join documents d on d.id = c.document_id where d.number = ? order by n.published""", [number]).fetchall()


def test_audit_gives_every_citing_notice_oldest_first(scraped_db):
    notices = citing(scraped_db, "97/KH-SKHCN")
    assert len(notices) == 4
    text = run("audit", "97 /kh- skhcn", "--db", str(scraped_db)).stdout
    assert "Cited by 4 notices (5 mentions), oldest first:" in text
    positions = [text.index(f"    {published}  {title}\n      {url}\n") for published, title, url in notices]
    assert positions == sorted(positions)
    assert "item 7 of “Thông báo Ý kiến kết luận của Giám đốc Sở tại cuộc họp giao ban" in text
    assert "lead: Phòng Quản lý Khoa học; deadline: " in text  # the task due in ten days


def test_audit_formats(scraped_db):
    data = json.loads(run("audit", "97/KH-SKHCN", "--db", str(scraped_db), "--format", "json").stdout)
    assert len(data["citations"]) == 5 and len({c["notice_id"] for c in data["citations"]}) == 4
    assert all(c["sentence"] and "97" in c["number_as_written"] for c in data["citations"])
    table = list(csv.DictReader(io.StringIO(run("audit", "01820/qd_ubnd", "--db", str(scraped_db),
                                                "--format", "csv").stdout)))
    assert [(r["kind"], r["year"]) for r in table] == [("citation", "2022"), ("citation", "2024")]
    page = run("audit", "97/KH-SKHCN", "--db", str(scraped_db), "--format", "html").stdout
    assert page.startswith("<!DOCTYPE html>") and "<h1>Citation trail of 97/KH-SKHCN</h1>" in page
    assert "<script" not in page and "&lt;script&gt;document.title" in page


def test_an_unknown_number_exits_1_with_the_closest(scraped_db, tmp_path):
    result = run("audit", "1821/qd-ubnd", "--db", str(scraped_db), code=1)
    assert result.stdout == ""
    assert result.stderr.startswith("notices audit: no document numbered 1821/QĐ-UBND; "
                                    "closest known numbers: 1820/QĐ-UBND, ")
    assert result.stderr.count("\n") == 1
    assert "closest known numbers: 1820/QĐ-UBND" in run("audit", "1820", "--db", str(scraped_db), code=1).stderr
    assert "no database at" in run("audit", "97/KH-SKHCN", "--db", str(tmp_path / "none.db"), code=2).stderr
