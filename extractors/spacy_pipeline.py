"""The extractor as spaCy components, for users who build on spaCy and for displaCy views.

``make_pipeline()`` gives ``spacy.blank("vi")`` (syllable tokenizer, no pyvi) with:
- a tokenizer wrapper that normalizes the text first (so offsets agree with ``extract``);
- ``notices_extractor``: runs the rules, keeps the ``Extraction`` on ``doc._.extraction``;
- ``notices_entities``: ``doc.ents`` = document numbers (REF, ``span._.canonical``), dates
  (DATE, ``span._.value`` and ``span._.role``) and units (ORG, ``span._.canonical``); also
  ``doc.spans["references"]``, ``doc.spans["dates"]``, ``doc.spans["units"]`` (which may overlap);
  the text's own number (its header's "Số: ...") is an OWN entity and ``doc.spans["document"]``;
- ``notices_tasks``: ``doc.spans["tasks"]``, one span per task labelled with its ordinal.

Set ``doc._.published`` (ISO date) before running a Doc through the pipeline to give the
year of dates written without one: ``doc = nlp.make_doc(text); doc._.published = "2024-08-22";
doc = nlp(doc)``.
"""
from __future__ import annotations

from typing import Any

import spacy
from spacy.lang.punctuation import TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import compile_prefix_regex, compile_suffix_regex, filter_spans

from .extract import extract
from .normalize import normalize_text

LABELS = {"references": "REF", "dates": "DATE", "units": "ORG", "document": "OWN"}

for _name, _default in (("published", None), ("extraction", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)
for _name in ("role", "value", "canonical", "doc_type", "issued", "lead_units", "deadline"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


class NormalizingTokenizer:
    """Normalize (NFC, spaces, blank lines) before tokenizing, as ``extract`` does."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        return self.tokenizer(normalize_text(text))

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)


@Language.component("notices_extractor")
def notices_extractor(doc: Doc) -> Doc:
    doc._.extraction = extract(doc.text, doc._.published)
    return doc


def _span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    return doc.char_span(start, end, label=label, alignment_mode="expand")


@Language.component("notices_entities")
def notices_entities(doc: Doc) -> Doc:
    ex = doc._.extraction
    if ex is None:
        return doc
    refs, dates, units, own = [], [], [], []
    if ex.document is not None:
        d = ex.document
        span = _span(doc, d.number_start, d.number_end, LABELS["document"])
        if span is not None:
            span._.canonical, span._.doc_type, span._.issued = d.number, d.doc_type, d.issued
            own.append(span)
    for r in ex.references:
        span = _span(doc, r.number_start, r.number_end, LABELS["references"])
        if span is not None:
            span._.canonical, span._.doc_type, span._.issued = r.number, r.doc_type, r.issued
            refs.append(span)
    for d in ex.dates:
        span = _span(doc, d.start, d.end, LABELS["dates"])
        if span is not None:
            span._.role, span._.value = d.role, d.value
            dates.append(span)
    for u in ex.units:
        for start, end in u.mentions:
            span = _span(doc, start, end, LABELS["units"])
            if span is not None:
                span._.canonical = u.name
                units.append(span)
    doc.spans["references"], doc.spans["dates"], doc.spans["units"] = refs, dates, units
    doc.spans["document"] = own
    doc.ents = filter_spans(own + refs + dates + units)
    return doc


@Language.component("notices_tasks")
def notices_tasks(doc: Doc) -> Doc:
    ex = doc._.extraction
    spans = []
    for t in ex.tasks if ex is not None else []:
        span = _span(doc, t.start, t.end, f"TASK {t.ordinal}")
        if span is not None:
            span._.lead_units, span._.deadline = t.lead_units, t.deadline
            spans.append(span)
    doc.spans["tasks"] = spans
    return doc


def make_pipeline() -> Language:
    """``spacy.blank("vi")`` with the notices components; nothing is downloaded.

    The Vietnamese tokenizer without pyvi splits on spaces only ("15/8/2024," is one token);
    spaCy's own prefix and suffix rules split punctuation off so entities end where they end.
    Infix rules are left out: "97/KH-SKHCN" stays one token."""
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    tokenizer = Tokenizer(nlp.vocab, prefix_search=compile_prefix_regex(TOKENIZER_PREFIXES).search,
                          suffix_search=compile_suffix_regex(TOKENIZER_SUFFIXES).search)
    nlp.tokenizer = NormalizingTokenizer(tokenizer)
    for name in ("notices_extractor", "notices_entities", "notices_tasks"):
        nlp.add_pipe(name)
    return nlp


COLORS = {"OWN": "#f4978e", "REF": "#f6c667", "DATE": "#9fd3c7", "ORG": "#c3b1e1"}


def render_html(text: str, published: str | None = None, title: str | None = None) -> str:
    """A self-contained displaCy page: entities highlighted, then each task as a span."""
    from html import escape

    from spacy import displacy

    nlp = make_pipeline()
    doc = nlp.make_doc(text)
    doc._.published = published
    doc = nlp(doc)
    ents = displacy.render(doc, style="ent", page=False, options={"colors": COLORS})
    tasks = displacy.render(doc, style="span", page=False, options={"spans_key": "tasks"}) if doc.spans["tasks"] else ""
    rows = "".join(
        f"<tr><td>{escape(t.ordinal)}</td><td>{escape(', '.join(t.lead_units))}</td>"
        f"<td>{escape(t.deadline or '')}</td><td>{escape(', '.join(t.references))}</td></tr>"
        for t in doc._.extraction.tasks)
    legend = "".join(f'<span style="background:{c};padding:2px 6px;margin-right:6px">{k}</span>'
                     for k, c in COLORS.items())
    heading = escape(title or doc._.extraction.title or "Notice")
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{heading}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.5}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:4px 8px;vertical-align:top}}</style></head>
<body><h1>{heading}</h1><p>Published: {escape(published or "unknown")} · {legend}</p>
<h2>Entities</h2>{ents}
<h2>Tasks</h2><table><tr><th>Item</th><th>Lead units</th><th>Deadline</th><th>Cites</th></tr>{rows}</table>
{tasks}</body></html>"""
