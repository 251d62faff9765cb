"""Wall time and peak memory of a command and every process it starts (the rebuild's workers,
a Dask cluster), sampled from /proc. Linux only; figures are printed, never asserted.

Memory is reported two ways: the peak of the summed PSS (each shared page counted once, split
among the processes sharing it: the honest total) and the peak RSS of the largest process.
CPU time is summed over every process of the tree: on a machine shared with other work, wall
time grows with the load while CPU time says what the job itself costs.
"""
from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Measured:
    seconds: float
    peak_total_mb: float  # summed PSS of the process tree, at its peak
    peak_process_mb: float  # largest RSS of one process
    processes: int  # most processes alive at once
    cpu_seconds: float  # user + system of every process of the tree (as last sampled)
    stdout: str
    stderr: str


def _children(pid: int) -> list[int]:
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        found = []
        for task in tasks:
            text = (task / "children").read_text().split()
            found += [int(c) for c in text]
        return found
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return []


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo += _children(p)
    return pids


def _memory_kb(pid: int) -> tuple[int, int]:
    """(PSS, RSS) in kB; zeros for a process that has gone."""
    pss = rss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
            elif line.startswith("Rss:"):
                rss = int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return pss, rss


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, PermissionError, IndexError):
        return 0
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


def run(argv: list[str], env: dict[str, str] | None = None, interval: float = 0.05) -> Measured:
    """Run ``argv`` to the end; raise CalledProcessError if it fails."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})
    peaks = {"total": 0, "one": 0, "n": 0}
    ticks: dict[int, int] = {}  # pid -> CPU ticks last seen (a process that ended keeps its last)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            pids = _tree(proc.pid)
            for p in pids:
                ticks[p] = max(ticks.get(p, 0), _cpu_ticks(p))
            sizes = [_memory_kb(p) for p in pids]
            peaks["total"] = max(peaks["total"], sum(s[0] for s in sizes))
            peaks["one"] = max(peaks["one"], max((s[1] for s in sizes), default=0))
            peaks["n"] = max(peaks["n"], len(pids))
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, argv, out, err)
    return Measured(seconds, peaks["total"] / 1024, peaks["one"] / 1024, peaks["n"],
                    sum(ticks.values()) / _TICK, out, err)
