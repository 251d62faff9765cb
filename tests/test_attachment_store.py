"""Attachments in the store: a notice whose body only points to its file gets its citations,
dates, unit mentions and tasks from the file, each row naming the attachment and the page, the
offsets indexing the file's text; the file's text is searchable with and without diacritics;
a file that failed or could not be read is a row with its reason; audit quotes the file."""
from __future__ import annotations

from dataclasses import replace

import pytest

from extractors import extract
from pipeline.audit import audit, format_csv, format_html, format_text
from pipeline.models import LoadedAttachment
from pipeline.search import fts_query
from pipeline.store import Store
from tests.store_samples import SITE, notice, register_rows, seed

POINTER = "Chi tiết xem tại file đính kèm."
FILE_URL = f"https://{SITE}/documents/10181/1663228888354/TB+ket+luan.pdf/4f1c2a9e-8b1d-4c55-9e61-2f0d2b7a1c11?version=1.0"


def file_of_the_seed(pages: int = 2) -> LoadedAttachment:
    """The seed notice as the text of its PDF, cut into ``pages`` equal pages."""
    _, extraction = seed()
    text = extraction.text
    starts = [len(text) * i // pages for i in range(pages)]
    return LoadedAttachment(FILE_URL, "read", kind="pdf", size=123_456, sha256="ab" * 32,
                            raw_path="h/attachment/x/1.html.gz", pages=pages, page_starts=starts,
                            method="text-layer", reader="pdfium-test", text=text, extraction=extraction)


def pointer_notice():
    seed_notice, _ = seed()
    only = replace(notice("20240822-pointer", seed_notice.title, POINTER, seed_notice.published),
                   attachments=[FILE_URL])
    return only, extract(f"{only.title}\n\n{POINTER}", only.published.isoformat(), only.title)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "notices.db") as s:
        yield s


def test_a_pointer_notice_gets_its_extraction_from_its_file(store):
    only, body_extraction = pointer_notice()
    attachment = file_of_the_seed()
    notice_id = store.save_notice(only, body_extraction, attachments=[attachment])
    db = store.db
    (attachment_id, text, status), = db.execute(
        "select id, text, status from attachments where notice_id = ?", [notice_id]).fetchall()
    assert status == "read" and text == attachment.text
    cited = db.execute("select number, start, [end], page, attachment_id from citations where notice_id = ?",
                       [notice_id]).fetchall()
    assert {c[0] for c in cited} == {"97/KH-SKHCN", "1820/QĐ-UBND", "15/KH-SKHCN", "07/TB-SKHCN", "20/TB-SKHCN",
                                     "844/SKHCN-VP", "75/KH-SKHCN", "2731/UBND-KGVX"}
    for number, start, end, page, where in cited:
        assert where == attachment_id and number.split("/")[0] in text[start:end]
        assert page == attachment.page_at(start) and page in (1, 2)
    assert {c[3] for c in cited} == {1, 2}
    tasks = db.execute("select position, attachment_id, start, [end], text from tasks where notice_id = ?"
                       " order by position", [notice_id]).fetchall()
    assert [t[0] for t in tasks] == [1, 2, 3, 4, 5, 6]
    assert all(t[1] == attachment_id and text[t[2]:t[3]] == t[4] for t in tasks)
    for table in ("dates", "unit_mentions"):
        spans = db.execute(f"select start, [end], attachment_id from {table} where notice_id = ?"
                           " and attachment_id is not null", [notice_id]).fetchall()
        assert spans and all(a == attachment_id and 0 <= s < e <= len(text) for s, e, a in spans)
    # saving it again replaces its rows: nothing doubles, the file stays one row
    before = store.counts()
    store.save_notice(only, body_extraction, attachments=[attachment])
    assert store.counts() == before


def test_body_rows_and_file_rows_side_by_side(store):
    seed_notice, extraction = seed()
    with_file = replace(seed_notice, attachments=[FILE_URL])
    notice_id = store.save_notice(with_file, extraction, attachments=[file_of_the_seed(pages=1)])
    rows = store.db.execute("select attachment_id is null, count(*) from citations where notice_id = ?"
                            " group by 1 order by 1", [notice_id]).fetchall()
    assert rows == [(0, len(extraction.references)), (1, len(extraction.references))]
    positions = [p for (p,) in store.db.execute("select position from tasks where notice_id = ? order by position",
                                                [notice_id])]
    assert positions == list(range(1, 2 * len(extraction.tasks) + 1))  # the file's items after the body's
    body_pages = store.db.execute("select distinct page from citations where attachment_id is null").fetchall()
    assert body_pages == [(None,)]


@pytest.mark.parametrize("typed", ["cải cách hành chính", "cai cach hanh chinh", "Nguyen Huu Thang", "đánh giá"])
def test_the_files_text_is_searched_with_and_without_diacritics(store, typed):
    only, body_extraction = pointer_notice()
    store.save_notice(only, body_extraction, attachments=[file_of_the_seed()])
    found = store.db.execute("select rowid from attachments_fts where attachments_fts match ?",
                             [fts_query(typed)]).fetchall()
    assert len(found) == 1


def test_a_file_that_failed_or_is_unreadable_is_a_row_with_its_reason(store):
    only, body_extraction = pointer_notice()
    failed = LoadedAttachment(FILE_URL, "failed", "HTTP 503 Service Unavailable (gave up after 4 attempts)")
    bad = LoadedAttachment(FILE_URL.replace("TB+ket", "Bad"), "unreadable", "encrypted PDF (a password is needed)",
                           kind="pdf", size=10, sha256="cd" * 32, raw_path="h/attachment/y/1.html.gz")
    notice_id = store.save_notice(replace(only, attachments=[FILE_URL, bad.url]), body_extraction,
                                  attachments=[failed, bad])
    assert store.db.execute("select position, status, reason, text from attachments where notice_id = ?"
                            " order by position", [notice_id]).fetchall() == [
        (1, "failed", failed.reason, None), (2, "unreadable", bad.reason, None)]
    assert store.notices_with_files_to_retry(SITE) == [(notice_id, only.url, only.raw_path)]
    assert store.db.execute("select count(*) from citations where attachment_id is not null").fetchone() == (0,)


def test_register_files_are_read_once_unless_they_failed_or_changed(store):
    store.save_register(register_rows())
    todo = store.register_files_to_read(SITE)
    assert [url for _, url in todo] == [r.file_url for r in register_rows() if r.file_url]
    first, second = todo
    store.save_register_attachment(first[0], LoadedAttachment(first[1], "read", kind="pdf", text="Kế hoạch"))
    store.save_register_attachment(second[0], LoadedAttachment(second[1], "failed", "not found (deleted?)"))
    assert store.register_files_to_read(SITE) == [second]
    moved = [replace(r, file_url=r.file_url + "?version=2.0") if r.file_url == first[1] else r for r in register_rows()]
    store.save_register(moved)
    assert store.register_files_to_read(SITE) == [(first[0], first[1] + "?version=2.0"), second]
    assert store.db.execute("select count(*) from attachments").fetchone() == (2,)


def test_audit_quotes_the_file_and_says_where(store):
    only, body_extraction = pointer_notice()
    attachment = file_of_the_seed()
    store.save_notice(only, body_extraction, attachments=[attachment])
    trail = audit(store, "1820/QĐ-UBND")
    (citation,) = trail.citations
    assert citation.attachment_url == FILE_URL and citation.page == attachment.page_at(citation.start)
    text = format_text(trail)
    assert f"in the attached file {FILE_URL}, page {citation.page}:" in text
    assert "Quyết định số 1820/QĐ-UBND" in text
    assert FILE_URL in format_csv(trail)
    page = format_html(trail)
    assert f"in the attached file <a href=" in page and f", page {citation.page}</div>" in page


def test_a_file_that_is_a_document_is_on_file_as_an_attachment(store):
    """extract() says what the file's own text is (its header's number): a copy of kind
    attachment, at the file's URL, replaced with the notice's other rows on every save."""
    only, body_extraction = pointer_notice()
    text = ("UBND TỈNH QUẢNG TRỊ\nSố: 188/KH-UBND\nQuảng Trị, ngày 02 tháng 8 năm 2023\n\nKẾ HOẠCH\n"
            "Triển khai chuyển đổi số năm 2023\n\nCăn cứ Quyết định số 1820/QĐ-UBND ngày 24/7/2023 của UBND tỉnh.")
    extraction = extract(text, "2024-08-22")
    assert extraction.document is not None
    attachment = LoadedAttachment(FILE_URL, "read", kind="pdf", pages=1, page_starts=[0], method="text-layer",
                                  text=extraction.text, extraction=extraction)
    for _ in range(2):
        store.save_notice(only, body_extraction, attachments=[attachment])
        assert store.db.execute("select k.kind, k.url, d.number, d.on_file, k.attachment_id = a.id"
                                " from document_copies k join documents d on d.id = k.document_id"
                                " join attachments a on a.notice_id = k.notice_id").fetchall() == [
            ("attachment", FILE_URL, "188/KH-UBND", "attachment", 1)]
