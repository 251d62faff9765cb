"""Documents on file through a notice that is the document: its copy row, ``documents.on_file``,
the header's facts on the document, the anchor it gives undated mentions, edits that take the
header away, and any order of loads ending where a fresh load does."""
from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors import extract
from pipeline.models import RegisterEntry
from pipeline.parse import notice_text
from pipeline.store import Store
from tests.db_snapshot import snapshot
from tests.store_samples import SITE, citing_2410, notice


def is_2410(article_id: str, published: date | None, dated: str | None, header: bool = True):
    """A notice that IS Quyết định 2410/QĐ-UBND (its header), dated ``dated`` ("2021", "2022")
    or with no place-and-date line; ``header=False``: the same notice without its header."""
    days = {"2021": "15 tháng 9 năm 2021", "2022": "20 tháng 10 năm 2022"}
    head = "UBND TỈNH QUẢNG TRỊ\n\nSố: 2410/QĐ-UBND\n" + (f"Quảng Trị, ngày {days[dated]}\n" if dated else "")
    body = ((head + "\nQUYẾT ĐỊNH\nVề việc ban hành quy chế sáng kiến\n\n") if header else "") + \
        "Căn cứ Kế hoạch số 97/KH-SKHCN ngày 28/12/2023 của Sở Khoa học và Công nghệ;\n\nQuyết định ban hành quy chế."
    title = f"Quyết định ban hành quy chế sáng kiến ({article_id})"
    item = notice(article_id, title, body, published, category="Văn bản")
    return item, extract(notice_text(title, body), published, title)


def rows(store: Store, sql: str, *params) -> list[tuple]:
    return store.db.execute(sql, params).fetchall()


def test_a_notice_that_is_a_document_puts_it_on_file(tmp_path):
    with Store(tmp_path / "n.db") as store:
        store.save_notice(*is_2410("b", date(2021, 9, 20), "2021"))
        assert rows(store, "select number, year, doc_type, issued, issuer, on_file, in_register from documents"
                           " where key = '2410/QDUBND'") == [
            ("2410/QĐ-UBND", 2021, "Quyết định", "2021-09-15", "UBND tỉnh", "notice", 0)]
        [(kind, url, year_known, mention)] = rows(store, "select kind, url, year_known, mention from document_copies")
        assert (kind, url.endswith("/b.html"), year_known, mention) == ("notice", True, 1, "Số: 2410/QĐ-UBND")
        # its own text cites 97/KH-SKHCN: an edge of the document graph
        assert rows(store, "select citing_number, cited_number from document_citations") == [("2410/QĐ-UBND", "97/KH-SKHCN")]
        # the register lists it later: one document, on file twice
        store.save_register([RegisterEntry(site=SITE, number="2410/QD-UBND", issued=date(2021, 9, 15),
                                           doc_type="Quyết định", summary="Quy chế sáng kiến",
                                           file_url="https://x/2410.pdf", detail_url=None)])
        assert rows(store, "select on_file, in_register from documents where key = '2410/QDUBND'") == [
            ("register, notice", 1)]
        assert rows(store, "select kind from document_files where number = '2410/QĐ-UBND' order by kind") == [
            ("notice",), ("register",)]


def test_the_copy_anchors_an_undated_mention_and_goes_with_the_header(tmp_path):
    with Store(tmp_path / "n.db") as store:
        store.save_notice(*citing_2410("a", date(2022, 6, 1), undated=True))
        assert rows(store, "select d.year from citations c join documents d on d.id = c.document_id") == [(None,)]
        # no date line: the copy takes the year it was published, and anchors that year
        store.save_notice(*is_2410("b", date(2021, 9, 20), None))
        assert rows(store, "select d.year, k.year_known from document_copies k join documents d on d.id = k.document_id") == [(2021, 0)]
        assert rows(store, "select d.year from citations c join documents d on d.id = c.document_id"
                           " where c.notice_id = 1") == [(2021,)]
        # the notice is edited: no header any more, so the document is on file nowhere and goes
        store.save_notice(*is_2410("b", date(2021, 9, 20), None, header=False))
        assert rows(store, "select count(*) from document_copies") == [(0,)]
        assert rows(store, "select year, on_file from documents where key = '2410/QDUBND'") == [(None, None)]


KIND = st.sampled_from(["2021", "2022", None])
PUBLISHED = st.sampled_from([date(2021, 10, 1), date(2022, 11, 1), None])
operation = st.one_of(
    st.tuples(st.just("cite"), st.sampled_from(["a1", "a2"]), PUBLISHED, st.sets(st.sampled_from(["2021", "2022"]))),
    st.tuples(st.just("copy"), st.sampled_from(["b1", "b2"]), PUBLISHED, KIND, st.booleans()),
    st.tuples(st.just("register"), KIND))


def apply(store: Store, op) -> None:
    if op[0] == "cite":
        store.save_notice(*citing_2410(op[1], op[2], *sorted(op[3]), undated=True))
    elif op[0] == "copy":
        store.save_notice(*is_2410(op[1], op[2], op[3], header=op[4]))
    else:
        issued = {"2021": date(2021, 9, 15), "2022": date(2022, 10, 20), None: None}[op[1]]
        store.save_register([RegisterEntry(site=SITE, number="2410/QĐ-UBND", issued=issued, doc_type="Quyết định",
                                           summary=f"register {op[1]}", file_url=None, detail_url=None)])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, min_size=1, max_size=7))
def test_any_history_with_copies_ends_where_a_fresh_load_does(tmp_path_factory, operations):
    folder = tmp_path_factory.mktemp("copies")
    with Store(folder / "incremental.db") as store:
        for op in operations:
            apply(store, op)
        incremental = snapshot(store.path)
        assert store.resolve_undated() == 0
        assert snapshot(store.path) == incremental
    final = {op[1]: op for op in operations if op[0] != "register"}
    registers = {op[1]: op for op in operations if op[0] == "register"}
    with Store(folder / "fresh.db") as fresh:
        for op in [*registers.values(), *sorted(final.values(), key=repr)]:
            apply(fresh, op)
        expected = snapshot(fresh.path)
    for table in ("documents", "document_copies", "citations"):
        assert incremental[table] == expected[table], table


def test_a_number_reused_in_two_years_is_two_documents_on_file(tmp_path):
    def thong_bao(article_id: str, year: int):
        body = (f"UBND TỈNH QUẢNG TRỊ\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\nSố: 07/TB-SKHCN\nQuảng Trị, ngày 29 tháng 01 năm {year}\n\n"
                f"THÔNG BÁO\nKết luận về công tác cải cách hành chính năm {year}\n\nNgày 25/01/{year}, Giám đốc Sở chủ trì.")
        title = f"Thông báo kết luận về CCHC năm {year}"
        return notice(article_id, title, body, date(year, 1, 30)), extract(notice_text(title, body), date(year, 1, 30), title)

    with Store(tmp_path / "n.db") as store:
        store.save_notice(*thong_bao("t23", 2023))
        store.save_notice(*thong_bao("t24", 2024))
        # a later notice cites it without a date: the latest year on file, not after 2024
        store.save_notice(*citing("c", date(2024, 3, 1), "Thực hiện Thông báo số 07/TB-SKHCN của Sở."))
        assert rows(store, "select number, year, issued, on_file from documents order by year") == [
            ("07/TB-SKHCN", 2023, "2023-01-29", "notice"), ("07/TB-SKHCN", 2024, "2024-01-29", "notice")]
        assert rows(store, "select d.year from citations c join documents d on d.id = c.document_id") == [(2024,)]


def citing(article_id: str, published: date, body: str):
    title = f"Thông báo {article_id}"
    return notice(article_id, title, body, published), extract(notice_text(title, body), published, title)


def test_an_attachment_that_is_a_document_is_one_more_copy(tmp_path):
    """The hook for the attachment reader: Store.save_copy(kind attachment)."""
    from pipeline.audit import audit

    with Store(tmp_path / "n.db") as store:
        notice_id = store.save_notice(*citing("a", date(2024, 3, 1), "Sở gửi kèm Kế hoạch số 188/KH-UBND của UBND tỉnh."))
        pdf = "UBND TỈNH QUẢNG TRỊ\nSố: 188/KH-UBND\nQuảng Trị, ngày 02 tháng 8 năm 2023\n\nKẾ HOẠCH\nTriển khai ...\n\nCăn cứ ..."
        own = extract(pdf, "2024-03-01").document
        store.save_copy(notice_id, own, attachment_id=7, url="https://x/188.pdf", text=pdf)
        assert rows(store, "select number, year, on_file, doc_type, issued from documents") == [
            ("188/KH-UBND", 2023, "attachment", "Kế hoạch", "2023-08-02")]
        assert rows(store, "select kind, url, number_as_written from document_copies") == [
            ("attachment", "https://x/188.pdf", "188/KH-UBND")]
        # the undated mention in the notice now names the 2023 plan on file
        assert rows(store, "select d.year from citations c join documents d on d.id = c.document_id") == [(2023,)]
        trail = audit(store, "188/KH-UBND")
        assert [(f.kind, f.url) for f in trail.on_file] == [("attachment", "https://x/188.pdf")]
        # saving the notice again keeps the attachment's copy; the reader saying "no document" drops it
        store.save_notice(*citing("a", date(2024, 3, 1), "Sở gửi kèm Kế hoạch số 188/KH-UBND của UBND tỉnh."))
        assert rows(store, "select count(*) from document_copies") == [(1,)]
        store.save_copy(notice_id, None, attachment_id=7, url=None)
        assert rows(store, "select number, year, on_file from documents") == [("188/KH-UBND", None, None)]
