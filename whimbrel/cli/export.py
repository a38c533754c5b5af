"""`whimbrel export --db --format ...`: stored events as csv, jsonl, geojson, parquet, plover or cameo.

Takes the same filters as GET /api/v1/events (modality defaults to asserted; `--modality all`
for every event) and streams, so any number of events can be written.
"""
from __future__ import annotations

import sys
from itertools import islice

import click

from whimbrel.storage.cli_support import db_option, open_db
from whimbrel.storage.export import FORMATS, write_events
from whimbrel.storage.filters import FILTER_FIELDS, EventFilter, FilterError


@click.command("export")
@db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to FILE [default: stdout].")
@click.option("--event-type", multiple=True, help="PLOVER type(s), repeatable or comma-separated.")
@click.option("--modality", multiple=True, help="asserted (default), negated, hypothetical, or all.")
@click.option("--country", multiple=True, help="ISO3: events located in it or with an actor from it.")
@click.option("--actor", help="Words of an actor's text or name.")
@click.option("--sector", multiple=True, help="PLOVER sector of any actor (GOV, MIL, REB ...).")
@click.option("--since", help="YYYY-MM-DD.")
@click.option("--until", help="YYYY-MM-DD.")
@click.option("--bbox", help="min_lon,min_lat,max_lon,max_lat.")
@click.option("--q", "q", help="Words that must all occur in the evidence sentence.")
@click.option("--sort", help="date, confidence or event_type; '-' prefix for descending [default: -date].")
@click.option("--limit", type=click.IntRange(min=1), help="Write at most N events.")
def command(db, fmt, output, limit, **filters):
    """Write stored events in FORMAT, filtered like the HTTP API."""
    params = {name: list(value) if isinstance(value, tuple) else [value]
              for name, value in filters.items() if value not in (None, ())}
    try:
        flt = EventFilter.parse(params, allowed=FILTER_FIELDS + ("sort",))
    except FilterError as error:
        raise click.BadParameter(error.message, param_hint=f"--{error.field.replace('_', '-')}") from None
    if fmt == "parquet" and output is None and sys.stdout.isatty():
        raise click.BadParameter("parquet is binary: give -o FILE or redirect standard output", param_hint="--format")
    store = open_db(db)
    try:
        records = store.iter_events(flt)
        if limit:
            records = islice(records, limit)
        if output:
            with open(output, "wb") as out:
                count = write_events(records, out, fmt)
        else:
            count = write_events(records, sys.stdout.buffer, fmt)
            sys.stdout.buffer.flush()
    finally:
        store.close()
    click.echo(f"whimbrel: exported {count} events as {fmt}", err=True)
