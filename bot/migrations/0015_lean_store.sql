-- Reason: the review text was kept three times: in reviews.data, in full in the history (every
-- import's "after"), and in the full-text index's own copy. Now it is kept once, compressed:
-- reviews.data holds the JSON compressed with zlib (a BLOB, though 0001 declared the column
-- TEXT); the index reads its columns from it through the view review_search (external content);
-- and the history keeps, for each change, only the version it replaced, compressed with the
-- version that replaced it as the dictionary. The newest version is the review row itself, so
-- an add, a removal or a restore stores no text. review_pack, review_delta and search_text are
-- the store's own rules (bot/store/packed.py), registered on its connections. The whole file is
-- one transaction: an interrupted run leaves the database as it was.

-- The history first, while reviews.data is still plain JSON. A change's "after" is the version
-- the next change of the review replaced, or the review as it is now when no change followed.
CREATE TABLE review_history (
    id         INTEGER PRIMARY KEY,
    review_id  INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    actor_id   INTEGER,
    action     TEXT    NOT NULL,
    at         TEXT    NOT NULL,
    replaced   BLOB,                         -- a change's earlier version, as a delta from its later one
    removed    INTEGER NOT NULL DEFAULT 0    -- 1: the change removed the review (no version after it)
);
INSERT INTO review_history (id, review_id, actor_id, action, at, replaced, removed)
SELECT a.id, a.review_id, a.actor_id, a.action, a.at,
       CASE WHEN a.before IS NOT NULL AND a.after IS NOT NULL THEN review_delta(a.before, coalesce(
           (SELECT n.before FROM review_audit n
            WHERE n.review_id = a.review_id AND n.id > a.id
              AND n.before IS NOT NULL AND n.after IS NOT NULL
            ORDER BY n.id LIMIT 1),
           (SELECT r.data FROM reviews r WHERE r.id = a.review_id)
       )) END,
       a.after IS NULL
FROM review_audit a;
DROP TABLE review_audit;
ALTER TABLE review_history RENAME TO review_audit;
CREATE INDEX review_audit_by_review ON review_audit (review_id, id);

-- The index and its copy of the text go; the reviews are compressed; the index is made again
-- from them. It holds exactly the live reviews, as before.
DROP TABLE review_terms;
DROP TABLE review_fts;
UPDATE reviews SET data = review_pack(data);
CREATE VIEW review_search AS
    SELECT id, search_text(data, 0) AS pick_if, search_text(data, 1) AS really_about,
           search_text(data, 2) AS synopsis, search_text(data, 3) AS rest
    FROM reviews WHERE deleted_at IS NULL;
-- Column order matters: search.py weighs them with bm25 in this order.
CREATE VIRTUAL TABLE review_fts USING fts5 (
    pick_if, really_about, synopsis, rest,
    content = 'review_search', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO review_fts (review_fts) VALUES ('rebuild');
CREATE VIRTUAL TABLE review_terms USING fts5vocab (review_fts, 'row');
DELETE FROM meta WHERE key = 'search_vocabulary';  -- read from the new index on the next start
