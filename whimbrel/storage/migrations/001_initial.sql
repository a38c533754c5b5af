-- The first schema: articles, their events, the events' actors and the places they name.
-- {json} and {double} are filled in per backend (JSON/DOUBLE on DuckDB, JSONB/DOUBLE PRECISION
-- on PostgreSQL); everything else is the same SQL on both.

CREATE TABLE articles (
    id               TEXT PRIMARY KEY,
    url              TEXT,
    title            TEXT,
    published        DATE,
    source           TEXT,
    content_hash     TEXT NOT NULL,
    coded_at         TIMESTAMP NOT NULL,
    pipeline_version TEXT NOT NULL,
    text             TEXT NOT NULL
);

-- One row per GeoNames place any event is located at.
CREATE TABLE places (
    geonameid BIGINT PRIMARY KEY,
    name      TEXT,
    lat       {double},
    lon       {double},
    country   TEXT,
    admin1    TEXT,
    feature   TEXT
);

-- Schema v1 records: the whole record in `record`, the queried fields flattened beside it.
-- search_text is the evidence lower-cased (for q); actor_text, actor_countries and
-- actor_sectors gather the event's actors (" FRA MLI ") so that the actor, country and sector
-- filters scan one table instead of joining actors for every event.
CREATE TABLE events (
    event_id         TEXT PRIMARY KEY,
    article_id       TEXT NOT NULL,
    event_type       TEXT NOT NULL,
    quad             INTEGER,
    mode             TEXT,
    modality         TEXT NOT NULL,
    date_start       DATE,
    date_end         DATE,
    date_precision   TEXT,
    geonameid        BIGINT,
    location_country TEXT,
    lat              {double},
    lon              {double},
    evidence         TEXT NOT NULL,
    search_text      TEXT NOT NULL,
    actor_text       TEXT NOT NULL,
    actor_countries  TEXT NOT NULL,
    actor_sectors    TEXT NOT NULL,
    confidence       {double} NOT NULL,
    record           {json} NOT NULL
);

CREATE INDEX events_article ON events (article_id);

-- One row per actor of an event, role 'source' or 'target', in the record's order.
CREATE TABLE actors (
    event_id TEXT NOT NULL,
    role     TEXT NOT NULL,
    position INTEGER NOT NULL,
    text     TEXT NOT NULL,
    name     TEXT,
    country  TEXT,
    sector   TEXT,
    PRIMARY KEY (event_id, role, position)
);

CREATE INDEX events_date ON events (date_start);
CREATE INDEX actors_country ON actors (country);
