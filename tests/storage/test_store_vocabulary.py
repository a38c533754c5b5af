"""The PLOVER crosswalk data file and the synthetic load-test data."""
from whimbrel.records import Event, Span
from whimbrel.storage.synthetic import synthetic_records
from whimbrel.storage.vocabulary import cameo_root, canonical_event_type, event_types, quad_of


def test_every_plover_type_has_a_quad_and_a_cameo_root():
    assert len(event_types()) == 16
    for event_type in event_types():
        assert quad_of(event_type) in (1, 2, 3, 4)
        root = cameo_root(event_type)
        assert root and 3 <= int(root.code) <= 20


def test_modes_pick_the_cameo_root_where_they_decide_it():
    assert cameo_root("ASSAULT", "aerial").code == "19"
    assert cameo_root("ASSAULT", "abduct").code == "18"
    assert cameo_root("ASSAULT", "unconventional").code == "20"
    assert cameo_root("ACCUSE", "investigate").code == "09"
    assert cameo_root("ACCUSE").code == "11"


def test_old_names_map_to_todays_types():
    assert canonical_event_type("demand") == "REQUEST"
    assert canonical_event_type("FIGHT") == "ASSAULT"
    assert canonical_event_type("dance") is None


def test_synthetic_records_are_schema_v1_with_stable_ids():
    articles = list(synthetic_records(10, events_per_article=4))
    assert sum(len(records) for _, records in articles) == 10
    article, records = articles[0]
    for record in records:
        event = Event(record["article_id"], record["event_type"], Span(**record["trigger"]), Span(**record["evidence"]))
        assert record["event_id"] == event.event_id
        assert article["text"][record["trigger"]["start"]:record["trigger"]["end"]] == record["trigger"]["text"]
        assert article["text"][record["evidence"]["start"]:record["evidence"]["end"]] == record["evidence"]["text"]
