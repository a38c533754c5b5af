"""Event filters shared by the HTTP API and ``whimbrel export``, and their SQL.

Values arrive as text (query strings, command-line options); ``EventFilter.parse`` checks
every one and raises ``FilterError`` naming the field and what is wrong, so the API can turn
it into a 4xx and the CLI into a one-line error. The SQL built here only ever contains
placeholders for user values: nothing the user types is pasted into a statement.
"""
from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field, replace
from datetime import date

from whimbrel.storage.vocabulary import MODALITIES, SECTORS, canonical_event_type

FILTER_FIELDS = ("event_type", "modality", "country", "actor", "sector", "since", "until", "bbox", "q")
PAGE_FIELDS = ("sort", "cursor", "limit")

# Sort keys users may ask for, a leading "-" for descending; the SQL is ours, not theirs.
SORT_EXPRESSIONS = {
    "date": "COALESCE(e.date_start, DATE '0001-01-01')",
    "confidence": "e.confidence",
    "event_type": "e.event_type",
}
DEFAULT_SORT = "-date"
MAX_WORDS = 10


class FilterError(ValueError):
    """A filter value that cannot be used; ``field`` names the parameter."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Cursor:
    """Where the previous page stopped: the sort value and id of its last event."""

    sort: str
    value: object
    event_id: str

    def encode(self) -> str:
        value = self.value.isoformat() if isinstance(self.value, date) else self.value
        raw = json.dumps([self.sort, value, self.event_id]).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str, sort: str) -> "Cursor":
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            cursor_sort, value, event_id = json.loads(raw)
        except (binascii.Error, ValueError, TypeError):
            raise FilterError("cursor", "not a cursor this API gave out (use next_cursor as is)") from None
        if cursor_sort != sort:
            raise FilterError("cursor", f"made for sort={cursor_sort}, not sort={sort}")
        if sort.lstrip("-") == "date":
            value = _parse_date("cursor", value)
        elif sort.lstrip("-") == "confidence" and not isinstance(value, (int, float)):
            raise FilterError("cursor", "damaged cursor")
        if not isinstance(event_id, str):
            raise FilterError("cursor", "damaged cursor")
        return cls(cursor_sort, value, event_id)


@dataclass(frozen=True)
class EventFilter:
    """Which events a request wants. Empty tuples and None mean "no restriction"."""

    event_types: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ("asserted",)
    countries: tuple[str, ...] = ()
    actor: str | None = None
    sectors: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    words: tuple[str, ...] = ()
    sort: str = DEFAULT_SORT
    cursor: Cursor | None = None
    limit: int = 50

    @classmethod
    def parse(cls, params: dict[str, list[str]], *, max_limit: int = 500, default_limit: int = 50,
              allowed: tuple[str, ...] = FILTER_FIELDS + PAGE_FIELDS) -> "EventFilter":
        """Build a filter from text values; every key must be a known filter.

        ``params`` maps a name to the values given for it (a query string may repeat a
        name, and each value may hold a comma-separated list).
        """
        unknown = sorted(set(params) - set(allowed))
        if unknown:
            raise FilterError(unknown[0], f"unknown filter; known: {', '.join(allowed)}")
        values = {name: _split(params.get(name, [])) for name in allowed}
        sort = _one(values, "sort") or DEFAULT_SORT
        if sort.lstrip("-") not in SORT_EXPRESSIONS:
            choices = ", ".join(f"{k}, -{k}" for k in SORT_EXPRESSIONS)
            raise FilterError("sort", f"cannot sort by {sort!r}; choose one of {choices}")
        since = _parse_date("since", _one(values, "since"))
        until = _parse_date("until", _one(values, "until"))
        if since and until and since > until:
            raise FilterError("since", f"{since} is after until={until}")
        token = _one(values, "cursor")
        return cls(
            event_types=tuple(_event_type(v) for v in values.get("event_type", [])),
            modalities=_modalities(values.get("modality", [])),
            countries=tuple(_country(v) for v in values.get("country", [])),
            actor=_actor(params.get("actor", [])),
            sectors=tuple(_sector(v) for v in values.get("sector", [])),
            since=since,
            until=until,
            bbox=_bbox(values.get("bbox", [])),
            words=_words(" ".join(params.get("q", []))),
            sort=sort,
            cursor=Cursor.decode(token, sort) if token else None,
            limit=_limit(_one(values, "limit"), default_limit, max_limit),
        )

    def after(self, cursor: Cursor) -> "EventFilter":
        return replace(self, cursor=cursor)


def _split(raw: list[str]) -> list[str]:
    return [part.strip() for value in raw for part in value.split(",") if part.strip()]


def _one(values: dict[str, list[str]], name: str) -> str | None:
    given = values.get(name) or []
    if len(given) > 1:
        raise FilterError(name, "give one value")
    return given[0] if given else None


def _actor(raw: list[str]) -> str | None:
    # Not split on commas: "Hollande, Francois" is one name.
    if len(raw) > 1:
        raise FilterError("actor", "give one value")
    text = raw[0].strip() if raw else ""
    if len(text) > 200:
        raise FilterError("actor", "at most 200 characters")
    return text or None


def _event_type(value: str) -> str:
    name = canonical_event_type(value)
    if name is None:
        raise FilterError("event_type", f"unknown PLOVER event type {value!r}")
    return name


def _modalities(values: list[str]) -> tuple[str, ...]:
    if not values:
        return ("asserted",)
    if [v.lower() for v in values] == ["all"]:
        return ()
    for value in values:
        if value.lower() not in MODALITIES:
            raise FilterError("modality", f"{value!r} is not one of {', '.join(MODALITIES)} or all")
    return tuple(v.lower() for v in values)


def _country(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{3}", value):
        raise FilterError("country", f"{value!r} is not an ISO 3166-1 alpha-3 code such as FRA")
    return value.upper()


def _sector(value: str) -> str:
    if value.upper() not in SECTORS:
        raise FilterError("sector", f"unknown PLOVER sector {value!r}; known: {', '.join(sorted(SECTORS))}")
    return value.upper()


def _parse_date(name: str, value) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise FilterError(name, f"{value!r} is not a date (YYYY-MM-DD)") from None


def _bbox(values: list[str]) -> tuple[float, float, float, float] | None:
    if not values:
        return None
    if len(values) != 4:
        raise FilterError("bbox", "give min_lon,min_lat,max_lon,max_lat")
    try:
        min_lon, min_lat, max_lon, max_lat = (float(v) for v in values)
    except ValueError:
        raise FilterError("bbox", "the four values must be numbers") from None
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        raise FilterError("bbox", "longitudes must lie in [-180, 180]")
    if not (-90 <= min_lat <= max_lat <= 90):
        raise FilterError("bbox", "latitudes must lie in [-90, 90] with min_lat <= max_lat")
    return min_lon, min_lat, max_lon, max_lat


def _words(text: str) -> tuple[str, ...]:
    words = tuple(w.lower() for w in re.findall(r"\w[\w'-]*", text))
    if len(words) > MAX_WORDS:
        raise FilterError("q", f"at most {MAX_WORDS} words")
    return words


def _limit(value: str | None, default: int, maximum: int) -> int:
    if value is None:
        return default
    try:
        limit = int(value)
    except ValueError:
        raise FilterError("limit", f"{value!r} is not a whole number") from None
    if not 1 <= limit <= maximum:
        raise FilterError("limit", f"must be between 1 and {maximum}")
    return limit


def _like(column: str, text: str) -> tuple[str, str]:
    """A condition matching lower-cased ``text`` anywhere in a lower-cased ``column``.

    LIKE's wildcards in the text are escaped; the ESCAPE clause is added only then, as it
    makes DuckDB's substring search markedly slower.
    """
    text = text.lower()
    if any(char in text for char in "\\%_"):
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"{column} LIKE ? ESCAPE '\\'", f"%{escaped}%"
    return f"{column} LIKE ?", f"%{text}%"


@dataclass
class WhereClause:
    """SQL conditions joined by AND, with their parameters in order (``?`` placeholders)."""

    conditions: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)

    def add(self, condition: str, *params) -> None:
        self.conditions.append(condition)
        self.params.extend(params)

    @property
    def sql(self) -> str:
        return " AND ".join(self.conditions) if self.conditions else "TRUE"


def _marks(values) -> str:
    return ", ".join("?" for _ in values)


def where_clause(flt: EventFilter, *, with_cursor: bool = False) -> WhereClause:
    """The WHERE conditions for a filter over ``events e``."""
    where = WhereClause()
    if flt.event_types:
        where.add(f"e.event_type IN ({_marks(flt.event_types)})", *flt.event_types)
    if flt.modalities:
        where.add(f"e.modality IN ({_marks(flt.modalities)})", *flt.modalities)
    if flt.countries:
        # A country filter means events located in it or with an actor from it. Codes are
        # validated as three letters, so they need no LIKE escaping.
        marks = _marks(flt.countries)
        actor_matches = " OR ".join("e.actor_countries LIKE ?" for _ in flt.countries)
        where.add(f"(e.location_country IN ({marks}) OR {actor_matches})",
                  *flt.countries, *(f"% {code} %" for code in flt.countries))
    if flt.actor:
        where.add(*_like("e.actor_text", flt.actor))
    if flt.sectors:
        where.add("(" + " OR ".join("e.actor_sectors LIKE ?" for _ in flt.sectors) + ")",
                  *(f"% {code} %" for code in flt.sectors))
    if flt.since:
        where.add("e.date_end >= ?", flt.since)
    if flt.until:
        where.add("e.date_start <= ?", flt.until)
    if flt.bbox:
        min_lon, min_lat, max_lon, max_lat = flt.bbox
        where.add("e.lat BETWEEN ? AND ?", min_lat, max_lat)
        if min_lon <= max_lon:
            where.add("e.lon BETWEEN ? AND ?", min_lon, max_lon)
        else:  # the box crosses the antimeridian
            where.add("(e.lon >= ? OR e.lon <= ?)", min_lon, max_lon)
    for word in flt.words:
        where.add(*_like("e.search_text", word))
    if with_cursor and flt.cursor:
        expression = SORT_EXPRESSIONS[flt.sort.lstrip("-")]
        op = "<" if flt.sort.startswith("-") else ">"
        cursor = flt.cursor
        where.add(f"({expression} {op} ? OR ({expression} = ? AND e.event_id {op} ?))",
                  cursor.value, cursor.value, cursor.event_id)
    return where


def order_by(flt: EventFilter) -> str:
    """ORDER BY for a filter's sort, with the event id as tie-breaker so pages never overlap."""
    expression = SORT_EXPRESSIONS[flt.sort.lstrip("-")]
    direction = "DESC" if flt.sort.startswith("-") else "ASC"
    return f"{expression} {direction}, e.event_id {direction}"


def sort_value_sql(flt: EventFilter) -> str:
    return SORT_EXPRESSIONS[flt.sort.lstrip("-")]
