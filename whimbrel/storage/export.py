"""Stored events written out as files: csv, jsonl, geojson, parquet, plover, cameo.

Every writer takes an iterator of schema v1 records and streams: memory stays flat
however many events the store holds.

- ``jsonl``: schema v1, one event a line (what ``whimbrel code`` prints).
- ``csv`` / ``parquet``: one flat row per event (``FLAT_COLUMNS``); several actors on a
  side are joined with "; ".
- ``geojson``: a FeatureCollection of the located events.
- ``plover``: PLOVER JSON field names (``id``, ``date``, ``event``, ``actor``, ``recipient``,
  ``event_loc``...), one event a line, whimbrel's extra fields kept beside them.
- ``cameo``: csv with each event's CAMEO root code and quad class (``knowledge/data/cameo.tsv``).
"""
from __future__ import annotations

import csv
import io
import json
from typing import BinaryIO, Callable, Iterable, Iterator

from whimbrel.storage.base import geojson_feature
from whimbrel.storage.vocabulary import QUAD_NAMES, cameo_root, quad_of

FORMATS = ("csv", "jsonl", "geojson", "parquet", "plover", "cameo")

FLAT_COLUMNS = (
    "event_id", "article_id", "event_type", "quad", "mode", "modality", "context",
    "date", "date_precision", "date_fallback",
    "source_text", "source_name", "source_country", "source_sector",
    "target_text", "target_name", "target_country", "target_sector",
    "place", "geonameid", "lat", "lon", "location_country", "admin1", "location_precision",
    "trigger", "trigger_start", "trigger_end", "evidence", "evidence_start", "evidence_end", "confidence",
)
CAMEO_COLUMNS = (
    "event_id", "article_id", "date", "source_code", "target_code", "cameo_root", "cameo_name", "quad_class",
    "plover_type", "mode", "modality", "source_text", "target_text", "place", "lat", "lon", "location_country",
    "confidence",
)


def _join(actors: list[dict] | None, key: str) -> str | None:
    values = [str(actor.get(key) or "") for actor in actors or []]
    return "; ".join(values) if any(values) else None


def flat_row(record: dict) -> dict:
    """One event as a flat row of ``FLAT_COLUMNS``."""
    where = record.get("location") or {}
    when = record.get("date") or {}
    trigger, evidence = record.get("trigger") or {}, record.get("evidence") or {}
    row = {
        "event_id": record["event_id"], "article_id": record["article_id"], "event_type": record["event_type"],
        "quad": quad_of(record["event_type"]), "mode": record.get("mode"), "modality": record.get("modality"),
        "context": "; ".join(record.get("context") or []) or None,
        "date": when.get("value"), "date_precision": when.get("precision"), "date_fallback": bool(when.get("fallback")),
        "place": where.get("name") or where.get("text"), "geonameid": where.get("geonameid"),
        "lat": where.get("lat"), "lon": where.get("lon"), "location_country": where.get("country"),
        "admin1": where.get("admin1"), "location_precision": where.get("precision"),
        "trigger": trigger.get("text"), "trigger_start": trigger.get("start"), "trigger_end": trigger.get("end"),
        "evidence": evidence.get("text"), "evidence_start": evidence.get("start"), "evidence_end": evidence.get("end"),
        "confidence": record.get("confidence"),
    }
    for side in ("source", "target"):
        for key in ("text", "name", "country", "sector"):
            row[f"{side}_{key}"] = _join(record.get(side), key)
    return row


def _plover_actor(actor: dict) -> dict:
    return {"code": actor.get("country"), "sector": actor.get("sector"), "actor_text": actor.get("text"),
            "identifier_text": actor.get("name")}


def plover_record(record: dict) -> dict:
    """An event under PLOVER's JSON field names, with ``actor``/``recipient`` for the two sides."""
    where = record.get("location")
    when = record.get("date") or {}
    event_loc = None
    if where:
        event_loc = {"geonameid": where.get("geonameid"), "name": where.get("name"), "latitude": where.get("lat"),
                     "longitude": where.get("lon"), "cc3": where.get("country"), "admin1 code": where.get("admin1"),
                     "feature code": where.get("feature"), "text": where.get("text")}
    return {
        "id": record["event_id"],
        "date": when.get("value"),
        "date_precision": when.get("precision"),
        "event": record["event_type"],
        "mode": record.get("mode"),
        "context": record.get("context") or [],
        "quad_code": quad_of(record["event_type"]),
        "actor": [_plover_actor(a) for a in record.get("source") or []],
        "recipient": [_plover_actor(a) for a in record.get("target") or []],
        "event_loc": event_loc,
        "event_text": (record.get("trigger") or {}).get("text"),
        "text": (record.get("evidence") or {}).get("text"),
        "modality": record.get("modality"),
        "confidence": record.get("confidence"),
        "story_id": record["article_id"],
        "coder": "whimbrel",
    }


def _actor_code(actors: list[dict] | None) -> str | None:
    # CAMEO actor codes glue country and sector: FRAGOV; a missing country leaves the sector.
    codes = ["".join(part for part in (a.get("country"), a.get("sector")) if part) for a in actors or []]
    codes = [code for code in codes if code]
    return "; ".join(codes) or None


def cameo_row(record: dict) -> dict:
    root = cameo_root(record["event_type"], record.get("mode"))
    where = record.get("location") or {}
    quad = quad_of(record["event_type"])
    return {
        "event_id": record["event_id"], "article_id": record["article_id"],
        "date": (record.get("date") or {}).get("value"),
        "source_code": _actor_code(record.get("source")), "target_code": _actor_code(record.get("target")),
        "cameo_root": root.code if root else None, "cameo_name": root.name if root else None,
        "quad_class": quad, "plover_type": record["event_type"], "mode": record.get("mode"),
        "modality": record.get("modality"),
        "source_text": _join(record.get("source"), "text"), "target_text": _join(record.get("target"), "text"),
        "place": where.get("name") or where.get("text"), "lat": where.get("lat"), "lon": where.get("lon"),
        "location_country": where.get("country"), "confidence": record.get("confidence"),
    }


def _text_out(out: BinaryIO) -> io.TextIOWrapper:
    return io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)


def _write_lines(records: Iterable[dict], out: BinaryIO, convert: Callable[[dict], dict]) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(convert(record), ensure_ascii=False).encode("utf-8") + b"\n")
        count += 1
    return count


def _write_csv(records: Iterable[dict], out: BinaryIO, columns: tuple[str, ...],
               convert: Callable[[dict], dict]) -> int:
    text = _text_out(out)
    writer = csv.DictWriter(text, fieldnames=columns)
    writer.writeheader()
    count = 0
    for record in records:
        writer.writerow(convert(record))
        count += 1
    text.detach()
    return count


def _write_geojson(records: Iterable[dict], out: BinaryIO) -> int:
    out.write(b'{"type": "FeatureCollection", "features": [\n')
    count = 0
    for record in records:
        where = record.get("location") or {}
        if where.get("lat") is None or where.get("lon") is None:
            continue
        out.write((b",\n" if count else b"") + json.dumps(geojson_feature(record), ensure_ascii=False).encode("utf-8"))
        count += 1
    out.write(b"\n]}\n")
    return count


def _write_parquet(records: Iterable[dict], out: BinaryIO, batch_size: int = 50_000) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([
        (name, pa.int64() if name in ("quad", "geonameid", "trigger_start", "trigger_end", "evidence_start",
                                      "evidence_end")
         else pa.float64() if name in ("lat", "lon", "confidence")
         else pa.bool_() if name == "date_fallback" else pa.string())
        for name in FLAT_COLUMNS
    ])
    count = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        for batch in _batches((flat_row(r) for r in records), batch_size):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
        if count == 0:
            writer.write_table(schema.empty_table())
    return count


def _batches(rows: Iterator[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_events(records: Iterable[dict], out: BinaryIO, fmt: str) -> int:
    """Write records to a binary stream in ``fmt``; returns how many were written."""
    if fmt == "jsonl":
        return _write_lines(records, out, lambda record: record)
    if fmt == "plover":
        return _write_lines(records, out, plover_record)
    if fmt == "csv":
        return _write_csv(records, out, FLAT_COLUMNS, flat_row)
    if fmt == "cameo":
        return _write_csv(records, out, CAMEO_COLUMNS, cameo_row)
    if fmt == "geojson":
        return _write_geojson(records, out)
    if fmt == "parquet":
        return _write_parquet(records, out)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


__all__ = ["FORMATS", "QUAD_NAMES", "cameo_row", "flat_row", "plover_record", "write_events"]
