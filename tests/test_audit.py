"""The citation trail of one directive (``notices audit NUMBER``)."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import date

import pytest

from pipeline.typed import NotANumber
from pipeline.audit import UnknownNumber, audit, format_csv, format_html, format_json, format_text
from pipeline.exits import UserError
from pipeline.store import Store
from tests.store_samples import citing_2410, notice, reference, register_rows, seed
from extractors.models import Extraction


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "notices.db") as s:
        s.save_notice(*seed())
        s.save_register(register_rows())
        # an earlier notice citing 97/KH-SKHCN, to check the trail runs oldest first
        body = "Triển khai Kế hoạch số 97/KH-SKHCN ngày 28/12/2023 về cải cách hành chính năm 2024."
        early = Extraction(title="Triển khai kế hoạch CCHC 2024", published="2024-01-05", text=body,
                           references=[reference(body, "97/KH-SKHCN", "Kế hoạch", "2023-12-28")])
        s.save_notice(notice("20240105-kh", early.title, body, date(2024, 1, 5)), early)
        s.save_notice(*citing_2410("a-2023", date(2023, 3, 10), "2021", "2022", undated=True))
        s.save_notice(*citing_2410("a-2020", date(2020, 1, 1), undated=True))
        yield s


@pytest.mark.parametrize("spelling", ["97/KH-SKHCN", "97 /kh- skhcn", "097/KH_SKHCN", "97/KHSKHCN"])
def test_any_spelling_finds_the_document(store, spelling):
    trail = audit(store, spelling)
    assert trail.query == spelling and trail.key == "97/KHSKHCN"
    [document] = trail.documents
    assert (document.number, document.year, document.doc_type, document.issued) == (
        "97/KH-SKHCN", 2023, "Kế hoạch", "2023-12-28")
    assert document.in_register and document.summary == "Kế hoạch cải cách hành chính năm 2024"
    assert [c.published for c in trail.citations] == ["2024-01-05", "2024-08-22"]  # oldest first
    assert all("97/KH-SKHCN ngày 28/12/2023" in c.sentence for c in trail.citations)
    assert trail.citations[1].url.endswith("20240822-cchc.html")
    assert trail.tasks == []


def test_directive_with_issuer_and_register_file(store):
    trail = audit(store, "1820/QD-UBND")
    [document] = trail.documents
    assert document.number == "1820/QĐ-UBND" and document.issuer == "Chủ tịch UBND tỉnh"
    assert document.issuer_code == "UBND" and document.file_url.endswith("1820.pdf")
    [citation] = trail.citations
    assert citation.number_as_written == "1820/QĐ-UBND"
    assert citation.sentence.startswith("Trên cơ sở các nội dung tiêu chí")


def test_tasks_that_carry_it(store):
    trail = audit(store, "75/kh-skhcn")
    [task] = trail.tasks
    assert (task.ordinal, task.lead_units, task.deadline, task.deadline_date) == (
        "5", ["Văn phòng Sở"], "2024-09", "2024-09-30")
    assert task.text.startswith("5. Văn phòng Sở chủ trì")
    assert not audit(store, "75/KH-SKHCN").documents[0].in_register
    assert [t.ordinal for t in audit(store, "844/SKHCN-VP").tasks] == ["1"]


def test_a_number_reused_in_several_years(store):
    trail = audit(store, "2410/QĐ-UBND")
    assert [(d.year, d.issued) for d in trail.documents] == [
        (2021, "2021-09-15"), (2022, "2022-10-20"), (None, None)]
    by_year = {d.id: d.year for d in trail.documents}
    assert [(c.published, by_year[c.document_id], c.number_as_written) for c in trail.citations] == [
        ("2020-01-01", None, "2410/QD-UBND"),
        ("2023-03-10", 2021, "2410/QĐ-UBND"),
        ("2023-03-10", 2022, "2410/QĐ-UBND"),
        ("2023-03-10", 2022, "2410/QD-UBND")]
    only_2021 = audit(store, "2410/QD-UBND", year=2021)
    assert [d.year for d in only_2021.documents] == [2021] and len(only_2021.citations) == 1


def test_unknown_number_suggests_the_closest(store):
    with pytest.raises(UnknownNumber) as error:
        audit(store, "1821/QĐ-UBND")
    assert error.value.suggestions[0] == "1820/QĐ-UBND"
    assert "1820/QĐ-UBND" in str(error.value)
    with pytest.raises(UnknownNumber) as error:
        audit(store, "75/KH-SKHCM")
    assert error.value.suggestions[0] == "75/KH-SKHCN"
    with pytest.raises(NotANumber):
        audit(store, "zzz")  # holds no number at all: not a near miss of a known one


def test_audit_reads_a_database_file_without_writing(store, tmp_path):
    trail = audit(store.path, "20/TB-SKHCN")
    assert trail.documents[0].number == "20/TB-SKHCN"
    with pytest.raises(UserError, match="no database at"):
        audit(tmp_path / "missing.db", "20/TB-SKHCN")
    assert not (tmp_path / "missing.db").exists()


def test_formats(store):
    trail = audit(store, "97/KH-SKHCN")
    text = format_text(trail)
    assert text.startswith("97/KH-SKHCN (2023) — Kế hoạch, issued 2023-12-28")
    assert "In the register: Kế hoạch cải cách hành chính năm 2024" in text
    assert text.index("2024-01-05") < text.index("2024-08-22")
    data = json.loads(format_json(trail))
    assert data["key"] == "97/KHSKHCN" and len(data["citations"]) == 2
    table = list(csv.DictReader(io.StringIO(format_csv(audit(store, "2731/UBND-KGVX")))))
    assert [r["kind"] for r in table] == ["citation", "task"]
    assert table[1]["lead_units"] == "Phòng Quản lý Công nghệ và Đổi mới sáng tạo"
    assert table[1]["deadline"] == "2024-11-15"
    assert "(year unknown)" in format_text(audit(store, "2410/QĐ-UBND"))


def test_closest_numbers_share_the_typed_digits(store):
    with pytest.raises(UnknownNumber) as error:
        audit(store, "1820")
    assert error.value.suggestions == ["1820/QĐ-UBND"]
    assert str(error.value) == "no document numbered 1820; closest known numbers: 1820/QĐ-UBND"
    with pytest.raises(UnknownNumber, match="no known number is close"):
        audit(store, "4444")


HOSTILE_TITLE = '<script>alert("title")</script> Thông báo <b>kết luận</b>'


@pytest.fixture
def hostile(store):
    """A notice whose title, body and URL carry markup, citing 97/KH-SKHCN twice."""
    body = ('Triển khai Kế hoạch số 97/KH-SKHCN ngày 28/12/2023 <img src=x onerror="alert(1)">.\n'
            'Báo cáo kết quả thực hiện Kế hoạch số 97/KH-SKHCN </blockquote><script>alert(2)</script>.')
    extraction = Extraction(title=HOSTILE_TITLE, published="2024-09-02", text=body, references=[
        reference(body, "97/KH-SKHCN", "Kế hoạch", "2023-12-28"),
        reference(body, "97/KH-SKHCN", "Kế hoạch", occurrence=1)])
    item = dataclasses.replace(notice("20240902-x", HOSTILE_TITLE, body, date(2024, 9, 2)),
                               url='javascript:alert("url")')
    store.save_notice(item, extraction)
    return store


def test_text_groups_the_mentions_of_one_notice(hostile):
    text = format_text(audit(hostile, "97/KH-SKHCN"))
    assert "Cited by 3 notices (4 mentions), oldest first:" in text
    assert text.count(HOSTILE_TITLE) == 1  # one heading for the notice, two sentences under it


def test_html_escapes_everything_it_shows(hostile):
    page = format_html(audit(hostile, "97/KH-SKHCN"), today=date(2024, 9, 10))
    # Jinja2's autoescape writes a quote as &#34;
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "href=\"javascript:" not in page and "<div class=\"url\">javascript:alert(&#34;url&#34;)</div>" in page
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt; Thông báo &lt;b&gt;kết luận&lt;/b&gt;" in page
    assert "&lt;/blockquote&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert page.count("<mark>97/KH-SKHCN</mark>") == 4
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_html_page_of_a_trail(store):
    page = format_html(audit(store, "75/kh-skhcn"), today=date(2024, 10, 1))
    assert "<h1>Citation trail of 75/KH-SKHCN</h1>" in page
    assert "Typed as “75/kh-skhcn”." in page
    assert '<span class="badge warn">not in the register</span>' in page
    assert "2024-09 <span class=\"badge warn\">past</span>" in page  # due September, seen in October
    assert "Văn phòng Sở" in page
    assert "past</span>" not in format_html(audit(store, "75/KH-SKHCN"), today=date(2024, 9, 30))
