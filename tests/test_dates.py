"""Date expressions: values (day, month, interval) and roles. Published 2024-08-22 unless said."""
import pytest

from extractors import extract
from extractors.dates import first_day, last_day

CASES = [
    ("Ngày 15/8/2024, đồng chí Giám đốc chủ trì buổi làm việc.", [("2024-08-15", "event")]),
    ("gửi Văn phòng Sở trước ngày 26/8/2024 để tổng hợp.", [("2024-08-26", "deadline")]),
    ("Lễ ra mắt tổ chức ngày 5-9-2024 tại hội trường.", [("2024-09-05", "event")]),
    ("ban hành ngày 05 tháng 9 năm 2024 tại Đông Hà", [("2024-09-05", "event")]),
    ("kiểm tra, hoàn thành trong tháng 9/2024.", [("2024-09", "deadline")]),
    ("hoàn thành trước tháng 10 năm 2024.", [("2024-10", "deadline")]),
    ("kết quả thực hiện 7 tháng đầu năm 2024", [("2024-01/2024-07", "period")]),
    ("Sơ kết 6 tháng đầu năm 2025 việc triển khai", [("2025-01/2025-06", "period")]),
    ("đánh giá 6 tháng cuối năm 2024", [("2024-07/2024-12", "period")]),
    ("báo cáo kết quả 9 tháng năm 2024", [("2024-01/2024-09", "period")]),
    ("Trong quý II/2024, các phòng đã hoàn thành", [("2024-04/2024-06", "period")]),
    ("kết quả thực hiện nhiệm vụ quý III năm 2024", [("2024-07/2024-09", "period")]),
    ("Từ ngày 21/10 đến ngày 25/10/2024, Sở tổ chức tập huấn", [("2024-10-21/2024-10-25", "event")]),
    ("Treo băng rôn từ ngày 10/5/2024 đến ngày 20/5/2024.", [("2024-05-10/2024-05-20", "event")]),
    ("diễn ra từ 21-25/10/2024 tại Đông Hà", [("2024-10-21/2024-10-25", "event")]),
    ("Lịch công tác tuần 34 (19/8/2024 - 23/8/2024)", [("2024-08-19/2024-08-23", "period")]),
    ("Hội chợ diễn ra (19/8/2024 - 23/8/2024)", [("2024-08-19/2024-08-23", "event")]),
    ("tổ chức trong hai ngày 22 và 23/11/2024", [("2024-11-22", "event"), ("2024-11-23", "event")]),
    ("diễn ra từ ngày 21 đến 25/10/2024 tại", [("2024-10-21/2024-10-25", "event")]),
    ("nộp hồ sơ trước 17 giờ 00 ngày 16/4/2025", [("2025-04-16", "deadline")]),
    ("giao ban công tác y tế tháng 5/2023", [("2023-05", "period")]),
    ("dự kiến tổ chức vào tháng 12/2024", [("2024-12", "event")]),
    ("Hồ Thị Mai (sinh ngày 14/02/1999)", [("1999-02-14", "other")]),
    ("Tính đến ngày 31/12/2024, toàn huyện có 20 sản phẩm", [("2024-12-31", "other")]),
    ("Đợt 1: trong quý IV/2024, tại thành phố Đông Hà", [("2024-10/2024-12", "event")]),  # still to come
    ("Trong tháng 6/2024, Sở đã cấp 18 giấy phép", [("2024-06", "period")]),  # reported on
    ("dự kiến triển khai trong tháng 12/2024", [("2024-12", "event")]),
    ("THỨ TƯ (18/9)\n- Cả ngày: họp; THỨ NĂM, 19/9", [("2024-09-18", "event"), ("2024-09-19", "event")]),
    ("THỨ BẢY, CHỦ NHẬT (21-22/9)", [("2024-09-21/2024-09-22", "event")]),
    ("tạm ngừng cấp nước từ 22 giờ 00 ngày 14/6/2024 (thứ Sáu) đến 05 giờ 00 ngày 15/6/2024",
     [("2024-06-14/2024-06-15", "event")]),
    ("họp ngày 04/6/2024 và ngày 05/6/2024,", [("2024-06-04", "event"), ("2024-06-05", "event")]),
    ("báo cáo về Văn phòng Sở trước ngày 20/9 để tổng hợp", [("2024-09-20", "deadline")]),
    ("Chiều ngày 18/9, đồng chí Phó Giám đốc chủ trì", [("2024-09-18", "event")]),
    ("báo cáo chậm nhất ngày 31/5/2024 để tổng hợp", [("2024-05-31", "deadline")]),
    ("thời hạn nộp hồ sơ: ngày 30/9/2024", [("2024-09-30", "deadline")]),
    ("hạn chót là ngày 15/10/2024", [("2024-10-15", "deadline")]),
    ("triển khai thử nghiệm từ tháng 9/2022, bước đầu", [("2022-09", "event")]),
    ("Ngày\u00a015/8/2024, đồng\u00a0chí", [("2024-08-15", "event")]),
    ("Quảng Trị, ngày 15 tháng 8 năm 2024", [("2024-08-15", "other")]),
    # as real texts type or scan them: glued, without marks, a tone-mark slip, literal "\r\n"
    ("Lễ khai mạc tổ chức ngày22/5/2013 tại huyện", [("2013-05-22", "event")]),
    ("tổ chức vào ngày 04tháng 5 năm 2013", [("2013-05-04", "event")]),
    ("Hoi nghi to chuc ngay 15 thang 9 nam 2025 tai xa", [("2025-09-15", "event")]),
    ("Đông Hà, ngày 9 thánh 5 năm 2016", [("2016-05-09", "other")]),
    ("khai giảng\\r\\nngày 05/9/2024 tại trường", [("2024-09-05", "event")]),
    # an anniversary's span and a page's time stamp are no event (real news pages)
    ("kỷ niệm 75 năm Ngày truyền thống (15/10/1949 - 15/10/2024)", [("1949-10-15/2024-10-15", "other")]),
    ("Thứ hai 21/10/2024 08:30\nSáng ngày 20/10, Sở tổ chức hội nghị",
     [("2024-10-21", "other"), ("2024-10-20", "event")]),
    ("họp ngày 21/10/2024 lúc 08:30 tại hội trường", [("2024-10-21", "event")]),
    # a law cited by its name, with "văn bản", "pháp luật" or a comma in the name
    ("Căn cứ Luật Ban hành văn bản quy phạm pháp luật ngày 22 tháng 6 năm 2015;", [("2015-06-22", "issued")]),
    ("Căn cứ Luật Cán bộ, công chức ngày 13 tháng 11 năm 2008;", [("2008-11-13", "issued")]),
    # not dates: bare years, year ranges, durations, ratios, phone numbers, "kể từ ngày ký"
    ("năm 2024, giai đoạn 2024-2025, kế hoạch 03 năm 2025 - 2027, trong 30 tháng, 03 ngày", []),
    ("đạt 8/10 điểm, tỷ lệ 1/2.000, ĐT 0233.3550 382, có hiệu lực kể từ ngày ký", []),
    ("xem https://sokhcn.quangtri.gov.vn/vi/tin/2023/05/26/nghiem-thu", []),
    ("tại thành phố 12 thành viên; ngày 5 thành 9 tổ", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_dates(text, expected):
    assert [(d.value, d.role) for d in extract(text, "2024-08-22").dates] == expected


def test_deadline_inside_a_task_item():
    text = ("Giám đốc Sở yêu cầu các phòng thực hiện các nội dung sau:\n\n"
            "1. Phòng Quản lý Khoa học tổng hợp kết quả, báo cáo Giám đốc Sở trong quý III/2024.\n\n"
            "2. Văn phòng Sở hoàn thành trong tháng 8/2024.")
    assert [(d.value, d.role) for d in extract(text, "2024-07-12").dates] == [
        ("2024-07/2024-09", "deadline"), ("2024-08", "deadline")]


def test_issue_date_of_a_reference():
    e = extract("theo Kế hoạch số 97/KH-SKHCN ngày 28/12/2023 về cải cách", "2024-08-22")
    assert [(d.value, d.role) for d in e.dates] == [("2023-12-28", "issued")]


def test_deadline_text_includes_its_cue():
    e = extract("gửi về Văn phòng Sở trước ngày 26/8/2024.", "2024-08-22")
    d = e.dates[0]
    assert d.text == "trước ngày 26/8/2024" == e.text[d.start:d.end]


def test_yearless_date_without_publication_takes_the_texts_year():
    e = extract("Hội nghị ngày 12/3/2023; báo cáo trước ngày 25/3.", None)
    assert [d.value for d in e.dates] == ["2023-03-12", "2023-03-25"]


@pytest.mark.parametrize("value,first,last", [
    ("2024-08-26", "2024-08-26", "2024-08-26"), ("2024-02", "2024-02-01", "2024-02-29"),
    ("2024-07/2024-09", "2024-07-01", "2024-09-30"), ("2024-10-21/2024-10-25", "2024-10-21", "2024-10-25"),
])
def test_day_bounds(value, first, last):
    assert (first_day(value), last_day(value)) == (first, last)
