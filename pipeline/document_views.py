"""Views of documents on file and of the citations between documents.

A document is *on file* where a copy of it is kept: a row of the register (``register_entries``),
a notice that is the document itself (its header names its own number: ``document_copies`` of
kind "notice"), or an attachment that is (kind "attachment", written by the attachment reader).
``document_files`` unites them, one row per copy with its URL.

A document's own text cites other documents: the citations found in a notice that *is* document
D are citations of D. ``document_citations`` is that graph, one edge (citing document → cited
document) per mention, with the sentence and where it was found, so chains such as notice →
332/TB-UBND → 188/KH-UBND → 57-NQ/TW can be followed. A view, not a stored table: a mention
without a year is re-pointed when the register learns a new year, and the edges follow it.
Hook for the attachment reader: citations read from an attachment that is a document join its
copy by ``attachment_id`` rather than by notice (add that branch here when citations carry it).
"""
from __future__ import annotations

DOCUMENT_VIEWS: dict[str, str] = {
    "document_files": """
select r.document_id, d.number, d.year, d.doc_type, 'register' as kind,
       coalesce(r.file_url, r.detail_url) as url, r.summary as title, r.issued as dated,
       r.id as register_entry_id, null as notice_id, null as attachment_id, null as copy_id
from register_entries r join documents d on d.id = r.document_id
union all
select k.document_id, d.number, d.year, d.doc_type, k.kind, k.url, n.title, n.published,
       null, k.notice_id, k.attachment_id, k.id
from document_copies k
join documents d on d.id = k.document_id
join notices n on n.id = k.notice_id
""",
    "document_citations": """
select c.id as citation_id, k.document_id as citing_document_id, cd.number as citing_number,
       cd.year as citing_year, cd.doc_type as citing_doc_type,
       c.document_id as cited_document_id, d.number as cited_number, d.year as cited_year,
       d.doc_type as cited_doc_type, k.kind as found_in, k.url as found_at, c.notice_id,
       n.published, c.number_as_written, c.sentence
from citations c
join document_copies k on k.notice_id = c.notice_id and k.kind = 'notice'
join documents cd on cd.id = k.document_id
join documents d on d.id = c.document_id
join notices n on n.id = c.notice_id
where c.document_id <> k.document_id
""",
    # Every document on file, where (each copy's URL), and how far the graph reaches it.
    "documents_on_file": """
select d.id as document_id, d.number, d.year, d.doc_type, d.issued, d.issuer, d.on_file,
       (select count(*) from document_files f where f.document_id = d.id) as copies,
       (select group_concat(f.kind || ': ' || coalesce(f.url, ''), char(10))
          from document_files f where f.document_id = d.id) as where_on_file,
       (select count(*) from citations c where c.document_id = d.id) as cited_by,
       (select count(*) from document_citations e where e.citing_document_id = d.id) as cites
from documents d
where d.on_file is not null
order by d.issued is null, d.issued desc, d.number
""",
    # The auditors' hardest gap: cited, yet neither in the register nor a notice nor an attachment.
    "documents_cited_nowhere": """
select d.id as document_id, d.number, d.year, d.doc_type, d.issued, d.issuer_code,
       count(c.id) as citations, count(distinct c.notice_id) as notices,
       min(n.published) as first_cited, max(n.published) as last_cited
from documents d
join citations c on c.document_id = d.id
join notices n on n.id = c.notice_id
where d.on_file is null
group by d.id
order by notices desc, citations desc, d.number
""",
}
