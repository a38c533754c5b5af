"""A local news site per test, a fetcher with short timeouts, and a coder that counts."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from newsroom import NewsSite  # noqa: E402

from whimbrel.feeds import Fetcher, FetchPolicy  # noqa: E402


@pytest.fixture
def site():
    site = NewsSite()
    yield site
    site.close()


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def fetcher(sleeps):
    # Short timeouts and no real waiting between retries: the delays are recorded instead.
    fetcher = Fetcher(FetchPolicy(timeout=0.5, retries=2, backoff=0.5), sleep=sleeps.append)
    yield fetcher
    fetcher.close()


class CountingCoder:
    """The real pipeline, counting which articles it was asked to code."""

    def __init__(self, pipeline):
        self.pipeline = pipeline
        self.coded: list[str] = []

    def factory(self):
        return self.code

    def code(self, articles):
        for article, events in self.pipeline.code_articles(articles):
            self.coded.append(article.id)
            yield article, events


@pytest.fixture
def coder(pipeline):
    return CountingCoder(pipeline)
