"""API latency on a big store: 1,000,000 synthetic events in DuckDB behind `whimbrel serve`.

    .venv/bin/python benchmarks/api_load.py                 # 1,000,000 events (a few minutes)
    .venv/bin/python benchmarks/api_load.py --events 50000  # a quick look

Loads the events (skipped when the database already holds them), starts `whimbrel serve`
on 127.0.0.1, sends each query ``--rounds`` times over HTTP, and reports the median and
95th percentile latency of GET /api/v1/events (with filters) and GET /api/v1/stats.
Target: each median under 300 ms. Prints a table and writes benchmarks/out/api_load.json.
"""
from __future__ import annotations

import argparse
import json
import platform
import socket
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pyarrow as pa

import whimbrel
from whimbrel.storage import open_store
from whimbrel.storage.base import ARTICLE_COLUMNS
from whimbrel.storage.rows import ACTOR_COLUMNS, EVENT_COLUMNS, PLACE_COLUMNS, event_rows
from whimbrel.storage.synthetic import synthetic_records

OUT = Path(__file__).parent / "out"
TARGET_MS = 300

# (endpoint, label, query): filters an analyst would combine, over the whole year of data.
QUERIES = [
    ("events", "latest asserted (default)", {}),
    ("events", "type + country", {"event_type": "ASSAULT", "country": "UKR"}),
    ("events", "one month, all modalities", {"since": "2023-06-01", "until": "2023-06-30", "modality": "all"}),
    ("events", "actor words + sector", {"actor": "rebels", "sector": "REB"}),
    ("events", "bbox + evidence words", {"bbox": "20,40,45,60", "q": "attacked army"}),
    ("events", "sorted by confidence", {"sort": "-confidence", "event_type": "PROTEST,COERCE"}),
    ("events", "second page (cursor)", {"event_type": "CONSULT", "cursor": "<from first page>"}),
    ("stats", "everything (asserted)", {}),
    ("stats", "type + date range", {"event_type": "PROTEST", "since": "2023-03-01", "until": "2023-09-30"}),
    ("stats", "country, by week", {"country": "MLI", "interval": "week"}),
]


def load(db: str, count: int, batch_events: int = 100_000) -> float:
    """Bulk-load ``count`` synthetic events (one Arrow batch at a time); returns seconds."""
    started = time.perf_counter()
    coded_at = datetime.now(timezone.utc).replace(tzinfo=None)
    with open_store(db) as store:
        connection = store.connection
        articles, events, actors, places = [], [], [], {}

        def flush() -> None:
            tables = {
                "articles": _table(ARTICLE_COLUMNS + ("text",), articles),
                "events": _table(EVENT_COLUMNS, events),
                "actors": _table(ACTOR_COLUMNS, actors),
            }
            connection.execute("BEGIN TRANSACTION")
            for name, table in tables.items():
                connection.register("batch", table)
                connection.execute(f"INSERT INTO {name} SELECT * FROM batch")
                connection.unregister("batch")
            connection.execute("COMMIT")
            articles.clear(), events.clear(), actors.clear()

        for article, records in synthetic_records(count):
            articles.append((article["id"], article["url"], article["title"], article["published"],
                             article["source"], article["content_hash"], coded_at, whimbrel.PIPELINE_VERSION,
                             article["text"]))
            for record in records:
                rows = event_rows(record)
                events.append(rows.event)
                actors.extend(rows.actors)
                if rows.place:
                    places[rows.place[0]] = rows.place
            if len(events) >= batch_events:
                flush()
        if articles:
            flush()
        connection.executemany(
            f"INSERT INTO places VALUES ({', '.join('?' for _ in PLACE_COLUMNS)}) ON CONFLICT DO NOTHING",
            list(places.values()))
        connection.execute("CHECKPOINT")
    return time.perf_counter() - started


def _table(columns: tuple[str, ...], rows: list[tuple]) -> pa.Table:
    return pa.Table.from_arrays([pa.array([row[i] for row in rows]) for i in range(len(columns))], names=list(columns))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [sys.executable, "-c", "from whimbrel.cli import main; main()",
               "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"whimbrel serve exited: {process.stderr.read().decode()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("whimbrel serve did not start within 60 s")


def measure(client: httpx.Client, rounds: int) -> list[dict]:
    results = []
    for endpoint, label, params in QUERIES:
        params = dict(params)
        if params.get("cursor"):
            first = client.get("/api/v1/events", params={k: v for k, v in params.items() if k != "cursor"}).json()
            params["cursor"] = first["next_cursor"]
        client.get(f"/api/v1/{endpoint}", params=params).raise_for_status()  # warm-up, not counted
        timings = []
        for _ in range(rounds):
            started = time.perf_counter()
            response = client.get(f"/api/v1/{endpoint}", params=params)
            timings.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
        body = response.json()
        results.append({
            "endpoint": f"/api/v1/{endpoint}", "query": label, "params": params,
            "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(sorted(timings)[max(0, int(len(timings) * 0.95) - 1)], 1),
            "returned": body["count"] if endpoint == "events" else body["total"],
        })
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--db", default=None, help="DuckDB file [default: benchmarks/out/api_load_<N>.duckdb]")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    db = args.db or str(OUT / f"api_load_{args.events}.duckdb")

    with open_store(db) as store:
        stored = store.counts()["events"]
    load_seconds = None
    if stored != args.events:
        if stored:
            raise SystemExit(f"{db} holds {stored} events, not {args.events}: remove it or pick another --db")
        print(f"loading {args.events:,} synthetic events into {db} ...", file=sys.stderr)
        load_seconds = round(load(db, args.events), 1)
        print(f"loaded in {load_seconds} s", file=sys.stderr)

    process, url = start_server(db)
    try:
        with httpx.Client(base_url=url, timeout=60) as client:
            counts = client.get("/healthz").json()
            results = measure(client, args.rounds)
    finally:
        process.terminate()
        process.wait(timeout=10)

    summary = {}
    for endpoint in ("/api/v1/events", "/api/v1/stats"):
        medians = [r["median_ms"] for r in results if r["endpoint"] == endpoint]
        summary[endpoint] = {"median_of_medians_ms": round(statistics.median(medians), 1),
                             "worst_median_ms": max(medians), "target_ms": TARGET_MS,
                             "met": max(medians) < TARGET_MS}
    report = {
        "benchmark": "api_load", "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count(),
                    "platform": platform.platform()},
        "store": {"backend": "duckdb", "events": counts["events"], "articles": counts["articles"],
                  "load_seconds": load_seconds},
        "rounds": args.rounds, "summary": summary, "queries": results,
    }
    (OUT / "api_load.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")

    print(f"\n{counts['events']:,} events, {counts['articles']:,} articles (DuckDB), {args.rounds} rounds each\n")
    print(f"{'endpoint':<16} {'query':<28} {'median ms':>10} {'p95 ms':>8} {'rows':>8}")
    for r in results:
        print(f"{r['endpoint'][7:]:<16} {r['query']:<28} {r['median_ms']:>10} {r['p95_ms']:>8} {r['returned']:>8}")
    for endpoint, s in summary.items():
        verdict = "met" if s["met"] else "MISSED"
        print(f"{endpoint}: worst median {s['worst_median_ms']} ms (target < {TARGET_MS} ms: {verdict})")
    print(f"\nwritten: {OUT / 'api_load.json'}")


if __name__ == "__main__":
    main()
