"""The read side of the HTTP API, in process, on both backends."""
import pytest
from fastapi.testclient import TestClient

from whimbrel.api import create_app
from whimbrel.storage.migrations import all_migrations
from whimbrel.storage.synthetic import synthetic_articles
from whimbrel.storage.testing import story_article, story_events


@pytest.fixture
def client(store):
    store.save(story_article(), story_events(), "1.0")
    with TestClient(create_app(store, api_token="")) as client:
        yield client


def _error(response, status):
    assert response.status_code == status, response.text
    body = response.json()["error"]
    assert body["code"] and body["message"]
    return body


def test_healthz_says_what_is_served(client, backend):
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["backend"] == backend
    assert (body["articles"], body["events"]) == (1, 6)
    assert body["schema_version"] == all_migrations()[-1].version


def test_events_default_to_asserted_newest_first(client):
    body = client.get("/api/v1/events").json()
    assert body["count"] == 5 and body["next_cursor"] is None
    dates = [e["date"]["value"] for e in body["events"]]
    assert dates == sorted(dates, reverse=True)
    assert {e["modality"] for e in body["events"]} == {"asserted"}


def test_events_filters_combine(client):
    body = client.get("/api/v1/events", params={"event_type": "ASSAULT", "country": "MLI", "q": "struck"}).json()
    assert [e["trigger"]["text"] for e in body["events"]] == ["struck"]
    repeated = client.get("/api/v1/events?event_type=AID&event_type=REQUEST").json()
    assert sorted(e["event_type"] for e in repeated["events"]) == ["AID", "REQUEST"]


def test_cursor_pagination_walks_every_event(store):
    for article, events in synthetic_articles(12, seed=11):
        store.save(article, events, "1.0")
    with TestClient(create_app(store)) as client:
        seen, params = [], {"limit": "5", "modality": "all", "sort": "-confidence"}
        while True:
            body = client.get("/api/v1/events", params=params).json()
            seen += [e["event_id"] for e in body["events"]]
            if not body["next_cursor"]:
                break
            params["cursor"] = body["next_cursor"]
    assert len(seen) == len(set(seen)) == 48


def test_geojson_is_a_feature_collection(client):
    response = client.get("/api/v1/events.geojson", params={"modality": "all"})
    assert response.headers["content-type"].startswith("application/geo+json")
    features = response.json()["features"]
    assert len(features) == 5
    lon, lat = features[0]["geometry"]["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90
    assert {"event_type", "quad", "modality", "date", "place", "source", "target"} <= set(features[0]["properties"])


def test_one_event_comes_with_its_article(client):
    event = story_events()[3]
    body = client.get(f"/api/v1/events/{event.event_id}").json()
    assert body["event"] == event.to_dict()
    assert body["article"]["id"] == "story-1" and "text" not in body["article"]
    assert body["quad_name"] == "material conflict"


def test_article_comes_with_text_and_all_events(client):
    body = client.get("/api/v1/articles/story-1").json()
    assert body["article"]["text"] == story_article().text
    assert len(body["events"]) == 6


def test_stats_count_by_type_period_and_country(client):
    body = client.get("/api/v1/stats", params={"modality": "all"}).json()
    assert body["total"] == 6 and body["by_type"]["ASSAULT"] == 2
    assert body["by_country"] == {"MLI": 4, "LBY": 1}
    assert body["by_period"][0] == {"period": "2012-03-01", "counts": {"ASSAULT": 1}}
    assert client.get("/api/v1/stats", params={"interval": "month"}).json()["interval"] == "month"


def test_vocabulary_lists_the_sixteen_types(client):
    body = client.get("/api/v1/vocabulary").json()
    assert len(body["event_types"]) == 16 and body["quads"]["4"] == "material conflict"


@pytest.mark.parametrize("url, status, field", [
    ("/api/v1/events?colour=red", 400, "colour"),
    ("/api/v1/events?event_type=FLY", 400, "event_type"),
    ("/api/v1/events?limit=100000", 400, "limit"),
    ("/api/v1/events?limit=abc", 400, "limit"),
    ("/api/v1/events?since=12/01/2013", 400, "since"),
    ("/api/v1/events?bbox=1,2", 400, "bbox"),
    ("/api/v1/events?cursor=%%%", 400, "cursor"),
    ("/api/v1/events?sort=1;DROP%20TABLE%20events", 400, "sort"),
    ("/api/v1/events.geojson?cursor=abc", 400, "cursor"),
    ("/api/v1/stats?interval=hour", 400, "interval"),
    ("/api/v1/stats?limit=5", 400, "limit"),
    ("/api/v1/events/abc?x=1", 400, "x"),
])
def test_bad_queries_get_a_json_error_naming_the_field(client, url, status, field):
    assert _error(client.get(url), status).get("field") == field


def test_unknown_things_are_json_404s(client):
    _error(client.get("/api/v1/events/nope"), 404)
    _error(client.get("/api/v1/articles/nope"), 404)
    _error(client.get("/api/v2/whatever"), 404)
    _error(client.delete("/api/v1/events"), 405)


def test_hostile_values_are_data(client, store):
    for value in ("'; DROP TABLE events; --", "%", "\\", "x' OR '1'='1"):
        assert client.get("/api/v1/events", params={"actor": value, "q": value}).json()["events"] == []
    assert store.counts()["events"] == 6


def test_a_failing_store_gives_500_and_the_server_goes_on(client, store, monkeypatch):
    def broken(flt):
        raise RuntimeError("database went away")

    monkeypatch.setattr(store, "events", broken)
    with TestClient(client.app, raise_server_exceptions=False) as fragile:
        _error(fragile.get("/api/v1/events"), 500)
        monkeypatch.undo()
        assert fragile.get("/api/v1/events").status_code == 200


def test_openapi_documents_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/events", "/api/v1/events.geojson", "/api/v1/events/{event_id}",
                 "/api/v1/articles/{article_id}", "/api/v1/stats", "/api/v1/code", "/api/v1/articles", "/healthz"):
        assert path in paths
    names = {p["name"] for p in paths["/api/v1/events"]["get"]["parameters"]}
    assert {"event_type", "modality", "country", "actor", "sector", "since", "until", "bbox", "q",
            "sort", "cursor", "limit"} <= names
    assert "requestBody" in paths["/api/v1/articles"]["post"]
