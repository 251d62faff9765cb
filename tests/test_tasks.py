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


# ---- lists that direct nobody (issue 13: real texts; inputs written here in the same shape) ----

@pytest.mark.parametrize("text", [
    # objectives and requirements under the one Roman heading the text has, asked for with "yêu cầu"
    "UBND huyện ban hành Kế hoạch và yêu cầu các đơn vị thực hiện với những nội dung sau:\n"
    "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\nNâng cao nhận thức của cán bộ về chuyển đổi số.\n"
    "2. Yêu cầu\n- Phân công trách nhiệm cụ thể cho từng phòng.",
    # the same heading read by OCR with lost and swapped marks
    "Ban Thường vụ Huyện ủy yêu cau các chi bộ thực hiện các nội dung sau:\n"
    "I- MỤC TĨÊU, YÊU CÂU\n1. Bảo đảm các nguyên tắc tổ chức.\n2. Nghiên cứu sắp xếp các thôn.",
    # items whose own first lines are headings: purpose, requirement, subjects
    "Sở Y tế triển khai thực hiện Chương trình như sau:\n1. Mục đích\nBảo đảm sức khỏe học sinh.\n"
    "2. Yêu cầu\nPhối hợp chặt chẽ giữa các ngành.\n3. Đối tượng\nHọc sinh các trường trên địa bàn.",
    # an OCR'd heading without its vowel ("Mc đích")
    "Chủ tịch UBND tỉnh ban hành Kế hoạch triển khai như sau:\n1. Mc đích\n- Bảo đảm tuân thủ.\n"
    "2. Yêu cầu\n- Các cơ quan phải quán triệt và thực hiện đầy đủ.",
    # a decision approving a plan: its objectives
    "QUYẾT ĐỊNH:\nĐiều 1. Phê duyệt Quy hoạch phát triển với các nội dung chủ yếu như sau:\n"
    "1. Mục tiêu và phạm vi quy hoạch\na) Mục tiêu chung\nPhát triển bền vững.\nb) Phạm vi\nToàn tỉnh.",
    # a unit's standing functions and duties, even where one of them "chủ trì"
    "Điều 2. Nhiệm vụ và quyền hạn\nSở Nội vụ thực hiện những nhiệm vụ, quyền hạn cụ thể sau:\n"
    "1. Tham mưu giúp UBND tỉnh\na) Chủ trì xây dựng kế hoạch cải cách hành chính\n"
    "b) Theo dõi tình hình tổ chức bộ máy",
    "a) Theo dõi, tham mưu về lĩnh vực nội chính;\n\nb) Chủ trì, phối hợp với các phòng soạn thảo báo cáo tuần;\n\n"
    "c) Giúp Chánh Văn phòng giữ mối liên hệ với Văn phòng Tỉnh ủy;\n\nd) Thực hiện các nhiệm vụ khác được phân công.",
    # the clauses of a legal text's articles
    "Điều 8. Phiên họp Ủy ban nhân dân xã.\n1. Ủy ban nhân dân xã họp thường kỳ mỗi tháng một lần.\n"
    "2. Chủ tịch Ủy ban nhân dân xã triệu tập phiên họp bất thường khi cần thiết.",
    "Điều 7. Các cuộc họp của Ủy ban nhân dân huyện gồm:\n1. Phiên họp thường kỳ;\n2. Các hội nghị chuyên đề;\n"
    "3. Các cuộc họp giao ban.",
    # a plan's opening list whose section heading the excerpt lost: its purposes
    "UBND huyện ban hành Kế hoạch thực hiện Đề án chuyển đổi số năm 2024 như sau:\n"
    "1. Tiếp tục nâng cao nhận thức về chuyển đổi số là nhiệm vụ trọng tâm.\n"
    "2. Bảo đảm sự phối hợp chặt chẽ giữa các cơ quan, đơn vị trong triển khai thực hiện.",
    # answers to voters' petitions
    "Sở Giao thông vận tải xin trả lời các kiến nghị của cử tri như sau:\n"
    "1. Cử tri kiến nghị Sở Giao thông vận tải sửa chữa tuyến đường ĐT 575.\nHiện nay tuyến đường đã được bố trí vốn.\n"
    "2. Cử tri đề nghị lắp đèn tín hiệu tại ngã tư.\nSở đã chỉ đạo khảo sát.",
])
def test_non_directive_lists_have_no_tasks(text):
    assert tasks_of(text) == []


# ---- lists that do direct, with their leads ----

def test_letter_with_opinions_as_follows():
    # "có ý kiến như sau:" introduces directives; "Đồng ý X lập ..." makes X the lead.
    text = ("Xét đề nghị của UBND huyện Cam Lộ tại Tờ trình số 21/TTr-UBND ngày 03/8/2024, Phó Chủ tịch "
            "UBND tỉnh có ý kiến như sau:\n1. Đồng ý UBND huyện Cam Lộ lập Đề án phát triển rừng giai đoạn 2025-2030.\n"
            "2. Sở Nông nghiệp và Phát triển nông thôn chủ trì thẩm định Đề án, trình UBND tỉnh trước ngày 30/9/2024.")
    assert tasks_of(text) == [("1", ["UBND huyện Cam Lộ"], None),
                              ("2", ["Sở Nông nghiệp và Phát triển nông thôn"], "2024-09-30")]


def test_a_plan_list_that_assigns_work_is_tasks():
    text = ("UBND tỉnh ban hành Kế hoạch triển khai Chỉ thị số 20/CT-TTg như sau:\n"
            "1. Giao Sở Kế hoạch và Đầu tư chủ trì rà soát kế hoạch thanh tra năm 2024.\n"
            "2. Giao Thanh tra tỉnh tổng hợp kết quả, báo cáo trước ngày 15/12/2024.")
    assert tasks_of(text) == [("1", ["Sở Kế hoạch và Đầu tư"], None), ("2", ["Thanh tra tỉnh"], "2024-12-15")]


def test_article_clauses_that_assign_work_are_tasks():
    text = ("QUYẾT ĐỊNH:\nĐiều 1. Phê duyệt Đề án sắp xếp các đơn vị sự nghiệp.\nĐiều 2.\n"
            "1. Giao Giám đốc Sở Nội vụ chủ trì, phối hợp với các sở thực hiện Đề án.\n"
            "2. Giao Giám đốc Sở Tài chính chủ trì bố trí kinh phí.\n"
            "Điều 3. Chánh Văn phòng UBND tỉnh chịu trách nhiệm thi hành Quyết định này.")
    assert tasks_of(text) == [("1", ["Sở Nội vụ"], None), ("2", ["Sở Tài chính"], None)]


def test_cue_words_read_through_ocr():
    text = ("UBND tỉnh đề nghi các đơn vị thực hien như sau:\n1. Sở Y tế rà soát danh sách cơ sở, báo cáo trước ngày 15/7/2024.\n"
            "2. Sở Tài chính bố trí kinh phí.")
    assert tasks_of(text) == [("1", ["Sở Y tế"], "2024-07-15"), ("2", ["Sở Tài chính"], None)]


def test_lettered_parts_under_a_numbered_item_keep_their_own_leads():
    text = ("Chủ tịch UBND tỉnh kết luận như sau:\n1. Về thu ngân sách:\na) Cục Thuế tỉnh chủ trì rà soát nguồn thu, "
            "hoàn thành trong tháng 8/2024.\nb) Sở Tài chính tham mưu phương án điều hành ngân sách.\n"
            "2. Sở Kế hoạch và Đầu tư tổng hợp báo cáo.")
    assert tasks_of(text) == [("1.a", ["Cục Thuế tỉnh"], "2024-08"), ("1.b", ["Sở Tài chính"], None),
                              ("2", ["Sở Kế hoạch và Đầu tư"], None)]


def test_two_level_numbering_is_separate_items():
    text = ("Giám đốc Sở giao nhiệm vụ như sau:\n1. Văn phòng Sở tổng hợp báo cáo.\n2. Về chuyển đổi số:\n"
            "2.1. Phòng Quản lý Khoa học xây dựng kế hoạch trước ngày 10/9/2024.\n"
            "2.2. Thanh tra Sở kiểm tra việc thực hiện.\n3. Phòng Quản lý Công nghệ và Đổi mới sáng tạo theo dõi.")
    assert tasks_of(text) == [("1", ["Văn phòng Sở"], None), ("2.1", ["Phòng Quản lý Khoa học"], "2024-09-10"),
                              ("2.2", ["Thanh tra Sở"], None),
                              ("3", ["Phòng Quản lý Công nghệ và Đổi mới sáng tạo"], None)]


def test_a_label_repeated_in_two_lists_gets_two_paths():
    text = ("Đồng chí Giám đốc Sở kết luận như sau:\n1. Văn phòng Sở rà soát quy chế.\n2. Thanh tra Sở kiểm tra.\n\n"
            "Về công tác chuyên môn, Giám đốc Sở yêu cầu:\n1. Phòng Quản lý Khoa học đôn đốc tiến độ.\n"
            "2. Văn phòng Sở bố trí kinh phí.")
    ordinals = [o for o, _, _ in tasks_of(text)]
    assert ordinals == ["1", "2", "2.1", "2.2"] and len(set(ordinals)) == 4
    # where "2.1" is already a two-level label of the first list, the second list takes the next number
    text = ("Đồng chí Giám đốc Sở kết luận như sau:\n1. Văn phòng Sở rà soát quy chế.\n2. Về chuyển đổi số:\n"
            "2.1. Thanh tra Sở kiểm tra.\n2.2. Phòng Quản lý Khoa học báo cáo.\n\n"
            "Về công tác chuyên môn, Giám đốc Sở yêu cầu:\n1. Văn phòng Sở bố trí kinh phí.\n2. Thanh tra Sở tổng hợp.")
    assert [o for o, _, _ in tasks_of(text)] == ["1", "2.1", "2.2", "3.1", "3.2"]


def test_assessments_are_not_tasks():
    text = ("Chủ tịch UBND huyện kết luận như sau:\n1. Ghi nhận sự nỗ lực của các xã trong thời gian qua.\n"
            "2. Giao Phòng Nội vụ tham mưu kiện toàn tổ chức, hoàn thành trước ngày 30/10/2024.")
    assert tasks_of(text) == [("2", ["Phòng Nội vụ"], "2024-10-30")]
    text = ("UBND tỉnh kết luận:\n1. UBND tỉnh thống nhất đánh giá: tình hình kinh tế tiếp tục phục hồi.\n"
            "2. Sở Công Thương theo dõi sát diễn biến thị trường.")
    assert tasks_of(text) == [("2", ["Sở Công Thương"], None)]


def test_a_resolution_decides_tasks():
    text = ("NGHỊ QUYẾT\nCHÍNH PHỦ\nCăn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;\nQUYẾT NGHỊ:\n"
            "1. Về tình hình kinh tế - xã hội: Chính phủ thống nhất đánh giá tình hình chuyển biến tích cực.\n"
            "2. Về nhiệm vụ, giải pháp trong thời gian tới:\na) Bộ Tài chính chủ trì theo dõi giá cả, báo cáo "
            "Chính phủ trước ngày 20/10/2025.\nb) Bộ trưởng Bộ Xây dựng chỉ đạo đẩy nhanh các dự án giao thông.")
    assert tasks_of(text, "2025-10-05") == [("2.a", ["Bộ Tài chính"], "2025-10-20"), ("2.b", ["Bộ Xây dựng"], None)]


# ---- labels garbled by OCR, footnotes and page numbers ----

def test_ocr_roman_labels():
    text = ("KẾ HOẠCH\nJ. MỤC ĐÍCH, YÊU CẦU\n1. Nâng cao nhận thức.\nH. NỘI DUNG\n1. Tổ chức hội thảo.\n"
            "Il. TỔ CHỨC THỰC HIỆN\n1. Văn phòng Sở chủ trì tổ chức, hoàn thành trong quý IV/2024.\n"
            "2. Phòng Quản lý Khoa học phối hợp chuẩn bị tài liệu.")
    assert tasks_of(text) == [("III.1", ["Văn phòng Sở"], "2024-10/2024-12"),
                              ("III.2", ["Phòng Quản lý Khoa học"], None)]


def test_ocr_letter_dj_and_footnotes():
    text = ("Giám đốc Sở yêu cầu các đơn vị thực hiện:\na) Văn phòng Sở tổng hợp.\nb) Thanh tra Sở kiểm tra.\n"
            "c) Phòng Quản lý Khoa học rà soát.\nd) Văn phòng Sở bố trí phòng họp.\n"
            "8) Phòng Quản lý Công nghệ và Đổi mới sáng tạo báo cáo trước ngày 20/9/2024.")
    assert [o for o, _, _ in tasks_of(text)] == ["a", "b", "c", "d", "đ"]
    text = ("Chủ tịch UBND tỉnh kết luận như sau:\n1. Sở Tài chính rà soát các khoản chi thường xuyên.\n"
            "2 Cắt giảm 10% chi thường xuyên theo Nghị quyết của Chính phủ.\n4\n"
            "2. Sở Nội vụ trình phương án sắp xếp trước ngày 15/11/2024.")
    assert tasks_of(text) == [("1", ["Sở Tài chính"], None), ("2", ["Sở Nội vụ"], "2024-11-15")]


def test_ocr_first_label_and_spaced_dot():
    # "1." read as "l." or "I.", a dot set apart ("2 ."): the list is still found whole
    for first in ("l.", "I.", "1 ."):
        text = (f"Chủ tịch UBND tỉnh có ý kiến như sau:\n{first} Sở Tài chính thẩm định dự toán.\n"
                "2 . Sở Nội vụ trình phương án trước ngày 15/11/2024.")
        assert tasks_of(text) == [("1", ["Sở Tài chính"], None), ("2", ["Sở Nội vụ"], "2024-11-15")], first


# ---- leads written as titles, given once in an intro, or named inside a phrase ----

def test_leads_written_as_titles():
    text = ("Thủ tướng Chính phủ yêu cầu:\n1. Bộ trưởng Bộ Công Thương chủ động chỉ đạo bảo đảm cung ứng điện.\n"
            "2. Bộ trưởng các Bộ: Quốc phòng, Công an chủ động phương án cứu hộ.\n"
            "3. Chủ tịch Ủy ban nhân dân các tỉnh: Thái Nguyên, Lạng Sơn chỉ đạo sơ tán dân.\n"
            "4. Các Bộ, cơ quan trực thuộc Chính phủ:\n- Theo dõi chặt chẽ diễn biến.")
    assert tasks_of(text, "2025-10-01") == [
        ("1", ["Bộ Công Thương"], None), ("2", ["Bộ Quốc phòng", "Bộ Công an"], None),
        ("3", ["UBND tỉnh Thái Nguyên", "UBND tỉnh Lạng Sơn"], None),
        ("4", [], None),  # "trực thuộc Chính phủ" names the parent of a generic phrase, no lead
    ]


def test_more_leads_written_as_titles():
    text = ("Thủ tướng Chính phủ yêu cầu:\n1. Thống đốc Ngân hàng Nhà nước Việt Nam chỉ đạo giãn nợ.\n"
            "2. Tổng Giám đốc Tập đoàn Điện lực Việt Nam bảo đảm cung ứng điện.\n"
            "3. Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ theo dõi, đôn đốc.\n"
            "4. Tổng Thanh tra Chính phủ chỉ đạo thanh tra.\n"
            "5. Đài Truyền hình Việt Nam, Thông tấn xã Việt Nam tăng cường thông tin.")
    assert tasks_of(text, "2025-09-01") == [
        ("1", ["Ngân hàng Nhà nước Việt Nam"], None), ("2", ["Tập đoàn Điện lực Việt Nam"], None),
        ("3", ["Văn phòng Chính phủ"], None), ("4", ["Thanh tra Chính phủ"], None),
        ("5", ["Đài Truyền hình Việt Nam", "Thông tấn xã Việt Nam"], None)]
    text = ("Thủ tướng Chính phủ yêu cầu:\n1. Chủ tịch Ủy ban nhân dân các tỉnh, thành phố: Quảng Ninh, Hải Phòng "
            "chủ động sơ tán dân.\n2. Bộ Quốc phòng sẵn sàng lực lượng.")
    assert tasks_of(text, "2025-09-01")[0] == ("1", ["UBND tỉnh Quảng Ninh", "UBND thành phố Hải Phòng"], None)


def test_lead_given_once_in_the_intro():
    text = ("Giao Sở Y tế chủ trì, phối hợp với các đơn vị liên quan thực hiện các nội dung sau:\n"
            "1. Rà soát các cơ sở khám chữa bệnh, hoàn thành trước ngày 15/8/2024.\n"
            "2. Thanh tra Sở kiểm tra việc niêm yết giá.")
    assert tasks_of(text) == [("1", ["Sở Y tế"], "2024-08-15"), ("2", ["Thanh tra Sở"], None)]


# ---- deadlines the date roles miss ----

def test_deadlines_written_loosely():
    text = ("Chủ tịch UBND tỉnh có ý kiến như sau:\n1. Sở Tài chính tổng hợp, báo cáo trước 31 tháng 12 năm 2025 (nếu có).\n"
            "2. Sở Tư pháp hoàn chỉnh dự thảo, trình UBND tỉnh vào tháng 10/2025.\n"
            "3. Sở Nội vụ hoàn thành trong quý IV/2025.\n4. Sở Y tế hoàn thành trong quý lV/2025.")
    assert tasks_of(text, "2025-08-01") == [("1", ["Sở Tài chính"], "2025-12-31"), ("2", ["Sở Tư pháp"], "2025-10"),
                                            ("3", ["Sở Nội vụ"], "2025-10/2025-12"),
                                            ("4", ["Sở Y tế"], "2025-10/2025-12")]  # OCR's "lV" for IV


def test_sections_lettered_in_capitals_are_paths():
    text = ("Bộ Giáo dục và Đào tạo đề nghị các Sở thực hiện các nội dung sau:\nA. NHIỆM VỤ CHUNG\n"
            "1. Sở Giáo dục và Đào tạo tỉnh Quảng Trị rà soát mạng lưới trường.\n"
            "B. NHIỆM VỤ CỤ THỂ\n1. Phòng Giáo dục và Đào tạo huyện Cam Lộ tổ chức dạy học 2 buổi/ngày.")
    assert [o for o, _, _ in tasks_of(text)] == ["A.1", "B.1"]


# ---- a whole conclusion notice as OCR gives it (written here; the shape of the real ones) ----

OCR_CONCLUSION = """VĂN PHÒNG CHÍNH PHỦ
Số: 412/TB-VPCP
THÔNG BÁO
Kết luận của Thủ tướng Chính phủ tại cuộc họp về phòng, chống thiên tai
Ngày 10 tháng 9 năm 2025, Thủ tướng Chính phủ chủ trì cuộc họp. Sau khi nghe báo cáo, Thủ tướng Chính phủ kết luận như sau:
J. ĐÁNH GIÁ CHUNG
Ghi nhận, biểu dương các Bộ, ngành, địa phương đã chủ động triển khai công tác ứng phó.
H. NHIỆM VỤ THỜI GIAN TỚI
1. Bộ trưởng các Bộ: Quốc phòng, Công an chủ động bố trí lực lượng, phương tiện sẵn sàng cứu hộ.
2. Bộ trưởng Bộ Nông nghiệp và Môi trường:
a) Chủ trì theo dõi chặt chẽ diễn biến thiên tai, báo cáo Thủ tướng Chính phủ trước ngày 30/9/2025.
b) Hướng dẫn các địa phương khắc phục hậu quả trong quý lV/2025.
2 Theo Báo cáo số 115/BC-BNNMT ngày 08/9/2025.
3. Chủ tịch Ủy ban nhân dân các tỉnh: Thái Nguyên, Lạng Sơn, Cao Bằng khẩn trương sơ tán dân khỏi vùng nguy hiểm; báo cáo kết quả trước 31 tháng 12 năm 2025 (nếu có).
4
4. Các Bộ, cơ quan trực thuộc Chính phủ theo chức năng, nhiệm vụ được giao chủ động phối hợp thực hiện.
Il. TỔ CHỨC THỰC HIỆN
Giao Bộ Công an chủ trì, phối hợp với các cơ quan liên quan thực hiện các yêu cầu sau:
1. Bảo đảm an ninh trật tự tại các khu vực sơ tán.
2. Bộ Y tế bảo đảm thuốc men, vật tư y tế; hoàn thành trước ngày 15/10/2025.
Văn phòng Chính phủ thông báo để các cơ quan biết, thực hiện."""


def test_a_whole_ocr_conclusion():
    """OCR'd Roman labels (J./H./Il.), an assessment section, leads as titles and as a list of
    provinces, a lead given once in an intro, a footnote line and a page number inside the list,
    a deadline without "ngày" and one in an OCR'd quarter; "NHIỆM VỤ" and "TỔ CHỨC THỰC HIỆN"
    both direct in a conclusion."""
    assert tasks_of(OCR_CONCLUSION, "2025-09-12") == [
        ("II.1", ["Bộ Quốc phòng", "Bộ Công an"], None),
        ("II.2.a", ["Bộ Nông nghiệp và Môi trường"], "2025-09-30"),
        ("II.2.b", ["Bộ Nông nghiệp và Môi trường"], "2025-10/2025-12"),
        ("II.3", ["UBND tỉnh Thái Nguyên", "UBND tỉnh Lạng Sơn", "UBND tỉnh Cao Bằng"], "2025-12-31"),
        ("II.4", [], None),
        ("III.1", ["Bộ Công an"], None),
        ("III.2", ["Bộ Y tế"], "2025-10-15"),
    ]
