"""A database made at every earlier schema version upgrades with every row intact."""

import json
import sqlite3
from importlib import resources

import pytest

from bot.review import from_json, parse, to_json
from bot.store import LATEST_VERSION, Bounds, Store, base
from bot.store.base import SQL_FUNCTIONS
from bot.store.packed import pack, unpack
from tests.conftest import FIXTURE_REVIEWS, assert_index_matches_reviews


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


LEAN = next(
    int(entry.name[:4])
    for entry in resources.files("bot.migrations").iterdir()
    if entry.name.endswith("_lean_store.sql")
)
"""The migration that keeps the review text once, compressed (its number may change)."""


RUNTIME_AND_VECTORS = 11
"""The migration that gives reviews a runtime column and a table of vectors."""

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
        review = json.dumps(to_json(parse((FIXTURE_REVIEWS / "finish-line-2011.txt").read_text())))
        lean = version >= LEAN  # stored compressed, indexed from the reviews, no copy in history
        db.execute(
            "INSERT INTO reviews (id, guild_id, film_key, title, year, data, created_at,"
            " updated_at) VALUES (1, 0, 'finish line|2011', 'Finish Line', 2011, ?,"
            " '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')",
            (pack(review) if lean else review,),
        )
        if lean:
            db.execute("INSERT INTO review_fts (review_fts) VALUES ('rebuild')")
            db.execute(
                "INSERT INTO review_audit (review_id, action, at)"
                " VALUES (1, 'add', '2026-01-01T00:00:00+00:00')"
            )
        else:
            db.execute(
                "INSERT INTO review_fts (rowid, pick_if, really_about, synopsis, rest)"
                " VALUES (1, 'sports grief', '', '', 'Finish Line')"
            )
            db.execute(
                "INSERT INTO review_audit (review_id, action, at, after)"
                " VALUES (1, 'add', '2026-01-01T00:00:00+00:00', ?)",
                (review,),
            )
        db.execute(
            "INSERT INTO seen VALUES (5, 'finish line|2011', '2026-02-01T00:00:00+00:00', 9)"
        )
        db.execute(WATCHLISTED + "(5, 9, 'finish line|2011', '2026-02-01T00:00:00+00:00')")
        db.execute("INSERT INTO guild_config (guild_id, mod_role_id) VALUES (5, 42)")
        db.execute("INSERT INTO meta VALUES ('command_hash:global', 'abc')")
        if version >= RUNTIME_AND_VECTORS:  # written with the review, as the store then did
            db.execute("UPDATE reviews SET runtime_minutes = 98 WHERE id = 1")
            db.execute("INSERT INTO review_vectors VALUES (1, 'a model', x'0102')")


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
        # The runtime column, read from the review's JSON by 0011 when it came later
        for minutes, expected in ((98, [1]), (97, [])):
            bounds = Bounds(max_minutes=minutes)
            found = await store.browse(0, bounds=bounds, exclude_seen=False, limit=5)
            assert [review_id for review_id, _ in found] == expected
        vectors = await store._reader.execute_fetchall("SELECT * FROM review_vectors")
        assert vectors == ([(1, "a model", b"\x01\x02")] if version >= RUNTIME_AND_VECTORS else [])


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


def at(minute):
    return f"2026-03-01T12:{minute:02d}:00+00:00"


def add_history(db):
    """Review 1's life before the upgrade, as the store of that version wrote it: edited, removed,
    restored, and its availability updated. One version is written out differently in two places
    (as an older release might have), which makes no difference to the review it is."""
    first = json.loads(db.execute("SELECT data FROM reviews WHERE id = 1").fetchone()[0])
    edited = {**first, "synopsis": "A coach, a bad knee and one last race."}
    latest = {**edited, "where_to_watch": "Finish Line is on Kanopy.", "services": ["Kanopy"]}
    texts = [json.dumps(v) for v in (first, edited, latest)]
    rows = [
        ("edit", 7, json.dumps(first, indent=1), texts[1]),
        ("remove", 7, texts[1], None),
        ("restore", 8, None, texts[1]),
        ("where", 8, texts[1], texts[2]),
    ]
    for minute, (action, actor, before, after) in enumerate(rows, start=1):
        db.execute(
            "INSERT INTO review_audit (review_id, actor_id, action, at, before, after)"
            " VALUES (1, ?, ?, ?, ?, ?)",
            (actor, action, at(minute), before, after),
        )
    db.execute("UPDATE reviews SET data = ? WHERE id = 1", (texts[2],))
    return texts[2]


@pytest.mark.parametrize("version", range(1, LEAN))
async def test_the_history_of_every_earlier_version_reads_back_the_same(tmp_path, version):
    path = tmp_path / f"v{version}.db"
    build_at(path, version)
    with sqlite3.connect(path) as db:
        latest = add_history(db)
        old = db.execute(
            "SELECT at, actor_id, action, before, after FROM review_audit ORDER BY id DESC"
        ).fetchall()
    expected = [
        (
            at,
            actor,
            action,
            before and from_json(json.loads(before)),
            after and from_json(json.loads(after)),
        )
        for at, actor, action, before, after in old
    ]
    async with await Store.open(path) as store:
        entries = await store.history(1, limit=100)
        assert [
            (e.at.isoformat(), e.actor_id, e.action, e.before, e.after) for e in entries
        ] == expected
        with sqlite3.connect(path) as db:
            (data,) = db.execute("SELECT data FROM reviews WHERE id = 1").fetchone()
            kept = db.execute("SELECT sum(length(replaced)) FROM review_audit").fetchone()[0]
        assert unpack(data) == latest  # byte for byte
        assert kept < len(latest)  # two changes, each kept as a delta
        weights = (1.0, 1.0, 1.0, 1.0)
        found = await store.ranked(0, "knee", weights=weights, limit=5, exclude_seen=False)
        assert [review_id for review_id, _ in found] == [1]  # indexed as it is now
        await store.update_review(1, entries[-1].after, actor_id=9)  # back to the first version
        await assert_index_matches_reviews(store)
        back, where = await store.history(1, limit=2)
        assert (back.before, back.after) == (entries[0].after, entries[-1].after)
        assert (where.before, where.after) == (entries[0].before, entries[0].after)


async def test_a_migration_that_frees_much_of_the_file_gives_the_space_back(tmp_path, monkeypatch):
    path = tmp_path / "big.db"
    build_at(path, LEAN - 1)
    with sqlite3.connect(path) as db:
        (data,) = db.execute("SELECT data FROM reviews WHERE id = 1").fetchone()
        for n in range(2, 600):
            db.execute(
                "INSERT INTO reviews (id, film_key, title, year, data, created_at, updated_at)"
                " VALUES (?, ?, 'Finish Line', ?, ?, ?, ?)",
                (n, f"finish line|{1000 + n}", 1000 + n, data, NOON, NOON),
            )
            db.execute(
                "INSERT INTO review_audit (review_id, action, at, after) VALUES (?, 'add', ?, ?)",
                (n, NOON, data),
            )
    size = path.stat().st_size
    monkeypatch.setattr(base, "COMPACT_PAGES", 10)
    async with await Store.open(path) as store:
        assert len(await store.reviews_in_scope()) == 599
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA freelist_count").fetchone()[0] == 0
    assert path.stat().st_size < size * 0.6


async def test_a_database_left_uncompacted_is_compacted_on_the_next_start(tmp_path, monkeypatch):
    """As if the bot was killed between the migration's commit and its VACUUM."""
    path = tmp_path / "killed-before-vacuum.db"
    build_at(path, LEAN - 1)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE filler (blob BLOB)")
        db.executemany("INSERT INTO filler VALUES (zeroblob(4000))", [()] * 400)
        db.execute("DROP TABLE filler")  # 400 free pages
    monkeypatch.setattr(base, "COMPACT_PAGES", 1_000_000)
    async with await Store.open(path) as store:
        assert await store.schema_version() == LATEST_VERSION
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA freelist_count").fetchone()[0] >= 400
    monkeypatch.setattr(base, "COMPACT_PAGES", 10)
    async with await Store.open(path) as store:
        assert [s.review.title for s in await store.reviews_in_scope()] == ["Finish Line"]
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA freelist_count").fetchone()[0] == 0


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
