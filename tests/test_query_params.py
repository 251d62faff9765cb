"""What people type in a canned query's day and month boxes, read or refused."""
from __future__ import annotations

from datetime import date

import pytest

from pipeline.query_params import typed_day, typed_month

TODAY = date(2024, 9, 20)


@pytest.mark.parametrize("typed, day", [
    ("", "2024-09-20"), ("   ", "2024-09-20"), (None, "2024-09-20"),
    ("2024-09-20", "2024-09-20"), ("2024-9-2", "2024-09-02"), (" 2024/09/20 ", "2024-09-20"),
    ("20/9/2024", "2024-09-20"), ("20-09-2024", "2024-09-20"), ("20.09.2024", "2024-09-20"),
    ("ngày 5/10/2024", "2024-10-05"), ("Ngày 05 / 10 / 2024", "2024-10-05"), ("29/2/2024", "2024-02-29"),
    ("31/2/2024", None), ("2024-13-01", None), ("20/9", None), ("9/2024", None), ("hôm qua", None),
    ("2024-09-20x", None), ("'; drop table notices; --", None),
])
def test_typed_day(typed, day):
    assert typed_day(typed, TODAY) == day


@pytest.mark.parametrize("typed, month", [
    ("", "2024-09"), (None, "2024-09"),
    ("2024-09", "2024-09"), ("2024-9", "2024-09"), ("2024/09", "2024-09"), ("9/2024", "2024-09"),
    ("09-2024", "2024-09"), ("9.2024", "2024-09"), ("tháng 9/2024", "2024-09"), ("Tháng 12 / 2025", "2025-12"),
    ("13/2024", None), ("0/2024", None), ("2024-00", None), ("9/24", None), ("september", None),
    ("2024-09-20", None), ("9/2x", None),
])
def test_typed_month(typed, month):
    assert typed_month(typed, TODAY) == month
