"""The HTTP API and dashboard as one FastAPI application.

    >>> from whimbrel.storage import open_store
    >>> app = create_app(open_store("whimbrel.duckdb"))   # then: uvicorn.run(app)
"""
from __future__ import annotations

import os

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware

import whimbrel
from whimbrel.api import articles, clusters, dashboard, events
from whimbrel.api.errors import install_error_handlers
from whimbrel.api.limits import DEFAULT_MAX_BODY, BodySizeLimit
from whimbrel.storage.base import EventStore

DESCRIPTION = """\
PLOVER political events coded from news by whimbrel: who did what to whom, where and when.
Every event is a schema v1 record (see the project's DESIGN.md). Errors are JSON:
`{"error": {"code", "message", "field"?}}`.
"""


def create_app(store: EventStore, *, api_token: str | None = None, max_body: int = DEFAULT_MAX_BODY,
               pipeline_factory=None, pipeline_version: str | None = None) -> FastAPI:
    """The application over ``store``.

    ``api_token`` enables POST /api/v1/articles (default: $WHIMBREL_API_TOKEN; without one,
    ingesting over HTTP is refused). ``pipeline_factory`` builds the coder for the POST
    endpoints on first use (default: ``whimbrel.Pipeline``).
    """
    app = FastAPI(title="whimbrel", version=whimbrel.__version__, description=DESCRIPTION,
                  openapi_url="/openapi.json", docs_url="/docs", redoc_url=None)
    app.state.store = store
    app.state.api_token = api_token if api_token is not None else os.environ.get(articles.TOKEN_ENV) or None
    app.state.coder = articles.Coder(pipeline_factory, pipeline_version)
    install_error_handlers(app)
    app.include_router(events.router)
    app.include_router(articles.router)
    app.include_router(clusters.router)
    app.include_router(clusters.pages)
    app.include_router(dashboard.router)
    app.mount("/static", StaticFiles(directory=dashboard.static_folder()), name="static")

    @app.get("/healthz", tags=["meta"])
    def healthz(request: Request) -> dict:
        """Liveness and what the server is serving."""
        store: EventStore = request.app.state.store
        return {"status": "ok", "version": whimbrel.__version__, "backend": store.backend,
                "schema_version": store.schema_version(), **store.counts()}

    app.add_middleware(GZipMiddleware, minimum_size=2048)
    app.add_middleware(BodySizeLimit, max_bytes=max_body)
    _add_security_scheme(app)
    return app


def _add_security_scheme(app: FastAPI) -> None:
    """Declare the bearer token in the OpenAPI document (the check itself is in articles.py)."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        schema.setdefault("components", {}).setdefault("securitySchemes", {})["bearer"] = {
            "type": "http", "scheme": "bearer", "description": "the value of WHIMBREL_API_TOKEN"}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi
