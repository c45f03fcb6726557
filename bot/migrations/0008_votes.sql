-- Reason: votes people trust. A schedule chooses how the server votes (pick, vote, approval or
-- ranked), how many films a vote puts forward, and when a film that keeps losing rests. A vote
-- keeps its mode, when it closes (moderators can close it early or extend it), the seed of its
-- tie-break draw and its counted result, so it can be recounted. Each candidate remembers the
-- suggestion it came from and how many backed it. Ballots are kept as members cast them, one a
-- member (a vote, the films approved of, or a ranking); the single votes so far become ballots.

CREATE TABLE weekly_schedules_new (
    guild_id       INTEGER PRIMARY KEY,
    channel_id     INTEGER NOT NULL,
    weekday        INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    at_time        TEXT    NOT NULL,
    zone           TEXT    NOT NULL,
    lead_hours     INTEGER NOT NULL CHECK (lead_hours > 0),
    mode           TEXT    NOT NULL CHECK (mode IN ('pick', 'vote', 'approval', 'ranked')),
    themes         TEXT,
    since          TEXT    NOT NULL,
    set_by         INTEGER,
    paused_reason  TEXT,
    paused_at      TEXT,
    pause_told     INTEGER NOT NULL DEFAULT 0,
    size           INTEGER NOT NULL DEFAULT 3 CHECK (size BETWEEN 2 AND 10),
    rest_after     INTEGER NOT NULL DEFAULT 3,  -- a film that lost this many times ...
    rest_weeks     INTEGER NOT NULL DEFAULT 8   -- ... is not put forward for this many weeks
);
INSERT INTO weekly_schedules_new (guild_id, channel_id, weekday, at_time, zone, lead_hours, mode,
    themes, since, set_by, paused_reason, paused_at, pause_told)
    SELECT guild_id, channel_id, weekday, at_time, zone, lead_hours, mode, themes, since, set_by,
        paused_reason, paused_at, pause_told FROM weekly_schedules;
DROP TABLE weekly_schedules;
ALTER TABLE weekly_schedules_new RENAME TO weekly_schedules;

ALTER TABLE weekly_posts ADD COLUMN vote_mode TEXT;  -- vote, approval or ranked (kind 'vote')
ALTER TABLE weekly_posts ADD COLUMN closes_at TEXT;  -- NULL: when movie night starts
ALTER TABLE weekly_posts ADD COLUMN seed INTEGER;    -- the tie-break draw's, chosen at closing
ALTER TABLE weekly_posts ADD COLUMN result TEXT;     -- JSON: the count, round by round
UPDATE weekly_posts SET vote_mode = 'vote' WHERE kind = 'vote';

ALTER TABLE weekly_candidates ADD COLUMN suggestion_id INTEGER;
ALTER TABLE weekly_candidates ADD COLUMN backers INTEGER NOT NULL DEFAULT 0;

CREATE TABLE weekly_ballots (
    post_id  INTEGER NOT NULL REFERENCES weekly_posts (id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL,
    choices  TEXT    NOT NULL,  -- JSON list of candidate slots, in the member's order
    cast_at  TEXT    NOT NULL,
    PRIMARY KEY (post_id, user_id)
);
INSERT INTO weekly_ballots (post_id, user_id, choices, cast_at)
    SELECT post_id, user_id, json_array(slot), voted_at FROM weekly_votes;
DROP TABLE weekly_votes;
