"""Reading RSS and Atom feeds (feedparser) into the stories they list."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"


class FeedProblem(ValueError):
    """A feed that could not be read as RSS or Atom; the message says why."""


@dataclass(frozen=True)
class FeedEntry:
    """One story a feed lists: where to fetch it and what the feed says about it."""

    url: str
    guid: str | None = None
    title: str | None = None
    published: date | None = None


@dataclass
class ParsedFeed:
    title: str | None
    entries: list[FeedEntry]
    skipped: int = 0  # entries without a usable link


def parse_feed(content: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """The entries of a feed document; raises ``FeedProblem`` when it is not a feed at all.

    feedparser is lenient: a feed with a small XML error still yields its entries (its
    ``bozo`` flag is set), and only a document with neither a feed title nor entries,
    or one that is plainly an HTML page, is refused.
    """
    import feedparser

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(content, response_headers=headers, sanitize_html=False, resolve_relative_uris=True)
    feed = parsed.get("feed", {})
    if not parsed.entries and not feed.get("title"):
        reason = parsed.get("bozo_exception")
        detail = f" ({type(reason).__name__}: {str(reason).splitlines()[0][:120]})" if reason else ""
        raise FeedProblem(f"not an RSS or Atom feed{detail}")
    if parsed.get("version", "") == "" and not parsed.entries:
        raise FeedProblem("no feed entries found (an HTML page?)")
    entries, skipped = [], 0
    for entry in parsed.entries:
        link = entry_link(entry, url)
        if not link:
            skipped += 1
            continue
        entries.append(FeedEntry(link, entry.get("id") or None, (entry.get("title") or "").strip() or None,
                                 entry_date(entry)))
    return ParsedFeed(feed.get("title"), entries, skipped)


def entry_link(entry, feed_url: str) -> str | None:
    """The story's http(s) address: the entry's link, else an alternate link, else a URL guid."""
    candidates = [entry.get("link")]
    candidates += [link.get("href") for link in entry.get("links", []) if link.get("rel", "alternate") == "alternate"]
    guid = entry.get("id") or ""
    if entry.get("guidislink") or guid.startswith(("http://", "https://")):
        candidates.append(guid)
    for candidate in candidates:
        if candidate:
            absolute = urljoin(feed_url, candidate.strip())
            if absolute.startswith(("http://", "https://")):
                return absolute
    return None


def entry_date(entry) -> date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return date(value.tm_year, value.tm_mon, value.tm_mday)
            except (ValueError, AttributeError):
                continue
    return None
