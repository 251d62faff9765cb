"""`notices probe URL` on the sample portal (which selector read each field, where the generic
fallback stepped in), and a scrape of a redesigned portal that says so."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.portal import MockPortal

NOTICES = str(Path(sys.executable).with_name("notices"))
REDESIGN = {"news-detail": "art-view", "news-title": "art-heading", "news-content": "art-text",
            "date-publish": "art-when", "news-date": "art-meta"}


def probe(url: str, cwd: Path, code: int = 0) -> str:
    done = subprocess.run([NOTICES, "probe", url], cwd=cwd, capture_output=True, text=True, timeout=60)
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    assert list(cwd.iterdir()) == []  # a probe writes nothing
    return done.stdout if code == 0 else done.stderr


@pytest.fixture
def portal():
    with MockPortal.from_fixtures(per_page=3) as running:
        yield running


def first_article(portal: MockPortal) -> str:
    return portal.url(portal.article_path(next(iter(portal.articles.values()))))


def test_probe_of_an_article_names_the_selector_of_every_field(portal, tmp_path):
    out = probe(first_article(portal), tmp_path)
    assert "read as an article page by profile 'liferay'" in out
    assert "  title        [.news-detail .news-title]  “" in out
    assert "  published    [.news-detail .date-publish]  20" in out
    assert "  body         [.news-detail .news-content]  " in out
    assert out.rstrip().endswith("every field came from the profile's selectors")


def test_probe_of_a_redesigned_article_shows_where_the_fallback_read(portal, tmp_path):
    portal.renamed_classes = REDESIGN
    out = probe(first_article(portal), tmp_path)
    assert "  title        [generic fallback]  “" in out
    assert "  body         [generic fallback]  " in out
    assert "the generic fallback read: title, published, body — adapt [selectors] in the profile file" in out


@pytest.mark.parametrize("path, expected", [
    ("/", ["read as the home page (menu)", "  listings  [nav a[href], #navigation a[href]]  4 category listing(s)"]),
    ("/danh-sach-tin/-/view-category/1/1663228888101", ["read as a category listing", "  articles    [.news-list]  3 article link(s)"]),
    ("/van-ban-chi-dao-dieu-hanh", ["read as the register", "  rows        [table.van-ban-list tbody tr]  3 row(s)",
                                    "next: http://"]),
])
def test_probe_of_listings_register_and_home(portal, tmp_path, path, expected):
    out = probe(portal.url(path), tmp_path)
    for line in expected:
        assert line in out


@pytest.mark.parametrize("url, code, message", [
    ("ftp://x", 2, "notices probe: 'ftp://x' is not an http(s) URL with a host\n"),
    ("notaurl", 2, "notices probe: 'notaurl' is not an http(s) URL with a host\n"),
    ("http://127.0.0.1:1/", 3, "notices probe: could not reach the portal: "),
])
def test_probe_of_a_bad_or_dead_url_is_one_line(url, code, message, tmp_path):
    err = probe(url, tmp_path, code)
    assert err.startswith(message) and err.count("\n") == 1


def test_probe_of_a_missing_page_says_the_portal_answered(portal, tmp_path):
    err = probe(portal.url("/chi-tiet-tin/-/view-article/1/1663228888101/999"), tmp_path, 1)
    assert err.startswith("notices probe: could not fetch http://") and err.count("\n") == 1


def test_a_scrape_of_a_redesigned_portal_says_so_and_records_it(portal, tmp_path):
    portal.renamed_classes = REDESIGN
    done = subprocess.run([NOTICES, "scrape", "--base-url", portal.base_url, "--delay", "0", "-q"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    articles = len(portal.articles)
    warning = (f"warning: {articles} of {articles} articles read by the generic fallback, not the profile's "
               f"selectors: the portal's markup may have changed (see notices probe URL)\n")
    assert done.stderr.endswith(warning)
    db = sqlite3.connect(tmp_path / "data" / "db" / "notices.db")
    assert db.execute("select generic_pages, message from scrape_runs").fetchone() == (articles, warning[9:-1])


def test_a_scrape_of_the_profiled_portal_records_no_fallback(portal, tmp_path):
    done = subprocess.run([NOTICES, "scrape", "--base-url", portal.base_url, "--delay", "0", "-q"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "warning" not in done.stderr
    db = sqlite3.connect(tmp_path / "data" / "db" / "notices.db")
    assert db.execute("select generic_pages, message from scrape_runs").fetchone() == (0, None)
