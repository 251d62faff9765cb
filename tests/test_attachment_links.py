"""Which links of an article are its attachments: the attachments block, and links inside the
body that end in a file extension or have the shape of Liferay's document library (which ends in
a UUID, or is the get_file servlet); and an article whose body is empty (the notice is its file)."""
from __future__ import annotations

from datetime import date

import pytest

from pipeline.parse import parse_article
from tests import portal_pages
from tests.test_fastparse import both
from tests.portal import MockPortal, PortalFile

BASE = "https://sokhcn.quangtri.gov.vn"
UUID = "4f1c2a9e-8b1d-4c55-9e61-2f0d2b7a1c11"


def page(paragraphs: list[str], files: list[PortalFile], article_id: str = "1900000000001") -> tuple[str, str]:
    portal = MockPortal()
    article = portal.add_article("Thông báo số 125/TB-SKHCN ngày 12/8/2024 của Sở Khoa học và Công nghệ",
                                 paragraphs, date(2024, 8, 12), "1663228888530", article_id, files)
    return portal_pages.article(portal, article), f"{BASE}{portal.article_path(article)}"


IN_BODY = [  # a link written inside the body -> is it an attachment?
    (f"/documents/10181/1663228888530/TB+125.pdf/{UUID}?version=1.0", True),
    (f"/documents/10181/van-ban/TB125/{UUID.upper()}", True),  # no extension at all
    (f"/c/document_library/get_file?uuid={UUID}&groupId=10181", True),
    ("/c/document_library/get_file?p_l_id=10181&folderId=2&name=DLFE-1234.pdf", True),
    ("/documents/10181/0/Ke+hoach+97.docx", True),
    ("/documents/10181/0/bao-cao.DOC", True),
    ("/chi-tiet-tin/-/view-article/1/1663228888530/1700000000101", False),  # another article
    ("/documents/10181/0/logo.png", False),  # a picture, no document-library UUID
    ("/van-ban-chi-dao-dieu-hanh", False),
]


@pytest.mark.parametrize("href, attached", IN_BODY)
def test_links_inside_the_body(profile, href, attached):
    html, url = page(["Kết luận của Giám đốc Sở về công tác cải cách hành chính."],
                     [PortalFile(href, b"", name="Tải về", in_body=True)])
    notice = parse_article(html, url, profile)
    assert notice.attachments == ([BASE + href] if attached else [])
    fast, slow = both(html, url=url)
    assert fast == slow


def test_every_link_of_the_attachments_block_counts(profile):
    files = [PortalFile(f"/documents/10181/1663228888530/TB+125.pdf/{UUID}?version=1.0"),
             PortalFile("/c/document_library/get_file?uuid=" + UUID.replace("4f1c", "5a2d")),
             PortalFile("/tai-ve/phu-luc")]  # the block says it is a file, whatever the URL looks like
    html, url = page(["Nội dung thông báo."], files)
    assert parse_article(html, url, profile).attachments == [BASE + f.path for f in files]


@pytest.mark.parametrize("paragraphs", [[], [""], ["   "]])
def test_an_empty_body_stays_empty(profile, paragraphs):
    """Not the breadcrumb, the date and the title that surround it on the page."""
    files = [PortalFile(f"/documents/10181/1663228888530/TB+125.pdf/{UUID}?version=1.0")]
    html, url = page(paragraphs, files)
    notice = parse_article(html, url, profile)
    assert notice.body == ""
    assert notice.title.startswith("Thông báo số 125/TB-SKHCN")
    assert notice.attachments == [BASE + files[0].path]
    _, slow = both(html, url=url)
    assert slow[2] == ""


def test_a_pointer_body_is_kept_as_written(profile):
    files = [PortalFile(f"/documents/10181/1663228888530/TB+125.pdf/{UUID}?version=1.0")]
    html, url = page(["Chi tiết xem tại file đính kèm."], files)
    assert parse_article(html, url, profile).body == "Chi tiết xem tại file đính kèm."
