"""Watching feeds: poll, fetch new stories, code and store them, round after round.

A round polls the feeds that are due (conditional GET, so an unchanged feed costs one
304), notes the stories they list, fetches those not fetched yet (text extracted with
trafilatura, committed at once), then codes and stores what was fetched. Every state
change is in the database (``whimbrel.storage.feeds``), so a watcher stopped at any point
and started again carries on: fetched stories are coded, none is coded twice.

A feed or page that fails is logged in one line and tried again later with a growing
delay (a page is given up after ``max_attempts``); the other feeds and pages go on.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable, Iterable, Iterator

from whimbrel.feeds.fetch import FetchError, Fetcher
from whimbrel.feeds.parse import FEED_ACCEPT, FeedProblem, parse_feed
from whimbrel.pipeline.ingest import InputProblem, article_from_html
from whimbrel.records import Article, Event
from whimbrel.storage.base import UNCHANGED, EventStore
from whimbrel.storage.feeds import CODED, DUPLICATE, FAILED, FeedBook, FeedItem, FeedState
from whimbrel.storage.intake import Intake
from whimbrel.storage.sources import utc_now

PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
Coder = Callable[[list[Article]], Iterator[tuple[Article, list[Event]]]]


@dataclass(frozen=True)
class WatchSettings:
    every: timedelta = timedelta(minutes=15)
    fetchers: int = 4               # pages fetched at once (threads; fetching waits on the network)
    max_attempts: int = 5           # fetch tries of one page before it is given up
    retry_after: timedelta = timedelta(minutes=1)  # first delay after a failure; doubles each time
    batch: int = 64                 # stories coded per pipeline batch


@dataclass
class RoundReport:
    """What one round did, for the one-line summary and for tests."""

    feeds: int = 0
    not_modified: int = 0
    feed_failures: int = 0
    new: int = 0
    fetched: int = 0
    fetch_failures: int = 0
    coded: int = 0
    duplicates: int = 0
    events: int = 0
    failed_urls: list[str] = field(default_factory=list)

    @property
    def failures(self) -> int:
        return self.feed_failures + self.fetch_failures

    def line(self) -> str:
        feeds = f"{self.feeds} feeds polled"
        notes = [f"{n} {what}" for n, what in ((self.not_modified, "not modified"), (self.feed_failures, "failed")) if n]
        if notes:
            feeds += f" ({', '.join(notes)})"
        fetched = f"{self.fetched} fetched" + (f", {self.fetch_failures} failed" if self.fetch_failures else "")
        coded = f"{self.coded} coded ({self.events} events)" + (f", {self.duplicates} duplicates" if self.duplicates else "")
        return f"{feeds}; {self.new} new stories; {fetched}; {coded}"


class Watcher:
    """Polls ``feed_urls`` into ``store``; ``coder_factory`` builds the coder when first needed."""

    def __init__(self, store: EventStore, feed_urls: list[str], coder_factory: Callable[[], Coder],
                 fetcher: Fetcher, pipeline_version: str, settings: WatchSettings = WatchSettings(),
                 log: Callable[[str], None] = print):
        self.store, self.feed_urls, self.fetcher = store, list(feed_urls), fetcher
        self.settings, self.log = settings, log
        self.book = FeedBook(store)
        self.intake = Intake(store, pipeline_version)
        self._coder_factory = coder_factory
        self._coder: Coder | None = None
        self.book.add_feeds(self.feed_urls)

    # -- the loop ----------------------------------------------------------------------

    def run(self, once: bool = False, stop: threading.Event | None = None,
            on_round: Callable[[RoundReport], None] | None = None) -> RoundReport:
        """Rounds until ``stop`` is set (or one round with ``once``); returns the last report."""
        stop = stop or threading.Event()
        while True:
            report = self.run_round()
            if on_round:
                on_round(report)
            if once or stop.is_set():
                return report
            stop.wait(self.seconds_to_next_round())
            if stop.is_set():
                return report

    def seconds_to_next_round(self) -> float:
        now = utc_now()
        times = [t for t in (self.book.next_poll(self.feed_urls), self.book.next_attempt()) if t is not None]
        wake = min(times) if times else now + self.settings.every
        return min(max((wake - now).total_seconds(), 1.0), self.settings.every.total_seconds())

    def run_round(self) -> RoundReport:
        report = RoundReport()
        # Stories fetched before a stop are coded first: nothing fetched waits on the network.
        self.code_fetched(report)
        self.poll_feeds(report)
        self.fetch_items(report)
        self.code_fetched(report)
        return report

    # -- feeds -------------------------------------------------------------------------

    def poll_feeds(self, report: RoundReport) -> None:
        now = utc_now()
        due = self.book.due_feeds(self.feed_urls, now)
        with ThreadPoolExecutor(max_workers=max(1, min(self.settings.fetchers, len(due) or 1))) as pool:
            futures = [(pool.submit(self._fetch_feed, state), state) for state in due]
            # Taken in the order the feeds were given, not as they finish, so that which of
            # two copies is stored (and which becomes its source) does not depend on timing.
            for future, state in futures:
                report.feeds += 1
                outcome = future.result()
                if isinstance(outcome, (FetchError, FeedProblem)):
                    self._feed_failed(state, outcome, report)
                    continue
                fetched, parsed = outcome
                next_poll = utc_now() + self.settings.every
                if parsed is None:
                    report.not_modified += 1
                    self.book.polled(state.url, 304, next_poll)
                    continue
                report.new += self.book.add_entries(state.url, parsed.entries)
                self.book.polled(state.url, fetched.status, next_poll, fetched.etag, fetched.last_modified, parsed.title)

    def _fetch_feed(self, state: FeedState):
        try:
            fetched = self.fetcher.get(state.url, state.etag, state.last_modified, accept=FEED_ACCEPT)
            if fetched.not_modified:
                return fetched, None
            return fetched, parse_feed(fetched.content, fetched.url, fetched.headers.get("content-type"))
        except (FetchError, FeedProblem) as problem:
            return problem

    def _feed_failed(self, state: FeedState, problem: FetchError | FeedProblem, report: RoundReport) -> None:
        report.feed_failures += 1
        report.failed_urls.append(state.url)
        delay = self._backoff(state.failures + 1)
        status = problem.status if isinstance(problem, FetchError) else None
        failures = self.book.poll_failed(state.url, str(problem), status, utc_now() + delay)
        message = str(problem) if isinstance(problem, FetchError) else f"{state.url}: {problem}"
        hint = "" if isinstance(problem, FetchError) else " (hint: check that the address is an RSS or Atom feed)"
        self.log(f"feed {message}{hint}; failed {failures} time(s) in a row, next try in {_duration(delay)}")

    # -- pages -------------------------------------------------------------------------

    def fetch_items(self, report: RoundReport) -> None:
        due = []
        for item in self.book.due_items(utc_now()):
            known = self.intake.sources.article_for_address(item.canonical_url)
            if known:  # already stored from another feed or input: no need to fetch it
                self.book.mark_done(item, DUPLICATE, known)
                report.duplicates += 1
            else:
                due.append(item)
        if not due:
            return
        with ThreadPoolExecutor(max_workers=max(1, self.settings.fetchers)) as pool:
            futures = {pool.submit(self._fetch_and_keep, item): item for item in due}
            for future in as_completed(futures):
                item = futures[future]
                outcome = future.result()
                if isinstance(outcome, Article):
                    report.fetched += 1
                else:
                    self._fetch_failed(item, outcome, report)

    def _fetch_and_keep(self, item: FeedItem) -> Article | FetchError | InputProblem:
        """Fetch a story and commit its text at once, in the fetching thread.

        Committing here rather than when the main thread gets round to it means that a
        watcher killed at any moment has lost at most the pages still on the wire.
        """
        outcome = self._fetch_article(item)
        if isinstance(outcome, Article):
            self.book.mark_fetched(item, outcome)
        return outcome

    def _fetch_article(self, item: FeedItem) -> Article | FetchError | InputProblem:
        try:
            fetched = self.fetcher.get(item.url, accept=PAGE_ACCEPT)
        except FetchError as error:
            return error
        kind = fetched.content_type
        if kind in ("", "text/html", "application/xhtml+xml", "application/xml", "text/xml"):
            found = article_from_html(fetched.text(), fetched.url, item.published, url=fetched.url)
            if isinstance(found, Article) and not found.title:
                found.title = item.title
            return found
        if kind == "text/plain":
            return Article(text=fetched.text(), title=item.title, published=item.published, url=fetched.url,
                           source=fetched.url)
        return InputProblem(item.url, f"not a news page (content type {kind})", "the feed links to a file, not a story")

    def _fetch_failed(self, item: FeedItem, problem: FetchError | InputProblem, report: RoundReport) -> None:
        report.fetch_failures += 1
        report.failed_urls.append(item.url)
        attempts = item.attempts + 1
        retryable = isinstance(problem, FetchError) and problem.retryable
        limit = self.settings.max_attempts if retryable else min(2, self.settings.max_attempts)
        retry_in = self._backoff(attempts) if attempts < limit else None
        self.book.mark_fetch_failed(item, str(problem), retry_in)
        where = str(problem) if str(problem).startswith(item.url) else f"{item.url}: {problem}"
        then = f"next try in {_duration(retry_in)}" if retry_in is not None else f"given up after {attempts} tries"
        self.log(f"page {where}; {then}")

    # -- coding ------------------------------------------------------------------------

    def code_fetched(self, report: RoundReport) -> None:
        while True:
            items = self.book.fetched_items(limit=self.settings.batch)
            if not items:
                return
            to_code: list[tuple[FeedItem, Article]] = []
            for item in items:
                article = item.article()
                outcome = self.intake.screen(article, item.feed_url)
                if outcome is None:
                    to_code.append((item, article))
                    continue
                self.intake.note_address(outcome.article_id, item.url, item.feed_url)
                self.book.mark_done(item, CODED if outcome.status == UNCHANGED else DUPLICATE, outcome.article_id)
                report.duplicates += outcome.status != UNCHANGED
            for (item, article), events in self._code_each(to_code):
                if events is None:
                    report.fetch_failures += 1
                    report.failed_urls.append(item.url)
                    self.book.mark_done(item, FAILED, article.id)
                    continue
                saved = self.intake.save(article, events, item.feed_url)
                self.intake.note_address(article.id, item.url, item.feed_url)
                self.book.mark_done(item, CODED, article.id)
                report.coded += 1
                report.events += saved.events

    def _code_each(self, pairs: list[tuple[FeedItem, Article]]) -> Iterable[tuple[tuple[FeedItem, Article], list | None]]:
        """Events of each article, batched; an article the pipeline fails on gets None (logged)."""
        if not pairs:
            return
        if self._coder is None:
            self._coder = self._coder_factory()
        done = 0
        try:
            for pair, (_article, events) in zip(pairs, self._coder([article for _, article in pairs])):
                done += 1
                yield pair, events
            return
        except Exception:  # noqa: BLE001 - isolate the article that broke the batch, below
            pass
        for pair in pairs[done:]:
            try:
                yield pair, next(iter(self._coder([pair[1]])))[1]
            except Exception as error:  # noqa: BLE001 - one bad article must not stop the watcher
                self.log(f"page {pair[0].url}: could not be coded ({type(error).__name__}: {error}) "
                         "(hint: report it with the page's address)")
                yield pair, None

    def _backoff(self, failures: int) -> timedelta:
        delay = self.settings.retry_after * (2 ** max(0, failures - 1))
        return min(delay, max(self.settings.every, self.settings.retry_after))


def _duration(delay: timedelta) -> str:
    seconds = int(delay.total_seconds())
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h"


def parse_every(value: str) -> timedelta:
    """A polling interval: "15m", "1h", "90s", "1h30m", or plain seconds.

    >>> parse_every("15m")
    datetime.timedelta(seconds=900)
    """
    import re

    text = value.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        seconds = float(text)
    else:
        parts = re.findall(r"(\d+(?:\.\d+)?)\s*([smhd])", text)
        if not parts or re.sub(r"(\d+(?:\.\d+)?)\s*[smhd]", "", text).strip():
            raise ValueError(f"not a duration: {value!r}")
        unit = {"s": 1, "m": 60, "h": 3600, "d": 86400}
        seconds = sum(float(number) * unit[letter] for number, letter in parts)
    if seconds <= 0:
        raise ValueError(f"must be positive: {value!r}")
    return timedelta(seconds=seconds)
