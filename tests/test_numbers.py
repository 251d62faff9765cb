"""Canonical document numbers and their identity key (contract: "Canonical document numbers")."""
import pytest

from extractors.numbers import canonical_number, document_key

CANONICAL = [
    ("844/SKHCN_VP", "844/SKHCN-VP"),
    ("1820/QD-UBND", "1820/QĐ-UBND"),
    ("15/kh-skhcn", "15/KH-SKHCN"),
    ("97 /KH- SKHCN", "97/KH-SKHCN"),
    ("19/2014/QĐ-TTg", "19/2014/QĐ-TTG"),
    ("19/2014/QD-TTg", "19/2014/QĐ-TTG"),
    ("57-NQ/TW", "57-NQ/TW"),
    ("30/2020/ND-CP", "30/2020/NĐ-CP"),
    ("27/2015/TTLT-BKHCN-BTC", "27/2015/TTLT-BKHCN-BTC"),
    ("2731/UBND\u2013KGVX", "2731/UBND-KGVX"),
    ("07/TB-SKHCN", "07/TB-SKHCN"),  # leading zeros kept
    ("29/2013/QH13", "29/2013/QH13"),
    ("123/SNV-ND", "123/SNV-ND"),  # ND as a unit code, not a type code: untouched
    ("12/HD-SKHCN", "12/HD-SKHCN"),  # HD is Hướng dẫn, not HĐ
    ("1820/Q\u0110-UBND".lower(), "1820/QĐ-UBND"),  # đ upper-cased
    ("1820/QĐ\u00a0-\u200bUBND", "1820/QĐ-UBND"),  # NBSP and zero-width space
]


@pytest.mark.parametrize("raw, expected", CANONICAL)
def test_canonical_number(raw, expected):
    assert canonical_number(raw) == expected


SAME_DOCUMENT = [
    ("1961/QĐUBND", "1961/QĐ-UBND", "01961/QD-UBND"),
    ("07/TB-SKHCN", "7/TB-SKHCN", "07/TB_SKHCN"),
    ("97/KH-SKHCN", "97 /kh- skhcn"),
]


@pytest.mark.parametrize("spellings", SAME_DOCUMENT)
def test_document_key_shared(spellings):
    assert len({document_key(s) for s in spellings}) == 1


def test_document_key_distinguishes():
    assert document_key("97/KH-SKHCN") != document_key("97/TB-SKHCN")
    assert document_key("10/QĐ-UBND") != document_key("100/QĐ-UBND")
