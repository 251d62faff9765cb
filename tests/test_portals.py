"""Many portals in one nightly run (`notices nightly --portals FILE`): the file, the grouping by
host, and end to end through the CLI against portals on distinct loopback hosts: hosts crawled
at the same time, each host one request at a time, every notice with its site, one run row per
portal, a crashing portal not stopping the others."""
from __future__ import annotations

import sqlite3
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.models import PortalSpec
from pipeline.portals import PortalsError, by_host, load_portals
from tests.portal import HostMeter, MockPortal


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "portals.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_portals_file_with_defaults_and_overrides(tmp_path):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "mine.toml").write_text(
        (Path(__file__).parent.parent / "pipeline" / "profiles" / "liferay.toml").read_text("utf-8"), "utf-8")
    portals = load_portals(write(tmp_path, """
delay = 2.5
parallel = 3
[[portal]]
name = "Sở KH&CN"
base_url = "https://sokhcn.quangtri.gov.vn"
[[portal]]
base_url = "https://giolinh.quangtri.gov.vn/vi"
profile = "profiles/mine.toml"
delay = 0
"""))
    assert portals.delay == 2.5 and portals.parallel == 3
    assert portals.portals == [
        PortalSpec("https://sokhcn.quangtri.gov.vn", "liferay", None, "Sở KH&CN"),
        PortalSpec("https://giolinh.quangtri.gov.vn/vi", str(tmp_path / "profiles" / "mine.toml"), 0.0, None)]
    assert [p.label for p in portals.portals] == ["Sở KH&CN", "https://giolinh.quangtri.gov.vn/vi"]


@pytest.mark.parametrize("text, message", [
    ("", "no [[portal]] entries"),
    ("[[portal]]\nbase_url = 'ftp://x.gov.vn'", "base_url must be an http(s) URL"),
    ("[[portal]]\nbase_url = 'https://'", "base_url must be an http(s) URL"),
    ("[[portal]]\nbase_url = 'http://bad_host.vn'", "not a valid host name"),
    ("[[portal]]\nbase_url = 'https://a.vn'\n[[portal]]\nbase_url = 'https://a.vn/'", "listed twice"),
    ("[[portal]]\nbase_url = 'https://a.vn'\nprofile = 'drupal'", "no site profile named 'drupal'"),
    ("[[portal]]\nbase_url = 'https://a.vn'\ndelay = -1", "delay must be a number of seconds"),
    ("delay = 'slow'\n[[portal]]\nbase_url = 'https://a.vn'", "delay must be a number of seconds"),
    ("parallel = 0\n[[portal]]\nbase_url = 'https://a.vn'", "parallel must be a whole number"),
    ("[[portal]]\nbase_url = 'https://a.vn'\ndealy = 1", "unknown key(s) dealy"),
    ("[[portals]]\nbase_url = 'https://a.vn'", "unknown key(s) portals"),
    ("[[portal]\nbase_url = 'https://a.vn'", "portals.toml"),  # not TOML
])
def test_a_bad_portals_file_is_refused_with_its_reason(tmp_path, text, message):
    with pytest.raises(PortalsError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        load_portals(write(tmp_path, text))


def test_portals_of_one_host_share_one_queue():
    portals = [PortalSpec(u) for u in ("http://127.0.0.1:8001", "https://b.gov.vn", "http://127.0.0.1:8002/vi",
                                       "https://B.gov.vn:8443")]
    assert {host: [p.base_url for p in group] for host, group in by_host(portals).items()} == {
        "127.0.0.1": ["http://127.0.0.1:8001", "http://127.0.0.1:8002/vi"],
        "b.gov.vn": ["https://b.gov.vn", "https://B.gov.vn:8443"]}


def cli(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def rows(db: str, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.mark.skipif(sys.platform != "linux", reason="127.0.0.2 and .3 are loopback addresses on Linux only")
def test_portals_are_crawled_in_parallel_politely_and_a_crash_stops_no_other(tmp_path):
    """A and C share host 127.0.0.1 (two ports), B is 127.0.0.2, D (127.0.0.3) crashes: its
    archive folder cannot be created. A and B must meet at their first request, which a crawl
    of one host after the other never does; no host ever sees two requests at once."""
    db, raw = str(tmp_path / "db" / "notices.db"), tmp_path / "raw"
    shared = HostMeter()
    a, c = MockPortal.from_fixtures(meter=shared), MockPortal(meter=shared)
    b, d = MockPortal.from_fixtures(), MockPortal.from_fixtures()
    for n in range(3):  # C: other articles in the same categories as A (one host, one menu)
        c.add_article(f"Thông báo số {n} của cổng C", [f"Văn phòng Sở báo cáo trước ngày {n + 10}/9/2024."],
                      date(2024, 9, n + 1), "1663228888530", f"19000000000{n:02d}")
    meeting = threading.Barrier(2, timeout=10)
    first, missed = {"a": True, "b": True}, []

    def meet(key: str):
        def hook(path: str) -> None:
            if first[key]:
                first[key] = False
                try:
                    meeting.wait()
                except threading.BrokenBarrierError:  # the other portal was not being crawled
                    missed.append(key)
        return hook

    a.on_request, b.on_request = meet("a"), meet("b")
    for portal in (a, b, c, d):
        portal.latency = 0.005
    a.start(host="127.0.0.1"), c.start(host="127.0.0.1"), b.start(host="127.0.0.2"), d.start(host="127.0.0.3")
    raw.mkdir()
    (raw / "127.0.0.3").write_text("not a folder")
    portals = write(tmp_path, f"""
delay = 0
[[portal]]
name = "A"
base_url = "{a.base_url}"
[[portal]]
name = "B"
base_url = "{b.base_url}"
[[portal]]
name = "C"
base_url = "{c.base_url}"
[[portal]]
name = "D"
base_url = "{d.base_url}"
""")
    try:
        result = cli("nightly", "--portals", str(portals), "--db", db, "--raw-dir", str(raw), "-q")
        assert result.exit_code == 1, result.output  # D crashed; the others ran
        lines = result.output.splitlines()
        assert lines[0].startswith(f"A: {len(a.articles)} new, 0 changed")
        assert lines[1].startswith(f"B: {len(b.articles)} new, 0 changed")
        assert lines[2].startswith("C: 3 new, 0 changed")
        assert lines[3].startswith("D: failed: ")
        assert missed == []  # A and B were crawled at the same time
        assert shared.peak == {"127.0.0.1": 1} and b.meter.peak == {"127.0.0.2": 1}
        assert d.meter.peak == {"127.0.0.3": 1}

        by_site = {}
        for site, article_id in rows(db, "select site, article_id from notices"):
            by_site.setdefault(site, set()).add(article_id)
        assert by_site == {"127.0.0.1": set(a.articles) | set(c.articles), "127.0.0.2": set(b.articles)}
        # One directive, one unit for the whole province; the views say where each appears.
        assert rows(db, "select site, notices, in_site_register from document_sites where number = '97/KH-SKHCN'"
                        " order by site") == [("127.0.0.1", 2, 1), ("127.0.0.2", 2, 1)]
        assert rows(db, "select count(*) from documents where number = '97/KH-SKHCN'") == [(1,)]
        assert [site for (site,) in rows(db, "select site from unit_sites where name = 'Văn phòng Sở' order by site")] \
            == ["127.0.0.1", "127.0.0.2"]
        runs = rows(db, "select base_url, status, new from scrape_runs order by base_url")
        assert runs == sorted([(a.base_url, "ok", len(a.articles)), (b.base_url, "ok", len(b.articles)),
                               (c.base_url, "ok", 3), (d.base_url, "failed", 0)])
        [(message,)] = rows(db, "select message from scrape_runs where base_url = ?", (d.base_url,))
        assert message.startswith(("NotADirectoryError", "FileExistsError"))

        for portal in (a, b, c):
            portal.clear_log()
        result = cli("nightly", "--portals", str(portals), "--db", db, "--raw-dir", str(raw), "-q")
        assert result.exit_code == 1
        assert [line.split(":")[0] for line in result.output.splitlines()] == ["A", "B", "C", "D"]
        for portal in (a, b):
            listings = [portal.listing_path(cid) for cid in portal.categories] + [portal.register_path()]
            assert sorted(portal.paths()) == sorted(["/robots.txt", *listings])  # nothing new: listings only
        assert rows(db, "select count(*) from scrape_runs") == [(8,)]
    finally:
        for portal in (a, b, c, d):
            portal.stop()


def test_a_bad_portals_file_stops_the_run_before_any_request(tmp_path):
    result = cli("nightly", "--portals", str(write(tmp_path, "[[portal]]\nbase_url = 'gopher://x'")),
                 "--db", str(tmp_path / "n.db"), "--raw-dir", str(tmp_path / "raw"))
    assert result.exit_code == 2 and "base_url must be an http(s) URL" in result.output
    assert not (tmp_path / "n.db").exists()


def test_the_example_portals_file_is_valid():
    example = load_portals(Path(__file__).parent.parent / "docs" / "portals.example.toml")
    assert len(example.portals) == 5 and example.delay == 1.0 and example.parallel == 8
    assert len(by_host(example.portals)) == 5
