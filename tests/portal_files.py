"""Files the sample portal serves, made by the project itself (``tests/docgen.py``) so what a
reader must find in them is known:

- each register row's directive, a one-page text PDF (its header, number, type and summary),
  served by ``MockPortal`` at the row's file link;
- attachment-only notices: gold notices whose article page says only "Chi tiết xem tại file
  đính kèm" (or nothing), the notice itself being the attached file, one kind each (text PDF,
  scanned PDF, DOCX, DOC, a DOCX typed in the TCVN3 font);
- bad files (``BAD_FILES``): what a small government server really hands out now and then.

Every file is made once per process (``functools.cache``): the DOC needs LibreOffice, the scan a
rasterization, a few seconds each.
"""
from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Callable

from tests import docgen
from tests.portal import FIXTURES, MockPortal, PortalArticle, PortalFile

POINTER = "Chi tiết xem tại file đính kèm."
NOTICES_CATEGORY = "1663228888530"  # "Thông báo"
CONTENT_TYPES = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument."
                 "wordprocessingml.document", "doc": "application/msword"}

# Attachment kind -> the gold notices rendered as that kind: synthetic notices (the HTML articles
# of the sample portal are the dev corpus) that cite at least five documents and assign tasks,
# in file-name order, two to each kind.
ATTACHED = {
    "pdf": ["synth-01-skhcn-ket-luan-so-ket-6-thang", "synth-02-skhcn-ke-hoach-kiem-tra-xang-dau"],
    "scan": ["synth-08-skhcn-ket-luan-chuyen-doi-so-2025", "synth-11-stc-cong-van-quyet-toan-2023"],
    "docx": ["synth-12-snv-ke-hoach-kiem-tra-cchc", "s2-07-snn-ket-luan-dich-ta-lon-chau-phi"],
    "doc": ["s2-08-huong-hoa-ket-luan-du-an-dau-tu-cong", "s2-09-kiem-lam-cong-van-pcccr-mua-kho"],
    "docx-tcvn3": ["s2-11-tinh-uy-ket-luan-lam-viec-dakrong", "s2-13-ubnd-tinh-ket-luan-le-hoi-vi-hoa-binh"],
}
EXTENSION = {"pdf": "pdf", "scan": "pdf", "docx": "docx", "doc": "doc", "docx-tcvn3": "docx"}
METHOD = {"pdf": "text-layer", "scan": "ocr", "docx": "docx", "doc": "doc", "docx-tcvn3": "legacy-converted"}


def library_path(name: str, extension: str, folder: str = NOTICES_CATEGORY) -> str:
    """A Liferay document-library link: the file name, then the file's UUID, then its version."""
    file_uuid = uuid.uuid5(uuid.NAMESPACE_URL, f"notices-test/{folder}/{name}")
    return f"/documents/10181/{folder}/{name.replace(' ', '+')}.{extension}/{file_uuid}?version=1.0"


# --- the register's files -----------------------------------------------------------------------

@cache
def register_document(number: str, issued: date, doc_type: str, summary: str) -> bytes:
    """The text PDF of one directive of the register: header with its number, type, summary."""
    notice = docgen.Notice(number, doc_type, (summary,), issued.isoformat(), {"document": {"number": number}})
    return docgen.to_pdf(notice)


# --- attachment-only notices ------------------------------------------------------------------------

def gold_path(name: str) -> Path:
    return next(FIXTURES.glob(f"*/{name}.json"))


def gold_notice(name: str) -> docgen.Notice:
    """A gold notice for the generators, one paragraph per line: the gold texts write a list
    item on its own line inside a paragraph ("IV. TỔ CHỨC THỰC HIỆN\n1. ..."), and a document
    sets each on a line of its own."""
    notice = docgen.load(gold_path(name))
    lines = tuple(line.strip() for p in notice.paragraphs for line in p.split("\n") if line.strip())
    return docgen.Notice(notice.name, notice.title, lines, notice.published, notice.gold)


@cache
def attached_file(name: str, kind: str) -> bytes:
    return docgen.make(gold_notice(name), kind)


@dataclass
class AttachedNotice:
    kind: str  # a key of ATTACHED
    gold: str  # the gold notice's name
    article: PortalArticle
    file: PortalFile


def add_attachment_notices(portal: MockPortal, kinds: tuple[str, ...] = tuple(ATTACHED),
                           first_id: int = 1900000000100) -> list[AttachedNotice]:
    """One article per gold notice of ``ATTACHED[kind]``: its title, a body that only points to
    the file (or is empty), and the file, served under a Liferay link whose name says nothing
    true about its kind (a scan is "….pdf" like a text PDF; the server calls everything
    application/octet-stream)."""
    added = []
    for kind in kinds:
        for i, name in enumerate(ATTACHED[kind]):
            notice = gold_notice(name)
            file = PortalFile(library_path(name, EXTENSION[kind]), attached_file(name, kind),
                              "application/octet-stream", f"{name}.{EXTENSION[kind]}")
            article = portal.add_article(notice.title, [POINTER] if i == 0 else [],
                                         date.fromisoformat(notice.published), NOTICES_CATEGORY,
                                         str(first_id + len(added)), [file])
            added.append(AttachedNotice(kind, name, article, file))
    return added


# --- bad files ----------------------------------------------------------------------------------------

def _encrypted_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Mat khau")
    pdf.set_encryption(owner_password="owner", user_password="secret")
    return bytes(pdf.output())


def _truncated_pdf() -> bytes:
    whole = register_document("97/KH-SKHCN", date(2023, 12, 28), "Kế hoạch", "Cải cách hành chính năm 2024")
    return whole[: len(whole) // 3]


def _zip_bomb_docx() -> bytes:
    """A DOCX whose document.xml inflates to 400 MB of spaces (a few hundred kB on the wire)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"/>')
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            block = b" " * (1 << 20)
            for _ in range(400):
                member.write(block)
    return out.getvalue()


def _html_as_pdf() -> bytes:
    return ("<!DOCTYPE html><html><head><title>Đăng nhập</title></head><body><h1>Phiên làm việc đã hết hạn"
            "</h1><p>Vui lòng đăng nhập lại.</p></body></html>").encode("utf-8")


def _long_scan() -> bytes:
    """300 scanned pages (a blank page image repeated): a scan too long to OCR in one night."""
    from fpdf import FPDF
    from PIL import Image

    page = io.BytesIO()
    Image.new("L", (620, 877), 255).save(page, "PNG")
    pdf = FPDF(format="A4")
    for _ in range(300):
        pdf.add_page()
        pdf.image(io.BytesIO(page.getvalue()), x=0, y=0, w=210, h=297)
    return bytes(pdf.output())


def _encrypted_docx() -> bytes:
    """What Word writes for a password-protected DOCX: an OLE container holding EncryptionInfo and
    EncryptedPackage streams (written here by hand: a one-sector CFB file)."""
    return _ole_file({"EncryptionInfo": (b"\x04\x00\x04\x00\x40\x00\x00\x00").ljust(4096, b"\x00"),
                      "EncryptedPackage": (b"\x00\x10\x00\x00\x00\x00\x00\x00" + bytes(range(256)) * 16)[:4096]})


def _ole_file(streams: dict[str, bytes]) -> bytes:
    """A minimal compound file (CFB v3, 512-byte sectors): streams of 4096 bytes or more, so
    every one sits in regular sectors (smaller ones would belong in the mini stream)."""
    import struct

    sector = 512
    free, end, fat_sect = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    data_sectors: list[bytes] = []
    starts = []
    for content in streams.values():
        padded = content + b"\x00" * (-len(content) % sector or 0)
        padded = padded if len(padded) >= 4096 else padded + b"\x00" * (4096 - len(padded))
        starts.append(len(data_sectors))
        data_sectors += [padded[i:i + sector] for i in range(0, len(padded), sector)]
    dir_sector = len(data_sectors)
    fat_index = dir_sector + 1
    fat = []
    for start, content in zip(starts, streams.values()):
        count = max(len(content) + (-len(content) % sector), 4096) // sector
        fat += [start + i + 1 for i in range(count - 1)] + [end]
    fat += [end, fat_sect]
    fat += [free] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, start: int, size: int, child: int = free, right: int = free) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le")
        return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", free, right, child) + b"\x00" * 16 + b"\x00" * 4 + b"\x00" * 16
                + struct.pack("<IIi", start, size, 0))

    names = list(streams)
    entries = [entry("Root Entry", 5, end, 0, child=1)]
    for i, name in enumerate(names):
        entries.append(entry(name, 2, starts[i], len(streams[name]), right=i + 2 if i + 1 < len(names) else free))
    directory = b"".join(entries).ljust(sector, b"\x00")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\x00" * 10 + struct.pack("<IIIIIIII", 1, dir_sector, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", fat_index) + struct.pack("<I", free) * 108)
    return header + b"".join(data_sectors) + directory + struct.pack(f"<{sector // 4}I", *fat)


@dataclass(frozen=True)
class BadFile:
    what: str
    make: Callable[[], bytes]
    content_type: str
    reason: str  # part of the reason recorded for it
    extension: str = "pdf"


BAD_FILES = [
    BadFile("encrypted PDF", _encrypted_pdf, "application/pdf", "password"),
    BadFile("truncated PDF", _truncated_pdf, "application/pdf", "truncated"),
    BadFile("zip-bomb DOCX", _zip_bomb_docx, "application/octet-stream", "zip bomb", "docx"),
    BadFile("a login page sent as a PDF", _html_as_pdf, "application/pdf", "HTML page"),
    BadFile("a 300-page scan", _long_scan, "application/pdf", "pages to OCR"),
    BadFile("password-protected DOCX", _encrypted_docx, "application/octet-stream", "password", "docx"),
]


@cache
def bad_file(what: str) -> bytes:
    return next(b for b in BAD_FILES if b.what == what).make()


def add_bad_file_notices(portal: MockPortal, first_id: int = 1900000000300) -> dict[str, PortalArticle]:
    """One article per bad file, its body a real notice text (it must load from the HTML)."""
    added = {}
    for i, bad in enumerate(BAD_FILES):
        file = PortalFile(library_path(f"tep-loi-{i}", bad.extension), bad_file(bad.what), bad.content_type)
        added[bad.what] = portal.add_article(
            f"Thông báo số {200 + i}/TB-SKHCN về việc tổ chức hội nghị", [
                f"Sở Khoa học và Công nghệ thông báo tổ chức hội nghị triển khai Kế hoạch số {30 + i}/KH-SKHCN "
                "ngày 15/3/2024 vào ngày 20/3/2024.", POINTER],
            date(2024, 3, 18), NOTICES_CATEGORY, str(first_id + i), [file])
    return added
