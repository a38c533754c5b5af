"""Fetching: User-Agent, conditional GET, retries with backoff, timeouts, broken servers."""
import pytest
from newsroom import Reply

from whimbrel.feeds import FetchError, Fetcher, FetchPolicy
from whimbrel.pipeline.ingest import USER_AGENT


def test_sends_a_clear_user_agent(site, fetcher):
    url = site.route("/page", Reply(body=b"hello", content_type="text/plain"))
    fetched = fetcher.get(url)
    assert fetched.status == 200 and fetched.content == b"hello"
    assert site.hits("/page")[0]["user-agent"] == USER_AGENT
    assert "whimbrel" in USER_AGENT and "+http" in USER_AGENT  # who we are and where to read about it


def test_conditional_get_with_etag_and_last_modified(site, fetcher):
    url = site.route("/feed", Reply(body=b"<rss/>", content_type="application/rss+xml"), etag='"v1"')
    first = fetcher.get(url)
    assert first.etag == '"v1"' and first.last_modified
    again = fetcher.get(url, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.content == b""
    sent = site.hits("/feed")[1]
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == first.last_modified
    # Last-Modified alone is enough too.
    assert fetcher.get(url, last_modified=first.last_modified).not_modified


def test_a_server_error_then_success_is_retried_with_backoff(site, fetcher, sleeps):
    url = site.route("/flaky", Reply(500), Reply(503), Reply(body=b"ok", content_type="text/plain"))
    fetched = fetcher.get(url)
    assert fetched.content == b"ok" and fetched.attempts == 3
    assert sleeps == [0.5, 1.0]  # exponential backoff


def test_a_server_that_keeps_failing_gives_one_clear_error(site, fetcher, sleeps):
    url = site.route("/broken", Reply(500))
    with pytest.raises(FetchError) as caught:
        fetcher.get(url)
    error = caught.value
    assert error.status == 500 and error.retryable
    assert str(error).startswith(url) and "after 3 tries" in str(error) and "hint:" in str(error)
    assert len(site.hits("/broken")) == 3


def test_retry_after_is_honoured(site, fetcher, sleeps):
    url = site.route("/busy", Reply(429, headers={"Retry-After": "7"}), Reply(body=b"ok", content_type="text/plain"))
    assert fetcher.get(url).content == b"ok"
    assert sleeps == [7.0]


def test_not_found_is_not_retried(site, fetcher):
    url = site.route("/gone", Reply(404, b"no"))
    with pytest.raises(FetchError) as caught:
        fetcher.get(url)
    assert caught.value.status == 404 and not caught.value.retryable
    assert len(site.hits("/gone")) == 1


def test_a_slow_server_times_out(site, fetcher):
    url = site.route("/slow", Reply(body=b"late", delay=2.0))
    with pytest.raises(FetchError) as caught:
        fetcher.get(url)
    assert "timed out after 0.5 s" in str(caught.value) and caught.value.retryable


def test_nothing_listening(site):
    with Fetcher(FetchPolicy(timeout=0.5, retries=0)) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get("http://127.0.0.1:9/nothing")
    assert "could not fetch" in str(caught.value)


def test_oversized_bodies_are_refused(site):
    url = site.route("/huge", Reply(body=b"x" * 5000, content_type="text/plain"))
    with Fetcher(FetchPolicy(max_bytes=1000)) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(url)
    assert "larger than 1,000 bytes" in str(caught.value) and not caught.value.retryable


def test_text_uses_the_declared_charset(site, fetcher):
    page = "<html><head><meta charset='windows-1252'></head><body>Caf\u00e9 \u2013 na\u00efve</body></html>"
    url = site.route("/cp1252", Reply(body=page.encode("cp1252"), content_type="text/html"))
    assert "Caf\u00e9 \u2013 na\u00efve" in fetcher.get(url).text()
    url = site.route("/latin", Reply(body="\u00e9t\u00e9".encode("latin-1"), content_type="text/plain; charset=latin-1"))
    assert fetcher.get(url).text() == "\u00e9t\u00e9"
