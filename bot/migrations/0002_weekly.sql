-- Reason: weekly movie night. One schedule per server; one post record per server and week,
-- written as an intent before the bot sends and completed with the message id after, so a crash
-- in between can never double a post; the films each post put forward; members' votes; and the
-- Discord scheduled event made for the night.

CREATE TABLE weekly_schedules (
    guild_id       INTEGER PRIMARY KEY,
    channel_id     INTEGER NOT NULL,
    weekday        INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),  -- 0 = Monday
    at_time        TEXT    NOT NULL,                                  -- HH:MM, local
    zone           TEXT    NOT NULL,                                  -- IANA name
    lead_hours     INTEGER NOT NULL CHECK (lead_hours > 0),
    mode           TEXT    NOT NULL CHECK (mode IN ('pick', 'vote')),
    themes         TEXT,
    since          TEXT    NOT NULL,        -- when it was set (UTC); earlier post times are not due
    set_by         INTEGER,
    paused_reason  TEXT,                    -- why posting stopped; NULL while it runs
    paused_at      TEXT,
    pause_told     INTEGER NOT NULL DEFAULT 0  -- 1 once a moderator command has mentioned it
);

CREATE TABLE weekly_posts (
    id                 INTEGER PRIMARY KEY,
    guild_id           INTEGER NOT NULL,
    week               TEXT    NOT NULL,    -- the local date of that movie night
    kind               TEXT    NOT NULL CHECK (kind IN ('pick', 'vote', 'none')),
    state              TEXT    NOT NULL CHECK (state IN ('intent', 'posted', 'skipped')),
    channel_id         INTEGER NOT NULL,
    night_at           TEXT    NOT NULL,    -- when movie night starts (UTC); a vote closes then
    due_at             TEXT    NOT NULL,    -- when the post was meant to go out (UTC)
    note               TEXT,                -- a line the post carries (e.g. films start again)
    created_at         TEXT    NOT NULL,
    message_id         INTEGER,
    posted_at          TEXT,
    winner_slot        INTEGER,             -- votes: the film that won, once closed
    tie                INTEGER NOT NULL DEFAULT 0,
    closed_at          TEXT,
    result_state       TEXT CHECK (result_state IN ('intent', 'posted', 'skipped')),
    result_message_id  INTEGER,
    event_id           INTEGER,             -- the Discord scheduled event for the night
    UNIQUE (guild_id, week)
);
CREATE INDEX weekly_posts_by_night ON weekly_posts (night_at);

CREATE TABLE weekly_candidates (
    post_id    INTEGER NOT NULL REFERENCES weekly_posts (id) ON DELETE CASCADE,
    slot       INTEGER NOT NULL,            -- 0 for a pick; 0, 1, 2 for a vote's buttons
    review_id  INTEGER NOT NULL,
    film_key   TEXT    NOT NULL,
    title      TEXT    NOT NULL,            -- the heading shown, kept if the review goes away
    PRIMARY KEY (post_id, slot)
);
CREATE INDEX weekly_candidates_by_film ON weekly_candidates (film_key);

CREATE TABLE weekly_votes (
    post_id   INTEGER NOT NULL REFERENCES weekly_posts (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL,
    slot      INTEGER NOT NULL,
    voted_at  TEXT    NOT NULL,
    PRIMARY KEY (post_id, user_id)
);
