"""The raw archive: versions never rewritten, paths only from validated ids, atomic writes,
streaming iteration."""
from __future__ import annotations

import gzip
import json
import os

import pytest

from pipeline.archive import Archive
from pipeline.models import FetchedPage

SITE = "sokhcn.quangtri.gov.vn"


def page(body: bytes, at: str = "2024-08-22T10:00:00.000001+00:00", url: str | None = None) -> FetchedPage:
    url = url or f"https://{SITE}/chi-tiet-tin/-/view-article/1/1663228888354/1724300000003"
    return FetchedPage(url=url, final_url=url, status=200, headers={"Content-Type": "text/html; charset=utf-8"},
                       body=body, fetched_at=at)


def files(archive: Archive) -> list[str]:
    return sorted(p.relative_to(archive.root).as_posix() for p in archive.root.rglob("*") if p.is_file())


def test_put_writes_header_line_then_raw_body(archive):
    record = archive.put(page(b"<html>v1</html>"), "article", "1724300000003")
    assert record.path == f"{SITE}/article/1724300000003/20240822T100000000001Z-{record.sha256[:8]}.html.gz"
    with gzip.open(archive.root / record.path, "rb") as gz:
        header = json.loads(gz.readline())
        assert gz.read() == b"<html>v1</html>"
    assert header["sha256"] == record.sha256 and header["kind"] == "article" and header["site"] == SITE
    assert header["page_id"] == "1724300000003" and header["status"] == 200
    assert header["headers"] == {"Content-Type": "text/html; charset=utf-8"}


def test_same_body_is_not_written_again(archive):
    first = archive.put(page(b"same"), "article", "1")
    again = archive.put(page(b"same", at="2024-08-23T10:00:00+00:00"), "article", "1")
    assert again.path == first.path and again.fetched_at == first.fetched_at
    assert len(files(archive)) == 1


def test_changed_body_is_a_new_file_and_old_files_are_untouched(archive):
    first = archive.put(page(b"v1"), "article", "1")
    before = (archive.root / first.path).read_bytes()
    mtime = os.stat(archive.root / first.path).st_mtime_ns
    second = archive.put(page(b"v2", at="2024-08-23T10:00:00+00:00"), "article", "1")
    assert second.path != first.path and len(files(archive)) == 2
    assert (archive.root / first.path).read_bytes() == before
    assert os.stat(archive.root / first.path).st_mtime_ns == mtime
    assert archive.latest("article", "1").body == b"v2"
    # Back to v1: differs from the latest, so it is a third version, not a rewrite of the first.
    archive.put(page(b"v1", at="2024-08-24T10:00:00+00:00"), "article", "1")
    assert len(files(archive)) == 3


@pytest.mark.parametrize("page_id", ["", "../etc", "a/b", "..", ".", "a b", "x" * 81, "ả", "a\\b", "a\x00"])
def test_invalid_page_ids_are_rejected(archive, page_id):
    with pytest.raises(ValueError, match="invalid page_id"):
        archive.put(page(b"x"), "article", page_id)
    assert not archive.root.exists()


@pytest.mark.parametrize("kind", ["", "../x", "a/b"])
def test_invalid_kinds_are_rejected(archive, kind):
    with pytest.raises(ValueError, match="invalid kind"):
        archive.put(page(b"x"), kind, "1")


@pytest.mark.parametrize("url", ["http://../x", "http://a_b/x", "file:///etc/passwd", "http:///nohost"])
def test_site_must_be_a_host_name(archive, url):
    with pytest.raises(ValueError):
        archive.put(page(b"x", url=url), "article", "1")


def test_ip_literal_sites_are_valid(archive):
    record = archive.put(page(b"x", url="http://127.0.0.1:8080/chi-tiet-tin/x"), "article", "1")
    assert record.site == "127.0.0.1" and record.path.startswith("127.0.0.1/article/1/")


def test_path_comes_from_ids_not_from_url_text(archive):
    url = f"https://{SITE}/../../evil/%2e%2e/chi-tiet-tin?x=/../../y"
    record = archive.put(page(b"x", url=url), "article", "42")
    assert record.path.startswith(f"{SITE}/article/42/") and ".." not in record.path
    assert record.url == url  # kept in the header, where it does no harm


def test_a_killed_write_leaves_no_file_under_the_final_name(archive, monkeypatch):
    def crash(*args: object) -> None:
        raise KeyboardInterrupt("killed between write and rename")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        archive.put(page(b"<html>half</html>"), "article", "1")
    monkeypatch.undo()
    assert [f for f in files(archive) if f.endswith(".html.gz")] == []
    assert list(archive.iter()) == []
    assert archive.latest("article", "1") is None
    # A leftover temp file from a hard kill (SIGKILL skips clean-up) is ignored as well.
    (archive.root / SITE / "article" / "1" / ".tmpabc.part").write_bytes(b"garbage")
    assert list(archive.iter()) == [] and archive.put(page(b"ok"), "article", "1").body == b"ok"


def test_iter_streams_latest_or_all_versions(archive):
    archive.put(page(b"a1"), "article", "1")
    archive.put(page(b"a2", at="2024-08-23T00:00:00+00:00"), "article", "1")
    archive.put(page(b"b1"), "article", "2")
    archive.put(page(b"home"), "home", "home")
    latest = {(r.kind, r.page_id): r.body for r in archive.iter()}
    assert latest == {("article", "1"): b"a2", ("article", "2"): b"b1", ("home", "home"): b"home"}
    assert sorted(r.body for r in archive.iter("article", latest_only=False)) == [b"a1", b"a2", b"b1"]
    assert [r.body for r in archive.iter("home", with_body=False)] == [b""]
    assert list(archive.iter("listing")) == []
    iterator = archive.iter()
    assert iter(iterator) is iterator  # a generator: nothing is read before it is asked for


def test_paths_name_the_files_iter_reads_in_the_same_order(archive):
    archive.put(page(b"a1"), "article", "1")
    archive.put(page(b"a2", at="2024-08-23T00:00:00+00:00"), "article", "1")
    archive.put(page(b"b1"), "article", "2")
    archive.put(page(b"home"), "home", "home")
    for kind, latest_only in [(None, True), ("article", False), ("article", True), ("listing", True)]:
        paths = list(archive.paths(kind, latest_only))
        assert paths == [r.path for r in archive.iter(kind, latest_only, with_body=False)]
        assert [archive.read(p).body for p in paths] == [r.body for r in archive.iter(kind, latest_only)]


def test_a_relative_raw_dir_reads_the_same(archive, monkeypatch):
    archive.put(page(b"a1"), "article", "1")
    monkeypatch.chdir(archive.root.parent)
    relative = Archive(archive.root.name)
    assert [r.body for r in relative.iter("article")] == [b"a1"]
    assert [relative.read(p).body for p in relative.paths("article")] == [b"a1"]


def test_a_relative_raw_dir_never_doubles_in_a_path(archive, monkeypatch):
    """The second night's bug: with raw dir ``data/raw`` (relative, the default), ``latest``
    and ``put`` of an unchanged page read ``data/raw/data/raw/...``. Names stay relative to
    the raw dir whatever the working directory, and a name outside it is refused."""
    monkeypatch.chdir(archive.root.parent)
    relative = Archive(archive.root.name)
    first = relative.put(page(b"a1"), "article", "1")
    assert relative.put(page(b"a1", at="2024-08-23T10:00:00+00:00"), "article", "1").path == first.path
    assert relative.latest("article", "1").path == first.path == f"{SITE}/article/1/{first.path.rsplit('/', 1)[1]}"
    assert not first.path.startswith(archive.root.name)
    assert relative.read(first.path).body == archive.read(first.path).body == b"a1"
    assert relative.read(relative.file_of(first.path)).body == b"a1"  # absolute, inside the raw dir
    for outside in ("../x.html.gz", "/etc/passwd"):
        with pytest.raises(ValueError):
            relative.read(outside)


def test_latest_and_read_agree(archive):
    assert archive.latest("article", "1") is None
    written = archive.put(page(b"body"), "article", "1")
    found = archive.latest("article", "1", site=SITE)
    assert found == archive.read(written.path) and found.body == b"body"
    assert Archive(archive.root).latest("article", "1").sha256 == written.sha256  # a new process sees it
