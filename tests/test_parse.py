"""The parsers on the sample pages, on every notice the mock portal renders, on pages with other
markup (the generic fallback), and on awkward encodings."""
from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.parse import (ParseError, body_text_from_html, content_hash, decode_html, parse_article,
                            parse_home, parse_listing, parse_register)
from tests.conftest import gold, site_page
from tests.portal import FIXTURES, SEED_ARTICLE_ID, MockPortal, encode_cp1258

BASE = "https://sokhcn.quangtri.gov.vn"
SEED_URL = f"{BASE}/chi-tiet-tin/-/view-article/1/1663228888354/{SEED_ARTICLE_ID}"
SEED_TITLE = ("Thông báo Ý kiến kết luận của Phó Giám đốc Sở - Nguyễn Hữu Thắng tại buổi làm việc về kết quả "
              "triển khai thực hiện nhiệm vụ công tác cải cách hành chính 7 tháng đầu năm 2024")
SIDE_AND_FOOTER = ["LỊCH CÔNG TÁC TUẦN", "CHUYÊN MỤC", "Thống kê truy cập", "Số người online", "©",
                   "Chịu trách nhiệm", "Các tin khác", "Tệp đính kèm", "Ngày đăng", "Tin tức - Sự kiện",
                   "Kiểm tra công tác cải cách hành chính năm 2024 tại các phòng, đơn vị", "Khơi dậy khát vọng"]


def seed_text_parts() -> tuple[str, list[str]]:
    """Title and body paragraphs of the real page as text (tests/fixtures/sokhcn-...txt)."""
    text = (FIXTURES / "sokhcn-2024-08-22-cchc-ket-luan.txt").read_text(encoding="utf-8")
    after_date = text.split("Ngày đăng: 22-08-2024", 1)[1].split("LỊCH CÔNG TÁC TUẦN", 1)[0]
    blocks = [b.strip() for b in re.split(r"\n\s*\n", after_date) if b.strip()]
    return blocks[0], blocks[1:]


def strip_markup_names(html: str) -> str:
    """The same page with every class and id gone: only the generic fallback can read it."""
    return re.sub(r'\s(?:class|id|role)="[^"]*"', "", html)


# --- articles ---------------------------------------------------------------------------

def test_seed_article_matches_the_real_page_text(profile):
    notice = parse_article(site_page("detail-article.html"), SEED_URL, profile)
    title, paragraphs = seed_text_parts()
    assert notice.title == title == SEED_TITLE
    assert notice.body.split("\n\n") == paragraphs
    assert notice.published == date(2024, 8, 22)
    assert notice.category == "Cải cách hành chính"
    assert (notice.site, notice.article_id, notice.category_id) == ("sokhcn.quangtri.gov.vn", SEED_ARTICLE_ID, "1663228888354")
    assert notice.attachments == [f"{BASE}/documents/10181/1663228888354/TB+ket+luan+CCHC+7+thang.pdf/4f1c2a9e-8b1d-4c55-9e61-2f0d2b7a1c11"]
    assert notice.content_hash == content_hash(notice.title, notice.body)


def test_seed_article_matches_the_gold_text(profile):
    notice = parse_article(site_page("detail-article.html"), SEED_URL, profile)
    paragraphs = [p for p in gold("seed-cchc-2024-08")["text"].split("\n\n") if p.strip()]
    assert [notice.title] + notice.body.split("\n\n") == paragraphs


@pytest.mark.parametrize("fragment", SIDE_AND_FOOTER)
def test_no_menu_side_block_or_footer_text_in_the_body(profile, fragment):
    assert fragment not in parse_article(site_page("detail-article.html"), SEED_URL, profile).body


def test_language_prefixed_article_urls(profile):
    url = f"{BASE}/vi/chi-tiet-tin/-/view-article/1/1663228888354/{SEED_ARTICLE_ID}"
    assert parse_article(site_page("detail-article.html"), url, profile).article_id == SEED_ARTICLE_ID


def test_content_hash_follows_title_and_body_only(profile):
    html = site_page("detail-article.html").decode()
    base = parse_article(html, SEED_URL, profile)
    counters = parse_article(html.replace("3.513.363", "3.513.999"), SEED_URL, profile)
    edited = parse_article(html.replace("trước ngày 26/8/2024", "trước ngày 27/8/2024"), SEED_URL, profile)
    assert counters.content_hash == base.content_hash
    assert edited.content_hash != base.content_hash
    nfd = unicodedata.normalize("NFD", html)
    assert parse_article(nfd, SEED_URL, profile).content_hash == base.content_hash


PORTAL = MockPortal.from_fixtures()  # rendered without a server: templates only


@pytest.mark.parametrize("article", list(PORTAL.articles.values()), ids=lambda a: a.article_id)
def test_every_portal_notice_round_trips(profile, article):
    html = PORTAL.render(PORTAL.article_path(article))[1]
    notice = parse_article(html, BASE + PORTAL.article_path(article), profile)
    assert notice.title == article.title
    assert notice.body == article.body  # paragraphs, and <br> lines inside them
    assert notice.published == article.published
    assert notice.category == PORTAL.categories[article.category_id]


def test_not_an_article_url(profile):
    with pytest.raises(ParseError, match="not an article URL"):
        parse_article(site_page("detail-article.html"), f"{BASE}/gioi-thieu", profile)


@pytest.mark.parametrize("html, reason", [
    ("<html><head><title>Chi tiết tin - Sở Khoa học và Công nghệ</title></head><body><nav><a href='/'>Trang chủ</a></nav>"
     "<p>Một đoạn văn bản.</p></body></html>", "no title"),
    ("<html><head><title>Thông báo - Sở Khoa học và Công nghệ</title></head><body><nav>menu</nav>"
     "<footer>© 2024</footer></body></html>", "no body"),
])
def test_missing_title_or_body_is_a_clear_error(profile, html, reason):
    with pytest.raises(ParseError, match=reason):
        parse_article(html, SEED_URL, profile)


# --- the generic fallback -----------------------------------------------------------------

def test_generic_fallback_reads_the_sample_page_without_its_class_names(profile):
    expected = parse_article(site_page("detail-article.html"), SEED_URL, profile)
    bare = strip_markup_names(site_page("detail-article.html").decode())
    assert "news-content" not in bare
    notice = parse_article(bare, SEED_URL, profile)
    assert (notice.title, notice.published, notice.body) == (expected.title, expected.published, expected.body)


OLD_PORTAL = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>Thông báo kết quả tuyển chọn nhiệm vụ năm 2020 - Sở Khoa học và Công nghệ Quảng Trị</title></head>
<body><div id="top">{heading}<a href="/">Trang chủ</a> | <a href="/?menuID=32">Tin tức</a></div>
<table width="100%"><tr>
<td class="left"><a href="/?menuID=1">Giới thiệu</a><br><a href="/?menuID=2">Cơ cấu tổ chức</a><br><a href="/?menuID=3">Văn bản</a></td>
<td class="center">
  {title_block}
  <div class="ngaythang">Cập nhật: Thứ Ba, ngày 14/01/2020</div>
  <div class="noidungchitiet">
    <div>Căn cứ Quyết định số 1820/QĐ-UBND ngày 24/7/2019 của UBND tỉnh về việc phê duyệt danh mục nhiệm vụ khoa học và công nghệ cấp tỉnh thực hiện từ năm 2020.</div>
    <div>Sở Khoa học và Công nghệ thông báo kết quả tuyển chọn tổ chức, cá nhân chủ trì thực hiện nhiệm vụ như sau:<br>- Đề tài thứ nhất: Trường Đại học Nông Lâm.<br>- Đề tài thứ hai: Viện Khoa học Kỹ thuật Nông nghiệp Bắc Trung Bộ.</div>
    <div>&nbsp;</div>
    <div>Các tổ chức, cá nhân được tuyển chọn hoàn thiện hồ sơ gửi về Sở trước ngày 31/01/2020.</div>
  </div>
</td>
<td class="right"><div class="box"><b>Thống kê truy cập</b><br>Đang online: 12<br>Tổng: 1.234.567</div>
<div class="box2"><b>Liên kết website</b><br><a href="https://www.quangtri.gov.vn">UBND tỉnh</a></div></td>
</tr></table>
<div class="foot">© Sở Khoa học và Công nghệ Quảng Trị. Địa chỉ: 204 Hùng Vương, Đông Hà</div>
</body></html>"""
OLD_BODY = ("Căn cứ Quyết định số 1820/QĐ-UBND ngày 24/7/2019 của UBND tỉnh về việc phê duyệt danh mục nhiệm vụ khoa học "
            "và công nghệ cấp tỉnh thực hiện từ năm 2020.\n\n"
            "Sở Khoa học và Công nghệ thông báo kết quả tuyển chọn tổ chức, cá nhân chủ trì thực hiện nhiệm vụ như sau:\n"
            "- Đề tài thứ nhất: Trường Đại học Nông Lâm.\n- Đề tài thứ hai: Viện Khoa học Kỹ thuật Nông nghiệp Bắc Trung Bộ.\n\n"
            "Các tổ chức, cá nhân được tuyển chọn hoàn thiện hồ sơ gửi về Sở trước ngày 31/01/2020.")


@pytest.mark.parametrize("heading, title_block, title", [
    # the title in a heading of its own
    ("", '<h2 class="tieude">Thông báo kết quả tuyển chọn nhiệm vụ KH&amp;CN năm 2020</h2>',
     "Thông báo kết quả tuyển chọn nhiệm vụ KH&CN năm 2020"),
    # the title in a plain div and the banner in an <h1>: <title> wins over the banner
    ("<h1>SỞ KHOA HỌC VÀ CÔNG NGHỆ</h1>", '<div class="tieude">Thông báo kết quả tuyển chọn</div>',
     "Thông báo kết quả tuyển chọn nhiệm vụ năm 2020"),
])
def test_generic_fallback_on_an_older_portal_layout(profile, heading, title_block, title):
    html = OLD_PORTAL.format(heading=heading, title_block=title_block)
    got_title, published, body = body_text_from_html(html, profile)
    assert (got_title, published) == (title, date(2020, 1, 14))
    assert body == OLD_BODY


def test_body_text_from_html_matches_parse_article(profile):
    notice = parse_article(site_page("detail-article.html"), SEED_URL, profile)
    assert body_text_from_html(site_page("detail-article.html")) == (notice.title, notice.published, notice.body)


# --- listings, home, register --------------------------------------------------------------

LISTING_URL = f"{BASE}/danh-sach-tin/-/view-category/1/1663228888354"


def test_listing_links_dates_and_pagination(profile):
    listing = parse_listing(site_page("listing-category.html"), LISTING_URL, profile)
    assert [(a.article_id, a.category_id, a.published) for a in listing.articles] == [
        ("1724300000003", "1663228888354", date(2024, 8, 22)),
        ("1723100000001", "1663228888354", date(2024, 8, 12)),
        ("1721900000002", "1663228888354", date(2024, 7, 29)),
    ]
    assert listing.articles[0].title == SEED_TITLE  # the title link, not the empty image link
    assert listing.articles[1].url == f"{BASE}/chi-tiet-tin/-/view-article/1/1663228888354/1723100000001"
    assert (listing.page, listing.category_id) == (1, "1663228888354")
    assert listing.pages == [f"{LISTING_URL}?cur={n}" for n in (2, 3, 41)]
    assert listing.next_url == f"{LISTING_URL}?cur=2"


def test_listing_links_found_by_url_pattern_when_selectors_miss(profile):
    bare = strip_markup_names(site_page("listing-category.html").decode())
    listing = parse_listing(bare, LISTING_URL, profile)
    assert [a.article_id for a in listing.articles] == ["1724300000003", "1723100000001", "1721900000002"]
    assert listing.next_url == f"{LISTING_URL}?cur=2"


@pytest.mark.parametrize("page, pages, next_page", [(1, [2, 3], 2), (2, [1, 3], 3), (3, [1, 2], None)])
def test_listing_pages_of_the_mock_portal(profile, page, pages, next_page):
    html = PORTAL.render(PORTAL.listing_path("1663228888354", page))[1]
    listing = parse_listing(html, BASE + PORTAL.listing_path("1663228888354", page), profile)
    expected = PORTAL.listing("1663228888354")[(page - 1) * PORTAL.per_page: page * PORTAL.per_page]
    assert [a.article_id for a in listing.articles] == [a.article_id for a in expected]
    assert [profile.page_number(u) for u in listing.pages] == pages
    assert listing.pages[0] == LISTING_URL or page == 1  # page 1 is the bare URL, as the menu links it
    assert (profile.page_number(listing.next_url) if listing.next_url else None) == next_page


def test_home_menu_gives_the_listings_and_the_register(profile):
    refs = parse_home(site_page("detail-article.html"), BASE, profile)
    assert [(r.kind, r.category_id, r.name) for r in refs] == [
        ("listing", "1663228888101", "Tin hoạt động"),
        ("listing", "1663228888354", "Cải cách hành chính"),
        ("listing", "1663228888412", "Đưa nghị quyết của Đảng vào cuộc sống"),
        ("listing", "1663228888530", "Thông báo"),
        ("register", None, "Văn bản chỉ đạo điều hành"),
    ]
    assert refs[-1].url == f"{BASE}/van-ban-chi-dao-dieu-hanh"


REGISTER_ROWS = [
    ("844/SKHCN-VP", date(2024, 8, 13), "Công văn", "1723500000101"),
    ("75/KH-SKHCN", date(2024, 7, 31), "Kế hoạch", "1722400000102"),
    ("97/KH-SKHCN", date(2023, 12, 28), "Kế hoạch", "1703700000103"),
]


@pytest.mark.parametrize("strip", [False, True], ids=["selectors", "header-words"])
def test_register_rows(profile, strip):
    html = site_page("listing-documents.html").decode()
    page = parse_register(strip_markup_names(html) if strip else html, f"{BASE}/van-ban-chi-dao-dieu-hanh", profile)
    assert [(e.number, e.issued, e.doc_type, e.register_id) for e in page.entries] == REGISTER_ROWS
    first = page.entries[0]
    assert first.summary.startswith("V/v triển khai thực hiện Quyết định của UBND tỉnh Quảng Trị")
    assert first.file_url == f"{BASE}/documents/10181/van-ban/1723500000101.pdf"
    assert first.detail_url == f"{BASE}/chi-tiet-van-ban/-/view-document/1/1723500000101"
    assert page.next_url == f"{BASE}/van-ban-chi-dao-dieu-hanh?cur=2" and page.page == 1


# --- decoding -------------------------------------------------------------------------------

SEED_HTML = site_page("detail-article.html").decode("utf-8")


def cp1258_page(declare_in_header: bool = False) -> tuple[bytes, dict[str, str]]:
    body = encode_cp1258(SEED_HTML.replace("charset=utf-8", "charset=windows-1258"))
    return body, {"Content-Type": "text/html; charset=windows-1258" if declare_in_header else "text/html"}


@pytest.mark.parametrize("body, headers", [
    (SEED_HTML.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"}),
    (SEED_HTML.encode("utf-8"), {}),
    cp1258_page(declare_in_header=False),  # declared only in <meta>
    cp1258_page(declare_in_header=True),
    # the header lies (utf-8), the bytes are cp1258 and <meta> says so: the lie is not believed
    (cp1258_page()[0], {"Content-Type": "text/html; charset=utf-8"}),
    (b"\xef\xbb\xbf" + SEED_HTML.replace("charset=utf-8", "").encode("utf-8"), {"Content-Type": "text/html"}),
    (b"\xef\xbb\xbf" + SEED_HTML.encode("utf-8"), {"Content-Type": "text/html; charset=windows-1258"}),  # BOM wins
    (codecs_utf16 := SEED_HTML.encode("utf-16"), {}),
    (unicodedata.normalize("NFD", SEED_HTML).encode("utf-8"), {}),
], ids=["utf8-header", "utf8-undeclared", "cp1258-meta", "cp1258-header", "cp1258-header-lies", "utf8-bom",
        "bom-beats-header", "utf16-bom", "nfd"])
def test_decode_html_gives_the_same_nfc_text(profile, body, headers):
    text = decode_html(body, headers)
    assert unicodedata.is_normalized("NFC", text)
    assert SEED_TITLE in text
    notice = parse_article(body, SEED_URL, profile, headers)
    assert notice.title == SEED_TITLE and "Quản lý Công nghệ và Đổi mới sáng tạo" in notice.body


def test_cp1258_really_uses_combining_marks():
    raw = encode_cp1258("Thắng")
    assert raw.decode("cp1258") != "Thắng" and unicodedata.normalize("NFC", raw.decode("cp1258")) == "Thắng"


@pytest.mark.parametrize("body, reason", [(b"", "empty"), (b"  \n", "empty"), (b"\x00\x01\x02PK\x03\x04" * 50, "binary")])
def test_undecodable_input_is_a_clear_error(body, reason):
    with pytest.raises(ParseError, match=reason):
        decode_html(body, {})


VIETNAMESE = st.text(alphabet=st.sampled_from(
    list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ ,.:;-()0123456789")
    + list("áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")), min_size=1, max_size=200)


@settings(max_examples=200, deadline=None)
@given(VIETNAMESE)
def test_any_vietnamese_text_survives_windows_1258(text):
    html = f'<html><head><meta charset="windows-1258"></head><body><p>{text}</p></body></html>'
    assert decode_html(encode_cp1258(html), {}) == unicodedata.normalize("NFC", html)
