"""POST /api/v1/code and /api/v1/articles with the real pipeline (spaCy and all)."""
import pytest
from fastapi.testclient import TestClient

import whimbrel
from whimbrel.api import create_app
from whimbrel.storage import open_store
from whimbrel.storage.vocabulary import event_types

pytestmark = pytest.mark.slow

STORY = ("Police in Nairobi arrested dozens of protesters on Tuesday after a march against new taxes. "
         "Kenya's interior minister accused opposition leaders of funding the unrest.")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    store = open_store(str(tmp_path_factory.mktemp("pipeline") / "events.duckdb"))
    with TestClient(create_app(store, api_token="t0ken")) as client:
        yield client
    store.close()


def test_code_runs_the_pipeline_and_stores_nothing(client):
    response = client.post("/api/v1/code", json={"text": STORY, "id": "kenya-1", "published": "2024-06-26"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["pipeline_version"] == whimbrel.PIPELINE_VERSION
    assert body["events"], "the story holds an arrest and an accusation"
    for event in body["events"]:
        assert event["article_id"] == "kenya-1" and event["event_type"] in event_types()
        assert STORY[event["trigger"]["start"]:event["trigger"]["end"]] == event["trigger"]["text"]
    assert client.get("/healthz").json()["events"] == 0


def test_ingest_runs_the_pipeline_and_stores_the_same_events(client):
    coded = client.post("/api/v1/code", json={"text": STORY, "id": "kenya-2", "published": "2024-06-26"}).json()
    stored = client.post("/api/v1/articles", json={"text": STORY, "id": "kenya-2", "published": "2024-06-26"},
                         headers={"Authorization": "Bearer t0ken"}).json()
    assert stored["articles"] == [{"id": "kenya-2", "status": "inserted", "events": len(coded["events"])}]
    article = client.get("/api/v1/articles/kenya-2").json()
    assert sorted(e["event_id"] for e in article["events"]) == sorted(e["event_id"] for e in coded["events"])
