"""The text's own document: the number, type, issue date and issuer of the document a text *is*.

Two places say it. The header of an official document (Decree 30/2020/NĐ-CP, Appendix I):

    UBND TỈNH QUẢNG TRỊ                     CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    SỞ KHOA HỌC VÀ CÔNG NGHỆ                Độc lập - Tự do - Hạnh phúc
    Số: 912/SKHCN-QLKH                      Quảng Trị, ngày 10 tháng 4 năm 2024
    V/v đề xuất nhiệm vụ ...                (or a type line: THÔNG BÁO, KẾ HOẠCH ...)

however it was flattened (columns on one line, "Số:" and the number on two lines, OCR), or a
title that is the document itself ("Thông báo số 332/TB-UBND ngày 19/8/2024 kết luận ...").
A news post that only mentions a notice names no own document: its numbers stand in prose.

Stages: find the header's "Số:" (at a line start, or after header material only) → the number
right after it → the type line (else "V/v": a letter; else the number's code) → the
place-and-date line → the issuing body (the last unit named above the number, motto masked).
Else the title form. The caller drops the own document from the references.
"""
from __future__ import annotations

import re
import tomllib
from datetime import date
from functools import lru_cache
from importlib import resources

from .models import Reference
from .normalize import match_view
from .numbers import canonical_number, document_data, document_key, parse_symbol
from .references import NUMBER
from .units import find_unit_mentions


@lru_cache(maxsize=1)
def header_data() -> dict:
    """The header vocabulary (extractors/data/header.toml)."""
    with resources.files(__package__).joinpath("data/header.toml").open("rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    d = header_data()
    types = sorted(document_data()["types"], key=len, reverse=True)
    type_alt = "|".join(re.escape(t.lower()) for t in types)
    # A type name broken across a line ("NGHỊ⏎QUYẾT SỐ 18/2021/NQ-HĐND") is still the type before a number.
    split_alt = "|".join(r"\s+".join(map(re.escape, t.lower().split())) for t in types)
    return {
        "label": re.compile(r"(?<![^\W\d_])" + d["number_label"] + r"[ \t]*\n?[ \t]*"),
        "type_before": re.compile(r"(?<![^\W\d_])(?:" + split_alt + r")\s*$"),
        # A type line that carries the number: "THÔNG TƯ15/2017/TT-BCT", "NGHỊ QUYẾT SỐ 41/2022/NQ-HĐND".
        "numbered_type": re.compile(r"(?P<type>" + type_alt + r")[ \t]*(?:số[ \t]*:?[ \t]*)?$"),
        "link_only": re.compile("|".join(d["link_only"])),
        "motto": re.compile("|".join(f"(?:{m})" for m in d["motto"])),
        "body": re.compile(r"\n[ \t]*(?:" + "|".join(d["body_start"]) + ")"),
        "prose_start": re.compile(d["prose_start"]),
        "header_then": re.compile(r"\n[ \t]*(?:" + "|".join(d["header_then"]) + ")"),
        "letter": re.compile(d["letter_summary"]),
        # A type line: the type name in capitals, at a line start or after the header's date.
        "type_line": re.compile(r"(?<![^\W\d_])(?:" + type_alt + r")(?![^\W\d_])"),
        "title": re.compile(r"(?P<type>" + type_alt + r")\s+số\s*:?\s*"),
        "date_line": re.compile(r"(?m)^[ \t]*[^\W\d_][^\W\d_ ]*(?:[ \t]+[^\W\d_]+){0,3}[ \t]*,[ \t]*ngày[^\n]{5,30}$"),
        "place_date": re.compile(
            r",\s*ngày\s+(?P<d>\d{1,2})\s*(?:tháng\s+|/|-|\.)\s*(?P<m>\d{1,2})\s*(?:năm\s+|/|-|\.)\s*(?P<y>(?:19|20)\d\d)"),
    }


def find_document(text: str, view: str, refs: list[Reference]) -> Reference | None:
    """The document ``text`` is, or None. ``refs`` are its references (the title form reuses
    the one the title's number gave)."""
    if _link_only(view):
        return None
    return _from_header(text, view) or _from_type_line(text, view, refs) or _from_title(text, view, refs)


def _link_only(view: str) -> bool:
    """A post that only links to the document ("Bấm vào đây để xem chi tiết") is not it."""
    first = view.find("\n")
    rest = view[first:] if first >= 0 else ""
    return len(rest.strip()) < header_data()["link_only_chars"] and bool(_patterns()["link_only"].search(rest))


def drop_own(refs: list[Reference], own: Reference | None) -> list[Reference]:
    """The references without the document itself: the own number is never a citation."""
    if own is None:
        return refs
    key = document_key(own.number)
    return [r for r in refs if not (document_key(r.number) == key
                                    and (r.year is None or own.year is None or r.year == own.year))]


# ------------------------------------------------------------------------------ header

def _header_end(view: str) -> int:
    if _patterns()["prose_start"].match(view):
        return 0  # the text opens with prose ("Ngày 06/4, UBND tỉnh ban hành ..."): no header
    span = min(len(view), header_data()["header_span"])
    m = _patterns()["body"].search(view, 0, span)
    return m.start() if m else span


def _masked(text: str, view: str, start: int, end: int) -> str:
    """``text[start:end]`` with the motto and rules blanked out (same length: offsets hold).
    A blanked run starts with a line break: in a flattened header it stood between columns."""
    out = list(text[start:end])
    for m in _patterns()["motto"].finditer(view, start, end):
        out[m.start() - start:m.end() - start] = "\n" + " " * (m.end() - m.start() - 1)
    return "".join(out)


def _from_header(text: str, view: str) -> Reference | None:
    p = _patterns()
    end = _header_end(view)
    for label in p["label"].finditer(view, 0, end):
        line_start = view.rfind("\n", 0, label.start()) + 1
        before = _masked(text, view, line_start, label.start())
        typed = p["type_before"].search(view, max(0, label.start() - 40), label.start())
        if typed and not label["colon"]:
            continue  # "Nghị định\nsố 68/2017/NĐ-CP", "Hướng dẫn số 94-HD/ĐUK": a citation
        head = label.start()  # where the label's words start
        if typed and typed.start() >= line_start:  # "Nghị quyết số: 653/2019/UBTVQH14"
            before = before[:typed.start() - line_start]
            head = typed.start()
        if any(c.islower() for c in before):
            continue  # "số:" inside prose, not the header's label
        number = _number_at(view, label.end())
        if number is None:
            continue  # a blank form ("Số: ....../QĐ-UBND")
        written = text[number.start():number.end()]
        canonical = canonical_number(written)
        issued = _place_date(text, view, line_start, end) or _date_line_above(text, view, line_start)
        sym = parse_symbol(canonical)
        year = sym.year or (int(issued[:4]) if issued else None)
        return Reference(
            number=canonical,
            doc_type=_doc_type(text, view, number.end(), end) or sym.doc_type or _title_type(view),
            issued=issued, issuer=_issuer(text, view, head),
            text=text[label.start():number.end()].strip(), start=label.start(), end=number.end(),
            number_start=number.start(), number_end=number.end(), year=year)
    return None


def _number_at(view: str, pos: int) -> re.Match | None:
    """The number right at ``pos``; "Số:912/..." glued to its colon too (NUMBER refuses a
    number right after ":", which elsewhere is a time or a ratio)."""
    if pos > 0 and not view[pos - 1].isspace():
        return NUMBER.match(view[:pos - 1] + " " + view[pos:pos + 200], pos)
    return NUMBER.match(view, pos)


def _title_type(view: str) -> str | None:
    """The type a first line opens with ("Kế hoạch Kiểm tra ...")."""
    m = _patterns()["type_line"].match(view)
    return _type_name(m.group(0)) if m else None


def _doc_type(text: str, view: str, start: int, end: int) -> str | None:
    """The type line after the number ("THÔNG BÁO", "KẾ HOẠCH"), else "V/v": a letter."""
    p = _patterns()
    letter = p["letter"].search(view, start, end)
    for m in p["type_line"].finditer(view, start, end):
        if letter and letter.start() < m.start():
            break  # words of the summary line, not a type line
        written = text[m.start():m.end()]
        if written.isupper():
            return _type_name(m.group(0))
    return header_data()["letter_type"] if letter else None


def _type_name(lowered: str) -> str | None:
    return next((t for t in document_data()["types"] if t.lower() == lowered), None)


def _place_date(text: str, view: str, start: int, end: int) -> str | None:
    """ "Quảng Trị, ngày 10 tháng 4 năm 2024": a date after a capitalized place name."""
    for m in _patterns()["place_date"].finditer(view, start, end):
        place = text[max(0, m.start() - 40):m.start()].split()[-4:]
        if not place or not place[-1][:1].isupper():
            continue
        try:
            return date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat()
        except ValueError:
            continue
    return None


def _date_line_above(text: str, view: str, end: int) -> str | None:
    """A place-and-date line of its own above the number (a right column read first)."""
    for m in _patterns()["date_line"].finditer(view, 0, end):
        found = _place_date(text, view, m.start(), m.end())
        if found:
            return found
    return None


def _issuer(text: str, view: str, label: int) -> str | None:
    """The issuing body: the last unit named in the header block above the label (the parent
    body, "UBND TỈNH QUẢNG TRỊ", comes first). The block is the run of lines just above the
    label that hold no lower-case prose once the motto is masked."""
    block_start = text.rfind("\n", 0, label) + 1
    while block_start > 0:
        prev = text.rfind("\n", 0, block_start - 1) + 1
        line = _masked(text, view, prev, block_start - 1)
        if any(c.islower() for c in line):
            break
        block_start = prev
    block = _masked(text, view, block_start, label).rstrip()
    if not block.strip():
        return None
    last_line = block.rfind("\n") + 1  # the issuing body; the parent body stands above it
    mentions = [m for m in find_unit_mentions(block, match_view(block)) if m.end > last_line]
    if mentions and not mentions[-1].name.isupper():
        return mentions[-1].name
    # The finder did not read the issuer in capitals: read it as a name is written.
    cased = _header_case(block[last_line:])
    found = find_unit_mentions(cased, match_view(cased))
    return found[-1].name if found else (mentions[-1].name if mentions else None)


def _canonical_unit(written: str | None) -> str | None:
    """ "của UBND tỉnh Quảng Trị" -> "UBND tỉnh": the unit's canonical name where the finder
    reads the whole phrase as one unit; else the phrase as written."""
    if not written:
        return None
    found = find_unit_mentions(written, match_view(written))
    if len(found) == 1 and found[0].start == 0 and found[0].end >= len(written.rstrip()):
        return found[0].name
    return written


def _header_case(line: str) -> str:
    """ "CHI CỤC KIỂM LÂM" -> "Chi cục Kiểm Lâm": capitals as a name is written, roughly."""
    d = header_data()
    keep, lower = set(d["acronyms"]), set(d["lower_words"])
    words = []
    for i, word in enumerate(line.split()):
        if word in keep:
            words.append(word)
        elif i > 0 and word.lower() in lower:
            words.append(word.lower())
        else:
            words.append(word[:1].upper() + word[1:].lower())
    return " ".join(words)


# ------------------------------------------------------------------------- type line

def _from_type_line(text: str, view: str, refs: list[Reference]) -> Reference | None:
    """A header's type line in capitals that carries the number itself, at a line start, in a
    header that goes on into a body ("Căn cứ ...", "Kính gửi ..."): a line alone is a citation."""
    end = _header_end(view)
    if not _patterns()["header_then"].search(view):
        return None
    for ref in refs:
        if ref.number_start >= end:
            continue  # refs come grouped by document, not in text order
        line_start = view.rfind("\n", 0, ref.number_start) + 1
        m = _patterns()["numbered_type"].fullmatch(view, line_start, ref.number_start)
        if m and text[m.start("type"):m.end("type")].isupper():
            issued = ref.issued or _place_date(text, view, ref.number_end, end)
            return Reference(
                number=ref.number, doc_type=_type_name(m["type"]), issued=issued, issuer=None,
                text=text[m.start():ref.number_end], start=m.start(), end=ref.number_end,
                number_start=ref.number_start, number_end=ref.number_end,
                year=ref.year or (int(issued[:4]) if issued else None))
    return None


# ------------------------------------------------------------------------------- title

_LIST_NEXT = re.compile(r"\s*(?:,|;|và)\s*(?:số\s*)?\d")


def _from_title(text: str, view: str, refs: list[Reference]) -> Reference | None:
    """A first line that opens with the document's own type and number, above a body (a line
    alone is a citation, not a title), naming one document (not "số 07/TB-SKHCN và 20/TB-SKHCN")."""
    line_end = view.find("\n")
    if line_end < 0 or not view[line_end:].strip():
        return None
    m = _patterns()["title"].match(view, 0, line_end)
    if not m:
        return None
    ref = next((r for r in refs if r.number_start == m.end()), None)
    if ref is None or _LIST_NEXT.match(view, ref.number_end):
        return None
    return Reference(
        number=ref.number, doc_type=_type_name(m["type"]) or ref.doc_type, issued=ref.issued,
        issuer=_canonical_unit(ref.issuer), text=ref.text, start=ref.start, end=ref.end,
        number_start=ref.number_start, number_end=ref.number_end, year=ref.year)
