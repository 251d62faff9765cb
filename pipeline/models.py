"""The records that move through the pipeline: fetched pages, archived pages, parsed notices,
register rows, failures and run statistics. Extraction records live in ``extractors.models``."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the extractor's records; only a type here, pipeline stays importable alone
    from extractors.models import Extraction


@dataclass
class FetchedPage:
    """One HTTP response as received (after redirects on the same host)."""

    url: str  # the URL asked for
    final_url: str  # the URL that answered
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: str  # ISO 8601 UTC


@dataclass
class ArchivedPage:
    """A fetched page as kept in the raw archive (the source of truth for ``reparse``)."""

    kind: str  # "article" | "listing" | "register" | "home"
    site: str  # host of the portal
    page_id: str  # validated id the file name derives from (article id, category id + page ...)
    url: str
    status: int
    headers: dict[str, str]
    fetched_at: str
    sha256: str  # of the body
    path: str  # archive file, relative to the raw dir
    body: bytes = b""
    final_url: str | None = None  # the URL that answered, when a same-host redirect happened


@dataclass
class Notice:
    """One article of the portal, parsed out of its page."""

    site: str
    article_id: str
    url: str
    title: str
    published: date | None
    category: str | None
    body: str  # the notice body as text (paragraphs separated by blank lines)
    content_hash: str  # sha256 of the normalized title + body: what "changed" means
    raw_path: str | None = None
    fetched_at: str | None = None
    category_id: str | None = None
    attachments: list[str] = field(default_factory=list)
    # Fields the profile's selectors did not find, read by the generic fallback instead
    # ("title", "published", "body"): many such pages in one run mean the markup changed.
    generic: tuple[str, ...] = ()


@dataclass
class LoadedAttachment:
    """One file a notice or a register row links, as the store writes it: its bytes (fetched, or
    read back from the archive), their text and its extraction, or why there are none."""

    url: str
    status: str  # "read" | "unreadable" (bytes archived, no text) | "failed" (fetch) | "missing" (not archived)
    reason: str | None = None
    kind: str | None = None  # "pdf" | "docx" | "doc" | "image", from the bytes
    size: int | None = None  # bytes
    sha256: str | None = None
    raw_path: str | None = None  # archive file, relative to the raw dir
    fetched_at: str | None = None
    pages: int | None = None
    page_starts: list[int] = field(default_factory=list)  # where each page starts in ``text``
    method: str | None = None  # "text-layer" | "ocr" | "docx" | "doc" | "legacy-converted"
    legacy: str | None = None  # "tcvn3" | "vni": the legacy font encoding converted
    reader: str | None = None  # the reader's identity (what the text cache is keyed by)
    text: str | None = None  # the extractor's normalized text: every offset points into it
    extraction: Extraction | None = None

    def page_at(self, offset: int) -> int | None:
        """The page (1-based) holding ``offset`` of ``text``; None without pages."""
        if not self.page_starts:
            return None
        return max(1, bisect.bisect_right(self.page_starts, offset))


@dataclass
class ParsedPage:
    """One archived article page after parse + extract: what a rebuild worker (a process of
    the pool, or a Dask worker) sends back to the writer. ``error`` instead of a notice when
    the page could not be read, parsed or extracted."""

    path: str  # archive file, relative to the raw dir
    url: str | None = None
    status: int | None = None
    notice: Notice | None = None
    extraction: Extraction | None = None
    error: str | None = None
    attachments: list[LoadedAttachment] = field(default_factory=list)


@dataclass
class PortalSpec:
    """One portal of a portals file (``notices nightly --portals FILE``)."""

    base_url: str
    profile: str = "liferay"  # a bundled profile name or a TOML path
    delay: float | None = None  # seconds between requests to its host; None: the file's default
    name: str | None = None

    @property
    def label(self) -> str:
        return self.name or self.base_url


@dataclass
class PortalRun:
    """What one portal of a many-portal run did: its stats, or why it failed."""

    portal: PortalSpec
    stats: RunStats | None  # None when the crawl crashed
    error: str | None = None


@dataclass
class RegisterEntry:
    """One row of the register of directives ("Văn bản chỉ đạo điều hành")."""

    site: str
    number: str  # as written; the store canonicalizes it
    issued: date | None
    doc_type: str | None
    summary: str | None
    file_url: str | None
    detail_url: str | None
    register_id: str | None = None


@dataclass
class ListingRef:
    """A listing the crawler watches: a news category or the register, found in the home menu."""

    url: str  # page 1 of the listing
    name: str
    kind: str  # "listing" | "register"
    category_id: str | None = None


@dataclass
class ArticleLink:
    """An article as a listing page shows it."""

    url: str
    article_id: str
    category_id: str
    title: str | None = None
    published: date | None = None


@dataclass
class ListingPage:
    """One page of a category listing: its article links and the pages it links to."""

    url: str
    category_id: str | None
    page: int
    articles: list[ArticleLink] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # every pagination URL offered, in page order
    next_url: str | None = None  # the "next page" link, when the page offers one


@dataclass
class RegisterPage:
    """One page of the register of directives."""

    url: str
    page: int
    entries: list[RegisterEntry] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    next_url: str | None = None


@dataclass
class FetchFailure:
    """A page that could not be fetched or parsed; retried next run."""

    url: str
    reason: str
    status: int | None = None
    kind: str | None = None
    at: str | None = None


@dataclass
class RunStats:
    """What one scrape run did; one row of ``scrape_runs``."""

    started_at: str
    finished_at: str | None = None
    base_url: str | None = None
    requests: int = 0
    pages_fetched: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    register_rows: int = 0
    generic_pages: int = 0  # articles whose title, date or body the generic fallback had to read
    attachments: int = 0  # files fetched (and archived)
    status: str = "running"  # running | ok | failed
    message: str | None = None


@dataclass
class AuditDocument:
    """One document an audited number names (a number reused in several years names several)."""

    id: int
    number: str  # canonical
    year: int | None
    doc_type: str | None
    issued: str | None  # ISO date
    issuer: str | None  # as written with the mentions ("Chủ tịch UBND tỉnh")
    issuer_code: str | None  # from the number ("UBND")
    in_register: bool
    summary: str | None = None  # register only
    file_url: str | None = None
    detail_url: str | None = None


@dataclass
class AuditCitation:
    """One notice sentence that cites the document."""

    document_id: int
    notice_id: int
    published: str | None
    title: str
    url: str
    number_as_written: str
    sentence: str | None
    start: int | None = None  # offsets of the mention in the notice body (or its attachment's text)
    end: int | None = None
    attachment_url: str | None = None  # the attached file the sentence is in; None: the body
    page: int | None = None  # its page in that file


@dataclass
class OnFile:
    """One place a copy of an audited document is kept."""

    document_id: int
    kind: str  # register | notice | attachment
    url: str | None
    title: str | None = None  # the register's summary, or the notice's title
    dated: str | None = None  # the register's issue date, or the notice's publication date


@dataclass
class TrailLink:
    """One mention on the citation chain around an audited document, found in a notice's text
    (or an attachment's). ``depth`` counts the steps from the audited document: in ``cited_by``
    the mention cites a document at ``depth - 1`` steps (the audited one at 1), in ``cites`` the
    mention is in a document at ``depth - 1`` steps and cites ``document``."""

    depth: int
    via_id: int  # the chain's document this step starts from (cited_by: cited; cites: citing)
    via_number: str
    document_id: int | None  # the other document: the citing one (cited_by; None for a notice
    number: str | None  # that is no document on file) or the cited one (cites)
    year: int | None
    doc_type: str | None
    notice_id: int
    published: str | None
    title: str
    url: str  # where the mention was found
    number_as_written: str
    sentence: str | None
    found_in: str = "notice"  # notice | attachment
    attachment_url: str | None = None  # the attached file the sentence is in (cited_by); None: the body
    page: int | None = None  # its page in that file

    @property
    def kind(self) -> str:
        """What cites, in cited_by: a "document" on file, or a plain "notice"."""
        return "document" if self.document_id is not None else "notice"


@dataclass
class ScheduledTask:
    """A task with its notice, lead units and deadline (a row of the ``task_schedule`` view)."""

    task_id: int
    notice_id: int
    published: str | None
    notice_title: str
    url: str
    ordinal: str
    text: str
    lead_units: list[str] = field(default_factory=list)
    deadline: str | None = None  # as extracted: 2024-08-26, 2024-09 or a span
    deadline_date: str | None = None  # the last day it allows (ISO)


@dataclass
class AuditTask(ScheduledTask):
    """One task that carries the audited document."""

    document_id: int = field(kw_only=True)


@dataclass
class AuditTrail:
    """The citation trail of one number: its documents, who cited them, which tasks carry them."""

    query: str  # the number as the user typed it
    key: str  # its identity (extractors.numbers.document_key)
    documents: list[AuditDocument] = field(default_factory=list)  # oldest year first
    citations: list[AuditCitation] = field(default_factory=list)  # oldest notice first
    tasks: list[AuditTask] = field(default_factory=list)  # oldest notice first
    on_file: list[OnFile] = field(default_factory=list)  # register rows, notices, attachments
    cited_by: list[TrailLink] = field(default_factory=list)  # by depth, then oldest first
    cites: list[TrailLink] = field(default_factory=list)  # by depth, then oldest first
    depth: int = 1  # how many steps of the chain were followed each way

    def citing_notices(self, document_id: int) -> list[list[AuditCitation]]:
        """The citations of one document grouped by notice (a notice may cite it in several
        sentences), oldest notice first."""
        groups: dict[int, list[AuditCitation]] = {}
        for citation in self.citations:
            if citation.document_id == document_id:
                groups.setdefault(citation.notice_id, []).append(citation)
        return list(groups.values())

    def tasks_of(self, document_id: int) -> list[AuditTask]:
        return [t for t in self.tasks if t.document_id == document_id]

    def files_of(self, document_id: int) -> list[OnFile]:
        return [f for f in self.on_file if f.document_id == document_id]

    def cited_by_of(self, document_id: int) -> list[TrailLink]:
        """The chain above one document: its direct citers, then what cites them, ..."""
        return _reach(self.cited_by, document_id)

    def cites_of(self, document_id: int) -> list[TrailLink]:
        return _reach(self.cites, document_id)


def _reach(links: list[TrailLink], document_id: int) -> list[TrailLink]:
    """The links reached from ``document_id``: depth 1 from it, deeper ones from those."""
    frontier, out = {document_id}, []
    for depth in sorted({link.depth for link in links}):
        step = [link for link in links if link.depth == depth and link.via_id in frontier]
        out += step
        frontier = {link.document_id for link in step if link.document_id is not None}
    return out


@dataclass
class CitedDirective:
    """A cited document with its counts (a row of the ``directive_citations`` view)."""

    document_id: int
    number: str
    year: int | None
    doc_type: str | None
    issued: str | None
    in_register: bool
    citations: int  # mentions
    notices: int  # distinct citing notices
    tasks: int  # tasks that carry it
    first_cited: str | None
    last_cited: str | None
    summary: str | None = None  # from the register
    file_url: str | None = None


@dataclass
class UnitDeadlines:
    """One lead unit's tasks by where their deadline stands on the report's day."""

    unit: str
    overdue: list[ScheduledTask] = field(default_factory=list)
    due_soon: list[ScheduledTask] = field(default_factory=list)
    later: int = 0
    no_deadline: int = 0


@dataclass
class CitingNotice:
    """A notice in the citation graph."""

    notice_id: int
    published: str | None
    title: str
    url: str
    document_id: int | None = None  # the document the notice itself is (its own header), if any
    document_number: str | None = None


@dataclass
class CitationLink:
    """Notice -> document, with how many times the notice cites it."""

    document_id: int
    notice_id: int
    mentions: int


@dataclass
class AuditReport:
    """What ``notices report`` shows, read from the database as of ``today``."""

    today: str  # ISO date deadlines are measured against
    source: str  # the database file
    totals: dict[str, int | str | None] = field(default_factory=dict)
    most_cited: list[CitedDirective] = field(default_factory=list)
    unregistered: list[CitedDirective] = field(default_factory=list)
    months: list[tuple[str, int]] = field(default_factory=list)  # every month, gaps as 0
    units: list[UnitDeadlines] = field(default_factory=list)
    graph_notices: list[CitingNotice] = field(default_factory=list)
    graph_links: list[CitationLink] = field(default_factory=list)
