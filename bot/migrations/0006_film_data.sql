-- Reason: film data from TMDB. Each film is linked to its TMDB id, found by searching its title
-- and year or chosen by a server's moderators; TMDB's answers are kept here so that a card never
-- waits for TMDB: film data for 30 days, availability (which changes daily) for 24 hours. Each
-- server's country and streaming services decide what /whereto watch and available:true show.

CREATE TABLE film_links (
    guild_id    INTEGER NOT NULL,   -- 0: found by search, for every server; else a server's choice
    film_key    TEXT    NOT NULL,   -- folded title and year, as reviews.film_key
    tmdb_id     INTEGER,            -- NULL: searched, and no one film was clearly it
    candidates  TEXT    NOT NULL DEFAULT '[]',  -- JSON: films a moderator can choose from
    linked_at   TEXT    NOT NULL,
    linked_by   INTEGER,            -- the moderator who chose; NULL when found by search
    PRIMARY KEY (guild_id, film_key)
);
CREATE INDEX film_links_by_film ON film_links (film_key);

CREATE TABLE film_data (
    tmdb_id     INTEGER PRIMARY KEY,
    data        TEXT    NOT NULL,   -- JSON: bot.film_data.FilmData
    fetched_at  TEXT    NOT NULL
);

CREATE TABLE film_availability (
    tmdb_id     INTEGER PRIMARY KEY,
    data        TEXT    NOT NULL,   -- JSON: every country's offers (JustWatch's data, via TMDB)
    fetched_at  TEXT    NOT NULL
);

CREATE TABLE guild_watch (
    guild_id  INTEGER PRIMARY KEY,
    region    TEXT,                         -- ISO 3166-1 alpha-2 code, e.g. DE
    services  TEXT    NOT NULL DEFAULT '[]' -- JSON: the streaming services the server has
);
