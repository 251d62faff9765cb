"""Tasks: the directive items of a numbered or lettered list, who leads them and by when.

Stages: read the list structure of the text (Roman sections, "1." / "a)" items, "- " bullets)
→ keep the lists that direct someone (after "kết luận như sau:", under "TỔ CHỨC THỰC HIỆN",
...) → for each item, the lead units (the subject, the unit that "chủ trì", "Đề nghị X")
and the deadline (the latest due date written in it).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from .dates import last_day
from .models import DateMention, Reference, Task, UnitMention
from .normalize import match_view

_ROMAN = r"(?:I{1,3}|IV|V|VI{1,3}|IX|X)"
# A label at the start of a line: "III. TỔ CHỨC THỰC HIỆN", "2.", "2.1.", "a)", "b."
LABEL = re.compile(
    r"(?m)^(?:(?P<roman>" + _ROMAN + r")[.)]\s+|(?P<num>\d{1,2}(?:\.\d{1,2})*)(?:[.)]\s+|\s+(?=[A-ZĐ]))"
    r"|(?P<letter>[a-zđ])[).]\s+)")
BULLET = re.compile(r"(?m)^[-–+•*]\s+")
# Sections of a plan that assign work; other sections ("Mục đích, yêu cầu") are not tasks.
TASK_SECTION = re.compile(r"tổ chức thực hiện|phân công|trách nhiệm thực hiện|trách nhiệm của|giao nhiệm vụ")
# Without such a section, the sections of a conclusion that direct work ("II. NHIỆM VỤ THỜI GIAN TỚI").
DIRECTIVE_SECTION = re.compile(r"nhiệm vụ|kết luận|giải pháp|đề nghị|kiến nghị|yêu cầu|chỉ đạo")
# Words before a list that make its items directives ...
DIRECTIVE_CUE = re.compile(
    r"kết luận|yêu cầu|đề nghị|giao nhiệm vụ|giao |chỉ đạo|thống nhất|phân công|nhiệm vụ|triển khai|"
    r"thực hiện|tập trung|chấn chỉnh|quán triệt|lưu ý|đôn đốc")
# ... unless the list reports results ("thông báo kết quả tuyển chọn như sau:").
RESULT_CUE = re.compile(r"kết quả\s+(?:tuyển chọn|xét|thi|lựa chọn|bình chọn)|danh sách|danh mục sau|gồm các|bao gồm")
ENTRY_ITEM = re.compile(r"(?:đề tài|dự án|nhiệm vụ|mô hình|sản phẩm|giải)\s*[\"“:]")
LEAD_VERB = re.compile(r"(?:đề nghị|giao(?:\s+cho)?|yêu cầu|phân công|chỉ đạo|mời)\s+")
CHU_TRI = re.compile(r"\s*(?:,\s*)?(?:là đơn vị\s+|làm\s+)?chủ trì")
GENERIC_SUBJECT = re.compile(r"(?:các|những)\s+(?:phòng|đơn vị|cơ quan|sở|ban|ngành|địa phương|tổ chức|cá nhân)")
SUPPORT = re.compile(r"phối hợp(?:\s+với)?|cùng với")
CLAUSE_LEAD_VERB = re.compile(r"[:;,.]\s*(?P<verb>(?:đề nghị|giao(?:\s+cho)?|yêu cầu|phân công)\s)")
# "UBND các huyện: ", "Trung tâm Dịch vụ nông nghiệp các huyện: " before the places themselves.
PLACES_INTRO = re.compile(r"[^\n;.:]{2,80}?\s+(?:của\s+)?các\s+(?:huyện|xã|phường|thị trấn|thị xã|thành phố)\s*:?\s*")
LIST_JOIN = re.compile(r"\s*(?:,|;|và|,\s*và)\s*")
LIST_INTRO = re.compile(r"(?:các|trưởng các)\s+(?:phòng|trung tâm|chi cục|sở|ban|đơn vị)"
                        r"(?:\s*,\s*(?:đơn vị|ban|ngành))*(?:\s+chuyên môn)?\s*:\s*")


@dataclass
class _Label:
    start: int
    end: int  # end of the label itself
    kind: str  # "roman" | "num" | "letter"
    value: str
    line_end: int


@dataclass
class Item:
    """One list item: its ordinal (a path where nested) and its extent."""

    ordinal: str
    start: int
    body: int  # where the item's own text starts (after the label)
    end: int
    heading: bool  # "1. Văn phòng Sở:" — the first line names who does the bullets below


def _labels(text: str) -> list[_Label]:
    out = []
    for m in LABEL.finditer(text):
        kind = "roman" if m["roman"] else "num" if m["num"] else "letter"
        value = m["roman"] or m["num"] or m["letter"]
        line_end = text.find("\n", m.start())
        out.append(_Label(m.start(), m.end(), kind, value, len(text) if line_end < 0 else line_end))
    return out


def _successor(a: _Label, b: _Label) -> bool:
    """Whether ``b`` is the next label of the same list as ``a`` ("2." after "1.", "c)" after "b)")."""
    if a.kind != b.kind:
        return False
    if a.kind == "letter":
        return ord(b.value) == ord(a.value) + 1 or (a.value, b.value) == ("d", "đ") or (a.value, b.value) == ("đ", "e")
    if a.kind == "num":
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


def _paragraph_end(text: str, pos: int) -> int:
    end = text.find("\n\n", pos)
    return len(text) if end < 0 else end


def _last_item_end(text: str, start: int, limit: int) -> int:
    """The last item of a list keeps the paragraphs that go on with it (bullets, lower case)."""
    end = _paragraph_end(text, start)
    while end < limit:
        nxt = end + 2
        if nxt >= limit:
            break
        first = text[nxt:nxt + 1]
        if BULLET.match(text, nxt) or first.islower():
            end = _paragraph_end(text, nxt)
            continue
        break
    return min(end, limit)


def _items_of_run(text: str, run: list[_Label], limit: int, prefix: str) -> list[Item]:
    items = []
    for i, lab in enumerate(run):
        if i + 1 < len(run):
            end = run[i + 1].start
        else:
            end = _last_item_end(text, lab.start, limit)
        end = len(text[:end].rstrip())
        heading = text[lab.end:lab.line_end].rstrip().endswith(":")
        items.append(Item(prefix + lab.value, lab.start, lab.end, end, heading))
    return items


def _is_directive(text: str, view: str, run: list[_Label], items: list[Item]) -> bool:
    intro_start = max(0, text.rfind("\n\n", 0, max(0, run[0].start - 1)))
    intro = view[intro_start:run[0].start][-400:]
    if RESULT_CUE.search(intro):
        return False
    entries = sum(1 for it in items if ENTRY_ITEM.match(view, it.body))
    if entries * 2 > len(items):
        return False
    return DIRECTIVE_CUE.search(intro) is not None


def find_items(text: str, view: str | None = None) -> list[Item]:
    """The directive items of ``text``: under a plan's "TỔ CHỨC THỰC HIỆN" section when the text
    has Roman sections, else the numbered (or lettered) lists introduced as directives."""
    view = view if view is not None else match_view(text)
    labels = _labels(text)
    romans = [lab for lab in labels if lab.kind == "roman"]
    items: list[Item] = []
    if len(romans) >= 2:
        titles = [view[sec.end:sec.line_end] for sec in romans]
        wanted = TASK_SECTION if any(TASK_SECTION.search(t) for t in titles) else DIRECTIVE_SECTION
        for i, sec in enumerate(romans):
            if not wanted.search(titles[i]):
                continue
            limit = romans[i + 1].start if i + 1 < len(romans) else len(text)
            inner = [lab for lab in labels if sec.start < lab.start < limit]
            for run in _runs(inner, "num") or _runs(inner, "letter"):
                items += _items_of_run(text, run, limit, sec.value + ".")
        return items
    for kind in ("num", "letter"):
        for run in _runs(labels, kind):
            if len(run) < 2 and kind == "letter":
                continue
            if kind == "letter" and _inside_numbered_item(run[0], labels):
                continue
            run_items = _items_of_run(text, run, len(text), "")
            if _is_directive(text, view, run, run_items):
                items += run_items
    return sorted(items, key=lambda it: it.start)


def _inside_numbered_item(first: _Label, labels: list[_Label]) -> bool:
    """"a)" items under a "1." item are its parts, not tasks of their own."""
    before = [lab for lab in labels if lab.start < first.start and lab.kind == "num"]
    return bool(before) and first.start - before[-1].start < 3000


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


_POSITION = re.compile(r"(?:phó\s+)?(?:giám đốc|chánh văn phòng|chánh thanh tra|trưởng phòng|trưởng ban|"
                       r"chủ tịch|thủ trưởng|lãnh đạo)\s+")


def _position_at(view: str, pos: int) -> bool:
    return _POSITION.match(view, pos) is not None


def _skip_position(view: str, pos: int) -> int:
    m = _POSITION.match(view, pos)
    return m.end() if m else pos


def _starting_in(spans: list, starts: list[int], lo: int, hi: int) -> list:
    """The spans (sorted by start; ``starts`` their starts) that start in [lo, hi): a slice, not a
    scan, so a text with thousands of items stays linear."""
    return spans[bisect_left(starts, lo):bisect_left(starts, hi)]


def _leads(view: str, item: Item, inside: list[UnitMention]) -> tuple[list[str], list[str]]:
    """Lead and support units of an item; ``inside``: the unit mentions in its body."""
    if item.heading:
        head_end = view.find("\n", item.body)
        head_end = item.end if head_end < 0 or head_end > item.end else head_end
        leads = [m.name for m in inside if m.end <= head_end and not _after_support(view, item.body, m)]
    else:
        leads = _subject_units(view, item.body, item.end, inside)
    if not leads:
        # "5. Về kinh phí: giao Chủ tịch UBND thành phố chỉ đạo ...": a later clause assigns it.
        for verb in CLAUSE_LEAD_VERB.finditer(view, item.body, item.end):
            leads = _subject_units(view, verb.start("verb"), item.end, inside)
            if leads:
                break
    if not leads:
        # "..., giao Phòng X chủ trì", "do Phòng X chủ trì": the unit that "chủ trì" leads.
        leads = [m.name for m in inside if CHU_TRI.match(view, m.end) and not _after_support(view, item.body, m)]
    support = [m.name for m in inside if _after_support(view, item.body, m) and m.name not in leads]
    return _unique(leads), _unique(support)


_CLAUSE_MARK = re.compile(r"[;.\n:]")
_CLAUSE_WINDOW = 2000  # characters before a unit searched for "phối hợp": bounded, for hostile text


@lru_cache(maxsize=4)
def _clause_marks(view: str) -> list[int]:
    """Where clauses end in ``view``, once per text: searching back from every unit of every
    item would be quadratic in a long list."""
    return [m.start() for m in _CLAUSE_MARK.finditer(view)]


def _after_support(view: str, start: int, m: UnitMention) -> bool:
    """Whether a unit is named after "phối hợp (với)" in its clause."""
    marks = _clause_marks(view)
    i = bisect_left(marks, m.start) - 1  # the last mark before the unit
    clause_start = marks[i] if i >= 0 and marks[i] >= start else start
    window = view[max(clause_start, m.start - _CLAUSE_WINDOW):m.start]
    return SUPPORT.search(window) is not None


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _deadline(inside: list[DateMention]) -> str | None:
    due = [d for d in inside if d.role == "deadline"]
    if not due:
        return None
    return max(due, key=lambda d: (last_day(d.value), d.start)).value


def build_tasks(text: str, view: str, items: list[Item], mentions: list[UnitMention],
                dates: list[DateMention], refs: list[Reference]) -> list[Task]:
    tasks = []
    mentions = sorted(mentions, key=lambda m: m.start)  # stable: already in text order
    dates = sorted(dates, key=lambda d: d.start)
    mention_starts, date_starts = [m.start for m in mentions], [d.start for d in dates]
    for item in items:
        leads, support = _leads(view, item, _starting_in(mentions, mention_starts, item.body, item.end))
        numbers = _unique([r.number for r in refs if item.start <= r.number_start < item.end])
        deadline = _deadline(_starting_in(dates, date_starts, item.body, item.end))
        tasks.append(Task(item.ordinal, text[item.start:item.end], leads, deadline, numbers,
                          item.start, item.end, support))
    return tasks
