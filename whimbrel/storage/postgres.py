"""The server option for teams: PostgreSQL through psycopg 3.

The queries are the shared ones of ``base``; this module only rewrites their ``?``
placeholders for psycopg, keeps a few connections for concurrent API requests, and uses
advisory locks where two writers could race (the same article, the migrations).
"""
from __future__ import annotations

import contextlib
import queue
import re
import threading
from typing import Iterable, Iterator

import psycopg

from whimbrel.storage.base import EventStore

_PLACEHOLDER = re.compile(r"\?")
_MIGRATION_LOCK = 0x77686D62  # any constant; "whmb"


def to_psycopg(sql: str) -> str:
    """``?`` placeholders as psycopg's ``%s`` (the shared SQL has no literal % or ?)."""
    return _PLACEHOLDER.sub("%s", sql)


class PostgresSession:
    def __init__(self, connection: psycopg.Connection):
        self.connection = connection

    def execute(self, sql: str, params: Iterable = ()) -> None:
        self.connection.execute(to_psycopg(sql), list(params))

    def query(self, sql: str, params: Iterable = ()) -> list[tuple]:
        return self.connection.execute(to_psycopg(sql), list(params)).fetchall()

    def executemany(self, sql: str, rows: list[tuple]) -> None:
        with self.connection.cursor() as cursor:
            cursor.executemany(to_psycopg(sql), rows)


class PostgresStore(EventStore):
    column_types = {"json": "JSONB", "double": "DOUBLE PRECISION"}
    backend = "postgresql"

    def __init__(self, url: str, pool_size: int = 8):
        super().__init__(url)
        self._idle: queue.LifoQueue[psycopg.Connection] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(pool_size)
        self._all: list[psycopg.Connection] = []
        self._lock = threading.Lock()
        # Fail now, with the server's own message, rather than at the first request.
        with self._connection():
            pass

    @contextlib.contextmanager
    def _connection(self) -> Iterator[psycopg.Connection]:
        with self._slots:
            try:
                connection = self._idle.get_nowait()
            except queue.Empty:
                connection = psycopg.connect(self.url, autocommit=True)
                with self._lock:
                    self._all.append(connection)
            if connection.closed or connection.broken:
                connection = psycopg.connect(self.url, autocommit=True)
                with self._lock:
                    self._all.append(connection)
            try:
                yield connection
            finally:
                self._idle.put(connection)

    @contextlib.contextmanager
    def reading(self) -> Iterator[PostgresSession]:
        with self._connection() as connection:
            yield PostgresSession(connection)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[PostgresSession]:
        with self._connection() as connection, connection.transaction():
            yield PostgresSession(connection)

    def lock_article(self, session: PostgresSession, article_id: str) -> None:
        session.execute("SELECT pg_advisory_xact_lock(hashtext(?))", [article_id])

    def lock_migrations(self, session: PostgresSession) -> None:
        session.execute("SELECT pg_advisory_xact_lock(?)", [_MIGRATION_LOCK])

    def close(self) -> None:
        with self._lock:
            for connection in self._all:
                connection.close()
            self._all.clear()
