"""The unit gazetteer and the grammar of unit names, as data (extractors/data/units.toml).

Known units with their spellings; the head nouns, levels, positions and family names the
patterns need; and which lower-case words may go on inside a name ("Phòng Quản lý đô thị",
"Ban Quản lý dự án đầu tư xây dựng") and which end it (a verb: "chủ trì", "xây dựng").
"""
from __future__ import annotations

import hashlib
import importlib.util
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .normalize import fold_name, match_view
from .numbers import document_data

_NOT_LETTER_AFTER = r"(?![^\W\d_])"
# The match view of one word: words come back at every step of every name, so it is cached.
word_view = lru_cache(maxsize=65536)(match_view)


@dataclass(frozen=True)
class Entry:
    name: str
    kind: str | None
    form: str  # "name" | "alias" | "short" | "listed"


class Gazetteer:
    """Known units, their spellings, and the grammar words of unit names."""

    def __init__(self, data: dict) -> None:
        g = data["grammar"]
        self.entries: dict[str, Entry] = {}
        for unit in data["unit"]:
            kind = unit.get("kind")
            for form, names in (("name", [unit["name"]]), ("alias", unit.get("aliases", [])),
                                ("short", unit.get("short", [])), ("listed", unit.get("listed", []))):
                for n in names:
                    self.entries.setdefault(form + ":" + fold_name(n), Entry(unit["name"], kind, form))
        self.heads = sorted(g["heads"], key=len, reverse=True)
        self.level_heads = {fold_name(h) for h in g["level_heads"]}
        self.government_heads = {fold_name(h) for h in g["government_heads"]}
        self.lower_name_heads = {fold_name(h) for h in g["lower_name_heads"]}
        self.levels = sorted(g["levels"], key=len, reverse=True)
        self.home_provinces = [fold_name(p) for p in g["home_provinces"]]
        self.positions = sorted(g["positions"], key=len, reverse=True)
        self.family_names = set(g["family_names"])
        self.places = {fold_name(p) for p in g["places"]}
        self.parent_heads = {fold_name(h) for h in g["parent_heads"]}
        self.nested_units = {fold_name(h) for h in g["nested_units"]}
        # The last word of each: a name can only be inside a text that holds its last word.
        self.nested_tails = {_LETTERS.findall(n)[-1] for n in self.nested_units}
        # Runs of lower-case words that go on inside a name: the phrases, and every run of
        # lower-case words in the names of the gazetteer, by their first word.
        self.phrases: dict[str, list[tuple[str, ...]]] = {}
        runs = list(g["name_phrases"])
        for unit in data["unit"]:
            for name in [unit["name"], *unit.get("aliases", [])]:
                runs += re.findall(r"[a-zà-ỹđ]+(?: [a-zà-ỹđ]+)+", name)
        for run in runs:
            syllables = tuple(match_view(run).replace(",", " ,").split())
            self.phrases.setdefault(syllables[0], []).append(syllables)
        for first in self.phrases:
            self.phrases[first].sort(key=len, reverse=True)
        # ... and, after a capitalized word, its second syllable as the gazetteer writes it.
        self.cap_pairs: set[tuple[str, str]] = set()
        for unit in data["unit"]:
            for name in [unit["name"], *unit.get("aliases", [])]:
                syllables = match_view(name).split()
                self.cap_pairs.update(zip(syllables, syllables[1:]))
        self.single_words = {match_view(w) for w in g["single_words"]}
        stops = [match_view(w).split() for w in g["stop_words"]]
        self.stop_words = {w[0] for w in stops if len(w) == 1}
        self.stop_pairs = {(w[0], w[1]) for w in stops if len(w) >= 2}
        full = [k.split(":", 1)[1] for k in self.entries if not k.startswith("listed:")]
        listed = [k.split(":", 1)[1] for k in self.entries if k.startswith("listed:")]
        self.known_re = NamePattern(full)
        self.listed_re = NamePattern(listed)
        self.head_re = NamePattern([fold_name(h) for h in self.heads])
        self.level_re = re.compile(r"\s+(?:" + "|".join(re.escape(match_view(lv)) for lv in self.levels) + r")"
                                   + _NOT_LETTER_AFTER)
        self.position_re = NamePattern([fold_name(p) for p in self.positions])
        # A document named by type and number ("Kế hoạch số 45/..."): never part of a unit name.
        types = sorted(document_data()["types"], key=len, reverse=True)
        type_names = "|".join(re.escape(match_view(t)) for t in types)
        self.document_re = re.compile(r"(?:" + type_names + r")\s+(?:số\b|\d)")
        self.document_name_re = re.compile(r"(?:" + type_names + r")" + _NOT_LETTER_AFTER)

    def phrase_length(self, words: list[str]) -> int:
        """How many of ``words`` (lower case, in order) a phrase of the gazetteer covers."""
        for phrase in self.phrases.get(words[0] if words else "", []):
            if tuple(words[:len(phrase)]) == phrase:
                return len(phrase)
        return 0

    def is_word(self, first: str, second: str) -> bool:
        """Whether two syllables make one word of underthesea's dictionary ("Lâm nghiệp")."""
        words = vietnamese_words()
        return f"{first.lower()} {second.lower()}" in words or f"{word_view(first)} {word_view(second)}" in words

    def continues(self, prev: str, word: str, nxt: str) -> bool:
        """Whether a lower-case ``word`` (after ``prev``, before ``nxt``) goes on inside a unit name,
        when no phrase of the gazetteer covers it.

        In order: the second syllable of a capitalized word goes on ("Trồng trọt", "Đăng ký": the
        gazetteer or underthesea's dictionary knows the word); a verb or function word ends the
        name; a lower-case word of the dictionary goes on ("khu vực", "bao bì"); a few single
        words go on ("trẻ", "chuyên")."""
        w, p, n = word_view(word), word_view(prev), word_view(nxt)
        if prev[:1].isupper() and ((p, w) in self.cap_pairs or self.is_word(prev, word)):
            return True  # the second syllable of a capitalized word: "Đăng ký", "Trồng trọt"
        if w in self.stop_words or (w, n) in self.stop_pairs:
            return False
        words = vietnamese_words()
        if n and f"{w} {n}" in words and n not in self.stop_words:
            return True
        if not prev[:1].isupper() and f"{p} {w}" in words and (p, w) not in self.stop_pairs:
            return True
        return w in self.single_words

    def lookup(self, written: str, forms: tuple[str, ...] = ("name", "alias", "short")) -> Entry | None:
        key = fold_name(written)
        for form in forms:
            entry = self.entries.get(form + ":" + key)
            if entry:
                return entry
        return None


def _alternation(names: list[str]) -> re.Pattern:
    """One regex for many folded names, longest first, tolerant of spacing around , - &."""
    parts = []
    for n in _longest_first(names):
        pieces = re.split(r"(\s*[-,&]\s*|\s+)", n)
        parts.append("".join(re.escape(p) if i % 2 == 0 else _SEPARATOR[p.strip() or " "]
                             for i, p in enumerate(pieces)))
    return re.compile(_NOT_AFTER_SYMBOL + "(?:" + "|".join(parts) + ")" + _NOT_LETTER_AFTER)


def _longest_first(names: list[str]) -> list[str]:
    return sorted(set(names), key=lambda n: (-len(n), n))


def _trie(words: list[str]) -> str:
    """A regex that matches exactly ``words`` (plain letters), as a trie: a position costs the
    length of a word, not the number of words. Which word matches does not depend on order
    here, since a run of letters is one word whole (the lookahead after it)."""
    tree: dict = {}
    for w in words:
        node = tree
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(c) + build(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return "(?:" + build(tree) + ")"


_LETTERS = re.compile(r"[^\W\d_]+")


class NamePattern:
    """``_alternation(names)`` with the same matches, found without trying every name at every
    position of the text (the one regex costs ~0.25 µs a character).

    A name can only match where a run of letters begins (nothing before it is a letter) that is
    its own first run of letters: a separator, a non-letter or the name's end follows that run in
    the name, and so in the text. So one trie of those first runs finds where a name may begin,
    and there only the alternation of the names that begin with that run is tried, in the same
    order as in the one alternation."""

    def __init__(self, names: list[str]) -> None:
        self.pattern = _alternation(names)  # the reference the index must agree with
        by_first: dict[str, list[str]] = {}
        for n in _longest_first(names):
            first = _LETTERS.match(n)
            if first is None:  # a name that begins with no letter: no index for it
                raise ValueError(f"unit name {n!r} does not begin with a letter")
            by_first.setdefault(first.group(0), []).append(n)
        self._by_first = {w: _alternation(ns) for w, ns in by_first.items()}
        # Where such a run may begin: one alternation of the first runs, which starts with
        # literals, so the regex engine skips to their first letters (no lookbehind in front);
        # a hit inside a word is then refused by the names' own lookbehind.
        self._firsts = re.compile(_trie(list(by_first)) + _NOT_LETTER_AFTER)

    def match(self, view: str, pos: int, endpos: int | None = None) -> re.Match | None:
        end = len(view) if endpos is None else endpos
        run = _LETTERS.match(view, pos, end)
        sub = self._by_first.get(run.group(0)) if run else None
        return sub.match(view, pos, end) if sub else None

    def finditer(self, view: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match]:
        end = len(view) if endpos is None else endpos
        free = pos  # matches do not overlap: the next one starts after the last
        get = self._by_first.get
        for run in self._firsts.finditer(view, pos, end):
            start = run.start()
            if start < free:
                continue
            if m := get(run.group(0)).match(view, start, end):
                free = m.end()
                yield m


_SEPARATOR = {" ": r"\s+", "-": r"\s*-\s*", ",": r"\s*,\s*", "&": r"\s*&\s*"}
# Not inside a word, nor inside a document number ("2731/UBND-KGVX").
_NOT_AFTER_SYMBOL = r"(?<![^\W\d_])(?<![/\-])"


# The one input of the extractor that is not a file of this project: underthesea's Vietnamese
# word list, read from the installed package. It descends from Hồ Ngọc Đức's word list (GPL), so
# it is not copied into this MIT project; it is pinned by the hash of its bytes instead. A missing
# or different file is an error at start-up, never a silent change of what the rules find
# (without it 27 of the 56 gold notices extract differently). The hash is part of EXTRACTOR_VERSION.
WORD_LIST = "underthesea/corpus/data/Viet74K.txt"
WORD_LIST_SHA256 = "b83d49308336f12ca46d06287d8db6e2cdc7a725d9a9dac56930051775fafb90"  # underthesea 9.5.0


class WordListError(RuntimeError):
    """The pinned word list is missing or not the pinned one; the message is one line for the user."""


def word_list_path() -> Path | None:
    """Where the installed underthesea keeps the word list, None when it is not installed.
    Found without importing underthesea (which takes a third of a second)."""
    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))).parent / WORD_LIST


@lru_cache(maxsize=1)
def vietnamese_words() -> frozenset[str]:
    """Multi-syllable words of underthesea's Vietnamese dictionary (lower case), from the file
    whose hash is pinned; raises ``WordListError`` when it is absent or another file."""
    path = word_list_path()
    if path is None:
        raise WordListError(f"the extractor needs underthesea's word list ({WORD_LIST}) and underthesea "
                            "is not installed: pip install -e . (it is a dependency)")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise WordListError(f"the extractor needs {path}: cannot read it ({e.strerror or e})") from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != WORD_LIST_SHA256:
        raise WordListError(f"{path} has sha256 {digest[:12]}, the extractor is pinned to {WORD_LIST_SHA256[:12]} "
                            "(underthesea 9.5.0): install that version, or pin the new file in "
                            "extractors/gazetteer.py and bump RULES_VERSION")
    words = data.decode("utf-8").lower()
    return frozenset(w for w in words.split("\n") if " " in w)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    with resources.files(__package__).joinpath("data/units.toml").open("rb") as fh:
        return Gazetteer(tomllib.load(fh))
