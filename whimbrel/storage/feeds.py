"""The watcher's memory: feeds with their validators and schedule, and every story they listed.

A story moves through states, each change committed before the next step starts:

    pending --fetch--> fetched --code+store--> coded
       |                  '--copy of a stored article--> duplicate
       '--too many failed fetches--> failed

Because the extracted text is stored with ``fetched``, a watcher killed at any point
loses nothing it fetched, and because coding is skipped for articles the event store
already holds, it never codes one twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from whimbrel.feeds.parse import FeedEntry
from whimbrel.pipeline.dedup import canonical_url
from whimbrel.records import Article
from whimbrel.storage.base import EventStore
from whimbrel.storage.sources import utc_now

PENDING, FETCHED, CODED, DUPLICATE, FAILED = "pending", "fetched", "coded", "duplicate", "failed"


@dataclass
class FeedState:
    url: str
    etag: str | None
    last_modified: str | None
    failures: int
    next_poll: datetime


@dataclass
class FeedItem:
    canonical_url: str
    url: str
    feed_url: str | None
    title: str | None
    published: date | None
    attempts: int
    article_title: str | None = None
    article_text: str | None = None
    article_id: str | None = None

    def article(self) -> Article:
        """The fetched story as an article (its id is the hash of its text, as for any input)."""
        return Article(text=self.article_text or "", title=self.article_title or self.title,
                       published=self.published, url=self.url, source=self.url)


ITEM_COLUMNS = ("canonical_url", "url", "feed_url", "title", "published", "attempts",
                "article_title", "article_text", "article_id")


class FeedBook:
    """The ``feeds`` and ``feed_items`` tables of one store."""

    def __init__(self, store: EventStore):
        self.store = store

    # -- feeds ---------------------------------------------------------------------------

    def add_feeds(self, urls: list[str], now: datetime | None = None) -> None:
        """Start watching feeds (those already known keep their state)."""
        now = now or utc_now()
        with self.store.transaction() as session:
            session.executemany(
                "INSERT INTO feeds (url, added_at, next_poll, failures) VALUES (?, ?, ?, 0) "
                "ON CONFLICT (url) DO NOTHING", [(url, now, now) for url in urls])

    def feed(self, url: str) -> FeedState | None:
        with self.store.reading() as session:
            rows = session.query("SELECT url, etag, last_modified, failures, next_poll FROM feeds WHERE url = ?", [url])
        return FeedState(*rows[0]) if rows else None

    def due_feeds(self, urls: list[str], now: datetime) -> list[FeedState]:
        """Of ``urls``, those whose next poll time has come, in the order given."""
        states = [self.feed(url) for url in urls]
        return [state for state in states if state is not None and state.next_poll <= now]

    def next_poll(self, urls: list[str]) -> datetime | None:
        times = [state.next_poll for state in (self.feed(url) for url in urls) if state]
        return min(times) if times else None

    def polled(self, url: str, status: int, next_poll: datetime, etag: str | None = None,
               last_modified: str | None = None, title: str | None = None) -> None:
        """A successful poll (200 or 304): new validators when the feed sent them."""
        with self.store.transaction() as session:
            session.execute(
                "UPDATE feeds SET last_polled = ?, next_poll = ?, failures = 0, last_status = ?, last_error = NULL, "
                "etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified), title = COALESCE(?, title) "
                "WHERE url = ?", [utc_now(), next_poll, status, etag, last_modified, title, url])

    def poll_failed(self, url: str, error: str, status: int | None, next_poll: datetime) -> int:
        """A failed poll; returns how many times in a row the feed has failed."""
        with self.store.transaction() as session:
            session.execute(
                "UPDATE feeds SET last_polled = ?, next_poll = ?, failures = failures + 1, last_status = ?, "
                "last_error = ? WHERE url = ?", [utc_now(), next_poll, status, error, url])
            return session.query("SELECT failures FROM feeds WHERE url = ?", [url])[0][0]

    # -- items ---------------------------------------------------------------------------

    def add_entries(self, feed_url: str, entries: list[FeedEntry], now: datetime | None = None) -> int:
        """Note the stories a feed lists; returns how many were new."""
        now = now or utc_now()
        rows, seen = [], set()
        for entry in entries:
            key = canonical_url(entry.url)
            if key not in seen:
                seen.add(key)
                rows.append((key, entry.url, feed_url, entry.guid, entry.title, entry.published, now, now))
        if not rows:
            return 0
        with self.store.transaction() as session:
            keys = [row[0] for row in rows]
            marks = ", ".join("?" for _ in keys)
            known = {row[0] for row in session.query(
                f"SELECT canonical_url FROM feed_items WHERE canonical_url IN ({marks})", keys)}
            fresh = [row for row in rows if row[0] not in known]
            if fresh:
                session.executemany(
                    "INSERT INTO feed_items (canonical_url, url, feed_url, guid, title, published, state, attempts, "
                    f"next_attempt, discovered_at) VALUES (?, ?, ?, ?, ?, ?, '{PENDING}', 0, ?, ?) "
                    "ON CONFLICT (canonical_url) DO NOTHING", fresh)
        return len(fresh)

    def _items(self, where: str, params: list, limit: int) -> list[FeedItem]:
        with self.store.reading() as session:
            rows = session.query(f"SELECT {', '.join(ITEM_COLUMNS)} FROM feed_items WHERE {where} "
                                 "ORDER BY discovered_at, canonical_url LIMIT ?", params + [limit])
        return [FeedItem(*row) for row in rows]

    def due_items(self, now: datetime, limit: int = 1000) -> list[FeedItem]:
        """Stories waiting to be fetched whose next attempt has come."""
        return self._items(f"state = '{PENDING}' AND next_attempt <= ?", [now], limit)

    def fetched_items(self, limit: int = 1000) -> list[FeedItem]:
        """Stories fetched but not yet coded and stored (after a restart: where it stopped)."""
        return self._items(f"state = '{FETCHED}'", [], limit)

    def next_attempt(self) -> datetime | None:
        with self.store.reading() as session:
            rows = session.query(f"SELECT min(next_attempt) FROM feed_items WHERE state = '{PENDING}'")
        return rows[0][0] if rows else None

    def mark_fetched(self, item: FeedItem, article: Article) -> None:
        with self.store.transaction() as session:
            session.execute(
                f"UPDATE feed_items SET state = '{FETCHED}', attempts = attempts + 1, fetched_at = ?, "
                "article_title = ?, article_text = ?, published = COALESCE(?, published), last_error = NULL "
                f"WHERE canonical_url = ? AND state = '{PENDING}'",
                [utc_now(), article.title, article.text, article.published, item.canonical_url])

    def mark_fetch_failed(self, item: FeedItem, error: str, retry_in: timedelta | None) -> None:
        """A failed fetch: tried again after ``retry_in``, or given up for good when None."""
        now = utc_now()
        state = PENDING if retry_in is not None else FAILED
        with self.store.transaction() as session:
            session.execute(
                "UPDATE feed_items SET state = ?, attempts = attempts + 1, next_attempt = ?, last_error = ?, "
                f"done_at = ? WHERE canonical_url = ? AND state = '{PENDING}'",
                [state, now + (retry_in or timedelta(0)), error, None if retry_in is not None else now,
                 item.canonical_url])

    def mark_done(self, item: FeedItem, state: str, article_id: str) -> None:
        """A fetched story is stored (``coded``) or found to copy a stored one (``duplicate``)."""
        with self.store.transaction() as session:
            session.execute("UPDATE feed_items SET state = ?, article_id = ?, done_at = ? WHERE canonical_url = ?",
                            [state, article_id, utc_now(), item.canonical_url])

    def counts(self) -> dict[str, int]:
        """Stories by state."""
        with self.store.reading() as session:
            return dict(session.query("SELECT state, count(*) FROM feed_items GROUP BY state ORDER BY state"))
