-- One row per extracted item, for queries; the record JSON stays the reference.
CREATE TABLE entities (
    article_id  VARCHAR NOT NULL,
    idx         INTEGER NOT NULL,
    entity_id   VARCHAR NOT NULL,
    name        VARCHAR,
    type        VARCHAR,
    country     VARCHAR,
    subdivision VARCHAR,
    role        VARCHAR,
    mentions    JSON,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX entities_entity ON entities(entity_id);

CREATE TABLE timexes (
    article_id  VARCHAR NOT NULL,
    idx         INTEGER NOT NULL,
    start_char  INTEGER,
    end_char    INTEGER,
    text        VARCHAR,
    type        VARCHAR,
    begin_day   VARCHAR,
    end_day     VARCHAR,
    granularity VARCHAR,
    value       VARCHAR,
    PRIMARY KEY (article_id, idx)
);

CREATE TABLE measurements (
    article_id  VARCHAR NOT NULL,
    idx         INTEGER NOT NULL,
    start_char  INTEGER,
    end_char    INTEGER,
    text        VARCHAR,
    value       DOUBLE,
    unit        VARCHAR,
    kind        VARCHAR,
    relation    VARCHAR,
    status      VARCHAR,
    metric      VARCHAR,
    place_from  VARCHAR,
    place_to    VARCHAR,
    period_begin VARCHAR,
    period_end  VARCHAR,
    usd         DOUBLE,
    evidence_start INTEGER,
    evidence_end INTEGER,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX measurements_metric ON measurements(metric);

CREATE TABLE events (
    article_id  VARCHAR NOT NULL,
    idx         INTEGER NOT NULL,
    type        VARCHAR NOT NULL,
    mode        VARCHAR,
    status      VARCHAR,
    actor       VARCHAR[],
    recipient   VARCHAR[],
    date_begin  VARCHAR,
    date_end    VARCHAR,
    location    VARCHAR,
    sectors     VARCHAR[],
    count       INTEGER,
    evidence_start INTEGER,
    evidence_end INTEGER,
    confidence  DOUBLE,
    trigger     VARCHAR,
    claim_source VARCHAR,
    PRIMARY KEY (article_id, idx)
);
CREATE INDEX events_type ON events(type);

CREATE TABLE quotes (
    article_id  VARCHAR NOT NULL,
    idx         INTEGER NOT NULL,
    speaker     VARCHAR,
    text        VARCHAR,
    start_char  INTEGER,
    end_char    INTEGER,
    PRIMARY KEY (article_id, idx)
);

-- Inputs that could not be ingested, with the reason, so a batch can be audited.
CREATE TABLE ingest_errors (
    source      VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL,
    failed_at   TIMESTAMP NOT NULL DEFAULT current_timestamp
);
