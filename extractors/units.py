"""Units: the organizations and organizational units a notice names, under canonical names.

Stages: the gazetteer (extractors/data/units.toml) finds known names and abbreviations;
head-noun patterns find the rest ("Chi cục X", "UBND huyện Y", "Hợp tác xã Z"); lists that
share a head noun ("Các phòng: A, B; Văn phòng") name each item; a bare head ("Cục",
"UBND huyện") names the one unit of that kind already found. Positions ("Giám đốc") are people,
but the unit after one still counts.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .fastre import quick
from .gazetteer import gazetteer, word_view
from .models import Unit, UnitMention
from .normalize import fold_name, match_view
from .spans import Spans

# One word after another inside a name: "Quản lý", "KH&CN", "Phát thanh - Truyền hình".
_STEP = re.compile(r"(?P<sep>[ \t]+|[ \t]*-[ \t]*)(?P<w>[^\W_]+(?:&[^\W_]+)*)")
_PERSON = re.compile(r"([A-ZĐ][^\W\d_]*)(?: [A-ZĐ][^\W\d_]*){1,3}(?![ \t]*[-–]?[ \t]*[A-ZĐ])(?![^\W\d_])")
_FIRST = re.compile(r"(?P<sep>)(?P<w>[^\W_]+(?:&[^\W_]+)*)")
# "Các phòng, đơn vị:", "Trưởng các phòng:", "Bộ trưởng các Bộ: Quốc phòng, Công an": a list
# whose items leave out the shared head noun.
LIST_INTRO = re.compile(
    r"(?<![^\W\d_])(?:các|trưởng các|lãnh đạo các)\s+(?P<head>phòng|trung tâm|chi cục|sở|ban|bộ|đơn vị)"
    r"(?:\s*,\s*(?:đơn vị|ban|ngành|trung tâm))*(?:\s+chuyên môn)?(?:\s+(?:thuộc|của)\s+sở)?\s*:\s*")
LIST_INTRO = quick(LIST_INTRO)  # scanned over the whole text: a lookahead of its first letters in front
_LIST_SEP = re.compile(r"\s*(?:,|;|\bvà\b|,\s*và)\s*")
# ", Thể thao và Du lịch": the fields a name lists, capitalized, closed by "và".
_COMMA_FIELDS = re.compile(r",[ \t]*(?P<w>[A-ZĐ][^\W\d_]*)(?:[ \t]+[^\W\d_]+){0,3}?[ \t]+và[ \t]+[A-ZĐ]")
_PLURAL = re.compile(r"\s+các\s+(?:huyện|xã|phường|thị trấn|thị xã|thành phố|tỉnh|quận)\s*,")
_ACRONYM_HEADS = {"UBND", "HĐND", "HTX"}
_NUMBER_GOES_ON = re.compile(r"[/.:,\-]?\d|\s*(?:năm|tháng|ngày|giờ|người|%)")
_PLURAL_BEFORE = re.compile(r"(?<![^\W\d_])(?:các|những)\s+$")
_LOWER_AFTER = re.compile(r"(?:,|[ \t]+và)[ \t]+(?P<w>[a-zà-ỹđ])")
_LETTERHEAD = re.compile(r"(?m)^[ \t]*(?P<gov>ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|HỘI ĐỒNG NHÂN DÂN|HĐND)[ \t]+"
                         r"(?P<level>HUYỆN|THỊ XÃ|THÀNH PHỐ|XÃ|PHƯỜNG|THỊ TRẤN|TỈNH)"
                         r"(?:[ \t]+(?P<place>[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ \t]*[A-ZĐÀ-Ỹ]))?[ \t]*$")
# "UBND các tỉnh: Thái Nguyên, Lạng Sơn" too: a list of places names one government each.
_LEVEL_LIST = re.compile(r"\s+(?:của\s+)?các\s+(?P<level>huyện|xã|phường|thị trấn|thị xã|thành phố|"
                         r"tỉnh(?:,\s*thành phố)?(?=\s*:))\s*:?\s*")
# "UBND các tỉnh, thành phố: Quảng Ninh, Hải Phòng": the cities under the central government.
_CENTRAL_CITIES = {"hà nội", "hồ chí minh", "hải phòng", "đà nẵng", "cần thơ", "huế"}
_GOVERNMENT_BEFORE = re.compile(r"(?<![^\W\d_])(?:ubnd|ủy ban nhân dân|hđnd|hội đồng nhân dân)$")
_COMMA = re.compile(r"\s*,")
_PLACE = re.compile(r"[A-ZĐ][^\W\d_]*(?:[ \t]+[A-ZĐ][^\W\d_]*){0,3}")
_PLACE_SEP = re.compile(r"\s*(?:,|và|,\s*và)\s*(?=[A-ZĐ])")
_UNIVERSITY_TAIL = re.compile(r"\s*(?:,|-)\s*Đại học [A-ZĐ][^\W\d_]*(?: [A-ZĐ][^\W\d_]*)*")
_AT_TAIL = re.compile(r" tại (?:[A-ZĐ][^\W\d_]*)(?: [A-ZĐ][^\W\d_]*)*")


@lru_cache(maxsize=65536)
def _canonical(written: str, head: str) -> tuple[str, str | None]:
    """The canonical name and kind of a unit as written: a pure function of the gazetteer,
    cached, as the same names come back notice after notice."""
    g = gazetteer()
    entry = g.lookup(written)
    if entry:
        return entry.name, entry.kind
    name = re.sub(r"\s+", " ", written).strip(" ,;")
    name = re.sub(r"\s*[-–—]\s*", " - ", name)
    name = re.sub(r"^(?:Ủy|Uỷ|ỦY|UỶ) ban nhân dân|^ỦY BAN NHÂN DÂN", "UBND", name)
    name = re.sub(r"^Hội đồng nhân dân|^HỘI ĐỒNG NHÂN DÂN", "HĐND", name)
    name = re.sub(r"^Văn phòng Hội đồng nhân dân và (?:Ủy|Uỷ) ban nhân dân", "Văn phòng HĐND và UBND", name)
    for province in g.home_provinces:
        name = re.sub(r"(?i)\s+tỉnh\s+" + re.escape(province) + r"$", " tỉnh", name)
    if head in ("sở", "bộ") and name.endswith(" tỉnh"):
        name = name[: -len(" tỉnh")]
    entry = g.lookup(name)
    if entry:
        return entry.name, entry.kind
    return name, head


class _Finder:
    """Finds unit mentions in one text."""

    def __init__(self, text: str, view: str) -> None:
        self.text, self.view, self.g = text, view, gazetteer()
        self._extents: dict[tuple[int, str, bool, bool], tuple[int, int]] = {}
        self.short_starts: set[int] = set()  # where a short form ("Văn phòng") was matched
        self.nested: list[UnitMention] = []  # Party committees inside a longer name
        self._heads: dict[int, re.Match | None] = {}
        self._persons: dict[int, bool] = {}
        self._starts: dict[int, bool] = {}
        self._levels: dict[int, int | None] = {}

    def is_upper_start(self, pos: int) -> bool:
        return pos < len(self.text) and self.text[pos].isupper()

    # -- head-noun patterns ---------------------------------------------------------------
    def head_at(self, pos: int) -> re.Match | None:
        if pos not in self._heads:  # asked again and again for the same word: once each
            m = self.g.head_re.match(self.view, pos)
            self._heads[pos] = m if m and self.is_upper_start(pos) else None
        return self._heads[pos]

    def starts_unit(self, pos: int) -> bool:
        """Whether a head noun at ``pos`` begins a unit of its own (and so ends the one before):
        a name word or a level follows it. Looks one word ahead only, so a run of heads
        ("Phòng Quản lý Phòng Quản lý ...") costs no recursion."""
        if pos not in self._starts:
            self._starts[pos] = self._starts_unit(pos)
        return self._starts[pos]

    def _starts_unit(self, pos: int) -> bool:
        m = self.head_at(pos)
        if m is None:
            return False
        head = fold_name(m.group(0))
        if head in self.g.level_heads and self._level_at(m.end()) is not None:
            return True
        nxt = _STEP.match(self.text, m.end())
        if nxt is None or "-" in nxt.group("sep"):
            return False
        word = nxt.group("w")
        if word[0].isupper():
            return not self._person_at(nxt.start("w"))
        return head in self.g.lower_name_heads and self.g.continues("", word, "")

    def extend(self, pos: int, head: str, at_word: bool = False, fields: bool = False) -> tuple[int, int]:
        """Where a name that starts after ``head`` ends, and how many name words it has.
        ``at_word``: the name's first word is at ``pos`` itself (a list item without its head)."""
        key = (pos, head, at_word, fields)
        if key not in self._extents:
            self._extents[key] = self._extend(pos, head, at_word, fields or not at_word)
        return self._extents[key]

    def _extend(self, pos: int, head: str, at_word: bool, fields: bool) -> tuple[int, int]:
        end, words, prev = pos, 0, ""
        proper = 0  # capitalized words in a row after the first: a place or person name ends it
        prev_head = False
        if head in self.g.level_heads:
            lv = self._level_at(end)
            if lv is not None:
                return lv, 1
        while True:
            m = (_FIRST if at_word and not words else _STEP).match(self.text, end)
            if not m:
                if words and fields and end - pos < 20 and self._fields_after_comma(end):
                    end += 1  # "Trung tâm Văn hóa, Thể thao và Truyền thông": the name lists its fields
                    continue
                break
            w, wstart = m.group("w"), m.start("w")
            dash = "-" in m.group("sep")
            if w[0].isupper():
                if words and self.starts_unit(wstart) and not self._is_parent(wstart):
                    break
                if (not words or dash) and self._person_at(wstart):
                    break  # "Phó Giám đốc Sở Phan Thị Minh Nguyệt": a person, not a unit
                if words and self._document_at(wstart):
                    break
                # a head word inside ("Văn phòng Sở Tài chính") starts a name, not a place
                proper = proper + 1 if words and not w.isupper() and prev[:1].isupper() and not prev.isupper() \
                    and not prev_head else 0
                prev_head = self.head_at(wstart) is not None
                end, words, prev = m.end(), words + 1, w
                continue
            if dash:
                break
            if w.isdigit() and len(w) <= 2 and words and self._number_ends_name(m.end()):
                end, prev = m.end(), w  # "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng 2", "Đường 9"
                break
            if words and self.view.startswith("và", wstart) and len(w) == 2:
                nxt = _STEP.match(self.text, m.end())
                if nxt and nxt.group("w")[0].isupper() and not self._other_unit_at(nxt.start("w")) \
                        and not self.g.document_name_re.match(self.view, nxt.start("w")):
                    end, words, prev = nxt.end(), words + 1, nxt.group("w")
                    continue
                break
            if not words and head not in self.g.lower_name_heads:
                break
            lv = self._level_at(m.start())
            if lv is not None:
                return lv, words
            if proper >= 1 and not prev.isupper() and not self.g.is_word(prev, w):
                break  # "Công ty Điện lực Quảng Trị đầu tư": a proper name closes the name
            # A phrase may start at the capitalized word before ("Chuyển đổi số", "Tư vấn xây dựng").
            # Most words begin no phrase, and then only the next word matters: the run of words
            # ahead is read only when a phrase may start here.
            if word_view(w) in self.g.phrases or word_view(prev) in self.g.phrases:
                run = self._lower_run(m)
                words_here = [word_view(t) for t, _ in run]
                covered = max(self.g.phrase_length(words_here),
                              self.g.phrase_length([word_view(prev)] + words_here) - 1)
                if covered > 0:
                    end, prev, words = run[covered - 1][1], run[covered - 1][0], max(words, 1)
                    continue
                nxt = run[1][0] if len(run) > 1 else ""
            else:
                nxt = self._next_lower(m.end())
            if self.g.continues(prev, w, nxt):
                end, prev, words = m.end(), w, max(words, 1)
                continue
            break
        return end, words

    def _lower_words(self, pos: int, prev: str) -> int:
        """Where a run of lower-case name words from ``pos`` ends (phrases, dictionary words)."""
        m = _FIRST.match(self.text, pos)
        end = pos
        while m and not m.group("w")[0].isupper() and "-" not in m.group("sep"):
            run = self._lower_run(m)
            covered = self.g.phrase_length([word_view(t) for t, _ in run])
            if covered:
                end, prev = run[covered - 1][1], run[covered - 1][0]
            elif self.g.continues(prev, m.group("w"), run[1][0] if len(run) > 1 else ""):
                end, prev = m.end(), m.group("w")
            else:
                break
            m = _STEP.match(self.text, end)
        return end

    def _fields_after_comma(self, pos: int) -> bool:
        """", Thể thao và Du lịch" after a name: capitalized fields closed by "và"."""
        m = _COMMA_FIELDS.match(self.text, pos)
        return m is not None and not self.starts_unit(m.start("w")) and not self._person_at(m.start("w"))

    def _next_lower(self, pos: int) -> str:
        """The lower-case word right after ``pos`` (``_lower_run``'s second word), or ""."""
        m = _STEP.match(self.text, pos)
        return m.group("w") if m and "-" not in m.group("sep") and not m.group("w")[0].isupper() else ""

    def _lower_run(self, m: re.Match) -> list[tuple[str, int]]:
        """The lower-case words from ``m`` on (at most six), with where each ends."""
        run = []
        while m and len(run) < 6 and "-" not in m.group("sep") and not m.group("w")[0].isupper():
            run.append((m.group("w"), m.end()))
            m = _STEP.match(self.text, m.end())
        return run

    def _other_unit_at(self, pos: int) -> bool:
        """After "và": a unit of its own, or a government head even without its place
        ("và UBND các phường"); "và Phòng cháy chữa cháy rừng" goes on with the name."""
        head = self.head_at(pos)
        return head is not None and (fold_name(head.group(0)) in self.g.level_heads or self.starts_unit(pos))

    def _number_ends_name(self, pos: int) -> bool:
        """A number closes a name when punctuation or a verb follows, not a count ("12 hồ sơ")."""
        if _NUMBER_GOES_ON.match(self.text, pos):
            return False
        nxt = _STEP.match(self.text, pos)
        if nxt is None or "-" in nxt.group("sep"):
            return True
        run = self._lower_run(nxt)
        return bool(run) and (word_view(run[0][0]) in self.g.stop_words
                              or (len(run) > 1 and (word_view(run[0][0]), word_view(run[1][0])) in self.g.stop_pairs))

    def _document_at(self, pos: int) -> bool:
        """"và Kế hoạch số 45/KH-UBND": a document's name, not more of the unit's."""
        return self.g.document_re.match(self.view, pos) is not None

    def _person_at(self, pos: int) -> bool:
        """A family name and one to three more capitalized syllables, then the name ends
        (and not a place that begins like a family name: "Triệu Phong")."""
        if pos not in self._persons:
            m = _PERSON.match(self.text, pos)
            self._persons[pos] = m is not None and m.group(1) in self.g.family_names \
                and fold_name(m.group(0)) not in self.g.places
        return self._persons[pos]

    def _is_parent(self, pos: int) -> bool:
        """"Ban Thường vụ Huyện ủy Gio Linh": a Party committee after a "Ban" is its parent."""
        m = self.head_at(pos)
        return m is not None and fold_name(m.group(0)) in self.g.parent_heads

    def _level_at(self, pos: int) -> int | None:
        """A level ("huyện", "thành phố") and its proper name ("Hải Lăng"); generic lists fail."""
        if pos not in self._levels:
            self._levels[pos] = self._level_after(pos)
        return self._levels[pos]

    def _level_after(self, pos: int) -> int | None:
        m = self.g.level_re.match(self.view, pos)
        if not m:
            return None
        end = m.end()
        nxt = _STEP.match(self.text, end)
        if nxt and not nxt.group("w")[0].isupper() and self.g.is_word(m.group(0).split()[-1], nxt.group("w")):
            return None  # "Ngân hàng Chính sách xã hội": a word, not the level "xã"
        comma = _COMMA.match(self.view, end)
        if comma and self.g.level_re.match(self.view, comma.end()):
            return None  # "UBND huyện, thị xã, thành phố": every district, not a unit
        while True:
            s = _STEP.match(self.text, end)
            if not s or not s.group("w")[0].isupper() or self.head_at(s.start("w")) or self._person_at(s.start("w")):
                break  # "UBND tỉnh Nguyễn Văn Hải": a person follows, not the place
            end = s.end()  # a dash joins two places: "Hướng Hóa - Đakrông"
        return end

    # -- canonical names ------------------------------------------------------------------
    def canonical(self, written: str, head: str) -> tuple[str, str | None]:
        return _canonical(written, head)

    # -- the passes -----------------------------------------------------------------------
    def known(self) -> list[UnitMention]:
        out = []
        for m in self.g.known_re.finditer(self.view):
            if not self.is_upper_start(m.start()):
                continue
            entry = self.g.lookup(self.text[m.start():m.end()])
            if entry is None:
                continue
            if entry.form == "short":
                if self._short_is_generic(m.end()):
                    continue
                self.short_starts.add(m.start())
            out.append(UnitMention(m.start(), m.end(), entry.name, entry.kind))
        return out

    def letterheads(self) -> list[UnitMention]:
        """"ỦY BAN NHÂN DÂN HUYỆN TRIỆU PHONG": an upper-case letterhead names a local government."""
        out = []
        for m in _LETTERHEAD.finditer(self.text):
            gov = "HĐND" if m["gov"].startswith("H") else "UBND"
            level = m["level"].lower()
            place = " ".join(w.capitalize() for w in m["place"].split()) if m["place"] else ""
            if level != "tỉnh" and not place:
                continue
            name = f"{gov} tỉnh" if level == "tỉnh" else f"{gov} {level} {place}"
            out.append(UnitMention(m.start("gov"), m.end(), name, gov.lower()))
        return out

    def _short_is_generic(self, end: int) -> bool:
        """"Thanh tra, kiểm tra ..." is an activity; "Văn phòng" alone is the Sở's office."""
        return self.view.startswith(",", end) and self.view[end + 1:end + 3].strip()[:1].islower() \
            and not self.text[end + 1:end + 3].strip()[:1].isupper()

    def patterns(self) -> list[UnitMention]:
        out = []
        for m in self.g.head_re.finditer(self.view):
            written_head = self.text[m.start():m.end()]
            if not self.is_upper_start(m.start()) or (written_head.isupper() and written_head not in _ACRONYM_HEADS):
                continue  # upper-case headings ("IV. CHẾ ĐỘ BÁO CÁO") are left to the gazetteer
            head = fold_name(m.group(0))
            end, words = self.extend(m.end(), head)
            if words == 0 or self._bare_government(head, m.end(), end):
                continue
            end = self._tails(m.start(), end)
            if _PLURAL.match(self.view, end) or _PLURAL_BEFORE.search(self.view, max(0, m.start() - 12), m.start()):
                continue  # "Trung tâm Y tế các huyện, thị xã", "các Phòng Giáo dục": every one of them
            self.nested += self._parents_inside(m.start(), end)
            written = self.text[m.start():end]
            name, kind = self.canonical(written, head)
            out.append(UnitMention(m.start(), end, name, kind))
        return out

    def _parents_inside(self, start: int, end: int) -> list[UnitMention]:
        """"Ban Thường vụ Huyện ủy Đakrông" also names the Huyện ủy Đakrông."""
        out = []
        window = self.view[start + 1:end]
        if not any(tail in window for tail in self.g.nested_tails):
            return out  # none of their names can be inside: spare the scan
        for m in self.g.head_re.finditer(self.view, start + 1, end):
            if fold_name(m.group(0)) in self.g.nested_units and self.is_upper_start(m.start()):
                p_end, words = self.extend(m.end(), fold_name(m.group(0)))
                if words and p_end <= end:
                    name, kind = self.canonical(self.text[m.start():p_end], fold_name(m.group(0)))
                    out.append(UnitMention(m.start(), p_end, name, kind))
        return out

    def _bare_government(self, head: str, head_end: int, end: int) -> bool:
        """"UBND huyện" without its name: left to ``_bare_heads`` (the one district named)."""
        if head not in self.g.government_heads:
            return False
        written = self.view[head_end:end].strip()
        return written != "tỉnh" and " " not in written.replace("thành phố", "x").replace("thị xã", "x") \
            .replace("thị trấn", "x")

    def _tails(self, start: int, end: int) -> int:
        """", Đại học Huế" after a university, " tại Quảng Trị" after a branch."""
        head = self.view[start:start + 12]
        if head.startswith("trường đại học"):
            m = _UNIVERSITY_TAIL.match(self.text, end)
            if m:
                return m.end()
        if head.startswith(("phân hiệu", "chi nhánh", "văn phòng đại diện")):
            m = _AT_TAIL.match(self.text, end)
            if m:
                return m.end()
        return end

    def lists(self, taken: list[UnitMention]) -> list[UnitMention]:
        """Items of "Các phòng: A, B; Văn phòng; Trung tâm X" lists that leave out the head."""
        out = []
        by_start = {u.start: u for u in taken}
        for intro in LIST_INTRO.finditer(self.view):
            head = intro.group("head")
            pos = intro.end()
            # "Các phòng: Công chức, viên chức; Tổ chức, biên chế": items apart by ";" may hold commas.
            line_end = self.text.find("\n", pos)
            semicolons = ";" in self.text[pos:line_end if line_end >= 0 else len(self.text)][:300]
            while pos < len(self.text):
                if self.g.position_re.match(self.view, pos):
                    break
                item = by_start.get(pos) or self._listed_item(pos, head, semicolons)
                if item is None:
                    break
                if item.start not in by_start:
                    out.append(item)
                sep = _LIST_SEP.match(self.text, item.end)
                if not sep or sep.end() == item.end:
                    break
                pos = sep.end()
        return out

    def level_lists(self, taken: list[UnitMention]) -> tuple[list[UnitMention], set[int]]:
        """"UBND các huyện: Gio Linh, Vĩnh Linh" and "Trung tâm Dịch vụ nông nghiệp các huyện: A, B":
        one unit per place. Returns the new mentions and the starts of the plural prefixes,
        which name no unit of their own."""
        out, plural = [], set()
        ending = {u.end: u for u in taken}
        for m in _LEVEL_LIST.finditer(self.view):
            if not self.is_upper_start(m.end()):
                continue
            prefix = ending.get(m.start())
            if prefix is not None:
                name_prefix, kind = prefix.name, prefix.kind
                plural.add(prefix.start)
            else:
                window = max(0, m.start() - 20)
                gov = _GOVERNMENT_BEFORE.search(self.view[window:m.start()])
                if gov is None or not self.is_upper_start(window + gov.start()):
                    continue
                name_prefix = "HĐND" if gov.group(0).startswith("h") else "UBND"
                kind = name_prefix.lower()
            level, pos = m.group("level"), m.end()
            mixed = level.startswith("tỉnh,")
            while True:
                item = _PLACE.match(self.text, pos)
                if item is None or self.starts_unit(item.start()):
                    break
                if mixed:
                    level = "thành phố" if fold_name(item.group(0)) in _CENTRAL_CITIES else "tỉnh"
                # The kind of its head, as where the unit is named on its own ("UBND huyện Gio Linh"
                # is "ubnd" either way): a unit's kind must not depend on which notice was loaded last.
                out.append(UnitMention(item.start(), item.end(), f"{name_prefix} {level} {item.group(0)}", kind))
                sep = _PLACE_SEP.match(self.text, item.end())
                if sep is None:
                    break
                pos = sep.end()
        return out, plural

    def _known_with_head(self, pos: int, head: str) -> bool:
        """"các Bộ: Công an, ...": an item that begins like a head noun but names a known unit
        with the list's head ("Bộ Công an")."""
        end, _ = self.extend(pos, head, at_word=True)
        return self.g.lookup(head.capitalize() + " " + self.text[pos:end].strip()) is not None

    def _listed_item(self, pos: int, head: str, semicolons: bool = False) -> UnitMention | None:
        if self.head_at(pos) and not (head == "bộ" and self._known_with_head(pos, head)):
            return None  # an item with its own head noun is a unit of its own, found by the patterns
        m = self.g.listed_re.match(self.view, pos)
        if m and self.is_upper_start(pos):
            entry = self.g.lookup(self.text[pos:m.end()], ("listed",))
            if entry:
                return UnitMention(pos, m.end(), entry.name, entry.kind)
        if head in ("phòng", "trung tâm", "chi cục", "sở", "ban", "bộ") and self.is_upper_start(pos):
            end, words = self.extend(pos, head, at_word=True)  # the name without its head noun
            # In a list a comma parts items, unless the longer reading is a known name
            # ("các sở, ngành: Văn hóa, Thể thao và Du lịch; Tài chính").
            longer, _ = self.extend(pos, head, at_word=True, fields=True)
            if longer > end and self.g.lookup(head.capitalize() + " " + self.text[pos:longer]):
                end = longer
            while words and semicolons and (tail := _LOWER_AFTER.match(self.text, end)):
                more = self._lower_words(tail.start("w"), self.text[end - 1:end])
                if more == tail.start("w"):
                    break
                end = more
            if words:
                written = head.capitalize() + " " + self.text[pos:end].strip()
                name, kind = self.canonical(written, head)
                return UnitMention(pos, end, name, kind)
        return None


def _merge(known: list[UnitMention], found: list[UnitMention], text: str,
           short_starts: set[int]) -> list[UnitMention]:
    """Known names win over patterns that start at the same place, unless the pattern goes on
    with a capitalized word that is not a parent or a place ("Văn phòng Điều phối ..."), or the
    known name is only a short form and the pattern names more ("Thanh tra huyện")."""
    by_start: dict[int, UnitMention] = {u.start: u for u in known}
    for p in found:
        k = by_start.get(p.start)
        if k is None:
            by_start[p.start] = p
        elif p.end > k.end and (k.start in short_starts
                                or re.match(r"\s+(?!Sở\b|UBND\b|Ủy\b|Uỷ\b)[A-ZĐ0-9]", text[k.end:p.end])):
            by_start[p.start] = p
    # Drop a mention inside a longer one ("Chính phủ" inside "Văn phòng Chính phủ").
    out: list[UnitMention] = []
    for u in sorted(by_start.values(), key=lambda u: (u.start, -u.end)):
        if out and u.start < out[-1].end:
            continue
        out.append(u)
    return out


_BARE = re.compile(r"(?<![^\W\d_])(?:cục|trung tâm|(?P<gov>ubnd|ủy ban nhân dân|hđnd|hội đồng nhân dân)\s+"
                   r"(?P<level>huyện|thành phố|thị xã))(?![^\W\d_]|\s+[A-ZĐ]|\s*,\s*(?:huyện|thị xã|thành phố|xã)\b)")

_BARE = quick(_BARE)


def _bare_heads(text: str, view: str, mentions: list[UnitMention]) -> list[UnitMention]:
    """A bare "Cục" or "UBND huyện" names the one unit of that kind the notice has named."""
    out = []
    covered = Spans((u.start, u.end) for u in mentions)
    kinds: dict[str, str | None] = {}  # a name's kind: that of its first mention
    for u in mentions:
        kinds.setdefault(u.name, u.kind)
    named: dict[tuple[str, str], set[str]] = {}  # the names a bare head could mean, once per head

    def candidates(key: tuple[str, str]) -> set[str]:
        if key not in named:
            how, prefix = key
            named[key] = {n for n in kinds if (fold_name(n) if how == "folded" else n).startswith(prefix)}
        return named[key]

    for m in _BARE.finditer(view):
        if not text[m.start()].isupper() or covered.covers(m.start()):
            continue
        after = text[m.end():m.end() + 2]
        if after.strip()[:1].isupper():
            continue
        if m["gov"]:
            gov = "HĐND" if m["gov"].startswith("h") else "UBND"
            cands = candidates(("written", f"{gov} {m['level']} "))
            if not cands:  # the notice's own district ("báo cáo HĐND huyện"): named as written
                out.append(UnitMention(m.start(), m.end(), f"{gov} {m['level']}", gov.lower()))
                continue
        else:
            cands = candidates(("folded", m.group(0) + " "))
        if len(cands) == 1:
            name = next(iter(cands))
            out.append(UnitMention(m.start(), m.end(), name, kinds[name]))
    return out


def find_unit_mentions(text: str, view: str) -> list[UnitMention]:
    """Every unit mention of ``text`` (searched in its ``view``), in text order."""
    f = _Finder(text, view)
    known = f.known()
    mentions = _merge(known, f.patterns() + f.letterheads(), text, f.short_starts)
    kept = Spans((u.start, u.end) for u in mentions)
    mentions += [u for u in f.nested if kept.contains(u.start, u.end)]
    places, plural = f.level_lists(mentions)
    mentions = [u for u in mentions if u.start not in plural] + places
    mentions = sorted(mentions + f.lists(mentions), key=lambda u: u.start)
    mentions = sorted(mentions + _bare_heads(text, view, mentions), key=lambda u: u.start)
    return mentions


def collect_units(mentions: list[UnitMention]) -> list[Unit]:
    """One ``Unit`` per canonical name, in order of first mention."""
    units: dict[str, Unit] = {}
    for m in mentions:
        unit = units.setdefault(m.name, Unit(m.name, [], m.kind))
        unit.mentions.append((m.start, m.end))
    return list(units.values())
