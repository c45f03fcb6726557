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
    fetched_at  TEXT    NOT NULL    -- when TMDB was asked (it answers for every country at once)
);

-- One row per film, country, kind of offer and service: JustWatch's data, through TMDB.
CREATE TABLE film_offers (
    tmdb_id   INTEGER NOT NULL REFERENCES film_availability (tmdb_id) ON DELETE CASCADE,
    region    TEXT    NOT NULL,     -- ISO 3166-1 alpha-2 code
    kind      TEXT    NOT NULL CHECK (kind IN ('flatrate', 'free', 'ads', 'rent', 'buy')),
    provider  TEXT    NOT NULL,     -- the service as TMDB names it
    service   TEXT    NOT NULL,     -- folded service name, as /config services is compared
    priority  INTEGER NOT NULL,
    link      TEXT,                 -- TMDB's page of the film's offers in that country
    PRIMARY KEY (tmdb_id, region, kind, provider)
);
CREATE INDEX film_offers_by_service ON film_offers (region, service, tmdb_id);

CREATE TABLE guild_watch (
    guild_id  INTEGER PRIMARY KEY,
    region    TEXT,                         -- ISO 3166-1 alpha-2 code, e.g. DE
    services  TEXT    NOT NULL DEFAULT '[]' -- JSON: the streaming services the server has
);

-- /pickif's result lists remember available:true, so their pages keep to the same films.
ALTER TABLE pickif_pages ADD COLUMN available INTEGER NOT NULL DEFAULT 0;
