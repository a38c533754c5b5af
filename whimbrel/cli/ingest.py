"""`whimbrel ingest INPUT... --db`: code articles and store their events.

Same inputs, error rules and execution options as `whimbrel code`. Articles already stored
with the same text by this pipeline version are not coded again, nor are copies of stored
articles (same URL, same text, or a near copy): those are added to the stored article's
sources. Each article is committed on its own, so an interrupted run keeps everything it
had stored; stored events join their event clusters as they come.
"""
from __future__ import annotations

import sys
from itertools import chain

import click

import whimbrel
from whimbrel.cli.common import Batch, coded, execution_from, execution_options, published_option
from whimbrel.storage.base import IngestSummary
from whimbrel.storage.cli_support import db_option, open_db
from whimbrel.storage.intake import Intake


@click.command("ingest")
@click.argument("inputs", nargs=-1, required=True)
@db_option
@click.option("--published", help="Publication date YYYY-MM-DD for inputs that carry none.")
@execution_options
def command(inputs, db, published, processes, executor, scheduler, workers):
    """Code INPUT (text, HTML or JSONL files, folders, http(s) URLs, '-') and store the events."""
    execution = execution_from(processes, executor, scheduler, workers)
    batch = Batch(inputs, published_option(published))
    store = open_db(db)
    version = whimbrel.PIPELINE_VERSION
    summary = IngestSummary()
    intake = Intake(store, version)

    def needing_code():
        for article in batch:
            outcome = intake.screen(article)
            if outcome is None:
                yield article
            else:
                summary.add(outcome)

    pending = needing_code()
    try:
        first = next(pending, None)
        if first is not None:  # loading the pipeline takes seconds: only when there is work
            for article, events in coded(chain([first], pending), execution):
                summary.add(intake.save(article, events))
    finally:
        store.close()
        click.echo(describe(summary, batch.skipped, store.url), err=True)
    sys.exit(batch.exit_code)


def describe(summary: IngestSummary, skipped: int, where: str) -> str:
    """"whimbrel: 3 articles (2 inserted, 1 unchanged), 14 events stored in whimbrel.duckdb"."""
    parts = ", ".join(f"{count} {status}" for status, count in sorted(summary.counts.items()))
    text = f"whimbrel: {summary.articles} articles ({parts or 'none'}), {summary.events} events stored"
    if "://" in where and "@" in where:
        where = where.split("://", 1)[0] + "://***@" + where.rsplit("@", 1)[1]
    text += f" in {where}"
    return text + (f"; {skipped} inputs skipped" if skipped else "")
