"""Reading: every filter, sorting, cursor pagination, stats and GeoJSON, on both backends."""
from datetime import date

import pytest

from whimbrel.storage.filters import EventFilter, FilterError
from whimbrel.storage.synthetic import synthetic_articles
from whimbrel.storage.testing import story_article, story_events


def _filter(**params):
    return EventFilter.parse({name: [value] for name, value in params.items()})


def _types(page):
    return sorted(e["event_type"] for e in page.events)


@pytest.fixture
def story_store(store):
    store.save(story_article(), story_events(), "1.0")
    return store


def test_asserted_events_by_default(story_store):
    page = story_store.events(_filter())
    assert _types(page) == ["AID", "ASSAULT", "ASSAULT", "COERCE", "REQUEST"]
    assert _types(story_store.events(_filter(modality="hypothetical"))) == ["SANCTION"]
    assert len(story_store.events(_filter(modality="all")).events) == 6


def test_event_type_filter_takes_lists_and_old_names(story_store):
    assert _types(story_store.events(_filter(event_type="aid,request"))) == ["AID", "REQUEST"]
    assert _types(story_store.events(_filter(event_type="FIGHT"))) == ["ASSAULT", "ASSAULT"]


def test_country_matches_location_or_any_actor(story_store):
    assert _types(story_store.events(_filter(country="LBY"))) == ["ASSAULT"]
    # USA is only an actor's country (the consulate), never a location here.
    assert _types(story_store.events(_filter(country="usa"))) == ["ASSAULT"]
    assert _types(story_store.events(_filter(country="USA", modality="all"))) == ["ASSAULT", "SANCTION"]


def test_actor_matches_text_or_name_case_insensitively(story_store):
    assert _types(story_store.events(_filter(actor="northland"))) == ["AID", "REQUEST"]
    assert _types(story_store.events(_filter(actor="REBEL"))) == ["ASSAULT", "COERCE"]


def test_actor_text_is_data_not_a_pattern(story_store):
    assert story_store.events(_filter(actor="%")).events == []
    assert story_store.events(_filter(actor="_")).events == []
    assert story_store.events(_filter(actor="' OR 1=1 --")).events == []


def test_sector_filter(story_store):
    assert _types(story_store.events(_filter(sector="REB"))) == ["ASSAULT", "COERCE"]
    assert _types(story_store.events(_filter(sector="uaf"))) == ["ASSAULT"]


def test_since_until_cover_the_whole_period_of_a_month_date(story_store):
    assert _types(story_store.events(_filter(since="2012-03-15", until="2012-03-15"))) == ["ASSAULT"]
    assert _types(story_store.events(_filter(since="2013-01-06"))) == ["AID", "ASSAULT", "REQUEST"]
    assert _types(story_store.events(_filter(until="2013-01-05"))) == ["ASSAULT", "COERCE"]


def test_bbox_selects_by_coordinates(story_store):
    assert _types(story_store.events(_filter(bbox="15,30,25,35"))) == ["ASSAULT"]
    assert _types(story_store.events(_filter(bbox="-10,10,0,14"))) == ["AID", "REQUEST"]
    # A box across the antimeridian holds nothing of ours.
    assert story_store.events(_filter(bbox="170,-50,-170,50")).events == []


def test_q_needs_every_word_in_the_evidence(story_store):
    assert _types(story_store.events(_filter(q="aircraft struck"))) == ["ASSAULT"]
    assert _types(story_store.events(_filter(q="Eastbridge"))) == ["ASSAULT", "COERCE"]
    assert story_store.events(_filter(q="aircraft Lakeside")).events == []


@pytest.mark.parametrize("sort", ["-date", "date", "-confidence", "confidence", "event_type", "-event_type"])
def test_cursor_pages_cover_everything_once_in_order(store, sort):
    for article, events in synthetic_articles(30, seed=3):
        store.save(article, events, "1.0")
    everything = store.events(EventFilter(modalities=(), sort=sort, limit=500)).events
    assert len(everything) == 120
    seen, flt = [], EventFilter(modalities=(), sort=sort, limit=7)
    while True:
        page = store.events(flt)
        seen.extend(e["event_id"] for e in page.events)
        if not page.next_cursor:
            break
        flt = EventFilter.parse({"sort": [sort], "limit": ["7"], "modality": ["all"], "cursor": [page.next_cursor]})
    assert seen == [e["event_id"] for e in everything]
    key = {"date": lambda e: e["date"]["value"], "confidence": lambda e: e["confidence"],
           "event_type": lambda e: e["event_type"]}[sort.lstrip("-")]
    values = [key(e) for e in everything]
    assert values == sorted(values, reverse=sort.startswith("-"))


def test_iter_events_ignores_the_page_limit(store):
    for article, events in synthetic_articles(10, seed=5):
        store.save(article, events, "1.0")
    assert len(list(store.iter_events(EventFilter(modalities=(), limit=3), batch_size=4))) == 40


def test_stats_count_by_type_period_country_and_modality(story_store):
    stats = story_store.stats(EventFilter(modalities=()))
    assert stats["total"] == 6
    assert stats["by_type"] == {"ASSAULT": 2, "AID": 1, "COERCE": 1, "REQUEST": 1, "SANCTION": 1}
    assert stats["by_country"] == {"MLI": 4, "LBY": 1}
    assert stats["by_modality"] == {"asserted": 5, "hypothetical": 1}
    assert stats["by_quad"]["material conflict"] == 3
    assert {"period": "2013-01-07", "counts": {"AID": 1, "REQUEST": 1}} in stats["by_period"]
    monthly = story_store.stats(EventFilter(modalities=()), interval="month")
    assert [p["period"] for p in monthly["by_period"]] == ["2012-03-01", "2013-01-01"]


def test_stats_follow_the_filters(story_store):
    assert story_store.stats(_filter(country="LBY"))["total"] == 1


def test_geojson_has_only_located_events_as_points(story_store):
    collection = story_store.geojson(EventFilter(modalities=(), limit=100))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 5  # the sanction has no place
    first = collection["features"][0]
    assert first["geometry"]["type"] == "Point" and len(first["geometry"]["coordinates"]) == 2
    assert first["properties"]["quad"] in (1, 2, 3, 4)


def test_article_comes_back_with_text_and_its_events(story_store):
    article = story_store.article("story-1")
    assert article["text"] == story_article().text and article["title"] == "Northland sends troops"
    assert len(story_store.article_events("story-1")) == 6
    assert story_store.article("nope") is None and story_store.event("nope") is None


@pytest.mark.parametrize("params, field", [
    ({"event_type": "FLY"}, "event_type"),
    ({"modality": "maybe"}, "modality"),
    ({"country": "France"}, "country"),
    ({"sector": "XYZ"}, "sector"),
    ({"since": "yesterday"}, "since"),
    ({"since": "2013-02-01", "until": "2013-01-01"}, "since"),
    ({"bbox": "1,2,3"}, "bbox"),
    ({"bbox": "0,95,10,96"}, "bbox"),
    ({"sort": "evidence"}, "sort"),
    ({"limit": "0"}, "limit"),
    ({"limit": "ten"}, "limit"),
    ({"cursor": "not-a-cursor"}, "cursor"),
    ({"colour": "red"}, "colour"),
])
def test_bad_filters_name_the_field(params, field):
    with pytest.raises(FilterError) as error:
        _filter(**params)
    assert error.value.field == field


def test_a_cursor_only_fits_its_own_sort(store):
    for article, events in synthetic_articles(5):
        store.save(article, events, "1.0")
    cursor = store.events(EventFilter(modalities=(), limit=2)).next_cursor
    with pytest.raises(FilterError, match="sort"):
        _filter(cursor=cursor, sort="confidence")
    assert _filter(cursor=cursor).cursor.value <= date(2024, 1, 1)
