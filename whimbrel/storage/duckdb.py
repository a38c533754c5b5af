"""The embedded default: one DuckDB file, no server.

DuckDB allows one writing process per file; inside it, each reader gets its own cursor
(a connection sharing the database) so API requests on several threads never share one,
and writes are serialised by a lock because DuckDB transactions that touch the same rows
conflict instead of waiting.
"""
from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Iterable, Iterator

import duckdb

from whimbrel.storage.base import EventStore


class DuckDBSession:
    def __init__(self, connection: "duckdb.DuckDBPyConnection"):
        self.connection = connection

    def execute(self, sql: str, params: Iterable = ()) -> None:
        self.connection.execute(sql, list(params))

    def query(self, sql: str, params: Iterable = ()) -> list[tuple]:
        return self.connection.execute(sql, list(params)).fetchall()

    def executemany(self, sql: str, rows: list[tuple]) -> None:
        self.connection.executemany(sql, rows)


class DuckDBStore(EventStore):
    column_types = {"json": "JSON", "double": "DOUBLE"}
    backend = "duckdb"

    def __init__(self, path: str | Path, read_only: bool = False):
        super().__init__(str(path))
        if str(path) != ":memory:":
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        self.connection = duckdb.connect(str(Path(path).expanduser()) if str(path) != ":memory:" else path,
                                         read_only=read_only)
        self._write_lock = threading.Lock()

    @contextlib.contextmanager
    def reading(self) -> Iterator[DuckDBSession]:
        cursor = self.connection.cursor()
        try:
            yield DuckDBSession(cursor)
        finally:
            cursor.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[DuckDBSession]:
        with self._write_lock:
            cursor = self.connection.cursor()
            try:
                cursor.execute("BEGIN TRANSACTION")
                try:
                    yield DuckDBSession(cursor)
                except BaseException:
                    cursor.execute("ROLLBACK")
                    raise
                cursor.execute("COMMIT")
            finally:
                cursor.close()

    def close(self) -> None:
        self.connection.close()
