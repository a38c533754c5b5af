"""A small news site on 127.0.0.1 for the feed tests: feeds, story pages, and misbehaviour.

Routes are set per test (``site.route(path, ...)``); each can answer slowly, fail, answer
a sequence of responses (500 then 200), or honour conditional GET with an ETag and a
Last-Modified date. Every request is logged with its headers, so tests can check what the
watcher sent. The same server answers as ``127.0.0.1`` and as ``localhost``: two outlets.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0
    headers: dict = field(default_factory=dict)


@dataclass
class Route:
    replies: list[Reply]
    etag: str | None = None
    last_modified: str | None = None
    served: int = 0

    def next_reply(self) -> Reply:
        reply = self.replies[min(self.served, len(self.replies) - 1)]
        self.served += 1
        return reply


class NewsSite:
    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict]] = []
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 - the http.server API
                headers = {k.lower(): v for k, v in self.headers.items()}
                with site.lock:
                    site.requests.append((self.path, headers))
                    # Query strings (tracking parameters) do not change the page, as on real sites.
                    route = site.routes.get(self.path) or site.routes.get(self.path.split("?")[0])
                    reply = route.next_reply() if route else Reply(404, b"not found", "text/plain")
                if reply.delay:
                    time.sleep(reply.delay)
                if route and route.etag and reply.status == 200:
                    if headers.get("if-none-match") == route.etag or (
                            route.last_modified and headers.get("if-modified-since") == route.last_modified):
                        self._send(Reply(304, b"", headers={"ETag": route.etag}))
                        return
                    reply = Reply(reply.status, reply.body, reply.content_type, 0,
                                  {**reply.headers, "ETag": route.etag, "Last-Modified": route.last_modified})
                self._send(reply)

            def _send(self, reply: Reply) -> None:
                try:
                    self.send_response(reply.status)
                    if reply.status != 304:
                        self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(reply.body)))
                    for name, value in reply.headers.items():
                        if value is not None:
                            self.send_header(name, value)
                    self.end_headers()
                    if reply.body:
                        self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test): nothing to tell it

            def log_message(self, *args):  # keep the test output clean
                pass

        class QuietServer(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a client that timed out and hung up is what the slow routes are for

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.alt_base = f"http://localhost:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- routes ---------------------------------------------------------------------------

    def route(self, path: str, *replies: Reply, etag: str | None = None) -> str:
        last_modified = formatdate(1700000000, usegmt=True) if etag else None
        self.routes[path] = Route(list(replies), etag, last_modified)
        return self.base + path

    def story(self, path: str, title: str, paragraphs: list[str], published: str = "2024-03-05",
              delay: float = 0.0) -> str:
        return self.route(path, Reply(body=story_html(title, paragraphs, published).encode("utf-8"), delay=delay))

    def feed(self, path: str, links: list[tuple[str, str]], etag: str | None = None, delay: float = 0.0,
             atom: bool = False) -> str:
        body = (atom_feed if atom else rss_feed)(links).encode("utf-8")
        kind = "application/atom+xml" if atom else "application/rss+xml"
        return self.route(path, Reply(body=body, content_type=kind, delay=delay), etag=etag)

    def hits(self, path: str) -> list[dict]:
        with self.lock:
            return [headers for p, headers in self.requests if p.split("?")[0] == path]


def story_html(title: str, paragraphs: list[str], published: str) -> str:
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<meta property="article:published_time" content="{published}T08:00:00Z">
<meta name="date" content="{published}"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a> | Share | Update</nav>
<article><h1>{escape(title)}</h1>
{body}
</article>
<footer><p>Copyright The Test Gazette. All rights reserved.</p></footer></body></html>"""


def rss_feed(links: list[tuple[str, str]]) -> str:
    items = "\n".join(
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link><guid>{escape(link)}</guid>"
        f"<pubDate>Tue, 05 Mar 2024 08:00:00 GMT</pubDate></item>" for link, title in links)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Test Gazette</title><link>http://127.0.0.1/</link>
<description>Stories for tests</description>
{items}
</channel></rss>"""


def atom_feed(links: list[tuple[str, str]]) -> str:
    entries = "\n".join(
        f"<entry><title>{escape(title)}</title><link href=\"{escape(link)}\"/><id>{escape(link)}</id>"
        f"<updated>2024-03-05T08:00:00Z</updated></entry>" for link, title in links)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Test Wire</title><id>urn:test-wire</id>
<updated>2024-03-05T08:00:00Z</updated>
{entries}
</feed>"""


# Stories written for these tests. The second outlet's copy of the shelling story is the
# same wire text with its own opening line and sign-off, as wire copies come.
SHELLING = [
    "Government troops shelled rebel positions near the eastern city of Goma on Monday, "
    "residents said, as fighting spread along the main road north of the city.",
    "The army said its artillery had hit fighters of the M23 rebel group who had advanced "
    "towards Sake, a town about 25 kilometres west of Goma, over the weekend.",
    "Aid groups said thousands of families had fled the area in the past three days and "
    "were sheltering in schools and churches on the edge of the city.",
    "The United Nations mission in the country called on both sides to stop the fighting "
    "and to let humanitarian convoys reach the displaced.",
]
PROTEST = [
    "Thousands of teachers marched through the centre of Nairobi on Tuesday to demand higher "
    "pay, blocking traffic on several roads near parliament.",
    "Police fired tear gas at protesters who tried to reach the finance ministry, and several "
    "people were arrested, witnesses said.",
    "The teachers' union said the strike would go on until the government agreed to talks on "
    "a new pay deal, which it says was promised two years ago.",
    "The education minister urged the teachers to return to their classrooms and said the "
    "government was ready to meet union leaders next week.",
]
TALKS = [
    "The foreign ministers of Ethiopia and Kenya met in Addis Ababa on Monday to discuss "
    "security along their shared border and trade between the two countries.",
    "After the meeting the two ministers signed an agreement to open a new border crossing "
    "and to share information on armed groups operating in the region.",
    "Officials from both governments said the deal would be reviewed in six months and that "
    "their presidents were expected to meet later in the year.",
]
