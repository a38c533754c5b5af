"""The event store: one interface, the same SQL, on DuckDB and on PostgreSQL.

Backends only say how to get a connection and how their SQL types are spelled; every
query lives here, so both run exactly the same statements (``?`` placeholders, rewritten
for psycopg by the PostgreSQL backend).

Writes are one transaction per article: an article and all its events and actors are
committed together or not at all, so a crash in the middle of a batch keeps every article
committed before it and leaves no half article behind.
"""
from __future__ import annotations

import abc
import contextlib
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Iterable, Iterator, Protocol

from whimbrel.records import Article, Event
from whimbrel.storage import migrations
from whimbrel.storage.filters import Cursor, EventFilter, order_by, sort_value_sql, where_clause
from whimbrel.storage.rows import ACTOR_COLUMNS, EVENT_COLUMNS, PLACE_COLUMNS, as_record, event_rows, load_record
from whimbrel.storage.vocabulary import QUAD_NAMES, quad_of

ARTICLE_COLUMNS = ("id", "url", "title", "published", "source", "content_hash", "coded_at", "pipeline_version")

# What saving an article did.
INSERTED = "inserted"      # new article
RECODED = "recoded"        # same text, newer pipeline: events replaced
UPDATED = "updated"        # same id, different text: article and events replaced
UNCHANGED = "unchanged"    # already stored with this text and this (or a newer) pipeline

STATS_INTERVALS = ("day", "week", "month")


class Session(Protocol):
    """One connection as the queries see it."""

    def execute(self, sql: str, params: Iterable = ()) -> None: ...
    def query(self, sql: str, params: Iterable = ()) -> list[tuple]: ...
    def executemany(self, sql: str, rows: list[tuple]) -> None: ...


@dataclass
class SaveResult:
    article_id: str
    status: str
    events: int

    def to_dict(self) -> dict:
        return {"id": self.article_id, "status": self.status, "events": self.events}


@dataclass
class EventPage:
    events: list[dict]
    next_cursor: str | None

    def to_dict(self) -> dict:
        return {"events": self.events, "count": len(self.events), "next_cursor": self.next_cursor}


@dataclass
class IngestSummary:
    """Counts over a batch of saves, by status."""

    counts: dict[str, int] = field(default_factory=dict)
    events: int = 0

    def add(self, result: SaveResult) -> None:
        self.counts[result.status] = self.counts.get(result.status, 0) + 1
        if result.status != UNCHANGED:
            self.events += result.events

    @property
    def articles(self) -> int:
        return sum(self.counts.values())


def is_newer_version(candidate: str, stored: str) -> bool:
    """Whether articles coded by ``stored`` should be re-coded by pipeline ``candidate``.

    Versions look like ``0.1.0+1a2b3c4d``: the release, then a digest of the models and
    knowledge files. A later release wins and an earlier one never overwrites; within one
    release the digests have no order, so a different build (changed knowledge) wins.
    """
    if candidate == stored:
        return False
    try:
        from packaging.version import InvalidVersion, Version
    except ImportError:  # packaging comes with pip; without it, compare the release part as text
        return candidate.split("+")[0] >= stored.split("+")[0]
    try:
        new, old = Version(candidate), Version(stored)
    except InvalidVersion:
        return True
    new_release, old_release = Version(new.public), Version(old.public)
    return new_release > old_release or (new_release == old_release and new.local != old.local)


def plan_save(stored: tuple[str, str] | None, content_hash: str, pipeline_version: str) -> str:
    """What saving an article will do, given the stored (content hash, pipeline version)."""
    if stored is None:
        return INSERTED
    stored_hash, stored_version = stored
    if stored_hash != content_hash:
        return UPDATED
    if is_newer_version(pipeline_version, stored_version):
        return RECODED
    return UNCHANGED


def _utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _insert_sql(table: str, columns: tuple[str, ...], conflict: str = "") -> str:
    marks = ", ".join("?" for _ in columns)
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}){conflict}"


def _iso(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else value


class EventStore(abc.ABC):
    """Articles and their coded events, queried with ``EventFilter``."""

    #: How this backend spells the types the migrations leave open.
    column_types: dict[str, str] = {}
    #: ``duckdb`` or ``postgresql``; shown by the API's health check.
    backend: str = ""

    def __init__(self, url: str):
        self.url = url

    # -- what a backend provides -------------------------------------------------------

    @abc.abstractmethod
    def reading(self) -> contextlib.AbstractContextManager[Session]:
        """A session for queries (several may be open at once, one per thread)."""

    @abc.abstractmethod
    def transaction(self) -> contextlib.AbstractContextManager[Session]:
        """A session in a transaction: committed when the block ends, rolled back on error."""

    def lock_article(self, session: Session, article_id: str) -> None:
        """Keep concurrent writers of the same article apart (where the backend needs it)."""

    def lock_migrations(self, session: Session) -> None:
        """Keep two processes from migrating the same database at once."""

    @abc.abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> "EventStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- schema -------------------------------------------------------------------------

    def migrate(self) -> list[int]:
        """Apply the migrations this database lacks; returns the versions applied."""
        applied = []
        with self.transaction() as session:
            self.lock_migrations(session)
            session.execute(migrations.CREATE_LEDGER)
        for migration in migrations.all_migrations():
            with self.transaction() as session:
                self.lock_migrations(session)
                done = session.query("SELECT 1 FROM schema_migrations WHERE version = ?", [migration.version])
                if done:
                    continue
                for statement in migration.statements(self.column_types):
                    session.execute(statement)
                session.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [migration.version, migration.name, _utc_now()],
                )
                applied.append(migration.version)
        return applied

    def schema_version(self) -> int:
        with self.reading() as session:
            rows = session.query("SELECT max(version) FROM schema_migrations")
        return rows[0][0] or 0

    # -- writing ------------------------------------------------------------------------

    def stored_version(self, article_id: str) -> tuple[str, str] | None:
        """(content hash, pipeline version) of a stored article, None when absent."""
        with self.reading() as session:
            rows = session.query("SELECT content_hash, pipeline_version FROM articles WHERE id = ?", [article_id])
        return tuple(rows[0]) if rows else None

    def needs_coding(self, article: Article, pipeline_version: str) -> bool:
        """False when saving this article would change nothing, so coding it can be skipped."""
        return plan_save(self.stored_version(article.id), article.content_hash, pipeline_version) != UNCHANGED

    def save(self, article: Article, events: Iterable[Event | dict], pipeline_version: str,
             coded_at: datetime | None = None) -> SaveResult:
        """Store an article with its events, in one transaction.

        The same article saved twice changes nothing; saved again by a newer pipeline
        version (or with a changed text) its events are replaced, atomically.
        """
        records = _unique_records(events)
        with self.transaction() as session:
            self.lock_article(session, article.id)
            rows = session.query(
                "SELECT content_hash, pipeline_version FROM articles WHERE id = ?", [article.id])
            status = plan_save(tuple(rows[0]) if rows else None, article.content_hash, pipeline_version)
            if status == UNCHANGED:
                return SaveResult(article.id, status, 0)
            if status != INSERTED:
                self._delete_events(session, article.id)
                session.execute("DELETE FROM articles WHERE id = ?", [article.id])
            session.execute(_insert_sql("articles", ARTICLE_COLUMNS + ("text",)), [
                article.id, article.url, article.title, article.published, article.source,
                article.content_hash, coded_at or _utc_now(), pipeline_version, article.text,
            ])
            self._insert_events(session, records)
        return SaveResult(article.id, status, len(records))

    def save_many(self, coded: Iterable[tuple[Article, list[Event]]], pipeline_version: str) -> Iterator[SaveResult]:
        """Save (article, events) pairs one transaction each, yielding what each did."""
        for article, events in coded:
            yield self.save(article, events, pipeline_version)

    def _delete_events(self, session: Session, article_id: str) -> None:
        session.execute(
            "DELETE FROM actors WHERE event_id IN (SELECT event_id FROM events WHERE article_id = ?)", [article_id])
        session.execute("DELETE FROM events WHERE article_id = ?", [article_id])

    def _insert_events(self, session: Session, records: list[dict]) -> None:
        flattened = [event_rows(record) for record in records]
        places = {rows.place[0]: rows.place for rows in flattened if rows.place}
        if places:
            session.executemany(
                _insert_sql("places", PLACE_COLUMNS, " ON CONFLICT (geonameid) DO NOTHING"), list(places.values()))
        if flattened:
            session.executemany(_insert_sql("events", EVENT_COLUMNS), [rows.event for rows in flattened])
        actors = [actor for rows in flattened for actor in rows.actors]
        if actors:
            session.executemany(_insert_sql("actors", ACTOR_COLUMNS), actors)

    # -- reading ------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        with self.reading() as session:
            articles = session.query("SELECT count(*) FROM articles")[0][0]
            events = session.query("SELECT count(*) FROM events")[0][0]
        return {"articles": articles, "events": events}

    def events(self, flt: EventFilter) -> EventPage:
        """One page of events matching the filter, in its sort order."""
        where = where_clause(flt, with_cursor=True)
        # Sort on narrow columns first, then fetch just the page's records: carrying every
        # candidate's JSON through the sort costs several times more on a large store.
        sql = (f"SELECT e.event_id, {sort_value_sql(flt)} FROM events e WHERE {where.sql} "
               f"ORDER BY {order_by(flt)} LIMIT ?")
        with self.reading() as session:
            rows = session.query(sql, where.params + [flt.limit + 1])
            page = rows[: flt.limit]
            records = self._records(session, [event_id for event_id, _ in page])
        next_cursor = None
        if len(rows) > flt.limit:
            last_id, last_value = page[-1]
            next_cursor = Cursor(flt.sort, last_value, last_id).encode()
        return EventPage(records, next_cursor)

    @staticmethod
    def _records(session: Session, event_ids: list[str]) -> list[dict]:
        """The records of these events, in the order given."""
        if not event_ids:
            return []
        marks = ", ".join("?" for _ in event_ids)
        found = dict(session.query(f"SELECT event_id, record FROM events WHERE event_id IN ({marks})", event_ids))
        return [load_record(found[event_id]) for event_id in event_ids if event_id in found]

    def iter_events(self, flt: EventFilter, batch_size: int = 2000) -> Iterator[dict]:
        """Every event matching the filter (its limit ignored), fetched page by page."""
        page_filter = EventFilter(**{**flt.__dict__, "limit": batch_size, "cursor": None})
        while True:
            page = self.events(page_filter)
            yield from page.events
            if not page.next_cursor:
                return
            page_filter = page_filter.after(Cursor.decode(page.next_cursor, page_filter.sort))

    def event(self, event_id: str) -> dict | None:
        with self.reading() as session:
            rows = session.query("SELECT record FROM events WHERE event_id = ?", [event_id])
        return load_record(rows[0][0]) if rows else None

    def article(self, article_id: str, with_text: bool = True) -> dict | None:
        columns = ARTICLE_COLUMNS + (("text",) if with_text else ())
        with self.reading() as session:
            rows = session.query(f"SELECT {', '.join(columns)} FROM articles WHERE id = ?", [article_id])
        if not rows:
            return None
        return {name: _iso(value) for name, value in zip(columns, rows[0])}

    def article_events(self, article_id: str) -> list[dict]:
        """All of an article's events, whatever their modality, in text order."""
        with self.reading() as session:
            rows = session.query("SELECT record FROM events WHERE article_id = ?", [article_id])
        records = [load_record(row[0]) for row in rows]
        records.sort(key=lambda r: (r["trigger"]["start"], r["event_type"]))
        return records

    def stats(self, flt: EventFilter, interval: str = "day") -> dict:
        """Counts by event type, by period (and type), by location country and by modality."""
        if interval not in STATS_INTERVALS:
            raise ValueError(f"interval must be one of {STATS_INTERVALS}")
        where = where_clause(flt)
        period = "e.date_start" if interval == "day" else f"CAST(date_trunc('{interval}', e.date_start) AS DATE)"
        # One scan for all four breakdowns; GROUPING() tells the sets apart (a bit per
        # column left out of the set), since NULL is also a real value (undated events).
        sql = (
            "SELECT event_type, period, location_country, modality, "
            "GROUPING(event_type, period, location_country, modality) AS grouping_set, count(*) FROM ("
            f"SELECT e.event_type, {period} AS period, e.location_country, e.modality FROM events e "
            f"WHERE {where.sql}) matching "
            "GROUP BY GROUPING SETS ((event_type), (period, event_type), (location_country), (modality))"
        )
        with self.reading() as session:
            rows = session.query(sql, where.params)
        types: dict[str, int] = {}
        timeline: dict[str, dict[str, int]] = {}
        countries: dict[str, int] = {}
        modalities: dict[str, int] = {}
        for event_type, period_start, country, modality, grouping_set, count in rows:
            if grouping_set == 0b0111:
                types[event_type] = count
            elif grouping_set == 0b0011 and period_start is not None:
                timeline.setdefault(_iso(period_start), {})[event_type] = count
            elif grouping_set == 0b1101 and country is not None:
                countries[country] = count
            elif grouping_set == 0b1110:
                modalities[modality] = count
        types = dict(sorted(types.items(), key=lambda item: (-item[1], item[0])))
        by_quad: dict[str, int] = {}
        for event_type, count in types.items():
            quad = QUAD_NAMES.get(quad_of(event_type) or 0, "unknown")
            by_quad[quad] = by_quad.get(quad, 0) + count
        return {
            "total": sum(types.values()),
            "interval": interval,
            "by_type": types,
            "by_quad": by_quad,
            "by_modality": dict(sorted(modalities.items())),
            "by_country": dict(sorted(countries.items(), key=lambda item: (-item[1], item[0]))),
            "by_period": [{"period": key, "counts": dict(sorted(timeline[key].items()))} for key in sorted(timeline)],
        }

    def geojson(self, flt: EventFilter) -> dict:
        """Located events as a GeoJSON FeatureCollection (points, lon/lat)."""
        where = where_clause(flt)
        sql = (f"SELECT e.event_id FROM events e WHERE {where.sql} AND e.lat IS NOT NULL AND e.lon IS NOT NULL "
               f"ORDER BY {order_by(flt)} LIMIT ?")
        with self.reading() as session:
            event_ids = [row[0] for row in session.query(sql, where.params + [flt.limit])]
            records = self._records(session, event_ids)
        return {"type": "FeatureCollection", "features": [geojson_feature(record) for record in records]}


def geojson_feature(record: dict) -> dict:
    """One located event as a GeoJSON point feature with the fields a map popup needs."""
    where = record["location"]
    when = record.get("date") or {}
    quad = quad_of(record["event_type"])
    return {
        "type": "Feature",
        "id": record["event_id"],
        "geometry": {"type": "Point", "coordinates": [where["lon"], where["lat"]]},
        "properties": {
            "event_id": record["event_id"],
            "article_id": record["article_id"],
            "event_type": record["event_type"],
            "quad": quad,
            "quad_name": QUAD_NAMES.get(quad or 0),
            "mode": record.get("mode"),
            "modality": record.get("modality"),
            "date": when.get("value"),
            "place": where.get("name") or where.get("text"),
            "country": where.get("country"),
            "source": actor_labels(record.get("source")),
            "target": actor_labels(record.get("target")),
            "evidence": (record.get("evidence") or {}).get("text"),
            "confidence": record.get("confidence"),
        },
    }


def actor_labels(actors: list[dict] | None) -> str:
    """"France (FRA GOV); rebels (MLI REB)": the actors of one side, readable in one line."""
    labels = []
    for actor in actors or []:
        code = " ".join(part for part in (actor.get("country"), actor.get("sector")) if part)
        label = actor.get("name") or actor.get("text") or ""
        labels.append(f"{label} ({code})" if code else label)
    return "; ".join(labels)


def _unique_records(events: Iterable[Event | dict]) -> list[dict]:
    # Event ids are stable hashes of article, trigger and type: a repeat is the same event
    # found twice, so the first one is kept rather than failing the whole article.
    seen: dict[str, dict] = {}
    for event in events:
        record = as_record(event)
        seen.setdefault(record["event_id"], record)
    return list(seen.values())
