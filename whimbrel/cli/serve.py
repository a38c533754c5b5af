"""`whimbrel serve --db --host --port`: the HTTP API and the dashboard."""
from __future__ import annotations

import click

from whimbrel.api.limits import DEFAULT_MAX_BODY
from whimbrel.storage.cli_support import db_option, open_db


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option("--max-body", type=click.IntRange(min=1024), default=DEFAULT_MAX_BODY, show_default=True,
              help="Largest request body accepted, in bytes.")
def command(db, host, port, max_body):
    """Serve the events API (/api/v1, /openapi.json) and the dashboard (/).

    POST /api/v1/articles (ingest) is enabled only when WHIMBREL_API_TOKEN is set, and then
    needs 'Authorization: Bearer <token>'.
    """
    import uvicorn

    from whimbrel.api import create_app

    store = open_db(db)
    app = create_app(store, max_body=max_body)
    click.echo(f"whimbrel: serving {store.backend} at http://{host}:{port}/ (dashboard), "
               f"http://{host}:{port}/docs (API)", err=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
    finally:
        store.close()
