"""Datasette plugin (loaded with ``--plugins-dir``): the project's own rules as SQL functions,
so canned queries accept a document number in any spelling without a second copy of the rules.

    select * from citation_trail where key = document_key(:number)
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from datasette import hookimpl

from extractors.numbers import canonical_number, document_key
from pipeline.rows import fold_accents


def _text_only(fn: Callable[[str], str]) -> Callable[[Any], str | None]:
    # SQL passes NULLs and numbers too; a function error would fail the whole query.
    return lambda value: fn(value) if isinstance(value, str) else None


@hookimpl
def prepare_connection(conn):
    for name, fn in (("document_key", document_key), ("canonical_number", canonical_number),
                     ("fold_accents", fold_accents)):
        conn.create_function(name, 1, _text_only(fn), deterministic=True)
