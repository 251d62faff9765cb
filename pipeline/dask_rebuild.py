"""Extraction on a Dask cluster: ``notices reparse --dask ADDRESS`` (or ``--dask local``).

The same pure ``parse_archived`` as the process pool, mapped with ``dask.bag`` over the names of
the archived files; the results stream back to this process, which loads them in archive order
(``rebuild.load_pages``), so the database is the one the single-process path builds.

The workers open the archive files themselves: the raw dir must be mounted at the same absolute
path on every worker (NFS, a shared volume). Only names go out and parsed records come back.

Memory stays flat on the client: the names are cut into slabs, one bag per slab, and at most
``WINDOW_PER_WORKER`` partitions per worker are computing or waiting to be written.
"""
from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator

from .models import ParsedPage
from .rebuild import CHUNK, WINDOW_PER_WORKER, chunks, parse_archived

SLAB = 4096  # names per bag: the graph of one bag stays small, whatever the archive's size


def dask_pages(scheduler: str, paths: Iterable[str], raw_dir: str, profile: str,
               workers: int = 2, partition_size: int = 4 * CHUNK) -> Iterator[ParsedPage]:
    """``parse_archived`` over ``paths`` on the Dask scheduler at ``scheduler`` ("local": a
    ``LocalCluster`` of ``workers`` processes on this machine), results in input order.
    Raises ``DaskMissing`` at once (before any work) when dask is not installed."""
    try:
        import dask.bag  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as e:
        raise DaskMissing(f"--dask needs dask and distributed ({e}): pip install 'notices[dask]'") from None
    return _pages(scheduler, paths, os.path.abspath(raw_dir), profile, workers, partition_size)


class DaskMissing(RuntimeError):
    """dask or distributed is not installed."""


def _pages(scheduler: str, paths: Iterable[str], raw_dir: str, profile: str, workers: int,
           partition_size: int) -> Iterator[ParsedPage]:
    import dask.bag as bag
    from distributed import Client, LocalCluster

    if scheduler == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    else:
        cluster, client = None, Client(scheduler)
    try:
        cores = max(1, sum(client.nthreads().values()))
        window = WINDOW_PER_WORKER * cores
        pending: deque = deque()
        for slab in chunks(paths, SLAB):
            parts = bag.from_sequence(slab, partition_size=partition_size)
            # raw_dir is absolute: the workers' view of the archive
            for part in parts.map(parse_archived, raw_dir, profile).to_delayed():
                pending.append(client.compute(part))
                if len(pending) >= window:
                    yield from _take(pending)
        while pending:
            yield from _take(pending)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _take(pending: deque) -> list[ParsedPage]:
    future = pending.popleft()
    try:
        return future.result()
    finally:
        future.release()  # the cluster may forget it: this process holds the only copy now
