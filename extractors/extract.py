"""The extractor: one pure function from a notice's text to its ``Extraction``.

Order matters where one field uses another: the list structure comes first (inside a task
"trong quý III" is a due date), then dates, then references (which claim the dates written
with a number as "issued"), then the text's own document (its number is no reference), then units, then each task's leads, deadline and references.
"""
from __future__ import annotations

from datetime import date

from .dates import find_dates, parse_iso
from .document import drop_own, find_document
from .models import Extraction
from .normalize import match_view, normalize_text
from .references import find_references
from .tasks import build_tasks, find_items
from .units import collect_units, find_unit_mentions


def extract(text: str, published: str | date | None = None, title: str | None = None) -> Extraction:
    """Everything the contract asks of one notice. ``published`` gives the year of dates written
    without one and bounds which year an undated reference resolves to."""
    text = normalize_text(text)
    view = match_view(text)
    pub = parse_iso(published)
    items = find_items(text, view)
    dates = find_dates(text, view, pub, [(it.start, it.end) for it in items])
    refs = find_references(text, view, dates, pub)
    document = find_document(text, view, refs)
    refs = drop_own(refs, document)
    mentions = find_unit_mentions(text, view)
    tasks = build_tasks(text, view, items, mentions, dates, refs)
    if title is None:
        first_line = text.split("\n", 1)[0].strip()
        title = first_line if 0 < len(first_line) <= 400 else None
    return Extraction(
        title=title, published=pub.isoformat() if pub else None, text=text, document=document,
        references=refs, dates=dates, units=collect_units(mentions), tasks=tasks)
