"""What the commands share: options, input problems, batches with progress, exit codes."""
from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Iterator

import click

from whimbrel.pipeline.ingest import InputProblem, parse_published
from whimbrel.records import Article
from whimbrel.runners.partitions import stream_inputs

EXIT_OK, EXIT_USAGE, EXIT_SKIPPED = 0, 2, 3


def report_problem(problem: InputProblem) -> None:
    click.echo(f"whimbrel: skipped {problem}", err=True)


def published_option(value: str | None) -> date | None:
    """Click callback body for --published: a usage error names the field."""
    if value is None:
        return None
    when = parse_published(value, "--published")
    if isinstance(when, InputProblem):
        raise click.BadParameter(f"{when.message} ({when.hint})", param_hint="--published")
    return when


class Batch:
    """The articles of a run's inputs; problems are reported and counted as they come."""

    def __init__(self, inputs: Iterable[str], published: date | None):
        self.inputs, self.published = list(inputs), published
        self.skipped = 0
        self.articles = 0

    def __iter__(self) -> Iterator[Article]:
        # Streamed: a JSONL corpus is read a line at a time, not whole.
        for item in stream_inputs(self.inputs, self.published):
            if isinstance(item, InputProblem):
                self.skipped += 1
                report_problem(item)
            else:
                self.articles += 1
                yield item

    @property
    def exit_code(self) -> int:
        return EXIT_SKIPPED if self.skipped else EXIT_OK


def with_progress(items: Iterable, label: str) -> Iterable:
    """A progress bar on standard error when it is a terminal."""
    if not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, desc=label, unit=" articles", file=sys.stderr, leave=False)


@dataclass(frozen=True)
class Execution:
    """Where coding runs: ``local`` (this process or ``processes`` workers) or ``dask``."""

    executor: str = "local"
    processes: int = 1
    scheduler: str | None = None
    workers: int | None = None


def execution_options(function):
    """--processes, --executor, --scheduler, --workers, as `code` and `ingest` take them."""
    options = [
        click.option("--processes", type=click.IntRange(1, 64), default=None,
                     help="Local worker processes [default: 1]."),
        click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
                     help="Code here, or on a Dask cluster."),
        click.option("--scheduler", metavar="ADDRESS",
                     help="With --executor dask: a running Dask scheduler, e.g. tcp://10.0.0.5:8786."),
        click.option("--workers", type=click.IntRange(1, 256), default=None,
                     help="With --executor dask: start a local cluster of N worker processes [default: CPUs]."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def execution_from(processes: int | None, executor: str, scheduler: str | None, workers: int | None) -> Execution:
    """Check the execution options together; a clash is a usage error (exit status 2)."""
    if executor == "local":
        for name, value in (("--scheduler", scheduler), ("--workers", workers)):
            if value is not None:
                raise click.BadParameter("only with --executor dask (hint: add --executor dask, "
                                         "or use --processes N to code on local processes)", param_hint=name)
        return Execution("local", processes or 1)
    if processes is not None:
        raise click.BadParameter("not with --executor dask (hint: use --workers N for a local Dask cluster)",
                                 param_hint="--processes")
    if scheduler and workers:
        raise click.BadParameter("give --scheduler or --workers, not both (hint: a scheduler brings its own "
                                 "workers)", param_hint="--workers")
    return Execution("dask", 1, scheduler, workers or (None if scheduler else os.cpu_count() or 1))


def coded(batch: Iterable[Article], execution: Execution | int) -> Iterator:
    """(article, events) for each article of the batch, in input order, coded where asked."""
    if isinstance(execution, int):
        execution = Execution("local", execution)
    if execution.executor == "dask":
        results = _coded_on_dask(batch, execution)
    else:
        results = _coded_locally(batch, execution.processes)
    yield from with_progress(results, "coding")


def _coded_locally(articles: Iterable[Article], processes: int) -> Iterator:
    from whimbrel.runners.local import CHUNK, code_with_processes

    if processes <= 1:
        yield from code_with_processes(articles, processes)
        return
    # multiprocessing's imap reads its whole input ahead of the workers; the gate lets only
    # a few chunks per process be read before their results are taken, so that a corpus
    # larger than memory streams through.
    gate = threading.Semaphore(CHUNK * processes * 4)
    finished = threading.Event()

    def gated() -> Iterator[Article]:
        for article in articles:
            while not gate.acquire(timeout=0.2):
                if finished.is_set():  # stopped early: let the pool's feeder thread end
                    return
            yield article

    try:
        for result in code_with_processes(gated(), processes):
            gate.release()
            yield result
    finally:
        finished.set()


def _coded_on_dask(articles: Iterable[Article], execution: Execution) -> Iterator:
    try:
        from whimbrel.runners.dask import ExecutorError, code_with_dask
    except ImportError as error:
        raise click.BadParameter(f"Dask is not installed ({error.name}) (hint: pip install 'dask[distributed]')",
                                 param_hint="--executor") from None
    try:
        yield from code_with_dask(articles, scheduler=execution.scheduler, workers=execution.workers)
    except ExecutorError as error:
        option = "--scheduler" if execution.scheduler else "--workers"
        raise OneLineError(f"{option}: {error.message} (hint: {error.hint})") from None


class OneLineError(click.ClickException):
    """A fatal problem met while running (not a mistyped option): one line, exit status 2."""

    exit_code = EXIT_USAGE

    def show(self, file=None) -> None:
        click.echo(f"whimbrel: {self.message}", err=True)


def open_output(path: str | None):
    return open(path, "w", encoding="utf-8", newline="") if path else sys.stdout
