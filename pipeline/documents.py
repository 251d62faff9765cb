"""Documents: which directive each number mention names.

Identity is ``(document_key(number), year)``; the same number is reused every year, so a
mention that carries its year (in its issue date, or in the number as in 30/2020/NĐ-CP)
names exactly one document. A mention without a year ("theo Kế hoạch số 97/KH-SKHCN")
names the document with that key and the latest year not after the citing notice's year,
else a placeholder document with ``year`` NULL.

Which dated documents exist is decided only by *anchors*: register entries and mentions that
carry their year. Undated mentions never create a dated document, and whenever the anchored
years of a key change, every undated mention of that key is resolved again; so the result
never depends on load order. A document's descriptive columns (number, type, issue date,
...) are recomputed from its register entry and its citations, for the same reason.

Cost: a save touches only its own keys; undated mentions of a key are revisited only when
that key gains or loses an anchored year, and a document is recomputed only when a citation
that disagrees with its current columns comes or goes.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from sqlite_utils import Database

from pipeline.rows import split_symbol

# A dated document is "anchored" when something other than an undated mention vouches for
# its year. Only anchored documents attract undated mentions.
_ANCHORED = """(exists (select 1 from register_entries r where r.document_id = d.id)
  or exists (select 1 from document_copies k where k.document_id = d.id)
  or exists (select 1 from citations c where c.document_id = d.id and c.year_known = 1))"""

# The kinds of copy that put a document on file, in the order ``documents.on_file`` lists them.
ON_FILE_KINDS = ("register", "notice", "attachment")

# What one citation says about its document; see ``contributions``.
Signature = tuple[str, str | None, str | None, str | None]


def document_for(db: Database, key: str, year: int | None, number: str) -> int:
    """The document (key, year), created if new (year None: the undated placeholder)."""
    row = db.execute("select id from documents where key = ? and ifnull(year, 0) = ?",
                     [key, year or 0]).fetchone()
    if row:
        return row[0]
    type_code, issuer_code = split_symbol(number)
    cursor = db.execute("insert into documents (number, key, year, type_code, issuer_code,"
                        " in_register) values (?, ?, ?, ?, ?, 0)",
                        [number, key, year, type_code, issuer_code])
    return int(cursor.lastrowid)


def anchored_years(db: Database, key: str) -> frozenset[int]:
    return frozenset(r[0] for r in db.execute(
        f"select d.year from documents d where d.key = ? and d.year is not null and {_ANCHORED}",
        [key]))


def _latest(years: Iterable[int], notice_year: int | None) -> int | None:
    return max((y for y in years if notice_year is None or y <= notice_year), default=None)


def undated_document(db: Database, key: str, number: str, notice_year: int | None,
                     also: Iterable[int] = ()) -> int:
    """Where a mention without a year points: the latest anchored year not after the
    notice's year (any year if the notice is undated), else the placeholder. ``also`` adds
    years the caller knows are anchored but has not written yet (the notice's own)."""
    year = _latest(anchored_years(db, key) | set(also), notice_year)
    return document_for(db, key, year, number)


def _year(published: str | None) -> int | None:
    return int(published[:4]) if published and published[:4].isdigit() else None


def contributions(db: Database, notice_id: int) -> dict[int, Counter[Signature]]:
    """Per document, what this notice's citations say about it (number, type, issue date,
    issuer): comparing before and after a save tells which documents need recomputing."""
    result: dict[int, Counter[Signature]] = {}
    for document_id, *signature in db.execute("""
            select document_id, number, doc_type, case when year_known then issued end, issuer
            from citations where notice_id = ?""", [notice_id]):
        result.setdefault(document_id, Counter())[tuple(signature)] += 1
    for (document_id,) in db.execute("""
            select tr.document_id from task_references tr join tasks t on t.id = tr.task_id
            where t.notice_id = ?""", [notice_id]):
        result.setdefault(document_id, Counter())
    return result


def needs_refresh(db: Database, old: Mapping[int, Counter[Signature]],
                  new: Mapping[int, Counter[Signature]]) -> set[int]:
    """Documents whose columns may change: those that lost a citation, or gained one that
    disagrees with what they show. Adding a vote for the current winner changes nothing."""
    result = set()
    for document_id in set(old) | set(new):
        before, after = old.get(document_id, Counter()), new.get(document_id, Counter())
        if before == after:
            continue
        if before - after:  # something was taken away: the majority may have shifted
            result.add(document_id)
            continue
        row = db.execute("select number, doc_type, issued, issuer, in_register from documents"
                         " where id = ?", [document_id]).fetchone()
        if row is None:
            continue
        number, doc_type, issued, issuer, in_register = row
        for n, t, i, s in after - before:
            # the register fixes number, type and date; only the issuer comes from mentions
            if (s not in (None, issuer) or not in_register and (
                    n != number or t not in (None, doc_type) or i not in (None, issued))):
                result.add(document_id)
                break
    return result


def settle(db: Database, keys: Iterable[str],
           anchors_before: Mapping[str, frozenset[int]] | None = None,
           refresh_ids: Iterable[int] = ()) -> int:
    """Bring the documents of ``keys`` in line after a change: re-resolve undated mentions
    of the keys whose anchored years changed (all keys when ``anchors_before`` is None: the
    full sweep), drop documents nothing refers to, recompute ``refresh_ids`` and every
    document whose citations moved (all documents of the keys in a full sweep).
    Returns how many citations or task references moved. Idempotent."""
    moved, refresh_ids = 0, set(refresh_ids)
    for key in sorted(set(keys)):
        anchors = anchored_years(db, key)
        if anchors_before is None or anchors_before.get(key, frozenset()) != anchors:
            count, touched = _reresolve(db, key, anchors)
            moved += count
            refresh_ids |= touched
        db.execute("""
            delete from documents where key = ?
            and not exists (select 1 from citations c where c.document_id = documents.id)
            and not exists (select 1 from task_references t where t.document_id = documents.id)
            and not exists (select 1 from register_entries r where r.document_id = documents.id)
            and not exists (select 1 from document_copies k where k.document_id = documents.id)
            """, [key])
        if anchors_before is None:
            refresh_ids |= {r[0] for r in db.execute("select id from documents where key = ?", [key])}
    for document_id in sorted(refresh_ids):
        refresh(db, document_id)
    return moved


def _reresolve(db: Database, key: str, anchors: frozenset[int]) -> tuple[int, set[int]]:
    """Point every undated mention of ``key`` where the current anchors say."""
    moved, touched = 0, set()
    targets: dict[int | None, int] = {}  # notice year -> document

    def target(number: str, published: str | None) -> int:
        year = _year(published)
        if year not in targets:
            targets[year] = document_for(db, key, _latest(anchors, year), number)
        return targets[year]

    undated = db.execute("""
        select c.id, c.document_id, c.number, n.published from citations c
        join documents d on d.id = c.document_id join notices n on n.id = c.notice_id
        where d.key = ? and c.year_known = 0""", [key]).fetchall()
    for citation_id, document_id, number, published in undated:
        new = target(number, published)
        if new != document_id:
            db.execute("update citations set document_id = ? where id = ?", [new, citation_id])
            moved += 1
            touched |= {document_id, new}
    # A task reference tied to a citation follows it; one without (the item names a number
    # the notice never wrote with a date) resolves like an undated mention.
    refs = db.execute("""
        select tr.id, tr.document_id, tr.number, n.published,
               (select c.document_id from citations c where c.id = tr.citation_id)
        from task_references tr join documents d on d.id = tr.document_id
        join tasks t on t.id = tr.task_id join notices n on n.id = t.notice_id
        where d.key = ?""", [key]).fetchall()
    for ref_id, document_id, number, published, cited_document in refs:
        new = cited_document or target(number, published)
        if new != document_id:
            db.execute("update task_references set document_id = ? where id = ?", [new, ref_id])
            moved += 1
            touched |= {document_id, new}
    return moved, touched


def _most_common(counts: Counter[str | None]) -> str | None:
    votes = {v: c for v, c in counts.items() if v}
    # Ties go to the alphabetically first value, so the choice never depends on load order.
    return min(votes, key=lambda v: (-votes[v], v)) if votes else None


def best_number(counts: Counter[str]) -> str | None:
    """The spelling to show: keeps its dashes and its Đ ("1961/QĐ-UBND" over "1961/QĐUBND"),
    then the most frequent, then the one without padding zeros, then the alphabetically first."""
    votes = {n: c for n, c in counts.items() if n}
    return min(votes, key=lambda n: (-n.count("-"), -n.count("Đ"), -votes[n], len(n) - len(n.lstrip("0")), n)) \
        if votes else None


def refresh(db: Database, document_id: int) -> None:
    """Recompute a document's descriptive columns: the register first, then its own copies
    (a notice or attachment that is the document: its header says what it is), then its
    citations; and where it is on file."""
    register = db.execute("""
        select number, issued, doc_type, summary, file_url, detail_url from register_entries
        where document_id = ? order by seen_at desc, id desc limit 1""", [document_id]).fetchone()
    copies = db.execute("""
        select kind, number, doc_type, case when year_known then issued end, issuer
        from document_copies where document_id = ? order by id""", [document_id]).fetchall()
    numbers, types, dates, issuers = Counter(), Counter(), Counter(), Counter()
    for number, doc_type, issued, issuer, count in db.execute("""
            select number, doc_type, case when year_known then issued end, issuer, count(*)
            from citations where document_id = ? group by 1, 2, 3, 4""", [document_id]):
        numbers[number] += count
        types[doc_type] += count
        dates[issued] += count
        issuers[issuer] += count
    if not numbers:
        numbers.update(r[0] for r in db.execute(
            "select number from task_references where document_id = ?", [document_id]))
    own = [Counter(c[i] for c in copies) for i in range(1, 5)]  # number, type, date, issuer
    number = register[0] if register else best_number(own[0]) or best_number(numbers)
    if number is None:  # nothing refers to it: settle deletes it
        return
    type_code, issuer_code = split_symbol(number)
    values = {
        "number": number, "type_code": type_code, "issuer_code": issuer_code,
        "doc_type": (register and register[2]) or _most_common(own[1]) or _most_common(types),
        "issued": (register and register[1]) or _most_common(own[2]) or _most_common(dates),
        "issuer": _most_common(own[3]) or _most_common(issuers),
        "in_register": 1 if register else 0,
        "on_file": ", ".join(k for k in ON_FILE_KINDS
                             if k == "register" and register or any(c[0] == k for c in copies)) or None,
        "summary": register[3] if register else None,
        "file_url": register[4] if register else None,
        "detail_url": register[5] if register else None,
    }
    columns = list(values)
    current = db.execute(f"select {', '.join(columns)} from documents where id = ?",
                         [document_id]).fetchone()
    if current != tuple(values.values()):
        db.execute(f"update documents set {', '.join(f'{c} = ?' for c in columns)} where id = ?",
                   [*values.values(), document_id])
