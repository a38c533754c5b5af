"""The schema: versioned migrations, the tables issue #5 names, the same on both backends."""
from whimbrel.storage import migrations
from whimbrel.storage.migrations import all_migrations

EXPECTED_COLUMNS = {
    "articles": {"id", "url", "title", "published", "source", "content_hash", "coded_at", "pipeline_version"},
    "events": {"event_id", "article_id", "event_type", "modality", "date_start", "lat", "lon", "record"},
    "actors": {"event_id", "role", "position", "text", "name", "country", "sector"},
    "places": {"geonameid", "name", "lat", "lon", "country", "admin1", "feature"},
}


def _columns(store, table):
    with store.reading() as session:
        rows = session.query(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table])
    return {row[0] for row in rows}


def test_migrations_are_numbered_in_order():
    versions = [m.version for m in all_migrations()]
    assert versions == sorted(versions) and versions[0] == 1


def test_fresh_store_is_at_the_latest_version(store):
    assert store.schema_version() == all_migrations()[-1].version


def test_tables_hold_the_columns_issue_5_names(store):
    for table, columns in EXPECTED_COLUMNS.items():
        assert columns <= _columns(store, table), table


def test_migrating_again_applies_nothing(store):
    assert store.migrate() == []
    with store.reading() as session:
        assert session.query("SELECT count(*) FROM schema_migrations")[0][0] == len(all_migrations())


def test_a_new_migration_is_applied_once(store, monkeypatch):
    extra = migrations.Migration(999, "test_extra", "CREATE TABLE test_extra (x INTEGER);")
    monkeypatch.setattr(migrations, "all_migrations", lambda: [*all_migrations(), extra])
    assert store.migrate() == [999]
    assert store.migrate() == []
    assert store.schema_version() == 999


def test_a_failing_migration_leaves_the_previous_version(store, monkeypatch):
    before = store.schema_version()
    broken = migrations.Migration(998, "broken", "CREATE TABLE half_done (x INTEGER); CREATE TABLE;")
    monkeypatch.setattr(migrations, "all_migrations", lambda: [*all_migrations(), broken])
    try:
        store.migrate()
    except Exception:
        pass
    else:
        raise AssertionError("a broken migration must fail")
    assert store.schema_version() == before
    assert not _columns(store, "half_done")
