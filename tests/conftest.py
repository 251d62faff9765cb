"""Shared fixtures: the mock portal, the site profile, a test-speed fetcher, an archive."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Iterator

import pytest

from pipeline.archive import Archive
from pipeline.fetch import Fetcher
from pipeline.profile import SiteProfile, load_profile
from tests.portal import FIXTURES, MockPortal


@pytest.fixture(scope="session")
def profile() -> SiteProfile:
    return load_profile("liferay")


@pytest.fixture
def portal() -> Iterator[MockPortal]:
    """A fresh mock portal per test (tests change content and inject faults)."""
    with MockPortal.from_fixtures() as running:
        yield running


@pytest.fixture
def sleeps() -> list[float]:
    """Every sleep a fetcher asked for; fetchers made by ``make_fetcher`` record instead of sleeping."""
    return []


@pytest.fixture
def make_fetcher(portal: MockPortal, sleeps: list[float]) -> Iterator[Callable[..., Fetcher]]:
    """Fetchers for the portal with test settings: no delay, short timeout, recorded sleeps."""
    made: list[Fetcher] = []

    def make(base_url: str | None = None, **overrides: object) -> Fetcher:
        settings: dict = {"delay": 0.0, "timeout": 2.0, "retries": 2, "sleep": sleeps.append}
        settings.update(overrides)
        fetcher = Fetcher(base_url or portal.base_url, **settings)
        made.append(fetcher)
        return fetcher

    yield make
    for fetcher in made:
        fetcher.close()


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    return Archive(tmp_path / "raw")


def site_page(name: str) -> bytes:
    """A sample page of ``tests/fixtures/site``."""
    return (FIXTURES / "site" / name).read_bytes()


def gold(notice_id: str) -> dict:
    return json.loads((FIXTURES / "dev" / f"{notice_id}.json").read_text(encoding="utf-8"))
