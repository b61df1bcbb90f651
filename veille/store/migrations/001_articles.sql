-- Articles and their versions. The id is the sha256 of the cleaned text, so the
-- same article ingested twice is one row; a corrected text from the same source
-- is a new row that names the version it supersedes.
CREATE TABLE articles (
    id                  VARCHAR PRIMARY KEY,
    source              VARCHAR NOT NULL,
    url                 VARCHAR,
    title               VARCHAR,
    language            VARCHAR,
    published           VARCHAR,
    published_precision VARCHAR,
    published_from      VARCHAR,
    published_day       DATE,
    text                VARCHAR NOT NULL,
    metadata            JSON,
    removed             JSON,
    flags               JSON,
    version             INTEGER NOT NULL DEFAULT 1,
    supersedes          VARCHAR,
    ingested_at         TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE INDEX articles_source ON articles(source);

-- The full veille/1 record of each article, exactly what `veille extract` prints.
CREATE TABLE records (
    article_id  VARCHAR PRIMARY KEY,
    record      JSON NOT NULL,
    pipeline    VARCHAR NOT NULL
);
