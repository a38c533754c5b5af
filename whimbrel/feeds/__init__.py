"""Live news: watch RSS/Atom feeds, fetch new stories politely, code and store them once.

    >>> from whimbrel.feeds import Watcher, Fetcher, read_feed_list
    >>> urls, problems = read_feed_list(["feeds.opml"])
    >>> Watcher(store, urls, coder_factory, Fetcher(), whimbrel.PIPELINE_VERSION).run(once=True)
"""
from whimbrel.feeds.fetch import FetchError, Fetcher, FetchPolicy
from whimbrel.feeds.lists import read_feed_list
from whimbrel.feeds.parse import FeedEntry, FeedProblem, parse_feed
from whimbrel.feeds.watcher import RoundReport, Watcher, WatchSettings, parse_every

__all__ = ["FeedEntry", "FeedProblem", "FetchError", "FetchPolicy", "Fetcher", "RoundReport", "WatchSettings",
           "Watcher", "parse_every", "parse_feed", "read_feed_list"]
