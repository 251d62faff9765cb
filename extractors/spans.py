"""Which of many spans cover a position: a bisect over sorted starts, so asking for every match
of a text costs a logarithm each, not a scan of every span (a 30 MB text has 100,000s of both)."""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable


class Spans:
    """A fixed set of half-open spans ``(start, end)``, in any order, overlapping or not."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._reach: list[int] = []  # the furthest end of the spans up to each one
        for _, e in ordered:
            self._reach.append(max(self._reach[-1], e) if self._reach else e)

    def _reach_from(self, pos: int) -> int | None:
        """The furthest end of the spans that start at or before ``pos`` (None when none does)."""
        i = bisect_right(self._starts, pos)
        return self._reach[i - 1] if i else None

    def covers(self, pos: int) -> bool:
        """Whether some span holds ``pos``: ``start <= pos < end``."""
        reach = self._reach_from(pos)
        return reach is not None and reach > pos

    def contains(self, start: int, end: int) -> bool:
        """Whether some span holds all of ``start..end``: ``s <= start and end <= e``."""
        reach = self._reach_from(start)
        return reach is not None and reach >= end
