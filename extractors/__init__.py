"""Vietnamese administrative-text extraction: document numbers, dates, units and tasks.

Pure: text in, ``Extraction`` out. No HTTP, no SQL. ``extract`` is the one entry point;
``extractors.spacy_pipeline`` wraps the same rules as spaCy components.
"""
from __future__ import annotations

EXTRACTOR_VERSION = "0.1.0"
