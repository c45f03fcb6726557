-- Reason: the first schema. Reviews (shared catalog rows have guild_id 0), their full-text index,
-- an audit trail that keeps the text before and after every change, what each server has seen,
-- members' watchlists, per-server settings and the bot's own bookkeeping.

CREATE TABLE reviews (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL DEFAULT 0,   -- 0 = the shared catalog
    film_key    TEXT    NOT NULL,             -- folded title and year: one film, whoever wrote it
    title       TEXT    NOT NULL,
    year        INTEGER,
    data        TEXT    NOT NULL,             -- the review as JSON (bot.review.to_json)
    checked_at  TEXT,                         -- when "where to watch" was last checked (UTC)
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    updated_by  INTEGER,                      -- Discord user id, NULL for imports
    deleted_at  TEXT,                         -- soft delete: gone from every search, restorable
    UNIQUE (guild_id, film_key)
);
CREATE INDEX reviews_by_film ON reviews (film_key);

-- Column order matters: search.py weighs them with bm25 in this order.
CREATE VIRTUAL TABLE review_fts USING fts5 (
    pick_if, really_about, synopsis, rest,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE review_terms USING fts5vocab (review_fts, 'row');

CREATE TABLE review_audit (
    id         INTEGER PRIMARY KEY,
    review_id  INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    actor_id   INTEGER,
    action     TEXT    NOT NULL,
    at         TEXT    NOT NULL,
    before     TEXT,                          -- review JSON before the change
    after      TEXT                           -- review JSON after the change
);
CREATE INDEX review_audit_by_review ON review_audit (review_id, id);

CREATE TABLE seen (
    guild_id  INTEGER NOT NULL,
    film_key  TEXT    NOT NULL,
    seen_on   TEXT    NOT NULL,
    added_by  INTEGER,
    PRIMARY KEY (guild_id, film_key)
);

CREATE TABLE watchlist (
    guild_id  INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,
    film_key  TEXT    NOT NULL,
    added_at  TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id, film_key)
);

CREATE TABLE guild_config (
    guild_id     INTEGER PRIMARY KEY,
    mod_role_id  INTEGER
);

CREATE TABLE meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
