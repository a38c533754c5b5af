"""Schema v1 event records flattened into table rows, and back.

The events table keeps the whole record as JSON (so nothing of schema v1 is lost and
reading an event back gives exactly what ``whimbrel code`` printed) next to the few
columns that filters, sorting and the map query; actors and places get rows of their own.
"""
from __future__ import annotations

import calendar
import json
from dataclasses import dataclass
from datetime import date

from whimbrel.records import Event
from whimbrel.storage.vocabulary import quad_of

EVENT_COLUMNS = (
    "event_id", "article_id", "event_type", "quad", "mode", "modality",
    "date_start", "date_end", "date_precision", "geonameid", "location_country",
    "lat", "lon", "evidence", "search_text", "actor_text", "actor_countries", "actor_sectors",
    "confidence", "record",
)
ACTOR_COLUMNS = ("event_id", "role", "position", "text", "name", "country", "sector")
PLACE_COLUMNS = ("geonameid", "name", "lat", "lon", "country", "admin1", "feature")


@dataclass
class EventRows:
    """What one event puts into the three tables."""

    event: tuple
    actors: list[tuple]
    place: tuple | None


def as_record(event: Event | dict) -> dict:
    """Schema v1 dict of an event given either as a record object or as a dict."""
    return event.to_dict() if isinstance(event, Event) else event


def date_range(value: str | None, precision: str | None) -> tuple[date | None, date | None]:
    """First and last day an event date covers: "2012-09" at month precision is all of September.

    >>> date_range("2012-09", "month")
    (datetime.date(2012, 9, 1), datetime.date(2012, 9, 30))
    """
    if not value:
        return None, None
    parts = [int(p) for p in value[:10].split("-") if p]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 1
    day = parts[2] if len(parts) > 2 else 1
    if precision == "year" or len(parts) == 1:
        return date(year, 1, 1), date(year, 12, 31)
    if precision == "month" or len(parts) == 2:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    day_value = date(year, month, day)
    return day_value, day_value


def event_rows(event: Event | dict) -> EventRows:
    """Flatten one event (record or schema v1 dict) into its table rows."""
    record = as_record(event)
    when = record.get("date") or {}
    start, end = date_range(when.get("value"), when.get("precision"))
    where = record.get("location") or {}
    evidence = (record.get("evidence") or {}).get("text") or ""
    everyone = (record.get("source") or []) + (record.get("target") or [])
    row = (
        record["event_id"], record["article_id"], record["event_type"], quad_of(record["event_type"]),
        record.get("mode"), record.get("modality") or "asserted",
        start, end, when.get("precision"), where.get("geonameid"), where.get("country"),
        where.get("lat"), where.get("lon"), evidence, evidence.lower(),
        " | ".join(part.lower() for actor in everyone for part in (actor.get("text"), actor.get("name")) if part),
        _token_list(actor.get("country") for actor in everyone),
        _token_list(actor.get("sector") for actor in everyone),
        float(record.get("confidence") or 0.0),
        json.dumps(record, ensure_ascii=False),
    )
    actors = [
        (record["event_id"], role, position, actor.get("text") or "", actor.get("name"),
         actor.get("country"), actor.get("sector"))
        for role in ("source", "target")
        for position, actor in enumerate(record.get(role) or [])
    ]
    place = None
    if where.get("geonameid") is not None:
        place = (where["geonameid"], where.get("name"), where.get("lat"), where.get("lon"),
                 where.get("country"), where.get("admin1"), where.get("feature"))
    return EventRows(row, actors, place)


def _token_list(codes) -> str:
    """" FRA MLI ": distinct codes padded with spaces, so LIKE '% FRA %' matches whole codes."""
    distinct = sorted({code for code in codes if code})
    return f" {' '.join(distinct)} " if distinct else " "


def load_record(value) -> dict:
    """A stored record column as a dict: DuckDB hands JSON back as text, psycopg as a dict."""
    return value if isinstance(value, dict) else json.loads(value)
