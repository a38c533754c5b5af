"""The gazetteer index (issue #3): build time, look-up time and resident memory.

Each part runs in a fresh Python process, so that one part's memory and warm caches do
not flatter another's:

- build: ``build_index`` from the installed packages and the curated files into an
  empty folder (what a first ``whimbrel`` run does); wall time and the process's peak
  memory. Target: under two minutes.
- look-up: ``Gazetteer.open`` on that file, then look-ups of (a) every toponym of the
  LGL gold set (when ../shared/gold is there), (b) names drawn from the index itself,
  (c) words that are no place; each distinct name twice, with the per-process memo
  cleared before every look-up so that SQLite answers each; the first pass finds fewer
  pages in SQLite's own cache than the second. Target: microseconds.
- memory: resident memory of the look-up process after importing whimbrel, and after
  opening the index and all the look-ups; the difference is what the index costs.
  Target: at most 300 MB.

    .venv/bin/python benchmarks/gazetteer.py
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import GOLD, write_result  # noqa: E402

NON_PLACES = ["however", "spokesman", "Tuesday", "negotiations", "Smithfieldian", "Qxzorbl",
              "the ministry", "ceasefire", "Jonathan", "hospital"]


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(folder: str) -> dict:
    from whimbrel.knowledge.gazetteer import build_index, sources_version

    started = time.perf_counter()
    path = build_index(Path(folder) / f"gazetteer-{sources_version()}.sqlite", sources_version())
    return {"path": str(path), "seconds": time.perf_counter() - started, "peak_mb": peak_mb(),
            "bytes": path.stat().st_size}


def lookups(path: str, sample: int) -> dict:
    import whimbrel.knowledge.gazetteer as gazetteer_module

    before = rss_mb()
    opened_at = time.perf_counter()
    gazetteer = gazetteer_module.Gazetteer(Path(path))
    open_seconds = time.perf_counter() - opened_at
    after_open = rss_mb()
    names = gold_names()
    rows = gazetteer._connection.execute("SELECT name FROM place").fetchall()
    rng = random.Random(7)
    index_names = [row[0] for row in rng.sample(rows, min(sample, len(rows)))]
    result = {"open_seconds": open_seconds, "rss_mb_before_open": before, "rss_mb_after_open": after_open}
    for label, group in (("gold toponyms", names), ("index names", index_names), ("no place", NON_PLACES)):
        if not group:
            continue
        group = list(dict.fromkeys(group))
        for attempt in ("first", "again"):
            times, found = [], 0
            for name in group:
                gazetteer._lookups.clear()  # time the index, not the per-process memo
                started = time.perf_counter_ns()
                found += bool(gazetteer.lookup(name))
                times.append((time.perf_counter_ns() - started) / 1000)
            times.sort()
            result[f"{label} {attempt}"] = {
                "names": len(group), "found": found, "median_us": statistics.median(times),
                "p95_us": times[int(0.95 * (len(times) - 1))], "mean_us": statistics.fmean(times)}
    for name in names + index_names:  # the memo full, as in a long run
        gazetteer.lookup(name)
    result["rss_mb_after_lookups"] = rss_mb()
    result["index_rss_mb"] = result["rss_mb_after_lookups"] - before
    return result


def gold_names() -> list[str]:
    path = GOLD / "lgl.jsonl"
    if not path.exists():
        return []
    names = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            names.extend(row["text"][t["start"]:t["end"]] for t in row["toponyms"])
    return names


def in_subprocess(function: str, *args) -> dict:
    code = (f"import json, sys; sys.path.insert(0, {str(Path(__file__).resolve().parent)!r}); "
            f"import gazetteer as g; print(json.dumps(g.{function}(*{list(args)!r})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=20_000, help="names drawn from the index")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="whimbrel-gazetteer-") as folder:
        built = in_subprocess("build", folder)
        looked = in_subprocess("lookups", built["path"], args.sample)
    result = {"build": built, "lookups": looked}
    print(f"build: {built['seconds']:.1f} s (target < 120 s), peak memory {built['peak_mb']:.0f} MB, "
          f"index file {built['bytes'] / 1e6:.1f} MB")
    print(f"open: {looked['open_seconds'] * 1000:.1f} ms")
    for key, value in looked.items():
        if isinstance(value, dict):
            print(f"look-up, {key:21s} {value['names']:6d} names, {value['found']:6d} found: median "
                  f"{value['median_us']:7.1f} us, p95 {value['p95_us']:7.1f} us, mean {value['mean_us']:7.1f} us")
    print(f"resident memory: {looked['rss_mb_before_open']:.0f} MB after import, "
          f"{looked['rss_mb_after_open']:.0f} MB after open, {looked['rss_mb_after_lookups']:.0f} MB after "
          f"the look-ups: the index costs {looked['index_rss_mb']:.0f} MB (target <= 300 MB)")
    print(f"written {write_result('gazetteer', result)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
