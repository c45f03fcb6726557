-- Reason: the club remembers. Every movie night the bot ran is recorded once, when its film is
-- known (a pick is posted, a vote closes): the date, the film, how it was chosen (and the
-- vote's counted result), who suggested it and how many backed it. A post keeps how many members
-- marked the night's event Interested, as last read. /history and /stats read these.

CREATE TABLE movie_nights (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    week          TEXT    NOT NULL,            -- the local date of the night
    night_at      TEXT    NOT NULL,
    post_id       INTEGER REFERENCES weekly_posts (id) ON DELETE SET NULL,
    film_key      TEXT    NOT NULL,
    title         TEXT    NOT NULL,
    how           TEXT    NOT NULL CHECK (how IN ('pick', 'vote', 'approval', 'ranked')),
    result        TEXT,                        -- votes: the counted result (JSON), as kept
    suggested_by  INTEGER,                     -- the member whose suggestion it was
    backers       INTEGER NOT NULL DEFAULT 0,
    recorded_at   TEXT    NOT NULL,
    UNIQUE (guild_id, week)
);
CREATE INDEX movie_nights_by_night ON movie_nights (guild_id, night_at);

ALTER TABLE weekly_posts ADD COLUMN interested INTEGER;  -- members marked Interested, last read
