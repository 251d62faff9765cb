"""Defaults shared by the command line and the library; every one can be overridden by an
option or an environment variable (NOTICES_DB, NOTICES_RAW_DIR, NOTICES_BASE_URL, NOTICES_DELAY,
NOTICES_TIMEOUT, NOTICES_BACKOFF, NOTICES_MAX_BYTES, NOTICES_MAX_ATTACHMENT_BYTES)."""
from __future__ import annotations

DEFAULT_DB = "data/db/notices.db"
DEFAULT_RAW_DIR = "data/raw"
DEFAULT_BASE_URL = "https://sokhcn.quangtri.gov.vn"
DEFAULT_DELAY = 1.0  # seconds between two requests to one host
DEFAULT_TIMEOUT = 20.0  # seconds, connect and read
DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # larger pages are refused and recorded
# Attachments have their own cap: a scanned directive runs to tens of megabytes.
DEFAULT_MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
DEFAULT_READ_TIMEOUT = 120.0  # seconds to read one attachment (OCR, a converter), then it is unreadable
DEFAULT_BACKOFF = 1.0  # seconds before the first retry of a failed request; doubles each time
USER_AGENT = "notices/0.1 (document-parsing pipeline for public notices; +https://github.com/notices-vn/notices)"
