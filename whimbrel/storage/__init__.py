"""Where coded events live: DuckDB by default, PostgreSQL for teams.

>>> store = open_store(":memory:")          # or "events.duckdb", or "postgresql://..."
>>> store.counts()
{'articles': 0, 'events': 0}
"""
from __future__ import annotations

import os

from whimbrel.storage.base import EventStore, SaveResult
from whimbrel.storage.filters import EventFilter, FilterError

DEFAULT_DB = "whimbrel.duckdb"

__all__ = ["DEFAULT_DB", "EventFilter", "EventStore", "FilterError", "SaveResult", "default_db", "open_store"]


def default_db() -> str:
    """The database used when none is named: $WHIMBREL_DB, else whimbrel.duckdb here."""
    return os.environ.get("WHIMBREL_DB") or DEFAULT_DB


def is_postgres_url(db: str) -> bool:
    return db.startswith(("postgresql://", "postgres://"))


def open_store(db: str | None = None, *, migrate: bool = True) -> EventStore:
    """Open (and bring up to the current schema) the store a ``--db`` value names."""
    db = db or default_db()
    if is_postgres_url(db):
        from whimbrel.storage.postgres import PostgresStore

        store: EventStore = PostgresStore(db)
    else:
        from whimbrel.storage.duckdb import DuckDBStore

        store = DuckDBStore(db)
    if migrate:
        try:
            store.migrate()
        except BaseException:
            store.close()
            raise
    return store
