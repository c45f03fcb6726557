-- Reason: a title with no letters ("🎬🍿", "🍕🍕") folded to nothing, so every such film of a year
-- had the same key ("|2016") and saving one replaced another; and an invisible character made a
-- look-alike ("Br<U+200B>ick" was another film than "Brick"). Keys now keep the symbols of such
-- titles and drop invisible characters (bot.text.fold). Every stored key the rule changes is
-- computed again with film_key(), the store's own rule, which it registers on its connections;
-- the lists that name films follow.

CREATE TEMP TABLE rekeyed AS
    SELECT id, guild_id, film_key AS old, film_key(title, year) AS new
    FROM reviews WHERE film_key IS NOT film_key(title, year);

-- A review whose new key is already taken in its scope keeps the key it has.
DELETE FROM rekeyed
WHERE EXISTS (SELECT 1 FROM reviews r WHERE r.guild_id = rekeyed.guild_id AND r.film_key = rekeyed.new)
   OR id NOT IN (SELECT min(id) FROM rekeyed GROUP BY guild_id, new);

-- A server's seen list and watchlists name the film the server saw under the old key: its own
-- review (a live one first), or else the shared one.
CREATE TEMP TABLE listed AS
    SELECT lists.guild_id, lists.film_key AS old, (
        SELECT coalesce(k.new, r.film_key) FROM reviews r LEFT JOIN rekeyed k ON k.id = r.id
        WHERE r.film_key = lists.film_key AND r.guild_id IN (lists.guild_id, 0)
        ORDER BY r.guild_id = 0, r.deleted_at IS NOT NULL LIMIT 1
    ) AS new
    FROM (SELECT guild_id, film_key FROM seen UNION SELECT guild_id, film_key FROM watchlist) lists
    WHERE lists.film_key IN (SELECT old FROM rekeyed);
DELETE FROM listed WHERE new IS NULL OR new = old;

UPDATE OR IGNORE seen SET film_key = (
    SELECT new FROM listed l WHERE l.guild_id = seen.guild_id AND l.old = seen.film_key
) WHERE (guild_id, film_key) IN (SELECT guild_id, old FROM listed);
UPDATE OR IGNORE watchlist SET film_key = (
    SELECT new FROM listed l WHERE l.guild_id = watchlist.guild_id AND l.old = watchlist.film_key
) WHERE (guild_id, film_key) IN (SELECT guild_id, old FROM listed);
-- What was listed under both keys is listed once.
DELETE FROM seen WHERE (guild_id, film_key) IN (SELECT guild_id, old FROM listed);
DELETE FROM watchlist WHERE (guild_id, film_key) IN (SELECT guild_id, old FROM listed);

UPDATE weekly_candidates SET film_key = (SELECT new FROM rekeyed k WHERE k.id = review_id)
WHERE review_id IN (SELECT id FROM rekeyed);
UPDATE reviews SET film_key = (SELECT new FROM rekeyed k WHERE k.id = reviews.id)
WHERE id IN (SELECT id FROM rekeyed);

DROP TABLE listed;
DROP TABLE rekeyed;
