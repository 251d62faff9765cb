"""The audit page and the report opened in headless Chromium, checked for what a person would
see: the DOM the browser built (headings, the trail, the charts), nothing from a notice run as
code, and a screenshot whose pixels show the highlighted numbers and the bars."""
from __future__ import annotations


import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.pages import CSS
from tests.browser import BAR_RGB, chromium_or_skip, dump_dom, pixels, screenshot, share_of
from tests.conftest import HOSTILE_TITLE

CHROMIUM = chromium_or_skip()

MARK = (0xFF, 0xF1, 0xA8)  # <mark>, from pipeline/pages.py
BAR = BAR_RGB  # the bars of the chart and links
INK = (0x1D, 0x27, 0x33)  # text
assert "#fff1a8" in CSS and "#1f5fa8" in CSS and "#1d2733" in CSS


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def visible_text(tag) -> str:
    return " ".join((tag.body or tag).get_text(" ").split())


@pytest.fixture(scope="module")
def audit_page(scraped_db, tmp_path_factory):
    page = tmp_path_factory.mktemp("audit") / "trail.html"
    page.write_text(cli("audit", "97 /kh- skhcn", "--db", str(scraped_db), "--format", "html"), "utf-8")
    return page


@pytest.fixture(scope="module")
def report_page(scraped_db, tmp_path_factory):
    page = tmp_path_factory.mktemp("report") / "report.html"
    cli("report", str(page), "--db", str(scraped_db))
    return page


def test_the_audit_page_as_the_browser_builds_it(audit_page):
    soup = BeautifulSoup(dump_dom(CHROMIUM, audit_page), "html.parser")
    assert soup.title.get_text() == "Citation trail of 97/KH-SKHCN"  # no script changed it
    assert soup.find("script") is None and soup.find("img") is None
    assert soup.h1.get_text() == "Citation trail of 97/KH-SKHCN"
    text = visible_text(soup)
    assert "in the register" in text and "Cải cách hành chính năm 2024" in text
    assert "Cited by 4 notices (5 mentions), oldest first" in text
    notices = soup.select("ol.trail > li")
    dates = [li.select_one(".date").get_text() for li in notices]
    assert len(notices) == 4 and dates == sorted(dates)
    assert len(soup.select("ol.trail blockquote")) == 5
    assert all("97" in mark.get_text() for mark in soup.select("blockquote mark"))
    # the notice with markup in its title shows that markup as text, and links to its page
    hostile = [li for li in notices if li.a and li.a.get_text() == HOSTILE_TITLE]
    assert len(hostile) == 1 and hostile[0].a["href"].startswith("http://127.0.0.1:")
    assert "<img" in hostile[0].blockquote.get_text()  # the text, not an element
    tasks = soup.select("table tbody tr")
    assert len(tasks) == 2 and {tr.find_all("td")[4].get_text() for tr in tasks} >= {"Phòng Quản lý Khoa học"}


def test_the_audit_page_on_screen(audit_page, tmp_path):
    image = pixels(screenshot(CHROMIUM, audit_page, tmp_path / "audit.png", 1200, 1200))
    assert image.shape == (1200, 1200, 3)
    assert share_of(image, INK, tolerance=40) > 0.01  # a page of text, not a blank
    assert share_of(image, MARK) > 0.001  # the highlighted numbers show
    assert share_of(image, BAR, tolerance=30) > 0.0005  # and the links


def test_the_report_as_the_browser_builds_it(report_page, scraped_db):
    soup = BeautifulSoup(dump_dom(CHROMIUM, report_page), "html.parser")
    assert soup.title.get_text() == "Audit report" and soup.find("script") is None
    assert [h2.get_text() for h2 in soup.find_all("h2")] == [
        "Most-cited directives", "Citations per month", "Citation graph of the top directives",
        "Cited but not in the register", "Deadlines per unit"]
    first = soup.select_one("#most-cited + table tbody tr").find_all("td")
    assert first[1].a.get_text() == "97/KH-SKHCN" and first[5].get_text() == "4"
    chart, graph = soup.find_all("svg")
    bars = chart.select("rect.bar")
    assert bars and sum(int(b.title.get_text().split(": ")[1].split()[0]) for b in bars) == int(
        soup.select(".figure strong")[2].get_text())  # every citation is in a bar
    assert len(graph.select("path.edge")) >= 8 and len(graph.select("text.directive")) == 8
    labels = ["".join(t.find_all(string=True, recursive=False)) for t in graph.select("text.notice")]
    assert any(label.startswith("2024-09-25 · Thông báo <script>") for label in labels)  # shown as text
    units = visible_text(soup.select_one("#deadlines").find_next("table"))
    assert "Văn phòng Sở" in units and "Phòng Quản lý Khoa học" in units
    due = [span.get_text() for span in soup.select(".badge.soon")]
    assert due.count("in 10 days") == 2  # the two tasks due in ten days, one per lead unit


def test_the_report_on_screen(report_page, tmp_path):
    image = pixels(screenshot(CHROMIUM, report_page, tmp_path / "report.png", 1200, 2000))
    assert share_of(image, INK, tolerance=40) > 0.01
    assert share_of(image, BAR, tolerance=6) > 0.002  # the bars of the chart are drawn
