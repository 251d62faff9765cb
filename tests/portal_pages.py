"""Page templates of the mock portal, in the markup of ``tests/fixtures/site/*.html``: the same
banner and menu, main column, side portlets and footer around each page's own content."""
from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .portal import MockPortal, PortalArticle


def escape(text: str) -> str:
    return html.escape(text, quote=True)


def _dmy(d, sep: str = "-") -> str:  # noqa: ANN001 (a date)
    return d.strftime(f"%d{sep}%m{sep}%Y")


def _shell(portal: MockPortal, page_title: str, main: str) -> str:
    menu = "\n".join(
        f'    <li><a href="{portal.listing_path(cid)}">{escape(name)}</a></li>'
        for cid, name in portal.categories.items()
    )
    return f"""<!DOCTYPE html>
<html class="ltr" dir="ltr" lang="vi-VN">
<head>
<meta content="text/html; charset=utf-8" http-equiv="content-type" />
<title>{escape(page_title)} - Sở Khoa học và Công nghệ</title>
<script type="text/javascript">var themeDisplay = {{}};</script>
</head>
<body class="yui3-skin-sam public-page site">
<div id="wrapper" class="container">
<header id="banner" role="banner">
 <div class="banner-top"><a class="logo" href="/" title="Sở Khoa học và Công nghệ"><img alt="Sở Khoa học và Công nghệ tỉnh Quảng Trị" src="/documents/10181/0/logo.png" /></a>
 <div class="slogan">Khoa học, Công nghệ và Đổi mới sáng tạo – Khơi dậy khát vọng kiến tạo tương lai</div></div>
 <nav class="navigation" id="navigation" role="navigation"><ul aria-label="Site Pages" role="menubar">
  <li><a href="/trang-chu"><span>Trang chủ</span></a></li>
  <li><a href="/gioi-thieu"><span>Giới thiệu</span></a></li>
  <li class="selected"><a href="/tin-tuc-su-kien"><span>Tin tức - Sự kiện</span></a>
   <ul class="child-menu">
{menu}
   </ul></li>
  <li><a href="{portal.register_path()}"><span>Văn bản chỉ đạo điều hành</span></a></li>
  <li><a href="/lich-cong-tac-tuan"><span>Lịch công tác tuần</span></a></li>
 </ul></nav>
</header>
<div class="columns-2-r" id="main-content" role="main">
<div class="portlet-layout row-fluid">
<div class="portlet-column portlet-column-first span8" id="column-1">
{main}
</div>
<div class="portlet-column portlet-column-last span4" id="column-2">
 <section class="portlet"><div class="portlet-title">LỊCH CÔNG TÁC TUẦN</div>
  <div class="portlet-body"><a href="/lich-cong-tac-tuan">Lịch công tác tuần 34 (19/8/2024 - 23/8/2024)</a></div></section>
 <section class="portlet"><div class="portlet-title">CHUYÊN MỤC KH&amp;CN SỐ 5-2016</div>
  <div class="portlet-body"><a href="/chuyen-muc-khcn">Xem chuyên mục</a></div></section>
 <section class="portlet"><div class="portlet-title">Thống kê truy cập</div>
  <div class="portlet-body"><ul class="stats"><li>Số người online: <span>18</span></li><li>Hôm nay: <span>703</span></li><li>Tổng lượt truy cập: <span>3.513.363</span></li></ul></div></section>
</div>
</div>
</div>
<footer id="footer" role="contentinfo">
 <p>© TRANG THÔNG TIN ĐIỆN TỬ SỞ KHOA HỌC VÀ CÔNG NGHỆ QUẢNG TRỊ</p>
 <p>Chịu trách nhiệm: Trần Ngọc Lân, Giám đốc Sở Khoa học và Công nghệ. Địa chỉ: 204 Hùng Vương, Đông Hà; ĐT: 0233.3550 382. Email: sokhcn@quangtri.gov.vn</p>
 <p>Liên kết: <a href="https://www.quangtri.gov.vn/">Cổng thông tin điện tử tỉnh Quảng Trị</a></p>
</footer>
</div>
</body>
</html>
"""


def _pagination(base: str, page: int, pages: int) -> str:
    """« 1 2 3 » as the sample listing writes it; every link is ``base?cur=N``."""
    if pages <= 1:
        return ""

    def link(n: int, label: str, title: str = "") -> str:
        title_attr = f' title="{title}"' if title else ""
        return f'<li><a href="{base}?cur={n}"{title_attr}>{label}</a></li>'

    items = [link(page - 1, "«", "Trang trước") if page > 1 else '<li class="disabled"><span>«</span></li>']
    items += [f'<li class="active"><span>{n}</span></li>' if n == page else link(n, str(n)) for n in range(1, pages + 1)]
    if page < pages:
        items.append(link(page + 1, "»", "Trang sau"))
    return '<div class="pagination pagination-centered"><ul>' + "".join(items) + "</ul></div>"


def home(portal: MockPortal) -> str:
    latest = sorted(portal.articles.values(), key=lambda a: (a.published, a.article_id), reverse=True)[:3]
    items = "\n".join(f'  <li><a href="{portal.article_path(a)}">{escape(a.title)}</a></li>' for a in latest)
    main = f"""<section class="portlet"><div class="portlet-body">
 <div class="category-title">Tin mới</div>
 <ul class="news-new">
{items}
 </ul>
</div></section>"""
    return _shell(portal, "Trang chủ", main)


def listing(portal: MockPortal, category_id: str, page: int) -> str:
    start = (page - 1) * portal.per_page
    articles = portal.listing(category_id)[start:start + portal.per_page]
    items = []
    for a in articles:
        path = portal.article_path(a)
        items.append(f"""  <div class="news-item row-fluid">
   <div class="news-image span3"><a href="{path}"><img src="/documents/10181/0/thumb-{a.article_id}.jpg" alt="" /></a></div>
   <div class="news-info span9">
    <a class="news-title" href="{path}">{escape(a.title)}</a>
    <div class="news-date">Ngày đăng: {_dmy(a.published)}</div>
    <div class="news-sapo">{escape(a.paragraphs[0][:120] if a.paragraphs else "")}...</div>
   </div>
  </div>""")
    # Off-site links sit among the articles, where the listing parser and the crawler must drop them.
    items += [f'  <div class="news-item row-fluid"><a class="news-title" href="{escape(u)}">Liên kết ngoài</a></div>'
              for u in portal.off_site_links]
    main = f"""<section class="portlet"><div class="portlet-body">
 <div class="category-title">{escape(portal.categories[category_id])}</div>
 <div class="news-list">
{chr(10).join(items)}
 </div>
 {_pagination(portal.listing_path(category_id), page, portal.pages_of(category_id))}
</div></section>"""
    return _shell(portal, portal.categories[category_id], main)


def _paragraph(text: str) -> str:
    if not text.strip():
        return '<p style="text-align: justify;">&nbsp;</p>'
    return '<p style="text-align: justify;">' + "<br />\n".join(escape(line) for line in text.split("\n")) + "</p>"


def article(portal: MockPortal, a: PortalArticle) -> str:
    others = [o for o in portal.listing(a.category_id) if o.article_id != a.article_id][:2]
    other_items = "\n".join(
        f'  <li><a href="{portal.article_path(o)}">{escape(o.title)}</a> <span class="date">({_dmy(o.published)})</span></li>'
        for o in others)
    body = "\n".join(_paragraph(p) for p in a.paragraphs)
    body += "".join(f'\n<p><a href="{escape(f.path)}">{escape(f.name)}</a></p>' for f in a.files if f.in_body)
    listed = " ".join(f'<a href="{escape(f.path)}">{escape(f.name)}</a>' for f in a.files if not f.in_body)
    attachments = f'\n <div class="news-attachments"><span>Tệp đính kèm:</span> {listed}</div>' if listed else ""
    main = f"""<section class="portlet"><div class="portlet-body">
<div class="news-detail">
 <div class="breadcrumb-news">Tin tức - Sự kiện: <a href="{portal.listing_path(a.category_id)}">{escape(portal.categories[a.category_id])}</a></div>
 <div class="news-date"><span class="label-date">Ngày đăng:</span> <span class="date-publish">{_dmy(a.published)}</span></div>
 <h3 class="news-title">{escape(a.title)}</h3>
 <div class="news-content" id="news-content">
{body}
 </div>{attachments}
 <div class="news-other"><div class="title-other">Các tin khác</div><ul>
{other_items}
 </ul></div>
</div>
</div></section>"""
    return _shell(portal, "Chi tiết tin", main)


def register(portal: MockPortal, page: int) -> str:
    rows = sorted(portal.register, key=lambda r: r.issued, reverse=True)
    pages = max(1, -(-len(rows) // portal.register_per_page))
    start = (page - 1) * portal.register_per_page
    trs = "\n".join(
        f'   <tr><td class="so-hieu"><a href="/chi-tiet-van-ban/-/view-document/1/{r.document_id}">{escape(r.number)}</a></td>'
        f'<td class="ngay-ban-hanh">{_dmy(r.issued, "/")}</td><td class="loai-van-ban">{escape(r.doc_type)}</td>'
        f'<td class="trich-yeu">{escape(r.summary)}</td><td class="tep"><a href="{escape(r.file_path)}">Tải về</a></td></tr>'
        for r in rows[start:start + portal.register_per_page])
    main = f"""<section class="portlet"><div class="portlet-body">
 <div class="category-title">Văn bản chỉ đạo điều hành</div>
 <table class="table table-bordered van-ban-list">
  <thead><tr><th>Số/Ký hiệu</th><th>Ngày ban hành</th><th>Loại văn bản</th><th>Trích yếu</th><th>Tệp</th></tr></thead>
  <tbody>
{trs}
  </tbody>
 </table>
 {_pagination(portal.register_path(), page, pages)}
</div></section>"""
    return _shell(portal, "Văn bản chỉ đạo điều hành", main)


def not_found() -> str:
    return "<!DOCTYPE html><html><head><title>404</title></head><body><h1>Không tìm thấy trang</h1></body></html>"
