"""Units: canonical names from the gazetteer and from head-noun patterns, lists that share a
head noun, names with commas, positions and generic phrases that are not units."""
import pytest

from extractors import extract

CASES = [
    ("Ủy ban nhân dân tỉnh Quảng Trị ban hành; UBND tỉnh chỉ đạo; Uỷ ban nhân dân tỉnh", ["UBND tỉnh"]),
    ("Sở KH&CN phối hợp với Sở Khoa học và Công nghệ tỉnh Quảng Trị", ["Sở Khoa học và Công nghệ"]),
    ("báo cáo Văn phòng Sở; Văn phòng tổng hợp", ["Văn phòng Sở"]),
    ("Văn phòng UBND tỉnh và Văn phòng Sở", ["Văn phòng UBND tỉnh", "Văn phòng Sở"]),
    ("Các phòng: Quản lý Khoa học, Quản lý Công nghệ và Đổi mới sáng tạo tiến hành rà soát",
     ["Phòng Quản lý Khoa học", "Phòng Quản lý Công nghệ và Đổi mới sáng tạo"]),
    ("Các phòng, đơn vị: Quản lý Công nghệ và Đổi mới sáng tạo, Quản lý Tiêu chuẩn Đo lường Chất lượng; Văn phòng; "
     "Trung tâm Nghiên cứu, chuyển giao công nghệ và Đổi mới sáng tạo báo cáo",
     ["Phòng Quản lý Công nghệ và Đổi mới sáng tạo", "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng", "Văn phòng Sở",
      "Trung tâm Nghiên cứu, chuyển giao công nghệ và Đổi mới sáng tạo"]),
    ("Trưởng các phòng: Kế hoạch - Tài chính, Quản lý Khoa học chịu trách nhiệm",
     ["Phòng Kế hoạch - Tài chính", "Phòng Quản lý Khoa học"]),
    ("Trung tâm NC,CGCN&ĐMST tư vấn", ["Trung tâm Nghiên cứu, chuyển giao công nghệ và Đổi mới sáng tạo"]),
    ("có đại diện Sở Văn hóa, Thể thao và Du lịch, Sở Nông nghiệp và PTNT",
     ["Sở Văn hóa, Thể thao và Du lịch", "Sở Nông nghiệp và Phát triển nông thôn"]),
    ("Đề tài do Trường Đại học Khoa học, Đại học Huế chủ trì", ["Trường Đại học Khoa học, Đại học Huế"]),
    ("làm việc với Uỷ ban nhân dân huyện Hải Lăng; lãnh đạo UBND huyện, Phòng Nông nghiệp và Phát triển nông thôn huyện",
     ["UBND huyện Hải Lăng", "Phòng Nông nghiệp và Phát triển nông thôn huyện"]),
    ("triển khai tại Phòng Quản lý đô thị thành phố Đông Hà và UBND thành phố Đông Hà",
     ["Phòng Quản lý đô thị thành phố Đông Hà", "UBND thành phố Đông Hà"]),
    # units not in the gazetteer, found by their head noun
    ("Chi cục Trồng trọt và Bảo vệ thực vật phối hợp với Trung tâm Khuyến nông tỉnh",
     ["Chi cục Trồng trọt và Bảo vệ thực vật", "Trung tâm Khuyến nông tỉnh"]),
    ("Phòng Tài chính - Kế hoạch huyện Gio Linh thẩm định", ["Phòng Tài chính - Kế hoạch huyện Gio Linh"]),
    ("Hợp tác xã Dịch vụ nông nghiệp Hải Ba xây dựng quy chế", ["Hợp tác xã Dịch vụ nông nghiệp Hải Ba"]),
    ("Viện Khoa học Kỹ thuật Nông nghiệp Bắc Trung Bộ chủ trì", ["Viện Khoa học Kỹ thuật Nông nghiệp Bắc Trung Bộ"]),
    ("Công ty Cổ phần Cấp nước Quảng Trị ký kết", ["Công ty Cổ phần Cấp nước Quảng Trị"]),
    ("Cục Sở hữu trí tuệ hướng dẫn; tra cứu trên cơ sở dữ liệu của Cục tại địa chỉ", ["Cục Sở hữu trí tuệ"]),
    # positions are people; the unit after a position still counts
    ("Phó Giám đốc Sở Phan Thị Minh Nguyệt chủ trì", []),
    ("Giám đốc Trung tâm Nghiên cứu, chuyển giao công nghệ và Đổi mới sáng tạo; Chủ tịch UBND tỉnh",
     ["Trung tâm Nghiên cứu, chuyển giao công nghệ và Đổi mới sáng tạo", "UBND tỉnh"]),
    # generic phrases are not units
    ("các phòng, đơn vị thuộc Sở; các cơ quan liên quan; UBND các huyện, thị xã, thành phố; "
     "UBND huyện, thị xã, thành phố; hội nghị; thanh tra, kiểm tra", []),
    ("Thanh tra, kiểm tra việc chấp hành", []),
    ("2731/UBND-KGVX", []),
    # lists of places under a plural head
    ("Đề nghị UBND các huyện: Gio Linh, Vĩnh Linh và UBND thành phố Đông Hà chỉ đạo",
     ["UBND huyện Gio Linh", "UBND huyện Vĩnh Linh", "UBND thành phố Đông Hà"]),
    ("Đề nghị Trung tâm Dịch vụ nông nghiệp các huyện: Triệu Phong, Hải Lăng chỉ đạo",
     ["Trung tâm Dịch vụ nông nghiệp huyện Triệu Phong", "Trung tâm Dịch vụ nông nghiệp huyện Hải Lăng"]),
    ("phối hợp với Trung tâm Y tế các huyện, thị xã, thành phố triển khai", []),
    # items apart by ";" that hold commas; a name that lists its fields
    ("Các phòng: Công chức, viên chức; Tổ chức, biên chế và tổ chức phi chính phủ cử công chức",
     ["Phòng Công chức, viên chức", "Phòng Tổ chức, biên chế và tổ chức phi chính phủ"]),
    ("phối hợp với Trung tâm Văn hóa, Thể thao và Truyền thông huyện tuyên truyền",
     ["Trung tâm Văn hóa, Thể thao và Truyền thông huyện"]),
    # lower-case words inside names; a proper name closes a name
    ("Bệnh viện Đa khoa khu vực Triệu Hải và Trung tâm Y tế huyện Hướng Hóa thực hiện",
     ["Bệnh viện Đa khoa khu vực Triệu Hải", "Trung tâm Y tế huyện Hướng Hóa"]),
    ("Công ty Điện lực Quảng Trị đầu tư đường dây; Công ty TNHH Sản xuất bao bì Quảng Phát cam kết",
     ["Công ty Điện lực Quảng Trị", "Công ty TNHH Sản xuất bao bì Quảng Phát"]),
    ("Ban Quản lý dự án đầu tư xây dựng thị xã chỉ đạo nhà thầu", ["Ban Quản lý dự án đầu tư xây dựng thị xã"]),
    ("Phòng Công nghệ thông tin và Chuyển đổi số tham mưu", ["Phòng Công nghệ thông tin và Chuyển đổi số"]),
    ("Chi cục Dân số - Kế hoạch hóa gia đình báo cáo", ["Chi cục Dân số - Kế hoạch hóa gia đình"]),
    ("Ban Thường vụ Huyện ủy Gio Linh và Kế hoạch số 45/KH-UBND", ["Ban Thường vụ Huyện ủy Gio Linh", "Huyện ủy Gio Linh"]),
    # letterheads and county bodies named without their place in their own notices
    ("ỦY BAN NHÂN DÂN HUYỆN TRIỆU PHONG\n\nCăn cứ Nghị quyết của HĐND huyện về kế hoạch",
     ["UBND huyện Triệu Phong", "HĐND huyện"]),
    ("IV. CHẾ ĐỘ BÁO CÁO\nCác cơ quan báo cáo", []),
    # a short form names the Sở's own unit only when nothing longer is written
    ("Thanh tra huyện kiểm tra; Đảng ủy xã Gio Mỹ lãnh đạo", ["Thanh tra huyện", "Đảng ủy xã Gio Mỹ"]),
    ("Văn phòng Sở Tài chính chủ trì", ["Văn phòng Sở Tài chính"]),
    # real agencies (issue 13): ministries in a list that shares "Bộ", central bodies of the
    # mass organizations and of the Quốc hội, "&" in a ministry's name
    ("đề nghị Bộ trưởng các Bộ: Tài chính, Công an, Tài nguyên và Môi trường, Y tế chỉ đạo",
     ["Bộ Tài chính", "Bộ Công an", "Bộ Tài nguyên và Môi trường", "Bộ Y tế"]),
    ("theo Hướng dẫn của Ban Bí thư Trung ương Đoàn và Quy chế của Ban Chấp hành Trung ương Đoàn TNCS Hồ Chí Minh",
     ["Ban Bí thư Trung ương Đoàn", "Ban Chấp hành Trung ương Đoàn"]),
    ("Phó Chủ tịch Trung ương Hội Nông dân Việt Nam dự; Hội Liên hiệp Phụ nữ Việt Nam phối hợp",
     ["Hội Nông dân Việt Nam", "Hội Liên hiệp Phụ nữ Việt Nam"]),
    ("kiến nghị gửi Ban Dân nguyện, Ủy ban Thường vụ Quốc hội", ["Ban Dân nguyện", "Ủy ban Thường vụ Quốc hội"]),
    ("Thực hiện Công văn của Bộ Nông nghiệp & PTNT về nước sạch", ["Bộ Nông nghiệp và Phát triển nông thôn"]),
    ("Công điện gửi Tập đoàn Bưu chính Viễn thông; Ủy ban An toàn giao thông quốc gia; T.Ư Đoàn",
     ["Tập đoàn Bưu chính Viễn thông", "Ủy ban An toàn giao thông quốc gia"]),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_units(text, expected):
    assert [u.name for u in extract(text, "2024-08-22").units] == expected


def test_mentions_point_into_text():
    e = extract("Văn phòng Sở chủ trì, phối hợp với Phòng Quản lý Khoa học; Văn phòng Sở báo cáo.", "2024-08-22")
    office = e.units[0]
    assert office.name == "Văn phòng Sở" and len(office.mentions) == 2
    assert all(e.text[s:t] == "Văn phòng Sở" for s, t in office.mentions)


@pytest.mark.parametrize("text", [
    "Đề nghị UBND huyện Gio Linh chỉ đạo",
    "Đề nghị UBND các huyện: Gio Linh, Vĩnh Linh chỉ đạo",  # named from a list of places
])
def test_a_unit_has_the_kind_of_its_head_however_it_is_named(text):
    # The store keeps one kind per unit: if it depended on the phrasing, it would depend on which
    # notice was loaded last (a reparse changed it).
    assert {u.name: u.kind for u in extract(text, "2024-08-22").units}["UBND huyện Gio Linh"] == "ubnd"
