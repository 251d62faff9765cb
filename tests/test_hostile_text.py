"""Text built to hurt the patterns: long runs of one shape that once cost a recursion per head
noun or a rescan of the text per item. Each must simply come back with a sane result."""
import pytest

from extractors import extract

CASES = {
    "a run of head nouns": ("Phòng Quản lý " * 5000, 1),
    "a run of office names": ("Văn phòng Sở " * 5000, 1),
    "an address-like word": ("a" * 50000 + "@", 0),
    "a dotted word": (".".join(["ab"] * 20000), 0),
    "list labels without breaks": ("1. a\n" * 20000, 0),
    "a long symbol": ("1/" + "a-" * 20000 + "é", 0),
    "upper-case heads": ("ỦY BAN NHÂN DÂN " * 3000, 0),
    # symbols that go on through dots, spaces and dashes (issue 13's separators)
    "a symbol of dotted codes": ("12/" + "qđ." * 8000, 0),
    "a symbol of spaced codes": ("12/QĐ-" + "UBND VX-" * 8000, 0),
    "doubled dashes": ("12/CĐ" + "- -" * 8000 + "TTg", 0),
    "dashed slugs": ("quyết định 1-2012-" + "ab-" * 8000, 0),
}


@pytest.mark.parametrize("name", CASES)
def test_hostile_text(name):
    text, units = CASES[name]
    e = extract(text, "2024-01-01")
    assert len(e.units) == units
    assert e.text == e.text.strip()


def test_many_items_many_units():
    block = "Kết luận như sau:\n\n" + "".join(
        f"{i}. Phòng Quản lý Khoa học báo cáo Kế hoạch số {i}/KH-SKHCN trước ngày 5/5/2024.\n\n" for i in range(1, 100))
    e = extract(block * 20, "2024-01-01")
    assert len(e.tasks) == 20 * 99
    assert all(t.lead_units == ["Phòng Quản lý Khoa học"] and t.deadline == "2024-05-05" for t in e.tasks)
    assert e.tasks[41].references == ["42/KH-SKHCN"]
    assert {r.issued for r in e.references} == {None}  # a due date after a number is not its issue date
