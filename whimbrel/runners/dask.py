"""Coding on a Dask cluster: any running scheduler, or a LocalCluster started for the run.

Articles are cut into partitions (lists of ``partition_size`` articles) as they are read,
and only ``window`` partitions are in flight at a time, so memory stays bounded on the
client and on the workers however big the corpus is: a 1 GB JSONL file streams through.
Results come back in input order, and since event ids are hashes of article, trigger and
type, the output equals that of one process.

Each worker loads its pipeline once (``PipelineLoader``, a worker plugin, so workers that
join later load it too). Workers must have whimbrel installed, as with any Dask cluster:
dask-jobqueue on SLURM, Dask on Kubernetes, a cloud cluster.

    >>> for article, events in code_with_dask(articles, workers=2):
    ...     print(article.id, len(events))
"""
from __future__ import annotations

import contextlib
import logging
import resource
from collections import deque
from typing import Iterable, Iterator

from whimbrel.records import Article, Event
from whimbrel.runners.partitions import chunks

PARTITION_SIZE = 32  # articles per task: enough for nlp.pipe batches, small enough to stay light
CONNECT_TIMEOUT = "15s"


class ExecutorError(RuntimeError):
    """The Dask cluster could not be reached or started; ``hint`` says what to check."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def code_partition(articles: list[Article]) -> list[list[Event]]:
    """Runs on a worker: the events of each article of one partition, in order.

    Only the events travel back; the client still holds the articles.
    """
    from whimbrel import default_pipeline

    return [events for _article, events in default_pipeline().code_articles(articles)]


def peak_memory_mb() -> float:
    """Peak resident memory of this process (a worker, when run with ``client.run``), in MB.

    Read from /proc (VmHWM, the high-water mark of this process's own memory) where there is
    one: Linux carries ``ru_maxrss`` over fork and exec, so a worker started by a big process
    would report its parent's peak.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _plugin_class():
    from distributed.diagnostics.plugin import WorkerPlugin

    class PipelineLoader(WorkerPlugin):
        """Loads the pipeline when a worker starts, before its first task."""

        name = "whimbrel-pipeline"

        def setup(self, worker) -> None:
            from whimbrel import default_pipeline

            default_pipeline()

    return PipelineLoader


def quiet_dask_logs() -> None:
    """Dask's INFO lines (workers starting, ports) are noise on a command line."""
    import dask

    dask.config.set({"logging.distributed": "error", "distributed.admin.log-level": "error"})
    for name in ("distributed", "distributed.nanny", "distributed.scheduler", "distributed.worker",
                 "distributed.core", "distributed.http.proxy"):
        logging.getLogger(name).setLevel(logging.ERROR)


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None, memory_limit: str | None = "auto"):
    """A connected ``distributed.Client``: to ``scheduler``, or to a new LocalCluster of ``workers``.

    The LocalCluster has one single-threaded process per worker (spaCy holds the GIL), and
    no dashboard (it would need a free port and bokeh).
    """
    quiet_dask_logs()
    from distributed import Client, LocalCluster

    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
        else:
            cluster = LocalCluster(n_workers=workers or 1, threads_per_worker=1, processes=True,
                                   dashboard_address=None, memory_limit=memory_limit, silence_logs=logging.ERROR)
            client = Client(cluster, set_as_default=False)
    except (OSError, TimeoutError) as error:
        if cluster is not None:
            cluster.close()
        where = f"the Dask scheduler at {scheduler}" if scheduler else "a local Dask cluster"
        raise ExecutorError(f"cannot reach {where} ({type(error).__name__}: {error})",
                            "check the address (tcp://host:8786) and that the scheduler is running"
                            if scheduler else "check free memory and ports") from None
    try:
        client.register_plugin(_plugin_class()())
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def code_with_dask(articles: Iterable[Article], scheduler: str | None = None, workers: int | None = None,
                   partition_size: int = PARTITION_SIZE, window: int | None = None,
                   client=None) -> Iterator[tuple[Article, list[Event]]]:
    """Code articles on Dask; results come back in input order.

    ``window`` partitions are in flight at once (default: twice the workers), which bounds
    memory; pass ``client`` to reuse a connected client (benchmarks, tests).
    """
    if client is None:
        with dask_client(scheduler, workers) as own:
            yield from code_with_dask(articles, partition_size=partition_size, window=window, client=own)
        return
    slots = window or max(2, 2 * len(client.scheduler_info()["workers"]))
    in_flight: deque = deque()
    for partition in chunks(articles, partition_size):
        in_flight.append((partition, client.submit(code_partition, partition, pure=False, retries=1)))
        if len(in_flight) >= slots:
            yield from _collect(*in_flight.popleft())
    while in_flight:
        yield from _collect(*in_flight.popleft())


def _collect(partition: list[Article], future) -> Iterator[tuple[Article, list[Event]]]:
    results = future.result()
    future.release()
    yield from zip(partition, results)


def worker_peak_memory(client) -> dict[str, float]:
    """Peak resident memory (MB) of each worker process."""
    return client.run(peak_memory_mb)
