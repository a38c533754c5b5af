"""whimbrel: news in, PLOVER political event records out; offline, on one laptop or a Dask cluster.

    >>> import whimbrel
    >>> events = whimbrel.code("Rebels seized the town of Konna on Thursday.", published="2013-01-12")
    >>> events[0].event_type
    'COERCE'
"""
from __future__ import annotations

import hashlib
from datetime import date
from functools import cache
from importlib import resources

from whimbrel.records import Actor, Article, Event, EventDate, Place, Span

__version__ = "0.1.0"
__all__ = ["code", "Pipeline", "Article", "Event", "Actor", "Place", "EventDate", "Span",
           "__version__", "PIPELINE_VERSION"]


def __getattr__(name: str):
    # Lazy so that `import whimbrel` stays cheap: spaCy loads only when coding starts.
    if name == "Pipeline":
        from whimbrel.pipeline.pipeline import Pipeline

        return Pipeline
    if name == "PIPELINE_VERSION":
        return pipeline_version()
    raise AttributeError(f"module 'whimbrel' has no attribute {name!r}")


@cache
def pipeline_version() -> str:
    """The package version plus a digest of the knowledge and models it codes with.

    Stored with every coded article, so that a store knows which articles a newer
    pipeline should re-code.
    """
    digest = hashlib.sha1()
    for folder in ("knowledge/data", "models"):
        root = resources.files("whimbrel").joinpath(folder)
        if not root.is_dir():
            continue
        for item in sorted(root.iterdir(), key=lambda p: p.name):
            if item.is_file():
                digest.update(item.name.encode())
                digest.update(item.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:8]}"


@cache
def default_pipeline():
    from whimbrel.pipeline.pipeline import Pipeline

    return Pipeline()


def code(text: str, published: date | str | None = None, article_id: str | None = None,
         title: str | None = None, url: str | None = None) -> list[Event]:
    """Code one article's text into events (loads the pipeline on first call)."""
    from whimbrel.pipeline.ingest import parse_published

    when = parse_published(published, "published")
    if not isinstance(when, (date, type(None))):
        raise ValueError(str(when))
    article = Article(text=text, id=article_id, title=title, published=when, url=url)
    return default_pipeline().code(article)
