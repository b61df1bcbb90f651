-- Watching (veille.watch): the sources followed round after round, with what each has
-- already given, and the saved searches whose new matches are recorded after each round.
CREATE TABLE watch_sources (
    source VARCHAR PRIMARY KEY,         -- a URL (feed or page), or a folder's absolute path
    kind VARCHAR NOT NULL,              -- url | folder
    every_seconds DOUBLE NOT NULL,      -- how often it is polled when it answers
    added TIMESTAMP NOT NULL,
    etag VARCHAR,                       -- validators for the next conditional request
    last_modified VARCHAR,
    body_digest VARCHAR,                -- of the last answer: the same bytes again are not read again
    last_attempt TIMESTAMP,
    last_success TIMESTAMP,
    last_error VARCHAR,                 -- the last failure, kept after a success (with its time)
    last_error_at TIMESTAMP,
    failures INTEGER NOT NULL DEFAULT 0,   -- failures in a row: the back-off grows with them
    next_due TIMESTAMP,
    round_started TIMESTAMP,            -- the last round's start, by the ingest clock: what came
                                        -- since (by any way) is what the alerts look at
    articles INTEGER NOT NULL DEFAULT 0    -- articles stored from it, in all
);
-- what a source has given: a feed entry by its link (else id), a file by its path, with a
-- digest of its content (an entry whose content changes comes again, as a new version)
CREATE TABLE watch_seen (
    source VARCHAR NOT NULL,
    key VARCHAR NOT NULL,
    digest VARCHAR NOT NULL,
    first_seen TIMESTAMP NOT NULL,
    PRIMARY KEY (source, key)
);
CREATE INDEX watch_seen_digest ON watch_seen(source, digest);
-- one row per source and round it was polled in: its health over days
CREATE TABLE watch_rounds (
    source VARCHAR NOT NULL,
    polled TIMESTAMP NOT NULL,
    outcome VARCHAR NOT NULL,           -- new | unchanged | not_modified | failed
    entries INTEGER NOT NULL DEFAULT 0,
    new INTEGER NOT NULL DEFAULT 0,
    error VARCHAR
);
CREATE TABLE alerts (
    name VARCHAR PRIMARY KEY,
    what VARCHAR NOT NULL,              -- events | figures | conflicts
    filters VARCHAR NOT NULL,           -- veille.read.Filters as JSON
    above DOUBLE,                       -- figures: only groups whose value is beyond this
    webhook VARCHAR,                    -- a URL new matches are POSTed to, as JSON
    created TIMESTAMP NOT NULL,
    last_read TIMESTAMP NOT NULL,       -- `veille alerts` shows what changed since
    last_error VARCHAR                  -- the webhook's last failure
);
-- what an alert matched: once per fused event or figure group; a match that gains sources
-- is updated, not repeated
CREATE TABLE alert_matches (
    alert VARCHAR NOT NULL,
    item_id VARCHAR NOT NULL,
    first_matched TIMESTAMP NOT NULL,
    updated TIMESTAMP NOT NULL,
    sources INTEGER NOT NULL,
    title VARCHAR NOT NULL,
    item VARCHAR NOT NULL,              -- the item as the read layer lists it, as JSON
    members VARCHAR NOT NULL,           -- its reports (article:index), as JSON: a fused event whose
                                        -- id changes (a more precise report founds it) is the same match
    PRIMARY KEY (alert, item_id)
);
