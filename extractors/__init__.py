"""Vietnamese administrative-text extraction: document numbers, dates, units and tasks.

Pure: text in, ``Extraction`` out. No HTTP, no SQL. ``extract`` is the one entry point;
``extractors.spacy_pipeline`` wraps the same rules as spaCy components.
"""
from __future__ import annotations

from .gazetteer import WORD_LIST_SHA256, WordListError  # noqa: E402

# Bump RULES_VERSION when what the rules find changes, then `make snapshot`
# (tests/test_extraction_snapshot.py fails when the output changes and the version does not).
RULES_VERSION = "0.5.0"
# Rows say which version made them: the rules and the pinned word list they read.
EXTRACTOR_VERSION = f"{RULES_VERSION}+words.{WORD_LIST_SHA256[:12]}"

from .extract import extract  # noqa: E402
from .models import DateMention, Extraction, Reference, Task, Unit  # noqa: E402
from .numbers import canonical_number, document_key  # noqa: E402

__all__ = ["EXTRACTOR_VERSION", "RULES_VERSION", "WordListError", "extract", "canonical_number", "document_key",
           "Extraction", "Reference", "DateMention", "Unit", "Task"]
