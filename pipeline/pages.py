"""What the project's self-contained HTML pages share (the audit page, the report, the pages
the Datasette plugin serves): one inline stylesheet, the Content-Security-Policy, and small
text helpers. The pages themselves are Jinja2 templates with autoescape (``pipeline.render``,
``pipeline/templates``); ``esc`` is for the SVG that ``pipeline.svg`` draws.

Every value that comes from the database — a notice title or sentence can hold anything a
portal editor typed, "<script>" included — is escaped. The shell also carries a
Content-Security-Policy that allows no script and no network request at all, so a mistake in
escaping still could not run code or leak a request: the pages open from a file, offline, and
show the same thing anywhere.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

CSS = """
:root { --ink: #1d2733; --muted: #5b6675; --line: #d9dee5; --accent: #1f5fa8;
        --warn: #b3261e; --soon: #a15c00; --ok: #2e7d32; --paper: #fff; --band: #f4f6f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans",
       "Liberation Sans", sans-serif; color: var(--ink); background: var(--band); }
main { max-width: 1080px; margin: 0 auto; padding: 24px 28px 48px; background: var(--paper);
       min-height: 100vh; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 18px 0 6px; }
p.lead, .muted { color: var(--muted); }
p.lead { margin: 0 0 16px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.url { font-size: 12px; color: var(--muted); word-break: break-all; }
.small { font-size: 12px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--band); font-weight: 600; }
table.tasks { table-layout: fixed; }
table.tasks th:nth-child(1) { width: 16%; } table.tasks th:nth-child(2) { width: 13%; }
table.tasks th:nth-child(3) { width: 45%; } table.tasks th:nth-child(4) { width: 26%; }
table.unit-tasks { table-layout: fixed; }
table.unit-tasks th:nth-child(1) { width: 10%; } table.unit-tasks th:nth-child(2) { width: 14%; }
table.unit-tasks th:nth-child(3) { width: 38%; } table.unit-tasks th:nth-child(4) { width: 14%; }
table.unit-tasks th:nth-child(5) { width: 24%; }
details summary { cursor: pointer; }
form input { font: inherit; padding: 2px 6px; }
nav.site { margin-bottom: 8px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.date { white-space: nowrap; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px;
         font-weight: 600; background: var(--band); color: var(--muted); white-space: nowrap; }
.badge.ok { background: #e3f1e4; color: var(--ok); }
.badge.warn { background: #fbe4e2; color: var(--warn); }
.badge.soon { background: #fcefd9; color: var(--soon); }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 12px 0; }
.card > h2:first-child { margin-top: 4px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
ol.trail { list-style: none; padding: 0; margin: 8px 0; }
ol.trail > li { border-left: 3px solid var(--accent); padding: 4px 0 4px 14px; margin: 0 0 14px; }
blockquote { margin: 6px 0; padding: 6px 12px; background: var(--band); border-radius: 4px; }
mark { background: #fff1a8; padding: 0 2px; white-space: nowrap; }
figure { margin: 8px 0 20px; }
figcaption { color: var(--muted); font-size: 13px; }
svg text { font-family: inherit; }
.figures { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0 8px; }
.figure { flex: 1 1 140px; border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; }
.figure strong { display: block; font-size: 24px; }
.figure span { color: var(--muted); font-size: 13px; }
figure svg { max-width: 100%; height: auto; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
"""


def esc(value: object) -> str:
    """Text for HTML content or a quoted attribute; None is empty."""
    return "" if value is None else html.escape(str(value), quote=True)


def plural(n: int, word: str) -> str:
    """"1 notice", "3 notices"."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def clip(text: str, chars: int) -> str:
    """``text`` cut to ``chars`` characters, with an ellipsis when cut."""
    return text if len(text) <= chars else text[:max(chars - 1, 1)].rstrip() + "…"


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) address (a javascript: or data: link is never made)."""
    if not url:
        return None
    return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else None


def safe_href(url: str | None) -> str | None:
    """``url`` if it is an http(s) address or a path on this site ("/-/unit?name=..."), the
    links the pages served by Datasette make to each other."""
    if url and url.startswith("/") and not url.startswith("//"):
        return url
    return safe_url(url)


def highlight(text: str, needles: Iterable[str]) -> str:
    """``text`` escaped, with every occurrence of a needle wrapped in <mark>."""
    words = sorted({n for n in needles if n}, key=len, reverse=True)
    if not words:
        return esc(text)
    pattern = re.compile("|".join(re.escape(w) for w in words))
    out, at = [], 0
    for m in pattern.finditer(text):
        out.append(esc(text[at:m.start()]))
        out.append(f"<mark>{esc(m.group())}</mark>")
        at = m.end()
    out.append(esc(text[at:]))
    return "".join(out)
