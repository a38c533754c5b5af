"""Helpers for the test suites of the store, the API and the dashboard.

Kept in the package (like ``dask.utils_test``) so that tests/storage, tests/api and
tests/web share one way to get a clean store on each backend: a fresh DuckDB file, or the
PostgreSQL database named by ``WHIMBREL_TEST_POSTGRES`` with its schema wiped first. That
database must be one the tests own: everything in its ``public`` schema is dropped.
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from whimbrel.records import Actor, Article, Event, EventDate, Place, Span
from whimbrel.storage import open_store
from whimbrel.storage.base import EventStore

POSTGRES_ENV = "WHIMBREL_TEST_POSTGRES"
BACKENDS = ("duckdb", "postgresql")


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def wipe_postgres(url: str) -> None:
    """Drop everything in the test database's public schema."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP SCHEMA IF EXISTS public CASCADE")
        connection.execute("CREATE SCHEMA public")


def fresh_store(backend: str, folder: Path) -> EventStore:
    """An empty, migrated store on ``backend``; PostgreSQL needs WHIMBREL_TEST_POSTGRES."""
    if backend == "duckdb":
        return open_store(str(folder / "events.duckdb"))
    url = postgres_url()
    if not url:
        raise RuntimeError(f"set {POSTGRES_ENV} to test on PostgreSQL")
    wipe_postgres(url)
    return open_store(url)


def store_url(backend: str, folder: Path) -> str:
    """The ``--db`` value ``fresh_store`` used, for tests that go through the CLI or a server."""
    return str(folder / "events.duckdb") if backend == "duckdb" else postgres_url()


# A small hand-made story in the project's own words, with events covering the three
# modalities, two actor sides, places in two countries and a month-precision date.
STORY = (
    "Northland sent 300 soldiers to Southport on Monday after the Southport government asked for help. "
    "Rebels seized the river town of Eastbridge last week. "
    "Northland's defence minister said aircraft had struck rebel positions near Eastbridge. "
    "Officials in Westmark are considering sanctions but have not imposed any. "
    "In March 2012 gunmen attacked a consulate in Lakeside."
)


def _span(text: str, needle: str) -> Span:
    start = STORY.index(needle)
    return Span(needle, start, start + len(needle))


def _sentence(needle: str) -> Span:
    start = STORY.index(needle)
    left = STORY.rfind(". ", 0, start)
    left = 0 if left < 0 else left + 2
    right = STORY.find(". ", start)
    right = len(STORY) if right < 0 else right + 1
    return Span(STORY[left:right], left, right)


def _place(needle: str, geonameid: int, lat: float, lon: float, country: str, feature: str) -> Place:
    span = _span(STORY, needle)
    return Place(needle, span.start, span.end, geonameid, needle, lat, lon, country, None, feature, 0.9)


def story_article(article_id: str = "story-1") -> Article:
    return Article(text=STORY, id=article_id, title="Northland sends troops", published=date(2013, 1, 12),
                   url="https://example.org/northland", source="tests")


def story_events(article_id: str = "story-1") -> list[Event]:
    """The events a good coder finds in ``STORY``: made-up place names, real country codes."""
    northland = Actor("Northland", "Northland", "FRA", "GOV")
    southport = Actor("Southport government", None, "MLI", "GOV")
    rebels = Actor("Rebels", None, "MLI", "REB")
    southport_place = _place("Southport", 2460596, 12.65, -8.0, "MLI", "PPLC")
    eastbridge = _place("Eastbridge", 2457163, 16.27, -0.04, "MLI", "PPLA")
    lakeside = _place("Lakeside", 88319, 32.12, 20.07, "LBY", "PPLA")
    return [
        Event(article_id, "AID", _span(STORY, "sent 300 soldiers"), _sentence("sent 300 soldiers"), mode=None,
              context=["military"], source=[northland], target=[southport], location=southport_place,
              date=EventDate("2013-01-07", "day", "on Monday"), confidence=0.9),
        Event(article_id, "REQUEST", _span(STORY, "asked for help"), _sentence("asked for help"), mode="assist",
              context=["military"], source=[southport], target=[northland], location=southport_place,
              date=EventDate("2013-01-07", "day", "on Monday"), confidence=0.8),
        Event(article_id, "COERCE", _span(STORY, "seized"), _sentence("seized"), mode="seize",
              context=["military"], source=[rebels], location=eastbridge,
              date=EventDate("2013-01-05", "day", "last week"), confidence=0.7),
        Event(article_id, "ASSAULT", _span(STORY, "struck"), _sentence("struck"), mode="aerial",
              context=["military"], source=[Actor("aircraft", None, "FRA", "MIL")], target=[rebels],
              location=eastbridge, date=EventDate("2013-01-12", "day", None, fallback=True), confidence=0.85),
        Event(article_id, "SANCTION", _span(STORY, "considering sanctions"), _sentence("considering sanctions"),
              modality="hypothetical", source=[Actor("Officials in Westmark", None, "USA", "GOV")],
              date=EventDate("2013-01-12", "day", None, fallback=True), confidence=0.6),
        Event(article_id, "ASSAULT", _span(STORY, "attacked"), _sentence("attacked"), mode="firearms",
              context=["terrorism"], source=[Actor("gunmen", None, None, "UAF")],
              target=[Actor("a consulate", None, "USA", "GOV")], location=lakeside,
              date=EventDate("2012-03", "month", "In March 2012"), confidence=0.75),
    ]
