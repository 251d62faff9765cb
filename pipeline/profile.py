"""Site profiles: what to crawl on a family of portals, as data (``profiles/*.toml``).

A profile holds the URL patterns of article pages, category listings and the register, the CSS
selectors of the parts of a page, the date shape and the boilerplate the generic fallback drops.
Code elsewhere asks the profile ("is this an article URL? which page of the listing is it?")
instead of hard-wiring the markup of one site.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit


@dataclass(frozen=True)
class Selectors:
    """CSS selector groups (comma-separated; the first match wins)."""

    title: str
    published: str
    category: str
    body: str
    attachments: str
    body_exclude: str
    menu: str
    listing_scope: str
    listing_item: str
    pagination: str
    register_row: str
    register_number: str
    register_issued: str
    register_type: str
    register_summary: str
    register_file: str


@dataclass(frozen=True)
class SiteProfile:
    name: str
    article_re: re.Pattern[str]
    listing_re: re.Pattern[str]
    register_re: re.Pattern[str]
    register_detail_re: re.Pattern[str]
    page_param: str
    selectors: Selectors
    date_re: re.Pattern[str]
    dated_label_re: re.Pattern[str]  # a publication label followed by a date, near each other
    register_columns: dict[str, tuple[str, ...]]
    strip_tags: tuple[str, ...]
    boilerplate_markers: tuple[str, ...]
    title_suffix_re: re.Pattern[str]
    generic_titles: frozenset[str]
    next_labels: frozenset[str]
    attachment_extensions: tuple[str, ...]
    attachment_res: tuple[re.Pattern[str], ...] = ()  # matched against path?query

    # --- URL classification -------------------------------------------------------------

    def match_article(self, url: str) -> tuple[str, str] | None:
        """(category_id, article_id) of an article URL, else None."""
        m = self.article_re.match(urlsplit(url).path)
        return (m["category_id"], m["article_id"]) if m else None

    def match_listing(self, url: str) -> str | None:
        """The category id of a category listing URL (any page), else None."""
        m = self.listing_re.match(urlsplit(url).path)
        return m["category_id"] if m else None

    def is_register(self, url: str) -> bool:
        return bool(self.register_re.match(urlsplit(url).path))

    def match_register_detail(self, url: str) -> str | None:
        m = self.register_detail_re.match(urlsplit(url).path)
        return m["document_id"] if m else None

    def is_attachment(self, url: str) -> bool:
        """Whether a link inside a notice body points to a file: its path ends in a file
        extension, or it has the shape of the portal's document library (which need not)."""
        return (urlsplit(url).path.lower().endswith(self.attachment_extensions)
                or self._attachment_match(url) is not None)

    def attachment_uuid(self, url: str) -> str | None:
        """The document-library UUID an attachment URL names (lower case), else None."""
        m = self._attachment_match(url)
        return m["uuid"].lower() if m and m.groupdict().get("uuid") else None

    def _attachment_match(self, url: str) -> re.Match[str] | None:
        parts = urlsplit(url)
        target = f"{parts.path}?{parts.query}" if parts.query else parts.path
        for pattern in self.attachment_res:
            if m := pattern.match(target):
                return m
        return None

    def page_number(self, url: str) -> int:
        """The listing page a URL shows (``?cur=N``); 1 when absent or not a number."""
        values = parse_qs(urlsplit(url).query).get(self.page_param)
        try:
            return max(1, int(values[0])) if values else 1
        except ValueError:
            return 1

    def page_url(self, url: str, page: int) -> str:
        """``url`` showing page ``page``; page 1 is the bare URL (as the menu links it)."""
        parts = urlsplit(url)
        query = {k: v for k, v in parse_qs(parts.query).items() if k != self.page_param}
        if page > 1:
            query[self.page_param] = [str(page)]
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query, doseq=True), ""))

    # --- dates -------------------------------------------------------------------------

    def find_date(self, text: str) -> date | None:
        """The first valid date written in the site's shape in ``text``."""
        for m in self.date_re.finditer(text):
            found = _to_date(m)
            if found:
                return found
        return None

    def find_labelled_date(self, text: str) -> date | None:
        """The first date that follows a publication label ("Ngày đăng", "Cập nhật")."""
        for m in self.dated_label_re.finditer(text):
            found = _to_date(m)
            if found:
                return found
        return None


def _to_date(m: re.Match[str]) -> date | None:
    try:
        return date(int(m["year"]), int(m["month"]), int(m["day"]))
    except ValueError:  # 31-02-2024
        return None


def load_profile(name_or_path: str | Path = "liferay") -> SiteProfile:
    """Load a bundled profile by name (``liferay``) or a TOML file by path."""
    path = Path(name_or_path)
    if path.suffix == ".toml" and path.exists():
        text = path.read_text(encoding="utf-8")
    else:
        resource = resources.files("pipeline") / "profiles" / f"{name_or_path}.toml"
        if not resource.is_file():
            raise ValueError(f"no site profile named {name_or_path!r}")
        text = resource.read_text(encoding="utf-8")
    return profile_from_dict(tomllib.loads(text))


def profile_from_dict(data: dict) -> SiteProfile:
    urls, dates, boiler = data["urls"], data["dates"], data["boilerplate"]
    labels = "|".join(re.escape(label) for label in sorted(dates["labels"], key=len, reverse=True))
    window = int(dates.get("label_window", 40))
    # The label regex embeds the date regex, so the date shape is written once (in the TOML).
    dated_label = rf"(?:{labels})\D{{0,{window}}}?{dates['pattern']}"
    return SiteProfile(
        name=data["name"],
        article_re=re.compile(urls["article"]),
        listing_re=re.compile(urls["listing"]),
        register_re=re.compile(urls["register"]),
        register_detail_re=re.compile(urls["register_detail"]),
        page_param=urls.get("page_param", "cur"),
        selectors=Selectors(**data["selectors"]),
        date_re=re.compile(dates["pattern"]),
        dated_label_re=re.compile(dated_label, re.IGNORECASE),
        register_columns={k: tuple(v) for k, v in data.get("register", {}).items()},
        strip_tags=tuple(boiler["strip_tags"]),
        boilerplate_markers=tuple(boiler["markers"]),
        title_suffix_re=re.compile(boiler["title_suffix"]),
        generic_titles=frozenset(t.casefold() for t in boiler["generic_titles"]),
        next_labels=frozenset(boiler["next_labels"]),
        attachment_extensions=tuple(boiler["attachment_extensions"]),
        attachment_res=tuple(re.compile(p) for p in urls.get("attachments", ())),
    )
