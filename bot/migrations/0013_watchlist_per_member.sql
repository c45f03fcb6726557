-- Reason: a member's watchlist is the same wherever they use movienight: in any server, in DMs
-- and through the app installed on their own account. It is kept per member, no longer per
-- server; guild_id stays as the catalog the film was added from (0, the shared catalog, outside
-- a server), so a film from a server's own catalog still shows as that server knows it and
-- follows that server's renames. Where a member had a film on the lists of several servers, the
-- earliest entry is kept.
CREATE TABLE watchlist_per_member (
    user_id   INTEGER NOT NULL,
    film_key  TEXT    NOT NULL,
    guild_id  INTEGER NOT NULL,
    added_at  TEXT    NOT NULL,
    PRIMARY KEY (user_id, film_key)
);
INSERT INTO watchlist_per_member (user_id, film_key, guild_id, added_at)
    SELECT user_id, film_key, guild_id, MIN(added_at) FROM watchlist GROUP BY user_id, film_key;
DROP TABLE watchlist;
ALTER TABLE watchlist_per_member RENAME TO watchlist;
