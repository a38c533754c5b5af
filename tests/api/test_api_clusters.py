"""Clusters and sources over HTTP: the same filters as /events, counts, 404s and 4xx errors."""
from datetime import date

import pytest
from fastapi.testclient import TestClient

from whimbrel.api.app import create_app
from whimbrel.records import Actor, Article, Event, EventDate, Place, Span
from whimbrel.storage.intake import Intake


def _report(article_id, text, lat, event_type="ASSAULT", host=None):
    place = Place("Goma", 0, 4, 215605, "Goma", lat, 29.22, "COD", None, "PPLA", 0.9)
    event = Event(article_id, event_type, Span(text[:5], 0, 5), Span(text, 0, len(text)),
                  source=[Actor("the army", None, "COD", "MIL")], target=[Actor("rebels", None, "COD", "REB")],
                  location=place, date=EventDate("2024-03-04", "day", "on Monday"), confidence=0.8)
    url = f"https://{host or article_id + '.example'}/story"
    return Article(text, id=article_id, published=date(2024, 3, 5), url=url), [event]


@pytest.fixture
def client(store):
    intake = Intake(store, "0.1.0+api-test")
    reports = [
        _report("r1", "Shelled: the army shelled rebel positions near Goma on Monday.", -1.68),
        _report("r2", "Shell fire hit hills outside Goma as troops pushed north.", -1.60),
        _report("r3", "March: teachers marched in the city centre.", -1.68, event_type="PROTEST"),
    ]
    for article, events in reports:
        intake.screen(article)
        intake.save(article, events)
    copy = Article(reports[0][0].text + " (Wire)", id="r1-copy", url="https://wire.example/goma")
    intake.screen(copy)
    return TestClient(create_app(store, api_token=""))


def test_clusters_biggest_first_with_counts(client):
    body = client.get("/api/v1/clusters", params={"modality": "all"}).json()
    assert body["count"] == 2 and body["next_offset"] is None
    biggest = body["clusters"][0]
    assert (biggest["articles"], biggest["sources"], biggest["events"]) == (2, 3, 2)
    assert biggest["representative"]["event_type"] == "ASSAULT"


def test_clusters_take_the_event_filters(client):
    only_protests = client.get("/api/v1/clusters", params={"event_type": "PROTEST"}).json()
    assert [c["representative"]["event_type"] for c in only_protests["clusters"]] == ["PROTEST"]
    assert client.get("/api/v1/clusters", params={"min_articles": 2}).json()["count"] == 1
    first = client.get("/api/v1/clusters", params={"limit": 1}).json()
    assert first["count"] == 1 and first["next_offset"] == 1
    rest = client.get("/api/v1/clusters", params={"limit": 1, "offset": 1}).json()
    assert rest["clusters"][0]["cluster_id"] != first["clusters"][0]["cluster_id"]


def test_one_cluster_and_an_events_cluster(client):
    cluster_id = client.get("/api/v1/clusters").json()["clusters"][0]["cluster_id"]
    cluster = client.get(f"/api/v1/clusters/{cluster_id}").json()
    assert len(cluster["events"]) == 2
    event_id = cluster["events"][0]["event_id"]
    assert client.get(f"/api/v1/events/{event_id}/cluster").json()["cluster_id"] == cluster_id
    assert client.get("/api/v1/clusters/nope").status_code == 404


def test_article_sources(client):
    body = client.get("/api/v1/articles/r1/sources").json()
    assert {s["host"] for s in body["sources"]} == {"r1.example", "wire.example"}
    assert client.get("/api/v1/articles/none/sources").status_code == 404


@pytest.mark.parametrize("params, field", [
    ({"min_articles": "two"}, "min_articles"),
    ({"limit": "0"}, "limit"),
    ({"offset": "-1"}, "offset"),
    ({"colour": "red"}, "colour"),
    ({"since": "yesterday"}, "since"),
])
def test_bad_parameters_are_4xx_naming_the_field(client, params, field):
    response = client.get("/api/v1/clusters", params=params)
    assert 400 <= response.status_code < 500
    assert response.json()["error"]["field"] == field


def test_the_clusters_page_is_served(client):
    page = client.get("/clusters")
    assert page.status_code == 200 and "clusters.js" in page.text
    assert client.get("/static/js/clusters.js").status_code == 200
    assert "/clusters" in client.get("/").text
