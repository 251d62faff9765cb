"""Pure helpers behind the store: search text, sentences, date bounds, years, symbols."""
import pytest

from extractors.dates import day_bounds as value_bounds
from pipeline.rows import fold_accents, mention_year, sentence_at, sentence_bounds, split_symbol


@pytest.mark.parametrize("text, folded", [
    ("Đổi mới sáng tạo", "doi moi sang tao"),
    ("CẢI CÁCH HÀNH CHÍNH", "cai cach hanh chinh"),
    ("Quyết định số 1820/QĐ-UBND", "quyet dinh so 1820/qd-ubnd"),
    ("Ủy ban nhân dân tỉnh Quảng Trị", "uy ban nhan dan tinh quang tri"),
    ("Đo lường Chất lượng", "do luong chat luong"),
    ("Cu\u0309a", "cua"),  # NFD input folds the same
])
def test_fold_accents(text, folded):
    assert fold_accents(text) == folded


@pytest.mark.parametrize("value, bounds", [
    ("2024-08-26", ("2024-08-26", "2024-08-26")),
    ("2024-09", ("2024-09-01", "2024-09-30")),
    ("2024-02", ("2024-02-01", "2024-02-29")),
    ("2024-01/2024-07", ("2024-01-01", "2024-07-31")),
    ("2024-07/2024-09", ("2024-07-01", "2024-09-30")),
    ("2024-08-01/2024-08-15", ("2024-08-01", "2024-08-15")),
    ("2024", ("2024-01-01", "2024-12-31")),
    ("2024-02-30", (None, None)),
    ("soon", (None, None)),
    (None, (None, None)),
])
def test_value_bounds(value, bounds):
    assert value_bounds(value) == bounds


@pytest.mark.parametrize("number, issued, year", [
    ("30/2020/NĐ-CP", None, 2020),
    ("30/2020/NĐ-CP", "2020-03-05", 2020),
    ("29/2013/QH13", None, 2013),
    ("97/KH-SKHCN", "2023-12-28", 2023),
    ("97/KH-SKHCN", None, None),
    ("57-NQ/TW", "2024-12-22", 2024),
])
def test_mention_year(number, issued, year):
    assert mention_year(number, issued) == year


@pytest.mark.parametrize("number, parts", [
    ("97/KH-SKHCN", ("KH", "SKHCN")),
    ("1820/QĐ-UBND", ("QĐ", "UBND")),
    ("844/SKHCN-VP", (None, "SKHCN")),
    ("2731/UBND-KGVX", (None, "UBND")),
    ("30/2020/NĐ-CP", ("NĐ", "CP")),
    ("27/2015/TTLT-BKHCN-BTC", ("TTLT", "BKHCN-BTC")),
    ("29/2013/QH13", (None, "QH13")),
    ("57-NQ/TW", ("NQ", "TW")),
    ("1961/QĐUBND", (None, "QĐUBND")),
])
def test_split_symbol(number, parts):
    assert split_symbol(number) == parts


TEXT = ("Ngày 15/8/2024, Sở họp. Tổng lượt truy cập: 3.513.363 lượt.\n\n"
        "1. Căn cứ Kế hoạch số 15/KH-SKHCN ngày 12/01/2024; Thông báo số 07/TB-SKHCN.\n"
        "2. Gửi về TP. Đông Hà trước ngày 10/11/2024. Hết!")


@pytest.mark.parametrize("needle, sentence", [
    ("Sở họp", "Ngày 15/8/2024, Sở họp."),
    ("3.513.363", "Tổng lượt truy cập: 3.513.363 lượt."),
    ("07/TB-SKHCN", "1. Căn cứ Kế hoạch số 15/KH-SKHCN ngày 12/01/2024; Thông báo số 07/TB-SKHCN."),
    ("10/11/2024", "2. Gửi về TP. Đông Hà trước ngày 10/11/2024."),
])
def test_sentence_at(needle, sentence):
    start = TEXT.index(needle)
    assert sentence_at(TEXT, sentence_bounds(TEXT), start, start + len(needle)) == sentence


def test_sentence_at_rejects_bad_spans():
    starts = sentence_bounds(TEXT)
    assert sentence_at(TEXT, starts, -1, 3) is None
    assert sentence_at(TEXT, starts, 5, len(TEXT) + 1) is None
