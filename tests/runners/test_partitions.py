"""Streaming inputs: JSONL read a line at a time, with the same problems as the ingest stage."""
import io
import json
from pathlib import Path

from whimbrel.pipeline.ingest import InputProblem, read_inputs
from whimbrel.runners.partitions import chunks, stream_inputs, stream_jsonl
from whimbrel.records import Article


def _as_comparable(items):
    return [(type(i).__name__, str(i) if isinstance(i, InputProblem) else (i.id, i.text, i.published, i.source))
            for i in items]


def test_jsonl_lines_are_read_only_as_articles_are_taken():
    consumed = []

    def lines():
        for number in range(1000):
            consumed.append(number)
            yield (json.dumps({"id": str(number), "text": f"Story number {number}."}) + "\n").encode()

    articles = stream_jsonl(lines(), "big.jsonl")
    first = next(articles)
    assert first.id == "0" and first.source == "big.jsonl:1"
    assert len(consumed) == 1  # not the whole corpus


def test_streamed_inputs_match_the_ingest_stage(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_bytes(
        b'{"id": "a", "text": "Rebels seized the town.", "published": "2013-01-12"}\n'
        b"\n"
        b"{broken\n"
        b'{"id": "b", "text": ""}\n'
        b'{"id": "c", "text": "Caf\xe9 owners protested in the capital.", "published": "not a date"}\n'
        b'["a list"]\n'
        b'{"id": "d", "text": "Police arrested 12 protesters.\\u2028They were released."}\n')
    story = tmp_path / "story.txt"
    story.write_text("Troops shelled the hills.\n", encoding="utf-8")
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"\n\n")
    binary = tmp_path / "blob.jsonl"
    binary.write_bytes(b"\x00\x01{}")
    inputs = [str(corpus), str(story), str(empty), str(binary), str(tmp_path / "absent.jsonl"), str(tmp_path)]
    streamed = list(stream_inputs(inputs))
    assert _as_comparable(streamed) == _as_comparable(read_inputs(inputs))
    problems = [str(item) for item in streamed if isinstance(item, InputProblem)]
    assert any(p.startswith(f"{corpus}:3: not valid JSON") for p in problems)
    assert any(p.startswith(f"{corpus}:5: field 'published'") for p in problems)


def test_chunks_are_lazy_and_complete():
    pulled = []

    def numbers():
        for n in range(10):
            pulled.append(n)
            yield n

    parts = chunks(numbers(), 4)
    assert next(parts) == [0, 1, 2, 3] and len(pulled) == 4
    assert list(parts) == [[4, 5, 6, 7], [8, 9]]


def test_stdin_jsonl_is_streamed(monkeypatch):
    data = io.BufferedReader(io.BytesIO(b'{"id": "x", "text": "Talks were held."}\n'))
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(data))
    [article] = list(stream_inputs(["-"]))
    assert isinstance(article, Article) and article.source == "<stdin>:1"
