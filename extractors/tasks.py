"""Tasks: the directive items of a numbered or lettered list, who leads them and by when.

Stages: read the list structure of the text (Roman sections, "1." / "a)" items, "- " bullets)
→ keep the lists that direct someone (after "kết luận như sau:", under "TỔ CHỨC THỰC HIỆN",
...) → for each item, the lead units (the subject, the unit that "chủ trì", "Đề nghị X")
and the deadline (the latest due date written in it).
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .dates import last_day
from .models import DateMention, Reference, Task, UnitMention
from .normalize import match_view
from .units import LIST_INTRO


@lru_cache(maxsize=1)
def _data() -> dict:
    with resources.files(__package__).joinpath("data/tasks.toml").open("rb") as fh:
        return tomllib.load(fh)


def _alternatives(words: list[str]) -> str:
    return "|".join(f"(?:{w})" for w in words)


_ROMAN = r"(?:I{1,3}|IV|V|VI{1,3}|IX|X)"
# A label at the start of a line: "III. TỔ CHỨC THỰC HIỆN", "I- MỤC TIÊU", "A. NHIỆM VỤ CHUNG", "2.",
# "2.1.", "a)", "b.";
# a number without its dot only with its text on the same line ("2 Cắt giảm ..." is still a
# candidate, kept apart from the dotted labels by _successor; a lone "4" page footer is none).
# OCR reads I / II / III as "J." / "H." / "Il." (ocr_roman: its value comes from its place).
LABEL = re.compile(
    r"(?m)^[ \t]*(?:(?P<roman>" + _ROMAN + r")(?P<rdelim>[.)]|[ \t]*[-–](?=[ \t]*[A-ZĐÀ-Ỹ]{2}))[ \t]*\s+"
    r"|(?P<ocr_roman>J|H|Il|lI|ll|IlI|Ill|Í|Ì)[.)\-–][ \t]*(?=[A-ZĐÀ-Ỹ]{2})"
    r"|(?P<section>[A-G])\.[ \t]+(?=[A-ZĐÀ-Ỹ]{2})"
    r"|(?P<num>\d{1,2}(?:\.\d{1,2})*)(?:[ \t]?(?P<ndelim>[.)])\s+|[ \t]+(?=[A-ZĐ]))"
    r"|(?P<letter>[a-zđ])(?P<ldelim>[).])\s+)")
BULLET = re.compile(r"(?m)^[-–+•*]\s+")
# Sections of a plan that assign work; other sections ("Mục đích, yêu cầu") are not tasks.
TASK_SECTION = re.compile(r"tổ chức thực hiện|phân công|trách nhiệm thực hiện|trách nhiệm của|giao nhiệm vụ")
# Without such a section, the sections of a conclusion that direct work ("II. NHIỆM VỤ THỜI GIAN TỚI").
DIRECTIVE_SECTION = re.compile(r"nhiệm vụ|kết luận|giải pháp|đề nghị|kiến nghị|yêu cầu|chỉ đạo")
# Words before a list that make its items directives ...
DIRECTIVE_CUE = re.compile(
    r"kết luận|yêu cầu|đề nghị|giao nhiệm vụ|giao |chỉ đạo|thống nhất|phân công|nhiệm vụ|triển khai|"
    r"thực hiện|tập trung|chấn chỉnh|quán triệt|lưu ý|đôn đốc")
# ... the same read through OCR's lost marks, on the folded text (data/tasks.toml) ...
FOLDED_CUE = re.compile(_alternatives(_data()["directive"]["intro_cues"]))
ASSIGNING = re.compile(r"\W*(?:" + _alternatives(_data()["directive"]["assigning_start"]) + ")")
# ... unless the list reports results ("thông báo kết quả tuyển chọn như sau:"), answers, members
# or standing duties, or its heading says it is objectives, requirements, functions (folded).
RESULT_CUE = re.compile(r"kết quả\s+(?:tuyển chọn|xét|thi|lựa chọn|bình chọn)|danh sách|danh mục sau|gồm các|bao gồm")
NOT_DIRECTIVE_INTRO = re.compile(_alternatives(_data()["not_directive"]["intro"]))
NOT_DIRECTIVE_HEADING = re.compile(r"[\W\d]*(?:" + _alternatives(_data()["not_directive"]["headings"]) + ")")
PLAN_INTRO = re.compile(_alternatives(_data()["not_directive"]["plan_intro"]))
ASSESSMENT = re.compile(r"\W*(?:" + _alternatives(_data()["not_directive"]["assessment_start"]) + ")")
CONCLUSION = re.compile(r"ket lu\w?n(?: nhu sau| cua| tai)|thong bao ket luan")
ARTICLE = re.compile(r"(?m)^[ \t]*điều\s+\d+\s*[.:]?")
ENTRY_ITEM = re.compile(r"(?:đề tài|dự án|nhiệm vụ|mô hình|sản phẩm|giải)\s*[\"“:]")
LEAD_VERB = re.compile(r"(?:đề nghị|giao(?:\s+cho)?|yêu cầu|phân công|chỉ đạo|mời|đồng ý(?:\s+(?:để|cho))?)\s+")
CHU_TRI = re.compile(r"\s*(?:,\s*)?(?:là đơn vị\s+|làm\s+)?chủ\s*trì")
GENERIC_SUBJECT = re.compile(r"(?:các|những)\s+(?:phòng|đơn vị|cơ quan|sở|ban|ngành|địa phương|tổ chức|cá nhân)")
SUPPORT = re.compile(r"phối\s*hợp(?:\s+với)?|cùng với")
CLAUSE_LEAD_VERB = re.compile(r"[:;,.]\s*(?P<verb>(?:đề nghị|giao(?:\s+cho)?|yêu cầu|phân công)\s)")
# "UBND các huyện: ", "Trung tâm Dịch vụ nông nghiệp các huyện: " before the places themselves.
PLACES_INTRO = re.compile(r"[^\n;.:]{2,80}?\s+(?:của\s+)?các\s+(?:huyện|xã|phường|thị trấn|thị xã|thành phố|tỉnh(?:,\s*thành phố)?)\s*:?\s*")
LIST_JOIN = re.compile(r"\s*(?:,|;|và|,\s*và)\s*")
# A unit named as the parent of a generic phrase ("cơ quan trực thuộc Chính phủ") does not lead.
PARENT_OF = re.compile(r"(?:thuộc|trực thuộc|của|ngang)\s+$")
# A due date the date roles call an event: "trình Chính phủ vào tháng 10/2007"; a day the date
# reader left out: "trước 31 tháng 12 năm 2025" (folded).
DUE_BEFORE = re.compile(r"\b(?:(?:truoc|cham nhat|han)\s+(?:ngay\s+)?(?P<day>\d{1,2}\s+)?"
                        r"|(?:trinh|bao cao|hoan thanh|gui)\b[^.;:\n]{0,80}?(?:vao|trong|truoc)\s*)$")


def fold(view: str) -> str:
    """``view`` without its marks (same length): "yêu cầu" → "yeu cau", "đ" → "d", so a cue read
    by OCR with a lost or swapped mark ("yêu cau", "yêu câu") still matches."""
    for c in set(view):
        if ord(c) not in _FOLD:
            base = unicodedata.normalize("NFD", c)[0]
            _FOLD[ord(c)] = "d" if c in "đĐ" else base.lower() if c.isupper() else base
    return view.translate(_FOLD)


_FOLD: dict[int, str] = {}


@dataclass
class _Label:
    start: int
    end: int  # end of the label itself
    kind: str  # "roman" | "num" | "letter"
    value: str
    line_end: int
    delim: str = "."  # "" for a number written without its dot ("2 Cắt giảm ...")


@dataclass
class Item:
    """One list item: its ordinal (a path where nested) and its extent."""

    ordinal: str
    start: int
    body: int  # where the item's own text starts (after the label)
    end: int
    heading: bool  # "1. Văn phòng Sở:" — the first line names who does the bullets below
    parent: tuple[int, int] | None = None  # the first line of the item it is part of ("2. Các đơn vị:")
    value: str = ""  # the label as written ("2", "b", "2.1")
    intro: tuple[int, int] | None = None  # the line before the list that names its leads once
    run: int = -1  # where the list it belongs to starts (its first label)


def _labels(text: str) -> list[_Label]:
    out: list[_Label] = []
    for m in LABEL.finditer(text):
        line_end = text.find("\n", m.start())
        line_end = len(text) if line_end < 0 else line_end
        if m["ocr_roman"]:
            # An OCR'd Roman label stands for the next number of the Roman list ("H." after "I.").
            prev = next((lab for lab in reversed(out) if lab.kind == "roman"), None)
            value = _ROMAN_NEXT.get(prev.value, "") if prev else "I"
            if value:
                out.append(_Label(m.start(), m.end(), "roman", value, line_end))
            continue
        # "A. NHIỆM VỤ CHUNG", "B. NHIỆM VỤ CỤ THỂ": sections lettered in capitals, as Roman ones.
        kind = "roman" if m["roman"] or m["section"] else "num" if m["num"] else "letter"
        value = m["roman"] or m["section"] or m["num"] or m["letter"]
        delim = (m["rdelim"] or m["ndelim"] or m["ldelim"] or "").strip()
        if kind == "num" and delim == ")" and value in ("8", "4") and out and out[-1].kind == "letter" \
                and out[-1].value == "d":
            kind, value = "letter", "đ"  # OCR's "8)" / "4)" for "đ)" after "d)"
        out.append(_Label(m.start(), m.end(), kind, value, line_end, delim))
    return _ocr_ones(text, out)


def _ocr_ones(text: str, labels: list[_Label]) -> list[_Label]:
    """OCR reads "1." as "l." or "I.": such a label right before a "2." of the same kind of line
    (an item, not an upper-case heading) is the list's first item, or the whole list is lost."""
    for i, lab in enumerate(labels[:-1]):
        nxt = labels[i + 1]
        if nxt.kind != "num" or nxt.value != "2" or nxt.delim != lab.delim:
            continue
        heading = text[lab.end:lab.end + 2].isupper()
        if (lab.kind == "letter" and lab.value == "l") or (lab.kind == "roman" and lab.value == "I" and not heading):
            lab.kind, lab.value = "num", "1"
    return labels


_ROMAN_SEQ = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
_ROMAN_NEXT = dict(zip(_ROMAN_SEQ, _ROMAN_SEQ[1:]))


def _successor(a: _Label, b: _Label) -> bool:
    """Whether ``b`` is the next label of the same list as ``a`` ("2." after "1.", "c)" after "b)").
    A number without its dot does not go on a list of dotted ones: a footnote or a page number at
    a line start ("2 Cắt giảm ...") is not the next item."""
    if a.kind != b.kind:
        return False
    if a.kind == "letter":
        return ord(b.value) == ord(a.value) + 1 or (a.value, b.value) == ("d", "đ") or (a.value, b.value) == ("đ", "e")
    if a.kind == "num":
        if (a.delim == "") != (b.delim == ""):
            return False
        pa, pb = a.value.split("."), b.value.split(".")
        return len(pa) == len(pb) and pa[:-1] == pb[:-1] and int(pb[-1]) == int(pa[-1]) + 1
    return True


def _runs(labels: list[_Label], kind: str, depth: int = 1) -> list[list[_Label]]:
    """Runs of consecutive labels of one list, starting at 1 / a."""
    runs: list[list[_Label]] = []
    for lab in labels:
        if lab.kind != kind or (kind == "num" and len(lab.value.split(".")) != depth):
            continue
        if runs and _successor(runs[-1][-1], lab):
            runs[-1].append(lab)
        elif lab.value in ("1", "a") or (kind == "num" and lab.value.endswith(".1")):
            runs.append([lab])
    return runs


class _Paragraphs:
    """Where the paragraphs of a text break ("\n\n"), for lookups in log time: a text of
    thousands of list items must not cost a scan of the text per item."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.breaks = [m.start() for m in re.finditer(r"\n\n", text)]

    def end_after(self, pos: int) -> int:
        i = bisect_left(self.breaks, pos)
        return self.breaks[i] if i < len(self.breaks) else len(self.text)

    def start_before(self, pos: int) -> int:
        """The last break that ends before ``pos`` (as ``text.rfind("\n\n", 0, pos)``), or 0."""
        i = bisect_right(self.breaks, pos - 2)
        return self.breaks[i - 1] if i > 0 else 0


def _last_item_end(paras: _Paragraphs, start: int, limit: int) -> int:
    """The last item of a list keeps the paragraphs that go on with it (bullets, lower case)."""
    text = paras.text
    end = paras.end_after(start)
    while end < limit:
        nxt = end + 2
        if nxt >= limit:
            break
        if BULLET.match(text, nxt) or text[nxt:nxt + 1].islower():
            end = paras.end_after(nxt)
            continue
        break
    return min(end, limit)


def _items_of_run(paras: _Paragraphs, run: list[_Label], limit: int, prefix: str) -> list[Item]:
    text = paras.text
    items = []
    for i, lab in enumerate(run):
        end = run[i + 1].start if i + 1 < len(run) else _last_item_end(paras, lab.start, limit)
        while end > lab.start and text[end - 1].isspace():
            end -= 1
        heading = text[lab.end:lab.line_end].rstrip().endswith(":")
        items.append(Item(prefix + lab.value, lab.start, lab.end, end, heading, value=lab.value))
    return items


def _split_nested(paras: _Paragraphs, items: list[Item], labels: list[_Label]) -> list[Item]:
    """An item whose parts are lettered ("2. Các đơn vị:\na) ...\nb) ...") or numbered a level
    down ("2.1.", "2.2.") gives way to its parts, each with its own path ("IV.2.a", "2.1") and so
    its own leads and deadline; a part without a subject of its own keeps the item's first line
    for its lead."""
    out: list[Item] = []
    for item in items:
        inner = _between(labels, item.body, item.end)
        runs = [run for run in _runs(inner, "letter") if len(run) >= 2]
        prefix = item.ordinal + "."
        if not runs and item.value.isdigit():
            depth = len(item.value.split(".")) + 1
            runs = [run for run in _runs(inner, "num", depth) if run[0].value.startswith(item.value + ".")]
            prefix = item.ordinal[:len(item.ordinal) - len(item.value)]
        if not runs:
            out.append(item)
            continue
        line_end = paras.text.find("\n", item.body, item.end)
        first_line = (item.body, item.end if line_end < 0 else line_end)
        for part in _items_of_run(paras, runs[0], item.end, prefix):
            part.parent = first_line
            out.append(part)
    return out


def _heading_like(text: str, folded: str, item: Item) -> bool:
    """An item whose own first line is a short heading of a kind that directs nobody
    ("1. Mục đích", "2. Yêu cầu", "1. Mục tiêu chung", "3. Đối tượng")."""
    line_end = text.find("\n", item.body, item.end)
    line_end = item.end if line_end < 0 else line_end
    line = folded[item.body:line_end]
    return len(line) <= 70 and NOT_DIRECTIVE_HEADING.match(line) is not None


def _section_title(folded: str, romans: list[_Label], pos: int) -> str | None:
    """The title of the Roman section ``pos`` lies in (folded), or None."""
    i = bisect_left(romans, pos, key=lambda lab: lab.start)
    return folded[romans[i - 1].end:romans[i - 1].line_end] if i else None


def _is_directive(text: str, paras: _Paragraphs, view: str, folded: str, romans: list[_Label],
                  run: list[_Label], items: list[Item]) -> bool:
    start = run[0].start
    intro_start = max(paras.start_before(max(0, start - 1)), start - 400)
    intro, folded_intro = view[intro_start:start], folded[intro_start:start]
    title = _section_title(folded, romans, start)
    if title is not None and NOT_DIRECTIVE_HEADING.match(title):
        return False  # "I. MỤC ĐÍCH, YÊU CẦU" / "I- MỤC TĨÊŨ": objectives, however it is asked for
    if RESULT_CUE.search(intro) or NOT_DIRECTIVE_INTRO.search(folded_intro):
        return False
    entries = sum(1 for it in items if ENTRY_ITEM.match(view, it.body))
    if entries * 2 > len(items):
        return False
    if sum(_heading_like(text, folded, it) for it in items) * 2 >= len(items):
        return False
    assigning = sum(1 for it in items if ASSIGNING.match(folded, it.body)) * 2 > len(items)
    if PLAN_INTRO.search(folded_intro):
        return assigning
    article = _article_before(view, folded, intro_start, start)
    if article is not None:
        # The clauses of a legal text's article are rules, unless they assign the work
        # ("Điều 2. 1. Giao Giám đốc Sở Nội vụ chủ trì ...").
        return assigning and NOT_DIRECTIVE_HEADING.match(article) is None
    return assigning or DIRECTIVE_CUE.search(intro) is not None or FOLDED_CUE.search(folded_intro) is not None


def _article_before(view: str, folded: str, start: int, end: int) -> str | None:
    """The title of a legal article ("Điều 2. Nhiệm vụ và quyền hạn") heading the words before a
    list (folded), or None."""
    found = None
    for m in ARTICLE.finditer(view, max(0, start - 200), end):
        found = m
    if found is None:
        return None
    line_end = view.find("\n", found.end())
    return folded[found.end():end if line_end < 0 or line_end > end else line_end]


def _intro_line(text: str, start: int) -> tuple[int, int] | None:
    """The line just before a list when it ends with ":" ("Giao Bộ Công an chủ trì ... thực hiện
    các yêu cầu sau:"): the leads it names hold for the items below without one of their own."""
    end = start
    while end > 0 and text[end - 1].isspace():
        end -= 1
    if end == 0 or text[end - 1] != ":":
        return None
    line_start = text.rfind("\n", 0, end - 1) + 1
    return line_start, end


def find_items(text: str, view: str | None = None) -> list[Item]:
    """The directive items of ``text``: under a plan's "TỔ CHỨC THỰC HIỆN" section when the text
    has Roman sections, else the numbered (or lettered) lists introduced as directives."""
    view = view if view is not None else match_view(text)
    folded = fold(view)
    labels = _labels(text)
    paras = _Paragraphs(text)
    romans = [lab for lab in labels if lab.kind == "roman"]
    items: list[Item] = []
    if len(romans) >= 2:
        titles = [view[sec.end:sec.line_end] for sec in romans]
        wanted = TASK_SECTION if any(TASK_SECTION.search(t) for t in titles) else DIRECTIVE_SECTION
        # A conclusion directs in its "NHIỆM VỤ" sections as well as under "TỔ CHỨC THỰC HIỆN";
        # a plan's "Nhiệm vụ, giải pháp" are its activities, its tasks are under the latter.
        concluded = wanted is TASK_SECTION and CONCLUSION.search(folded, 0, romans[0].start) is not None
        for i, sec in enumerate(romans):
            directs = wanted.search(titles[i]) or (concluded and DIRECTIVE_SECTION.search(titles[i]))
            if not directs or NOT_DIRECTIVE_HEADING.match(folded[sec.end:sec.line_end]):
                continue
            limit = romans[i + 1].start if i + 1 < len(romans) else len(text)
            inner = _between(labels, sec.start, limit)
            for run in _runs(inner, "num") or _runs(inner, "letter"):
                run_items = _items_of_run(paras, run, limit, sec.value + ".")
                if sum(_heading_like(text, folded, it) for it in run_items) * 2 >= len(run_items):
                    continue
                items += _with_intro(text, run, _split_nested(paras, run_items, inner))
        return _unique_paths(_drop_assessments(folded, items))
    for kind in ("num", "letter"):
        for run in _runs(labels, kind):
            if len(run) < 2 and kind == "letter":
                continue
            if kind == "letter" and _inside_numbered_item(run[0], labels):
                continue
            run_items = _items_of_run(paras, run, len(text), "")
            if _is_directive(text, paras, view, folded, romans, run, run_items):
                run_items = _split_nested(paras, run_items, labels) if kind == "num" else run_items
                items += _with_intro(text, run, run_items)
    return _unique_paths(_drop_assessments(folded, sorted(items, key=lambda it: it.start)))


def _with_intro(text: str, run: list[_Label], items: list[Item]) -> list[Item]:
    intro = _intro_line(text, run[0].start)
    for it in items:
        it.intro, it.run = intro, run[0].start
    return items


def _drop_assessments(folded: str, items: list[Item]) -> list[Item]:
    """"1. Ghi nhận ...", "Biểu dương ...": an item that judges is not a task."""
    return [it for it in items if not ASSESSMENT.match(folded, it.body)]


def _unique_paths(items: list[Item]) -> list[Item]:
    """A label repeated in two lists of one text ("1." under two headings) gets a number before
    it, the whole list alike ("2.1", "2.2"; the next free one where "2.1" is already a two-level
    label): two tasks never share an ordinal."""
    seen: set[str] = set()
    lists: dict[int, list[Item]] = {}
    for it in items:
        lists.setdefault(it.run, []).append(it)
    for n, group in enumerate(lists.values(), start=1):
        ordinals = [it.ordinal for it in group]
        while any(o in seen for o in ordinals) and n < 1000:
            ordinals = [f"{n}.{it.ordinal}" for it in group]
            n += 1
        for it, o in zip(group, ordinals):
            it.ordinal = o
        seen.update(ordinals)
    return items


def _inside_numbered_item(first: _Label, labels: list[_Label]) -> bool:
    """"a)" items under a "1." item are its parts, not tasks of their own."""
    before = [lab for lab in _between(labels, first.start - 3000, first.start) if lab.kind == "num"]
    return bool(before)


def _between(labels: list[_Label], start: int, end: int) -> list[_Label]:
    """The labels strictly inside (start, end); ``labels`` are in text order."""
    lo = bisect_right(labels, start, key=lambda lab: lab.start)
    return labels[lo:bisect_left(labels, end, lo, key=lambda lab: lab.start)]


# ---- leads, deadlines, references ---------------------------------------------------------

def _subject_units(view: str, start: int, end: int, mentions: list[UnitMention]) -> list[str]:
    """Units in subject position at ``start``, joined by "," / ";" / "và": after a leading
    "Đề nghị" / "Giao", a list intro ("Các phòng:") or a plural with its places
    ("UBND các huyện: Gio Linh, ...")."""
    by_start = {m.start: m for m in mentions}
    pos = start
    verb = LEAD_VERB.match(view, pos)
    if verb:
        pos = verb.end()
    pos = _skip_position(view, pos)  # "Bộ trưởng các Bộ: ...", "Chủ tịch UBND các tỉnh: ..."
    if GENERIC_SUBJECT.match(view, pos) and not LIST_INTRO.match(view, pos):
        return []
    intro = LIST_INTRO.match(view, pos) or (PLACES_INTRO.match(view, pos) if pos not in by_start else None)
    if intro:
        pos = intro.end()
    leads: list[str] = []
    while pos < end:
        pos = _skip_position(view, pos)
        m = by_start.get(pos)
        if m is None:
            break
        leads.append(m.name)
        join = LIST_JOIN.match(view, m.end)
        if not join or join.end() == m.end or join.end() not in by_start and not _position_at(view, join.end()):
            break
        pos = join.end()
    return leads


_POSITION = re.compile(r"(?:phó\s+)?(?:" + "|".join(
    sorted(_data()["leads"]["positions"], key=len, reverse=True)) + r")(?:\s*,\s*|\s+)")


def _position_at(view: str, pos: int) -> bool:
    return _POSITION.match(view, pos) is not None


def _skip_position(view: str, pos: int) -> int:
    """Past the titles before a unit: "Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ"."""
    while (m := _POSITION.match(view, pos)) is not None:
        pos = m.end()
    return pos


def _leads(view: str, item: Item, mentions: list[UnitMention]) -> tuple[list[str], list[str]]:
    inside = [m for m in mentions if item.body <= m.start < item.end]
    if item.heading:
        head_end = view.find("\n", item.body)
        head_end = item.end if head_end < 0 or head_end > item.end else head_end
        leads = [m.name for m in inside if m.end <= head_end and _leads_here(view, item.body, m)]
    else:
        leads = _subject_units(view, item.body, item.end, inside)
    if not leads:
        # "5. Về kinh phí: giao Chủ tịch UBND thành phố chỉ đạo ...": a later clause assigns it.
        for verb in CLAUSE_LEAD_VERB.finditer(view, item.body, item.end):
            leads = _subject_units(view, verb.start("verb"), item.end, inside)
            if leads:
                break
    if not leads and item.parent is not None:
        leads = [m.name for m in mentions if item.parent[0] <= m.start and m.end <= item.parent[1]
                 and _leads_here(view, item.parent[0], m)]
    if not leads:
        # "..., giao Phòng X chủ trì", "do Phòng X chủ trì": the unit that "chủ trì" leads.
        leads = [m.name for m in inside if CHU_TRI.match(view, m.end) and _leads_here(view, item.body, m)]
    if not leads and item.intro is not None:
        leads = _intro_leads(view, item.intro, mentions)
    support = [m.name for m in inside if _after_support(view, item.body, m) and m.name not in leads]
    return _unique(leads), _unique(support)


def _leads_here(view: str, start: int, m: UnitMention) -> bool:
    """A unit on a heading line leads unless it only "phối hợp" or is the parent named inside a
    generic phrase ("Các Bộ, cơ quan trực thuộc Chính phủ:" names no lead)."""
    return not _after_support(view, start, m) and not PARENT_OF.search(view, max(start, m.start - 14), m.start)


def _intro_leads(view: str, intro: tuple[int, int], mentions: list[UnitMention]) -> list[str]:
    """The leads a list's intro names once for all its items: the units assigned by its verb
    ("Giao Bộ Công an chủ trì ..., thực hiện các yêu cầu sau:"), or the one that "chủ trì"."""
    start, end = intro
    near = [m for m in mentions if start <= m.start < end]
    for verb in LEAD_VERB.finditer(view, start, end):
        leads = _subject_units(view, verb.start(), end, near)
        if leads:
            return leads
    return [m.name for m in near if CHU_TRI.match(view, m.end) and _leads_here(view, start, m)]


def _after_support(view: str, start: int, m: UnitMention) -> bool:
    """Whether a unit is named after "phối hợp (với)" in its clause."""
    clause_start = max(view.rfind(c, start, m.start) for c in ";.\n:")
    window = view[max(start, clause_start):m.start]
    return SUPPORT.search(window) is not None


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _deadline(view: str, item: Item, dates: list[DateMention]) -> str | None:
    inside = [d for d in dates if item.body <= d.start < item.end]
    due = [d for d in inside if d.role == "deadline"]
    if not due:
        return _due_by_words(view, inside)
    return max(due, key=lambda d: (last_day(d.value), d.start)).value


def _due_by_words(view: str, dates: list[DateMention]) -> str | None:
    """A due date the date roles did not call one: "trình Chính phủ vào tháng 10/2007", and
    "trước 31 tháng 12 năm 2025" whose day the date reader left out."""
    for d in dates:
        if d.role not in ("event", "period", "other") or "/" in d.value:
            continue
        before = fold(view[max(0, d.start - 100):d.start])
        m = DUE_BEFORE.search(before)
        if m is None:
            continue
        if m["day"] and len(d.value) == 7:
            day = int(m["day"])
            if 1 <= day <= int(last_day(d.value)[-2:]):
                return f"{d.value}-{day:02d}"
        return d.value
    return None


def build_tasks(text: str, view: str, items: list[Item], mentions: list[UnitMention],
                dates: list[DateMention], refs: list[Reference]) -> list[Task]:
    mentions = sorted(mentions, key=lambda m: m.start)
    dates = sorted(dates, key=lambda d: d.start)
    refs = sorted(refs, key=lambda r: r.number_start)
    tasks = []
    for item in items:
        # Only what lies in (or just before, for a parent's first line) the item: a text with
        # thousands of items must not cost a scan of every mention per item.
        first = min(item.start, item.parent[0] if item.parent else item.start,
                    item.intro[0] if item.intro else item.start)
        near = _slice(mentions, first, item.end, lambda m: m.start)
        leads, support = _leads(view, item, near)
        numbers = _unique([r.number for r in _slice(refs, item.start, item.end, lambda r: r.number_start)])
        deadline = _deadline(view, item, _slice(dates, item.body, item.end, lambda d: d.start))
        tasks.append(Task(item.ordinal, text[item.start:item.end], leads, deadline, numbers,
                          item.start, item.end, support))
    return tasks


def _slice(seq: list, start: int, end: int, key) -> list:
    """The elements of ``seq`` (sorted by ``key``) whose key lies in [start, end)."""
    return seq[bisect_left(seq, start, key=key):bisect_left(seq, end, key=key)]
