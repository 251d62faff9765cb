"""Document numbers: every shape of the contract, noisy spellings, lists, identity, and text
that only looks like a number. Each row: text, then (canonical number, type, issue date)."""
import unicodedata

import pytest

from extractors import canonical_number, document_key, extract

SHAPES = [
    ("Kế hoạch số 97/KH-SKHCN ngày 28/12/2023 về cải cách hành chính", [("97/KH-SKHCN", "Kế hoạch", "2023-12-28")]),
    ("tại Quyết định số 1820/QĐ-UBND ngày 24/7/2024 của Chủ tịch UBND tỉnh", [("1820/QĐ-UBND", "Quyết định", "2024-07-24")]),
    ("Thông báo số 07/TB-SKHCN ngày 29/01/2024 về Ý kiến Kết luận", [("07/TB-SKHCN", "Thông báo", "2024-01-29")]),
    ("Công văn số 844/SKHCN-VP ngày 13/8/2024 về việc", [("844/SKHCN-VP", "Công văn", "2024-08-13")]),
    ("chỉ đạo của UBND tỉnh tại văn bản số 2731/UBND-KGVX ngày 06/6/2023", [("2731/UBND-KGVX", "Công văn", "2023-06-06")]),
    ("Nghị định 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư", [("30/2020/NĐ-CP", "Nghị định", "2020-03-05")]),
    ("Thông tư số 03/2015/TT-BKHCN ngày 09/3/2015", [("03/2015/TT-BKHCN", "Thông tư", "2015-03-09")]),
    ("Thông tư liên tịch số 27/2015/TTLT-BKHCN-BTC ngày 30/12/2015", [("27/2015/TTLT-BKHCN-BTC", "Thông tư liên tịch", "2015-12-30")]),
    ("Căn cứ Luật Khoa học và Công nghệ số 29/2013/QH13 ngày 18 tháng 6 năm 2013;", [("29/2013/QH13", "Luật", "2013-06-18")]),
    ("Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị", [("57-NQ/TW", "Nghị quyết", "2024-12-22")]),
    ("Chỉ thị số 05-CT/TU ngày 14/02/2025 của Ban Thường vụ Tỉnh ủy", [("05-CT/TU", "Chỉ thị", "2025-02-14")]),
    ("thực hiện Kết luận số 01-KL/TW của Bộ Chính trị", [("01-KL/TW", "Kết luận", None)]),
    ("Hướng dẫn số 12/HD-SKHCN; Tờ trình số 45/TTr-SKHCN; Báo cáo số 123/BC-UBND",
     [("12/HD-SKHCN", "Hướng dẫn", None), ("45/TTR-SKHCN", "Tờ trình", None), ("123/BC-UBND", "Báo cáo", None)]),
    # the type from the code when no words name it
    ("theo 1042/QĐ-UBND ngày 08/5/2024", [("1042/QĐ-UBND", "Quyết định", "2024-05-08")]),
]

NOISY = [
    ("tại Kế hoạch số 97 /KH- SKHCN; chấn chỉnh", [("97/KH-SKHCN", "Kế hoạch", None)]),
    ("Công văn số 844/SKHCN_VP ngày 13/8/2024", [("844/SKHCN-VP", "Công văn", "2024-08-13")]),
    ("Thông báo số 12/TB–SKHCN ngày 06/02/2023", [("12/TB-SKHCN", "Thông báo", "2023-02-06")]),
    ("Thông báo số 12/TB—SKHCN", [("12/TB-SKHCN", "Thông báo", None)]),
    ("theo Quyết định số 1820/QD-UBND ngày 03/8/2022 của UBND tỉnh", [("1820/QĐ-UBND", "Quyết định", "2022-08-03")]),
    ("Nghị định số 13/2012/ND-CP", [("13/2012/NĐ-CP", "Nghị định", None)]),
    ("Kế hoạch số 15/kh-skhcn ngày 12/01/2024 của Sở", [("15/KH-SKHCN", "Kế hoạch", "2024-01-12")]),
    ("Quyết định số 19/2014/QĐ-TTg ngày 05/3/2014 của Thủ tướng Chính phủ", [("19/2014/QĐ-TTG", "Quyết định", "2014-03-05")]),
    (unicodedata.normalize("NFD", "Quyết định số 1820/QĐ-UBND ngày 24/7/2024"), [("1820/QĐ-UBND", "Quyết định", "2024-07-24")]),
    ("thực hiện Kế hoạch số 97/KH-\nSKHCN ngày 28/12/2023", [("97/KH-SKHCN", "Kế hoạch", "2023-12-28")]),
    ("thực hiện Kế hoạch số 97/\nKH-SKHCN", [("97/KH-SKHCN", "Kế hoạch", None)]),
    ("Quyết định số 1961/QĐUBND ngày 01/8/2024", [("1961/QĐ-UBND", "Quyết định", "2024-08-01")]),
    ("Quyết định\u00a0số\u00a01820/QĐ-UBND\u00a0ngày\u00a024/7/2024", [("1820/QĐ-UBND", "Quyết định", "2024-07-24")]),
]

LISTS = [
    ("các Quyết định số 12/QĐ-SKHCN, 13/QĐ-SKHCN ngày 15/01/2024 của Giám đốc Sở",
     [("12/QĐ-SKHCN", "Quyết định", "2024-01-15"), ("13/QĐ-SKHCN", "Quyết định", "2024-01-15")]),
    ("Thông báo số 07/TB-SKHCN và 20/TB-SKHCN ngày 22/02/2024",
     [("07/TB-SKHCN", "Thông báo", "2024-02-22"), ("20/TB-SKHCN", "Thông báo", "2024-02-22")]),
    ("Chỉ thị số 05-CT/TU, 28-KH/TU",  # a list does not override what a number's own code says
     [("05-CT/TU", "Chỉ thị", None), ("28-KH/TU", "Kế hoạch", None)]),
]

NOT_NUMBERS = [
    "Ngày 15/8/2024, đồng chí Giám đốc chủ trì.",
    "Thông tin chi tiết liên hệ ĐT: 0233.3550 382 hoặc 0913.123.456.",
    "đạt tỷ lệ 3/4 số đơn vị; bản đồ tỷ lệ 1/500, 1/2.000 hoặc 1/10.000",
    "64 học viên đạt từ 8/10 điểm trở lên; 7/7 phiếu đồng ý; phục vụ 24/7",
    "theo quy định tại Khoản 2 Điều 5 của Quy chế",
    "Chuyên mục KH&CN số 5-2016 phát sóng trên Đài",
    "phù hợp tiêu chuẩn TCVN ISO 9001:2015 và QCVN 01:2020/BKHCN",
    "tổng kinh phí 1.250.000.000 đồng (Một tỷ hai trăm năm mươi triệu đồng)",
    "xem tại https://sokhcn.quangtri.gov.vn/van-ban/2024/04/mau-a1-dxnv.docx và www.quangtri.gov.vn/2023/05/26/tin-bai",
    "Nơi nhận:\n- UBND tỉnh (b/c);\n- Lưu: VT, VP.",
    "theo Mẫu A1-ĐXNV; phòng chống COVID-19; năng suất 100 kg/ha; số 204 Hùng Vương",
    "Số: 912/SKHCN-QLKH\nV/v đề xuất nhiệm vụ",  # the letter's own number is not a citation
]


def found(text, published="2024-08-22"):
    return [(r.number, r.doc_type, r.issued) for r in extract(text, published).references]


@pytest.mark.parametrize("text,expected", SHAPES + NOISY + LISTS)
def test_references(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_not_numbers(text):
    assert found(text) == []


@pytest.mark.parametrize("raw,canonical", [
    ("844/SKHCN_VP", "844/SKHCN-VP"), ("1820/QD-UBND", "1820/QĐ-UBND"), ("97 /kh- skhcn", "97/KH-SKHCN"),
    ("12/TB–SKHCN", "12/TB-SKHCN"), ("30/2020/ND-CP", "30/2020/NĐ-CP"), ("57-NQ/TW", "57-NQ/TW"),
    ("07/TB-SKHCN", "07/TB-SKHCN"), ("123/NQ-HDND", "123/NQ-HĐND"), ("1961/QĐUBND", "1961/QĐ-UBND"),
])
def test_canonical_number(raw, canonical):
    assert canonical_number(raw) == canonical


def test_document_identity():
    assert document_key("1961/QĐUBND") == document_key("1961/QĐ-UBND") == document_key("01961/QD-UBND")
    assert document_key("07/TB-SKHCN") == document_key("7/TB-SKHCN")
    assert document_key("97/KH-SKHCN") != document_key("98/KH-SKHCN")


def test_issuer_after_number():
    e = extract("Quyết định số 1820/QĐ-UBND ngày 24/7/2024 của Chủ tịch UBND tỉnh về việc ban hành", "2024-08-22")
    assert e.references[0].issuer == "Chủ tịch UBND tỉnh"
    e = extract("Thông tư liên tịch số 55/2015/TTLT-BTC-BKHCN ngày 22/4/2015 của Bộ Tài chính, "
                "Bộ Khoa học và Công nghệ và Thông tư số 03/2017/TT-BKHCN", "2024-08-22")
    assert e.references[0].issuer == "Bộ Tài chính, Bộ Khoa học và Công nghệ"


def test_same_number_two_years_and_undated_mention():
    text = ("danh mục tại Quyết định số 2410/QĐ-UBND ngày 14/9/2021 và Quyết định số 2410/QĐ-UBND "
            "ngày 28/10/2022; thực hiện Quyết định số 2410/QĐ-UBND đúng tiến độ.")
    refs = extract(text, "2022-11-28").references
    assert sorted((r.number, r.year) for r in refs) == [
        ("2410/QĐ-UBND", 2021), ("2410/QĐ-UBND", 2022), ("2410/QĐ-UBND", 2022)]
    # in a notice of 2022 an undated mention is the 2022 decision; before it existed, the 2021 one
    refs = extract(text.replace("ngày 28/10/2022", "ngày 28/10/2023"), "2022-11-28").references
    assert [r.year for r in refs if r.issued is None] == [2021]


def test_full_citation_comes_first():
    text = "Sơ kết Nghị quyết số 57-NQ/TW\n\nthực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị"
    refs = extract(text, "2025-07-09").references
    assert [r.issued for r in refs] == ["2024-12-22", None]
    assert refs[0].start > refs[1].start


def test_offsets_point_into_text():
    e = extract("Theo Kế hoạch số 97/KH-SKHCN ngày 28/12/2023 của Sở.", "2024-08-22")
    r = e.references[0]
    assert e.text[r.start:r.end] == r.text == "Kế hoạch số 97/KH-SKHCN ngày 28/12/2023 của Sở"
    assert e.text[r.number_start:r.number_end] == "97/KH-SKHCN"
