"""Fetching feeds and pages over HTTP politely: timeouts, retries with backoff, conditional GET.

One ``Fetcher`` holds one ``httpx.Client`` (connection reuse, safe to share between
threads). A request that times out, cannot connect, or gets 408/429/5xx is retried with
exponential backoff, honouring ``Retry-After``; anything else fails at once. Failures are
``FetchError``s that name the URL, say what happened and carry a hint, never a traceback.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Callable

import httpx

from whimbrel.pipeline.ingest import USER_AGENT, decode

RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w.:-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class FetchPolicy:
    """How hard to try: per-request timeout (s), retries after the first try, backoff base (s)."""

    timeout: float = 20.0
    retries: int = 3
    backoff: float = 1.0
    max_backoff: float = 60.0
    max_bytes: int = 20_000_000  # a news page or feed is far smaller; anything bigger is not one
    user_agent: str = USER_AGENT


class FetchError(Exception):
    """A URL that could not be fetched: where, what, a hint, and whether trying later may help."""

    def __init__(self, url: str, message: str, hint: str = "", status: int | None = None, retryable: bool = True):
        super().__init__(f"{url}: {message}")
        self.url, self.message, self.hint = url, message, hint
        self.status, self.retryable = status, retryable

    def __str__(self) -> str:
        text = f"{self.url}: {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text


@dataclass
class Fetched:
    """A response worth reading: the final URL, status, headers and body (empty on 304)."""

    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""
    attempts: int = 1

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def text(self) -> str:
        """The body as text: the charset the server or the page declares, else UTF-8/cp1252/latin-1."""
        declared = re.search(r"charset=([\w.:-]+)", self.headers.get("content-type", ""), re.IGNORECASE)
        match = declared.group(1).encode() if declared else None
        if match is None:
            meta = _META_CHARSET.search(self.content[:4096])
            match = meta.group(1) if meta else None
        if match:
            try:
                return self.content.decode(match.decode("ascii"), errors="replace")
            except LookupError:
                pass  # an unknown charset name: fall back to guessing
        return decode(self.content)


class Fetcher:
    """GETs with the policy's timeouts, retries and User-Agent.

    >>> with Fetcher(FetchPolicy(timeout=10)) as fetcher:
    ...     feed = fetcher.get("https://example.org/rss", etag='"abc"')
    ...     feed.not_modified
    """

    def __init__(self, policy: FetchPolicy = FetchPolicy(), sleep: Callable[[float], None] = time.sleep,
                 transport: httpx.BaseTransport | None = None):
        self.policy = policy
        self.sleep = sleep
        self.client = httpx.Client(
            headers={"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(policy.timeout), follow_redirects=True, max_redirects=5, transport=transport)

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None,
            accept: str | None = None) -> Fetched:
        """The response to a GET of ``url``, after retries; raises ``FetchError``.

        With ``etag`` or ``last_modified`` the request is conditional and a 304 comes back
        as ``Fetched(status=304)`` with no body.
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        attempt = 0
        while True:
            attempt += 1
            try:
                fetched = self._get_once(url, headers)
            except FetchError as error:
                if not error.retryable or attempt > self.policy.retries:
                    if attempt > 1:
                        error.message += f" after {attempt} tries"
                    raise
                self.sleep(self._delay(attempt, getattr(error, "retry_after", None)))
                continue
            fetched.attempts = attempt
            return fetched

    def _get_once(self, url: str, headers: dict[str, str]) -> Fetched:
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                if response.status_code in RETRY_STATUSES:
                    error = FetchError(url, f"HTTP {response.status_code}", "the server is failing; it is retried later",
                                       status=response.status_code)
                    error.retry_after = retry_after_seconds(response.headers.get("retry-after"))
                    raise error
                if response.status_code == 304:
                    return Fetched(str(response.url), 304, dict(response.headers))
                if response.status_code >= 400:
                    raise FetchError(url, f"HTTP {response.status_code}", "check the address",
                                     status=response.status_code, retryable=False)
                content = self._read_capped(url, response)
                return Fetched(str(response.url), response.status_code, dict(response.headers), content)
        except httpx.TimeoutException:
            raise FetchError(url, f"timed out after {self.policy.timeout:g} s",
                             "the server is slow or unreachable; it is retried later") from None
        except httpx.TooManyRedirects:
            raise FetchError(url, "too many redirects", "check the address", retryable=False) from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as error:
            raise FetchError(url, f"not a fetchable URL ({error})", "give an http(s) address", retryable=False) from None
        except httpx.DecodingError:
            raise FetchError(url, "the response body could not be decoded", "the server sent a broken body") from None
        except httpx.TransportError as error:
            raise FetchError(url, f"could not fetch ({type(error).__name__})",
                             "check the address and the network; it is retried later") from None

    def _read_capped(self, url: str, response: httpx.Response) -> bytes:
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.policy.max_bytes:
                raise FetchError(url, f"response larger than {self.policy.max_bytes:,} bytes",
                                 "this is not a news page or feed", retryable=False)
            chunks.append(chunk)
        return b"".join(chunks)

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        backoff = self.policy.backoff * 2 ** (attempt - 1)
        if retry_after is not None:
            backoff = max(backoff, retry_after)
        return min(backoff, self.policy.max_backoff)


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
