"""The dashboard's pages and assets, all served from the package: no CDN, no tile server."""
from __future__ import annotations

from importlib import resources

from fastapi import APIRouter
from fastapi.responses import FileResponse

router = APIRouter(include_in_schema=False)

WEB = resources.files("whimbrel.web")


def _page(name: str) -> FileResponse:
    # Pages are static HTML; their scripts read the API, so one copy serves every event.
    return FileResponse(str(WEB.joinpath("templates", name)), media_type="text/html",
                        headers={"Cache-Control": "no-cache"})


@router.get("/")
def index() -> FileResponse:
    return _page("index.html")


@router.get("/events/{event_id}")
def event_page(event_id: str) -> FileResponse:
    return _page("event.html")


@router.get("/articles/{article_id}")
def article_page(article_id: str) -> FileResponse:
    return _page("article.html")


def static_folder() -> str:
    return str(WEB.joinpath("static"))
