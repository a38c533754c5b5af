"""Scale: whimbrel on N local processes beside spaCy on N processes, and Dask 1 vs 2 workers.

    .venv/bin/python benchmarks/scale.py local [--limit N] [--processes 2]
    .venv/bin/python benchmarks/scale.py dask  [--limit N] [--workers 2]
    .venv/bin/python benchmarks/scale.py stream [--size-mb 1024] [--seconds 300] [--code-options "..."]

Both measure steady-state throughput on ../shared/gold/lgl.jsonl: every worker has loaded
its model before the clock starts (loading is a one-off of seconds, reported apart).

local: a pool of N processes with spaCy's own pipeline (same model, ``nlp.pipe``) and a
pool of N processes with the whole whimbrel pipeline, fed the same texts in chunks of 16
as ``whimbrel code --processes N`` does. spaCy runs before and after whimbrel and its two
speeds are averaged, so that load from other jobs on the machine hits both sides alike.

dask: a LocalCluster of 1 worker, then of N workers, then of 1 again (averaged), each
coding the corpus through ``code_with_dask``.

Both report articles/s, words/s, peak resident memory of each worker, the ratios, and the
machine's load average during each pass (other jobs share the cores).

stream: writes a JSONL corpus of ``--size-mb`` (LGL texts over and over, each line its own
id) to a temporary folder, runs ``whimbrel code`` on it with ``--code-options`` for
``--seconds``, and samples the resident memory of the command and of its worker processes
every few seconds: flat lines mean the corpus streams through. For contrast it also reports
the peak memory of reading the same file whole (what ``ingest.read_inputs`` does).
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import GOLD, read_jsonl, write_result  # noqa: E402

CHUNK = 16
_nlp = None


# -- local workers -------------------------------------------------------------------------

def _start_spacy() -> None:
    global _nlp
    import spacy

    from whimbrel.pipeline.text import SPACY_MODEL

    _nlp = spacy.load(SPACY_MODEL)


def _spacy_chunk(texts: list[str]) -> tuple[int, int, float]:
    from whimbrel.runners.dask import peak_memory_mb

    count = sum(1 for _ in _nlp.pipe(texts, batch_size=64))
    return count, os.getpid(), peak_memory_mb()


def _start_whimbrel() -> None:
    from whimbrel.runners import local

    local._start_worker()


def _whimbrel_chunk(texts: list[str]):
    from whimbrel.records import Article
    from whimbrel.runners import local

    # The same work and the same traffic as the runner: events come back to the parent.
    from whimbrel.runners.dask import peak_memory_mb

    results = local._code_chunk([Article(text) for text in texts])
    return results, os.getpid(), peak_memory_mb()  # the worker's own peak (VmHWM), not its parent's


def pool_pass(initializer, work, texts: list[str], processes: int) -> dict:
    """Start a pool, wait until every worker is loaded, then time the corpus through it."""
    context = multiprocessing.get_context("spawn")
    loading = time.perf_counter()
    with context.Manager() as manager, context.Pool(processes, initializer=initializer) as pool:
        # One tiny task per worker, held until all have started: each has loaded its model.
        barrier = manager.Barrier(processes)
        pool.map(_wait_at, [barrier] * processes, chunksize=1)
        load_seconds = time.perf_counter() - loading
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        peaks: dict[int, float] = {}
        events = 0
        for result, pid, peak in pool.imap(work, [texts[i:i + CHUNK] for i in range(0, len(texts), CHUNK)]):
            peaks[pid] = max(peaks.get(pid, 0.0), peak)
            if isinstance(result, list):
                events += sum(len(found) for _, found in result)
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "load_seconds": round(load_seconds, 1), "worker_peak_mb": sorted(peaks.values()),
            "events": events, "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)]}


def _wait_at(barrier) -> None:
    barrier.wait(timeout=600)


def run_local(texts: list[str], words: int, processes: int) -> dict:
    sides = {}
    print(f"spaCy, {processes} processes ...", flush=True)
    first = pool_pass(_start_spacy, _spacy_chunk, texts, processes)
    print(f"whimbrel, {processes} processes ...", flush=True)
    sides["whimbrel"] = pool_pass(_start_whimbrel, _whimbrel_chunk, texts, processes)
    print(f"spaCy again, {processes} processes ...", flush=True)
    second = pool_pass(_start_spacy, _spacy_chunk, texts, processes)
    sides["spacy"] = {**second, "seconds": (first["seconds"] + second["seconds"]) / 2,
                      "passes_seconds": [round(first["seconds"], 2), round(second["seconds"], 2)],
                      "load_average": first["load_average"] + second["load_average"],
                      "worker_peak_mb": [max(a, b) for a, b in zip(first["worker_peak_mb"], second["worker_peak_mb"])]}
    result = {"mode": "local", "processes": processes}
    for name, side in sides.items():
        result[name] = _rates(side, len(texts), words)
    result["ratio_whimbrel_to_spacy"] = round(sides["spacy"]["seconds"] / sides["whimbrel"]["seconds"], 3)
    return result


# -- dask --------------------------------------------------------------------------------

def dask_pass(articles, workers: int) -> dict:
    from whimbrel.runners.dask import code_with_dask, dask_client, worker_peak_memory

    loading = time.perf_counter()
    with dask_client(workers=workers, memory_limit=None) as client:
        client.wait_for_workers(workers)
        load_seconds = time.perf_counter() - loading
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        events = sum(len(found) for _, found in code_with_dask(articles, client=client))
        seconds = time.perf_counter() - started
        peaks = worker_peak_memory(client)
    return {"seconds": seconds, "load_seconds": round(load_seconds, 1), "events": events,
            "worker_peak_mb": sorted(round(mb) for mb in peaks.values()),
            "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)]}


def run_dask(texts: list[str], words: int, workers: int) -> dict:
    from whimbrel.records import Article

    articles = [Article(text, id=str(i)) for i, text in enumerate(texts)]
    print("dask, 1 worker ...", flush=True)
    one_first = dask_pass(articles, 1)
    print(f"dask, {workers} workers ...", flush=True)
    many = dask_pass(articles, workers)
    print("dask, 1 worker again ...", flush=True)
    one_second = dask_pass(articles, 1)
    one = {**one_second, "seconds": (one_first["seconds"] + one_second["seconds"]) / 2,
           "passes_seconds": [round(one_first["seconds"], 2), round(one_second["seconds"], 2)],
           "load_average": one_first["load_average"] + one_second["load_average"]}
    assert one_first["events"] == many["events"] == one_second["events"], "Dask passes disagree"
    return {"mode": "dask", "workers": workers, "one_worker": _rates(one, len(texts), words),
            f"{workers}_workers": _rates(many, len(texts), words),
            "speedup": round(one["seconds"] / many["seconds"], 3)}


# -- streaming a big corpus ------------------------------------------------------------------

def build_corpus(path: Path, texts: list[str], size_mb: int) -> int:
    """A JSONL file of about ``size_mb`` MB; returns its number of articles."""
    import json

    target, written, count = size_mb * 1024 * 1024, 0, 0
    with path.open("w", encoding="utf-8") as handle:
        while written < target:
            line = json.dumps({"id": f"big-{count}", "text": texts[count % len(texts)]}) + "\n"
            handle.write(line)
            written += len(line.encode("utf-8"))
            count += 1
    return count


def run_stream(texts: list[str], size_mb: int, seconds: int, options: list[str]) -> dict:
    import subprocess
    import tempfile

    import psutil

    folder = Path(tempfile.mkdtemp(prefix="whimbrel-stream-"))
    corpus, output = folder / "corpus.jsonl", folder / "events.jsonl"
    print(f"writing a {size_mb} MB corpus ...", flush=True)
    articles = build_corpus(corpus, texts, size_mb)
    command = [sys.executable, "-m", "whimbrel", "code", str(corpus), "--format", "jsonl", "-o", str(output), *options]
    print("running", " ".join(command[2:]), flush=True)
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    main = psutil.Process(process.pid)
    samples, started = [], time.perf_counter()
    while time.perf_counter() - started < seconds and process.poll() is None:
        time.sleep(5)
        try:
            command_mb = main.memory_info().rss / 2**20
            workers = sorted((p.memory_info().rss / 2**20 for p in main.children(recursive=True)
                              if p.is_running() and p.memory_info().rss > 50 * 2**20), reverse=True)
        except psutil.Error:
            continue
        events = sum(1 for _ in output.open("rb")) if output.exists() else 0
        samples.append({"t": round(time.perf_counter() - started), "command_mb": round(command_mb),
                        "workers_mb": [round(w) for w in workers], "events": events})
        print(samples[-1], flush=True)
    for child in main.children(recursive=True):
        child.kill()
    process.kill()
    process.wait()
    whole = subprocess.run(
        [sys.executable, "-c", "import resource, sys; from whimbrel.pipeline.ingest import read_inputs; "
         "next(iter(read_inputs([sys.argv[1]]))); "
         "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)", str(corpus)],
        capture_output=True, text=True)
    corpus.unlink()
    output.unlink(missing_ok=True)
    return {"mode": "stream", "corpus_mb": size_mb, "corpus_articles": articles, "options": options,
            "seconds": seconds, "samples": samples,
            "read_whole_file_peak_mb": round(float(whole.stdout.strip() or "nan"))}


def _rates(side: dict, articles: int, words: int) -> dict:
    seconds = side["seconds"]
    return {**{k: v for k, v in side.items() if k != "seconds"}, "seconds": round(seconds, 2),
            "articles_per_s": round(articles / seconds, 2), "words_per_s": round(words / seconds)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["local", "dask", "stream"])
    parser.add_argument("--size-mb", type=int, default=1024, help="stream: corpus size")
    parser.add_argument("--seconds", type=int, default=300, help="stream: how long to let it run")
    parser.add_argument("--code-options", default="", help="stream: options for whimbrel code, e.g. '--processes 2'")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--processes", type=int, default=2, help="local: processes per side")
    parser.add_argument("--workers", type=int, default=2, help="dask: workers of the bigger cluster")
    args = parser.parse_args()
    args.code_options = args.code_options.split()
    rows = read_jsonl(GOLD / "lgl.jsonl")[: args.limit]
    texts = [row["text"] for row in rows]
    words = sum(len(text.split()) for text in texts)
    info = {"corpus": "lgl.jsonl", "articles": len(texts), "words": words, "cpus": os.cpu_count()}
    if args.mode == "stream":
        result = {**info, **run_stream(texts, args.size_mb, args.seconds, args.code_options)}
        first, last = result["samples"][0], result["samples"][-1]
        print(f"memory at {first['t']} s: command {first['command_mb']} MB, workers {first['workers_mb']} MB; "
              f"at {last['t']} s: command {last['command_mb']} MB, workers {last['workers_mb']} MB "
              f"({last['events']} events written); reading the file whole: {result['read_whole_file_peak_mb']} MB")
    elif args.mode == "local":
        result = {**info, **run_local(texts, words, args.processes)}
        for side in ("spacy", "whimbrel"):
            r = result[side]
            print(f"{side:9} {r['articles_per_s']:7.2f} articles/s {r['words_per_s']:8,d} words/s "
                  f"worker peaks {r['worker_peak_mb']} MB  load avg {r['load_average']}")
        print(f"whimbrel at {result['ratio_whimbrel_to_spacy']:.3f} of spaCy's speed, {args.processes} processes each")
    else:
        result = {**info, **run_dask(texts, words, args.workers)}
        for key in ("one_worker", f"{args.workers}_workers"):
            r = result[key]
            print(f"{key:10} {r['articles_per_s']:7.2f} articles/s {r['words_per_s']:8,d} words/s "
                  f"worker peaks {r['worker_peak_mb']} MB  load avg {r['load_average']}")
        print(f"{args.workers} workers: {result['speedup']:.3f} x the throughput of 1")
    name = f"scale-{args.mode}" + ("-" + "-".join(o.lstrip("-") for o in args.code_options) if args.code_options else "")
    print("written", write_result(name, result))


if __name__ == "__main__":
    main()
