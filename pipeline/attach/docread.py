"""DOC (Word 97–2003): LibreOffice converts it to DOCX, which ``docxread`` reads (numbering kept).

Every conversion gets its own LibreOffice profile (``-env:UserInstallation``): two runs sharing
one profile make the second silently write nothing. A converter that hangs is killed with its
whole process group after ``timeout`` seconds. Where LibreOffice is not installed, a light
fallback reads the text straight from the file's piece table (olefile): the words are all there,
Word's automatic numbering is not — its method is "doc-raw", so nobody mistakes it for the real thing.
"""
from __future__ import annotations

import io
import os
import shutil
import signal
import struct
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from .read import READER_VERSION, AttachmentText, UnreadableAttachment, assemble, convert_legacy


def binary() -> str | None:
    return os.environ.get("NOTICES_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


@lru_cache(maxsize=4)
def _version(exe: str) -> str:
    with tempfile.TemporaryDirectory(prefix="notices-lo-") as tmp:
        try:
            out = subprocess.run([exe, f"-env:UserInstallation={Path(tmp).as_uri()}", "--version"],
                                 capture_output=True, text=True, timeout=60)
            return (out.stdout.strip().split("\n") or ["LibreOffice ?"])[0].strip()
        except (OSError, subprocess.SubprocessError):
            return "LibreOffice ?"


def reader(method: str = "doc") -> str | None:
    """Identity of the DOC reader: LibreOffice's version (and python-docx), or the raw fallback's."""
    if method == "doc-raw":
        import olefile
        return f"notices-readers {READER_VERSION}; olefile {olefile.__version__} piece table"
    exe = binary()
    if exe is None:
        return None
    from .docxread import reader as docx_reader
    return f"{docx_reader()}; {_version(exe)}"


def read_doc(data: bytes, timeout: float = 120) -> AttachmentText:
    fib = _fib(data)
    if fib["encrypted"]:
        raise UnreadableAttachment("encrypted DOC: it needs a password")
    exe = binary()
    if exe is None:
        return read_doc_raw(data, fib)
    from .docxread import read_docx
    return read_docx(convert(exe, data, timeout), kind="doc", method="doc", reader_id=reader("doc"))


def convert(exe: str, data: bytes, timeout: float, target: str = "docx") -> bytes:
    """``data`` converted by LibreOffice (headless, own profile, killed after ``timeout`` s)."""
    with tempfile.TemporaryDirectory(prefix="notices-lo-") as tmp:
        src = Path(tmp) / "in.doc"
        src.write_bytes(data)
        out_dir = Path(tmp) / "out"
        args = [exe, f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}", "--headless", "--norestore",
                "--nologo", "--convert-to", target, "--outdir", str(out_dir), str(src)]
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise UnreadableAttachment(f"converter timeout: LibreOffice did not finish in {timeout:g} s") from None
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
        result = out_dir / f"in.{target}"
        if not result.exists():
            detail = err.decode("utf-8", "replace").strip().split("\n")[-1][:160] if err else "no output"
            raise UnreadableAttachment(f"converter failed: LibreOffice could not read the DOC ({detail})")
        return result.read_bytes()


def _fib(data: bytes) -> dict:
    """The few fields of the Word file information block we need (MS-DOC 2.5.1)."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            word = ole.openstream("WordDocument").read()
            flags = struct.unpack_from("<H", word, 0x0A)[0]
            table_name = "1Table" if flags & 0x0200 else "0Table"
            table = ole.openstream(table_name).read() if ole.exists(table_name) else b""
    except (OSError, struct.error, ValueError, IndexError) as e:
        raise UnreadableAttachment(f"corrupt DOC: {str(e).splitlines()[0][:120] if str(e) else type(e).__name__}") from None
    if len(word) < 0x1AA or struct.unpack_from("<H", word, 0)[0] != 0xA5EC:
        raise UnreadableAttachment("corrupt DOC: the WordDocument stream has no valid header")
    return {"encrypted": bool(flags & 0x0100), "word": word, "table": table,
            "ccp_text": struct.unpack_from("<i", word, 0x4C)[0],
            "fc_clx": struct.unpack_from("<I", word, 0x1A2)[0], "lcb_clx": struct.unpack_from("<I", word, 0x1A6)[0]}


def read_doc_raw(data: bytes, fib: dict | None = None) -> AttachmentText:
    """The fallback without LibreOffice: the main text from the piece table, fields' results
    kept, their codes dropped; paragraphs and table cells as lines; no automatic numbering."""
    fib = fib or _fib(data)
    text = _piece_text(fib)
    raw, found = convert_legacy(_clean(text))
    return assemble("doc", "doc-raw", [(raw, "\n")], reader("doc-raw") or "", legacy=found)


def _piece_text(fib: dict) -> str:
    word, table = fib["word"], fib["table"]
    clx = table[fib["fc_clx"]: fib["fc_clx"] + fib["lcb_clx"]]
    pos = 0
    while pos < len(clx) and clx[pos] == 0x01:  # Prc: formatting, skipped
        pos += 3 + struct.unpack_from("<H", clx, pos + 1)[0]
    if pos >= len(clx) or clx[pos] != 0x02:
        raise UnreadableAttachment("corrupt DOC: no piece table")
    lcb = struct.unpack_from("<I", clx, pos + 1)[0]
    plc = clx[pos + 5: pos + 5 + lcb]
    n = (lcb - 4) // 12
    cps = struct.unpack_from(f"<{n + 1}i", plc, 0)
    out, total = [], 0
    for i in range(n):
        _, fc_raw = struct.unpack_from("<HI", plc, 4 * (n + 1) + 8 * i)
        length = cps[i + 1] - cps[i]
        if length <= 0:
            continue
        length = min(length, max(fib["ccp_text"] - total, 0)) if fib["ccp_text"] > 0 else length
        if length == 0:
            break
        if fc_raw & 0x40000000:  # 8-bit characters (Windows-1252) at fc / 2
            start = (fc_raw & 0x3FFFFFFF) // 2
            out.append(word[start: start + length].decode("cp1252", "replace"))
        else:
            start = fc_raw & 0x3FFFFFFF
            out.append(word[start: start + 2 * length].decode("utf-16-le", "replace"))
        total += length
    return "".join(out)


def _clean(text: str) -> str:
    """Word's control characters: \\r paragraph, \\x07 cell/row end, \\x0b line break, \\x0c page
    break; fields \\x13 code \\x14 result \\x15 keep their result; objects and notes dropped."""
    out, depth_code = [], []
    for ch in text:
        if ch == "\x13":
            depth_code.append(True)
        elif ch == "\x14":
            if depth_code:
                depth_code[-1] = False
        elif ch == "\x15":
            if depth_code:
                depth_code.pop()
        elif depth_code and depth_code[-1]:
            continue
        elif ch in "\r\x0b\x0c":
            out.append("\n")
        elif ch == "\x07":
            out.append("\t")
        elif ch in "\x01\x02\x03\x04\x05\x08":
            continue
        else:
            out.append(ch)
    return "".join(out).replace("\t\t", "\n")
