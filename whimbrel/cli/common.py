"""What the commands share: options, input problems, batches with progress, exit codes."""
from __future__ import annotations

import sys
from datetime import date
from typing import Iterable, Iterator

import click

from whimbrel.pipeline.ingest import InputProblem, parse_published, read_inputs
from whimbrel.records import Article

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
        for item in read_inputs(self.inputs, self.published):
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


def coded(batch: Batch, processes: int) -> Iterator:
    """(article, events) for each article of the batch; a failing article is skipped, not fatal."""
    from whimbrel.runners.local import code_with_processes

    yield from with_progress(code_with_processes(batch, processes), "coding")


def open_output(path: str | None):
    return open(path, "w", encoding="utf-8", newline="") if path else sys.stdout
