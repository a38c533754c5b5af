"""Event clusters (one happening, many reports) and the sources of an article.

Clusters take the same filters as /events (a cluster matches when one of its events
does), are listed biggest first, and carry GDELT-style counts: events (mentions),
articles, documents (articles plus their duplicate copies) and sources (outlets).
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request

from whimbrel.api.dashboard import _page
from whimbrel.api.errors import ApiError
from whimbrel.api.events import _no_params, document_filters, query_params, store_of
from whimbrel.storage.clusters import ClusterBook
from whimbrel.storage.filters import FILTER_FIELDS, EventFilter, FilterError
from whimbrel.storage.sources import SourceBook

router = APIRouter(prefix="/api/v1", tags=["clusters"])
pages = APIRouter(include_in_schema=False)

PAGE_LIMIT, PAGE_MAX = 50, 500


def _int_param(params: dict[str, list[str]], name: str, default: int, low: int, high: int) -> int:
    values = params.pop(name, None)
    if values is None:
        return default
    if len(values) != 1 or not values[0].strip().lstrip("-").isdigit():
        raise FilterError(name, f"give one whole number from {low} to {high}")
    value = int(values[0])
    if not low <= value <= high:
        raise FilterError(name, f"must be from {low} to {high}")
    return value


@router.get("/clusters", dependencies=[Depends(document_filters)])
def list_clusters(request: Request,
                  min_articles: int | None = Query(None, description="only clusters reported by at least N articles"),
                  limit: int | None = Query(None, description=f"clusters per page, 1-{PAGE_MAX} (default {PAGE_LIMIT})"),
                  offset: int | None = Query(None, description="clusters to skip (next_offset of the previous page)")
                  ) -> dict:
    """Clusters of events that report the same happening, biggest first."""
    params = query_params(request)
    min_count = _int_param(params, "min_articles", 1, 1, 1_000_000)
    page_size = _int_param(params, "limit", PAGE_LIMIT, 1, PAGE_MAX)
    skip = _int_param(params, "offset", 0, 0, 10_000_000)
    flt = EventFilter.parse(params, allowed=FILTER_FIELDS)
    return ClusterBook(store_of(request)).clusters(flt, min_articles=min_count, limit=page_size, offset=skip)


@router.get("/clusters/{cluster_id}")
def get_cluster(cluster_id: str, request: Request) -> dict:
    """One cluster: its counts and all its events (every modality), earliest first."""
    _no_params(request)
    cluster = ClusterBook(store_of(request)).cluster(cluster_id)
    if cluster is None:
        raise ApiError(404, "not_found", f"no cluster {cluster_id!r}")
    return cluster


@router.get("/events/{event_id}/cluster")
def event_cluster(event_id: str, request: Request) -> dict:
    """The cluster an event belongs to (its counts, without the member records)."""
    _no_params(request)
    book = ClusterBook(store_of(request))
    cluster_id = book.cluster_of(event_id)
    if cluster_id is None:
        raise ApiError(404, "not_found", f"event {event_id!r} is not in any cluster")
    summary = book.cluster(cluster_id)
    summary.pop("events", None)
    return summary


@router.get("/articles/{article_id}/sources")
def article_sources(article_id: str, request: Request) -> dict:
    """Every address the article was seen under: where it was coded from, and its copies."""
    _no_params(request)
    store = store_of(request)
    if store.article(article_id, with_text=False) is None:
        raise ApiError(404, "not_found", f"no article {article_id!r}")
    sources = SourceBook(store).sources(article_id)
    return {"article_id": article_id, "sources": sources, "count": len(sources)}


@pages.get("/clusters")
def clusters_page():
    return _page("clusters.html")
