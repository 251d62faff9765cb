"""Documents: which directive each number mention names.

Identity is ``(document_key(number), year)``; the same number is reused every year, so a
mention that carries its year (in its issue date, or in the number as in 30/2020/NĐ-CP)
names exactly one document. A mention without a year ("theo Kế hoạch số 97/KH-SKHCN")
names the document with that key and the latest year not after the citing notice's year,
else a placeholder document with ``year`` NULL.

Which dated documents exist is decided only by *anchors*: register entries and mentions that
carry their year. Undated citations never create a dated document, and ``settle`` re-points
them whenever the anchors of their key change, so the result never depends on load order.
A document's descriptive columns (number, type, issue date, ...) are recomputed from its
register entry and its citations, for the same reason.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlite_utils import Database

from pipeline.rows import split_symbol

# A dated document is "anchored" when something other than an undated mention vouches for
# its year. Only anchored documents attract undated mentions.
_ANCHORED = """(exists (select 1 from register_entries r where r.document_id = d.id)
  or exists (select 1 from citations c where c.document_id = d.id and c.year_known = 1))"""


def document_for(db: Database, key: str, year: int | None, number: str) -> int:
    """The document (key, year), created if new (year None: the undated placeholder)."""
    row = db.execute("select id from documents where key = ? and ifnull(year, 0) = ?",
                     [key, year or 0]).fetchone()
    if row:
        return row[0]
    cursor = db.execute("insert into documents (number, key, year, in_register)"
                        " values (?, ?, ?, 0)", [number, key, year])
    return int(cursor.lastrowid)


def undated_document(db: Database, key: str, number: str, notice_year: int | None) -> int:
    """Where a mention without a year points: the latest anchored year not after the
    notice's year (any year if the notice is undated), else the placeholder."""
    row = db.execute(f"""
        select d.id from documents d
        where d.key = ? and d.year is not null and (? is null or d.year <= ?) and {_ANCHORED}
        order by d.year desc limit 1""", [key, notice_year, notice_year]).fetchone()
    return row[0] if row else document_for(db, key, None, number)


def _year(published: str | None) -> int | None:
    return int(published[:4]) if published and published[:4].isdigit() else None


def settle(db: Database, keys: Iterable[str]) -> int:
    """Re-resolve the undated mentions of these keys, drop documents nothing refers to,
    refresh the rest. Returns how many citations or task references moved. Idempotent."""
    moved = 0
    for key in sorted(set(keys)):
        undated = db.execute("""
            select c.id, c.document_id, c.number, n.published from citations c
            join documents d on d.id = c.document_id join notices n on n.id = c.notice_id
            where d.key = ? and c.year_known = 0""", [key]).fetchall()
        for citation_id, document_id, number, published in undated:
            target = undated_document(db, key, number, _year(published))
            if target != document_id:
                db.execute("update citations set document_id = ? where id = ?",
                           [target, citation_id])
                moved += 1
        # A task reference tied to a citation follows it; one without (the item cites a
        # number the notice never wrote out with a date) resolves like an undated mention.
        task_refs = db.execute("""
            select tr.id, tr.document_id, tr.number, n.published,
                   (select c.document_id from citations c where c.id = tr.citation_id)
            from task_references tr join documents d on d.id = tr.document_id
            join tasks t on t.id = tr.task_id join notices n on n.id = t.notice_id
            where d.key = ?""", [key]).fetchall()
        for ref_id, document_id, number, published, cited_document in task_refs:
            target = cited_document or undated_document(db, key, number, _year(published))
            if target != document_id:
                db.execute("update task_references set document_id = ? where id = ?",
                           [target, ref_id])
                moved += 1
        db.execute("""
            delete from documents where key = ?
            and not exists (select 1 from citations c where c.document_id = documents.id)
            and not exists (select 1 from task_references t where t.document_id = documents.id)
            and not exists (select 1 from register_entries r where r.document_id = documents.id)
            """, [key])
        for (document_id,) in db.execute("select id from documents where key = ?", [key]).fetchall():
            refresh(db, document_id)
    return moved


def _most_common(values: Iterable[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    # Ties go to the alphabetically first value, so the choice never depends on load order.
    return min(counts, key=lambda v: (-counts[v], v))


def best_number(numbers: Iterable[str]) -> str | None:
    """The spelling to show: keeps its dashes and its Đ ("1961/QĐ-UBND" over "1961/QĐUBND"),
    then the most frequent, then the alphabetically first."""
    counts = Counter(n for n in numbers if n)
    if not counts:
        return None
    return min(counts, key=lambda n: (-n.count("-"), -n.count("Đ"), -counts[n], n))


def refresh(db: Database, document_id: int) -> None:
    """Recompute a document's descriptive columns: the register first, else its citations."""
    register = db.execute("""
        select number, issued, doc_type, summary, file_url, detail_url from register_entries
        where document_id = ? order by seen_at desc, id desc limit 1""", [document_id]).fetchone()
    citations = db.execute("select number, doc_type, issued, issuer, year_known from citations"
                           " where document_id = ?", [document_id]).fetchall()
    task_numbers = [r[0] for r in db.execute(
        "select number from task_references where document_id = ?", [document_id])]
    number = register[0] if register else best_number([c[0] for c in citations] or task_numbers)
    if number is None:
        return
    type_code, issuer_code = split_symbol(number)
    values = {
        "number": number,
        "type_code": type_code,
        "issuer_code": issuer_code,
        "doc_type": (register and register[2]) or _most_common(c[1] for c in citations),
        "issued": (register and register[1]) or _most_common(c[2] for c in citations if c[4]),
        "issuer": _most_common(c[3] for c in citations),
        "in_register": 1 if register else 0,
        "summary": register[3] if register else None,
        "file_url": register[4] if register else None,
        "detail_url": register[5] if register else None,
    }
    columns = list(values)
    current = db.execute(f"select {', '.join(columns)} from documents where id = ?",
                         [document_id]).fetchone()
    if current != tuple(values.values()):  # skip no-op writes: reparse touches every key
        db.execute(f"update documents set {', '.join(f'{c} = ?' for c in columns)} where id = ?",
                   [*values.values(), document_id])
