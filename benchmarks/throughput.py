"""Throughput of whimbrel end to end beside spaCy's own pipeline, on the same texts.

    .venv/bin/python benchmarks/throughput.py [--limit N] [--processes N]

Each side runs in a fresh child process so that its peak memory is its own.
Reports articles/s, words/s, peak resident memory (of the side's process, and with
several processes of its largest worker) and the ratio whimbrel/spaCy.

Both sides include starting their workers and loading their models, as a user's run does.
"""
from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import GOLD, read_jsonl, write_result  # noqa: E402


def spacy_side(texts: list[str], processes: int, queue) -> None:
    import spacy

    from whimbrel.pipeline.text import SPACY_MODEL

    nlp = spacy.load(SPACY_MODEL)
    nlp(texts[0])  # warm up
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64, n_process=processes):
        pass
    queue.put((time.perf_counter() - started, peak_mb(), worker_peak_mb()))


def whimbrel_side(texts: list[str], processes: int, queue) -> None:
    from whimbrel.records import Article
    from whimbrel.runners.local import code_with_processes

    if processes == 1:
        from whimbrel import default_pipeline

        default_pipeline().code(Article(texts[0]))  # warm up: load models before timing
    articles = [Article(text, id=str(i)) for i, text in enumerate(texts)]
    started = time.perf_counter()
    events = sum(len(found) for _, found in code_with_processes(articles, processes))
    elapsed = time.perf_counter() - started
    queue.put((elapsed, peak_mb(), worker_peak_mb(), events))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_peak_mb() -> float | None:
    """The largest peak of the worker processes, once they have ended (None without workers).

    An upper bound: Linux starts a child's high-water mark at its parent's size when it forks.
    """
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return peak or None


def run_side(target, texts, processes):
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=target, args=(texts, processes, queue))
    child.start()
    result = queue.get()
    child.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    rows = read_jsonl(GOLD / "lgl.jsonl")[: args.limit]
    texts = [row["text"] for row in rows]
    words = sum(len(text.split()) for text in texts)

    spacy_seconds, spacy_mb, spacy_workers_mb = run_side(spacy_side, texts, args.processes)
    whimbrel_seconds, whimbrel_mb, whimbrel_workers_mb, events = run_side(whimbrel_side, texts, args.processes)
    result = {
        "corpus": "lgl.jsonl", "articles": len(texts), "words": words, "processes": args.processes,
        "spacy": {"seconds": round(spacy_seconds, 2), "articles_per_s": round(len(texts) / spacy_seconds, 1),
                  "words_per_s": round(words / spacy_seconds), "peak_mb": round(spacy_mb),
                  "worker_peak_mb": spacy_workers_mb and round(spacy_workers_mb)},
        "whimbrel": {"seconds": round(whimbrel_seconds, 2),
                     "articles_per_s": round(len(texts) / whimbrel_seconds, 1),
                     "words_per_s": round(words / whimbrel_seconds), "peak_mb": round(whimbrel_mb),
                     "worker_peak_mb": whimbrel_workers_mb and round(whimbrel_workers_mb),
                     "events": events},
        "ratio_whimbrel_to_spacy": round(spacy_seconds / whimbrel_seconds, 3),
    }
    for side in ("spacy", "whimbrel"):
        r = result[side]
        workers = f", largest worker {r['worker_peak_mb']} MB" if args.processes > 1 else ""
        print(f"{side:9} {r['articles_per_s']:8.1f} articles/s {r['words_per_s']:9,d} words/s "
              f"peak {r['peak_mb']:5d} MB{workers}  ({r['seconds']} s)")
    print(f"whimbrel runs at {result['ratio_whimbrel_to_spacy']:.2f} of spaCy's speed "
          f"({len(texts)} articles, {words:,} words, {args.processes} process(es)); {events} events")
    print("written", write_result(f"throughput-p{args.processes}", result))


if __name__ == "__main__":
    main()
