"""The lxml fast path of parse_article reads every article exactly as the BeautifulSoup path
does, and steps aside (None) whenever it cannot be sure."""
from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest

from pipeline import fastparse
from pipeline.htmltext import decode_html
from pipeline.parse import _drop_heading_lines, parse_article, read_article_soup
from pipeline.profile import load_profile
from tests import portal_pages
from tests.portal import FIXTURES, MockPortal, encode_cp1258

PROFILE = load_profile("liferay")
URL = "https://sokhcn.quangtri.gov.vn/chi-tiet-tin/-/view-article/1/1663228888354/1724300000003"


def both(html: str, profile=PROFILE, url: str = URL):
    fast = fastparse.read_article(html, url, profile)
    if fast is not None:
        title, published, text, category, attachments = fast
        fast = (title, published, _drop_heading_lines(text, title, profile), category, attachments)
    return fast, read_article_soup(html, url, profile)


def gold_pages() -> list[tuple[str, str]]:
    """Every gold notice of both corpora as a portal page."""
    portal = MockPortal()
    pages = []
    for path in sorted(FIXTURES.glob("*/*.json")):
        gold = json.loads(path.read_text("utf-8"))
        if "text" not in gold:
            continue  # tests/fixtures/real keeps no text (third-party documents)
        title, _, rest = gold["text"].partition("\n")
        article = portal.add_article(title, rest.strip("\n").split("\n\n"), date.fromisoformat(gold["published"]),
                                     "1663228888354")
        pages.append((path.stem, portal_pages.article(portal, article)))
    return pages


@pytest.mark.parametrize("name, html", gold_pages(), ids=lambda v: v if len(v) < 80 else "")
def test_every_gold_notice_page_reads_the_same(name, html):
    fast, slow = both(html)
    assert fast == slow


def test_the_sample_site_page_reads_the_same():
    html = decode_html((FIXTURES / "site" / "detail-article.html").read_bytes())
    fast, slow = both(html)
    assert fast == slow and fast is not None


def test_a_windows_1258_page_reads_the_same_once_decoded():
    portal = MockPortal.from_fixtures()
    page = portal_pages.article(portal, portal.articles["1724300000003"]).replace("charset=utf-8", "charset=windows-1258")
    html = decode_html(encode_cp1258(page))
    fast, slow = both(html)
    assert fast == slow and fast is not None


BODY = """<!DOCTYPE html><html><head><title>x</title></head><body>
<div class="news-detail">
 <div class="breadcrumb-news">Tin tức » <a href="/c">Thông báo</a></div>
 <div class="news-date"><span class="date-publish">22-08-2024</span></div>
 <h3 class="news-title">  Thông báo   số 1 </h3>
 <div class="news-content">{body}</div>
 <div class="news-attachments"><a href="/a.pdf">a</a><a>no href</a></div>
</div></body></html>"""


@pytest.mark.parametrize("body", [
    "<p>Một</p><p>Hai<br>ba</p>",
    "<p>Trước<!-- ghi chú -->sau</p><p>&nbsp;</p><p>Kế hoạch&nbsp;số 97/KH-SKHCN &amp; khác</p>",
    "<table><tr><td>Số</td><td>97/KH</td></tr><tr><th>a</th><td></td><td>b</td></tr></table>",
    "<ul><li>một</li><li>hai <b>đậm</b> ba</li></ul><script>var x = 1;</script>đuôi",
    "<div class='news-other'>Các tin khác <a href='/x'>x</a></div>còn lại<div class='print-share'>In</div> cuối",
    "<p>Tệp: <a href='/files/QD-97.PDF'>tải</a> và <a href='/x.html'>xem</a> <a href='/x.docx?v=1'>d</a></p>",
    "<p>Mở <span>lồng <i>nhiều <u>tầng</u></i></span></p><div><div><p>sâu</p></div>text</div>",
    "Ngày đăng: 22-08-2024<p>Thông báo số 1</p><p>Nội dung thật</p>",
    "<p>dòng 1\r\nvẫn dòng 1\tvà tab</p><pre>  giữ   nguyên?  </pre>",
    "<p>không đóng<p>đoạn sau<div>khối <p>lồng</div>",
    "<noscript>bật JS</noscript><template><p>mẫu</p></template><select><option>x</option></select>hết",
])
def test_tricky_bodies_read_the_same(body):
    fast, slow = both(BODY.format(body=body))
    assert fast is not None and fast == slow


@pytest.mark.parametrize("html", [
    BODY.replace('<span class="date-publish">22-08-2024</span>', "").format(body="<p>x</p>"),  # date: slow path's labels
    BODY.replace('class="news-title"', 'class="other"').format(body="<p>x</p>"),  # title: slow path's fallbacks
    BODY.format(body=""),  # no body text: the slow path's generic fallback
    BODY.format(body="<![CDATA[ x ]]><p>y</p>"),
    '<?xml version="1.0" encoding="utf-8"?>' + BODY.format(body="<p>x</p>"),
])
def test_what_needs_the_fallbacks_is_left_to_the_slow_path(html):
    assert fastparse.read_article(html, URL, PROFILE) is None
    read_article_soup(html, URL, PROFILE)  # which reads it (or raises its ParseError)


def test_a_selector_only_soupsieve_knows_sends_the_page_to_the_slow_path():
    profile = dataclasses.replace(PROFILE, selectors=dataclasses.replace(
        PROFILE.selectors, title='h3:-soup-contains("Thông báo")'))
    html = BODY.format(body="<p>x</p>")
    assert fastparse.read_article(html, URL, profile) is None
    assert parse_article(html, URL, profile).title == "Thông báo số 1"


def test_a_body_that_matches_an_exclusion_is_kept_as_soupsieve_keeps_it():
    profile = dataclasses.replace(PROFILE, selectors=dataclasses.replace(
        PROFILE.selectors, body_exclude=PROFILE.selectors.body_exclude + ", .news-content"))
    fast, slow = both(BODY.format(body="<p>giữ lại</p>"), profile)
    assert fast == slow and "giữ lại" in fast[2]
