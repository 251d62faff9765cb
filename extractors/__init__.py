"""Vietnamese administrative-text extraction: document numbers, dates, units and tasks.

Pure: text in, ``Extraction`` out. No HTTP, no SQL. ``extract`` is the one entry point;
``extractors.spacy_pipeline`` wraps the same rules as spaCy components.
"""
from __future__ import annotations

EXTRACTOR_VERSION = "0.5.0"  # bump when what the rules find changes: rows say which version made them

from .extract import extract  # noqa: E402
from .models import DateMention, Extraction, Reference, Task, Unit  # noqa: E402
from .numbers import canonical_number, document_key  # noqa: E402

__all__ = ["EXTRACTOR_VERSION", "extract", "canonical_number", "document_key",
           "Extraction", "Reference", "DateMention", "Unit", "Task"]
