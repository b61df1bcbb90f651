-- What makes a later text the same article corrected: its URL, an id the input gives, or the
-- path of a file holding one article. NULL when the input said nothing that identifies it:
-- then every different text is a new article, never a version of another (an outlet name
-- given as `source` in JSON Lines is no identity).
ALTER TABLE articles ADD COLUMN identity VARCHAR;
UPDATE articles SET identity = coalesce(url, source);
CREATE INDEX articles_identity ON articles(identity);

-- The same text published again elsewhere (a syndicated dispatch run word for word by
-- another outlet): one article, and one row here for each further publication, with its
-- source, URL, outlet and date. The article's own row is its first publication.
CREATE TABLE article_reprints (
    article_id  VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    url         VARCHAR,
    outlet      VARCHAR NOT NULL,
    title       VARCHAR,
    published   VARCHAR,
    seen_at     TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE INDEX article_reprints_article ON article_reprints(article_id);

-- Copy groups count every publication: near-copies and word-for-word reprints.
CREATE OR REPLACE VIEW copy_groups AS
WITH runs AS (
    SELECT m.group_id, m.article_id, m.founder, f.outlet, f.published
    FROM copy_members m JOIN fusion_articles f USING (article_id)
    UNION ALL
    SELECT m.group_id, r.article_id, false, r.outlet, r.published
    FROM copy_members m JOIN article_reprints r USING (article_id)
)
SELECT group_id,
       any_value(article_id) FILTER (WHERE founder) AS founder,
       count(*) AS articles,
       count(DISTINCT outlet) AS outlets,
       list(DISTINCT outlet ORDER BY outlet) AS outlet_names,
       min(published) AS first_published
FROM runs
GROUP BY group_id;
