"""Tests of training/validate.py on small corpus files written by the tests themselves."""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from pathlib import Path

import pytest

VALIDATOR_PATH = Path(__file__).resolve().parents[2] / "training" / "validate.py"


def _load_validator():
    # training/ is a folder of scripts, not a package, so the module is loaded from its path.
    spec = importlib.util.spec_from_file_location("training_validate", VALIDATOR_PATH)
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the class is being built.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


validate = _load_validator()

GOOD = {
    "id": "t-0001",
    "text": "Chilean and Peruvian navies began joint exercises off the port of Arica on Monday, officials said.",
    "events": [{
        "event_type": "COOPERATE", "mode": None, "context": ["military"], "modality": "asserted",
        "trigger": "joint exercises",
        "actor": [{"text": "Chilean and Peruvian navies", "country": "CHL", "sector": "MIL"}],
        "recipient": [],
        "location": "Arica", "date": "on Monday",
    }],
    "meta": {"region": "Americas", "era": "2010s", "style": "wire"},
}

NO_EVENT = {
    "id": "t-0002",
    "text": "Heavy rain is forecast across northern Italy for the rest of the week, forecasters said.",
    "events": [],
    "meta": {"region": "Europe", "era": "2020s", "style": "wire"},
}


def write_corpus(directory: Path, name: str, lines: list) -> Path:
    """Write records (dicts) or raw strings, one a line, to directory/name."""
    path = directory / name
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines), encoding="utf-8")
    return path


def run(capsys, *paths: Path) -> tuple[int, str, str]:
    code = validate.main([str(path) for path in paths])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def with_change(record: dict, change) -> dict:
    changed = copy.deepcopy(record)
    change(changed)
    return changed


def test_good_lines_pass_and_are_counted(tmp_path, capsys):
    path = write_corpus(tmp_path, "good.jsonl", [GOOD, NO_EVENT])
    code, out, err = run(capsys, path)
    assert code == 0, err
    assert "0 error(s)" in out
    assert "COOPERATE" in out and "asserted" in out
    assert "error:" not in err


def test_trigger_not_in_text_fails_with_file_and_line(tmp_path, capsys):
    bad = with_change(GOOD, lambda r: r["events"][0].update(trigger="joint drills"))
    path = write_corpus(tmp_path, "bad.jsonl", [NO_EVENT, bad])
    code, _, err = run(capsys, path)
    assert code == 1
    assert "bad.jsonl:2: events[0].trigger:" in err
    assert "'joint drills' is not an exact substring" in err


def test_unknown_sector_fails(tmp_path, capsys):
    bad = with_change(GOOD, lambda r: r["events"][0]["actor"][0].update(sector="NAVY"))
    code, _, err = run(capsys, write_corpus(tmp_path, "bad.jsonl", [bad]))
    assert code == 1
    assert "bad.jsonl:1: events[0].actor[0].sector: 'NAVY' is not a PLOVER sector" in err


def test_broken_json_fails_with_line(tmp_path, capsys):
    path = write_corpus(tmp_path, "bad.jsonl", [GOOD, '{"id": "t-0009", "text": "unterminated'])
    code, _, err = run(capsys, path)
    assert code == 1
    assert "bad.jsonl:2: json: does not parse" in err


@pytest.mark.parametrize("change, field", [
    (lambda r: r["events"][0].update(event_type="FIGHT"), "events[0].event_type"),
    (lambda r: r["events"][0].update(mode="aerial"), "events[0].mode"),
    (lambda r: r["events"][0].update(modality="future"), "events[0].modality"),
    (lambda r: r["events"][0].update(context=["war"]), "events[0].context"),
    (lambda r: r["events"][0]["actor"][0].update(country="CHI"), "events[0].actor[0].country"),
    (lambda r: r["events"][0]["actor"][0].update(country="chl"), "events[0].actor[0].country"),
    (lambda r: r["events"][0].update(location="Iquique"), "events[0].location"),
    (lambda r: r["events"][0].update(date="on Tuesday"), "events[0].date"),
    (lambda r: r["events"][0].pop("recipient"), "events[0].recipient"),
    (lambda r: r["events"][0].update(recipients=[]), "events[0].recipients"),
    (lambda r: r["meta"].update(style="feature"), "meta.style"),
    (lambda r: r["meta"].update(era="the nineties"), "meta.era"),
    (lambda r: r.update(text="Navies began joint exercises."), "text"),
    (lambda r: r.update(id="0001"), "id"),
])
def test_each_rule_names_its_field(tmp_path, capsys, change, field):
    code, _, err = run(capsys, write_corpus(tmp_path, "bad.jsonl", [with_change(GOOD, change)]))
    assert code == 1
    assert f"bad.jsonl:1: {field}:" in err


def test_kosovo_and_palestine_codes_are_accepted():
    assert validate.is_country_code("XKX") and validate.is_country_code("KOS") and validate.is_country_code("PSE")
    assert not validate.is_country_code("XXX")


def test_ids_and_texts_must_be_unique_across_files(tmp_path, capsys):
    first = write_corpus(tmp_path, "a.jsonl", [GOOD])
    same_id = with_change(NO_EVENT, lambda r: r.update(id="t-0001"))
    # Only the spacing differs, which does not make a new sentence.
    same_text = with_change(GOOD, lambda r: r.update(id="t-0003", text=r["text"].replace(" began", "  began")))
    second = write_corpus(tmp_path, "b.jsonl", [same_id, same_text])
    code, _, err = run(capsys, first, second)
    assert code == 1
    assert "b.jsonl:1: id: 't-0001' already used at" in err
    assert "b.jsonl:2: text: duplicates the sentence at" in err


def test_near_duplicates_warn_without_failing(tmp_path, capsys):
    twin = with_change(GOOD, lambda r: r.update(id="t-0004", text=r["text"].replace("on Monday", "on Friday")))
    twin["events"][0]["date"] = "on Friday"
    code, _, err = run(capsys, write_corpus(tmp_path, "twins.jsonl", [GOOD, twin]))
    assert code == 0
    assert "twins.jsonl:2: text: near-duplicate of" in err


def test_directory_argument_checks_every_jsonl_file(tmp_path, capsys):
    write_corpus(tmp_path, "a.jsonl", [GOOD])
    write_corpus(tmp_path, "b.jsonl", [NO_EVENT])
    (tmp_path / "notes.txt").write_text("not part of the corpus", encoding="utf-8")
    code, out, _ = run(capsys, tmp_path)
    assert code == 0
    assert "2 file(s)" in out


def test_counts_by_type_modality_style_and_events():
    hypothetical = with_change(GOOD, lambda r: r["events"][0].update(modality="hypothetical"))
    counts = validate.count_records([GOOD, NO_EVENT, hypothetical])
    assert counts["event_type"] == {"COOPERATE": 2}
    assert counts["modality"] == {"asserted": 1, "hypothetical": 1}
    assert counts["style"] == {"wire": 3}
    assert counts["events"] == {"1": 2, "0": 1}


def test_span_inside_a_longer_word_warns(tmp_path, capsys):
    # "Niger" first occurs inside "Nigerian", so a consumer would find the wrong characters.
    inside = {
        "id": "t-0005",
        "text": "Nigerian and French officials met in Niamey, the capital of Niger, on Monday.",
        "events": [{
            "event_type": "CONSULT", "mode": None, "context": [], "modality": "asserted", "trigger": "met",
            "actor": [{"text": "Niger", "country": "NER", "sector": "GOV"}], "recipient": [],
            "location": "Niamey", "date": "on Monday",
        }],
        "meta": {"region": "Africa", "era": "2020s", "style": "wire"},
    }
    code, _, err = run(capsys, write_corpus(tmp_path, "inside.jsonl", [inside]))
    assert code == 0
    assert "inside.jsonl:1: events[0].actor[0].text: first occurrence of 'Niger' is inside a longer word" in err
