"""Shared fixtures: the spaCy and whimbrel pipelines (once per session) and a clean store on each backend."""
from pathlib import Path

import pytest

from whimbrel.storage.testing import BACKENDS, POSTGRES_ENV, fresh_store, postgres_url

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from whimbrel.pipeline.text import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def pipeline():
    from whimbrel import default_pipeline

    return default_pipeline()


@pytest.fixture(scope="session")
def shared_dir():
    if not SHARED.is_dir():
        pytest.skip("../shared is absent (the tests that read it skip)")
    return SHARED


def _backend_param(backend):
    marks = []
    if backend == "postgresql":
        marks = [pytest.mark.postgres,
                 pytest.mark.skipif(not postgres_url(), reason=f"{POSTGRES_ENV} not set: no PostgreSQL to test on")]
    return pytest.param(backend, marks=marks, id=backend)


@pytest.fixture(params=[_backend_param(b) for b in BACKENDS])
def backend(request):
    """DuckDB always, PostgreSQL when WHIMBREL_TEST_POSTGRES is set."""
    return request.param


@pytest.fixture
def store(backend, tmp_path):
    store = fresh_store(backend, tmp_path)
    yield store
    store.close()
