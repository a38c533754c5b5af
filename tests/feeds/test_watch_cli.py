"""`whimbrel watch` as a user runs it: one round, exit codes, one-line errors, and a kill -9."""
import os
import signal
import subprocess
import sys
import time

import duckdb
from newsroom import PROTEST, SHELLING, TALKS, Reply


def watch(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "whimbrel", "watch", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)


def rows(db, sql):
    with duckdb.connect(str(db), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_one_round_from_a_feed_list_with_a_broken_feed(site, tmp_path):
    story = site.story("/world/goma.html", "Troops shell rebels near Goma", SHELLING)
    feed = site.feed("/rss.xml", [(story, "Shelling")])
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"# test feeds\n{feed}\n{site.base}/broken.xml\nnot a url\n", encoding="utf-8")
    site.route("/broken.xml", Reply(500))
    db = tmp_path / "watch.duckdb"

    result = watch(listing, "--db", db, "--once", "--timeout", "2", "--retries", "0")
    assert result.returncode == 3  # something failed (a feed, a line of the list), the rest was stored
    lines = result.stderr.strip().splitlines()
    assert any(line.startswith(f"whimbrel: skipped {listing}:4: not an http(s) URL") for line in lines)
    assert any(line.startswith(f"whimbrel: feed {site.base}/broken.xml: HTTP 500") and "hint:" in line
               for line in lines)
    assert lines[-1].startswith("whimbrel: 2 feeds polled (1 failed); 1 new stories; 1 fetched; 1 coded")
    assert "Traceback" not in result.stderr
    assert rows(db, "SELECT count(*) FROM articles") == [(1,)]
    assert rows(db, "SELECT count(*) FROM events")[0][0] > 0

    site.route("/broken.xml", Reply(body=b"<rss version='2.0'><channel><title>Fixed</title></channel></rss>",
                                    content_type="application/rss+xml"))
    again = watch(feed, f"{site.base}/broken.xml", "--db", db, "--once", "--every", "1s", "--timeout", "2")
    assert again.returncode == 0, again.stderr
    assert "0 new stories" in again.stderr.strip().splitlines()[-1]


def test_bad_options_and_no_feeds_are_usage_errors(tmp_path):
    assert watch("https://a.example/rss", "--db", tmp_path / "x.duckdb", "--every", "soon").returncode == 2
    empty = tmp_path / "none.txt"
    empty.write_text("# nothing\n", encoding="utf-8")
    result = watch(empty, "--db", tmp_path / "x.duckdb")
    assert result.returncode == 2 and "no feeds to watch" in result.stderr and "Traceback" not in result.stderr


def test_killed_mid_run_and_restarted_it_loses_nothing_and_fetches_nothing_twice(site, tmp_path):
    stories = {f"/world/story-{i}.html": paragraphs for i, paragraphs in enumerate([SHELLING, PROTEST, TALKS] * 2)}
    links = []
    for i, (path, paragraphs) in enumerate(stories.items()):
        # Each copy of a story gets its own opening line, so the six pages are six articles.
        text = [f"Report {i} from the Test Gazette, filed on the day:"] + paragraphs[i % 2:] + [f"Report {i} ends."]
        links.append((site.story(path, f"Story {i}", text, delay=1.0), f"Story {i}"))
    feed = site.feed("/rss.xml", links)
    db = tmp_path / "watch.duckdb"
    command = [sys.executable, "-m", "whimbrel", "watch", feed, "--db", str(db), "--every", "1h", "--fetchers", "1"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while sum(len(site.hits(path)) for path in stories) < 3 and time.time() < deadline:
        time.sleep(0.1)
    process.send_signal(signal.SIGKILL)  # no goodbye: as a crash or a power cut
    process.wait(timeout=30)
    fetched_before = {path for path in stories if site.hits(path)}
    assert 1 <= len(fetched_before) < len(stories)

    result = watch(feed, "--db", db, "--once", "--every", "1h", timeout=600)
    assert result.returncode == 0, result.stderr
    assert rows(db, "SELECT count(*) FROM articles") == [(len(stories),)]
    assert rows(db, "SELECT state, count(*) FROM feed_items GROUP BY state") == [("coded", len(stories))]
    # A page fetched before the kill was committed as it arrived and is not fetched again;
    # only the one on the wire at the moment of the kill (one fetcher) may be.
    refetched = [path for path in fetched_before if len(site.hits(path)) > 1]
    assert len(refetched) <= 1, refetched
    assert os.path.getsize(db) > 0
