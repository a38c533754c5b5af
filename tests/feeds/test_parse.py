"""Feed documents: RSS and Atom, relative links, and what is not a feed."""
from datetime import date

import pytest
from newsroom import atom_feed, rss_feed

from whimbrel.feeds import FeedProblem, parse_feed


def test_rss_entries_with_dates():
    feed = parse_feed(rss_feed([("https://a.example/1", "One"), ("https://a.example/2", "Two")]).encode(),
                      "https://a.example/rss")
    assert feed.title == "Test Gazette"
    assert [(e.url, e.title, e.published) for e in feed.entries] == [
        ("https://a.example/1", "One", date(2024, 3, 5)), ("https://a.example/2", "Two", date(2024, 3, 5))]


def test_atom_entries_and_relative_links():
    feed = parse_feed(atom_feed([("/world/1.html", "One")]).encode(), "https://wire.example/atom.xml")
    assert feed.entries[0].url == "https://wire.example/world/1.html"


def test_entries_without_links_are_skipped_and_counted():
    body = ("<?xml version='1.0'?><rss version='2.0'><channel><title>T</title>"
            "<item><title>no link</title></item><item><title>ok</title><link>https://a.example/x</link></item>"
            "</channel></rss>")
    feed = parse_feed(body.encode(), "https://a.example/rss")
    assert [e.url for e in feed.entries] == ["https://a.example/x"] and feed.skipped == 1


def test_a_slightly_broken_feed_still_gives_its_entries():
    body = (b"<?xml version='1.0'?><rss version='2.0'><channel><title>T &amp co</title>"
            b"<item><title>A & B</title><link>https://a.example/1</link></item></channel></rss>")
    assert [e.url for e in parse_feed(body, "https://a.example/rss").entries] == ["https://a.example/1"]


@pytest.mark.parametrize("body", [
    b"<html><body><p>Welcome to our site</p></body></html>",
    b"this is not xml at all {",
    b"",
])
def test_what_is_not_a_feed_is_refused(body):
    with pytest.raises(FeedProblem, match="not an RSS or Atom feed|no feed entries"):
        parse_feed(body, "https://a.example/rss", "text/html")
