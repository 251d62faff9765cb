"""The faster scanning structures find exactly what the plain ones find: spans by bisect,
gazetteer names by their first word, patterns led by a lookahead of their first characters.
Checked on every gold text and on random text built from the names and pieces they look for."""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from extractors import dates, units
from extractors.fastre import original, quick
from extractors.gazetteer import NamePattern, gazetteer
from extractors.normalize import match_view, normalize_text
from extractors.spans import Spans

FIXTURES = Path(__file__).parent / "fixtures"
VIEWS = [match_view(normalize_text(json.loads(p.read_text(encoding="utf-8"))["text"]))
         for folder in ("dev", "synth") for p in sorted((FIXTURES / folder).glob("*.json"))]


def _noise(seed: int, pieces: list[str], n: int = 300) -> str:
    """Pieces glued by separators that sit on the edges of the rules: spaces, dashes, slashes,
    digits, letters stuck to a piece, line breaks."""
    rng = random.Random(seed)
    glue = [" ", "  ", "\n", "-", " - ", "/", ", ", "2", "x", ".", "&", " và ", ""]
    return "".join(rng.choice(pieces) + rng.choice(glue) for _ in range(n))


def _same(fast, plain, text: str, pos: int = 0, endpos: int | None = None) -> None:
    args = (text, pos) if endpos is None else (text, pos, endpos)
    assert [(m.span(), m.groupdict()) for m in fast.finditer(*args)] == \
        [(m.span(), m.groupdict()) for m in plain.finditer(*args)]


@pytest.mark.parametrize("spans,queries", [
    ([], [0, 5]),
    ([(3, 7)], [2, 3, 6, 7]),
    ([(0, 10), (2, 4), (8, 9)], [0, 4, 9, 10]),
    ([(5, 6), (1, 20), (30, 31)], [0, 1, 19, 20, 25, 30, 31]),
])
def test_spans_cover_as_a_scan_of_every_span_does(spans, queries):
    s = Spans(spans)
    for p in queries:
        assert s.covers(p) == any(a <= p < b for a, b in spans)
        for q in range(p, p + 4):
            assert s.contains(p, q) == any(a <= p and q <= b for a, b in spans)


def test_spans_agree_with_a_scan_on_random_spans():
    rng = random.Random(7)
    for _ in range(200):
        spans = [(a, a + rng.randint(1, 15)) for a in (rng.randint(0, 60) for _ in range(rng.randint(0, 12)))]
        s = Spans(spans)
        for p in range(-2, 80):
            assert s.covers(p) == any(a <= p < b for a, b in spans)
            e = p + rng.randint(0, 10)
            assert s.contains(p, e) == any(a <= p and e <= b for a, b in spans)


GAZ = gazetteer()
NAME_PATTERNS = {"known": GAZ.known_re, "listed": GAZ.listed_re, "heads": GAZ.head_re, "positions": GAZ.position_re}


@pytest.mark.parametrize("name", NAME_PATTERNS)
def test_name_patterns_find_what_the_one_alternation_finds(name):
    fast = NAME_PATTERNS[name]
    names = [n.split(":", 1)[1] for n in GAZ.entries][:400]
    pieces = names + [w for n in names for w in n.split()][:300] + ["ubnd", "sở", "2731/ubnd-kgvx", "phòng"]
    texts = VIEWS + [_noise(seed, pieces) for seed in range(20)]
    for text in texts:
        _same(fast, fast.pattern, text)
        for pos, endpos in ((3, len(text) // 2), (len(text) // 3, len(text) - 5)):
            _same(fast, fast.pattern, text, pos, endpos)
        for pos in range(0, len(text), 7):
            a, b = fast.match(text, pos), fast.pattern.match(text, pos)
            assert (a and a.span()) == (b and b.span())


def test_a_name_pattern_refuses_a_name_that_begins_with_no_letter():
    with pytest.raises(ValueError):
        NamePattern(["sở", "1 cửa"])


SCANNED = {name: getattr(dates, name) for name in (
    "NUMERIC_DATE", "LONG_DATE", "YEARLESS_DATE", "WEEKDAY_SPAN", "DAY_SPAN", "TWO_DAYS", "MONTH",
    "YEARLESS_MONTH", "QUARTER", "MONTHS_OF_YEAR")} | {"LIST_INTRO": units.LIST_INTRO, "_BARE": units._BARE}
DATE_PIECES = ["ngày", "15/8/2024", "5-9-2024", "tháng 9", "tháng 9/2024", "quý iii/2024", "quý iv", "6 tháng đầu năm",
               "21-25/10/2024", "trong", "từ", "đến", "trước", "thứ hai", "chủ nhật (21-22/9)", "sáng 26/5", "12",
               "2024", "các phòng:", "ubnd huyện", "cục", "trung tâm", "1.2.2024", ",5/6/2023", "nhất", "năm"]


@pytest.mark.parametrize("name", SCANNED)
def test_quick_patterns_find_what_the_patterns_as_written_find(name):
    fast = SCANNED[name]
    plain = original(fast)
    texts = VIEWS + [_noise(seed, DATE_PIECES) for seed in range(30)]
    for text in texts:
        _same(fast, plain, text)
        _same(fast, plain, text, 5, len(text) - 3)


@pytest.mark.parametrize("source,sped_up", [
    (r"(?<![\d.,/\-])(?P<d>\d{1,2})/(?P<m>\d{1,2})", True),   # a lookbehind first: led by (?=[\d])
    (r"(?:^|(?<=\n)|(?<![^\W\d_])(?:trong|vào)\s+)tháng\s+\d", True),
    (r"ngày\s+\d", False),          # a literal first: the engine skips ahead by itself
    (r"(?<!x)a*", False),           # may match empty: nothing to lead with
    (r"(?<!x)(a)\1", True),         # a back reference later is fine, the first character is known
    (r"(?i)(?<!x)ngày", False),     # case-blind: left alone
    (r"(?m)(?<!x)^ab", True),       # global flags stay in force
])
def test_quick_leads_only_where_it_helps_and_keeps_the_matches(source, sped_up):
    pattern = re.compile(source)
    fast = quick(pattern)
    assert (fast is not pattern) == sped_up
    assert original(fast) is pattern
    for text in ["ngày 5", "xa", "aa ba ca", "trong tháng 9\ntháng 3", "12/3 ,4/5 7/8", "ab\nab xab", "NGÀY 1"]:
        _same(fast, pattern, text)
