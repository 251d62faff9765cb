"""Legacy Vietnamese fonts: the TCVN3 and VNI tables (data), detection, conversion before normalization."""
from __future__ import annotations

import unicodedata
from collections import Counter

import pytest

from extractors.normalize import normalize_text
from pipeline.attach import legacy, read_attachment
from tests import docgen

# Every Vietnamese letter: the 12 vowels with each of the six tones, and đ — both cases.
_BASES = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
LETTERS = sorted(({unicodedata.normalize("NFC", b + t) for b in _BASES for t in _TONES} | {"đ"}) - set("aeiouy"))
ALL = LETTERS + [c.upper() for c in LETTERS]


def test_tables_have_every_letter_once():
    t = legacy.tables()
    assert len(LETTERS) == 67
    assert len(t["tcvn3"]) == 74  # 67 small letters + the 7 capitals with a code of their own
    assert set(t["tcvn3"]) == set(LETTERS) | set("ĂÂÊÔƠƯĐ")
    assert len(t["vni"]) == 134 and set(t["vni"]) == set(ALL)
    for enc in ("tcvn3", "vni"):
        values = list(t[enc].values())
        assert len(values) == len(set(values)), f"{enc}: two letters share a code"
        assert all(all(0x20 < ord(c) < 0x100 for c in v) for v in values)


@pytest.mark.parametrize("encoding, letters", [("tcvn3", LETTERS + list("ĂÂÊÔƠƯĐ")), ("vni", ALL)])
def test_round_trip_over_every_letter(encoding, letters):
    for letter in letters:
        assert legacy.decode(legacy.encode(letter, encoding), encoding) == letter
    words = " ".join("t" + c + "ng" for c in letters)  # each letter inside a word
    assert legacy.decode(legacy.encode(words, encoding), encoding) == words


@pytest.mark.parametrize("typed, encoding, capitals, unicode", [
    ("Th«ng b¸o", "tcvn3", False, "Thông báo"),
    ("Së Khoa häc vµ C«ng nghÖ", "tcvn3", False, "Sở Khoa học và Công nghệ"),
    ("tr\u00adêng", "tcvn3", False, "trường"),             # "ư" is U+00AD, the soft hyphen
    ("quyÕt ®Þnh", "tcvn3", False, "quyết định"),
    ("th«ng b¸o kÕt luËn", "tcvn3", True, "THÔNG BÁO KẾT LUẬN"),  # .VnTimeH: small codes drawn as capitals
    ("Thoâng baùo", "vni", False, "Thông báo"),
    ("Sôû Khoa hoïc vaø Coâng ngheä", "vni", False, "Sở Khoa học và Công nghệ"),
    ("tröôøng", "vni", False, "trường"),
    ("quyeát ñònh", "vni", False, "quyết định"),
    ("UÛY BAN NHAÂN DAÂN", "vni", False, "ỦY BAN NHÂN DÂN"),
])
def test_decode(typed, encoding, capitals, unicode):
    assert legacy.decode(typed, encoding, capitals) == unicode


def test_normalization_would_eat_tcvn3_u_horn():
    # Why conversion must come first: normalize_text deletes U+00AD, TCVN3's "ư".
    assert normalize_text("tr\u00adêng") == "trêng"


@pytest.mark.parametrize("text, expected", [
    ("Thông báo kết luận của Giám đốc Sở Khoa học và Công nghệ", None),
    ("Th«ng b¸o kÕt luËn cña Gi¸m ®èc Së Khoa häc vµ C«ng nghÖ", "tcvn3"),
    ("Thoâng baùo keát luaän cuûa Giaùm ñoác Sôû Khoa hoïc vaø Coâng ngheä", "vni"),
    ("Report on the meeting of 12 July, café and naïve résumé", None),
    ("97/KH-SKHCN ngày 28/12/2023", None),
    ("Kế hoạch số 12/KH-UBND — « trích dẫn » ¸", None),  # a stray symbol in Unicode text
])
def test_detect(text, expected):
    assert legacy.detect(text) == expected


@pytest.mark.parametrize("font, expected", [
    (".VnTime", ("tcvn3", False)), (".VnTimeH", ("tcvn3", True)), (".VnArial", ("tcvn3", False)),
    ("ABCDEF+.VnTime", ("tcvn3", False)), ("VnTimeH", ("tcvn3", True)), ("MPDFAB+.VnTimeHBold", ("tcvn3", True)),
    (".VnTimeH,Bold", ("tcvn3", True)), (".VnTime-Bold", ("tcvn3", False)), (".VnArialH", ("tcvn3", True)), ("VNI-Times", ("vni", False)),
    ("BCDEEE+VNI-Helve", ("vni", False)), ("Times New Roman", (None, False)), ("DejaVuSerif", (None, False)),
    (None, (None, False)),
])
def test_font_encoding(font, expected):
    assert legacy.font_encoding(font) == expected


@pytest.mark.parametrize("kind", ["docx-tcvn3", "docx-vni", "pdf-tcvn3", "pdf-vni"])
def test_legacy_documents_read_as_their_unicode_twin(kind):
    notice = docgen.load(docgen.FIXTURES / "dev" / "dev-01-ket-luan-giao-ban-quy-ii.json")
    twin = read_attachment(docgen.make(notice, kind.split("-")[0])).text
    got = read_attachment(docgen.make(notice, kind))
    assert got.legacy == kind.split("-")[1]
    # TCVN3 has no code for a capital with a tone outside a capital font: those come back small;
    # legacy strings have other widths, so a PDF's lines and columns fall elsewhere: the same
    # letters, whatever the lines.
    assert Counter(got.text.lower().replace(" ", "").replace("\n", "")) == \
        Counter(twin.lower().replace(" ", "").replace("\n", ""))
    assert "97/KH-SKHCN" in got.text and "3157/QĐ-UBND" in got.text
