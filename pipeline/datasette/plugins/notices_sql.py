"""Datasette plugin (loaded with ``--plugins-dir``): the project's own rules as SQL functions,
so canned queries accept a document number in any spelling without a second copy of the rules,
and ``?_search=`` lets d and đ match each other.

    select * from citation_trail where key = document_key(:number)
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from datasette import hookimpl

from extractors.numbers import canonical_number, document_key
from pipeline.query_params import typed_day, typed_month
from pipeline.rows import fold_accents
from pipeline.search import fts_query


def _text_only(fn: Callable[[str], str]) -> Callable[[Any], str | None]:
    # SQL passes NULLs and numbers too; a function error would fail the whole query.
    return lambda value: fn(value) if isinstance(value, str) else None


def _search_box(typed: str) -> str:
    # A search box holding only quotes or spaces has no word to look for: "" would be an FTS5
    # syntax error on the page, an empty phrase ("-" has no token) simply finds nothing.
    return fts_query(typed) or '"-"'


# trylast: Datasette registers its own escape_fts in the same hook; ours must come after it
# to replace it, so that ?_search=doi+moi finds "Đổi mới" (pipeline/search.py).
@hookimpl(trylast=True)
def prepare_connection(conn):
    for name, fn in (("document_key", document_key), ("canonical_number", canonical_number),
                     ("fold_accents", fold_accents), ("fts_query", fts_query),
                     ("escape_fts", _search_box)):
        conn.create_function(name, 1, _text_only(fn), deterministic=True)
    # What a person typed into a canned query's "as of" or month box, read in the usual
    # spellings (20/9/2024, 9/2024 ...); empty is today / this month, unreadable is NULL (the
    # query then answers nothing and notices_pages.py says what is expected). Not deterministic:
    # "today" moves.
    conn.create_function("as_of_day", 1, lambda v: typed_day(v if isinstance(v, str) else None))
    conn.create_function("month_of", 1, lambda v: typed_month(v if isinstance(v, str) else None))
