"""Storing coded articles once, with all their sources, and clustering their events.

``Intake`` wraps a store for everything that brings articles in (``whimbrel ingest``,
``whimbrel watch``): ``screen`` says, before any coding is spent, whether an article is a
copy of one already stored (then only its address is added to that article's sources) or
already stored as it is; ``save`` stores a coded article, fingerprints it and clusters its
events. Both are idempotent, so a watcher that crashed between the two can simply redo them.

    >>> intake = Intake(store, whimbrel.PIPELINE_VERSION)
    >>> for article in articles:
    ...     if intake.screen(article) is None:
    ...         intake.save(article, pipeline.code(article))
"""
from __future__ import annotations

from dataclasses import dataclass

from whimbrel.pipeline.dedup import DEFAULT_RULE, ClusterRule, fingerprint
from whimbrel.records import Article, Event
from whimbrel.storage.base import UNCHANGED, EventStore, SaveResult
from whimbrel.storage.clusters import ClusterBook
from whimbrel.storage.sources import SourceBook

DUPLICATE = "duplicate"


@dataclass
class IntakeResult(SaveResult):
    """What bringing one article in did; ``duplicate_of`` and ``relation`` for copies."""

    relation: str | None = None

    def to_dict(self) -> dict:
        row = super().to_dict()
        if self.status == DUPLICATE:
            row["duplicate_of"], row["relation"] = self.article_id, self.relation
        return row


class Intake:
    """The door articles come into a store through."""

    def __init__(self, store: EventStore, pipeline_version: str, rule: ClusterRule = DEFAULT_RULE):
        self.store = store
        self.pipeline_version = pipeline_version
        self.sources = SourceBook(store)
        self.clusters = ClusterBook(store, rule)
        self._signatures: dict[str, object] = {}

    def screen(self, article: Article, feed_url: str | None = None) -> IntakeResult | None:
        """None when the article must be coded; otherwise what was done instead.

        A copy of a stored (or just screened) article becomes one more source of it
        (status ``duplicate``); an article stored as it is stays (``unchanged``).
        """
        signature = fingerprint(article.text)
        duplicate = self.sources.duplicate_of(article, signature)
        if duplicate is not None:
            with self.store.transaction() as session:
                self.sources.record_source(session, duplicate.article_id, article, duplicate.relation, feed_url)
            return IntakeResult(duplicate.article_id, DUPLICATE, 0, duplicate.relation)
        if not self.store.needs_coding(article, self.pipeline_version):
            self.finish(article, feed_url, signature)
            return IntakeResult(article.id, UNCHANGED, 0)
        self.sources.claim(article, signature)
        self._signatures[article.id] = signature
        return None

    def save(self, article: Article, events: list[Event], feed_url: str | None = None) -> IntakeResult:
        """Store a coded article with its events, then its fingerprint, source and clusters."""
        result = self.store.save(article, events, self.pipeline_version)
        self.finish(article, feed_url, self._signatures.pop(article.id, None))
        return IntakeResult(result.article_id, result.status, result.events)

    def note_address(self, article_id: str, url: str, feed_url: str | None = None) -> None:
        """Another address of a stored article (a feed's redirecting link, say), if it is new."""
        from whimbrel.storage.sources import SAME_URL

        with self.store.transaction() as session:
            self.sources.record_source(session, article_id, url, SAME_URL, feed_url)

    def finish(self, article: Article, feed_url: str | None = None, signature=None) -> None:
        """The bookkeeping after an article is stored; doing it twice changes nothing."""
        with self.store.transaction() as session:
            self.sources.record_article(session, article, signature, feed_url)
            self.clusters.assign_article(session, article.id)
