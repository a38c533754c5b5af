"""`whimbrel places INPUT...`: toponyms found in articles and resolved to GeoNames."""
from __future__ import annotations

import json
import sys

import click

from whimbrel.cli.common import Batch, open_output, published_option, with_progress


@click.command("places")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--published", help="Publication date YYYY-MM-DD for inputs that carry none.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to FILE.")
def command(inputs, published, output):
    """List the places named in INPUT as JSON lines (one toponym mention a line)."""
    from whimbrel import default_pipeline

    batch = Batch(inputs, published_option(published))
    out = open_output(output)
    try:
        for article, places in with_progress(default_pipeline().find_places(batch), "places"):
            for place in places:
                out.write(json.dumps(place.to_dict(article.id), ensure_ascii=False) + "\n")
    finally:
        if output:
            out.close()
    sys.exit(batch.exit_code)
