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
     [("12/HD-SKHCN", "Hướng dẫn", None), ("45/TTr-SKHCN", "Tờ trình", None), ("123/BC-UBND", "Báo cáo", None)]),
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
    ("Quyết định số 19/2014/QĐ-TTg ngày 05/3/2014 của Thủ tướng Chính phủ", [("19/2014/QĐ-TTg", "Quyết định", "2014-03-05")]),
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

# Shapes real agencies write (issue 13), each in an input of our own: the symbol with "&", "/" and
# "." inside, a year after a dash, Party numbers without their dash or with a unit suffix, type
# words glued or broken, finer types, list members, OCR noise.
REAL_SHAPES = [
    ("theo Công văn số 215/SVHTT&DL-QLVH ngày 03/4/2019 của Sở",
     [("215/SVHTT&DL-QLVH", "Công văn", "2019-04-03")]),
    ("Xét Tờ trình số 88/TTr - NN&PTNT ngày 12/3/2010 của Sở Nông nghiệp",
     [("88/TTr-NN&PTNT", "Tờ trình", "2010-03-12")]),
    ("Căn cứ Thông tư liên tịch số 61/2012/TTLT/BTC-BNV ngày 20/4/2012 của Bộ Tài chính",
     [("61/2012/TTLT/BTC-BNV", "Thông tư liên tịch", "2012-04-20")]),
    ("thay thế Quyết định số 07/2003/QĐ.UB ngày 09/01/2003 của UBND tỉnh",
     [("07/2003/QĐ.UB", "Quyết định", "2003-01-09")]),
    ("theo Quyết định 152/2004/QĐ.TTg ngày 10/8/2004", [("152/2004/QĐ.TTg", "Quyết định", "2004-08-10")]),
    ("triển khai Nghị quyết 35-2021/NQ-CP về cải thiện môi trường kinh doanh",
     [("35/2021/NQ-CP", "Nghị quyết", None)]),
    ("ban hành kèm theo Quyết định số 112 QĐ/TWĐTN ngày 14/3/2017 của Ban Bí thư",
     [("112-QĐ/TWĐTN", "Quyết định", "2017-03-14")]),
    ("theo Hướng dẫn số 31HD/TWĐTN ngày 09/9/2019", [("31-HD/TWĐTN", "Hướng dẫn", "2019-09-09")]),
    ("Kế hoạch số 412-KH/TWĐTN-TNNT ngày 02/6/2022 của Ban Bí thư Trung ương Đoàn",
     [("412-KH/TWĐTN-TNNT", "Kế hoạch", "2022-06-02")]),
    ("thực hiện Kếtluận số 09-KL/TW ngày 24/6/2021 của Ban Bí thư", [("09-KL/TW", "Kết luận", "2021-06-24")]),
    ("TRIỂN KHAI NGHỊ\nQUYẾT SỐ 18/2021/NQ-HĐND NGÀY 15/7/2021 CỦA HĐND TỈNH",
     [("18/2021/NQ-HĐND", "Nghị quyết", "2021-07-15")]),
    ("THÔNG TƯ27/2019/TT-BCT\nngày 11 tháng 11 năm 2019", [("27/2019/TT-BCT", "Thông tư", "2019-11-11")]),
    ("Chương trình hành động số 21-CTr/TU ngày 05/5/2021 của Tỉnh ủy",
     [("21-CTr/TU", "Chương trình hành động", "2021-05-05")]),
    ("Thông báo kết luận số 118/TB-UBND ngày 20/6/2023 của Chủ tịch UBND huyện",
     [("118/TB-UBND", "Thông báo", "2023-06-20")]),
    ("theo Sắc lệnh số 35-A ngày 08/3/1946", [("35-A", "Sắc lệnh", "1946-03-08")]),
    ("các Thông tư số 04/2019/TT-BXD, 15/2019/BXD ngày 26/12/2019",
     [("04/2019/TT-BXD", "Thông tư", "2019-12-26"), ("15/2019/BXD", "Thông tư", "2019-12-26")]),
    ("theo Công điện số 85/CĐ-TTg ngày 20/8/2023 của Thủ tướng", [("85/CĐ-TTg", "Công điện", "2023-08-20")]),
    ("Phó Thủ tướng đã ký Công điện số 61/QĐ-TTg ngày 02/7/2024", [("61/QĐ-TTg", "Công điện", "2024-07-02")]),
    ("theo Nghị quyết số 98/2023/QH15 ngày 24/6/2023 của Quốc hội", [("98/2023/QH15", "Nghị quyết", "2023-06-24")]),
    ("Căn cứ Luật số 45/2019/QH14 ngày 13/6/2019", [("45/2019/QH14", "Luật", "2019-06-13")]),
    # OCR: a code split by a space, an apostrophe in the issuer, a doubled dash, Ð (U+00D0), TIr for TTr
    ("thực hiện Nghị quyết số 52/N Q-CP ngày 10/5/2023", [("52/NQ-CP", "Nghị quyết", "2023-05-10")]),
    ("theo Chỉ thị số 41-CT/T'W ngày 20/4/2020", [("41-CT/TW", "Chỉ thị", "2020-04-20")]),
    ("tại Công điện số 77/CĐ- -TTg ngày 05/8/2023", [("77/CĐ-TTg", "Công điện", "2023-08-05")]),
    ("Quyết định số 305/QĐÐ-UBND ngày 11/3/2022", [("305/QĐ-UBND", "Quyết định", "2022-03-11")]),
    ("theo Tờ trình số 61/TIr-SYT ngày 07/4/2022", [("61/TTr-SYT", "Tờ trình", "2022-04-07")]),
    ("Thông tư số 19/2016/TTLT-BGD ĐT-BNV ngày 22/6/2016", [("19/2016/TTLT-BGDĐT-BNV", "Thông tư", "2016-06-22")]),
    ("theo quyết định 27-2016-qđ-ubnd của UBND tỉnh", [("27/2016/QĐ-UBND", "Quyết định", None)]),  # a portal's slug
    ("thực hiện Nghị quyết 21-NQ/TƯ của Tỉnh ủy", [("21-NQ/TU", "Nghị quyết", None)]),  # OCR's Ư in TU
    # dates glued, scrambled or without marks
    ("Kế hoạch số 45/KH-UBND ngày22/5/2013 của UBND huyện", [("45/KH-UBND", "Kế hoạch", "2013-05-22")]),
    ("Quyết định số 210/QĐ-UBND ngày 04tháng 5 năm 2013", [("210/QĐ-UBND", "Quyết định", "2013-05-04")]),
    ("Quyết định số 77/QĐ-SYT ngày 9 thánh 5 năm 2016", [("77/QĐ-SYT", "Quyết định", "2016-05-09")]),
    ("Cong van so 512/UBND-VX ngay 15 thang 9 nam 2025", [("512/UBND-VX", "Công văn", "2025-09-15")]),
    ("Kết lụận số 45-KL/TW, ngàỷ 12/02/2025 của Bộ Chính trị", [("45-KL/TW", "Kết luận", "2025-02-12")]),
    ("theo Kế hoạch số 66/KH-UBND\\r\\nngày 30/3/2021 của UBND tỉnh", [("66/KH-UBND", "Kế hoạch", "2021-03-30")]),
    # type words without their marks or with OCR's scrambled ones
    ("Cong dien so 88/QĐ-TTg ngay 02/8/2023", [("88/QĐ-TTg", "Công điện", "2023-08-02")]),
    ("thực hiện Nghị qụỵết số 23-NQ/TW của Bộ Chính trị", [("23-NQ/TW", "Nghị quyết", None)]),
    ("Thong bao ket luan so: 41/TB-UBND", [("41/TB-UBND", "Thông báo", None)]),
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
    "BAN CHẤP HÀNH TRUNG ƯƠNG***Số: 52 - KH/TWĐTN-VP Hà Nội",  # nor after header junk
    "Ngày thành lập Đảng (03-02-1930); Ngày Giỗ Tổ (10-3 Âm lịch); ngày 2-9",
    "Hotline: 024.355.63.010; Fax: 0233.3852.456",
    "vận tốc tối đa 50 km/h; 5KM/H; lớp 12-A; phòng số 2-B; lô số 3-C",
    "Số công báo: Từ số 783 đến số 784; Update 06/2025",
    "đạt 100%3 chỉ tiêu; giai đoạn 20112020; tháng 5/2024",
    "ban hành kèm theo Quyết định này.Tiếp theo, đề nghị",
    "giai đoạn 2016-2020-2025; mã 12-2020-abc; số 15-2012-qđ-ubnd",  # a slug counts only after a type word
]


def found(text, published="2024-08-22"):
    return [(r.number, r.doc_type, r.issued) for r in extract(text, published).references]


@pytest.mark.parametrize("text,expected", SHAPES + NOISY + LISTS + REAL_SHAPES)
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
