"""Writing one notice's ``Extraction`` into the tables (citations, units, dates, tasks).

Called by ``Store.save_notice`` inside its transaction, after the notice's previous rows
were deleted: once for the body, then once for each attachment's text (the same code, so a
citation found in a PDF is written exactly as one found in the body, plus where it was). Returns the document keys it touched so the store can settle them.

``notice_keys`` gives the same keys *before* writing, so the store can note the anchored
years of every key the save may change.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from sqlite_utils import Database

from extractors.models import Extraction, Reference, Task
from extractors import dates, numbers
from pipeline import rows as _rows
from pipeline.documents import document_for, undated_document
from pipeline.rows import sentence_at, sentence_bounds

# Pure functions of a string, called for every mention of a bulk load, where the same
# numbers and dates come back again and again: cached.
canonical_number = lru_cache(maxsize=65536)(numbers.canonical_number)
document_key = lru_cache(maxsize=65536)(numbers.document_key)
day_bounds = lru_cache(maxsize=65536)(dates.day_bounds)
mention_year = lru_cache(maxsize=65536)(_rows.mention_year)


def insert_rows(db: Database, table: str, rows: Sequence[dict[str, Any]]) -> None:
    """Plain executemany: sqlite-utils' insert_all introspects the table on every call,
    which dominates the cost of a rebuild of thousands of small notices."""
    if not rows:
        return
    columns = list(rows[0])
    sql = (f'insert into "{table}" ({", ".join(f"[{c}]" for c in columns)})'
           f' values ({", ".join("?" for _ in columns)})')
    db.conn.executemany(sql, [[row[c] for c in columns] for row in rows])


def unit_name(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split())


def unit_id(db: Database, name: str, kind: str | None = None) -> int:
    # The latest non-null kind wins, so a reparse with a better extractor corrects it.
    name = unit_name(name)
    # In a bulk load (Store.batch) the ids already written are remembered (a rebuild names the
    # same few hundred units tens of thousands of times); the row is written again only when
    # the kind would change. The store drops the memory when a write rolls back.
    known = getattr(db, UNIT_IDS, None)
    if known is not None and name in known and kind in (None, known[name][1]):
        return known[name][0]
    row = db.execute("""
        insert into units (name, kind) values (?, ?)
        on conflict (name) do update set kind = coalesce(excluded.kind, units.kind)
        returning id""", [name, kind]).fetchone()
    if known is not None:
        known[name] = (int(row[0]), kind if kind is not None else known.get(name, (0, None))[1])
    return int(row[0])


UNIT_IDS = "_notices_unit_ids"  # attribute of the Database a bulk load keeps its unit ids in


def notice_keys(extraction: Extraction) -> set[str]:
    numbers = [r.number for r in extraction.references]
    numbers += [extraction.document.number] if extraction.document else []
    numbers += [n for task in extraction.tasks for n in task.references]
    return {document_key(canonical_number(n)) for n in numbers}


def _span(text: str, start: int, end: int) -> bool:
    return 0 <= start < end <= len(text)


def _no_page(offset: int) -> int | None:
    return None


def write_extraction(db: Database, notice_id: int, published: str | None, text: str,
                     extraction: Extraction, version: str, *, attachment_id: int | None = None,
                     page_of: Callable[[int], int | None] = _no_page, first_position: int = 1,
                     copy_url: str | None = None) -> set[str]:
    """Insert every extracted row of one text of a notice; offsets point into ``text``: the
    body, or the text of the attachment ``attachment_id`` (whose ``page_of(offset)`` gives the
    file's page; ``copy_url`` its URL, where the document the file is stands on file). Tasks are
    numbered from ``first_position`` (after the texts written before)."""
    notice_year = int(published[:4]) if published else None
    starts = sentence_bounds(text)
    keys: set[str] = set()
    where = {"attachment_id": attachment_id}  # and "page", per row

    mentions = []
    for unit in extraction.units:
        uid = unit_id(db, unit.name, unit.kind)
        mentions += [{"notice_id": notice_id, "unit_id": uid, "start": s, "end": e,
                      "extractor_version": version, **where, "page": page_of(s)} for s, e in unit.mentions]
    insert_rows(db, "unit_mentions", mentions)

    # The notice's own dated mentions anchor its undated ones, whatever their order.
    resolved = [(canonical_number(ref.number), ref) for ref in extraction.references]
    own_years: dict[str, set[int]] = {}
    for number, ref in resolved:
        if (year := mention_year(number, ref.issued)) is not None:
            own_years.setdefault(document_key(number), set()).add(year)

    # key -> [(citation_id, start, document_id)]: lets a task's references find the
    # citation (and so the dated document) inside the task's own text.
    cited: dict[str, list[tuple[int, int, int]]] = {}
    for number, ref in resolved:
        key = document_key(number)
        year = mention_year(number, ref.issued)
        if year is not None:
            document_id = document_for(db, key, year, number)
        else:
            document_id = undated_document(db, key, number, notice_year, own_years.get(key, ()))
        written = (text[ref.number_start:ref.number_end]
                   if _span(text, ref.number_start, ref.number_end) else ref.number)
        cursor = db.execute("""
            insert into citations (notice_id, document_id, number, number_as_written,
                year_known, doc_type, issued, issuer, mention, sentence, start, [end],
                extractor_version, attachment_id, page)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [notice_id, document_id, number, written, int(year is not None), ref.doc_type,
             ref.issued, ref.issuer, ref.text, sentence_at(text, starts, ref.start, ref.end),
             ref.start, ref.end, version, attachment_id, page_of(ref.start)])
        cited.setdefault(key, []).append((int(cursor.lastrowid), ref.start, document_id))
        keys.add(key)

    if extraction.document is not None:  # the text IS a document: a copy on file
        kind = "notice" if attachment_id is None else "attachment"
        keys.add(write_copy(db, notice_id, notice_year, text, extraction.document, version, kind=kind,
                            attachment_id=attachment_id, url=copy_url))

    dates = []
    for mention in extraction.dates:
        first, last = day_bounds(mention.value)
        dates.append({"notice_id": notice_id, "text": mention.text, "value": mention.value,
                      "role": mention.role, "start": mention.start, "end": mention.end,
                      "date_start": first, "date_end": last, "extractor_version": version,
                      **where, "page": page_of(mention.start)})
    insert_rows(db, "dates", dates)

    for position, task in enumerate(extraction.tasks, start=first_position):
        keys |= _write_task(db, notice_id, position, task, cited, notice_year, own_years,
                            version, attachment_id, page_of(task.start))
    return keys


def write_copy(db: Database, notice_id: int, notice_year: int | None, text: str, own: Reference,
               version: str, kind: str = "notice", attachment_id: int | None = None,
               url: str | None = None) -> str:
    """Record that the text of a notice (or of one of its attachments) IS the document ``own``.
    Its year is the one it states (number or date line), else the year it was published: a
    copy on file always names a dated document. ``url`` is where the copy is (default: the
    notice's page; an attachment's own URL for kind "attachment"). Returns the document's key."""
    number = canonical_number(own.number)
    key = document_key(number)
    stated = mention_year(number, own.issued)
    year = stated if stated is not None else notice_year
    written = (text[own.number_start:own.number_end]
               if _span(text, own.number_start, own.number_end) else own.number)
    db.execute("""
        insert into document_copies (document_id, kind, notice_id, attachment_id, url, number,
            number_as_written, year_known, doc_type, issued, issuer, mention, start, [end],
            extractor_version)
        values (?, ?, ?, ?, coalesce(?, (select url from notices where id = ?)), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [document_for(db, key, year, number), kind, notice_id, attachment_id, url, notice_id, number, written,
         int(stated is not None), own.doc_type, own.issued, own.issuer, own.text, own.start,
         own.end, version])
    return key


def _write_task(db: Database, notice_id: int, position: int, task: Task,
                cited: dict[str, list[tuple[int, int, int]]], notice_year: int | None,
                own_years: dict[str, set[int]], version: str, attachment_id: int | None,
                page: int | None) -> set[str]:
    _, deadline_date = day_bounds(task.deadline)
    cursor = db.execute("""
        insert into tasks (notice_id, position, ordinal, text, deadline, deadline_date,
            start, [end], extractor_version, attachment_id, page)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [notice_id, position, task.ordinal, task.text, task.deadline, deadline_date,
         task.start, task.end, version, attachment_id, page])
    task_id = int(cursor.lastrowid)

    roles = [(name, "lead") for name in task.lead_units]
    roles += [(name, "support") for name in task.support_units]
    links = {(unit_id(db, name), role) for name, role in roles}
    insert_rows(db, "task_units", [{"task_id": task_id, "unit_id": u, "role": r}
                                   for u, r in sorted(links)])

    # One reference per document key: two spellings of a number in an item are one reference.
    refs: dict[str, dict[str, Any]] = {}
    for number in (canonical_number(n) for n in task.references):
        key = document_key(number)
        if key in refs:
            continue
        candidates = cited.get(key, [])
        # Prefer the citation written inside this item, then any in the notice.
        inside = [c for c in candidates if task.start <= c[1] < task.end]
        match = (inside or candidates or [None])[0]
        if match:
            citation_id, document_id = match[0], match[2]
        else:
            citation_id = None
            document_id = undated_document(db, key, number, notice_year, own_years.get(key, ()))
        refs[key] = {"task_id": task_id, "document_id": document_id,
                     "citation_id": citation_id, "number": number}
    insert_rows(db, "task_references", list(refs.values()))
    return set(refs)
