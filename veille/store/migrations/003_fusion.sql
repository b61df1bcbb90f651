-- Fusion across articles (veille.fusion): near-copies, fused events, figure groups
-- and their conflicts. Everything here is derived from the stored records by
-- veille.fusion.fuse, one transaction per call; ids are hashes of each group's
-- founding key, so the same articles always give the same rows.

-- The articles the fusion has taken in (latest versions only), with their outlet:
-- the fallback claim source when a sentence names none.
CREATE TABLE fusion_articles (
    article_id  VARCHAR PRIMARY KEY,
    outlet      VARCHAR NOT NULL,
    published   VARCHAR
);

-- Near-copies: each article's MinHash signature and its LSH buckets.
CREATE TABLE copy_signatures (
    article_id  VARCHAR PRIMARY KEY,
    shingles    INTEGER NOT NULL,
    signature   UBIGINT[] NOT NULL
);
CREATE TABLE copy_bands (
    band        SMALLINT NOT NULL,
    hash        UBIGINT NOT NULL,
    article_id  VARCHAR NOT NULL
);
CREATE INDEX copy_bands_bucket ON copy_bands(band, hash);

-- Every article is in one copy group (alone, when nothing copies it); the group id
-- hashes its founder, the earliest published member.
CREATE TABLE copy_members (
    article_id  VARCHAR PRIMARY KEY,
    group_id    VARCHAR NOT NULL,
    founder     BOOLEAN NOT NULL
);
CREATE INDEX copy_members_group ON copy_members(group_id);

CREATE VIEW copy_groups AS
SELECT m.group_id,
       any_value(m.article_id) FILTER (WHERE m.founder) AS founder,
       count(*) AS articles,
       count(DISTINCT f.outlet) AS outlets,
       list(DISTINCT f.outlet ORDER BY f.outlet) AS outlet_names,
       min(f.published) AS first_published
FROM copy_members m JOIN fusion_articles f USING (article_id)
GROUP BY m.group_id;

-- Fused events: one row per real-world event; `block` (type and parties) is the
-- unit the fusion recomputes when an article adds a report to it.
CREATE TABLE fused_events (
    event_id    VARCHAR PRIMARY KEY,
    block       VARCHAR NOT NULL,
    type        VARCHAR NOT NULL,
    mode        VARCHAR,
    status      VARCHAR NOT NULL,
    actor       VARCHAR[] NOT NULL,
    recipient   VARCHAR[] NOT NULL,
    date_begin  VARCHAR,
    date_end    VARCHAR,
    location    VARCHAR,
    sectors     VARCHAR[],
    count       INTEGER,
    sources     INTEGER NOT NULL,              -- articles reporting it
    independent_sources INTEGER NOT NULL,      -- copy groups among them
    confidence  DOUBLE NOT NULL,               -- grows with independent sources
    first_reported VARCHAR,
    last_reported  VARCHAR
);
CREATE INDEX fused_events_block ON fused_events(block);

-- Every event of every article is a source of exactly one fused event.
CREATE TABLE fused_event_sources (
    event_id    VARCHAR NOT NULL,
    block       VARCHAR NOT NULL,
    article_id  VARCHAR NOT NULL,
    event_idx   INTEGER NOT NULL,
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
    confidence  DOUBLE,
    evidence_start INTEGER,
    evidence_end   INTEGER,
    evidence    VARCHAR,                       -- the sentence it was read from
    claim_source VARCHAR,                      -- who says it (else the outlet)
    claim_kind  VARCHAR,                       -- cited, speaker or outlet
    copy_group  VARCHAR,
    published   VARCHAR,
    PRIMARY KEY (article_id, event_idx)
);
CREATE INDEX fused_event_sources_event ON fused_event_sources(event_id);
CREATE INDEX fused_event_sources_block ON fused_event_sources(block);

-- Figure groups: one series point (metric, relation, status, places, period,
-- dimension); `family` is the group without its period, the unit recomputed.
CREATE TABLE figure_groups (
    group_id    VARCHAR PRIMARY KEY,
    family      VARCHAR NOT NULL,
    metric      VARCHAR,
    relation    VARCHAR,
    status      VARCHAR,
    places      VARCHAR[],
    directed    BOOLEAN,
    period_begin VARCHAR,
    period_end  VARCHAR,
    granularity VARCHAR,
    unit        VARCHAR,                       -- USD for money, else the unit
    value       DOUBLE,                        -- the best-supported value
    low         DOUBLE,                        -- what every member of its position allows
    high        DOUBLE,
    members     INTEGER NOT NULL,
    sources     INTEGER NOT NULL,
    independent_sources INTEGER NOT NULL,
    conflict    BOOLEAN NOT NULL,
    implausible INTEGER NOT NULL
);
CREATE INDEX figure_groups_family ON figure_groups(family);
CREATE INDEX figure_groups_metric ON figure_groups(metric);

-- Every measurement of every article is a member of exactly one group.
CREATE TABLE figure_members (
    group_id    VARCHAR NOT NULL,
    family      VARCHAR NOT NULL,
    article_id  VARCHAR NOT NULL,
    measurement_idx INTEGER NOT NULL,
    text        VARCHAR,
    value       DOUBLE,
    unit        VARCHAR,
    usd         DOUBLE,
    qualifier   VARCHAR,
    low         DOUBLE,                        -- the statement as an interval, in the group's unit
    high        DOUBLE,
    metric      VARCHAR,
    relation    VARCHAR,
    status      VARCHAR,
    place_from  VARCHAR,
    place_to    VARCHAR,
    period_begin VARCHAR,
    period_end  VARCHAR,
    kind        VARCHAR,
    value_max   DOUBLE,
    evidence_start INTEGER,
    evidence_end   INTEGER,
    evidence    VARCHAR,
    claim_source VARCHAR,                      -- who says it: the source cited, the speaker, else the outlet
    claim_kind  VARCHAR,
    claim_entity VARCHAR,
    position    INTEGER,                       -- its position in a conflict (0: best supported)
    outlier     BOOLEAN NOT NULL,
    implausible BOOLEAN NOT NULL,
    copy_group  VARCHAR,
    published   VARCHAR,
    PRIMARY KEY (article_id, measurement_idx)
);
CREATE INDEX figure_members_group ON figure_members(group_id);
CREATE INDEX figure_members_family ON figure_members(family);

-- Conflicts: one row per position of a group whose members disagree beyond rounding.
CREATE TABLE figure_conflicts (
    group_id    VARCHAR NOT NULL,
    position    INTEGER NOT NULL,
    value       DOUBLE,
    low         DOUBLE,
    high        DOUBLE,
    members     INTEGER NOT NULL,
    sources     INTEGER NOT NULL,
    independent_sources INTEGER NOT NULL,
    claims      JSON NOT NULL,                 -- [{article_id, outlet, claim_source, claim_kind, text}]
    PRIMARY KEY (group_id, position)
);
