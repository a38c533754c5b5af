"""Writing: idempotent saves, re-coding by a newer pipeline, and no half articles after a crash."""
import subprocess
import sys
import textwrap
from dataclasses import replace

import pytest

from whimbrel.storage import open_store
from whimbrel.storage.base import INSERTED, RECODED, UNCHANGED, UPDATED, plan_save
from whimbrel.storage.filters import EventFilter
from whimbrel.storage.synthetic import synthetic_articles
from whimbrel.storage.testing import story_article, story_events, store_url

ALL = EventFilter(modalities=(), limit=500)


def _snapshot(store):
    with store.reading() as session:
        return {
            table: sorted(map(repr, session.query(f"SELECT * FROM {table}")))
            for table in ("articles", "events", "actors", "places")
        }


def test_save_stores_article_events_actors_and_places(store):
    result = store.save(story_article(), story_events(), "1.0")
    assert (result.status, result.events) == (INSERTED, 6)
    assert store.counts() == {"articles": 1, "events": 6}
    article = store.article("story-1")
    assert article["pipeline_version"] == "1.0" and article["content_hash"] == story_article().content_hash
    assert article["published"] == "2013-01-12" and article["coded_at"]
    with store.reading() as session:
        assert session.query("SELECT count(*) FROM actors")[0][0] == 10
        assert session.query("SELECT count(*) FROM places")[0][0] == 3


def test_a_stored_event_reads_back_as_schema_v1(store):
    events = story_events()
    store.save(story_article(), events, "1.0")
    for event in events:
        assert store.event(event.event_id) == event.to_dict()


def test_saving_the_same_article_twice_changes_nothing(store):
    store.save(story_article(), story_events(), "1.0")
    before = _snapshot(store)
    result = store.save(story_article(), story_events(), "1.0")
    assert result.status == UNCHANGED
    assert _snapshot(store) == before
    assert not store.needs_coding(story_article(), "1.0")


def test_a_newer_pipeline_replaces_the_articles_events(store):
    store.save(story_article(), story_events(), "1.0")
    store.save(story_article("other"), story_events("other"), "1.0")
    recoded = story_events()[:2]
    recoded[0] = replace(recoded[0], event_type="MOBILIZE", mode="troops")
    assert store.needs_coding(story_article(), "1.1")
    result = store.save(story_article(), recoded, "1.1")
    assert result.status == RECODED
    assert [e["event_type"] for e in store.article_events("story-1")] == ["MOBILIZE", "REQUEST"]
    assert store.article("story-1")["pipeline_version"] == "1.1"
    assert len(store.article_events("other")) == 6, "other articles keep their events"
    with store.reading() as session:
        orphans = session.query(
            "SELECT count(*) FROM actors a WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.event_id = a.event_id)")
    assert orphans[0][0] == 0


def test_an_older_pipeline_does_not_overwrite_newer_events(store):
    store.save(story_article(), story_events(), "2.0")
    assert store.save(story_article(), [], "1.9").status == UNCHANGED
    assert len(store.article_events("story-1")) == 6


def test_a_changed_text_under_the_same_id_replaces_the_article(store):
    store.save(story_article(), story_events(), "1.0")
    changed = replace(story_article(), text=story_article().text + " A correction was added.")
    assert store.save(changed, story_events()[:1], "1.0").status == UPDATED
    assert store.article("story-1")["text"].endswith("correction was added.")
    assert store.counts()["events"] == 1


def test_a_repeated_event_id_is_stored_once(store):
    events = story_events()
    store.save(story_article(), events + [events[0]], "1.0")
    assert store.counts()["events"] == 6


def test_plan_save_compares_versions_numerically():
    assert plan_save(None, "h", "1.0") == INSERTED
    assert plan_save(("h", "0.9.0"), "h", "0.10.0") == RECODED
    assert plan_save(("h", "0.10.0"), "h", "0.9.0") == UNCHANGED
    assert plan_save(("h", "1.0"), "other", "1.0") == UPDATED
    assert plan_save(("h", "0.1.0+ffff0000"), "h", "0.1.0+ffff0000") == UNCHANGED


def test_a_rebuilt_pipeline_of_the_same_release_recodes():
    # Digests of changed knowledge files have no order: any other build of the release wins.
    assert plan_save(("h", "0.1.0+ffff0000"), "h", "0.1.0+0000ffff") == RECODED
    assert plan_save(("h", "0.2.0+00000000"), "h", "0.1.0+ffffffff") == UNCHANGED


def test_a_failure_mid_article_leaves_no_half_article(store, monkeypatch):
    batch = list(synthetic_articles(3))
    saved = [store.save(article, events, "1.0") for article, events in batch[:2]]
    assert all(r.status == INSERTED for r in saved)

    original = type(store)._insert_events

    def fail_after_events(self, session, records):
        original(self, session, records)
        raise RuntimeError("disk full")

    monkeypatch.setattr(type(store), "_insert_events", fail_after_events)
    with pytest.raises(RuntimeError):
        store.save(*batch[2], "1.0")
    monkeypatch.undo()
    assert store.counts() == {"articles": 2, "events": 8}
    assert store.article(batch[2][0].id) is None
    assert store.save(*batch[2], "1.0").status == INSERTED, "the article can be saved once the fault is gone"


CRASHING_WRITER = textwrap.dedent("""
    import os, sys
    from whimbrel.storage import open_store
    from whimbrel.storage.synthetic import synthetic_articles

    store = open_store(sys.argv[1])
    batch = list(synthetic_articles(3))
    for article, events in batch[:2]:
        store.save(article, events, "1.0")
    original = type(store)._insert_events

    def die_mid_transaction(self, session, records):
        original(self, session, records)
        os._exit(9)  # the process dies with the third article's rows written but not committed

    type(store)._insert_events = die_mid_transaction
    store.save(*batch[2], "1.0")
""")


def test_a_crash_mid_batch_keeps_what_was_committed(backend, store, tmp_path):
    url = store_url(backend, tmp_path)
    store.close()  # DuckDB allows one writing process per file
    run = subprocess.run([sys.executable, "-c", CRASHING_WRITER, url], capture_output=True, text=True, timeout=120)
    assert run.returncode == 9, run.stderr
    reopened = open_store(url)
    try:
        assert reopened.counts() == {"articles": 2, "events": 8}
        assert reopened.article("syn-2") is None
        with reopened.reading() as session:
            assert session.query("SELECT count(*) FROM actors")[0][0] == 16
    finally:
        reopened.close()
