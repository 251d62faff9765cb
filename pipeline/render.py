"""One way to make the project's pages: Jinja2 templates (``pipeline/templates``) with
autoescape, so every value from the database is escaped unless a template says otherwise.

The pages are self-contained (inline CSS and SVG, no script, a Content-Security-Policy that
allows no request), the same whether ``notices`` writes them to a file or the Datasette
plugin serves them. Charts come from ``pipeline.svg`` (already escaped, passed as Markup).
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from pipeline.pages import CSP, CSS, clip, highlight, plural, safe_href

TEMPLATES = Path(__file__).parent / "templates"


def audit_href(number: str, year: int | None = None) -> str:
    """The plugin's audit page of a number: ``/-/audit/97%2FKH-SKHCN``."""
    return f"/-/audit/{quote(number, safe='')}" + (f"?year={year}" if year else "")


def unit_href(name: str) -> str:
    return f"/-/unit?name={quote(name, safe='')}"


def days_label(days: int | None) -> str:
    """How a deadline stands on the day, in Vietnamese."""
    if days is None:
        return "không có hạn"
    if days < 0:
        return f"quá hạn {-days} ngày"
    return "hôm nay" if days == 0 else f"còn {days} ngày"


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                      autoescape=select_autoescape(("html", "xml", "atom"), default=True),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals.update(CSP=Markup(CSP), CSS=Markup(CSS), audit_href=audit_href, unit_href=unit_href,
                       plural=plural)
    env.filters.update(clip=clip, href=safe_href, days=days_label, as_date=date.fromisoformat,
                       highlight=lambda text, needles: Markup(highlight(text or "", needles)))
    return env


ENV = _environment()


def render(template: str, **context: object) -> str:
    """The page ``template`` filled with ``context`` (values escaped)."""
    return ENV.get_template(template).render(**context)
