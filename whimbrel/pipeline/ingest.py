"""The ingest stage: articles from files, folders, JSONL, URLs and stdin; body blocks.

Every input problem becomes an ``InputProblem`` that names its place (file:line,
URL, field) with a hint, and the batch goes on: nothing here raises for bad input.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

from whimbrel.records import Article

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
MAX_BLOCK_CHARS = 10_000  # spaCy's parser needs ~1 GB per 100,000 characters; blocks stay small
USER_AGENT = "whimbrel/0.1 (+https://pypi.org/project/whimbrel/; political event coder)"


@dataclass
class InputProblem:
    """An input that could not be read: where, what, and what to do about it."""

    where: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text


def parse_published(value, where: str) -> date | InputProblem | None:
    """A publication date from YYYY-MM-DD or an ISO timestamp; None when absent."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
        except ValueError:
            pass
    return InputProblem(where, f"invalid published date {value!r}", "use YYYY-MM-DD, e.g. 2013-01-12")


def read_inputs(inputs: Iterable[str], published: date | None = None) -> Iterator[Article | InputProblem]:
    """Articles from each input in turn: a file, a folder of them, a URL or '-'."""
    for item in inputs:
        if item == "-":
            yield from read_stream(sys.stdin.buffer.read(), "<stdin>", published)
        elif re.match(r"https?://", item):
            yield read_url(item, published)
        else:
            path = Path(item)
            if path.is_dir():
                files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
                if not files:
                    yield InputProblem(item, "folder holds no files", "point at .txt, .html or .jsonl files")
                for file in files:
                    yield from read_file(file, published)
            elif path.is_file():
                yield from read_file(path, published)
            else:
                yield InputProblem(item, "no such file or folder", "check the path, or give an http(s) URL or '-'")


def read_file(path: Path, published: date | None = None) -> Iterator[Article | InputProblem]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        yield InputProblem(str(path), f"cannot read file ({error.strerror})", "check its permissions")
        return
    yield from read_stream(raw, str(path), published, path.suffix.lower())


def read_stream(raw: bytes, where: str, published: date | None, suffix: str | None = None
                ) -> Iterator[Article | InputProblem]:
    """Articles from the bytes of one file (or stdin), by suffix or by sniffing."""
    if not raw.strip():
        yield InputProblem(where, "empty input", "give a file with article text")
        return
    if b"\x00" in raw[:8192]:
        yield InputProblem(where, "binary file, not text", "give UTF-8 text, HTML or JSONL")
        return
    text = decode(raw)
    head = text.lstrip()[:200].lower()
    if suffix in JSONL_SUFFIXES or (suffix is None and head.startswith("{")):
        yield from read_jsonl(text, where, published)
    elif suffix in HTML_SUFFIXES or head.startswith(("<!doctype html", "<html")):
        yield article_from_html(text, where, published)
    else:
        yield Article(text=text, title=first_line_title(text), published=published, source=where)


def decode(raw: bytes) -> str:
    """Text from bytes: UTF-8 first, else Windows-1252, else Latin-1 (which never fails).

    Hand-written rather than charset detection because news files are almost always
    one of these three, and guessing among dozens of codecs misreads short texts.
    """
    for codec in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")


def read_jsonl(text: str, where: str, published: date | None) -> Iterator[Article | InputProblem]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        place = f"{where}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            yield InputProblem(place, f"not valid JSON ({error.msg} at column {error.colno})",
                               'one article a line: {"id": ..., "text": ...}')
            continue
        yield article_from_row(row, place, published)


def article_from_row(row, place: str, published: date | None = None) -> Article | InputProblem:
    """An Article from one JSONL object (also used by the HTTP API)."""
    if not isinstance(row, dict):
        return InputProblem(place, "line is not a JSON object", 'one article a line: {"id": ..., "text": ...}')
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        return InputProblem(f"{place}: field 'text'", "missing or empty", "each article needs its text as a string")
    for name in ("id", "title", "url"):
        if row.get(name) is not None and not isinstance(row[name], (str, int)):
            return InputProblem(f"{place}: field '{name}'", "must be a string", "")
    when = parse_published(row.get("published"), f"{place}: field 'published'")
    if isinstance(when, InputProblem):
        return when
    article_id = str(row["id"]) if row.get("id") is not None else None
    return Article(text=text, id=article_id, title=row.get("title"), published=when or published,
                   url=row.get("url"), source=place)


def article_from_html(html: str, where: str, published: date | None, url: str | None = None
                      ) -> Article | InputProblem:
    """Main text and metadata of an HTML page, via trafilatura."""
    import trafilatura

    text = trafilatura.extract(html, url=url, favor_precision=True, include_comments=False,
                               include_tables=False)
    if not text or not text.strip():
        return InputProblem(where, "no article text found in the HTML", "is this a news article page?")
    meta = trafilatura.extract_metadata(html, default_url=url)
    when = published
    if meta is not None and meta.date:
        found = parse_published(meta.date, where)
        when = found if isinstance(found, date) else published
    return Article(text=text, title=getattr(meta, "title", None), published=when,
                   url=url or getattr(meta, "url", None), source=where)


def read_url(url: str, published: date | None) -> Article | InputProblem:
    import httpx

    try:
        response = httpx.get(url, follow_redirects=True, timeout=20.0, headers={"User-Agent": USER_AGENT})
        response.raise_for_status()
    except httpx.HTTPStatusError as error:
        return InputProblem(url, f"HTTP {error.response.status_code}", "check the address")
    except httpx.HTTPError as error:
        return InputProblem(url, f"could not fetch ({type(error).__name__})",
                            "check the address and the network; files and JSONL work offline")
    if "html" in response.headers.get("content-type", "html"):
        return article_from_html(response.text, url, published, url=url)
    return Article(text=response.text, published=published, url=url, source=url)


def first_line_title(text: str) -> str | None:
    """The headline of a plain-text story: a short first line followed by a blank line."""
    first, _, rest = text.lstrip().partition("\n")
    if rest.startswith("\n") or rest.startswith("\r\n"):
        if 0 < len(first.split()) <= 20 and not first.rstrip().endswith("."):
            return first.strip()
    return None


# --- body blocks ---------------------------------------------------------------

@cache
def furniture_patterns() -> list[re.Pattern]:
    """Regular expressions for page furniture, from knowledge/data/furniture.txt."""
    data = resources.files("whimbrel.knowledge") / "data" / "furniture.txt"
    lines = data.read_text(encoding="utf-8").splitlines()
    return [re.compile(line, re.IGNORECASE) for line in lines if line.strip() and not line.startswith("#")]


def is_furniture(line: str, sole_block: bool) -> bool:
    """Share buttons, captions, bylines, headlines and link lists: not reported prose.

    Prose sentences end with punctuation; a short line without it (a caption, a
    headline, a "Related" list item, a button row) is not coded, unless it is all
    there is (a headline fed on its own).
    """
    stripped = line.strip()
    if any(pattern.search(stripped) for pattern in furniture_patterns()):
        return True
    ends_like_prose = bool(re.search(r"[.!?:;\"”’'\)]$", stripped))
    return not sole_block and not ends_like_prose and len(stripped.split()) < 25


def body_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph worth coding, as offsets into ``text``."""
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\r\n]+", text) if m.group().strip()]
    sole = len(lines) == 1
    blocks: list[tuple[int, int]] = []
    for start, end in lines:
        if is_furniture(text[start:end], sole):
            continue
        blocks.extend(split_long_block(text, start, end))
    return blocks


def split_long_block(text: str, start: int, end: int, limit: int = MAX_BLOCK_CHARS) -> list[tuple[int, int]]:
    """Cut a block longer than ``limit`` at sentence ends (else at spaces)."""
    pieces = []
    while end - start > limit:
        window = text[start:start + limit]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        if cut < limit // 2:
            cut = window.rfind(" ")
        cut = cut + 1 if cut > 0 else limit
        pieces.append((start, start + cut))
        start += cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append((start, end))
    return pieces
