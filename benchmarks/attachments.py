"""Attachment readers: speed and accuracy on documents generated from the gold notices.

Prints (asserts nothing):
* pages/s of text PDFs (pdfium text layer + layout), DOCX files/s;
* OCR seconds a page with 1 and with 2 Tesseract processes (300 dpi, OMP_THREAD_LIMIT=1);
* the cost of re-reading 1,000 attachments with a warm text cache, beside what reading them cold costs;
* per kind (text PDF, DOCX, DOC, clean scan, degraded 200 dpi scan, TCVN3 and VNI DOCX/PDF):
  references recall and exact-number rate of the extraction from the attachment's text.

The generated files are kept under benchmarks/.cache/attachments/ (made once, reused).
Usage: python benchmarks/attachments.py [--ocr-every N] [--kinds pdf,docx,...]
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]

from extractors import extract  # noqa: E402
from pipeline.attach import TextCache, read_attachment  # noqa: E402
from pipeline.attach import ocr as ocr_engine  # noqa: E402
from tests import docgen  # noqa: E402

CACHE = HERE / ".cache" / "attachments"
OCR_KINDS = ("scan", "scan-degraded")


def generated(notice: docgen.Notice, kind: str) -> bytes:
    path = CACHE / (notice.name + docgen.SUFFIX[kind])
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(docgen.make(notice, kind))
    return path.read_bytes()


def pages_of(data: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()


def accuracy(notices: list[docgen.Notice], kind: str) -> tuple[int, float, float, float]:
    """(documents, recall, exact-number rate, seconds)."""
    total = found = exact = 0
    seconds = 0.0
    for notice in notices:
        data = generated(notice, kind)
        start = time.perf_counter()
        text = read_attachment(data, timeout=600).text  # a busy shared machine: no page lost to the clock
        seconds += time.perf_counter() - start
        a, b, c = docgen.reference_scores(notice.gold, extract(text, notice.published).to_dict())
        total, found, exact = total + a, found + b, exact + c
    return len(notices), found / max(total, 1), exact / max(total, 1), seconds


def text_pdf_speed(notices: list[docgen.Notice]) -> tuple[float, float]:
    pdfs = [generated(n, "pdf") for n in notices]
    docx = [generated(n, "docx") for n in notices]
    pages = sum(pages_of(p) for p in pdfs)
    start = time.process_time()
    for p in pdfs:
        read_attachment(p)
    pdf_rate = pages / (time.process_time() - start)
    start = time.process_time()
    for d in docx:
        read_attachment(d)
    return pdf_rate, len(docx) / (time.process_time() - start)


def ocr_speed(notices: list[docgen.Notice], workers: int) -> tuple[float, float, int]:
    """(wall seconds a page, Tesseract CPU seconds a page, pages). On a shared machine the wall
    figure counts the other jobs too; the CPU one is what a page costs."""
    scans = [generated(n, "scan") for n in notices]
    pages = sum(pages_of(s) for s in scans)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    for s in scans:
        read_attachment(s, workers=workers)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall / pages, cpu / pages, pages


def warm_cache(notices: list[docgen.Notice], kinds: list[str], count: int = 1000) -> tuple[float, float]:
    """(seconds to re-read ``count`` cached attachments, seconds reading them cold would take)."""
    cold_each = {}
    bases = []
    for kind in kinds:
        for n in notices[:3]:
            data = generated(n, kind)
            start = time.perf_counter()
            result = read_attachment(data)
            cold_each.setdefault(kind, []).append(time.perf_counter() - start)
            bases.append((kind, data, result))
    with tempfile.TemporaryDirectory(prefix="text-cache-") as tmp:
        cache = TextCache(tmp)
        items = []
        for i in range(count):
            kind, data, result = bases[i % len(bases)]
            # distinct bytes, so each is its own cache entry (a PDF ignores what follows %%EOF;
            # a ZIP or an OLE file the bytes after its end)
            variant = data + f"\n% variant {i}\n".encode()
            cache.put(variant, "auto", result)
            items.append((kind, variant))
        cache = TextCache(tmp)
        start = time.perf_counter()
        for _, variant in items:
            read_attachment(variant, cache=cache)
        warm = time.perf_counter() - start
        assert cache.hits == count, (cache.hits, cache.misses)
    cold = sum(sum(cold_each[k]) / len(cold_each[k]) for k, _ in items)
    return warm, cold


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ocr-every", type=int, default=3, help="OCR kinds: every Nth gold notice (OCR is slow)")
    ap.add_argument("--kinds", default=",".join(docgen.KINDS))
    a = ap.parse_args()
    notices = [docgen.load(p) for p in docgen.gold_files()]
    kinds = [k for k in a.kinds.split(",") if k]
    if docgen.soffice() is None and "doc" in kinds:
        print("doc: skipped (LibreOffice not installed)")
        kinds.remove("doc")
    has_ocr = ocr_engine.available()
    if not has_ocr:
        print("OCR kinds skipped (Tesseract with vie not installed)")
        kinds = [k for k in kinds if k not in OCR_KINDS]
    print(f"attachments generated from {len(notices)} gold notices (tests/fixtures/dev, synth); "
          f"cores: {os.cpu_count()}")
    pdf_rate, docx_rate = text_pdf_speed(notices)
    print(f"text PDF: {pdf_rate:,.0f} pages/s on one core (pdfium text layer + line joining); "
          f"DOCX: {docx_rate:,.0f} files/s")
    if has_ocr:
        sample = notices[:3]
        for workers in (1, 2):
            per_page, cpu, pages = ocr_speed(sample, workers)
            print(f"OCR: {per_page:.2f} s a page (wall) with {workers} Tesseract process{'es' if workers > 1 else ''}, "
                  f"{cpu:.2f} s of CPU a page ({pages} pages, 300 dpi, OMP_THREAD_LIMIT=1; load average "
                  f"{os.getloadavg()[0]:.1f})")
    warm, cold = warm_cache(notices, [k for k in kinds if k in ("pdf", "docx", "doc", "scan")])
    print(f"re-read 1,000 attachments from a warm text cache: {warm:.2f} s ({warm * 1000 / 1000:.1f} ms each); "
          f"reading them cold: {cold:,.0f} s")
    print(f"{'kind':<14} {'docs':>5} {'refs recall':>12} {'exact numbers':>14} {'s/doc':>7}")
    for kind in kinds:
        subset = notices[::a.ocr_every] if kind in OCR_KINDS else notices
        n, recall, exact, seconds = accuracy(subset, kind)
        print(f"{kind:<14} {n:>5} {recall:>12.3f} {exact:>14.3f} {seconds / n:>7.2f}")


if __name__ == "__main__":
    main()
