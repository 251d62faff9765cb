"""Fixtures of the fault suite: the mirror portal, "another host", file paths, a recorder of
every socket this process connects, and the figures written at the end of the session."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from tests.faults.support import FIGURES, mirror_portal, write_figures
from tests.portal import MockPortal


@pytest.fixture(scope="session", autouse=True)
def figures() -> Iterator[None]:
    yield
    write_figures()


def _serving(portal: MockPortal) -> Iterator[MockPortal]:
    """Serve ``portal`` for one test; the faults it served go into the suite's figures."""
    portal.start()
    try:
        yield portal
    finally:
        FIGURES["faults injected (responses)"] += portal.faults_served
        portal.stop()


@pytest.fixture
def mirror() -> Iterator[MockPortal]:
    yield from _serving(mirror_portal())


@pytest.fixture
def sample() -> Iterator[MockPortal]:
    """The small sample portal (12 notices), for tests about the job rather than the content."""
    yield from _serving(MockPortal.from_fixtures())


@pytest.fixture
def elsewhere() -> Iterator[MockPortal]:
    """Another host: a second portal on another port (another origin, so another host to the
    crawler). Every test that uses it asserts it saw no request."""
    with MockPortal.from_fixtures() as other:
        yield other


@dataclass
class Paths:
    db: Path
    raw: Path
    out: Path  # stdout/stderr of child processes


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths(tmp_path / "db" / "notices.db", tmp_path / "raw", tmp_path / "out")


class _Connections:
    """Every address this process passes to ``socket.connect`` while recording: the proof that a
    refused URL was refused *before* a connection, not after. A Python audit hook sees the call
    itself; nothing is patched or mocked."""

    installed = False
    recording: list[tuple] | None = None

    @classmethod
    def hook(cls, event: str, args: tuple) -> None:
        if cls.recording is not None and event == "socket.connect":
            cls.recording.append(args[1])


@pytest.fixture
def connections() -> Iterator[list[tuple]]:
    if not _Connections.installed:  # audit hooks cannot be removed: install once, record on demand
        sys.addaudithook(_Connections.hook)
        _Connections.installed = True
    _Connections.recording = []
    try:
        yield _Connections.recording
    finally:
        _Connections.recording = None
