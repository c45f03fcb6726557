-- Reason: moderators' work in progress. A draft keeps what a moderator typed into the two
-- /review add forms, so closing a form half way loses nothing; a pending change is a preview
-- waiting for its Save (or Remove) button, single-use and short-lived, so a late, repeated or
-- stranger's click writes nothing.

CREATE TABLE review_drafts (
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    texts       TEXT    NOT NULL,         -- JSON object: each form input's text, as typed
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

CREATE TABLE review_pending (
    token       TEXT    PRIMARY KEY,      -- carried by the preview's buttons
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,         -- the moderator who asked; only they may confirm
    kind        TEXT    NOT NULL CHECK (kind IN ('import', 'add', 'remove')),
    data        TEXT,                     -- import/add: the review JSON to save
    target_id   INTEGER,                  -- remove: the review to remove
    base        TEXT    NOT NULL,         -- fingerprint of what the preview was made against
    expires_at  TEXT    NOT NULL,
    outcome     TEXT CHECK (outcome IN ('confirmed', 'cancelled'))
);
CREATE INDEX review_pending_by_expiry ON review_pending (expires_at);
