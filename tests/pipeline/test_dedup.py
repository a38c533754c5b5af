"""The dedup stage: URL variants, exact and near copies, and events of one happening."""
import copy

import pytest

from whimbrel.pipeline.dedup import (NearDuplicateIndex, canonical_url, cluster_events, content_key,
                                     decode_fingerprint, encode_fingerprint, fingerprint, haversine_km,
                                     same_happening, url_host)

# --- URLs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", [
    "https://www.example.com/world/story-1",
    "http://example.com/world/story-1",
    "HTTPS://EXAMPLE.COM:443/world/story-1/",
    "https://example.com/world/story-1#comments",
    "https://example.com/world/story-1?utm_source=rss&utm_medium=feed",
    "https://example.com/world/story-1?fbclid=abc123",
    "https://example.com/world/story-1/amp",
    "https://amp.example.com/world/story-1?outputType=amp",
    "https://m.example.com/world/story-1?cmpid=share",
])
def test_url_variants_of_one_page_share_a_canonical_url(variant):
    assert canonical_url(variant) == "https://example.com/world/story-1"


def test_canonical_url_keeps_what_chooses_the_article():
    assert canonical_url("https://example.com/story?id=7&utm_source=x") == "https://example.com/story?id=7"
    assert canonical_url("https://example.com/story?b=2&a=1") == canonical_url("https://example.com/story?a=1&b=2")
    assert canonical_url("https://example.com/story?id=7") != canonical_url("https://example.com/story?id=8")
    assert canonical_url("https://example.com/a/1") != canonical_url("https://example.org/a/1")
    assert canonical_url("http://127.0.0.1:8080/a") != canonical_url("http://127.0.0.1:9090/a")  # ports matter


def test_url_host_names_the_outlet():
    assert url_host("https://www.example.com/a") == "example.com"
    assert url_host("tests/stories.jsonl:3") is None
    assert url_host(None) is None


# --- texts ----------------------------------------------------------------------------------

STORY = (
    "Government troops shelled rebel positions near the eastern city of Goma on Monday, residents said, "
    "as fighting spread along the main road north of the city. The army said its artillery had hit "
    "fighters who had advanced towards Sake over the weekend. Aid groups said thousands of families had "
    "fled the area in the past three days and were sheltering in schools and churches on the edge of "
    "the city. The United Nations mission called on both sides to stop the fighting."
)
OTHER = (
    "Thousands of teachers marched through the centre of Nairobi on Tuesday to demand higher pay, "
    "blocking traffic on several roads near parliament. Police fired tear gas at protesters who tried "
    "to reach the finance ministry, and several people were arrested, witnesses said. The union said "
    "the strike would go on until the government agreed to talks on a new pay deal."
)


def test_content_key_ignores_case_spacing_and_punctuation():
    assert content_key(STORY) == content_key(STORY.upper().replace(" ", "  ").replace(",", ""))
    assert content_key("Rebels took Konna.") != content_key("Rebels took Mopti.")
    assert content_key("Café") == content_key("Cafe")


def test_wire_copy_with_its_own_dateline_and_signoff_is_a_near_duplicate():
    index = NearDuplicateIndex()
    index.add("original", fingerprint(STORY))
    index.add("other", fingerprint(OTHER))
    copy_text = "GOMA, Congo (Wire) - " + STORY + " Reporting by the Wire desk; editing by the night editor."
    assert index.find(fingerprint(copy_text)) == "original"


def test_a_trimmed_copy_is_still_found_and_unrelated_stories_are_not():
    index = NearDuplicateIndex()
    index.add("original", fingerprint(STORY))
    trimmed = STORY.rsplit(". ", 1)[0] + "."  # the last sentence cut, as outlets do
    assert index.find(fingerprint(trimmed)) == "original"
    assert index.find(fingerprint(OTHER)) is None
    # A story on the same subject in other words is a different article.
    retold = ("Artillery fire hit rebel-held hills outside Goma early on Monday as the army tried to push "
              "fighters back from Sake; families fled towards the city, where churches took them in.")
    assert index.find(fingerprint(retold)) is None


def test_fingerprints_survive_storage_as_text():
    signature = fingerprint(STORY)
    again = decode_fingerprint(encode_fingerprint(signature))
    assert again.jaccard(signature) == 1.0
    assert again.jaccard(fingerprint(OTHER)) < 0.2


def test_fingerprints_are_deterministic():
    assert encode_fingerprint(fingerprint(STORY)) == encode_fingerprint(fingerprint(STORY))


# --- events ---------------------------------------------------------------------------------

def record(event_id, article_id="a1", event_type="ASSAULT", modality="asserted", lat=-1.68, lon=29.22,
           day="2024-03-04", precision="day", actors=(("FRA", "MIL", None),)):
    return {
        "event_id": event_id, "article_id": article_id, "event_type": event_type, "modality": modality,
        "source": [{"text": "x", "name": name, "country": country, "sector": sector}
                   for country, sector, name in actors],
        "target": [],
        "location": None if lat is None else {"lat": lat, "lon": lon},
        "date": None if day is None else {"value": day, "precision": precision},
    }


def test_haversine_distances():
    assert haversine_km(0, 0, 0, 1) == pytest.approx(111.2, abs=0.2)
    assert haversine_km(-1.68, 29.22, -1.68, 29.22) == 0


def test_same_happening_in_two_articles():
    a = record("e1", "a1")
    b = record("e2", "a2", lat=-1.60, lon=29.10, day="2024-03-05")  # ~16 km away, the next day
    assert same_happening(a, b)


@pytest.mark.parametrize("change", [
    {"event_type": "PROTEST"},
    {"modality": "hypothetical"},
    {"lat": -1.68, "lon": 29.80},           # ~64 km east
    {"day": "2024-03-06"},                  # two days later
    {"actors": (("RWA", "MIL", None),)},    # nobody in common
    {"lat": None},                          # no place
    {"day": None},                          # no date
    {"day": "2024", "precision": "year"},   # a year says too little
    {"actors": ()},                         # no actors
])
def test_not_the_same_happening(change):
    assert not same_happening(record("e1"), record("e2", "a2", **change))


def test_actors_overlap_by_name_or_by_country_when_a_sector_is_missing():
    by_name = record("e2", "a2", actors=((None, "REB", "M23"),))
    assert same_happening(record("e1", actors=((None, "REB", "M23"),)), by_name)
    assert same_happening(record("e1", actors=(("FRA", None, None),)), record("e2", "a2"))
    assert not same_happening(record("e1", actors=(("FRA", "GOV", None),)),
                              record("e2", "a2", actors=(("FRA", "REB", None),)))


def test_month_dates_overlapping_a_day_match():
    assert same_happening(record("e1", day="2012-09", precision="month"), record("e2", "a2", day="2012-09-11"))


def test_clusters_are_connected_components_named_by_their_smallest_id():
    chain = [record("e3", "a1", lon=29.22), record("e1", "a2", lon=29.60), record("e2", "a3", lon=29.98)]
    alone = record("e4", "a4", event_type="PROTEST")
    clusters = cluster_events(chain + [alone])
    # e3-e1 are ~42 km apart and e1-e2 too, e3-e2 ~85 km: linked through e1.
    assert clusters == {"e1": "e1", "e2": "e1", "e3": "e1", "e4": "e4"}


def test_clusters_do_not_depend_on_input_order():
    records = [record(f"e{i}", f"a{i}", lon=29.0 + 0.2 * (i % 3), day=f"2024-03-0{1 + i % 4}") for i in range(9)]
    records.append(record("x1", "b1", event_type="PROTEST"))
    first = cluster_events(records)
    assert cluster_events(list(reversed(records))) == first
    shuffled = copy.deepcopy(records[3:] + records[:3])
    assert cluster_events(shuffled) == first
