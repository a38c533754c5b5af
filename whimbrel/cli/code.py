"""`whimbrel code INPUT...`: events of news articles, as JSON lines, JSON, CSV, PLOVER JSON lines,
CAMEO CSV (each event's CAMEO root code) or a table."""
from __future__ import annotations

import sys

import click

from whimbrel.cli.common import Batch, coded, execution_from, execution_options, open_output, published_option
from whimbrel.formats import EventWriter

FORMATS = ["jsonl", "json", "csv", "plover", "cameo", "table"]


@click.command("code")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--published", help="Publication date YYYY-MM-DD for inputs that carry none.")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="Output format [default: table on a terminal, jsonl otherwise].")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to FILE.")
@execution_options
def command(inputs, published, fmt, output, processes, executor, scheduler, workers):
    """Code INPUT (text, HTML or JSONL files, folders, http(s) URLs, '-') into PLOVER events."""
    execution = execution_from(processes, executor, scheduler, workers)
    batch = Batch(inputs, published_option(published))
    if fmt is None:
        fmt = "table" if output is None and sys.stdout.isatty() else "jsonl"
    out = open_output(output)
    writer = EventWriter(out, fmt)
    try:
        for _article, events in coded(batch, execution):
            writer.write(events)
        writer.close()
    finally:
        if output:
            out.close()
    sys.exit(batch.exit_code)
