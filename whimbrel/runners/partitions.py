"""Inputs as a stream, cut into partitions: how a corpus bigger than memory flows through.

``ingest.read_inputs`` reads each file whole, which is right for a story but not for a
1 GB JSONL corpus. ``stream_inputs`` reads JSONL files (and JSONL on standard input) one
line at a time and hands everything else to the ingest stage, with the same messages,
so at any moment only the articles of the partitions in flight are in memory.
"""
from __future__ import annotations

import json
import sys
from datetime import date
from itertools import islice
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from whimbrel.pipeline.ingest import (JSONL_SUFFIXES, InputProblem, article_from_row, decode, read_file,
                                      read_inputs)
from whimbrel.records import Article

SNIFF_BYTES = 8192
JSONL_HINT = 'one article a line: {"id": ..., "text": ...}'


def chunks(items: Iterable, size: int) -> Iterator[list]:
    """Consecutive lists of ``size`` items (the last may be shorter), read lazily."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def stream_inputs(inputs: Iterable[str], published: date | None = None) -> Iterator[Article | InputProblem]:
    """Like ``ingest.read_inputs``, but JSONL is read line by line instead of whole."""
    for item in inputs:
        path = Path(item)
        if item == "-":
            yield from _stream_stdin(published)
        elif item.startswith(("http://", "https://")) or not path.exists():
            yield from read_inputs([item], published)
        elif path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            if not files:
                yield from read_inputs([item], published)  # its "folder holds no files" message
            for file in files:
                yield from _stream_file(file, published)
        else:
            yield from _stream_file(path, published)


def _stream_file(path: Path, published: date | None) -> Iterator[Article | InputProblem]:
    if path.suffix.lower() not in JSONL_SUFFIXES:
        yield from read_file(path, published)
        return
    try:
        handle = path.open("rb")
    except OSError as error:
        yield InputProblem(str(path), f"cannot read file ({error.strerror})", "check its permissions")
        return
    with handle:
        head = handle.read(SNIFF_BYTES)
        handle.seek(0)
        if b"\x00" in head:
            yield InputProblem(str(path), "binary file, not text", "give UTF-8 text, HTML or JSONL")
            return
        yield from stream_jsonl(handle, str(path), published)


def _stream_stdin(published: date | None) -> Iterator[Article | InputProblem]:
    stream = sys.stdin.buffer
    head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES] if hasattr(stream, "peek") else b""
    if head.lstrip().startswith(b"{") and b"\x00" not in head:
        yield from stream_jsonl(stream, "<stdin>", published)
    else:
        yield from read_inputs(["-"], published)


def stream_jsonl(handle: BinaryIO, where: str, published: date | None = None) -> Iterator[Article | InputProblem]:
    """Articles of a JSONL stream, one line at a time; each bad line is one problem."""
    seen_text = False
    for number, raw in enumerate(handle, start=1):
        line = decode(raw).strip()
        if not line:
            continue
        seen_text = True
        place = f"{where}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            yield InputProblem(place, f"not valid JSON ({error.msg} at column {error.colno})", JSONL_HINT)
            continue
        yield article_from_row(row, place, published)
    if not seen_text:
        yield InputProblem(where, "empty input", "give a file with article text")
