"""Attachment bytes → text with offsets, on documents generated from the gold notices
(tests/docgen.py), so what each reader must find is known: the gold references."""
from __future__ import annotations

import io
import json
import zipfile

import pytest

from extractors import extract
from extractors.normalize import normalize_text
from pipeline.attach import (MAX_BYTES, AttachmentText, TextCache, UnreadableAttachment, detect_kind,
                             read_attachment)
from pipeline.attach import layout
from tests import docgen

DEV = docgen.FIXTURES / "dev"
NOTICE = docgen.load(DEV / "dev-01-ket-luan-giao-ban-quy-ii.json")
# A sample of the gold notices for the fast kinds (benchmarks/attachments.py reads them all).
SAMPLE = docgen.gold_files()[::4]


def recall(kind: str, files) -> tuple[float, float, list]:
    total = found = exact = 0
    missed = []
    for path in files:
        notice = docgen.load(path)
        got = read_attachment(docgen.make(notice, kind))
        assert normalize_text(got.text) == got.text  # offsets are the extraction's offsets
        a, b, c = docgen.reference_scores(notice.gold, extract(got.text, notice.published).to_dict())
        total, found, exact = total + a, found + b, exact + c
        if b < a:
            missed.append(path.stem)
    return found / total, exact / total, missed


@pytest.mark.parametrize("kind, bound", [("pdf", 0.95), ("docx", 0.95), ("docx-tcvn3", 0.95), ("pdf-vni", 0.95)])
def test_reference_recall_per_kind(kind, bound):
    r, exact, missed = recall(kind, SAMPLE)
    assert r >= bound, (r, missed)
    assert exact >= bound - 0.05


@pytest.mark.parametrize("data, kind", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "pdf"),
    (b"\n\n%PDF-1.4 after junk", "pdf"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image"),
    (b"II*\x00\x08\x00\x00\x00", "image"),
    (b"MM\x00*\x00\x00\x00\x08", "image"),
    ("<!DOCTYPE html><html><body>Không tìm thấy trang</body></html>".encode(), None),
    (b"Chi ti\xe1\xba\xbft xem t\xe1\xba\xa1i file \xc4\x91\xc3\xadnh k\xc3\xa8m", None),
    (b"", None),
])
def test_detect_kind_by_bytes(data, kind):
    assert detect_kind(data) == kind


def test_detect_kind_of_generated_files():
    docx = docgen.to_docx(NOTICE)
    assert detect_kind(docx) == "docx"
    assert detect_kind(docgen.to_pdf(NOTICE)) == "pdf"
    assert detect_kind(docgen.to_image(docgen.to_pdf(NOTICE))) == "image"
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as z:
        z.writestr("data.csv", "a,b\n")
    assert detect_kind(plain_zip.getvalue()) is None


def test_pdf_traps_are_joined():
    # "97/KH-" ends page 1, the page number sits between the halves, "SKHCN" opens page 2.
    got = read_attachment(docgen.to_pdf(NOTICE, split="97/KH-SKHCN"))
    assert got.kind == "pdf" and got.method == "text-layer" and got.legacy is None
    assert "Kế hoạch số 97/KH-SKHCN ngày 28/12/2023" in got.text
    at = got.text.index("97/KH-SKHCN")
    assert got.page_of(at) == 1 and got.page_of(at + len("97/KH-")) == 2
    assert "\n1\n" not in got.text and not got.text.rstrip().endswith("\n3")  # page numbers dropped
    # lines wrapped inside a paragraph are one line again; items start lines
    assert "đồng chí Lê Quang Hòa – Giám đốc Sở Khoa học và Công nghệ đã chủ trì" in got.text
    assert "\n2. Văn phòng Sở chủ trì" in got.text
    # the national header's two columns are read column by column
    lines = got.text.split("\n")
    assert lines[:2] == ["UBND TỈNH QUẢNG TRỊ", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"]
    assert lines[2:4] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def test_pages_cover_the_text():
    got = read_attachment(docgen.to_pdf(docgen.load(DEV / "dev-07-so-ket-nghi-quyet-57.json")))
    assert len(got.pages) >= 2
    assert got.pages[0][0] == 0 and got.pages[-1][1] == len(got.text)
    for (s1, e1), (s2, e2) in zip(got.pages, got.pages[1:]):
        assert s1 <= e1 <= s2 <= e2
    assert [got.page_of(s) for s, _ in got.pages] == list(range(1, len(got.pages) + 1))
    assert got.page_of(len(got.text)) == len(got.pages)


def test_underscore_and_dash_in_numbers_survive():
    notice = docgen.load(DEV / "dev-02-ket-luan-iso-cchc.json")
    got = read_attachment(docgen.to_pdf(notice))
    assert "844/SKHCN_VP" in got.text  # the underscore sits below the line's band


@pytest.mark.parametrize("lines, expected", [
    # wrapped lines of a justified paragraph join with a space, a short line ends it
    ([("Trong quý II/2024, các phòng, đơn vị thuộc Sở đã", 0, 100), ("bám sát chương trình.", 0, 40),
      ("Sau khi nghe báo cáo tóm tắt kết quả thực hiện", 0, 100)],
     "Trong quý II/2024, các phòng, đơn vị thuộc Sở đã bám sát chương trình.\nSau khi nghe báo cáo tóm tắt kết quả thực hiện"),
    # a number cut at a line's end, even on a short line
    ([("tại Kế hoạch số 97/KH-", 0, 60), ("SKHCN ngày 28/12/2023", 0, 100)], "tại Kế hoạch số 97/KH-SKHCN ngày 28/12/2023"),
    ([("Quyết định số 3157/", 0, 100), ("QĐ-UBND ngày 27/12/2023 của UBND tỉnh", 0, 100)],
     "Quyết định số 3157/QĐ-UBND ngày 27/12/2023 của UBND tỉnh"),
    # a dash with a space before it is a dash, not a cut word
    ([("Hội nghị kết nối cung -", 0, 100), ("cầu công nghệ", 0, 50)], "Hội nghị kết nối cung - cầu công nghệ"),
    # an item starts a line whatever the line before
    ([("các nội dung sau đây cần làm ngay trong tháng", 0, 100), ("1. Văn phòng Sở chủ trì", 0, 60),
      ("a) Phòng Quản lý Khoa học", 0, 60), ("- Thanh tra Sở", 0, 30)],
     "các nội dung sau đây cần làm ngay trong tháng\n1. Văn phòng Sở chủ trì\na) Phòng Quản lý Khoa học\n- Thanh tra Sở"),
    # an indented first line opens a paragraph
    ([("kết thúc câu trước và dòng này đầy đủ chiều rộng", 0, 100), ("Đoạn mới thụt đầu dòng", 20, 100)],
     "kết thúc câu trước và dòng này đầy đủ chiều rộng\nĐoạn mới thụt đầu dòng"),
    # the page number at the foot is not text
    ([("dòng cuối cùng của trang này, đủ dài để đầy", 0, 100), ("- 3 -", 45, 55)], "dòng cuối cùng của trang này, đủ dài để đầy"),
])
def test_layout_joins_lines(lines, expected):
    text, _ = layout.page_text([layout.Line(t, l, r, 2.0) for t, l, r in lines], 3, last_page=True)
    assert text == expected


def test_docx_numbering_and_tables_in_order():
    got = read_attachment(docgen.to_docx(docgen.load(docgen.FIXTURES / "synth" / "s2-01-skhcn-ket-luan-so-ket-6-thang-2024.json")))
    assert got.kind == got.method == "docx" and got.pages == ((0, len(got.text)),)
    lines = got.text.split("\n")
    # the header table comes first, cell by cell, then the title
    assert lines[:3] == ["UBND TỈNH QUẢNG TRỊ", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert lines[5].startswith("THÔNG BÁO KẾT LUẬN")
    # Word's numbering ("%1)") written out: the items are there, in order
    items = [ln.split(")")[0] for ln in lines if ln[:2].rstrip(")").isdigit() and ")" in ln[:3]]
    assert items == ["1", "2", "3", "4", "5", "6"]
    assert "\n6) Các phòng, đơn vị thuộc Sở tiếp tục thực hiện nghiêm Kế hoạch số 12/KH-SKHCN" in got.text
    tasks = extract(got.text, "2024-07-19").to_dict()["tasks"]
    gold_tasks = docgen.load(docgen.FIXTURES / "synth" / "s2-01-skhcn-ket-luan-so-ket-6-thang-2024.json").gold["tasks"]
    assert len(tasks) == len(gold_tasks)


def _docx_with_numbering(levels: list[tuple[str, str]], paragraphs: list[tuple[int, str]]) -> bytes:
    """A DOCX whose one list has ``levels`` [(numFmt, lvlText)] and paragraphs [(level, text)]."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def el(tag, **attrs):
        e = OxmlElement(tag)
        for k, v in attrs.items():
            e.set(qn("w:" + k), v)
        return e

    document = docx.Document()
    root = document.part.numbering_part.element
    abstract = el("w:abstractNum", abstractNumId="77")
    for i, (fmt, text) in enumerate(levels):
        lvl = el("w:lvl", ilvl=str(i))
        for tag, val in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
            lvl.append(el(tag, val=val))
        abstract.append(lvl)
    first = root.find(qn("w:num"))
    first.addprevious(abstract) if first is not None else root.append(abstract)
    num = el("w:num", numId="77")
    num.append(el("w:abstractNumId", val="77"))
    root.append(num)
    for level, text in paragraphs:
        par = document.add_paragraph(text)
        numpr = el("w:numPr")
        numpr.append(el("w:ilvl", val=str(level)))
        numpr.append(el("w:numId", val="77"))
        par._p.get_or_add_pPr().insert(0, numpr)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("levels, paragraphs, expected", [
    ([("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)")],
     [(0, "MỤC TIÊU"), (0, "NHIỆM VỤ"), (1, "Văn phòng Sở"), (2, "rà soát"), (2, "báo cáo"), (1, "Thanh tra Sở"), (0, "TỔ CHỨC")],
     ["I. MỤC TIÊU", "II. NHIỆM VỤ", "1. Văn phòng Sở", "a) rà soát", "b) báo cáo", "2. Thanh tra Sở", "III. TỔ CHỨC"]),
    ([("decimal", "%1."), ("decimal", "%1.%2.")],
     [(0, "Một"), (1, "Một một"), (1, "Một hai"), (0, "Hai"), (1, "Hai một")],
     ["1. Một", "1.1. Một một", "1.2. Một hai", "2. Hai", "2.1. Hai một"]),
    ([("bullet", "\uf0b7"), ("bullet", "-")], [(0, "chấm"), (1, "gạch")], ["• chấm", "- gạch"]),
])
def test_docx_automatic_numbering(levels, paragraphs, expected):
    assert read_attachment(_docx_with_numbering(levels, paragraphs)).text.split("\n") == expected


def _pdf_bytes(pages: int) -> bytes:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    for _ in range(pages):
        doc.new_page(100, 100)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _encrypted_pdf() -> bytes:
    from fpdf import FPDF
    from fpdf.enums import EncryptionMethod

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica")
    pdf.cell(text="Thong bao mat")
    pdf.set_encryption(owner_password="owner", user_password="user", encryption_method=EncryptionMethod.RC4)
    return bytes(pdf.output())


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out.getvalue()


BAD = [
    ("html as pdf", lambda: b"<!DOCTYPE html>\n<html><head><title>404</title></head><body>Not found</body></html>",
     "not a document: the bytes are an HTML page"),
    ("empty", lambda: b"", "not a document: the file is empty"),
    ("truncated pdf", lambda: docgen.to_pdf(NOTICE)[:1500], "corrupt or truncated PDF"),
    ("garbage pdf", lambda: b"%PDF-1.4\n" + bytes(range(256)) * 20, "corrupt or truncated PDF"),
    ("encrypted pdf", _encrypted_pdf, "encrypted PDF: it needs a password"),
    ("too many pages", lambda: _pdf_bytes(501), "too many pages: 501, the limit is 500"),
    ("blank pdf, no ocr", lambda: _pdf_bytes(2), "OCR is off"),
    ("zip bomb", lambda: _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>" + b" " * (30 * 2**20)}),
     "zip bomb: the DOCX unpacks to 30 MB"),
    ("docx without body", lambda: _zip({"[Content_Types].xml": b"<x/>", "word/styles.xml": b"<w/>"}),
     "corrupt DOCX: no word/document.xml in it"),
    ("truncated docx", lambda: docgen.to_docx(NOTICE)[:4000], "corrupt or truncated DOCX"),
    ("too large", lambda: b"%PDF-1.4\n" + b"0" * (MAX_BYTES + 1), "too large: 50 MB, the cap is 50 MB"),
    ("corrupt image, no ocr", lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "OCR is off"),
    ("ole, not word", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "not a document"),
]


@pytest.mark.parametrize("name, make, reason", BAD, ids=[b[0] for b in BAD])
def test_unreadable_files_say_why(name, make, reason):
    with pytest.raises(UnreadableAttachment) as e:
        read_attachment(make(), ocr="never")
    assert reason in e.value.reason
    assert "\n" not in e.value.reason and "Traceback" not in e.value.reason


def test_a_300_page_scan_is_refused_before_any_ocr():
    with pytest.raises(UnreadableAttachment) as e:
        read_attachment(_pdf_bytes(300), ocr="auto")
    assert e.value.reason == "too many pages to OCR: 300 scanned pages, the limit is 100"


def test_ocr_mode_is_checked():
    with pytest.raises(ValueError):
        read_attachment(docgen.to_docx(NOTICE), ocr="sometimes")


def test_cache_keeps_text_by_bytes_and_reader(tmp_path):
    cache = TextCache(tmp_path / "text")
    data = docgen.to_docx(NOTICE)
    first = read_attachment(data, cache=cache)
    assert (cache.hits, cache.misses) == (0, 1)
    again = read_attachment(data, cache=cache)
    assert again == first and cache.hits == 1
    # a different reader (an upgraded python-docx or reading rules) reads it again
    [entry] = list((tmp_path / "text").rglob("*.json"))
    stored = json.loads(entry.read_text(encoding="utf-8"))
    stored["reader"] = "notices-readers 0; python-docx 0.8"
    stored["text"] = "stale"
    entry.write_text(json.dumps(stored), encoding="utf-8")
    fresh = read_attachment(data, cache=TextCache(tmp_path / "text"))
    assert fresh.text == first.text
    # a damaged entry is a miss, not an error
    entry.write_text("{not json", encoding="utf-8")
    assert read_attachment(data, cache=TextCache(tmp_path / "text")).text == first.text
    # another ocr mode is another entry
    read_attachment(data, cache=cache, ocr="never")
    assert len(list((tmp_path / "text").rglob("*.json"))) == 2


def test_round_trip_of_a_record():
    got = read_attachment(docgen.to_pdf(NOTICE))
    assert AttachmentText.from_dict(json.loads(json.dumps(got.to_dict()))) == got


def test_doc_raw_fallback_reads_the_words(monkeypatch):
    # Without LibreOffice the piece table gives the words (numbering lost, method says so).
    doc = _doc_bytes()
    monkeypatch.setenv("NOTICES_SOFFICE", "")
    monkeypatch.setattr("pipeline.attach.docread.binary", lambda: None)
    got = read_attachment(doc)
    assert got.kind == "doc" and got.method == "doc-raw" and "piece table" in got.reader
    assert "Kế hoạch số 12/KH-SKHCN" in got.text and "1961/QĐ-UBND" in got.text


_DOC_CACHE: dict[str, bytes] = {}


def _doc_bytes() -> bytes:
    if "doc" not in _DOC_CACHE:
        if docgen.soffice() is None:
            pytest.skip("LibreOffice is needed to make a .doc file (make system-deps)")
        _DOC_CACHE["doc"] = docgen.to_doc(docgen.to_docx(docgen.load(
            docgen.FIXTURES / "synth" / "s2-01-skhcn-ket-luan-so-ket-6-thang-2024.json")))
    return _DOC_CACHE["doc"]


@docgen.needs_soffice()
def test_doc_through_libreoffice_keeps_numbering():
    got = read_attachment(_doc_bytes())
    assert got.kind == got.method == "doc" and "LibreOffice" in got.reader
    assert "\n6) Các phòng, đơn vị thuộc Sở tiếp tục thực hiện nghiêm Kế hoạch số 12/KH-SKHCN" in got.text


@docgen.needs_soffice()
def test_doc_converter_timeout_is_a_reason():
    with pytest.raises(UnreadableAttachment) as e:
        read_attachment(_doc_bytes(), timeout=0.05)
    assert e.value.reason.startswith("converter timeout")


@docgen.needs_soffice()
def test_concurrent_conversions_each_get_their_profile():
    from concurrent.futures import ThreadPoolExecutor

    data = _doc_bytes()
    with ThreadPoolExecutor(2) as pool:
        texts = list(pool.map(lambda _: read_attachment(data).text, range(2)))
    assert texts[0] == texts[1] and "12/KH-SKHCN" in texts[0]


@docgen.needs_tesseract()
def test_clean_scan_by_ocr():
    files = [DEV / "dev-01-ket-luan-giao-ban-quy-ii.json", DEV / "dev-03-ke-hoach-ngay-khcn.json"]
    r, exact, missed = recall("scan", files)
    assert r >= 0.9, missed
    got = read_attachment(docgen.make(NOTICE, "scan"))
    assert got.method == "ocr" and "tesseract" in got.reader and "vie:" in got.reader
    assert len(got.pages) == 2 and got.page_of(len(got.text) - 1) == 2


@docgen.needs_tesseract()
def test_ocr_modes_on_a_text_pdf():
    pdf = docgen.to_pdf(NOTICE)
    assert read_attachment(pdf, ocr="auto").method == "text-layer"
    forced = read_attachment(pdf, ocr="always")
    assert forced.method == "ocr" and "97/KH-SKHCN" in forced.text


@docgen.needs_tesseract()
def test_image_by_ocr():
    got = read_attachment(docgen.to_image(docgen.to_pdf(NOTICE)))
    assert got.kind == "image" and got.method == "ocr" and "3157/QĐ-UBND" in got.text


@docgen.needs_tesseract()
def test_warm_cache_never_runs_ocr_again(tmp_path, monkeypatch):
    scan = docgen.make(NOTICE, "scan")
    first = read_attachment(scan, cache=TextCache(tmp_path))
    # Tesseract gone (or broken): the cached text is still served, nothing is read again.
    monkeypatch.setenv("NOTICES_TESSERACT", str(tmp_path / "no-such-tesseract"))
    again = read_attachment(scan, cache=TextCache(tmp_path))
    assert again == first
    with pytest.raises(UnreadableAttachment, match="OCR|tesseract|Tesseract"):
        read_attachment(scan)  # without the cache it would have to run OCR


@docgen.needs_tesseract()
def test_mixed_pdf_reads_only_the_scanned_page_by_ocr_and_plans_for_dask():
    import pypdfium2 as pdfium

    from pipeline.attach import ocr
    from pipeline.attach.pdfread import finish_pdf, plan_pdf

    text_pdf = docgen.to_pdf(NOTICE)
    text, scan = pdfium.PdfDocument(text_pdf), pdfium.PdfDocument(docgen.to_scan(text_pdf))
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(text, [0])
    mixed.import_pages(scan, [1])
    out = io.BytesIO()
    mixed.save(out)
    data = out.getvalue()
    plan = plan_pdf(data)
    assert plan.wanted == [1] and len(plan.images) == 1 and "tesseract" in plan.reader
    # the OCR of each page is a pure task (a Dask job maps it); finishing gives read_attachment's result
    got = finish_pdf(plan, [ocr.ocr_image(png, 120) for png in plan.images])
    assert got == read_attachment(data)
    assert got.method == "ocr" and len(got.pages) == 2
    at = got.text.find("Văn phòng Sở có trách nhiệm theo dõi")
    assert at > 0 and got.page_of(at) == 2
    assert got.page_of(got.text.index("3157/QĐ-UBND")) == 1
