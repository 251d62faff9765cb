"""The citation chain around audited documents: where each is on file (register rows, notices
that are it, attachments that are it), what cites it (notices, and documents through the notice
that is each), and what it cites (through its own copies), ``depth`` steps each way.
Read-only queries over ``document_files``, ``citations`` and ``document_copies``.
"""
from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from pipeline.models import AuditTrail, OnFile, TrailLink

MAX_DEPTH = 10  # steps of the chain followed at most, each way


def follow_chain(db: sqlite_utils.Database, trail: AuditTrail, depth: int) -> None:
    """Where the documents are on file, and the chain both ways ``depth`` steps."""
    trail.depth = max(1, min(depth, MAX_DEPTH))
    ids = [d.id for d in trail.documents]
    if _has_copies(db):  # a file older than the copies table has none to show
        trail.on_file = _files(db, ids)
        trail.cited_by = _cited_by(db, ids, trail.depth)
        trail.cites = _cites(db, ids, trail.depth)
    else:
        trail.on_file = [OnFile(d.id, "register", d.file_url or d.detail_url, d.summary, d.issued)
                         for d in trail.documents if d.in_register]


def _has_copies(db: sqlite_utils.Database) -> bool:
    return db.execute("select count(*) from sqlite_master where name = 'document_files'").fetchone()[0] > 0


def _marks(ids: list[int] | set[int]) -> str:
    return ", ".join("?" for _ in ids)


def _files(db: sqlite_utils.Database, ids: list[int]) -> list[OnFile]:
    return [OnFile(*r) for r in db.execute(f"""
        select document_id, kind, url, title, dated from document_files
        where document_id in ({_marks(ids)})
        order by document_id, case kind when 'register' then 0 when 'notice' then 1 else 2 end,
                 dated is null, dated, url""", ids)]


def _cited_by(db: sqlite_utils.Database, ids: list[int], depth: int) -> list[TrailLink]:
    """Every mention of the documents, oldest notice first, each with the document its notice
    is (if it is one on file); then, a step further, the mentions of those documents ..."""
    def step(frontier: set[int], depth_now: int) -> list[TrailLink]:
        rows = db.execute(f"""
            select c.document_id, vd.number, k.document_id, kd.number, kd.year, kd.doc_type,
                   n.id, n.published, n.title, n.url, c.number_as_written, c.sentence,
                   case when c.attachment_id is null then 'notice' else 'attachment' end, a.url, c.page
            from citations c
            join notices n on n.id = c.notice_id
            join documents vd on vd.id = c.document_id
            left join attachments a on a.id = c.attachment_id
            -- the citing document: the notice's own, or the attached file's when it is one
            left join document_copies k on k.notice_id = c.notice_id and k.document_id <> c.document_id
                 and ((c.attachment_id is null and k.kind = 'notice')
                      or (k.kind = 'attachment' and k.attachment_id = c.attachment_id))
            left join documents kd on kd.id = k.document_id
            where c.document_id in ({_marks(frontier)})
            order by n.published is null, n.published, n.id, c.start""", sorted(frontier)).fetchall()
        return [TrailLink(depth_now, *r) for r in rows]

    return _walk(ids, depth, step)


def _cites(db: sqlite_utils.Database, ids: list[int], depth: int) -> list[TrailLink]:
    """What the documents' own copies cite (one link per cited document, its first mention,
    in text order); then what those cite ..."""
    def step(frontier: set[int], depth_now: int) -> list[TrailLink]:
        rows = db.execute(f"""
            select k.document_id, kd.number, c.document_id, d.number, d.year, d.doc_type,
                   n.id, n.published, n.title, k.url, c.number_as_written, c.sentence, k.kind
            from document_copies k
            join citations c on c.notice_id = k.notice_id and c.document_id <> k.document_id
                 -- what the copy's own text cites: the body for a notice, the file for an attachment
                 and ((k.kind = 'notice' and c.attachment_id is null)
                      or (k.kind = 'attachment' and c.attachment_id = k.attachment_id))
            join notices n on n.id = k.notice_id
            join documents kd on kd.id = k.document_id
            join documents d on d.id = c.document_id
            where k.document_id in ({_marks(frontier)}) and k.kind in ('notice', 'attachment')
            order by n.published is null, n.published, n.id, c.id""", sorted(frontier)).fetchall()
        pairs: set[tuple[int, int]] = set()
        found = []
        for r in rows:
            if (r[0], r[2]) not in pairs:
                pairs.add((r[0], r[2]))
                found.append(TrailLink(depth_now, *r))
        return found

    return _walk(ids, depth, step)


def _walk(ids: list[int], depth: int, step: Callable[[set[int], int], list[TrailLink]]) -> list[TrailLink]:
    """Breadth-first over the citation graph, ``depth`` steps at most: each step's links name the
    documents the next step starts from (each document visited once)."""
    links: list[TrailLink] = []
    frontier, seen = set(ids), set(ids)
    for depth_now in range(1, depth + 1):
        if not frontier:
            break
        found = step(frontier, depth_now)
        links += found
        frontier = {link.document_id for link in found if link.document_id is not None} - seen
        seen |= frontier
    return links
