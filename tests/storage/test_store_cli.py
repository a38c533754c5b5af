"""`whimbrel ingest` and `whimbrel export` against a real store on each backend.

The coding itself is replaced by the test story's events here (the pipeline has its own
tests); what is checked is the storing, the idempotence, the filters and every format.
"""
import csv
import io
import json

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from whimbrel.cli import cli
from whimbrel.storage import open_store
from whimbrel.storage.testing import STORY, story_events, store_url


@pytest.fixture
def db(backend, store, tmp_path):
    url = store_url(backend, tmp_path)
    store.close()
    return url


@pytest.fixture
def fake_coding(monkeypatch):
    calls = []

    def coded(articles, processes):
        for article in articles:
            calls.append(article.id)
            yield article, story_events(article.id)

    monkeypatch.setattr("whimbrel.cli.ingest.coded", coded)
    return calls


@pytest.fixture
def inputs(tmp_path):
    path = tmp_path / "stories.jsonl"
    rows = [{"id": "s1", "text": STORY, "published": "2013-01-12"},
            # A story of its own: a near copy of s1 would now be stored as a source of s1.
            {"id": "s2", "text": "Westmark police arrested twelve protesters outside the parliament in Lakeside "
                                 "on Tuesday after a march against new fuel taxes.", "published": "2013-01-13"}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def _run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_ingest_stores_and_a_second_run_codes_nothing(db, fake_coding, inputs):
    first = _run("ingest", inputs, "--db", db)
    assert first.exit_code == 0, first.output
    assert "2 inserted" in first.stderr and "12 events" in first.stderr
    second = _run("ingest", inputs, "--db", db)
    assert second.exit_code == 0 and "2 unchanged" in second.stderr
    assert fake_coding == ["s1", "s2"], "stored articles are not coded again"
    with open_store(db) as store:
        assert store.counts() == {"articles": 2, "events": 12}


def test_ingest_skips_bad_lines_and_exits_3(db, fake_coding, tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(json.dumps({"id": "ok", "text": STORY}) + "\n{broken\n", encoding="utf-8")
    result = _run("ingest", path, "--db", db)
    assert result.exit_code == 3
    assert "mixed.jsonl:2" in result.stderr and "1 inserted" in result.stderr


def test_ingest_with_an_unusable_db_is_a_usage_error(fake_coding, inputs, tmp_path):
    result = _run("ingest", inputs, "--db", "postgresql://nobody:secret@127.0.0.1:1/none")
    assert result.exit_code == 2
    assert "--db" in result.stderr and "secret" not in result.stderr
    assert "Traceback" not in result.output


@pytest.fixture
def filled(db, fake_coding, inputs):
    assert _run("ingest", inputs, "--db", db).exit_code == 0
    return db


def test_export_jsonl_is_schema_v1(filled):
    result = _run("export", "--db", filled, "--format", "jsonl")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 10  # asserted only, by default
    assert {"event_id", "source", "target", "location", "date", "trigger", "evidence"} <= set(records[0])
    everything = _run("export", "--db", filled, "--modality", "all").stdout.splitlines()
    assert len(everything) == 12


def test_export_takes_the_api_filters(filled):
    result = _run("export", "--db", filled, "--event-type", "ASSAULT", "--country", "LBY", "--since", "2012-01-01")
    assert [json.loads(line)["trigger"]["text"] for line in result.stdout.splitlines()] == ["attacked", "attacked"]
    bad = _run("export", "--db", filled, "--since", "tomorrow")
    assert bad.exit_code == 2 and "--since" in bad.stderr


def test_export_csv_has_flat_columns(filled):
    rows = list(csv.DictReader(io.StringIO(_run("export", "--db", filled, "--format", "csv").stdout)))
    assert len(rows) == 10
    struck = next(r for r in rows if r["trigger"] == "struck")
    assert (struck["source_country"], struck["target_sector"], struck["place"]) == ("FRA", "REB", "Eastbridge")


def test_export_geojson_has_located_points(filled, tmp_path):
    out = tmp_path / "events.geojson"
    assert _run("export", "--db", filled, "--format", "geojson", "-o", out, "--modality", "all").exit_code == 0
    collection = json.loads(out.read_text())
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 10


def test_export_parquet_round_trips(filled, tmp_path):
    out = tmp_path / "events.parquet"
    assert _run("export", "--db", filled, "--format", "parquet", "-o", out).exit_code == 0
    table = pq.read_table(out)
    assert table.num_rows == 10 and "evidence" in table.column_names
    assert set(table.column("event_type").to_pylist()) == {"AID", "REQUEST", "COERCE", "ASSAULT"}


def test_export_plover_names_actor_and_recipient(filled):
    records = [json.loads(line) for line in _run("export", "--db", filled, "--format", "plover").stdout.splitlines()]
    aid = next(r for r in records if r["event"] == "AID")
    assert aid["actor"][0]["code"] == "FRA" and aid["recipient"][0] == {
        "code": "MLI", "sector": "GOV", "actor_text": "Southport government", "identifier_text": None}
    assert aid["quad_code"] == 2 and aid["event_loc"]["geonameid"] == 2460596


def test_export_cameo_gives_root_codes(filled):
    rows = list(csv.DictReader(io.StringIO(_run("export", "--db", filled, "--format", "cameo").stdout)))
    roots = {(r["plover_type"], r["mode"]): r["cameo_root"] for r in rows}
    assert roots[("AID", "")] == "07" and roots[("REQUEST", "assist")] == "10"
    assert roots[("ASSAULT", "aerial")] == "19" and roots[("ASSAULT", "firearms")] == "19"
    assert roots[("COERCE", "seize")] == "17"
    aid = next(r for r in rows if r["plover_type"] == "AID")
    assert (aid["source_code"], aid["target_code"], aid["quad_class"]) == ("FRAGOV", "MLIGOV", "2")


def test_export_limit(filled):
    assert len(_run("export", "--db", filled, "--limit", "3").stdout.splitlines()) == 3


@pytest.mark.slow
def test_ingest_with_the_real_pipeline_is_idempotent(db, tmp_path):
    story = tmp_path / "kenya.txt"
    story.write_text("Police in Nairobi arrested dozens of protesters on Tuesday after a march against new taxes.\n",
                     encoding="utf-8")
    first = _run("ingest", story, "--db", db, "--published", "2024-06-26")
    assert first.exit_code == 0 and "1 inserted" in first.stderr, first.stderr
    with open_store(db) as store:
        before = store.counts()
    assert before["events"] >= 1
    again = _run("ingest", story, "--db", db, "--published", "2024-06-26")
    assert again.exit_code == 0 and "1 unchanged" in again.stderr
    with open_store(db) as store:
        assert store.counts() == before
