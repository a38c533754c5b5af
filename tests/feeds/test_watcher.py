"""The watcher against a local news site: stories stored once, failures retried, restarts resumed."""
from datetime import timedelta

import pytest
from newsroom import PROTEST, SHELLING, TALKS, Reply, story_html

from whimbrel.feeds import Watcher, WatchSettings
from whimbrel.storage.feeds import CODED, FAILED, FeedBook
from whimbrel.storage.filters import EventFilter
from whimbrel.storage.sources import SourceBook
from whimbrel.storage.testing import BACKENDS, POSTGRES_ENV, fresh_store, postgres_url

VERSION = "0.1.0+feeds-test"
NOW_AND_AGAIN = WatchSettings(every=timedelta(0), retry_after=timedelta(0), max_attempts=3, fetchers=3)


def _backend_param(backend):
    marks = []
    if backend == "postgresql":
        marks = [pytest.mark.postgres,
                 pytest.mark.skipif(not postgres_url(), reason=f"{POSTGRES_ENV} not set: no PostgreSQL to test on")]
    return pytest.param(backend, marks=marks, id=backend)


@pytest.fixture(params=[_backend_param(b) for b in BACKENDS])
def backend(request):
    return request.param


@pytest.fixture
def store(backend, tmp_path):
    store = fresh_store(backend, tmp_path)
    yield store
    store.close()


def publish(site):
    """Two feeds of good stories (one a copy of another, one listed twice) and three bad feeds."""
    shelling = site.story("/world/goma-shelling.html", "Troops shell rebels near Goma", SHELLING)
    protest = site.story("/world/nairobi-teachers.html", "Teachers march in Nairobi", PROTEST)
    talks = site.route("/world/border-talks.html", Reply(500),
                       Reply(body=story_html("Ministers sign border deal", TALKS, "2024-03-04").encode()))
    wire = site.route("/wire/goma.html", Reply(body=story_html(
        "Army shells M23 near Goma", ["GOMA (Test Wire) -"] + SHELLING + ["Reporting by the wire desk."],
        "2024-03-05").encode()))
    site.route("/world/withdrawn.html", Reply(404, b"gone", "text/plain"))
    feeds = [
        site.feed("/rss.xml", [(shelling, "Shelling"), (protest + "?utm_source=rss", "Protest"),
                               (talks, "Talks"), (site.base + "/world/withdrawn.html", "Withdrawn")], etag='"v1"'),
        site.feed("/atom.xml", [(wire.replace(site.base, site.alt_base), "Wire copy"), (protest, "Protest")],
                  atom=True),
        site.route("/not-a-feed.html", Reply(body=b"<html><body><p>Welcome</p></body></html>")),
        site.route("/slow.xml", Reply(body=b"<rss/>", delay=2.0)),
        site.route("/broken.xml", Reply(500)),
    ]
    return feeds


def watcher(store, site, fetcher, coder, settings=NOW_AND_AGAIN, log=None):
    return Watcher(store, publish(site), coder.factory, fetcher, VERSION, settings,
                   log=log.append if log is not None else (lambda line: None))


def test_one_round_stores_each_story_once_and_logs_each_failure(store, site, fetcher, coder):
    log = []
    report = watcher(store, site, fetcher, coder, log=log).run_round()

    assert store.counts()["articles"] == 3  # shelling, protest, talks; the wire copy joined shelling
    assert sorted(coder.coded) == sorted(set(coder.coded)) and len(coder.coded) == 3
    assert report.feeds == 5 and report.feed_failures == 3 and report.new == 5
    assert report.fetched == 4 and report.fetch_failures == 1 and report.coded == 3 and report.duplicates == 1
    assert report.events == store.counts()["events"] > 0
    # The page that failed once (HTTP 500) was retried within the round and stored.
    assert len(site.hits("/world/border-talks.html")) == 2
    # One line per failure, naming the feed or page, saying what went wrong and what happens next.
    assert len(log) == 4
    assert {line.split(" ", 2)[1].rsplit("/", 1)[1].rstrip(":") for line in log} == {
        "not-a-feed.html", "slow.xml", "broken.xml", "withdrawn.html"}
    assert all(("hint:" in line) and ("next try" in line or "given up" in line) for line in log)


def test_copies_are_stored_once_with_all_their_sources(store, site, fetcher, coder):
    watcher(store, site, fetcher, coder).run_round()
    sources = SourceBook(store)
    shelling_id = sources.article_for_address(f"https://127.0.0.1:{site.port}/world/goma-shelling.html")
    hosts = {(s["host"], s["relation"]) for s in sources.sources(shelling_id)}
    assert hosts == {(f"127.0.0.1", "self"), ("localhost", "near")}
    protest_id = sources.article_for_address(f"https://127.0.0.1:{site.port}/world/nairobi-teachers.html")
    assert protest_id and len(site.hits("/world/nairobi-teachers.html")) == 1  # listed twice, fetched once


def test_unchanged_feeds_cost_a_304(store, site, fetcher, coder):
    w = watcher(store, site, fetcher, coder)
    w.run_round()
    report = w.run_round()
    assert report.not_modified == 1 and report.new == 0 and report.coded == 0
    second = site.hits("/rss.xml")[1]
    assert second["if-none-match"] == '"v1"' and second["if-modified-since"]


def test_failing_pages_are_retried_in_later_rounds_then_given_up(store, site, fetcher, coder):
    log = []
    w = watcher(store, site, fetcher, coder, log=log)
    recovering = site.route("/world/recovering.html", *[Reply(502)] * 3,
                            Reply(body=story_html("Ceasefire holds in the east", PROTEST[:1] + TALKS, "2024-03-06").encode()))
    down = site.route("/world/down.html", Reply(503))
    site.feed("/rss.xml", [(recovering, "Recovering"), (down, "Down")], etag='"v2"')

    first = w.run_round()
    assert first.fetch_failures == 2
    second = w.run_round()
    assert second.coded == 1  # the recovering page, on its second round
    w.run_round()
    book = FeedBook(store)
    assert book.counts()[FAILED] == 1  # the page that is always down
    assert any(line.startswith(f"page {down}: HTTP 503") and "given up after 3 tries" in line for line in log)
    assert len(site.hits("/world/down.html")) == 9  # 3 rounds x 3 tries, then no more
    w.run_round()
    assert len(site.hits("/world/down.html")) == 9


def test_restart_after_a_crash_between_fetching_and_coding(backend, tmp_path, site, fetcher, coder):
    store = fresh_store(backend, tmp_path)

    def crash_after_first(articles):
        for count, article in enumerate(articles):
            if count == 1:
                raise KeyboardInterrupt  # the watcher is killed after storing its first story
            yield from coder.code([article])

    first = Watcher(store, publish(site), lambda: crash_after_first, fetcher, VERSION, NOW_AND_AGAIN,
                    log=lambda line: None)
    with pytest.raises(KeyboardInterrupt):
        first.run_round()
    store.close()
    assert FeedBook(reopen := _reopen(backend, tmp_path)).counts().get("fetched", 0) >= 1
    hits_before = {path: len(site.hits(path)) for path in ("/world/goma-shelling.html", "/world/nairobi-teachers.html")}

    Watcher(reopen, publish(site), coder.factory, fetcher, VERSION, NOW_AND_AGAIN, log=lambda line: None).run_round()
    assert reopen.counts()["articles"] == 3
    assert len(coder.coded) == len(set(coder.coded)) == 3  # the stored one was not coded again
    # What was fetched before the crash was not fetched again.
    assert {path: len(site.hits(path)) for path in hits_before} == hits_before
    assert FeedBook(reopen).counts()[CODED] == 3
    reopen.close()


def test_restart_after_a_crash_between_storing_and_bookkeeping(backend, tmp_path, site, fetcher, coder, monkeypatch):
    store = fresh_store(backend, tmp_path)
    original = FeedBook.mark_done
    crashed = []

    def crash_once(self, item, state, article_id):
        if state == CODED and not crashed:
            crashed.append(article_id)
            raise KeyboardInterrupt  # stored, but the watcher died before noting it
        original(self, item, state, article_id)

    monkeypatch.setattr(FeedBook, "mark_done", crash_once)
    with pytest.raises(KeyboardInterrupt):
        watcher(store, site, fetcher, coder).run_round()
    store.close()
    monkeypatch.setattr(FeedBook, "mark_done", original)

    reopen = _reopen(backend, tmp_path)
    watcher(reopen, site, fetcher, coder).run_round()
    assert coder.coded.count(crashed[0]) == 1  # never coded twice
    assert len(coder.coded) == len(set(coder.coded)) == 3
    assert reopen.counts()["articles"] == 3 and FeedBook(reopen).counts()[CODED] == 3
    # Its clusters and sources were completed on the second run.
    assert SourceBook(reopen).sources(crashed[0])
    reopen.close()


def test_a_story_the_pipeline_fails_on_is_logged_and_the_others_go_on(store, site, fetcher, coder):
    log = []

    def fussy(articles):
        for article in articles:
            if "Nairobi" in article.text:
                raise ValueError("cannot parse this one")
            yield from coder.code([article])

    w = Watcher(store, publish(site), lambda: fussy, fetcher, VERSION, NOW_AND_AGAIN, log=log.append)
    report = w.run_round()
    assert store.counts()["articles"] == 2 and report.coded == 2
    assert any("could not be coded (ValueError: cannot parse this one)" in line for line in log)
    assert FeedBook(store).counts()[FAILED] == 1  # that story (the withdrawn page waits for its second try)


def test_the_stored_events_have_clusters(store, site, fetcher, coder):
    from whimbrel.storage.clusters import ClusterBook

    watcher(store, site, fetcher, coder).run_round()
    listing = ClusterBook(store).clusters(EventFilter(modalities=()), limit=500)["clusters"]
    assert sum(c["events"] for c in listing) == store.counts()["events"]


def _reopen(backend, folder):
    from whimbrel.storage import open_store
    from whimbrel.storage.testing import store_url

    return open_store(store_url(backend, folder))
