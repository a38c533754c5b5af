-- Feed watching (`whimbrel watch`): what each feed last said and what became of each story
-- it listed. The watcher keeps all of its state here, so a restarted watcher resumes.

-- One row per feed: the validators for conditional GET, when to poll next, how it failed.
CREATE TABLE feeds (
    url           TEXT PRIMARY KEY,
    title         TEXT,
    etag          TEXT,
    last_modified TEXT,
    added_at      TIMESTAMP NOT NULL,
    last_polled   TIMESTAMP,
    next_poll     TIMESTAMP NOT NULL,
    failures      INTEGER NOT NULL,
    last_status   INTEGER,
    last_error    TEXT
);

-- One row per story a feed listed, keyed by its canonical URL. state moves
-- pending -> fetched -> coded (or duplicate, or failed after too many attempts); the
-- extracted text is kept from `fetched` on, so a fetched story is never lost or refetched.
CREATE TABLE feed_items (
    canonical_url TEXT PRIMARY KEY,
    url           TEXT NOT NULL,
    feed_url      TEXT,
    guid          TEXT,
    title         TEXT,
    published     DATE,
    state         TEXT NOT NULL,
    attempts      INTEGER NOT NULL,
    next_attempt  TIMESTAMP NOT NULL,
    last_error    TEXT,
    article_title TEXT,
    article_text  TEXT,
    article_id    TEXT,
    discovered_at TIMESTAMP NOT NULL,
    fetched_at    TIMESTAMP,
    done_at       TIMESTAMP
);

CREATE INDEX feed_items_state ON feed_items (state, next_attempt);
