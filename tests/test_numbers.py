"""Canonical document numbers and their identity key (contract: "Canonical document numbers")."""
import pytest

from extractors.numbers import canonical_number, document_key

CANONICAL = [
    ("844/SKHCN_VP", "844/SKHCN-VP"),
    ("1820/QD-UBND", "1820/QĐ-UBND"),
    ("15/kh-skhcn", "15/KH-SKHCN"),
    ("97 /KH- SKHCN", "97/KH-SKHCN"),
    ("19/2014/QĐ-TTg", "19/2014/QĐ-TTg"),
    ("19/2014/QD-TTg", "19/2014/QĐ-TTg"),
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
    # as real agencies write them (issue 13): the official case of TTg/TTr/CTr, "&", "/" and "."
    # inside, a year after a dash, Party numbers without their dash, OCR noise
    ("05/CT-TTG", "05/CT-TTg"), ("45/ttr-skhcn", "45/TTr-SKHCN"), ("21-ctr/tu", "21-CTr/TU"),
    ("12/TTg-KTTH", "12/TTg-KTTH"),
    ("215/SVHTT&DL-QLVH", "215/SVHTT&DL-QLVH"), ("88/TTr - NN&PTNT", "88/TTr-NN&PTNT"),
    ("61/2012/TTLT/BTC-BNV", "61/2012/TTLT/BTC-BNV"), ("152/2004/QĐ.TTg", "152/2004/QĐ.TTg"),
    ("35-2021/NQ-CP", "35/2021/NQ-CP"), ("112 QĐ/TWĐTN", "112-QĐ/TWĐTN"), ("31HD/TWĐTN", "31-HD/TWĐTN"),
    ("412-KH/TWĐTN-TNNT", "412-KH/TWĐTN-TNNT"),
    ("52/N Q-CP", "52/NQ-CP"), ("41-CT/T'W", "41-CT/TW"), ("77/CĐ- -TTg", "77/CĐ-TTg"),
    ("305/QĐ\u00d0-UBND", "305/QĐ-UBND"), ("305/Q\u00d0-UBND", "305/QĐ-UBND"), ("61/TIr-SYT", "61/TTr-SYT"),
    ("30c/NQCP", "30C/NQ-CP"), ("445-KL/TƯ", "445-KL/TU"), ("12/TƯ-VP", "12/TƯ-VP"),
    ("12/SKH-VP", "12/SKH-VP"),  # no known code glued: untouched
    ("5KM/H", "5KM/H"),  # not a Party number: KM is no type code
]


@pytest.mark.parametrize("raw, expected", CANONICAL)
def test_canonical_number(raw, expected):
    assert canonical_number(raw) == expected


SAME_DOCUMENT = [
    ("1961/QĐUBND", "1961/QĐ-UBND", "01961/QD-UBND"),
    ("07/TB-SKHCN", "7/TB-SKHCN", "07/TB_SKHCN"),
    ("97/KH-SKHCN", "97 /kh- skhcn"),
    ("19/2014/QĐ-TTg", "19/2014/QD-TTG", "19/2014/qđ-ttg"),  # identity is case-blind
    ("152/2004/QĐ.TTg", "152/2004/QĐ-TTg"),
    ("61/2012/TTLT/BTC-BNV", "61/2012/TTLT-BTC-BNV"),
    ("112 QĐ/TWĐTN", "112-QĐ/TWĐTN"),
]


@pytest.mark.parametrize("spellings", SAME_DOCUMENT)
def test_document_key_shared(spellings):
    assert len({document_key(s) for s in spellings}) == 1


def test_document_key_distinguishes():
    assert document_key("97/KH-SKHCN") != document_key("97/TB-SKHCN")
    assert document_key("10/QĐ-UBND") != document_key("100/QĐ-UBND")
