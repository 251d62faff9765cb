"""A test hook that stops the job dead at a named point, so a test can SIGKILL it exactly there.

    NOTICES_FAULT_PAUSE="save_notice:3:/tmp/x/paused"

makes the process, the 3rd time it passes ``pause_point("save_notice")``, create the marker file
``/tmp/x/paused`` and sleep (an hour at most) until it is killed. The points:

- ``save_notice``: inside a notice's write transaction, every row written, before the commit;
- ``bulk_save``: the same inside a rebuild's batch (``save_notice(settle=False)``);
- ``archive``: an archive file written and fsynced under its temporary name, before the rename.

Killing at random moments would find these windows only by luck; the hook makes the fault-injection
tests (``tests/faults``) deterministic. Without the variable (always, outside those tests) a
point costs one dictionary lookup and does nothing.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

ENV = "NOTICES_FAULT_PAUSE"
_passes: dict[str, int] = {}


def pause_point(name: str) -> None:
    spec = os.environ.get(ENV)
    if not spec:
        return
    point, _, rest = spec.partition(":")
    if point != name:
        return
    count, _, marker = rest.partition(":")
    _passes[name] = _passes.get(name, 0) + 1
    if _passes[name] != int(count or 1):
        return
    if marker:
        Path(marker).write_text(f"{name} {_passes[name]} pid {os.getpid()}\n")
    time.sleep(3600)
