"""Shared fixtures: the mock portal, the site profile, a test-speed fetcher, an archive."""
from __future__ import annotations

import json
from datetime import date, timedelta
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


# A notice with a task due in ten days (so the date-relative queries have something to show)
# and one whose title and body carry markup (so every page that shows them must escape it).
HOSTILE_TITLE = 'Thông báo <script>document.title="pwned"</script> về <b>cải cách hành chính</b>'


def add_audit_articles(portal: MockPortal, today: date) -> None:
    soon = today + timedelta(days=10)
    due = f"{soon.day}/{soon.month}/{soon.year}"
    portal.add_article("Thông báo kết luận của Giám đốc Sở tại cuộc họp giao ban tháng", [
        f"Ngày {today:%d/%m/%Y}, Giám đốc Sở chủ trì cuộc họp giao ban. Giám đốc Sở kết luận như sau:",
        "1. Văn phòng Sở chủ trì, phối hợp với Phòng Quản lý Khoa học tổng hợp báo cáo kết quả cải cách"
        f" hành chính, gửi Giám đốc Sở trước ngày {due}.",
        "2. Phòng Quản lý Khoa học rà soát các nhiệm vụ chuyển tiếp theo Kế hoạch số 97/KH-SKHCN ngày"
        f" 28/12/2023, hoàn thành trước ngày {due}."], today, "1663228888530")
    portal.add_article(HOSTILE_TITLE, [
        'Triển khai Kế hoạch số 97/KH-SKHCN ngày 28/12/2023 <img src=x onerror="document.title=1">'
        " về cải cách hành chính năm 2024."], date(2024, 9, 25), "1663228888354")


@pytest.fixture(scope="session")
def scraped_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database scraped through the CLI from the mock portal (the dev corpus, the register and
    the two articles above), as analysts and auditors get it. Read it; do not change it."""
    from click.testing import CliRunner

    from pipeline.cli import main

    folder = tmp_path_factory.mktemp("scraped")
    with MockPortal.from_fixtures() as portal:
        add_audit_articles(portal, date.today())
        result = CliRunner().invoke(main, ["scrape", "--base-url", portal.base_url, "--delay", "0", "--db",
                                           str(folder / "notices.db"), "--raw-dir", str(folder / "raw"), "-q"])
    assert result.exit_code == 0, (result.output, result.exception)
    return folder / "notices.db"
