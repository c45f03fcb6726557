-- Reason: members put films forward for movie night. A suggestion names a film of the catalog,
-- or (a request) a title the catalog lacks; the members backing it are kept one row each, the
-- suggester first, so a film is suggested once and backed by many. A suggestion waiting for a
-- member's "suggest anyway" is 'asking'; with approval on, a new one is 'pending' until a
-- moderator approves or denies it. Moderators can keep a film out of suggestions. Each server
-- chooses how many open suggestions a member may have, and whether they need approval.

CREATE TABLE suggestions (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    film_key    TEXT,                     -- NULL: a request for a film the catalog lacks
    title       TEXT    NOT NULL,         -- the heading shown, or the title as requested
    title_key   TEXT    NOT NULL,         -- the title folded (a request is matched by it)
    note        TEXT,
    user_id     INTEGER NOT NULL,         -- who suggested it (or took it over on a withdrawal)
    created_at  TEXT    NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('asking', 'pending', 'open', 'withdrawn',
                                                  'removed', 'denied', 'watched', 'merged')),
    closed_at   TEXT,
    closed_by   INTEGER
);
CREATE UNIQUE INDEX suggestions_one_open_film ON suggestions (guild_id, film_key)
    WHERE state IN ('pending', 'open') AND film_key IS NOT NULL;
CREATE UNIQUE INDEX suggestions_one_open_request ON suggestions (guild_id, title_key)
    WHERE state IN ('pending', 'open') AND film_key IS NULL;
CREATE INDEX suggestions_by_state ON suggestions (guild_id, state);

CREATE TABLE suggestion_backers (
    suggestion_id  INTEGER NOT NULL REFERENCES suggestions (id) ON DELETE CASCADE,
    user_id        INTEGER NOT NULL,
    backed_at      TEXT    NOT NULL,
    PRIMARY KEY (suggestion_id, user_id)
);
CREATE INDEX suggestion_backers_by_user ON suggestion_backers (user_id);

CREATE TABLE suggestion_blocks (
    guild_id    INTEGER NOT NULL,
    film_key    TEXT    NOT NULL,
    blocked_by  INTEGER,
    blocked_at  TEXT    NOT NULL,
    PRIMARY KEY (guild_id, film_key)
);

ALTER TABLE guild_config ADD COLUMN suggestion_limit INTEGER NOT NULL DEFAULT 3;
ALTER TABLE guild_config ADD COLUMN suggestion_approval INTEGER NOT NULL DEFAULT 0;
