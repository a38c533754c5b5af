"""Shared fixtures: the spaCy pipeline and the whimbrel pipeline load once per session."""
from pathlib import Path

import pytest

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
