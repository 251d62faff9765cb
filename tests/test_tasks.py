"""Tasks: which lists are directives, ordinals (paths where nested), lead units, deadlines."""
import json
from pathlib import Path

import pytest

from extractors import extract

FIXTURES = Path(__file__).parent / "fixtures"


def tasks_of(text, published="2024-08-22"):
    return [(t.ordinal, t.lead_units, t.deadline) for t in extract(text, published).tasks]


def test_seed_six_tasks():
    gold = json.loads((FIXTURES / "dev" / "seed-cchc-2024-08.json").read_text(encoding="utf-8"))
    tasks = extract(gold["text"], gold["published"]).tasks
    assert [(t.ordinal, t.lead_units, t.deadline) for t in tasks] == [
        ("1", [], None),
        ("2", ["Phòng Quản lý Công nghệ và Đổi mới sáng tạo", "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng",
               "Văn phòng Sở", "Trung tâm Nghiên cứu, chuyển giao công nghệ và Đổi mới sáng tạo"], "2024-11-10"),
        ("3", ["Phòng Quản lý Công nghệ và Đổi mới sáng tạo", "Phòng Quản lý Khoa học"], "2024-08-26"),
        ("4", ["Trung tâm Nghiên cứu, chuyển giao công nghệ và Đổi mới sáng tạo"], "2024-11-15"),
        ("5", ["Văn phòng Sở"], "2024-09"),
        ("6", ["Phòng Quản lý Công nghệ và Đổi mới sáng tạo"], "2024-11-15"),
    ]
    assert tasks[0].references == ["15/KH-SKHCN", "07/TB-SKHCN", "20/TB-SKHCN", "844/SKHCN-VP"]
    assert tasks[4].references == ["75/KH-SKHCN"]


CONCLUSION = """Sau khi nghe báo cáo, đồng chí Giám đốc Sở kết luận như sau:

1. Văn phòng Sở chủ trì, phối hợp với Phòng Quản lý Khoa học xây dựng dự toán, gửi Sở Tài chính thẩm định; hoàn thành trong tháng 8/2024.

2. Giao Phòng Quản lý Khoa học tổng hợp, báo cáo Giám đốc Sở trong quý III/2024.

3. Đề nghị Sở Tài chính, Sở Kế hoạch và Đầu tư cho ý kiến, gửi Sở Khoa học và Công nghệ trước ngày 30/9.

4. Các phòng, đơn vị thuộc Sở tiếp tục thực hiện nghiêm các nhiệm vụ được giao.

5. Căn cứ nhiệm vụ được giao, Thanh tra Sở chủ trì kiểm tra việc thực hiện, báo cáo kết quả về Văn phòng Sở chậm nhất ngày 15/10/2024.

Văn phòng Sở có trách nhiệm theo dõi, đôn đốc việc thực hiện các nội dung kết luận tại Thông báo này."""


def test_conclusion_items():
    assert tasks_of(CONCLUSION) == [
        ("1", ["Văn phòng Sở"], "2024-08"),  # "phối hợp với" units and report recipients do not lead
        ("2", ["Phòng Quản lý Khoa học"], "2024-07/2024-09"),
        ("3", ["Sở Tài chính", "Sở Kế hoạch và Đầu tư"], "2024-09-30"),
        ("4", [], None),  # a generic subject leads nobody
        ("5", ["Thanh tra Sở"], "2024-10-15"),  # the unit that "chủ trì"
    ]


PLAN = """Kế hoạch tổ chức Ngày hội

I. MỤC ĐÍCH, YÊU CẦU

1. Mục đích
- Tuyên truyền sâu rộng.

2. Yêu cầu
- Thiết thực, hiệu quả.

II. NỘI DUNG

1. Tổ chức trưng bày sản phẩm từ ngày 10/5/2024 đến ngày 20/5/2024.

III. TỔ CHỨC THỰC HIỆN

1. Văn phòng Sở:
- Chủ trì, phối hợp với các phòng, đơn vị triển khai Kế hoạch;
- Trình Giám đốc Sở phê duyệt dự toán trước ngày 06/5/2024.

2. Phòng Quản lý Khoa học:
Chủ trì, phối hợp với Trung tâm Nghiên cứu, chuyển giao công nghệ và Đổi mới sáng tạo tổ chức Tọa đàm.

3. Các phòng, đơn vị thuộc Sở báo cáo kết quả về Văn phòng Sở chậm nhất ngày 31/5/2024.

Trong quá trình triển khai, nếu có khó khăn, các đơn vị phản ánh về Văn phòng Sở."""


def test_plan_tasks_only_under_to_chuc_thuc_hien():
    assert tasks_of(PLAN, "2024-04-19") == [
        ("III.1", ["Văn phòng Sở"], "2024-05-06"),
        ("III.2", ["Phòng Quản lý Khoa học"], None),
        ("III.3", [], "2024-05-31"),
    ]


def test_lettered_items_and_lists_sharing_a_head():
    text = ("Kết luận Hội nghị, đồng chí Giám đốc Sở yêu cầu các phòng, đơn vị thực hiện các nhiệm vụ sau:\n\n"
            "a) Văn phòng Sở chủ trì tổng hợp báo cáo, gửi UBND tỉnh trước ngày 15/7/2025.\n\n"
            "b) Các phòng: Quản lý Khoa học, Quản lý Công nghệ và Đổi mới sáng tạo tham mưu danh mục; "
            "hoàn thành trong tháng 8/2025.")
    assert tasks_of(text, "2025-07-09") == [
        ("a", ["Văn phòng Sở"], "2025-07-15"),
        ("b", ["Phòng Quản lý Khoa học", "Phòng Quản lý Công nghệ và Đổi mới sáng tạo"], "2025-08"),
    ]


def test_item_spanning_paragraphs():
    text = ("Giám đốc Sở giao nhiệm vụ như sau:\n\n1. Phòng Quản lý Khoa học rà soát danh mục nhiệm vụ.\n\n"
            "Nội dung rà soát gồm tiến độ và kinh phí; hoàn thành trước ngày 30/9/2024.\n\n"
            "2. Văn phòng Sở tổng hợp.")
    assert tasks_of(text) == [("1", ["Phòng Quản lý Khoa học"], "2024-09-30"), ("2", ["Văn phòng Sở"], None)]


@pytest.mark.parametrize("text", [
    # a numbered list of results is not a list of directives
    "Sở Khoa học và Công nghệ thông báo kết quả tuyển chọn như sau:\n\n1. Đề tài \"Nghiên cứu giống lạc\"\n"
    "- Tổ chức chủ trì: Viện Khoa học Kỹ thuật Nông nghiệp Bắc Trung Bộ.\n\n2. Dự án \"Ứng dụng IoT\"\n"
    "- Tổ chức chủ trì: Trường Đại học Nông Lâm, Đại học Huế.",
    # articles of a decision are not tasks
    "QUYẾT ĐỊNH:\n\nĐiều 1. Ban hành kèm theo Quyết định này Quy chế.\n\nĐiều 2. Quyết định có hiệu lực kể từ ngày ký.",
    # a news article
    "Ngày 26/5/2023, Hội đồng đã họp đánh giá, nghiệm thu đề tài. Các thành viên đánh giá cao tính ứng dụng.",
])
def test_not_tasks(text):
    assert tasks_of(text) == []


def test_lettered_parts_of_an_item_are_tasks_with_paths():
    text = ("Kế hoạch tiêm bổ sung\n\nI. MỤC TIÊU\n\n1. Mục tiêu chung\n\nIV. TỔ CHỨC THỰC HIỆN\n"
            "1. Sở Y tế\nChỉ đạo các đơn vị y tế triển khai chiến dịch.\n\n"
            "2. Các đơn vị y tế trực thuộc\n"
            "a) Trung tâm Kiểm soát bệnh tật tỉnh: chủ trì tiếp nhận, bảo quản vắc xin, hoàn thành trước ngày 15/11/2024.\n"
            "b) Bệnh viện Đa khoa tỉnh bố trí kíp cấp cứu.\n\n"
            "3. Phòng Giáo dục và Đào tạo:\na) Phối hợp lập danh sách trẻ;\nb) Tuyên truyền đến phụ huynh.")
    assert tasks_of(text, "2024-10-04") == [
        ("IV.1", ["Sở Y tế"], None),
        ("IV.2.a", ["Trung tâm Kiểm soát bệnh tật tỉnh"], "2024-11-15"),
        ("IV.2.b", ["Bệnh viện Đa khoa tỉnh"], None),
        ("IV.3.a", ["Phòng Giáo dục và Đào tạo"], None),  # the item's first line names the lead
        ("IV.3.b", ["Phòng Giáo dục và Đào tạo"], None),
    ]
