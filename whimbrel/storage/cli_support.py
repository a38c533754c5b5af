"""What the store's commands (ingest, export, serve) share: the --db option and opening it."""
from __future__ import annotations

import click

from whimbrel.storage import default_db, open_store
from whimbrel.storage.base import EventStore

DB_HELP = "DuckDB file or postgresql:// URL [default: $WHIMBREL_DB, else ./whimbrel.duckdb]."


def db_option(function):
    return click.option("--db", "db", metavar="PATH|URL", help=DB_HELP)(function)


def open_db(db: str | None) -> EventStore:
    """Open the store or stop with a one-line usage error naming --db (exit status 2)."""
    target = db or default_db()
    try:
        return open_store(target)
    except Exception as error:  # duckdb.IOException (file locked), psycopg.OperationalError ...
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        hint = ("is another whimbrel process writing to it?" if "lock" in reason.lower()
                else "check the path or URL, and that the server is running")
        raise click.BadParameter(f"cannot open {_safe(target)}: {reason} (hint: {hint})", param_hint="--db") from None


def _safe(target: str) -> str:
    # Never echo a password from a postgresql:// URL.
    if "://" in target and "@" in target:
        scheme, rest = target.split("://", 1)
        return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"
    return target
