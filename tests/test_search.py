"""Queries typed in a search box -> FTS5 MATCH expressions that let d and đ match each other."""
import sqlite3

import pytest

from pipeline.schema import FTS_TOKENIZE
from pipeline.search import MAX_AMBIGUOUS, fts_query


@pytest.mark.parametrize("typed, expression", [
    ("cai cach hanh chinh", '"cai" AND "cach" AND "hanh" AND "chinh"'),
    ("doi moi", '("doi" OR "đoi") AND "moi"'),
    ("Đổi mới", '("đổi" OR "dổi") AND "mới"'),
    ('"don vi" du', '("don vi" OR "đon vi") AND ("du" OR "đu")'),
    ("dd", '("dd" OR "dđ" OR "đd" OR "đđ")'),
    ("a OR b", '"a" AND "or" AND "b"'),  # operators typed are words, as in Datasette's escaped mode
    ('open "quote', '"open" AND "quote"'),
    ('  ""  ', ""),
    ("", ""),
    ("Cu\u0309a", '"của"'),  # NFD typed, NFC asked
])
def test_fts_query(typed, expression):
    assert fts_query(typed) == expression


def test_many_ds_ask_for_two_spellings():
    phrase = "d" * (MAX_AMBIGUOUS + 1)
    assert fts_query(phrase) == f'("{phrase}" OR "{"đ" * len(phrase)}")'


TEXTS = ["Đổi mới sáng tạo", "Đơn vị dự toán", "thực hiện nhiệm vụ", "trường hợp ưu tiên",
         "Kế hoạch cải cách hành chính", "ĐỀ ÁN DI DỜI", "doi moi (typed without marks)"]


@pytest.mark.parametrize("typed, found", [
    ("doi moi", [0, 6]), ("đổi mới", [0, 6]), ("ĐỔI MỚI", [0, 6]), ('"moi sang"', [0]),
    ("don vi du toan", [1]), ("thuc hien", [2]), ("truong hop uu tien", [3]),
    ("cai cach hanh chinh", [4]), ("de an di doi", [5]), ("sang moi", [0]), ('"sang moi"', []),
])
def test_matches_in_sqlite(typed, found):
    db = sqlite3.connect(":memory:")
    db.execute(f"create virtual table t using fts5(text, tokenize='{FTS_TOKENIZE}')")
    db.executemany("insert into t (rowid, text) values (?, ?)", enumerate(TEXTS))
    hits = [r[0] for r in db.execute("select rowid from t where t match ? order by rowid", [fts_query(typed)])]
    assert hits == found
