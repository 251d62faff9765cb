"""Document-number references: find every mention, canonicalize it, and read its type, issue
date and issuer from the words around it.

Stages: mask what only looks like a number (URLs, e-mail, domains) → find number candidates
→ keep those with a code-like symbol or a "số"/type-word context → group lists that share a
type or a date → attach the issue date (a date written right after the number) and issuer.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from datetime import date

from .models import DateMention, Reference
from .numbers import canonical_number, document_data, document_key, parse_symbol

_L = r"[a-zđư]"
# A segment of a symbol: letters, maybe joined by "&" ("NN&PTNT", "SGD&ĐT"), maybe a term
# ("QH15"); OCR may put an apostrophe inside ("T'W").
_SEG = _L + r"{1,12}+(?:&" + _L + r"{1,12}+)?(?:['’]" + _L + r"{1,3}+)?\d{0,2}+"
_S = r"[ \t]{0,2}"
_NL = r"[ \t]{0,2}(?:\n[ \t]{0,2})?"  # a number may break across a line after "/" or "-"
_DASH = r"[-_]"
# Between segments: a dash (doubled by OCR: "CĐ- -TTg"), a slash ("TTLT/BTC-BKHCN"), a dot
# after a type code ("QĐ.TTg"), or one space before a segment that a dash follows ("BGD ĐT-BNV",
# OCR's "N Q-CP"). _candidates checks the last three.
_SEP = (r"(?:" + _S + _DASH + r"(?:" + _S + _DASH + r")?" + _NL + r"|/(?=" + _L + r")|\.(?=" + _L + r")"
        r"| (?=" + _L + r"{1,6}" + _S + _DASH + r"))")
_SYMBOL = _SEG + r"(?:" + _SEP + _SEG + r")*"
_PARTY_ISSUER = _L + r"{1,8}+(?:['’]" + _L + r"{1,3}+)?(?:" + _S + _DASH + _S + _L + r"{1,8}+)*"

# Searched in the match view (lower case, dashes folded), so one pattern serves "QD", "qđ", "–".
# A letter may stand right before the number only where a type word or "số" is glued to it
# ("THÔNG TƯ15/2017/TT-BCT", "số22-C"): _candidates checks.
NUMBER = re.compile(
    r"(?<![\d/.:\-])(?P<num>\d{1,5}[a-z]?)(?:"
    r"" + _S + "[/-]" + _NL + r"(?P<year>(?:19|20)\d\d)" + _S + "/" + _NL + r"(?P<normative>" + _SYMBOL + ")"
    r"|(?:" + _S + "-" + _S + r"| ?)(?P<code>" + _L + r"{1,6})" + _S + "/" + _NL + r"(?P<party>" + _PARTY_ISSUER + ")"
    r"|" + _S + "/" + _NL + r"(?P<plain>" + _SYMBOL + ")"
    r"|-(?P<series>[a-z])(?![\w/])"
    r"|-(?P<slug_year>(?:19|20)\d\d)-(?P<slug>" + _SYMBOL + ")"
    r")(?![\w])")

# Things that hold digits and slashes but are not numbers: masked before the search.
NOT_A_NUMBER = re.compile(
    r"https?://\S+|www\.\S+"
    # Possessive runs that start only at a token's start: linear on hostile input ("aaaa...@").
    r"|(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)++"
    r"|(?<![\w.-])(?:[\w-]++\.)++(?:vn|com|org|net|int|gov)\b(?:/\S*)?")

_ALIASES = document_data()["aliases"]
_TYPE_NAMES = sorted([*document_data()["types"], *_ALIASES], key=len, reverse=True)
# Words of a type name may be glued ("Kếtluận") or broken across a line ("NGHỊ⏎QUYẾT").
_TYPE_ALT = "|".join(r"\s*".join(map(re.escape, t.lower().split())) for t in _TYPE_NAMES + ["văn bản"])
_TYPE_BY_LETTERS = {t.lower().replace(" ", ""): _ALIASES.get(t, t) for t in _TYPE_NAMES}
# The same names without their marks, for text typed or scanned without them: one letter for one
# (the view keeps its length), "đ" as "d".
_BARE = {ord(c): unicodedata.normalize("NFD", c)[0] for c in map(chr, range(0xC0, 0x1EFA))
         if unicodedata.normalize("NFD", c)[0].isascii() and unicodedata.normalize("NFD", c)[0].isalpha()}
_BARE.update({ord("đ"): "d", ord("Đ"): "D", ord("ð"): "d"})
_TYPE_BY_BARE = {t.lower().replace(" ", "").translate(_BARE): _ALIASES.get(t, t) for t in _TYPE_NAMES}
BARE_TYPE_BEFORE = re.compile(
    r"(?<![^\W\d_])(?:" + "|".join(r"\s*".join(map(re.escape, t.lower().translate(_BARE).split()))
                                  for t in _TYPE_NAMES) + r")(?:\s+so)?\s*:?\s*$")
# "Kế hoạch số", "Luật Khoa học và Công nghệ số", "Nghị định", "Số:" right before a number.
TYPE_WORD = re.compile(r"(?<![^\W\d_])(?:" + _TYPE_ALT + r")(?![^\W\d_])")
# What may stand between a type word and its number: a name ("Luật Khoa học và Công nghệ số").
TYPE_GAP = re.compile(r"(?:(?:\s+[^\s;:.,()\d\n]+){0,8}?\s+số)?\s*:?\s*")
SO_BEFORE = re.compile(r"(?<![^\W\d_])số\s*:?\s*$")
OWN_NUMBER = re.compile(r"(?:^|\n|\*)\s*số\s*:\s*$")  # the header "Số: 912/SKHCN-QLKH" of the notice itself
LIST_JOIN = re.compile(
    r"\s*(?:,|;|và|,\s*và)\s*(?:(?:" + _TYPE_ALT + r")\s+)?(?:số\s+)?")
ISSUER_AFTER = re.compile(r"\s*,?\s*(?:của|do)\s+")
# Lower-case words inside the names of issuing bodies and positions ("Ủy ban nhân dân tỉnh",
# "Chủ tịch", "Bộ Khoa học và Công nghệ"); any other lower-case word ends an issuer phrase.
_NAME_WORDS = {
    "và", "ban", "nhân", "dân", "tỉnh", "huyện", "xã", "phường", "thị", "trấn", "thành", "phố", "tịch",
    "tướng", "đốc", "trưởng", "phòng", "ủy", "uỷ", "hành", "trị", "đồng", "phủ", "vụ", "thường",
    "nghiệp", "thôn", "nông", "triển", "lịch", "thao", "hóa", "hoá", "học", "nghệ", "chính", "tư",
    "trường", "tế", "tạo", "dục", "tra", "quốc", "hội", "chủ", "nước", "nhà", "bạc", "cục",
}
_HEADS_AFTER_COMMA = re.compile(r"(?:Bộ|Sở|Ban|Ủy ban|Uỷ ban|UBND|Cục|Tổng cục|Văn phòng) [A-ZĐÂĂÊÔƠƯ]")


@dataclass
class _Candidate:
    start: int
    end: int
    number: str
    doc_type: str | None  # from the words before it
    type_start: int  # where those words start
    context: bool  # "số" or a type word right before it


_MAYBE_ADDRESS = re.compile(r"@|://|www\.|\.(?:vn|com|org|net|int|gov)\b")


def _mask(view: str) -> str:
    if not _MAYBE_ADDRESS.search(view):
        return view  # most notices hold no address: skip the costly pattern
    return NOT_A_NUMBER.sub(lambda m: " " * (m.end() - m.start()), view)


_GLUED_BEFORE = re.compile(r"(?:" + _TYPE_ALT + r"|số)$")
_INNER_SPACE = re.compile(r"(?<=[^\W\d_]) (?=[^\W\d_])")


def _candidates(text: str, view: str) -> list[_Candidate]:
    out: list[_Candidate] = []
    for m in NUMBER.finditer(_mask(view)):
        before = view[max(0, m.start() - 90):m.start()]
        if OWN_NUMBER.search(before):
            continue  # the notice's own number is not a citation
        if before[-1:].isalpha() and not _GLUED_BEFORE.search(before):
            continue  # digits inside a word ("ABC15/KH-X"), unless a type word or "số" is glued on
        symbol = m["normative"] or m["party"] or m["plain"] or ""
        raw = _trim(text[m.start():m.end()])
        end = m.start() + len(raw)
        tm = _type_before(before) or _bare_type_before(before)
        context = tm is not None or SO_BEFORE.search(before) is not None
        if (m["series"] or m["slug"]) is not None and tm is None:
            continue  # "141-B", "15-2012-qđ-ubnd" are numbers only after a type word ("Sắc lệnh số 22-C")
        if m["plain"] is not None and not re.search(_S + _DASH, symbol) and not context:
            continue  # "1961/QĐUBND" passes only after "số" or a type word
        letters = re.sub(r"[^A-Za-zĐđƯư]", "", raw)
        if letters.islower() and not context:
            continue  # lower-case symbols without context are words ("kg/ha"), not numbers
        if m["slug"] is not None:  # a portal's slug "15-2012-qđ-ubnd": 15/2012/QĐ-UBND
            if parse_symbol(canonical_number("1/" + m["slug"])).type_code is None:
                continue
            raw = f"{m['num']}/{m['slug_year']}/{text[m.start('slug'):m.end('slug')]}"
        number = canonical_number(raw)
        if m["party"] is not None and "-" not in view[m.start():m.start("code")]:
            # "84 QĐ/TWĐTN", "22HD/TWĐTN": a Party number without its dash, written in capitals
            if not letters.isupper() or parse_symbol(number).type_code not in _type_codes():
                continue
        doc_type, type_start = None, m.start()
        if tm:
            doc_type = _type_name(tm.group(0))
            type_start = m.start() - len(before) + tm.start()
        out.append(_Candidate(m.start(), end, number, doc_type, type_start, context))
    return out


@lru_cache(maxsize=1)
def _type_codes() -> set[str]:
    return {c.upper() for codes in document_data()["types"].values() for c in codes}


_WORD_END = re.compile(r"[^\W\d_]{1,12}$")
_WORD_START = re.compile(r"[^\W\d_]+")


def _trim(raw: str) -> str:
    """Cut a match where it ran on past its symbol: at a dot that does not follow a type code
    ("QĐ.TTg" keeps it, "UBND.Tiếp" does not), at a space between letters outside capitals.
    Only a short window before each dot or space is read: linear on a long run of them."""
    for dot in (i for i, c in enumerate(raw) if c == "."):
        code = _WORD_END.search(raw, max(0, dot - 12), dot)
        if not code or canonical_number(code[0]).upper() not in _type_codes():
            return _trim(raw[:dot])
    for sp in _INNER_SPACE.finditer(raw):
        word = _WORD_START.match(raw, sp.end())
        prev = _WORD_END.search(raw, max(0, sp.start() - 12), sp.start())
        if not (word and prev and word[0].isupper() and prev[0].isupper()):
            return raw[:sp.start()].rstrip(" -")
    return raw


def _bare(s: str) -> str:
    return s.translate(_BARE)


def _bare_type_before(before: str) -> re.Match | None:
    """A type word written without its marks or with OCR's scrambled ones ("Ket luan so",
    "Kết lúận số", "Nghị qụỵết số"), right before the number or its "số"."""
    return BARE_TYPE_BEFORE.search(_bare(before))


def _type_before(before: str) -> re.Match | None:
    """The nearest type word that governs the number right after ``before``."""
    for m in reversed(list(TYPE_WORD.finditer(before))):
        if TYPE_GAP.fullmatch(before, m.end()):
            return m
    return None


def _type_name(written: str) -> str | None:
    key = re.sub(r"(?:so|số):?$", "", re.sub(r"\s+", "", written))  # no type name ends in "so"
    # None for "văn bản": the code decides
    return _TYPE_BY_LETTERS.get(key) or _TYPE_BY_BARE.get(key)


def find_references(text: str, view: str, dates: list[DateMention],
                    published: date | None) -> list[Reference]:
    """Every document-number mention of ``text``. Dates written with a number get role "issued"."""
    ordered = sorted(dates, key=lambda d: d.start)
    starts = [d.start for d in ordered]
    refs: list[Reference] = []
    for group in _groups(view, _candidates(text, view)):
        group_type = next((c.doc_type for c in group if c.doc_type), None)
        last = group[-1]
        shared, shared_end = _issue_date(view, last.end, ordered, starts)
        for c in group:
            sym = parse_symbol(c.number)
            doc_type = c.doc_type or (group_type if sym.doc_type in (None, group_type) else None) or sym.doc_type
            if c is last:
                issued, end = shared, shared_end
            else:  # list members share the date written after the last number
                own, own_end = _issue_date(view, c.end, ordered, starts)
                issued, end = (own, own_end) if own else (shared, c.end)
            issuer, issuer_end = _issuer(text, c.end)
            if issuer is None and end > c.end:
                issuer, issuer_end = _issuer(text, end)
            end = max(end, issuer_end)
            if issued is not None:
                issued.role = "issued"
            year = sym.year or (int(issued.value[:4]) if issued else None)
            refs.append(Reference(
                number=c.number, doc_type=doc_type, issued=issued.value if issued else None,
                issuer=issuer, text=text[c.type_start:end], start=c.type_start, end=end,
                number_start=c.start, number_end=c.end, year=year))
    _resolve_years(refs, published)
    _mark_unnumbered_issue_dates(view, ordered)
    return _full_citations_first(refs)


# "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015": a document cited by
# its name and date, without a number. Its date is still an issue date.
_NAME_THEN_DATE = re.compile(r"(?:,?\s+[^\s;:.,()\d\n]+){1,12}?\s+(?:ban hành\s+)?(?:ngày\s+)?")  # "Luật Cán bộ, công chức ngày"


_NAMED_TYPES = {"luật", "bộ luật", "pháp lệnh", "hiến pháp"}
_CAN_CU = re.compile(r"(?:^|\n)\s*căn cứ\s+$")


def _mark_unnumbered_issue_dates(view: str, dates: list[DateMention]) -> None:
    for d in dates:
        if d.role != "event" or len(d.value) != 10:
            continue
        before = view[max(0, d.start - 120):d.start]
        for m in reversed(list(TYPE_WORD.finditer(before))):
            if m.group(0) == "văn bản" or before.endswith("pháp ", 0, m.start()):
                continue  # words of the name ("Luật Ban hành văn bản quy phạm pháp luật ngày ...")
            # Laws are cited by name; other types only in a "Căn cứ" preamble line.
            cited = m.group(0) in _NAMED_TYPES or _CAN_CU.search(before, 0, m.start())
            if cited and _NAME_THEN_DATE.fullmatch(before, m.end()) and " số " not in before[m.end():]:
                d.role = "issued"
            break


def _full_citations_first(refs: list[Reference]) -> list[Reference]:
    """Group mentions by document, in order of first mention; within a document the full
    citation (the one written with its date) comes first, as a citator lists it, then the
    short mentions in text order."""
    groups: dict[tuple[str, int | None], list[Reference]] = {}
    for r in refs:
        groups.setdefault((document_key(r.number), r.year), []).append(r)
    ordered: list[Reference] = []
    for mentions in groups.values():
        ordered += sorted(mentions, key=lambda r: (r.issued is None, r.start))
    return ordered


def _groups(view: str, cands: list[_Candidate]) -> list[list[_Candidate]]:
    """Numbers in one list ("các Quyết định số 12/QĐ-SKHCN, 13/QĐ-SKHCN ngày ...") share words."""
    groups: list[list[_Candidate]] = []
    for c in cands:
        if groups and c.doc_type is None and LIST_JOIN.fullmatch(view[groups[-1][-1].end:c.start]):
            groups[-1].append(c)
        else:
            groups.append([c])
    return groups


# "ngày" glued to its date ("ngày22/5/2013") or with its marks scrambled ("ngàỷ", "ngay").
_NGAY = r"(?:ng[aàáảãạ][yỳýỷỹỵ]\s*)"
_DATE_GAP = re.compile(
    r"\s*,?\s*\(?\s*(?:được\s+|đã\s+)?(?:ban hành\s+|ký\s+)?(?:vào\s+)?" + _NGAY + "?"
    r"|\s*,?\s*(?:của|do)\s+[^;.()\n\d]{1,90}?\s*,?\s*(?:ban hành\s+)?" + _NGAY + "?")


def _issue_date(view: str, pos: int, ordered: list[DateMention],
                starts: list[int]) -> tuple[DateMention | None, int]:
    """The day date written right after a number ("... ngày 28/12/2023"), maybe after its issuer."""
    i = bisect_left(starts, pos)
    if i < len(ordered):
        d = ordered[i]
        # A due date right after a number ("... số 12/KH-SKHCN trước ngày 5/5") is not its issue date.
        if len(d.value) == 10 and d.role != "deadline" and _DATE_GAP.fullmatch(view[pos:d.start]):
            return d, d.end
    return None, pos


def _issuer(text: str, pos: int) -> tuple[str | None, int]:
    """ "của Chủ tịch UBND tỉnh", "của Bộ Tài chính, Bộ Khoa học và Công nghệ" after a mention."""
    m = ISSUER_AFTER.match(text, pos)
    if not m:
        return None, pos
    words: list[tuple[str, int]] = []
    for w in re.finditer(r"[^\s,;.()\n:]+|[,;.()\n:]", text[m.end():m.end() + 160]):
        token, token_end = w.group(0), m.end() + w.end()
        if token == ",":
            if _HEADS_AFTER_COMMA.match(text[token_end:token_end + 40].lstrip()):
                words.append((token, token_end))
                continue
            break
        if not token[0].isalpha() or (token[0].islower() and token not in _NAME_WORDS):
            break
        if TYPE_WORD.match(text[token_end - len(token):token_end + 20].lower()):
            break
        words.append((token, token_end))
    while words and words[-1][0] in (",", "và"):
        words.pop()
    if not words:
        return None, pos
    return " ".join(w for w, _ in words).replace(" ,", ","), words[-1][1]


def _resolve_years(refs: list[Reference], published: date | None) -> None:
    """A mention without a date names the document of the latest year not after the notice."""
    years: dict[str, list[int]] = {}
    for r in refs:
        if r.year is not None:
            years.setdefault(document_key(r.number), []).append(r.year)
    limit = published.year if published else None
    for r in refs:
        if r.year is None:
            known = [y for y in years.get(document_key(r.number), []) if limit is None or y <= limit]
            r.year = max(known) if known else None
