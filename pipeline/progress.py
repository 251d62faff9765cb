"""What a long job (scrape, nightly, reparse) tells the person who started it.

Jobs take a plain message callback (``Progress``); a ``Reporter`` is such a callback that also
counts the work done. On a terminal it draws a tqdm bar on stderr (count, rate, time left when
the total is known); elsewhere (cron, a log file) it prints the messages as lines and, at the
end, one line of what was done and how fast; ``quiet`` prints nothing. Jobs call ``advance`` and
``expect`` on whatever callback they were given: a plain function simply ignores them.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import IO

Progress = Callable[[str], None]


def advance(progress: Progress | None, n: int = 1) -> None:
    """Count ``n`` more units of work done (pages fetched, archived pages loaded)."""
    if isinstance(progress, Reporter):
        progress.advance(n)


def expect(progress: Progress | None, total: int | None) -> None:
    """The whole amount of work, once it is known (a rebuild knows it; a crawl does not)."""
    if isinstance(progress, Reporter):
        progress.expect(total)


class Reporter:
    """A message callback that also draws (or sums up) the job's progress."""

    def __init__(self, unit: str, *, quiet: bool = False, stream: IO[str] | None = None,
                 terminal: bool | None = None) -> None:
        self.unit = unit
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.terminal = self.stream.isatty() if terminal is None else terminal
        self.done = 0
        self.total: int | None = None
        self.started = time.monotonic()
        self._bar = None

    def __call__(self, message: str) -> None:
        if self.quiet:
            return
        if self._bar is not None:
            self._bar.write(message, file=self.stream)
        else:
            print(message, file=self.stream, flush=True)

    def expect(self, total: int | None) -> None:
        self.total = total
        if self._bar is not None:
            self._bar.total = total
            self._bar.refresh()

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.quiet or not self.terminal:
            return
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=self.total, unit=f" {self.unit}", file=self.stream, dynamic_ncols=True,
                             initial=self.done - n, mininterval=0.2)
        self._bar.update(n)

    def close(self) -> None:
        """End the bar; off a terminal, one line of what was done."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif not self.quiet and self.done:
            secs = time.monotonic() - self.started
            of = f" of {self.total}" if self.total is not None else ""
            rate = f", {self.done / secs:.1f}/s" if secs > 0 else ""
            print(f"{self.done}{of} {self.unit} in {secs:.1f} s{rate}", file=self.stream, flush=True)

    def __enter__(self) -> Reporter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
