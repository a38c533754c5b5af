"""Articles: read one back; code text without storing it; ingest with a bearer token.

The POST handlers read their own bodies so that the token is checked before anything of
the body is parsed, and so that a body over the size cap stops the read at once.
"""
from __future__ import annotations

import hmac
import json
import threading

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

from whimbrel.api.errors import ApiError
from whimbrel.api.events import _no_params, store_of
from whimbrel.api.schemas import MAX_ARTICLES_PER_POST, ArticleIn, ArticlesIn, request_body
from whimbrel.pipeline.ingest import InputProblem, article_from_row
from whimbrel.records import Article
from whimbrel.storage.base import UNCHANGED, SaveResult

router = APIRouter(prefix="/api/v1", tags=["articles"])

TOKEN_ENV = "WHIMBREL_API_TOKEN"


@router.get("/articles/{article_id}")
def get_article(article_id: str, request: Request) -> dict:
    """An article with its text and all its events (every modality), in text order."""
    _no_params(request)
    store = store_of(request)
    article = store.article(article_id)
    if article is None:
        raise ApiError(404, "not_found", f"no article {article_id!r}")
    return {"article": article, "events": store.article_events(article_id)}


@router.post("/code", openapi_extra=request_body(ArticleIn, description="One article; nothing is stored."))
async def code_text(request: Request) -> dict:
    """Code one article's text and return its events; nothing is stored."""
    _no_params(request)
    article = _article(await _json_body(request), "body")
    coder = request.app.state.coder
    events = await run_in_threadpool(coder.code, [article])
    return {"article_id": article.id, "pipeline_version": coder.version,
            "events": [event.to_dict() for event in events[0][1]]}


@router.post("/articles", openapi_extra={
    **request_body(ArticleIn, ArticlesIn, description="One article, or {\"articles\": [...]}; coded and stored."),
    "security": [{"bearer": []}],
})
async def ingest_articles(request: Request) -> dict:
    """Code and store articles (needs ``Authorization: Bearer $WHIMBREL_API_TOKEN``).

    Idempotent like ``whimbrel ingest``: an article already stored with the same text and
    pipeline version is left as it is (status ``unchanged``).
    """
    _require_token(request)
    _no_params(request)
    body = await _json_body(request)
    if isinstance(body, dict) and "articles" in body:
        rows = body["articles"]
        if set(body) != {"articles"}:
            raise ApiError(422, "invalid_request", "body: give either one article or {\"articles\": [...]}", "body")
        if not isinstance(rows, list) or not rows or len(rows) > MAX_ARTICLES_PER_POST:
            raise ApiError(422, "invalid_request",
                           f"articles: a list of 1 to {MAX_ARTICLES_PER_POST} articles", "articles")
        articles = [_article(row, f"articles[{i}]") for i, row in enumerate(rows)]
    else:
        articles = [_article(body, "body")]
    store, coder = store_of(request), request.app.state.coder
    results = await run_in_threadpool(coder.code_and_save, store, articles)
    return {"pipeline_version": coder.version, "articles": [r.to_dict() for r in results]}


def _require_token(request: Request) -> None:
    expected = request.app.state.api_token
    if not expected:
        raise ApiError(403, "ingest_disabled",
                       f"ingesting over HTTP is off: start the server with {TOKEN_ENV} set to a secret token")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise ApiError(401, "unauthorized", "send the token as 'Authorization: Bearer <token>'",
                       headers={"WWW-Authenticate": "Bearer"})


async def _json_body(request: Request):
    content_type = request.headers.get("content-type", "")
    if content_type and "json" not in content_type:
        raise ApiError(415, "unsupported_media_type", f"send application/json, not {content_type}")
    raw = await request.body()
    if not raw.strip():
        raise ApiError(400, "malformed_json", "the body is empty; send a JSON object")
    try:
        return json.loads(raw)
    except UnicodeDecodeError:
        raise ApiError(400, "malformed_json", "the body is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise ApiError(400, "malformed_json",
                       f"the body is not valid JSON ({error.msg} at line {error.lineno} column {error.colno})") from None


def _article(row, where: str) -> Article:
    if isinstance(row, dict):
        unknown = sorted(set(row) - set(ArticleIn.model_fields))
        if unknown:
            raise ApiError(422, "invalid_request",
                           f"{where}: unknown field {unknown[0]!r}; known: {', '.join(ArticleIn.model_fields)}",
                           f"{where}.{unknown[0]}")
    article = article_from_row(row, where)
    if isinstance(article, InputProblem):
        field = article.where.split("'")[1] if "'" in article.where else where
        message = f"{article.where}: {article.message}" + (f" ({article.hint})" if article.hint else "")
        raise ApiError(422, "invalid_request", message, field)
    article.source = "api"
    return article


class Coder:
    """The pipeline behind the POST endpoints: loaded on first use, one call at a time.

    spaCy pipelines are not meant to be called from several threads at once, and loading
    one takes seconds, so the server keeps a single instance behind a lock.
    """

    def __init__(self, factory=None, version: str | None = None):
        self._factory = factory
        self._pipeline = None
        self._lock = threading.Lock()
        self._version = version

    @property
    def version(self) -> str:
        if self._version is None:
            import whimbrel

            self._version = whimbrel.PIPELINE_VERSION
        return self._version

    def _loaded(self):
        if self._pipeline is None:
            try:
                if self._factory is None:  # the process-wide pipeline, shared with whimbrel.code()
                    import whimbrel

                    self._pipeline = whimbrel.default_pipeline()
                else:
                    self._pipeline = self._factory()
            except Exception as error:  # a missing model must not take the server down
                raise ApiError(503, "pipeline_unavailable", f"the coding pipeline could not load: {error}") from error
        return self._pipeline

    def code(self, articles: list[Article]):
        with self._lock:
            return list(self._loaded().code_articles(articles))

    def code_and_save(self, store, articles: list[Article]):
        """Code what needs coding and store it; articles already stored are not coded again."""
        results = []
        for article in articles:
            if not store.needs_coding(article, self.version):
                results.append(SaveResult(article.id, UNCHANGED, 0))
                continue
            [(coded, events)] = self.code([article])
            results.append(store.save(coded, events, self.version))
        return results
