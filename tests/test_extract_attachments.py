"""`notices extract FILE` on attachments through the installed CLI: PDF, DOCX, DOC and images are
told apart by their bytes (whatever the file is called), read, and extracted into the contract's
JSON; a file that cannot be read is one line on stderr and exit 2."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests import docgen

NOTICES = str(Path(sys.executable).with_name("notices"))
NOTICE = docgen.load(docgen.FIXTURES / "dev" / "dev-01-ket-luan-giao-ban-quy-ii.json")
CONTRACT_KEYS = {"title", "published", "text", "document", "references", "dates", "units", "tasks"}


def notices(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([NOTICES, *args], capture_output=True, text=True, cwd=cwd, timeout=600)


def check_extraction(proc: subprocess.CompletedProcess) -> dict:
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == CONTRACT_KEYS  # nothing new in the contract's shape
    for r in out["references"]:
        assert out["text"][r["start"]:r["end"]] == r["text"]
    numbers = {r["number"] for r in out["references"]}
    assert {"97/KH-SKHCN", "3157/QĐ-UBND"} <= numbers
    return out


# The name says nothing: "file.bin" is a PDF, "van-ban.pdf" a DOCX.
@pytest.mark.parametrize("kind, name", [("pdf", "file.bin"), ("docx", "van-ban.pdf"), ("docx-tcvn3", "tb.docx"),
                                        ("pdf-vni", "tb.pdf")])
def test_extract_attachment_by_content(tmp_path, kind, name):
    (tmp_path / name).write_bytes(docgen.make(NOTICE, kind))
    out = check_extraction(notices("extract", name, "--published", "2024-07-12", cwd=tmp_path))
    assert out["published"] == "2024-07-12"
    assert len(out["tasks"]) == len(NOTICE.gold["tasks"])


def test_extract_attachment_from_stdin(tmp_path):
    proc = subprocess.run([NOTICES, "extract", "-", "--published", "2024-07-12"], input=docgen.to_docx(NOTICE),
                          capture_output=True, cwd=tmp_path, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "97/KH-SKHCN" in json.loads(proc.stdout)["text"]


@docgen.needs_soffice()
def test_extract_doc(tmp_path):
    (tmp_path / "cong-van.doc").write_bytes(docgen.make(NOTICE, "doc"))
    check_extraction(notices("extract", "cong-van.doc", cwd=tmp_path))


@docgen.needs_tesseract()
def test_extract_scan_with_ocr_modes(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(docgen.make(NOTICE, "scan"))
    check_extraction(notices("extract", "scan.pdf", "--ocr", "auto", cwd=tmp_path))
    never = notices("extract", "scan.pdf", "--ocr", "never", cwd=tmp_path)
    assert never.returncode == 2 and never.stdout == ""
    assert never.stderr == "notices extract: scan.pdf: a scanned PDF (no text layer) and OCR is off (--ocr never)\n"


@pytest.mark.parametrize("data, message", [
    (b"%PDF-1.4\n" + bytes(range(256)) * 8, "notices extract: bad.pdf: corrupt or truncated PDF: pdfium cannot parse it\n"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "notices extract: bad.pdf: an image: its text needs OCR, and OCR is off (--ocr never)\n"),
])
def test_unreadable_attachment_is_one_line(tmp_path, data, message):
    (tmp_path / "bad.pdf").write_bytes(data)
    proc = notices("extract", "bad.pdf", "--ocr", "never", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == message


def test_ocr_option_is_checked(tmp_path):
    (tmp_path / "a.docx").write_bytes(docgen.to_docx(NOTICE))
    proc = notices("extract", "a.docx", "--ocr", "sometimes", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "--ocr" in proc.stderr
