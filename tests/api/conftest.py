"""A clean store on each backend: DuckDB always, PostgreSQL when WHIMBREL_TEST_POSTGRES is set."""
import pytest

from whimbrel.storage.testing import BACKENDS, POSTGRES_ENV, fresh_store, postgres_url


def _backend_param(backend):
    marks = []
    if backend == "postgresql":
        marks = [pytest.mark.postgres,
                 pytest.mark.skipif(not postgres_url(), reason=f"{POSTGRES_ENV} not set: no PostgreSQL to test on")]
    return pytest.param(backend, marks=marks, id=backend)


@pytest.fixture(params=[_backend_param(b) for b in BACKENDS])
def backend(request):
    return request.param


@pytest.fixture
def store(backend, tmp_path):
    store = fresh_store(backend, tmp_path)
    yield store
    store.close()
