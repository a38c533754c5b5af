"""Coding on local worker processes, each with its own pipeline, in input order."""
from __future__ import annotations

import multiprocessing
from itertools import islice
from typing import Iterable, Iterator

from whimbrel.records import Article, Event

CHUNK = 16  # articles per task: enough for nlp.pipe batching, small enough to keep order cheap

_pipeline = None


def _start_worker() -> None:
    global _pipeline
    from whimbrel.pipeline.pipeline import Pipeline

    _pipeline = Pipeline()


def _code_chunk(articles: list[Article]) -> list[tuple[Article, list[Event]]]:
    return list(_pipeline.code_articles(articles))


def chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def code_with_processes(articles: Iterable[Article], processes: int) -> Iterator[tuple[Article, list[Event]]]:
    """Code articles on ``processes`` workers; results come back in input order."""
    if processes <= 1:
        from whimbrel import default_pipeline

        yield from default_pipeline().code_articles(articles)
        return
    context = multiprocessing.get_context("spawn")  # fork would copy a half-loaded spaCy model
    with context.Pool(processes, initializer=_start_worker) as pool:
        for results in pool.imap(_code_chunk, chunks(articles, CHUNK)):
            yield from results
