"""Coding on a 2-worker Dask LocalCluster gives exactly what one process gives."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from whimbrel.pipeline.ingest import read_inputs
from whimbrel.records import Article

pytestmark = pytest.mark.dask

EXAMPLES = Path(__file__).resolve().parents[2] / "whimbrel" / "examples" / "stories.jsonl"
FEEDS = Path(__file__).resolve().parents[1] / "feeds"


def corpus() -> list[Article]:
    """The bundled stories and the feed tests' stories: enough for several partitions."""
    sys.path.insert(0, str(FEEDS))
    from newsroom import PROTEST, SHELLING, TALKS

    articles = [a for a in read_inputs([str(EXAMPLES)]) if isinstance(a, Article)]
    for i, paragraphs in enumerate((SHELLING, PROTEST, TALKS)):
        articles.append(Article("\n\n".join(paragraphs), id=f"own-{i}"))
    return articles


@pytest.fixture(scope="module")
def client():
    from whimbrel.runners.dask import dask_client

    with dask_client(workers=2) as client:
        yield client


def test_two_workers_give_the_output_of_one_process(client, pipeline):
    from distributed import get_task_stream

    from whimbrel.runners.dask import code_with_dask

    articles = corpus()
    expected = [[e.to_dict() for e in events] for _, events in pipeline.code_articles(articles)]
    with get_task_stream(client) as stream:
        results = list(code_with_dask(articles, client=client, partition_size=2, window=3))
    assert [a.id for a, _ in results] == [a.id for a in articles]  # input order
    assert [[e.to_dict() for e in events] for _, events in results] == expected
    assert sum(map(len, expected)) > 20
    assert len({task["worker"] for task in stream.data}) == 2  # both workers did some of it


def test_articles_in_flight_stay_within_the_window(client):
    from whimbrel.runners.dask import code_with_dask

    pulled = 0

    def articles():
        nonlocal pulled
        for n in range(40):
            pulled += 1
            yield Article(f"Police arrested {n} protesters in the capital on Monday.", id=f"a{n}")

    taken = 0
    for _article, _events in code_with_dask(articles(), client=client, partition_size=4, window=2):
        taken += 1
        assert pulled - taken <= 4 * 2  # a window of two partitions of four, never the corpus
    assert taken == 40


def test_peak_memory_of_each_worker_is_reported(client):
    from whimbrel.runners.dask import worker_peak_memory

    peaks = worker_peak_memory(client)
    assert len(peaks) == 2 and all(100 < mb < 1536 for mb in peaks.values())  # the #6 ceiling: 1.5 GB


def test_the_command_line_on_dask_equals_one_process(tmp_path, pipeline):
    expected = [json.dumps(e.to_dict(), ensure_ascii=False)
                for _, events in pipeline.code_articles(a for a in read_inputs([str(EXAMPLES)])) for e in events]
    result = subprocess.run([sys.executable, "-m", "whimbrel", "code", str(EXAMPLES), "--format", "jsonl",
                             "--executor", "dask", "--workers", "2"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == expected
    assert "Traceback" not in result.stderr and "distributed." not in result.stderr  # no Dask log noise


def test_the_command_line_on_an_existing_scheduler(client, tmp_path, pipeline):
    """--scheduler ADDRESS: any running cluster (here the test's own), nothing started for the run."""
    address = client.scheduler.address
    expected = [json.dumps(e.to_dict(), ensure_ascii=False)
                for _, events in pipeline.code_articles(a for a in read_inputs([str(EXAMPLES)])) for e in events]
    result = subprocess.run([sys.executable, "-m", "whimbrel", "code", str(EXAMPLES), "--format", "jsonl",
                             "--executor", "dask", "--scheduler", address], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == expected
    assert len(client.scheduler_info()["workers"]) == 2  # the cluster is still there, untouched


def test_ingest_on_dask_stores_what_one_process_stores(client, tmp_path, pipeline):
    from whimbrel.storage import open_store

    address = client.scheduler.address
    db = tmp_path / "dask.duckdb"
    result = subprocess.run([sys.executable, "-m", "whimbrel", "ingest", str(EXAMPLES), "--db", str(db),
                             "--executor", "dask", "--scheduler", address], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    coded = list(pipeline.code_articles(a for a in read_inputs([str(EXAMPLES)])))
    with open_store(str(db)) as store:
        assert store.counts() == {"articles": len(coded), "events": sum(len(events) for _, events in coded)}
