"""The Datasette an analyst opens, looked at in headless Chromium at 1366 px: what is visible
(``innerText`` holds only what CSS shows), in Vietnamese, without raw ids, charts drawn, no
horizontal scroll bar, and the path the issue asks for — from the home page, without SQL, to a
unit's overdue tasks with days late, the trail of a number a task cites, citations per month as a
chart, and a feed of the unit's deadlines."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser import BAR_RGB, Browser, chromium_or_skip, pixels, share_of
from tests.servers import free_port, running

CHROMIUM = chromium_or_skip()

NOTICES = str(Path(sys.executable).with_name("notices"))
WIDTH = 1366
RAW = ("task_id", "notice_id", "document_id", "unit_id", "lead_unit_list", "deadline_date", "snake_case")


@pytest.fixture(scope="module")
def site(scraped_db):
    port = free_port()
    process = subprocess.Popen([NOTICES, "serve", "--db", str(scraped_db), "--host", "127.0.0.1",
                                "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with running(process, f"http://127.0.0.1:{port}") as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with Browser(CHROMIUM, WIDTH, 900) as b:
        yield b


def links(browser: Browser, selector: str) -> list[dict]:
    return browser.evaluate(f"""[...document.querySelectorAll({selector!r})]
        .filter(a => a.offsetParent !== null).map(a => ({{text: a.innerText.trim(), href: a.href}}))""")


def visible_headers(browser: Browser) -> list[str]:
    return browser.evaluate("[...document.querySelectorAll('th')].filter(e => e.offsetParent !== null)"
                            ".map(e => e.innerText.trim())")


def test_the_analysts_path_from_the_home_page(site, browser):
    browser.open(site + "/")
    text = browser.visible_text()
    assert "Kiểm tra văn bản và trích dẫn" in text and "Theo dõi nhiệm vụ và thời hạn" in text
    assert browser.overflow() <= 0
    home = {link["text"]: link["href"] for link in links(browser, "a")}
    # the units and their workload, one click from home; a unit's page one more
    browser.open(home["Các đơn vị và nhiệm vụ"])
    assert "Khối lượng nhiệm vụ của từng đơn vị" in browser.visible_text()
    unit = next(link for link in links(browser, "td a") if link["text"] == "Phòng Quản lý Khoa học")
    browser.open(unit["href"])
    assert browser.evaluate("document.querySelector('h1').innerText") == "Phòng Quản lý Khoa học"
    late = browser.evaluate("[...document.querySelectorAll('#qua-han + table .badge')].map(b => b.innerText)")
    assert late and all(t.startswith("quá hạn ") and t.endswith(" ngày") for t in late)
    assert browser.overflow() <= 0
    # subscribe: the page names the feed of the unit's deadlines (a feed reader finds it), and
    # the feed is Atom the browser parses
    feed = next(link for link in links(browser, "a") if "nguồn tin Atom" in link["text"])
    assert browser.evaluate("document.querySelector('link[rel=alternate]').href") == feed["href"]
    browser.open(site + "/")  # a Datasette page: the unit page's CSP allows no fetch
    read = browser.evaluate(f"""fetch({feed['href']!r}).then(r => r.text()).then(t => {{
        const x = new DOMParser().parseFromString(t, 'application/xml');
        return [x.getElementsByTagName('entry').length, x.getElementsByTagName('title')[0].textContent,
                x.getElementsByTagName('parsererror').length]; }})""")
    assert read[0] >= 1 and read[1] == "Hạn nhiệm vụ của Phòng Quản lý Khoa học" and read[2] == 0
    # the trail of a number an overdue task cites: home -> overdue tasks -> the number
    browser.open(home["Nhiệm vụ quá hạn"])
    number = links(browser, "td a[href*='/-/audit/']")[0]
    browser.open(number["href"])
    assert browser.evaluate("document.querySelector('h1').innerText") == f"Citation trail of {number['text']}"
    assert browser.evaluate("document.querySelectorAll('blockquote mark').length") >= 1
    # citations per month as a chart
    browser.open(home["Biểu đồ"])
    assert browser.evaluate("document.querySelectorAll('svg').length") == 3


def test_a_canned_query_reads_in_vietnamese(site, browser):
    browser.open(site + "/notices/tasks_overdue?unit=van+phong+so")
    assert visible_headers(browser) == ["Hạn", "Số ngày quá hạn", "Đơn vị chủ trì", "Nhiệm vụ", "Văn bản dẫn",
                                        "Đơn vị phối hợp", "Ngày đăng", "Thông báo"]
    text = browser.visible_text()
    assert "Tính đến ngày" in text and "Đơn vị (một phần tên)" in text and "Trang chủ" in text
    assert not any(raw in text for raw in RAW) and "select " not in text  # no ids, no SQL
    assert "quá hạn " in text and browser.overflow() <= 0
    # long task text folds: one line shown, the whole one click away
    folded = browser.evaluate("document.querySelectorAll('td details').length")
    assert folded >= 1
    browser.evaluate("document.querySelector('td details summary').click()")
    assert browser.evaluate("document.querySelector('td details').open") is True


def test_a_bad_month_says_what_is_expected(site, browser):
    browser.open(site + "/notices/tasks_due_in_month?month=th%C3%A1ng+chin")
    text = browser.visible_text()
    assert "Không đọc được «tháng chin» ở ô «Tháng»" in text and "9/2024" in text
    assert "error" not in text.lower()


def test_the_dashboard_draws_its_charts(site, browser, tmp_path):
    browser.open(site + "/-/dashboard")
    sizes = browser.evaluate("[...document.querySelectorAll('svg')].map(s => s.getBoundingClientRect().width)")
    assert len(sizes) == 3 and all(w > 600 for w in sizes)
    bars = browser.evaluate("[...document.querySelectorAll('svg')].map(s => s.querySelectorAll('rect.bar').length)")
    assert all(n > 0 for n in bars)
    assert browser.overflow() <= 0
    image = pixels(browser.screenshot(tmp_path / "dashboard.png", 900))
    assert share_of(image, BAR_RGB, tolerance=6) > 0.005  # blue bars on screen


def test_lead_unit_facets_show_whole_names(site, browser):
    browser.open(site + "/notices/task_schedule?_facet_array=lead_unit_list")
    assert browser.evaluate("document.querySelectorAll('.facet-info').length") == 1  # once, not twice
    breaks_inside_words = browser.evaluate("""[...document.querySelectorAll('.facet-info li a')].filter(a => {
        const t = a.firstChild; let top = null;
        for (let i = 0; t && i < t.length; i++) {
          const r = document.createRange(); r.setStart(t, i); r.setEnd(t, i + 1);
          const box = r.getBoundingClientRect(); if (!box.width) continue;
          if (top !== null && box.top > top + 2 && t.data[i - 1] !== ' ' && t.data[i] !== ' ') return true;
          top = box.top;
        }
        return false;
      }).map(a => a.innerText)""")
    assert breaks_inside_words == []


def test_tables_show_what_a_person_reads(site, browser):
    browser.open(site + "/notices/notices")
    headers = visible_headers(browser)
    assert "title" in headers and not {"content_hash", "raw_path", "extractor_version", "url"} & set(headers)
    tall = browser.evaluate("Math.max(...[...document.querySelectorAll('tbody tr')].map(r => r.getBoundingClientRect().height))")
    assert tall < 260  # a body folds into a few lines, not a 500 px row
    assert "Thông báo" == browser.evaluate("document.querySelector('h1').innerText")
