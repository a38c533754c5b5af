"""Where each stored article was seen, and which stored article a new one duplicates.

An article is stored once; every further address it turns up under (another URL of the
same page, the same text elsewhere, a wire copy in another outlet) becomes one more row
of ``article_sources``. ``SourceBook.duplicate_of`` answers, before any coding is spent,
whether a new article is one of those.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from whimbrel.pipeline.dedup import (NearDuplicateIndex, canonical_url, content_key, decode_fingerprint,
                                     encode_fingerprint, fingerprint, url_host)
from whimbrel.records import Article
from whimbrel.storage.base import EventStore, Session

SELF, SAME_URL, SAME_TEXT, NEAR_COPY = "self", "url", "exact", "near"
RECENT_DAYS = 30  # near-copies are looked for among articles seen this recently


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass(frozen=True)
class Duplicate:
    """A new article is a copy of ``article_id``; ``relation`` says how it was found."""

    article_id: str
    relation: str


def source_key(article: Article) -> tuple[str, str | None]:
    """(canonical address, host) of an article: its URL, else the place it was read from."""
    if article.url:
        return canonical_url(article.url), url_host(article.url)
    return article.source or f"article:{article.id}", None


class SourceBook:
    """The ``article_sources`` and ``article_fingerprints`` tables of one store."""

    def __init__(self, store: EventStore, recent_days: int = RECENT_DAYS):
        self.store = store
        self.recent_days = recent_days
        self._index: NearDuplicateIndex | None = None
        # Articles let through for coding but not stored yet, so that two copies arriving in
        # one batch are caught before the second is coded too.
        self._pending_addresses: dict[str, str] = {}
        self._pending_keys: dict[str, str] = {}

    # -- finding duplicates ------------------------------------------------------------

    def article_for_address(self, address: str) -> str | None:
        with self.store.reading() as session:
            rows = session.query("SELECT min(article_id) FROM article_sources WHERE canonical_url = ?", [address])
        return rows[0][0] if rows else None

    def duplicate_of(self, article: Article, signature=None) -> Duplicate | None:
        """The stored article this one copies (by address, text, or near-copy), if any.

        The article itself (same id) is not its own duplicate: storing it again is the
        store's business (unchanged, or re-coded by a newer pipeline).
        """
        if article.url:
            address = canonical_url(article.url)
            found = self._pending_addresses.get(address) or self.article_for_address(address)
            if found and found != article.id:
                return Duplicate(found, SAME_URL)
        key = content_key(article.text)
        found = self._pending_keys.get(key)
        if found is None:
            with self.store.reading() as session:
                rows = session.query("SELECT min(article_id) FROM article_fingerprints WHERE content_key = ? "
                                     "AND article_id <> ?", [key, article.id])
            found = rows[0][0] if rows else None
        if found and found != article.id:
            return Duplicate(found, SAME_TEXT)
        found = self.index().find(signature if signature is not None else fingerprint(article.text))
        if found and found != article.id:
            return Duplicate(found, NEAR_COPY)
        return None

    def index(self) -> NearDuplicateIndex:
        """The MinHash index of recently seen articles, loaded from the store on first use."""
        if self._index is None:
            self._index = NearDuplicateIndex()
            since = utc_now() - timedelta(days=self.recent_days)
            with self.store.reading() as session:
                rows = session.query("SELECT article_id, minhash FROM article_fingerprints WHERE seen_at >= ? "
                                     "ORDER BY article_id", [since])
            for article_id, encoded in rows:
                self._index.add(article_id, decode_fingerprint(encoded))
        return self._index

    def claim(self, article: Article, signature) -> None:
        """Note an article that is about to be coded, so that its copies find it meanwhile."""
        if article.url:
            self._pending_addresses.setdefault(canonical_url(article.url), article.id)
        self._pending_keys.setdefault(content_key(article.text), article.id)
        self.index().add(article.id, signature)

    # -- recording -------------------------------------------------------------------

    def record_article(self, session: Session, article: Article, signature=None, feed_url: str | None = None) -> None:
        """Fingerprint a stored article and note the address it was coded from (idempotent)."""
        signature = signature if signature is not None else fingerprint(article.text)
        now = utc_now()
        session.execute(
            "INSERT INTO article_fingerprints (article_id, content_key, minhash, seen_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (article_id) DO UPDATE SET content_key = excluded.content_key, "
            "minhash = excluded.minhash",
            [article.id, content_key(article.text), encode_fingerprint(signature), now])
        self.record_source(session, article.id, article, SELF, feed_url)
        if self._index is not None:
            self._index.add(article.id, signature)
        if article.url:
            self._pending_addresses.pop(canonical_url(article.url), None)
        self._pending_keys.pop(content_key(article.text), None)

    def record_source(self, session: Session, article_id: str, seen: Article | str, relation: str,
                      feed_url: str | None = None) -> None:
        """Note that ``seen`` (an article's URL or place, or a URL) is a source of the stored ``article_id``."""
        if isinstance(seen, str):
            address, host, url = canonical_url(seen), url_host(seen), seen
        else:
            (address, host), url = source_key(seen), seen.url
        session.execute(
            "INSERT INTO article_sources (article_id, canonical_url, url, host, feed_url, relation, seen_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (article_id, canonical_url) DO NOTHING",
            [article_id, address, url, host, feed_url, relation, utc_now()])

    # -- reading ---------------------------------------------------------------------

    def sources(self, article_id: str) -> list[dict]:
        """Every address an article was seen under, oldest first."""
        with self.store.reading() as session:
            rows = session.query(
                "SELECT canonical_url, url, host, feed_url, relation, seen_at FROM article_sources "
                "WHERE article_id = ? ORDER BY seen_at, canonical_url", [article_id])
        names = ("canonical_url", "url", "host", "feed_url", "relation", "seen_at")
        return [{name: (value.isoformat() if isinstance(value, datetime) else value)
                 for name, value in zip(names, row)} for row in rows]
