"""Idempotent: running again over the same content leaves the same rows. Whole tables are compared,
ids and all, with only the run log left aside (``scrape_runs``, and ``register_entries.seen_at``,
when the register last listed a row): after a second nightly, after a ``--refresh --full`` run that
refetches and reparses every page, and after ``notices reparse`` rebuilds every notice from the
archive into the same file. A reparse rewrites each notice's extracted rows, so those get new ids:
for them it is the rows' content that must not change."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from tests.faults.support import (FIGURES, NOTICES, integrity_problems, job_args, lost_and_extra, mirror_portal,
                                  natural_content, run_job, whole_tables)
from tests.portal import MockPortal

REWRITTEN = {"citations", "dates", "tasks", "task_units", "task_references", "unit_mentions", "document_copies"}


@dataclass
class Loaded:
    portal: MockPortal
    db: Path
    raw: Path


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    """One nightly over the mirror, done once; each test runs its second command on a copy."""
    tmp = tmp_path_factory.mktemp("loaded")
    with mirror_portal() as portal:
        first = run_job(job_args("nightly", portal, tmp / "notices.db", tmp / "raw"), tmp / "out")
        assert first.proc.returncode == 0, first.stderr
        yield Loaded(portal, tmp / "notices.db", tmp / "raw")


@pytest.mark.parametrize("again, same_ids_except", [
    (("nightly",), set()),
    (("nightly", "--refresh", "--full"), set()),
    (("reparse",), REWRITTEN),
])
def test_running_again_over_the_same_content_leaves_the_same_rows(loaded, paths, again, same_ids_except):
    paths.db.parent.mkdir(parents=True)
    shutil.copy(loaded.db, paths.db)  # the job closed it: checkpointed, no -wal to copy
    shutil.copytree(loaded.raw, paths.raw)
    before, content = whole_tables(paths.db), natural_content(paths.db, loaded.portal.base_url)

    if again[0] == "reparse":
        args = [NOTICES, "reparse", "--db", str(paths.db), "--raw-dir", str(paths.raw), "-q"]
    else:
        args = job_args(again[0], loaded.portal, paths.db, paths.raw, *again[1:])
    second = run_job(args, paths.out)

    assert second.proc.returncode == 0, second.stderr
    after = whole_tables(paths.db)
    assert set(after) == set(before)
    changed = sorted(t for t in before if before[t] != after[t] and t not in same_ids_except)
    FIGURES["tables compared whole after a second run"] += len(before)
    FIGURES["tables changed by a second run"] += len(changed)
    assert changed == []
    assert lost_and_extra(content, natural_content(paths.db, loaded.portal.base_url)) == ({}, {})
    assert integrity_problems(paths.db) == []
