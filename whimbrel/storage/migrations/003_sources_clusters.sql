-- Duplicates: every address an article was seen under, the fingerprints that find its
-- copies, and the clusters that gather the events of one happening across articles.

-- relation says how the address came to this article: 'self' (it was coded from it),
-- 'url' (another address of the same page), 'exact' (the same text) or 'near' (a copy
-- found by MinHash). Without a URL the input's place (file:line) stands in; host is null.
CREATE TABLE article_sources (
    article_id    TEXT NOT NULL,
    canonical_url TEXT NOT NULL,
    url           TEXT,
    host          TEXT,
    feed_url      TEXT,
    relation      TEXT NOT NULL,
    seen_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (article_id, canonical_url)
);

CREATE INDEX article_sources_url ON article_sources (canonical_url);

-- content_key: hash of the folded words; minhash: base64 of the MinHash signature.
CREATE TABLE article_fingerprints (
    article_id  TEXT PRIMARY KEY,
    content_key TEXT NOT NULL,
    minhash     TEXT NOT NULL,
    seen_at     TIMESTAMP NOT NULL
);

CREATE INDEX article_fingerprints_content ON article_fingerprints (content_key);

-- One row per clustered event; cluster_id is the smallest event id of its cluster.
CREATE TABLE event_clusters (
    event_id   TEXT PRIMARY KEY,
    cluster_id TEXT NOT NULL,
    article_id TEXT NOT NULL
);

CREATE INDEX event_clusters_cluster ON event_clusters (cluster_id);
CREATE INDEX event_clusters_article ON event_clusters (article_id)
