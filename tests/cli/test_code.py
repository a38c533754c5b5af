"""`whimbrel code` end to end, as a user runs it: exit codes, formats, one-line errors."""
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from whimbrel.cli import cli

STORY = ("Rebels Take Border Town\n\nGovernment troops shelled rebel positions near Goma on Monday, "
         "the army said.\n\nThe rebels denied that they had attacked the airport.\n")


def run(args, **kwargs):
    return CliRunner().invoke(cli, args, catch_exceptions=False, **kwargs)


@pytest.fixture
def story_file(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def test_jsonl_output_follows_the_schema(story_file):
    result = run(["code", str(story_file), "--published", "2012-11-20", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows
    keys = {"event_id", "article_id", "event_type", "mode", "context", "modality", "source", "target",
            "location", "date", "trigger", "evidence", "confidence"}
    assert all(set(row) == keys for row in rows)
    shelled = next(r for r in rows if r["trigger"]["text"] == "shelled")
    assert shelled["event_type"] == "ASSAULT" and shelled["date"]["value"] == "2012-11-19"
    assert STORY[shelled["trigger"]["start"]:shelled["trigger"]["end"]] == "shelled"
    denied = next(r for r in rows if r["trigger"]["text"] == "attacked")
    assert denied["modality"] == "negated"


def test_event_ids_are_stable_across_runs(story_file):
    first = run(["code", str(story_file), "--format", "jsonl"]).stdout
    second = run(["code", str(story_file), "--format", "jsonl"]).stdout
    assert first == second


def test_csv_json_and_table(story_file, tmp_path):
    out = tmp_path / "events.csv"
    assert run(["code", str(story_file), "--format", "csv", "-o", str(out)]).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert rows and rows[0]["event_type"]
    as_json = json.loads(run(["code", str(story_file), "--format", "json"]).stdout)
    assert isinstance(as_json, list) and as_json[0]["event_id"]
    table = run(["code", str(story_file), "--format", "table"]).stdout
    assert "ASSAULT" in table and "evidence" in table.splitlines()[0]


def test_bad_inputs_are_skipped_with_one_line_each_and_exit_3(story_file, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "Police arrested a journalist in Baku."}\n{oops\n', encoding="utf-8")
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x00\x01\x02")
    result = subprocess.run(
        [sys.executable, "-m", "whimbrel", "code", str(story_file), str(bad), str(binary),
         str(tmp_path / "missing.txt"), "--format", "jsonl"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 3
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 3 and "Traceback" not in result.stderr
    assert f"{bad}:2" in errors[0] and "hint" in errors[0]
    assert {json.loads(line)["article_id"] for line in result.stdout.splitlines()} >= {"x"}


def test_usage_errors_exit_2(story_file):
    result = run(["code", str(story_file), "--published", "last week"])
    assert result.exit_code == 2 and "--published" in result.output
    assert run(["code"]).exit_code == 2


def test_stdin_and_processes(story_file):
    result = run(["code", "-", "--format", "jsonl"], input=STORY)
    assert result.exit_code == 0 and result.stdout


def test_two_processes_give_the_same_events(tmp_path):
    lines = [json.dumps({"id": str(i), "text": f"Troops fired on protesters in town number {i}."})
             for i in range(20)]
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    one = run(["code", str(path), "--format", "jsonl"]).stdout
    two = run(["code", str(path), "--format", "jsonl", "--processes", "2"]).stdout
    assert one == two and one


def test_info_reports_model_and_sizes():
    result = run(["info", "--format", "json"])
    info = json.loads(result.stdout)
    assert info["spacy_model"].startswith("en_core_web_sm")
    assert info["gazetteer"]


def test_places_command(story_file):
    result = run(["places", str(story_file)])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    goma = next(r for r in rows if r["text"] == "Goma")
    assert goma["country"] == "COD"


def test_a_multi_megabyte_article_is_split_into_small_blocks():
    paragraph = ("Militants attacked a police post near the border on Monday, officials said. "
                 "The weather was mild and markets were calm across the region that week. ") * 40
    text = (paragraph + "\n") * 700  # about 4 MB
    from whimbrel.pipeline.ingest import body_blocks

    blocks = body_blocks(text)
    assert len(text) > 3_000_000
    assert max(end - start for start, end in blocks) <= 10_000
    assert sum(end - start for start, end in blocks) >= 0.99 * len(text.replace("\n", ""))


@pytest.mark.slow
def test_an_article_past_spacys_length_limit_is_coded_not_refused(tmp_path):
    paragraph = ("Militants attacked a police post near the border on Monday, officials said. "
                 "The weather was mild and markets were calm across the region that week. ") * 40
    text = (paragraph + "\n") * 170  # about 1.05 MB, past spaCy's 1,000,000-character limit
    assert len(text) > 1_000_000
    path = tmp_path / "huge.txt"
    path.write_text(text, encoding="utf-8")
    result = run(["code", str(path), "--format", "jsonl", "--published", "2020-05-04"])
    assert result.exit_code == 0
    assert sum(1 for _ in result.stdout.splitlines()) >= 170


def test_cameo_format_gives_each_event_its_cameo_root(story_file):
    result = run(["code", str(story_file), "--format", "cameo"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    shelled = next(r for r in rows if r["plover_type"] == "ASSAULT" and r["modality"] == "asserted")
    assert shelled["cameo_root"] in {"18", "19", "20"}  # the CAMEO roots PLOVER's ASSAULT covers
    assert shelled["quad_class"] == "4"
    assert all(r["cameo_root"] for r in rows)


def test_plover_format_names_actor_and_recipient(story_file):
    result = run(["code", str(story_file), "--format", "plover"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and all({"id", "event", "actor", "recipient", "event_text", "story_id"} <= set(r) for r in rows)
    shelled = next(r for r in rows if r["event_text"] == "shelled")
    assert shelled["event"] == "ASSAULT" and shelled["actor"] and shelled["actor"][0]["actor_text"]
