"""The text's own document (``Extraction.document``): headers of every shape, titles that are the
document, and texts that only talk about a document. Each row: text -> (number, type, issued, issuer)."""
from __future__ import annotations

import pytest

from extractors import extract
from extractors.numbers import document_key

ANY = object()  # a field a row does not assert
BODY = "\n\nKính gửi: Các phòng, đơn vị thuộc Sở.\n\nSở Khoa học và Công nghệ đề nghị các đơn vị thực hiện./."

HEADERS = [
    # the layout of the portal's letters: issuer above the number, V/v summary, place and date
    ("UBND TỈNH QUẢNG TRỊ\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\n\nSố: 912/SKHCN-QLKH\n"
     "V/v đề xuất nhiệm vụ khoa học và công nghệ cấp tỉnh\n\nQuảng Trị, ngày 10 tháng 4 năm 2024" + BODY,
     ("912/SKHCN-QLKH", "Công văn", "2024-04-10", "Sở Khoa học và Công nghệ")),
    # a space before the slash, a type line, the date line before the type line
    ("UBND TỈNH QUẢNG TRỊ\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\nSố: 125 /TB-SKHCN\nQuảng Trị, ngày 05 tháng 9 năm 2024\n\n"
     "THÔNG BÁO\nKết luận của Giám đốc Sở tại cuộc họp giao ban" + BODY,
     ("125/TB-SKHCN", "Thông báo", "2024-09-05", "Sở Khoa học và Công nghệ")),
    # "Số:" and the number on two lines (a table cell split by the converter)
    ("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ\n\nSố:\n188/KH-UBND\n\nĐông Hà, ngày 02/8/2024\n\nKẾ HOẠCH\n"
     "Triển khai Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị" + BODY,
     ("188/KH-UBND", "Kế hoạch", "2024-08-02", "UBND tỉnh")),
    # two columns flattened onto one line: issuer, motto, number and date side by side
    ("UBND TỈNH QUẢNG TRỊ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM SỞ KHOA HỌC VÀ CÔNG NGHỆ "
     "Độc lập - Tự do - Hạnh phúc Số: 07/TB-SKHCN Quảng Trị, ngày 29 tháng 01 năm 2024\n\n"
     "THÔNG BÁO\nÝ kiến kết luận của Giám đốc Sở về công tác CCHC năm 2024" + BODY,
     ("07/TB-SKHCN", "Thông báo", "2024-01-29", "Sở Khoa học và Công nghệ")),
    # the same, each column's lines kept but interleaved, with the rule lines under the motto
    ("SỞ NÔNG NGHIỆP VÀ PTNT QUẢNG TRỊ\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nCHI CỤC KIỂM LÂM\n"
     "Độc lập – Tự do – Hạnh phúc\n-------\nSố: 118/CCKL-QLBVR\nV/v tăng cường phòng cháy rừng\n"
     "Quảng Trị, ngày 12 tháng 3 năm 2024" + BODY,
     ("118/CCKL-QLBVR", "Công văn", "2024-03-12", "Chi cục Kiểm Lâm")),
    # OCR: "S6:", a broken motto, a dash variant in the number, "số" glued to its colon
    ("UBND HUYỆN HƯỚNG HÓA\nCONG HOA XA HOI CHU NGHIA VIET NAM\nDoc lap - Tu do - Hanh phuc\n"
     "S6:985/UBND–NN\nV/v tăng cường công tác phòng cháy, chữa cháy rừng\nHướng Hóa, ngày 3 tháng 4 năm 2024" + BODY,
     ("985/UBND-NN", "Công văn", "2024-04-03", "UBND huyện Hướng Hóa")),
    # a PDF's text layer: the two columns interleaved line by line
    ("UBND TỈNH QUẢNG TRỊ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ KHOA HỌC VÀ CÔNG NGHỆ Độc lập - Tự do - Hạnh phúc\n"
     "Số: 844/SKHCN-VP Quảng Trị, ngày 13 tháng 8 năm 2024\nV/v triển khai thực hiện Quyết định của UBND tỉnh" + BODY,
     ("844/SKHCN-VP", "Công văn", "2024-08-13", "Sở Khoa học và Công nghệ")),
    ("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ\nSố: 332/TB-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
     "Quảng Trị, ngày 19 tháng 8 năm 2024\nTHÔNG BÁO\nKết luận của Chủ tịch UBND tỉnh tại buổi làm việc" + BODY,
     ("332/TB-UBND", "Thông báo", "2024-08-19", "UBND tỉnh")),
    # the right column read first: motto and date above the issuer and the number
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nĐông Hà, ngày 21 tháng 5 năm 2024\n"
     "UBND HUYỆN GIO LINH\nSố: 412/UBND-NN\nV/v kiểm tra tiến độ xây dựng nông thôn mới" + BODY,
     ("412/UBND-NN", "Công văn", "2024-05-21", "UBND huyện Gio Linh")),
    ("SỞ TÀI CHÍNH\nSỐ : 4125/STC-QLNS\nV/v hướng dẫn khóa sổ kế toán năm 2023" + BODY,
     ("4125/STC-QLNS", "Công văn", None, "Sở Tài chính")),
    # a normative document: the year is in the number; the type line follows the issuer's title
    ("ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ\nSố: 08/2023/QĐ-UBND\nQuảng Trị, ngày 20 tháng 3 năm 2023\n\nQUYẾT ĐỊNH\n"
     "Quy định vị trí, chức năng của Sở Khoa học và Công nghệ\n\nỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ\n\n"
     "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
     ("08/2023/QĐ-UBND", "Quyết định", "2023-03-20", "UBND tỉnh")),
    # a Party document: "Số" without a colon, the Party's motto
    ("ĐẢNG BỘ TỈNH QUẢNG TRỊ\nBAN THƯỜNG VỤ TỈNH ỦY\nĐẢNG CỘNG SẢN VIỆT NAM\nSố 05-CT/TU\n"
     "Quảng Trị, ngày 15 tháng 5 năm 2024\n\nCHỈ THỊ\nvề tăng cường lãnh đạo công tác chuyển đổi số" + BODY,
     ("05-CT/TU", "Chỉ thị", "2024-05-15", "Ban Thường vụ Tỉnh ủy")),
    # the portal's title first, then the header; an invitation's type line
    ("Giấy mời họp góp ý dự thảo Quyết định quy định hạn mức giao đất\n\nUBND TỈNH QUẢNG TRỊ\n"
     "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG\n\nSố: 2688/GM-STNMT\n\nGIẤY MỜI\n\nThực hiện Luật Đất đai số 31/2024/QH15 ngày 18/01/2024;",
     ("2688/GM-STNMT", "Giấy mời", None, "Sở Tài nguyên và Môi trường")),
    # the type written before the label; the title above names it too
    ("Nghị quyết 653/2019/UBTVQH14 về sắp xếp các đơn vị hành chính\n\nỦY BAN THƯỜNG VỤ\nQUỐC HỘI\n--------\n\n"
     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nNghị quyết số: 653/2019/UBTVQH14\n\n"
     "Hà Nội, ngày 12 tháng 3 năm 2019\n\nNGHỊ QUYẾT\nVỀ VIỆC SẮP XẾP CÁC ĐƠN VỊ HÀNH CHÍNH\n\nCăn cứ Hiến pháp;",
     ("653/2019/UBTVQH14", "Nghị quyết", "2019-03-12", "Ủy ban Thường vụ Quốc hội")),
    # a type line in capitals carrying its own number, glued to it; the title's "NGHỊ ĐỊNH⏎SỐ 68/..." cites
    ("Mục lục\nĐiều 1. Phạm vi điều chỉnh\nTHÔNG TƯ15/2017/TT-BCT\nngày\n31 tháng 8 năm 2017\n"
     "QUY ĐỊNH, HƯỚNG DẪN THỰC HIỆN MỘT SỐ NỘI DUNG CỦA NGHỊ ĐỊNH\nSỐ 68/2017/NĐ-CP NGÀY 25 THÁNG 5 NĂM 2017 CỦA CHÍNH PHỦ\n"
     "Căn cứ Nghị định số 98/2017/NĐ-CP ngày 18 tháng 8 năm 2017 của Chính phủ;",
     ("15/2017/TT-BCT", "Thông tư", "2017-08-31", None)),
    ("SẮC LỆNH\n\nCỦA CHỦ TỊCH CHÍNH PHỦ VIỆT NAM DÂN CHỦ CỘNG HOÀ SỐ 141-B NGÀY 26 THÁNG 7 NĂM 1946 ĐẶT NGÀY 19"
     " THÁNG 8 LÀM NGÀY QUỐC KHÁNH\n\nChiểu Sắc lệnh số 34 ngày 5 tháng 3 năm 1946;",
     ("141-B", "Sắc lệnh", None, ANY)),  # its issuer is a person's office: not asserted
    # a title that is the document itself
    ("Thông báo số 332/TB-UBND ngày 19/8/2024 kết luận của Chủ tịch UBND tỉnh tại buổi làm việc với Sở Khoa học"
     " và Công nghệ\n\nNgày 15/8/2024, đồng chí Chủ tịch UBND tỉnh làm việc với Sở Khoa học và Công nghệ.",
     ("332/TB-UBND", "Thông báo", "2024-08-19", None)),
    ("Thông báo số 45/TB-UBND ngày 05/3/2024 của Ủy ban nhân dân tỉnh Quảng Trị\n\nVề việc triển khai nhiệm vụ năm 2024.",
     ("45/TB-UBND", "Thông báo", "2024-03-05", "UBND tỉnh")),
    ("Kế hoạch số 97/KH-SKHCN ngày 28/12/2023 về cải cách hành chính năm 2024 của Sở Khoa học và Công nghệ\n\n"
     "Thực hiện Kế hoạch số 188/KH-UBND ngày 02/8/2023 của UBND tỉnh, Sở xây dựng kế hoạch như sau:",
     ("97/KH-SKHCN", "Kế hoạch", "2023-12-28", None)),
]

NONE = [
    # news posts about a notice: the numbers stand in prose
    "Sở Khoa học và Công nghệ ban hành Thông báo số 07/TB-SKHCN về công tác CCHC\n\nNgày 29/01/2024, Sở ban hành"
    " Thông báo số 07/TB-SKHCN ý kiến kết luận của Giám đốc Sở.",
    "Sơ kết 6 tháng đầu năm 2025 thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị\n\nSáng ngày 08/7/2025, Sở tổ chức"
    " Hội nghị sơ kết việc triển khai Nghị quyết số 57-NQ/TW ngày 22/12/2024.",
    # a conclusion notice as the portal posts it: a title without a number
    "Thông báo Ý kiến kết luận của Giám đốc Sở tại cuộc họp giao ban quý II/2024\n\nNgày 09/7/2024, Giám đốc Sở chủ trì.",
    # the type line without a number (a decision's body as the portal shows it)
    "QUYẾT ĐỊNH\nVề việc ban hành Quy chế xét công nhận sáng kiến\n\nGIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ\n\n"
    "Căn cứ Nghị định số 13/2012/NĐ-CP ngày 02 tháng 3 năm 2012 của Chính phủ;",
    # a blank form's number, and "số:" inside prose
    "UBND TỈNH QUẢNG TRỊ\nSố: ......../QĐ-UBND\n\nQUYẾT ĐỊNH\nVề việc ...",
    "Mọi thông tin xin liên hệ Văn phòng Sở, điện thoại số: 0233.3550 382, theo Công văn số: 844/SKHCN-VP.",
    # a page that only links to the document
    "THÔNG TƯ LIÊN TỊCH SỐ 27/2015/TTLT-BKHCN-BTC, NGÀY 30/12/2015, V/V QUY ĐỊNH KHOÁN CHI\n\nBấm vào đây để xem chi tiết",
    # a body that opens with prose: its line-start "Hướng dẫn số ..." is a citation, not a header
    "Ngày 06/4, UBND tỉnh ban hành Công văn số 391 - CV/ĐU về tuyên truyền tháng 4/2015.\n"
    "Hướng dẫn số 94-HD/ĐUK, ngày 30/3/2015 của Đảng uỷ Khối nêu 07 nội dung tuyên truyền.",
    # a title's type broken across a line before "SỐ", and a type line alone: citations
    "KẾ HOẠCH TRIỂN KHAI NGHỊ\nQUYẾT SỐ 18/2021/NQ-HĐND NGÀY 15/7/2021 CỦA HĐND TỈNH\n\nCăn cứ Luật Tổ chức chính quyền địa phương;",
    "THÔNG TƯ27/2019/TT-BCT\nngày 11 tháng 11 năm 2019",
    # "Số:" far down a long page is not a header
    "Tin hoạt động\n\n" + "Sở Khoa học và Công nghệ tổ chức hội nghị. " * 60 + "\nSố: 912/SKHCN-QLKH\n",
]


@pytest.mark.parametrize("text, expected", HEADERS, ids=[e[0] for _, e in HEADERS])
def test_own_document_of_a_header_or_title(text, expected):
    e = extract(text, "2024-09-20")
    assert e.document is not None
    d = e.document
    got = (d.number, d.doc_type, d.issued, d.issuer)
    assert tuple(g if e is ANY else e for g, e in zip(got, expected)) == got
    assert text[d.number_start:d.number_end].replace(" ", "").replace("–", "-") in (d.number, "S6:" + d.number)
    assert e.text[d.start:d.end] == d.text
    # never also a reference, in the references or in a task
    own = document_key(d.number)
    assert own not in {document_key(r.number) for r in e.references}
    assert own not in {document_key(n) for t in e.tasks for n in t.references}


@pytest.mark.parametrize("text", NONE, ids=range(len(NONE)))
def test_a_text_that_is_no_document_names_none(text):
    assert extract(text, "2024-09-20").document is None


def test_the_other_numbers_of_a_header_stay_references():
    text = HEADERS[2][0]
    e = extract(text, "2024-09-20")
    assert [r.number for r in e.references] == ["57-NQ/TW"]
    assert e.to_dict()["document"] == {
        "number": "188/KH-UBND", "doc_type": "Kế hoạch", "issued": "2024-08-02", "issuer": "UBND tỉnh",
        "text": "Số:\n188/KH-UBND", "start": e.document.start, "end": e.document.end}


def test_a_later_mention_of_the_own_number_is_no_citation():
    text = ("UBND TỈNH QUẢNG TRỊ\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\nSố: 20/TB-SKHCN\n\nTHÔNG BÁO\nKết luận\n\n"
            "Kính gửi: các phòng.\n\nThông báo số 20/TB-SKHCN này thay thế Thông báo số 07/TB-SKHCN ngày 29/01/2024.")
    e = extract(text, "2024-02-22")
    assert e.document.number == "20/TB-SKHCN"
    assert [r.number for r in e.references] == ["07/TB-SKHCN"]


def test_on_the_synthetic_set_only_the_letters_with_a_header_name_one():
    """The synthetic gold has no document key: its letters' header lines are the oracle, and no
    other notice (conclusions, plans, news posts) may get an own number."""
    import json
    import re
    from pathlib import Path

    found, headers = 0, 0
    for path in sorted((Path(__file__).parent / "fixtures" / "synth").glob("*.json")):
        gold = json.loads(path.read_text("utf-8"))
        header = re.search(r"(?m)^Số: *(\S+)", gold["text"])
        document = extract(gold["text"], gold["published"]).document
        headers += header is not None
        if header:
            assert document is not None and document.number == header.group(1), path.name
            found += 1
        else:
            assert document is None, (path.name, document)
    assert found == headers == 10
