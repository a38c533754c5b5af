"""Which feeds to watch: URLs given on the command line, files of URLs, and OPML files.

A file of URLs has one feed a line; blank lines and lines starting with ``#`` are skipped.
An OPML file (what feed readers export) lists feeds as ``<outline xmlUrl="...">``, nested
in folders or not. Problems are ``InputProblem``s naming the file and line, with a hint.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Iterable

from whimbrel.pipeline.ingest import InputProblem, decode

_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
FEEDS_HINT = "give feed URLs, a file of them (one a line) or an OPML file"


def read_feed_list(items: Iterable[str]) -> tuple[list[str], list[InputProblem]]:
    """The feed URLs named by ``items`` (in order, each once) and the problems met."""
    urls: list[str] = []
    problems: list[InputProblem] = []
    for item in items:
        if re.match(r"^https?://", item, re.IGNORECASE):
            found = [item] if _URL.match(item) else []
            if not found:
                problems.append(InputProblem(item, "not a valid URL", FEEDS_HINT))
        else:
            found = read_feed_file(Path(item), problems)
        for url in found:
            if url not in urls:
                urls.append(url)
    return urls, problems


def read_feed_file(path: Path, problems: list[InputProblem]) -> list[str]:
    if not path.is_file():
        problems.append(InputProblem(str(path), "no such file" if not path.exists() else "not a file", FEEDS_HINT))
        return []
    try:
        raw = path.read_bytes()
    except OSError as error:
        problems.append(InputProblem(str(path), f"cannot read file ({error.strerror})", "check its permissions"))
        return []
    if b"\x00" in raw[:8192]:
        problems.append(InputProblem(str(path), "binary file, not a list of feeds", FEEDS_HINT))
        return []
    text = decode(raw)
    head = text.lstrip()[:400].lower()
    if path.suffix.lower() in (".opml", ".xml") or head.startswith("<?xml") or "<opml" in head:
        return read_opml(text, str(path), problems)
    return read_url_lines(text, str(path), problems)


def read_url_lines(text: str, where: str, problems: list[InputProblem]) -> list[str]:
    urls, before = [], len(problems)
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if _URL.match(line):
            urls.append(line)
        else:
            problems.append(InputProblem(f"{where}:{number}", f"not an http(s) URL: {line[:60]!r}",
                                         "one feed URL a line; '#' starts a comment"))
    if not urls and len(problems) == before:
        problems.append(InputProblem(where, "lists no feeds", FEEDS_HINT))
    return urls


def read_opml(text: str, where: str, problems: list[InputProblem]) -> list[str]:
    """Feed URLs of an OPML document, in document order."""
    try:
        root = ElementTree.fromstring(text.encode("utf-8"))
    except ElementTree.ParseError as error:
        line, column = error.position
        problems.append(InputProblem(f"{where}:{line}", f"not valid OPML (XML error at column {column + 1})",
                                     "export the feed list again from your reader, or list URLs one a line"))
        return []
    urls, bad = [], 0
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url:
            continue  # a folder, or a plain link outline
        if _URL.match(url):
            urls.append(url)
        else:
            bad += 1
            problems.append(InputProblem(where, f"outline with xmlUrl {url[:60]!r} is not an http(s) URL", FEEDS_HINT))
    if not urls and not bad:
        problems.append(InputProblem(where, "OPML lists no feeds (no outline with xmlUrl)", FEEDS_HINT))
    return urls
