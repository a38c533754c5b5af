"""Event clusters in the store: the events of one happening, across articles, counted.

Clusters are kept up to date as articles are stored: each new event is compared (by
``whimbrel.pipeline.dedup.same_happening``) only with stored events of the same type and
modality inside its search window of place and date, and joins, or merges, the clusters
of those it matches. A cluster is named by its smallest event id, so the clusters of a
store are the same whatever order its articles arrived in.

Counts follow GDELT's: ``events`` (mentions), ``articles`` (stored articles mentioning
it), ``documents`` (those plus their duplicate copies) and ``sources`` (distinct outlets).
"""
from __future__ import annotations

from typing import Iterable

from whimbrel.pipeline.dedup import DEFAULT_RULE, ClusterRule, cluster_key_box, same_happening
from whimbrel.storage.base import EventStore, Session
from whimbrel.storage.filters import EventFilter, where_clause
from whimbrel.storage.rows import load_record

CANDIDATES_SQL = (
    "SELECT e.record, c.cluster_id FROM events e JOIN event_clusters c ON c.event_id = e.event_id "
    "WHERE e.event_type = ? AND e.modality = ? AND e.lat BETWEEN ? AND ? AND e.lon BETWEEN ? AND ? "
    "AND e.date_end >= ? AND e.date_start <= ? AND e.event_id <> ?"
)


class ClusterBook:
    """The ``event_clusters`` table of one store."""

    def __init__(self, store: EventStore, rule: ClusterRule = DEFAULT_RULE):
        self.store = store
        self.rule = rule

    # -- keeping clusters up to date ---------------------------------------------------

    def assign_article(self, session: Session, article_id: str) -> None:
        """Cluster an article's stored events (again, if they changed since last time).

        When re-coding replaced an article's events, the clusters its old events were in
        are taken apart and their other members clustered afresh, since a removed event may
        have been the only link between them.
        """
        current = {event_id: load_record(record) for event_id, record in session.query(
            "SELECT event_id, record FROM events WHERE article_id = ? ORDER BY event_id", [article_id])}
        old = dict(session.query("SELECT event_id, cluster_id FROM event_clusters WHERE article_id = ?", [article_id]))
        if set(old) == set(current):
            return
        members: list[dict] = []
        affected = sorted(set(old.values()))
        if affected:
            marks = ", ".join("?" for _ in affected)
            members = [load_record(record) for (record,) in session.query(
                f"SELECT e.record FROM events e JOIN event_clusters c ON c.event_id = e.event_id "
                f"WHERE c.cluster_id IN ({marks}) AND e.article_id <> ? ORDER BY e.event_id",
                affected + [article_id])]
            session.execute(f"DELETE FROM event_clusters WHERE cluster_id IN ({marks})", affected)
            session.execute("DELETE FROM event_clusters WHERE article_id = ?", [article_id])
        for record in members + list(current.values()):
            self.add_event(session, record)

    def add_event(self, session: Session, record: dict) -> str:
        """Put one stored event into its cluster, merging clusters it links; returns the cluster id."""
        event_id = record["event_id"]
        linked: set[str] = set()
        box = cluster_key_box(record, self.rule)
        if box is not None:
            for candidate, cluster_id in session.query(CANDIDATES_SQL, list(box) + [event_id]):
                if cluster_id not in linked and same_happening(record, load_record(candidate), self.rule):
                    linked.add(cluster_id)
        cluster_id = min(linked | {event_id})
        others = sorted(linked - {cluster_id})
        if others:
            marks = ", ".join("?" for _ in others)
            session.execute(f"UPDATE event_clusters SET cluster_id = ? WHERE cluster_id IN ({marks})",
                            [cluster_id] + others)
        session.execute("INSERT INTO event_clusters (event_id, cluster_id, article_id) VALUES (?, ?, ?) "
                        "ON CONFLICT (event_id) DO UPDATE SET cluster_id = excluded.cluster_id",
                        [event_id, cluster_id, record["article_id"]])
        return cluster_id

    def catch_up(self, batch: int = 500) -> int:
        """Cluster stored articles that have events but no cluster rows yet (e.g. stored
        before this table existed, or through a path that does not cluster); returns how many."""
        done = 0
        while True:
            with self.store.reading() as session:
                article_ids = [row[0] for row in session.query(
                    "SELECT DISTINCT e.article_id FROM events e LEFT JOIN event_clusters c ON c.event_id = e.event_id "
                    "WHERE c.event_id IS NULL ORDER BY e.article_id LIMIT ?", [batch])]
            if not article_ids:
                return done
            for article_id in article_ids:
                with self.store.transaction() as session:
                    self.assign_article(session, article_id)
                done += 1

    # -- reading -----------------------------------------------------------------------

    def cluster_of(self, event_id: str) -> str | None:
        with self.store.reading() as session:
            rows = session.query("SELECT cluster_id FROM event_clusters WHERE event_id = ?", [event_id])
        return rows[0][0] if rows else None

    def cluster(self, cluster_id: str) -> dict | None:
        """One cluster: its counts, its events' records, and the sources of its articles."""
        summaries = self._summaries([cluster_id])
        if not summaries:
            return None
        with self.store.reading() as session:
            records = [load_record(r) for (r,) in session.query(
                "SELECT e.record FROM events e JOIN event_clusters c ON c.event_id = e.event_id "
                "WHERE c.cluster_id = ? ORDER BY e.date_start, e.event_id", [cluster_id])]
        return {**summaries[0], "events": records}

    def clusters(self, flt: EventFilter, min_articles: int = 1, limit: int = 50, offset: int = 0) -> dict:
        """Clusters with an event matching ``flt``, biggest first (most articles, then events)."""
        where = where_clause(flt)
        sql = (
            "SELECT c.cluster_id FROM event_clusters c JOIN events e ON e.event_id = c.event_id "
            f"WHERE c.cluster_id IN (SELECT c2.cluster_id FROM events e JOIN event_clusters c2 "
            f"ON c2.event_id = e.event_id WHERE {where.sql}) "
            "GROUP BY c.cluster_id HAVING count(DISTINCT c.article_id) >= ? "
            "ORDER BY count(DISTINCT c.article_id) DESC, count(*) DESC, c.cluster_id LIMIT ? OFFSET ?"
        )
        with self.store.reading() as session:
            ids = [row[0] for row in session.query(sql, where.params + [min_articles, limit + 1, offset])]
        page = ids[:limit]
        return {"clusters": self._summaries(page), "count": len(page),
                "next_offset": offset + limit if len(ids) > limit else None}

    def _summaries(self, cluster_ids: list[str]) -> list[dict]:
        """Counts and a representative event (the most confident, then the first) per cluster."""
        if not cluster_ids:
            return []
        marks = ", ".join("?" for _ in cluster_ids)
        with self.store.reading() as session:
            members = session.query(
                f"SELECT c.cluster_id, e.event_id, e.article_id, e.confidence, e.date_start, e.date_end, e.record "
                f"FROM event_clusters c JOIN events e ON e.event_id = c.event_id WHERE c.cluster_id IN ({marks}) "
                f"ORDER BY c.cluster_id, e.confidence DESC, e.event_id", cluster_ids)
            articles = sorted({row[2] for row in members})
            sources: list[tuple] = []
            if articles:
                article_marks = ", ".join("?" for _ in articles)
                sources = session.query(
                    f"SELECT article_id, canonical_url, host FROM article_sources WHERE article_id IN ({article_marks})",
                    articles)
        return [summary for summary in _summarise(cluster_ids, members, sources) if summary]


def _summarise(cluster_ids: list[str], members: list[tuple], sources: list[tuple]) -> Iterable[dict]:
    by_article: dict[str, list[tuple[str, str | None]]] = {}
    for article_id, address, host in sources:
        by_article.setdefault(article_id, []).append((address, host))
    grouped: dict[str, list[tuple]] = {}
    for row in members:
        grouped.setdefault(row[0], []).append(row)
    for cluster_id in cluster_ids:
        rows = grouped.get(cluster_id)
        if not rows:
            continue
        article_ids = sorted({row[2] for row in rows})
        # An article stored without source rows still counts as one document of one source.
        addresses = {address for a in article_ids for address, _ in by_article.get(a, [(f"article:{a}", None)])}
        outlets = {host or address for a in article_ids for address, host in by_article.get(a, [(f"article:{a}", None)])}
        starts = [row[4] for row in rows if row[4] is not None]
        ends = [row[5] for row in rows if row[5] is not None]
        yield {
            "cluster_id": cluster_id,
            "events": len(rows),
            "articles": len(article_ids),
            "documents": len(addresses),
            "sources": len(outlets),
            "date_start": min(starts).isoformat() if starts else None,
            "date_end": max(ends).isoformat() if ends else None,
            "event_ids": [row[1] for row in sorted(rows, key=lambda r: r[1])],
            "article_ids": article_ids,
            "representative": load_record(rows[0][6]),
        }
