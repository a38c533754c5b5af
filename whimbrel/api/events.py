"""Reading events: the list, GeoJSON for maps, one event, and aggregate stats.

Filters are read from the raw query string, so that an unknown or repeated parameter is
an error rather than silently ignored; the ``Query`` declarations below only document
them in the OpenAPI schema.
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request

from whimbrel.api.errors import ApiError
from whimbrel.storage.base import STATS_INTERVALS, EventStore
from whimbrel.storage.filters import FILTER_FIELDS, EventFilter, FilterError
from whimbrel.storage.vocabulary import MODALITIES, QUAD_NAMES, SECTORS, event_types, quad_of

router = APIRouter(prefix="/api/v1", tags=["events"])

PAGE_LIMIT, PAGE_MAX = 50, 500
MAP_LIMIT, MAP_MAX = 2000, 10000


def document_filters(
    event_type: list[str] | None = Query(None, description="PLOVER types, repeated or comma-separated: ASSAULT,PROTEST"),
    modality: list[str] | None = Query(None, description="asserted (default), negated, hypothetical, or all"),
    country: list[str] | None = Query(None, description="ISO3 code: events located in it or with an actor from it"),
    actor: str | None = Query(None, description="Words of an actor's text or name, case-insensitive"),
    sector: list[str] | None = Query(None, description="PLOVER sector of any actor: GOV, MIL, REB ..."),
    since: str | None = Query(None, description="YYYY-MM-DD: events whose date reaches this day or later"),
    until: str | None = Query(None, description="YYYY-MM-DD: events whose date starts on this day or earlier"),
    bbox: str | None = Query(None, description="min_lon,min_lat,max_lon,max_lat"),
    q: str | None = Query(None, description="Words that must all occur in the evidence sentence"),
) -> None:
    """Declares the filters for the OpenAPI document; values are parsed from the raw query."""


def document_paging(
    sort: str | None = Query(None, description="date, confidence or event_type; a leading - sorts descending (default -date)"),
    cursor: str | None = Query(None, description="next_cursor of the previous page"),
    limit: int | None = Query(None, description=f"events per page, 1-{PAGE_MAX} (default {PAGE_LIMIT})"),
) -> None:
    """Declares the paging parameters for the OpenAPI document."""


def query_params(request: Request) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        params.setdefault(name, []).append(value)
    return params


def store_of(request: Request) -> EventStore:
    return request.app.state.store


@router.get("/events", dependencies=[Depends(document_filters), Depends(document_paging)])
def list_events(request: Request) -> dict:
    """Events matching the filters, one page at a time (follow ``next_cursor``)."""
    flt = EventFilter.parse(query_params(request), default_limit=PAGE_LIMIT, max_limit=PAGE_MAX)
    return store_of(request).events(flt).to_dict()


@router.get("/events.geojson", dependencies=[Depends(document_filters)],
            responses={200: {"content": {"application/geo+json": {}}}})
def events_geojson(request: Request,
                   sort: str | None = Query(None, description="as for /events"),
                   limit: int | None = Query(None, description=f"features, 1-{MAP_MAX} (default {MAP_LIMIT})")):
    """Located events as a GeoJSON FeatureCollection of points."""
    flt = EventFilter.parse(query_params(request), default_limit=MAP_LIMIT, max_limit=MAP_MAX,
                            allowed=FILTER_FIELDS + ("sort", "limit"))
    from fastapi.responses import JSONResponse

    return JSONResponse(store_of(request).geojson(flt), media_type="application/geo+json")


@router.get("/events/{event_id}")
def get_event(event_id: str, request: Request) -> dict:
    """One event with its evidence, and the article it was coded from."""
    _no_params(request)
    store = store_of(request)
    record = store.event(event_id)
    if record is None:
        raise ApiError(404, "not_found", f"no event {event_id!r}")
    quad = quad_of(record["event_type"])
    return {"event": record, "quad": quad, "quad_name": QUAD_NAMES.get(quad or 0),
            "article": store.article(record["article_id"], with_text=False)}


@router.get("/stats", dependencies=[Depends(document_filters)])
def stats(request: Request,
          interval: str | None = Query(None, description="day (default), week or month for by_period")) -> dict:
    """Counts of the matching events by type, quad class, modality, country and period."""
    params = query_params(request)
    interval_values = params.pop("interval", ["day"])
    if len(interval_values) != 1 or interval_values[0] not in STATS_INTERVALS:
        raise FilterError("interval", f"give one of {', '.join(STATS_INTERVALS)}")
    flt = EventFilter.parse(params, allowed=FILTER_FIELDS)
    return store_of(request).stats(flt, interval_values[0])


@router.get("/vocabulary", tags=["meta"])
def vocabulary() -> dict:
    """The values the filters accept, with each event type's quad class (for legends)."""
    return {
        "event_types": [{"name": name, "quad": quad_of(name), "quad_name": QUAD_NAMES[quad_of(name)]}
                        for name in event_types()],
        "quads": QUAD_NAMES,
        "modalities": list(MODALITIES),
        "sectors": sorted(SECTORS),
    }


def _no_params(request: Request) -> None:
    if request.query_params:
        name = next(iter(request.query_params))
        raise FilterError(name, "unknown parameter; this endpoint takes none")
