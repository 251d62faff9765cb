"""OCR of scanned pages with Tesseract's Vietnamese model (Debian: tesseract-ocr, tesseract-ocr-vie).

Pages are rendered at 300 dpi grayscale and read by one ``tesseract`` process each, as many at
once as ``workers`` (default: the cores), each with ``OMP_THREAD_LIMIT=1`` — Tesseract's own
threads cost 2.5× the CPU on this kind of machine for no gain when pages run side by side.
Tesseract's TSV output gives every word's box, so lines are rebuilt with their extents and go
through the same ``layout`` rules as a text layer.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from statistics import median
from typing import Iterable

from .layout import Line

DPI = 300
LANG = "vie"


class OcrError(Exception):
    """OCR could not run (no engine, a page timed out); the message is one sentence."""


def binary() -> str | None:
    return os.environ.get("NOTICES_TESSERACT") or shutil.which("tesseract")


@lru_cache(maxsize=4)
def _identity(exe: str) -> str:
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
        version = (out.stdout or out.stderr).split("\n", 1)[0].strip()
        langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as e:
        raise OcrError(f"tesseract does not run ({e})") from None
    m = re.search(r'"([^"]+)"', langs.stdout + langs.stderr)
    model = Path(m.group(1)) / f"{LANG}.traineddata" if m else None
    if model is None or not model.exists():
        raise OcrError(f"Tesseract's Vietnamese model is not installed (Debian package tesseract-ocr-{LANG})")
    digest = hashlib.sha256(model.read_bytes()).hexdigest()[:12]
    return f"{version} {LANG}:{digest}"


def identity() -> str:
    """"tesseract 5.3.0 vie:<sha256 of the model, 12 hex>"; raises OcrError where OCR cannot run."""
    exe = binary()
    if exe is None:
        raise OcrError("OCR needs Tesseract, which is not installed (make system-deps)")
    return _identity(exe)


def available() -> bool:
    try:
        identity()
        return True
    except OcrError:
        return False


def ocr_image(png: bytes, timeout: float, dpi: int = DPI) -> list[Line]:
    """The lines Tesseract reads on one page image (PNG bytes)."""
    exe = binary()
    if exe is None:
        raise OcrError("OCR needs Tesseract, which is not installed (make system-deps)")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        out = subprocess.run([exe, "stdin", "stdout", "-l", LANG, "--psm", "3", "--dpi", str(dpi), "tsv"],
                             input=png, capture_output=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        raise OcrError(f"OCR of a page took longer than {timeout:g} s") from None
    if out.returncode != 0:
        raise OcrError("Tesseract failed: " + out.stderr.decode("utf-8", "replace").strip().split("\n")[-1][:200])
    return parse_tsv(out.stdout.decode("utf-8", "replace"))


def parse_tsv(tsv: str) -> list[Line]:
    """Tesseract's TSV (one row per word with its box) → lines in reading order."""
    lines: dict[tuple[int, int, int], list[tuple[int, int, str]]] = {}
    order: list[tuple[int, int, int]] = []
    for row in tsv.split("\n")[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        word = cols[11].strip()
        if not word:
            continue
        key = (int(cols[2]), int(cols[3]), int(cols[4]))  # block, paragraph, line
        if key not in lines:
            lines[key] = []
            order.append(key)
        left, width = int(cols[6]), int(cols[8])
        lines[key].append((left, left + width, word))
    widths = [(r - l) / len(w) for words in lines.values() for l, r, w in words if len(w) >= 3]
    size = median(widths) if widths else 10.0
    out: list[Line] = []
    previous = None
    for key in order:
        words = lines[key]
        new_block = previous is not None and key[:2] != previous[:2]
        out.append(Line(" ".join(w for _, _, w in words), min(l for l, _, _ in words),
                        max(r for _, r, _ in words), size, new_block))
        previous = key
    return out


def ocr_pages(images: Iterable[bytes], *, workers: int | None, timeout: float,
              dpi: int = DPI) -> list[list[Line]]:
    """Every page image read, ``workers`` Tesseract processes at a time, results in page order."""
    workers = max(1, workers or os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(ocr_image, png, timeout, dpi) for png in images]
        return [f.result() for f in futures]


def png_bytes(image) -> bytes:
    """A page image as Tesseract gets it: 8-bit grayscale, despeckled by a 3×3 median (scanner
    noise breaks Tesseract's letters: on the degraded test scans references recall goes from
    0.81 to 1.0, clean scans unchanged), PNG with fast compression."""
    from PIL import ImageFilter

    buf = io.BytesIO()
    image.convert("L").filter(ImageFilter.MedianFilter(3)).save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def render_pages(document, indexes: list[int], dpi: int = DPI) -> Iterable[bytes]:
    """pdfium pages as grayscale PNGs at ``dpi`` (rendered one by one: pdfium is not thread-safe)."""
    for i in indexes:
        bitmap = document[i].render(scale=dpi / 72, grayscale=True)
        yield png_bytes(bitmap.to_pil())


def image_pages(data: bytes, max_pages: int) -> tuple[list[bytes], int]:
    """An image file's frames (a multi-page TIFF has several) as PNGs, and its resolution."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        dpi = int(round((image.info.get("dpi") or (DPI, DPI))[0])) or DPI
        frames = []
        for i, frame in enumerate(ImageSequence.Iterator(image)):
            if i >= max_pages:
                raise OcrError(f"too many pages: more than {max_pages} images in one file")
            frames.append(png_bytes(frame))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise OcrError(f"corrupt image ({str(e).splitlines()[0][:120] if str(e) else type(e).__name__})") from None
    return frames, max(70, min(dpi, 1200))


def read_image(data: bytes, timeout: float = 120, workers: int | None = None):
    """An image attachment (PNG, JPEG, TIFF) read by OCR: one page per frame."""
    from . import layout
    from .read import MAX_OCR_PAGES, READER_VERSION, UnreadableAttachment, assemble

    try:
        frames, dpi = image_pages(data, MAX_OCR_PAGES)
        pages = ocr_pages(frames, workers=workers, timeout=timeout, dpi=dpi)
        reader = f"notices-readers {READER_VERSION}; {identity()}"
    except OcrError as e:
        raise UnreadableAttachment(str(e)) from None
    texts = [layout.page_text(lines, i + 1, i == len(pages) - 1) for i, lines in enumerate(pages)]
    return assemble("image", "ocr", texts, reader)

