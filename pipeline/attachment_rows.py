"""Writing attachments: one ``attachments`` row per linked file, and what was extracted from
its text through the same loader as a notice body (``loader.write_extraction``), each row
pointing at the attachment and its page.

Called by ``Store`` inside its transactions. A notice's attachments are replaced with the
notice (deleted with its extracted rows, written again); a register row's file has one row,
replaced whenever the file is read again.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from pipeline.loader import notice_keys, write_extraction
from pipeline.models import LoadedAttachment

# Statuses whose file the next night asks for again (a failed fetch; a file the archive lacks).
RETRY_STATUSES = ("failed", "missing")


def attachment_row(attachment: LoadedAttachment, version: str) -> dict[str, Any]:
    """The columns of one attachment. What the file itself is (``extract().document``) is a
    ``document_copies`` row of kind "attachment", written with its other extracted rows."""
    return {
        "url": attachment.url, "status": attachment.status, "reason": attachment.reason,
        "kind": attachment.kind, "bytes": attachment.size, "sha256": attachment.sha256,
        "pages": attachment.pages, "method": attachment.method, "legacy": attachment.legacy,
        "reader": attachment.reader, "text": attachment.text, "raw_path": attachment.raw_path,
        "fetched_at": attachment.fetched_at,
        "extractor_version": version if attachment.extraction is not None else None,
    }


def _insert(db: Database, row: dict[str, Any]) -> int:
    columns = list(row)
    cursor = db.execute(
        f"insert into attachments ({', '.join(f'[{c}]' for c in columns)})"
        f" values ({', '.join('?' for _ in columns)})", [row[c] for c in columns])
    return int(cursor.lastrowid)


def attachment_keys(attachments: Sequence[LoadedAttachment]) -> set[str]:
    """The document keys the attachments' extractions cite (see ``loader.notice_keys``)."""
    keys: set[str] = set()
    for attachment in attachments:
        if attachment.extraction is not None:
            keys |= notice_keys(attachment.extraction)
    return keys


def write_notice_attachments(db: Database, notice_id: int, published: str | None,
                             attachments: Sequence[LoadedAttachment], version: str) -> set[str]:
    """Insert a notice's attachments (after its body's rows) and their extracted rows; returns
    the document keys written. Task positions go on after the body's."""
    keys: set[str] = set()
    position = 1 + (db.execute("select ifnull(max(position), 0) from tasks where notice_id = ?",
                               [notice_id]).fetchone()[0])
    for index, attachment in enumerate(attachments, start=1):
        row = {"notice_id": notice_id, "position": index, **attachment_row(attachment, version)}
        attachment_id = _insert(db, row)
        extraction = attachment.extraction
        if extraction is None or attachment.text is None:
            continue
        keys |= write_extraction(db, notice_id, published, attachment.text, extraction, version,
                                 attachment_id=attachment_id, page_of=attachment.page_at,
                                 first_position=position, copy_url=attachment.url)
        position += len(extraction.tasks)
    return keys


def write_register_attachment(db: Database, register_entry_id: int,
                              attachment: LoadedAttachment, version: str) -> int:
    """The file of one register row, replacing the one read before. Its text is stored and
    searchable; what it cites is not loaded as citations (those are a notice's)."""
    db.execute("delete from attachments where register_entry_id = ?", [register_entry_id])
    return _insert(db, {"register_entry_id": register_entry_id, "position": 1,
                        **attachment_row(attachment, version)})
