"""Writing events out: JSON lines, JSON, CSV, PLOVER JSON lines, CAMEO CSV and a terminal table.

``plover`` and ``cameo`` reuse the row builders of the store export (``storage/export.py``),
so ``whimbrel code --format cameo`` and ``whimbrel export --format cameo`` write the same
columns from the same CAMEO table (``knowledge/data/cameo.tsv``).
"""
from __future__ import annotations

import csv
import json
import shutil
from typing import IO, Iterable

from whimbrel.records import Event

CSV_COLUMNS = ["event_id", "article_id", "event_type", "mode", "modality", "source", "source_country",
               "source_sector", "target", "target_country", "target_sector", "location", "geonameid",
               "lat", "lon", "location_country", "date", "date_precision", "trigger", "trigger_start",
               "trigger_end", "evidence", "confidence", "context"]


def flat_row(event: Event) -> dict:
    """One event as a flat row: actors joined with ';', location and date spread out."""
    row = event.to_dict()
    location, when = row["location"] or {}, row["date"] or {}
    join = lambda actors, key: ";".join(a[key] or "" for a in actors)  # noqa: E731
    return {
        "event_id": row["event_id"], "article_id": row["article_id"], "event_type": row["event_type"],
        "mode": row["mode"], "modality": row["modality"],
        "source": join(row["source"], "text"), "source_country": join(row["source"], "country"),
        "source_sector": join(row["source"], "sector"),
        "target": join(row["target"], "text"), "target_country": join(row["target"], "country"),
        "target_sector": join(row["target"], "sector"),
        "location": location.get("name"), "geonameid": location.get("geonameid"),
        "lat": location.get("lat"), "lon": location.get("lon"), "location_country": location.get("country"),
        "date": when.get("value"), "date_precision": when.get("precision"),
        "trigger": row["trigger"]["text"], "trigger_start": row["trigger"]["start"],
        "trigger_end": row["trigger"]["end"], "evidence": row["evidence"]["text"],
        "confidence": row["confidence"], "context": ";".join(row["context"]),
    }


class EventWriter:
    """Streams events to ``out`` in one format; ``close`` finishes the document."""

    def __init__(self, out: IO[str], fmt: str):
        self.out, self.fmt, self.count = out, fmt, 0
        self.csv = csv.DictWriter(out, CSV_COLUMNS) if fmt == "csv" else None
        if fmt in ("cameo", "plover"):
            from whimbrel.storage.export import CAMEO_COLUMNS, cameo_row, plover_record
            self.row = cameo_row if fmt == "cameo" else plover_record
            if fmt == "cameo":
                self.csv = csv.DictWriter(out, CAMEO_COLUMNS)
        if self.csv:
            self.csv.writeheader()
        if fmt == "json":
            out.write("[")
        if fmt == "table":
            self.width = shutil.get_terminal_size((140, 20)).columns

    def write(self, events: Iterable[Event]) -> None:
        for event in events:
            if self.fmt == "jsonl":
                self.out.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")
            elif self.fmt == "json":
                self.out.write(("," if self.count else "") + "\n" + json.dumps(event.to_dict(), ensure_ascii=False))
            elif self.fmt == "csv":
                self.csv.writerow(flat_row(event))
            elif self.fmt == "cameo":
                self.csv.writerow(self.row(event.to_dict()))
            elif self.fmt == "plover":
                self.out.write(json.dumps(self.row(event.to_dict()), ensure_ascii=False) + "\n")
            else:
                self.out.write(table_line(event, self.width, header=self.count == 0))
            self.count += 1
        self.out.flush()

    def close(self) -> None:
        if self.fmt == "json":
            self.out.write("\n]\n")
        self.out.flush()


TABLE = [("type", 9), ("modality", 12), ("source", 16), ("target", 16), ("place", 16), ("date", 10),
         ("trigger", 22)]


def table_line(event: Event, width: int, header: bool = False) -> str:
    """A readable line: type, modality, who, whom, where, when and the trigger."""
    def actors(items):
        return ",".join(f"{a.country or '---'}/{a.sector or '---'}" for a in items) or "-"

    cells = [event.event_type, event.modality, actors(event.source), actors(event.target),
             event.location.name if event.location else "-",
             event.date.value + ("*" if event.date.fallback else "") if event.date else "-",
             event.trigger.text]
    line = "  ".join(str(c)[:w].ljust(w) for c, (_, w) in zip(cells, TABLE))
    text = line + "  " + event.evidence.text.replace("\n", " ")
    text = text[: max(width - 1, 60)] + "\n"
    if header:
        head = "  ".join(name.ljust(w) for name, w in TABLE) + "  evidence"
        text = head + "\n" + "-" * min(len(head) + 20, width - 1) + "\n" + text
    return text
