"""Date expressions of Vietnamese administrative text, their values and roles.

Stages: find atomic expressions (a day, a month, a quarter, "N tháng đầu năm"), join ranges
("từ ngày 10/5 đến ngày 20/5/2024", "21-25/10/2024"), then give each a role from the words
around it. The ``issued`` role is given by ``references`` (a date written with a number).
All patterns run on ``normalize.match_view`` text: lower-case, dashes folded.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from .fastre import quick
from .models import DateMention
from .spans import Spans

_YEAR = r"(?:19|20)\d\d"
_NOT_BEFORE = r"(?<![\d.,/\-])"
_NOT_AFTER = r"(?![\d]|[/.,\-]\d)"

# "15/8/2024", "15-8-2024", "15.8.2024" (one separator throughout)
NUMERIC_DATE = re.compile(
    _NOT_BEFORE + r"(?P<d>\d{1,2})\s?(?P<s>[/.\-])\s?(?P<m>\d{1,2})\s?(?P=s)\s?(?P<y>" + _YEAR + r")" + _NOT_AFTER)
# "ngày 05 tháng 9 năm 2024", "ngày 5 tháng 9" (year from context)
# Also as typed or scanned: glued ("ngày 04tháng 5"), without marks ("ngay 15 thang 9 nam 2025"),
# a slip of the tone mark ("thánh 5").
LONG_DATE = re.compile(
    r"ng[aàáảãạ][yỳýỷỹỵ]\s*(?P<d>\d{1,2})\s*th(?:áng|ang|ánh)\s+(?P<m>\d{1,2})"
    r"(?:\s*,?\s*n[aăâ]m\s+(?P<y>" + _YEAR + r"))?" + _NOT_AFTER)
# "ngày 15/8", "Sáng 26/5" without a year: only after such a word, or fractions ("8/10 điểm")
# would be dates
_WEEKDAY = r"(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật)"
YEARLESS_DATE = re.compile(r"(?:ngày|sáng|chiều|tối|trưa|đêm|" + _WEEKDAY + r"\s*[,(]?)\s*(?P<d>\d{1,2})\s?(?P<s>[/.\-])\s?(?P<m>\d{1,2})" + _NOT_AFTER)
# "THỨ BẢY, CHỦ NHẬT (21-22/9)": a span of days without a year, after weekday names
WEEKDAY_SPAN = re.compile(_WEEKDAY + r"[^\n(]{0,20}\(\s*(?P<d1>\d{1,2})\s*-\s*(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*\)")
# "21-25/10/2024": a span of days in one month
DAY_SPAN = re.compile(
    _NOT_BEFORE + r"(?P<d1>\d{1,2})\s?-\s?(?P<d>\d{1,2})\s?/\s?(?P<m>\d{1,2})\s?/\s?(?P<y>" + _YEAR + r")" + _NOT_AFTER)
# "ngày 22 và 23/11/2024": two days; "từ ngày 21 đến 25/10/2024": one span
TWO_DAYS = re.compile(
    r"ngày\s+(?P<d1>\d{1,2})\s*(?P<join>và|,|đến|tới)\s*(?:ngày\s+)?(?P<d>\d{1,2})\s?/\s?(?P<m>\d{1,2})\s?/\s?(?P<y>" + _YEAR + r")"
    + _NOT_AFTER)
# "tháng 9/2024", "tháng 09-2024", "tháng 9 năm 2024"
MONTH = re.compile(r"tháng\s+(?P<m>\d{1,2})\s*(?:[/\-]|,?\s*năm)\s*(?P<y>" + _YEAR + r")" + _NOT_AFTER)
# "tháng 9" without a year, only after a word that makes it a point in time
YEARLESS_MONTH = re.compile(
    r"(?:^|(?<=\n)|(?<![^\W\d_])(?:trong|vào|từ|đến|trước|cuối|đầu|giữa|hết|sau|nhất)\s+)"
    r"(?P<word>tháng)\s+(?P<m>\d{1,2})(?![\d/\-]|\s*(?:,?\s*năm|ngày|tháng))")
# OCR reads the Roman I as "l" or "1" ("quý lV/2025", "quý 1V", "quý Il"): folded by _quarter.
QUARTER = re.compile(
    r"quý\s+(?P<q>[il1]v|[il]{1,3}|[1-4])(?![a-zà-ỹ\d])(?:\s*(?:[/\-]|,?\s*năm)\s*(?P<y>" + _YEAR + r")" + _NOT_AFTER + r")?")
# "7 tháng đầu năm 2024", "6 tháng cuối năm", "9 tháng năm 2024"
MONTHS_OF_YEAR = re.compile(
    _NOT_BEFORE + r"(?P<n>\d{1,2})\s+tháng\s+(?P<part>đầu\s+|cuối\s+)?năm(?:\s+(?P<y>" + _YEAR + r"))?(?![\d])")

# The patterns scanned over the whole text, each led by a lookahead of the characters its
# matches begin with where it starts with a lookbehind (fastre.quick): the same matches, about
# twice as fast.
(NUMERIC_DATE, LONG_DATE, YEARLESS_DATE, WEEKDAY_SPAN, DAY_SPAN, TWO_DAYS, MONTH, YEARLESS_MONTH, QUARTER,
 MONTHS_OF_YEAR) = (quick(p) for p in (NUMERIC_DATE, LONG_DATE, YEARLESS_DATE, WEEKDAY_SPAN, DAY_SPAN, TWO_DAYS,
                                       MONTH, YEARLESS_MONTH, QUARTER, MONTHS_OF_YEAR))

# Words just before an expression that make it a due date ("trước ngày", "chậm nhất", ...).
DEADLINE_CUE = re.compile(
    r"(?:trước|chậm nhất(?:\s+là)?(?:\s+trước)?|muộn nhất(?:\s+là)?|hạn chót(?:\s+là)?|thời hạn(?:\s+hoàn thành)?(?:\s+là)?(?:\s*:)?"
    r"|hạn(?:\s+nộp)?|hoàn thành(?:\s+xong)?(?:\s+trong|\s+trước|\s+chậm nhất|\s+vào)?|xong\s+trước|đến\s+hết"
    r"|không\s+quá|trước\s+thời\s+điểm)"
    r"(?:\s+\d{1,2}\s*(?:giờ|h|:)\s*(?:\d{1,2}\s*(?:phút)?)?)?\s*,?\s*(?:ngày\s+)?$")  # "trước 17 giờ 00 ngày ..."
# "thời hạn nộp hồ sơ: ngày ..." — a due-date noun earlier in the same clause.
DEADLINE_NOUN = re.compile(r"(?:thời hạn|hạn chót|hạn cuối|hạn nộp|thời gian hoàn thành)[^.;\n]{0,30}$")
_CLOCK = r"(?:\d{1,2}\s*(?:giờ|h|:)\s*(?:\d{1,2}\s*(?:phút)?)?\s*,?\s*)"
RANGE_START_CUE = re.compile(r"(?:từ|kể từ)\s*" + _CLOCK + r"?(?:ngày\s+)?$")
IN_CUE = re.compile(r"trong\s*$")
# "giao ban công tác y tế tháng 5/2023", "tình hình sinh vật gây hại từ ngày ... đến ...":
# a month or span the text reports on.
PERIOD_CUE = re.compile(r"(?:kết quả|tình hình|công tác|giao ban|sơ kết|tổng kết|báo cáo|số liệu|đánh giá)"
                        r"[^.;:\n]{0,45}$")
# "sinh ngày 14/02/1999": a date of no event the notice is about.
OTHER_CUE = re.compile(r"(?:sinh|sinh ngày|ngày sinh|năm sinh|tính đến(?:\s+hết)?|tính từ)\s*:?\s*(?:ngày\s+)?$")
# "Quảng Trị, ngày 15 tháng 8 năm 2024": the notice's own date line
OWN_DATE_LINE = re.compile(r"(?:^|\n)[^\n,]{2,40},\s*$")

# A page's time stamp: a date alone on its line (maybe after a weekday) and a clock time.
STAMP_LINE_START = re.compile(r"(?:^|\n)[ \t]*(?:" + _WEEKDAY + r")?[ \t,]*$")
STAMP_AFTER = re.compile(r"[ \t]+\d{1,2}:\d{2}(?::\d{2})?[ \t]*(?:\n|$)")

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@dataclass
class _Found:
    start: int
    end: int
    first: str  # ISO value of the first day/month covered
    last: str  # ISO value of the last day/month covered (same as first for a point)
    grain: str  # "day" | "month" | "span"
    kind: str  # "date" | "month" | "quarter" | "months" | "range"
    yearless: bool = False


def _valid(y: int, m: int, d: int | None = None) -> bool:
    if not (1 <= m <= 12 and 1900 <= y <= 2100):
        return False
    return d is None or 1 <= d <= calendar.monthrange(y, m)[1]


def _iso(y: int, m: int, d: int | None = None) -> str:
    return f"{y:04d}-{m:02d}" + (f"-{d:02d}" if d is not None else "")


def _scan(view: str, year: int | None) -> list[_Found]:
    """Every atomic expression, longest first where two overlap."""
    found: list[_Found] = []

    def add(m: re.Match, y: int | None, mo: int, d: int | None, kind: str, yearless: bool = False) -> None:
        if y is None or not _valid(y, mo, d):
            return
        value = _iso(y, mo, d)
        found.append(_Found(m.start(), m.end(), value, value, "day" if d else "month", kind, yearless))

    for m in DAY_SPAN.finditer(view):
        y, mo, d1, d2 = int(m["y"]), int(m["m"]), int(m["d1"]), int(m["d"])
        if d1 < d2 and _valid(y, mo, d1) and _valid(y, mo, d2):
            found.append(_Found(m.start(), m.end(), _iso(y, mo, d1), _iso(y, mo, d2), "span", "range"))
    for m in WEEKDAY_SPAN.finditer(view):
        mo, d1, d2 = int(m["m"]), int(m["d1"]), int(m["d"])
        if year is not None and d1 < d2 and _valid(year, mo, d1) and _valid(year, mo, d2):
            found.append(_Found(m.start("d1"), m.end("m"), _iso(year, mo, d1), _iso(year, mo, d2), "span", "range", True))
    for m in TWO_DAYS.finditer(view):
        y, mo, d1, d2 = int(m["y"]), int(m["m"]), int(m["d1"]), int(m["d"])
        if not (d1 < d2 and _valid(y, mo, d1) and _valid(y, mo, d2)):
            continue
        if m["join"] in ("đến", "tới"):
            found.append(_Found(m.start(), m.end(), _iso(y, mo, d1), _iso(y, mo, d2), "span", "range"))
        else:  # two dates: the first written as just its day
            found.append(_Found(m.start(), m.start("join"), _iso(y, mo, d1), _iso(y, mo, d1), "day", "date"))
            found.append(_Found(m.start("d"), m.end(), _iso(y, mo, d2), _iso(y, mo, d2), "day", "date"))
    for m in NUMERIC_DATE.finditer(view):
        add(m, int(m["y"]), int(m["m"]), int(m["d"]), "date")
    for m in LONG_DATE.finditer(view):
        add(m, int(m["y"]) if m["y"] else year, int(m["m"]), int(m["d"]), "date", not m["y"])
    for m in YEARLESS_DATE.finditer(view):
        add(m, year, int(m["m"]), int(m["d"]), "date", True)
    for m in MONTH.finditer(view):
        add(m, int(m["y"]), int(m["m"]), None, "month")
    for m in YEARLESS_MONTH.finditer(view):
        mo = int(m["m"])
        if year is not None and _valid(year, mo):
            found.append(_Found(m.start("word"), m.end(), _iso(year, mo), _iso(year, mo), "month", "month", True))
    for m in QUARTER.finditer(view):
        y = int(m["y"]) if m["y"] else year
        q = ROMAN.get(m["q"].replace("l", "i").replace("1v", "iv")) or int(m["q"])
        if y is not None:
            found.append(_Found(m.start(), m.end(), _iso(y, 3 * q - 2), _iso(y, 3 * q), "span", "quarter", not m["y"]))
    for m in MONTHS_OF_YEAR.finditer(view):
        n = int(m["n"])
        y = int(m["y"]) if m["y"] else year
        if not 1 <= n <= 12 or y is None or (not m["part"] and not m["y"]):
            continue  # "3 tháng năm" without a year is a duration, not a period
        first, last = (12 - n + 1, 12) if (m["part"] or "").startswith("cuối") else (1, n)
        found.append(_Found(m.start(), m.end(), _iso(y, first), _iso(y, last), "span", "months", not m["y"]))
    # Keep the longest of overlapping matches (a day inside "ngày 5 tháng 9 năm 2024", ...).
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[_Found] = []
    for f in found:
        if kept and f.start < kept[-1].end:
            if f.end - f.start > kept[-1].end - kept[-1].start:
                kept[-1] = f
            continue
        kept.append(f)
    return kept


# "đến ngày", " - ", "(thứ Sáu) đến 05 giờ 00 ngày": what may stand between the two ends.
_RANGE_JOIN = re.compile(r"\s*(?:\(\s*" + _WEEKDAY + r"\s*\)\s*)?(?:đến|tới|-)\s*(?:hết\s+)?" + _CLOCK + r"?(?:ngày\s+)?")


def _join_ranges(view: str, found: list[_Found]) -> list[_Found]:
    """"từ ngày A đến ngày B" and "(A - B)" become one interval; A takes B's year when it has none."""
    out: list[_Found] = []
    i = 0
    while i < len(found):
        a = found[i]
        b = found[i + 1] if i + 1 < len(found) else None
        if b is not None and a.grain == b.grain != "span":
            between = view[a.end:b.start]
            after_tu = RANGE_START_CUE.search(view[max(0, a.start - 30):a.start]) is not None
            if _RANGE_JOIN.fullmatch(between) and (after_tu or "-" in between):
                first = b.first[:4] + a.first[4:] if a.yearless and not b.yearless else a.first
                if first < b.last:
                    out.append(_Found(a.start, b.end, first, b.last, "span", "range"))
                    i += 2
                    continue
        out.append(a)
        i += 1
    return out


def _value(f: _Found) -> str:
    return f.first if f.first == f.last else f"{f.first}/{f.last}"


def _after(f: _Found, published: date | None) -> bool:
    """Whether a span starts after the notice was published (a plan, not a report)."""
    return published is not None and f.first > published.isoformat()[:len(f.first)]


def _role(view: str, f: _Found, before: str, in_task: bool, published: date | None) -> tuple[str, int]:
    """The role of an expression and where its text starts (a due-date cue is part of the text)."""
    cue = DEADLINE_CUE.search(before) or DEADLINE_NOUN.search(before)
    if cue:
        return "deadline", f.start - (len(before) - cue.start())
    inside = IN_CUE.search(before)
    if f.kind in ("quarter", "months"):
        if inside and in_task:
            return "deadline", f.start - (len(before) - inside.start())
        return ("event" if f.kind == "quarter" and _after(f, published) else "period"), f.start
    if f.kind == "month" and inside:
        if in_task:
            return "deadline", f.start - (len(before) - inside.start())
        # "Trong tháng 6/2024, Sở đã ..." reports on a month; a month still to come is planned.
        return ("event" if _after(f, published) else "period"), f.start - (len(before) - inside.start())
    if f.kind in ("month", "range") and PERIOD_CUE.search(before):
        return "period", f.start
    if f.kind == "date" and (OWN_DATE_LINE.search(before) or OTHER_CUE.search(before)):
        return "other", f.start
    if f.kind == "range" and f.first[4:] == f.last[4:] and len(f.first) == 10 and f.first != f.last:
        return "other", f.start  # "(11/6/1948 - 11/6/2018)": the span of an anniversary, not an event
    if f.kind == "date" and STAMP_LINE_START.search(before) and STAMP_AFTER.match(view, f.end):
        return "other", f.start  # a page's time stamp ("Thứ ba 18/11/2025 17:19")
    return "event", f.start


def find_dates(text: str, view: str, published: date | None,
               task_spans: list[tuple[int, int]] | None = None) -> list[DateMention]:
    """Every date expression of ``text`` (searched in its ``view``) with value and role.

    ``published`` gives the year of dates written without one; ``task_spans`` are the
    directive items, inside which "trong tháng 9/2024" is a due date rather than a period.
    """
    year = published.year if published else _dominant_year(view)
    tasks = Spans(task_spans or [])
    mentions: list[DateMention] = []
    for f in _join_ranges(view, _scan(view, year)):
        before = view[max(0, f.start - 60):f.start]
        in_task = tasks.covers(f.start)
        role, start = _role(view, f, before, in_task, published)
        mentions.append(DateMention(text[start:f.end], _value(f), role, start, f.end))
    return mentions


def _dominant_year(view: str) -> int | None:
    years = [int(m["y"]) for m in NUMERIC_DATE.finditer(view)]
    return max(set(years), key=years.count) if years else None


def parse_iso(value: str | date | None) -> date | None:
    """``date`` from an ISO string (or a date), None when absent or malformed."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH_VALUE = re.compile(r"(\d{4})-(\d{2})")
_YEAR_VALUE = re.compile(r"(\d{4})")


def _bounds_one(value: str) -> tuple[str, str] | None:
    try:
        if m := _DAY.fullmatch(value):
            day = date(int(m[1]), int(m[2]), int(m[3])).isoformat()
            return day, day
        if m := _MONTH_VALUE.fullmatch(value):
            year, month = int(m[1]), int(m[2])
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1).isoformat(), date(year, month, last).isoformat()
        if m := _YEAR_VALUE.fullmatch(value):
            return f"{m[1]}-01-01", f"{m[1]}-12-31"
    except ValueError:  # 2024-02-30, month 13: not a date, say so with None
        return None
    return None


def day_bounds(value: str | None) -> tuple[str | None, str | None]:
    """First and last day a date value covers, as ISO dates; (None, None) for no date.

    "2024-08-26" -> both that day; "2024-09" -> 2024-09-01..2024-09-30;
    "2024-01/2024-07" -> 2024-01-01..2024-07-31. The last day is what a deadline allows.
    """
    if not value:
        return None, None
    first, _, second = value.partition("/")
    low = _bounds_one(first.strip())
    high = _bounds_one(second.strip()) if second else low
    if low is None or high is None:
        return None, None
    return low[0], high[1]


def last_day(value: str) -> str | None:
    """The last day a date value allows: "2024-09" -> "2024-09-30"."""
    return day_bounds(value)[1]


def first_day(value: str) -> str | None:
    return day_bounds(value)[0]
