"""Request bodies of the POST endpoints, for validation messages and the OpenAPI document.

Bodies are parsed by the handlers themselves (after the token check and the size cap), with
the same article rules as JSONL input (``whimbrel.pipeline.ingest.article_from_row``).
"""
from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

MAX_ARTICLES_PER_POST = 100


class ArticleIn(BaseModel):
    """One article, as a JSONL input line."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="The article text; event offsets point into it exactly.")
    id: str | None = Field(None, description="Your id for it; a hash of the text when absent.")
    title: str | None = None
    published: date | None = Field(None, description="Publication date, YYYY-MM-DD: relative dates resolve from it.")
    url: str | None = None


class ArticlesIn(BaseModel):
    """Several articles at once (up to 100)."""

    model_config = ConfigDict(extra="forbid")

    articles: list[ArticleIn] = Field(min_length=1, max_length=MAX_ARTICLES_PER_POST)


def request_body(*models: type[BaseModel], description: str) -> dict:
    """``openapi_extra`` declaring a JSON body that is one of ``models``."""
    schemas = [model.model_json_schema() for model in models]
    schema = schemas[0] if len(schemas) == 1 else {"oneOf": schemas}
    return {"requestBody": {"required": True, "description": description,
                            "content": {"application/json": {"schema": schema}}}}
