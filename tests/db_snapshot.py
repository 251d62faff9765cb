"""Everything a database holds, by natural keys, to say "the same rows" of two databases built
different ways (single process, a process pool, Dask, deferred settling).

Surrogate ids of documents depend on when a document was first needed, so rows point at
documents by (key, year), at notices by (site, article_id), at units by name, at tasks by
(notice, position). Run bookkeeping (scrape_runs, seen_at, failure times) is left out. The
full-text indexes are checked with FTS5's own integrity check (index = content table) and by
what a few searches find.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

NOTICE = "n.site, n.article_id"
SEARCHES = ["cai cach hanh chinh", "cải cách hành chính", "doi moi", "Quảng Trị", "ke hoach"]


def _rows(db: sqlite3.Connection, sql: str) -> list[tuple]:
    return sorted((tuple(r) for r in db.execute(sql)), key=repr)


TABLES = {
    "notices": """select site, article_id, url, category, category_id, title, published, body,
        attachments, fetched_at, content_hash, raw_path, extractor_version from notices""",
    "notice_versions": f"""select {NOTICE}, v.content_hash, v.raw_path, v.fetched_at
        from notice_versions v join notices n on n.id = v.notice_id""",
    "documents": """select number, key, year, type_code, doc_type, issuer_code, issuer, issued,
        in_register, summary, file_url, detail_url, on_file from documents""",
    "document_copies": f"""select {NOTICE}, d.key, d.year, k.kind, k.attachment_id, k.url, k.number,
        k.number_as_written, k.year_known, k.doc_type, k.issued, k.issuer, k.mention, k.start, k.[end],
        k.extractor_version from document_copies k join notices n on n.id = k.notice_id
        join documents d on d.id = k.document_id""",
    "register_entries": """select r.site, r.register_id, r.number, r.key, r.year, r.issued,
        r.doc_type, r.summary, r.file_url, r.detail_url, d.key, d.year
        from register_entries r join documents d on d.id = r.document_id""",
    "citations": f"""select {NOTICE}, d.key, d.year, c.number, c.number_as_written, c.year_known,
        c.doc_type, c.issued, c.issuer, c.mention, c.sentence, c.start, c.[end], c.extractor_version
        from citations c join notices n on n.id = c.notice_id join documents d on d.id = c.document_id""",
    "units": "select name, kind from units",
    "unit_mentions": f"""select {NOTICE}, u.name, m.start, m.[end], m.extractor_version
        from unit_mentions m join notices n on n.id = m.notice_id join units u on u.id = m.unit_id""",
    "tasks": f"""select {NOTICE}, t.position, t.ordinal, t.text, t.deadline, t.deadline_date,
        t.start, t.[end], t.extractor_version from tasks t join notices n on n.id = t.notice_id""",
    "task_units": f"""select {NOTICE}, t.position, u.name, tu.role from task_units tu
        join tasks t on t.id = tu.task_id join notices n on n.id = t.notice_id join units u on u.id = tu.unit_id""",
    "task_references": f"""select {NOTICE}, t.position, d.key, d.year, tr.number, c.start, c.[end]
        from task_references tr join tasks t on t.id = tr.task_id join notices n on n.id = t.notice_id
        join documents d on d.id = tr.document_id left join citations c on c.id = tr.citation_id""",
    "dates": f"""select {NOTICE}, x.text, x.value, x.role, x.start, x.[end], x.date_start, x.date_end,
        x.extractor_version from dates x join notices n on n.id = x.notice_id""",
    "fetch_errors": "select url, reason, status, kind from fetch_errors",
    "attachments": f"""select {NOTICE}, r.site, r.key, r.year, a.position, a.url, a.status, a.reason, a.kind,
        a.bytes, a.sha256, a.pages, a.method, a.legacy, a.reader, a.text, a.raw_path, a.fetched_at
        from attachments a left join notices n on n.id = a.notice_id
        left join register_entries r on r.id = a.register_entry_id""",
    "found_in_files": """select a.url, 'citation', c.page, c.start, c.[end] from citations c
        join attachments a on a.id = c.attachment_id
        union all select a.url, 'task', t.page, t.start, t.[end] from tasks t join attachments a on a.id = t.attachment_id
        union all select a.url, 'date', x.page, x.start, x.[end] from dates x join attachments a on a.id = x.attachment_id
        union all select a.url, 'unit', m.page, m.start, m.[end] from unit_mentions m
        join attachments a on a.id = m.attachment_id""",
}


def snapshot(path: str | Path) -> dict[str, list]:
    """Every table by natural keys, plus the search results and the FTS integrity checks."""
    with sqlite3.connect(path) as db:
        result: dict[str, list] = {name: _rows(db, sql) for name, sql in TABLES.items()}
        for table in ("notices_fts", "tasks_fts", "attachments_fts"):
            # For an external-content index, rank 1 compares the index with the content table.
            db.execute(f"insert into {table}({table}, rank) values('integrity-check', 1)")
        result["searches"] = [(query, _search(db, query)) for query in SEARCHES]
    return result


def _search(db: sqlite3.Connection, query: str) -> list[tuple]:
    """What Datasette's ?_search= finds: every word quoted, all of them required."""
    match = " ".join(f'"{word}"' for word in query.split())
    return _rows(db, f"select {NOTICE} from notices n where n.id in"
                     f" (select rowid from notices_fts where notices_fts match '{match}')")


def notice_ids(path: str | Path) -> list[tuple]:
    """(id, site, article_id) of every notice: a rebuild in archive order keeps the ids."""
    with sqlite3.connect(path) as db:
        return db.execute("select id, site, article_id from notices order by id").fetchall()
