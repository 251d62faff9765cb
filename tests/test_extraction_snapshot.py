"""The extractor's output on every gold text is the committed snapshot's, field by field, while
EXTRACTOR_VERSION stays the version that made the snapshot (tests/snapshot.py)."""
from __future__ import annotations

import pytest

from extractors import EXTRACTOR_VERSION
from tests import snapshot

SNAPSHOT = snapshot.load()
NOTICES = snapshot.gold_texts()


def test_the_snapshot_is_of_this_extractor_version():
    assert SNAPSHOT is not None, f"no {snapshot.SNAPSHOT}: run {snapshot.REGENERATE}"
    assert SNAPSHOT["extractor_version"] == EXTRACTOR_VERSION, (
        f"the snapshot was made by extractor {SNAPSHOT['extractor_version']}, this is {EXTRACTOR_VERSION}: "
        f"regenerate it with {snapshot.REGENERATE} and commit it")


def test_every_gold_text_is_in_the_snapshot():
    assert SNAPSHOT is not None
    missing = [nid for nid, _, _ in NOTICES if nid not in SNAPSHOT["notices"]]
    assert not missing, f"gold texts without a snapshot: {missing}; run {snapshot.REGENERATE}"


@pytest.mark.parametrize("nid,text,published", NOTICES, ids=[n for n, _, _ in NOTICES])
def test_extraction_is_the_snapshot(nid, text, published):
    assert SNAPSHOT is not None
    if SNAPSHOT["extractor_version"] != EXTRACTOR_VERSION or nid not in SNAPSHOT["notices"]:
        pytest.skip("the snapshot is of another version or lacks this text (the tests above fail)")
    now = snapshot.extraction_fields(text, published)
    old = SNAPSHOT["notices"][nid]
    changed = [f"{field}: {snapshot._first_difference(old.get(field), now.get(field))}"
               for field in sorted(set(old) | set(now)) if old.get(field) != now.get(field)]
    assert not changed, (
        f"the extraction of {nid} changed while EXTRACTOR_VERSION is still {EXTRACTOR_VERSION}:\n  "
        + "\n  ".join(changed)
        + f"\nIf the change is meant: bump RULES_VERSION in extractors/__init__.py, then run "
          f"{snapshot.REGENERATE} and commit tests/fixtures/extraction-snapshot.json.")


def test_a_change_without_a_version_bump_is_caught():
    """The comparison itself: one changed field of one notice is a difference."""
    assert SNAPSHOT is not None
    nid = NOTICES[0][0]
    changed = {"extractor_version": SNAPSHOT["extractor_version"],
               "notices": {nid: dict(SNAPSHOT["notices"][nid], dates=[])}}
    assert snapshot.differences(SNAPSHOT, changed) == [
        f"{nid}: dates: snapshot has {len(SNAPSHOT['notices'][nid]['dates'])} items, now 0"]
