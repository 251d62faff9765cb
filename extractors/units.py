"""Units: the organizations and organizational units a notice names, under canonical names.

Stages: the gazetteer (extractors/data/units.toml) finds known names and abbreviations;
head-noun patterns find the rest ("Chi cục X", "UBND huyện Y", "Hợp tác xã Z"); lists that
share a head noun ("Các phòng: A, B; Văn phòng") name each item; a bare head ("Cục",
"UBND huyện") names the one unit of that kind already found. Positions ("Giám đốc") are people,
but the unit after one still counts.
"""
from __future__ import annotations

import importlib.util
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .models import Unit, UnitMention
from .normalize import fold_name, match_view

_NOT_LETTER_BEFORE = r"(?<![^\W\d_])"
_NOT_LETTER_AFTER = r"(?![^\W\d_])"


@dataclass(frozen=True)
class _Entry:
    name: str
    kind: str | None
    form: str  # "name" | "alias" | "short" | "listed"


class Gazetteer:
    """Known units, their spellings, and the grammar words of unit names."""

    def __init__(self, data: dict) -> None:
        g = data["grammar"]
        self.entries: dict[str, _Entry] = {}
        for unit in data["unit"]:
            kind = unit.get("kind")
            for form, names in (("name", [unit["name"]]), ("alias", unit.get("aliases", [])),
                                ("short", unit.get("short", [])), ("listed", unit.get("listed", []))):
                for n in names:
                    self.entries.setdefault(form + ":" + fold_name(n), _Entry(unit["name"], kind, form))
        self.heads = sorted(g["heads"], key=len, reverse=True)
        self.level_heads = {fold_name(h) for h in g["level_heads"]}
        self.government_heads = {fold_name(h) for h in g["government_heads"]}
        self.levels = sorted(g["levels"], key=len, reverse=True)
        self.home_provinces = [fold_name(p) for p in g["home_provinces"]]
        self.positions = sorted(g["positions"], key=len, reverse=True)
        self.family_names = set(g["family_names"])
        self.parent_heads = {fold_name(h) for h in g["parent_heads"]}
        # Pairs of lower-case syllables that go on inside a name: the phrases, and every run of
        # lower-case words in the names of the gazetteer.
        self.pairs: set[tuple[str, str]] = set()
        runs = list(g["name_phrases"])
        for unit in data["unit"]:
            for name in [unit["name"], *unit.get("aliases", [])]:
                runs += re.findall(r"[a-zà-ỹđ]+(?: [a-zà-ỹđ]+)+", name)
        for run in runs:
            syllables = match_view(run).split()
            self.pairs.update(zip(syllables, syllables[1:]))
        # ... and, after a capitalized word, its second syllable as the gazetteer writes it.
        self.cap_pairs: set[tuple[str, str]] = set()
        for unit in data["unit"]:
            for name in [unit["name"], *unit.get("aliases", [])]:
                syllables = match_view(name).split()
                self.cap_pairs.update(zip(syllables, syllables[1:]))
        self.single_words = {match_view(w) for w in g["single_words"]}
        full = [k.split(":", 1)[1] for k in self.entries if not k.startswith("listed:")]
        listed = [k.split(":", 1)[1] for k in self.entries if k.startswith("listed:")]
        self.known_re = _alternation(full)
        self.listed_re = _alternation(listed)
        self.head_re = _alternation([fold_name(h) for h in self.heads])
        self.level_re = re.compile(r"\s+(?:" + "|".join(re.escape(match_view(lv)) for lv in self.levels) + r")"
                                   + _NOT_LETTER_AFTER)
        self.position_re = _alternation([fold_name(p) for p in self.positions])

    def lookup(self, written: str, forms: tuple[str, ...] = ("name", "alias", "short")) -> _Entry | None:
        key = fold_name(written)
        for form in forms:
            entry = self.entries.get(form + ":" + key)
            if entry:
                return entry
        return None


def _alternation(names: list[str]) -> re.Pattern:
    """One regex for many folded names, longest first, tolerant of spacing around , - &."""
    parts = []
    for n in sorted(set(names), key=len, reverse=True):
        pieces = re.split(r"(\s*[-,&]\s*|\s+)", n)
        parts.append("".join(re.escape(p) if i % 2 == 0 else _SEPARATOR[p.strip() or " "]
                             for i, p in enumerate(pieces)))
    return re.compile(_NOT_AFTER_SYMBOL + "(?:" + "|".join(parts) + ")" + _NOT_LETTER_AFTER)


_SEPARATOR = {" ": r"\s+", "-": r"\s*-\s*", ",": r"\s*,\s*", "&": r"\s*&\s*"}
# Not inside a word, nor inside a document number ("2731/UBND-KGVX").
_NOT_AFTER_SYMBOL = r"(?<![^\W\d_])(?<![/\-])"


@lru_cache(maxsize=1)
def vietnamese_words() -> frozenset[str]:
    """Multi-syllable words of underthesea's Vietnamese dictionary (lower case). Found without
    importing underthesea (which takes a third of a second); empty when it is not installed,
    and then the gazetteer's own pairs still work."""
    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    path = Path(next(iter(spec.submodule_search_locations))) / "corpus" / "data" / "Viet74K.txt"
    try:
        words = path.read_text(encoding="utf-8").lower()
    except OSError:
        return frozenset()
    return frozenset(w for w in words.split("\n") if " " in w)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    with resources.files(__package__).joinpath("data/units.toml").open("rb") as fh:
        return Gazetteer(tomllib.load(fh))


# One word after another inside a name: "Quản lý", "KH&CN", "Phát thanh - Truyền hình".
_STEP = re.compile(r"(?P<sep>[ \t]+|[ \t]*-[ \t]*)(?P<w>[^\W_]+(?:&[^\W_]+)*)")
_PERSON = re.compile(r"([A-ZĐ][^\W\d_]*)(?: [A-ZĐ][^\W\d_]*){1,3}(?![ \t]*[-–]?[ \t]*[A-ZĐ])(?![^\W\d_])")
_FIRST = re.compile(r"(?P<sep>)(?P<w>[^\W_]+(?:&[^\W_]+)*)")
_LIST_INTRO = re.compile(
    r"(?<![^\W\d_])(?:các|trưởng các|lãnh đạo các)\s+(?P<head>phòng|trung tâm|chi cục|sở|ban|đơn vị)"
    r"(?:\s*,\s*(?:đơn vị|ban|ngành|trung tâm))*(?:\s+chuyên môn)?(?:\s+(?:thuộc|của)\s+sở)?\s*:\s*")
_LIST_SEP = re.compile(r"\s*(?:,|;|\bvà\b|,\s*và)\s*")
_UNIVERSITY_TAIL = re.compile(r"\s*(?:,|-)\s*Đại học [A-ZĐ][^\W\d_]*(?: [A-ZĐ][^\W\d_]*)*")
_AT_TAIL = re.compile(r" tại (?:[A-ZĐ][^\W\d_]*)(?: [A-ZĐ][^\W\d_]*)*")


class _Finder:
    """Finds unit mentions in one text."""

    def __init__(self, text: str, view: str) -> None:
        self.text, self.view, self.g = text, view, gazetteer()
        self._extents: dict[tuple[int, str, bool], tuple[int, int]] = {}

    def is_upper_start(self, pos: int) -> bool:
        return pos < len(self.text) and self.text[pos].isupper()

    # -- head-noun patterns ---------------------------------------------------------------
    def head_at(self, pos: int) -> re.Match | None:
        m = self.g.head_re.match(self.view, pos)
        return m if m and self.is_upper_start(pos) else None

    def starts_unit(self, pos: int) -> bool:
        """Whether a head noun at ``pos`` begins a unit of its own (and so ends the one before)."""
        m = self.head_at(pos)
        return m is not None and self.extend(m.end(), fold_name(m.group(0)))[1] > 0

    def extend(self, pos: int, head: str, at_word: bool = False) -> tuple[int, int]:
        """Where a name that starts after ``head`` ends, and how many name words it has.
        ``at_word``: the name's first word is at ``pos`` itself (a list item without its head)."""
        key = (pos, head, at_word)
        if key not in self._extents:
            self._extents[key] = self._extend(pos, head, at_word)
        return self._extents[key]

    def _extend(self, pos: int, head: str, at_word: bool) -> tuple[int, int]:
        end, words, prev = pos, 0, ""
        if head in self.g.level_heads:
            lv = self._level_at(end)
            if lv is not None:
                return lv, 1
        while True:
            m = (_FIRST if at_word and not words else _STEP).match(self.text, end)
            if not m:
                break
            w, wstart = m.group("w"), m.start("w")
            dash = "-" in m.group("sep")
            if w[0].isupper() or (w[0].isdigit() and words):
                if words and self.starts_unit(wstart) and not self._is_parent(wstart):
                    break
                if (not words or dash) and self._person_at(wstart):
                    break  # "Phó Giám đốc Sở Phan Thị Minh Nguyệt": a person, not a unit
                end, words, prev = m.end(), words + 1, w
                continue
            if dash:
                break
            if words and self.view.startswith("và", wstart) and len(w) == 2:
                nxt = _STEP.match(self.text, m.end())
                if nxt and nxt.group("w")[0].isupper() and not self.starts_unit(nxt.start("w")):
                    end, words, prev = nxt.end(), words + 1, nxt.group("w")
                    continue
                break
            if words:
                lv = self._level_at(m.start())
                if lv is not None:
                    return lv, words
                if self._goes_on(prev, w, m.end()):
                    end, prev = m.end(), w
                    continue
            break
        return end, words

    def _person_at(self, pos: int) -> bool:
        """A family name and one to three more capitalized syllables, then the name ends."""
        m = _PERSON.match(self.text, pos)
        return m is not None and m.group(1) in self.g.family_names

    def _is_parent(self, pos: int) -> bool:
        """"Ban Thường vụ Huyện ủy Gio Linh": a Party committee after a "Ban" is its parent."""
        m = self.head_at(pos)
        return m is not None and fold_name(m.group(0)) in self.g.parent_heads

    def _goes_on(self, prev: str, word: str, word_end: int) -> bool:
        """Whether a lower-case ``word`` after ``prev`` is still part of a unit name."""
        w, p = match_view(word), match_view(prev)
        if prev[:1].isupper() and ((p, w) in self.g.cap_pairs or f"{p} {w}" in vietnamese_words()
                                   or f"{prev.lower()} {word}" in vietnamese_words()):
            return True  # the second syllable of a capitalized word: "Quản lý", "Trồng trọt"
        if (p, w) in self.g.pairs or w in self.g.single_words:
            return True
        nxt = _STEP.match(self.text, word_end)
        return nxt is not None and (w, match_view(nxt.group("w"))) in self.g.pairs

    def _level_at(self, pos: int) -> int | None:
        """A level ("huyện", "thành phố") and its proper name ("Hải Lăng"); generic lists fail."""
        m = self.g.level_re.match(self.view, pos)
        if not m:
            return None
        end = m.end()
        comma = re.match(r"\s*,", self.view[end:])
        if comma and self.g.level_re.match(self.view, end + comma.end()):
            return None  # "UBND huyện, thị xã, thành phố": every district, not a unit
        while True:
            s = _STEP.match(self.text, end)
            if not s or "-" in s.group("sep") or not s.group("w")[0].isupper() or self.head_at(s.start("w")):
                break
            end = s.end()
        return end

    # -- canonical names ------------------------------------------------------------------
    def canonical(self, written: str, head: str) -> tuple[str, str | None]:
        entry = self.g.lookup(written)
        if entry:
            return entry.name, entry.kind
        name = re.sub(r"\s+", " ", written).strip(" ,;")
        name = re.sub(r"\s*[-–—]\s*", " - ", name)
        name = re.sub(r"^(?:Ủy|Uỷ|ỦY|UỶ) ban nhân dân|^ỦY BAN NHÂN DÂN", "UBND", name)
        name = re.sub(r"^Hội đồng nhân dân|^HỘI ĐỒNG NHÂN DÂN", "HĐND", name)
        name = re.sub(r"^Văn phòng Hội đồng nhân dân và (?:Ủy|Uỷ) ban nhân dân", "Văn phòng HĐND và UBND", name)
        for province in self.g.home_provinces:
            name = re.sub(r"(?i)\s+tỉnh\s+" + re.escape(province) + r"$", " tỉnh", name)
        if head in ("sở", "bộ") and name.endswith(" tỉnh"):
            name = name[: -len(" tỉnh")]
        entry = self.g.lookup(name)
        if entry:
            return entry.name, entry.kind
        return name, head

    # -- the passes -----------------------------------------------------------------------
    def known(self) -> list[UnitMention]:
        out = []
        for m in self.g.known_re.finditer(self.view):
            if not self.is_upper_start(m.start()):
                continue
            entry = self.g.lookup(self.text[m.start():m.end()])
            if entry is None:
                continue
            if entry.form == "short" and self._short_is_generic(m.end()):
                continue
            out.append(UnitMention(m.start(), m.end(), entry.name, entry.kind))
        return out

    def _short_is_generic(self, end: int) -> bool:
        """"Thanh tra, kiểm tra ..." is an activity; "Văn phòng" alone is the Sở's office."""
        return self.view.startswith(",", end) and self.view[end + 1:end + 3].strip()[:1].islower() \
            and not self.text[end + 1:end + 3].strip()[:1].isupper()

    def patterns(self) -> list[UnitMention]:
        out = []
        for m in self.g.head_re.finditer(self.view):
            if not self.is_upper_start(m.start()):
                continue
            head = fold_name(m.group(0))
            end, words = self.extend(m.end(), head)
            if words == 0 or self._bare_government(head, m.end(), end):
                continue
            end = self._tails(m.start(), end)
            written = self.text[m.start():end]
            name, kind = self.canonical(written, head)
            out.append(UnitMention(m.start(), end, name, kind))
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
        for intro in _LIST_INTRO.finditer(self.view):
            head = intro.group("head")
            pos = intro.end()
            while pos < len(self.text):
                if self.g.position_re.match(self.view, pos):
                    break
                item = by_start.get(pos) or self._listed_item(pos, head)
                if item is None:
                    break
                if item.start not in by_start:
                    out.append(item)
                sep = _LIST_SEP.match(self.text, item.end)
                if not sep or sep.end() == item.end:
                    break
                pos = sep.end()
        return out

    def _listed_item(self, pos: int, head: str) -> UnitMention | None:
        m = self.g.listed_re.match(self.view, pos)
        if m and self.is_upper_start(pos):
            entry = self.g.lookup(self.text[pos:m.end()], ("listed",))
            if entry:
                return UnitMention(pos, m.end(), entry.name, entry.kind)
        if head in ("phòng", "trung tâm", "chi cục", "sở", "ban") and self.is_upper_start(pos):
            end, words = self.extend(pos, head, at_word=True)  # the name without its head noun
            if words:
                written = head.capitalize() + " " + self.text[pos:end].strip()
                name, kind = self.canonical(written, head)
                return UnitMention(pos, end, name, kind)
        return None


def _merge(known: list[UnitMention], found: list[UnitMention], text: str) -> list[UnitMention]:
    """Known names win over patterns that start at the same place, unless the pattern goes on
    with a capitalized word that is not a parent or a place ("Văn phòng Điều phối ...")."""
    by_start: dict[int, UnitMention] = {u.start: u for u in known}
    for p in found:
        k = by_start.get(p.start)
        if k is None:
            by_start[p.start] = p
        elif p.end > k.end and re.match(r"\s+(?!Sở\b|UBND\b|Ủy\b|Uỷ\b)[A-ZĐ]", text[k.end:p.end]):
            by_start[p.start] = p
    # Drop a mention inside a longer one ("Chính phủ" inside "Văn phòng Chính phủ").
    out: list[UnitMention] = []
    for u in sorted(by_start.values(), key=lambda u: (u.start, -u.end)):
        if out and u.start < out[-1].end:
            continue
        out.append(u)
    return out


_BARE = re.compile(r"(?<![^\W\d_])(?:cục|trung tâm|ubnd huyện|ủy ban nhân dân huyện|ubnd thành phố|ubnd thị xã)"
                   r"(?![^\W\d_]|\s+[A-ZĐ])")


def _bare_heads(text: str, view: str, mentions: list[UnitMention]) -> list[UnitMention]:
    """A bare "Cục" or "UBND huyện" names the one unit of that kind the notice has named."""
    out = []
    covered = [(u.start, u.end) for u in mentions]
    for m in _BARE.finditer(view):
        if not text[m.start()].isupper() or any(s <= m.start() < e for s, e in covered):
            continue
        after = text[m.end():m.end() + 2]
        if after.strip()[:1].isupper():
            continue
        word = m.group(0)
        if word.startswith(("ubnd", "ủy ban")):
            level = word.split()[-1]
            cands = {u.name for u in mentions if u.name.startswith("UBND " + level + " ")}
        else:
            cands = {u.name for u in mentions if fold_name(u.name).startswith(word + " ")}
        if len(cands) == 1:
            name = cands.pop()
            kind = next(u.kind for u in mentions if u.name == name)
            out.append(UnitMention(m.start(), m.end(), name, kind))
    return out


def find_unit_mentions(text: str, view: str) -> list[UnitMention]:
    """Every unit mention of ``text`` (searched in its ``view``), in text order."""
    f = _Finder(text, view)
    mentions = _merge(f.known(), f.patterns(), text)
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
