"""The defining example: ../shared/examples/france-mali-2013.txt must come out right.

Nothing in whimbrel exists only for this story; each behaviour checked here is also
tested on sentences and stories of our own (tests/pipeline, tests/test_own_stories.py).
"""
import math

import pytest

from whimbrel import Article

BENGHAZI = (32.1167, 20.0667)


def km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def story(shared_dir):
    return (shared_dir / "examples" / "france-mali-2013.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def events(story, pipeline):
    from datetime import date

    return [e.to_dict() for e in pipeline.code(Article(story, id="mali", published=date(2013, 1, 12)))]


def countries(actors):
    return {a["country"] for a in actors}


def sectors(actors):
    return {a["sector"] for a in actors}


def test_france_sends_forces_to_mali(events):
    assert any(e["event_type"] in ("AID", "MOBILIZE") and "FRA" in countries(e["source"])
               and "MLI" in countries(e["target"]) and e["modality"] == "asserted" for e in events)


def test_mali_requests_help_from_france(events):
    assert any(e["event_type"] == "REQUEST" and "MLI" in countries(e["source"]) and "FRA" in countries(e["target"])
               for e in events)


def test_french_air_force_strikes_rebels_in_mali(events):
    strikes = [e for e in events if e["event_type"] == "ASSAULT" and "FRA" in countries(e["source"])
               and e["modality"] == "asserted"]
    assert strikes
    strike = strikes[0]
    assert strike["location"] and strike["location"]["country"] == "MLI"
    assert "2013-01-10" <= strike["date"]["value"] <= "2013-01-12"


def test_rebels_take_a_key_town_on_thursday(events):
    taken = [e for e in events if e["event_type"] in ("ASSAULT", "COERCE") and "REB" in sectors(e["source"])
             and e["date"] and e["date"]["value"] == "2013-01-10"]
    assert taken
    assert taken[0]["location"]["country"] == "MLI"


def test_us_drone_strikes_are_never_asserted(events):
    drones = [e for e in events if "drone" in e["trigger"]["text"].lower() or e["mode"] == "drone"
              or ("USA" in countries(e["source"]) and e["event_type"] == "ASSAULT")]
    assert drones
    assert all(e["modality"] in ("hypothetical", "negated") for e in drones)


def test_benghazi_attack_is_placed_and_dated(events):
    attacks = [e for e in events if e["event_type"] == "ASSAULT" and e["location"]
               and km((e["location"]["lat"], e["location"]["lon"]), BENGHAZI) <= 50]
    assert attacks
    assert attacks[0]["date"]["value"] == "2012-09" and attacks[0]["date"]["precision"] == "month"


def test_france_warns_it_will_stop_the_offensive(events):
    assert any(e["event_type"] == "THREATEN" and "FRA" in countries(e["source"]) for e in events)


def test_nothing_from_caption_or_share_line(events, story):
    caption = story.index("A 2012 map")
    share = story.index("Share Update")
    for e in events:
        start, end = e["evidence"]["start"], e["evidence"]["end"]
        assert not (start <= caption < end) and not (start <= share < end)
        assert story[start:end] == e["evidence"]["text"]
        assert story[e["trigger"]["start"]:e["trigger"]["end"]] == e["trigger"]["text"]
