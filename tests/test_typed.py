"""A number as a user types or pastes it (`notices audit`): every spelling reads the same number."""
import pytest

from pipeline.typed import NotANumber, TypedNumber, read_typed


@pytest.mark.parametrize("typed, number, year", [
    ("1820/QĐ-UBND", "1820/QĐ-UBND", None),
    ("1820/QD-UBND", "1820/QĐ-UBND", None),
    ("  97 /kh- skhcn ", "97/KH-SKHCN", None),
    ("1820 QD UBND", "1820/QĐ-UBND", None),
    ("１８２０／ＱĐ－ＵＢＮＤ", "1820/QĐ-UBND", None),  # full-width digits and letters
    ("１８２０/QĐ-UBND", "1820/QĐ-UBND", None),
    ("Quyết định số 1820/QĐ-UBND ngày 24/7/2024 của Chủ tịch UBND tỉnh", "1820/QĐ-UBND", 2024),
    ("Kế hoạch số 97/KH-SKHCN ngày 28/12/2023", "97/KH-SKHCN", 2023),
    ("theo Nghị định 30/2020/NĐ-CP", "30/2020/NĐ-CP", None),
    ("30 2020 ND CP", "30/2020/NĐ-CP", None),
    ("Nghị quyết số 57-NQ/TW", "57-NQ/TW", None),
    ("1820", "1820", None),
])
def test_every_spelling_reads_the_same_number(typed, number, year):
    read = read_typed(typed)
    assert (read.number, read.year) == (number, year)


def test_a_space_separated_pair_may_be_a_party_number():
    assert read_typed("57 NQ TW") == TypedNumber("57/NQ-TW", None, ("57-NQ/TW",))


@pytest.mark.parametrize("typed, message", [
    ("", "no document number given"),
    ("   ", "no document number given"),
    ("hello", "“hello” is not a document number"),
    ("QĐ-UBND", "“QĐ-UBND” is not a document number"),
    ("a/b", "“a/b” is not a document number"),
])
def test_what_holds_no_number_is_refused_with_one_line(typed, message):
    with pytest.raises(NotANumber) as error:
        read_typed(typed)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)
