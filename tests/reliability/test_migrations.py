"""A database made at every earlier schema version upgrades with every row intact."""

import json
import sqlite3
from importlib import resources

import pytest

from bot.review import parse, to_json
from bot.store import LATEST_VERSION, Store
from bot.store.base import SQL_FUNCTIONS
from tests.conftest import FIXTURE_REVIEWS


def migrations():
    files = sorted(
        entry
        for entry in resources.files("bot.migrations").iterdir()
        if entry.name.endswith(".sql")
    )
    return [(int(entry.name[:4]), entry.read_text(encoding="utf-8")) for entry in files]


def test_migrations_are_numbered_one_by_one_with_a_reason():
    numbers = [number for number, _ in migrations()]
    assert numbers == list(range(1, len(numbers) + 1))
    assert numbers[-1] == LATEST_VERSION
    for number, sql in migrations():
        assert sql.lstrip().startswith("-- Reason:"), f"migration {number} has no reason"


WATCHLISTED = "INSERT INTO watchlist (guild_id, user_id, film_key, added_at) VALUES "
"""A watchlist row by its columns, which 0012 reordered."""


def build_at(path, version):
    with sqlite3.connect(path) as db:
        for name, arity, function in SQL_FUNCTIONS:  # as the store's connections have them
            db.create_function(name, arity, function, deterministic=True)
        for number, sql in migrations():
            if number <= version:
                db.executescript(sql)
                db.execute(f"PRAGMA user_version = {number}")
        review = to_json(parse((FIXTURE_REVIEWS / "finish-line-2011.txt").read_text()))
        db.execute(
            "INSERT INTO reviews (id, guild_id, film_key, title, year, data, created_at,"
            " updated_at) VALUES (1, 0, 'finish line|2011', 'Finish Line', 2011, ?,"
            " '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')",
            (json.dumps(review),),
        )
        db.execute(
            "INSERT INTO review_fts (rowid, pick_if, really_about, synopsis, rest)"
            " VALUES (1, 'sports grief', '', '', 'Finish Line')"
        )
        db.execute(
            "INSERT INTO review_audit (review_id, action, at, after)"
            " VALUES (1, 'add', '2026-01-01T00:00:00+00:00', ?)",
            (json.dumps(review),),
        )
        db.execute(
            "INSERT INTO seen VALUES (5, 'finish line|2011', '2026-02-01T00:00:00+00:00', 9)"
        )
        db.execute(WATCHLISTED + "(5, 9, 'finish line|2011', '2026-02-01T00:00:00+00:00')")
        db.execute("INSERT INTO guild_config (guild_id, mod_role_id) VALUES (5, 42)")
        db.execute("INSERT INTO meta VALUES ('command_hash:global', 'abc')")


@pytest.mark.parametrize("version", range(1, LATEST_VERSION + 1))
async def test_upgrade_from_every_version_keeps_every_row(tmp_path, version):
    path = tmp_path / f"v{version}.db"
    build_at(path, version)
    async with await Store.open(path) as store:
        assert await store.schema_version() == LATEST_VERSION
        [stored] = await store.reviews_in_scope()
        assert stored.review.title == "Finish Line"
        assert [s.id for s, _ in await store.seen(5)] == [1]
        assert [s.id for s in await store.watchlist(9)] == [1]
        assert await store.mod_role(5) == 42
        assert await store.get_meta("command_hash:global") == "abc"
        assert [entry.action for entry in await store.history(1)] == ["add"]
        weights = (1.0, 1.0, 1.0, 1.0)
        found = await store.ranked(0, "grief", weights=weights, limit=5, exclude_seen=False)
        assert [review_id for review_id, _ in found] == [1]


KEYS_RECOMPUTED = 6
"""The migration that recomputes stored film keys with today's rule (0005_film_keys.sql)."""
NOON = "2026-02-01T12:00:00+00:00"


def add_film(db, review_id, guild_id, title, key, year=2016):
    data = to_json(parse((FIXTURE_REVIEWS / "finish-line-2011.txt").read_text()))
    db.execute(
        "INSERT INTO reviews (id, guild_id, film_key, title, year, data, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            review_id,
            guild_id,
            key,
            title,
            year,
            json.dumps({**data, "title": title, "year": year}),
            NOON,
            NOON,
        ),
    )


@pytest.mark.parametrize("version", range(1, KEYS_RECOMPUTED))
async def test_films_with_no_letters_get_keys_of_their_own(tmp_path, version):
    """Before, "🎬🍿" and "🍕🍕" of 2016 were one film ("|2016"): a server's own 🍕🍕 hid the
    shared 🎬🍿, and lists could not tell them apart. A list entry meant the film its server saw."""
    path = tmp_path / f"v{version}.db"
    build_at(path, version)
    with sqlite3.connect(path) as db:
        add_film(db, 2, 0, "🎬🍿", "|2016")
        add_film(db, 3, 5, "🍕🍕", "|2016")  # server 5's own
        db.execute("INSERT INTO seen VALUES (5, '|2016', ?, 9)", (NOON,))
        db.execute(
            WATCHLISTED + "(5, 9, '|2016', ?)",
            (NOON,),
        )
        db.execute(
            WATCHLISTED + "(6, 9, '|2016', ?)",
            (NOON,),
        )
        if version >= 2:
            db.execute(
                "INSERT INTO weekly_posts (id, guild_id, week, kind, state, channel_id, night_at,"
                " due_at, created_at) VALUES (1, 5, '2026-02-06', 'pick', 'posted', 1, ?, ?, ?)",
                (NOON, NOON, NOON),
            )
            db.execute("INSERT INTO weekly_candidates VALUES (1, 0, 3, '|2016', '🍕🍕 (2016)')")
    async with await Store.open(path) as store:
        assert {(s.id, s.film_key) for s in await store.visible_reviews(5)} >= {
            (2, "🎬🍿|2016"),
            (3, "🍕🍕|2016"),
        }
        assert [s.id for s, _ in await store.seen(5)] == [3, 1]  # 1: Finish Line, seen before
        # one watchlist a member since 0012, each film as the server it was added in sees it
        assert [s.id for s in await store.watchlist(9)] == [1, 3, 2]
        rows = await store._reader.execute_fetchall("SELECT film_key FROM weekly_candidates")
        assert rows == ([("🍕🍕|2016",)] if version >= 2 else [])
        assert [s.id for s in await store.reviews_in_scope()][-1] == 2


@pytest.mark.parametrize("version", range(1, KEYS_RECOMPUTED))
async def test_a_look_alike_title_becomes_the_film_it_looks_like(tmp_path, version):
    """ "Br\u200bick" was another film than "Brick". Now it is the same: server 5's look-alike is
    its own version of the shared Brick; server 6, which has both, keeps both as they were."""
    path = tmp_path / f"v{version}.db"
    build_at(path, version)
    with sqlite3.connect(path) as db:
        add_film(db, 2, 0, "Brick", "brick|2005", 2005)
        add_film(db, 3, 5, "Br\u200bick", "br ick|2005", 2005)
        add_film(db, 4, 6, "Brick", "brick|2005", 2005)
        add_film(db, 5, 6, "Br\u200bick", "br ick|2005", 2005)
        db.execute("INSERT INTO seen VALUES (5, 'br ick|2005', ?, 9)", (NOON,))
    async with await Store.open(path) as store:
        keys = await store._reader.execute_fetchall("SELECT id, film_key FROM reviews WHERE id > 1")
        assert keys == [(2, "brick|2005"), (3, "brick|2005"), (4, "brick|2005"), (5, "br ick|2005")]
        assert [s.id for s in await store.visible_reviews(5) if s.review.year == 2005] == [3]
        assert [s.id for s, _ in await store.seen(5)] == [3, 1]


async def test_votes_cast_before_ballots_existed_are_kept_as_ballots(tmp_path):
    path = tmp_path / "v7.db"
    build_at(path, 7)  # suggestions, before ballots
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO weekly_posts (id, guild_id, week, kind, state, channel_id, night_at,"
            " due_at, created_at) VALUES (1, 5, '2026-01-02', 'vote', 'posted', 7,"
            " '2026-01-02T18:00:00+00:00', '2026-01-01T18:00:00+00:00',"
            " '2026-01-01T18:00:00+00:00')"
        )
        db.execute(
            "INSERT INTO weekly_candidates VALUES (1, 0, 1, 'finish line|2011', 'Finish Line')"
        )
        db.execute("INSERT INTO weekly_votes VALUES (1, 9, 0, '2026-01-01T19:00:00+00:00')")
    async with await Store.open(path) as store:
        assert await store.ballots(1) == [[0]]
        post = await store.weekly_post(1)
        assert (post.vote_mode, post.candidates[0].backers) == ("vote", 0)


WATCHLIST_PER_MEMBER = 12
"""The migration that keeps one watchlist a member instead of one a member and server."""


async def test_a_members_watchlists_in_several_servers_become_one(tmp_path):
    path = tmp_path / "lists.db"
    build_at(path, WATCHLIST_PER_MEMBER - 1)
    with sqlite3.connect(path) as db:
        db.execute(
            WATCHLISTED + "(6, 9, 'finish line|2011', ?)",
            (NOON,),
        )
        db.execute(
            WATCHLISTED + "(6, 8, 'finish line|2011', ?)",
            (NOON,),
        )
    async with await Store.open(path) as store:
        assert [s.id for s in await store.watchlist(9)] == [1]  # once, though in two servers
        assert [s.id for s in await store.watchlist(8)] == [1]
        assert await store.remove_from_watchlist(9, "finish line|2011")
        assert await store.watchlist(9) == []
