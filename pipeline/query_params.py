"""What a person types into a canned query's boxes: a day ("as of") or a month, in the
spellings people use (2024-09-20, 20/9/2024, 20-09-2024; 2024-09, 9/2024, 09-2024, tháng 9/2024).

Each reader returns the ISO form, or None when it cannot read the text; the Datasette plugin
turns None into a sentence that says what is expected instead of an SQL error or an empty
answer. An empty box means "today" / "this month".
"""
from __future__ import annotations

import re
from datetime import date

EXPECTED = {
    "day": "một ngày, ví dụ 2024-09-20 hoặc 20/9/2024 (để trống: hôm nay)",
    "month": "một tháng, ví dụ 2024-09, 9/2024 hoặc 09-2024 (để trống: tháng này)",
}

_SEP = r"\s*[-/.]\s*"
_ISO_DAY = re.compile(rf"(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})")
_VN_DAY = re.compile(rf"(?:ngày\s*)?(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{4}})")
_ISO_MONTH = re.compile(rf"(\d{{4}}){_SEP}(\d{{1,2}})")
_VN_MONTH = re.compile(rf"(?:tháng\s*)?(\d{{1,2}}){_SEP}(\d{{4}})")


def _day(year: str, month: str, day: str) -> str | None:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:  # 31/2/2024, month 13
        return None


def typed_day(text: str | None, today: date | None = None) -> str | None:
    """``text`` as an ISO day; empty is ``today``; None when it is not a day."""
    text = (text or "").strip().lower()
    if not text:
        return (today or date.today()).isoformat()
    if m := _ISO_DAY.fullmatch(text):
        return _day(*m.groups())
    if m := _VN_DAY.fullmatch(text):
        day, month, year = m.groups()
        return _day(year, month, day)
    return None


def typed_month(text: str | None, today: date | None = None) -> str | None:
    """``text`` as an ISO month (YYYY-MM); empty is this month; None when it is not a month."""
    text = (text or "").strip().lower()
    if not text:
        return (today or date.today()).isoformat()[:7]
    for pattern, order in ((_ISO_MONTH, (0, 1)), (_VN_MONTH, (1, 0))):
        if m := pattern.fullmatch(text):
            year, month = int(m.group(order[0] + 1)), int(m.group(order[1] + 1))
            return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None
    return None


READERS = {"day": typed_day, "month": typed_month}
