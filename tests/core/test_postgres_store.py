"""What only the PostgreSQL store does: its migrations, several processes on one database,
the search copy following every writer, and copy-db between the backends."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from bot.review import parse
from bot.store import SHARED, Store, StoreError
from bot.store.base import LATEST_VERSION
from bot.store.copying import TABLES, copy_database
from bot.store.pg_store import LOCKS, WRITING, PostgresStore, pg_migrations
from bot.store.postgres import PgConnection
from bot.store.records import UNBOUNDED
from bot.store.search_copy import SearchCopy
from tests.conftest import FIXTURE_REVIEWS, FakeClock, assert_index_matches_reviews

WEIGHTS = (10.0, 5.0, 2.5, 1.0)


def review(name: str):
    return parse((FIXTURE_REVIEWS / name).read_text(encoding="utf-8"))


async def query(url: str, sql: str, params=()):
    connection = await PgConnection.connect(url)
    try:
        return await connection.execute_fetchall(sql, params)
    finally:
        await connection.close()


async def test_migrations_are_recorded_with_their_checksums(fresh_postgres, clock: FakeClock):
    url = fresh_postgres()
    async with await Store.open(url, clock=clock) as store:
        assert isinstance(store, PostgresStore)
        assert await store.schema_version() == LATEST_VERSION
    recorded = await query(url, "SELECT version, name, checksum FROM schema_migrations")
    assert [(v, n) for v, n, _ in recorded] == [(v, n) for v, n, _ in pg_migrations()]
    assert all(len(digest) == 64 for _, _, digest in recorded)


async def test_an_edited_migration_is_refused_by_name(fresh_postgres, clock: FakeClock):
    url = fresh_postgres()
    async with await Store.open(url, clock=clock):
        pass
    await query(url, "UPDATE schema_migrations SET checksum = 'edited' RETURNING version")
    with pytest.raises(StoreError, match=r"0015_schema\.sql differs"):
        await Store.open(url, clock=clock)


async def test_a_newer_database_is_refused(fresh_postgres, clock: FakeClock):
    url = fresh_postgres()
    async with await Store.open(url, clock=clock):
        pass
    await query(
        url,
        "INSERT INTO schema_migrations (version, name, checksum) VALUES (?, 'later', '')"
        " RETURNING version",
        (LATEST_VERSION + 1,),
    )
    with pytest.raises(StoreError, match="newer"):
        await Store.open(url, clock=clock)


async def test_processes_starting_at_once_migrate_and_load_the_starter_once(
    fresh_postgres, clock: FakeClock
):
    url = fresh_postgres()
    stores = await asyncio.gather(
        *(Store.open(url, starter=FIXTURE_REVIEWS, clock=clock) for _ in range(4))
    )
    try:
        for store in stores:
            assert len(await store.reviews_in_scope()) == 5
        assert await query(url, "SELECT count(*) FROM schema_migrations") == [
            (len(pg_migrations()),)
        ]
        assert len(await stores[0].presence.others()) == 3
    finally:
        for store in stores:
            await store.close()
    assert await query(url, "SELECT count(*) FROM processes") == [(0,)], "each left its mark"


async def test_the_search_copy_follows_writes_made_by_another_process(
    fresh_postgres, clock: FakeClock
):
    url = fresh_postgres()
    async with (
        await Store.open(url, clock=clock) as writer,
        await Store.open(url, clock=clock) as reader,
    ):
        assert isinstance(reader, PostgresStore)
        stamp = await reader.catalog_stamp()
        saved = await writer.save_review(review("velvet-job-1998.txt"))
        assert await reader.catalog_stamp() > stamp
        # Announced: the other process's copy catches up without waiting for a search.
        async with asyncio.timeout(10):
            while (await reader._search_copy()).version < await reader.catalog_stamp():
                await asyncio.sleep(0.01)
        found = await reader.ranked(SHARED, '"heist"', weights=WEIGHTS, limit=5, exclude_seen=False)
        assert [review_id for review_id, _ in found] == [saved.review_id]

        await writer.remove_review(saved.review_id, actor_id=1)  # searched at once: caught up
        assert (
            await reader.ranked(SHARED, '"heist"', weights=WEIGHTS, limit=5, exclude_seen=False)
            == []
        )
        await writer.restore_review(saved.review_id, actor_id=1)
        edited = replace(review("velvet-job-1998.txt"), synopsis="A quiet theft in an aquarium.")
        await writer.update_review(saved.review_id, edited, actor_id=1)
        assert await reader.ranked(
            SHARED, '"aquarium"', weights=WEIGHTS, limit=5, exclude_seen=False
        )
        await assert_index_matches_reviews(reader)


async def test_a_seen_list_written_elsewhere_is_left_out_of_the_next_search(
    fresh_postgres, clock: FakeClock
):
    url = fresh_postgres()
    async with (
        await Store.open(url, starter=FIXTURE_REVIEWS, clock=clock) as one,
        await Store.open(url, clock=clock) as other,
    ):
        everything = await other.browse(7, bounds=UNBOUNDED, exclude_seen=True, limit=10)
        first = await other.get(everything[0][0])
        assert first is not None
        await one.mark_seen(7, first.film_key, by=1)
        left = await other.browse(7, bounds=UNBOUNDED, exclude_seen=True, limit=10)
        assert [i for i, _ in left] == [i for i, _ in everything[1:]]
        await one.unmark_seen(7, first.film_key)
        assert await other.browse(7, bounds=UNBOUNDED, exclude_seen=True, limit=10) == everything


@pytest.mark.parametrize("middle", ["postgresql", "sqlite"])
async def test_copy_db_moves_everything_both_ways(
    tmp_path, fresh_postgres, clock: FakeClock, middle: str
):
    """SQLite -> PostgreSQL -> SQLite (and the other way round): every table the same."""
    start = fresh_postgres() if middle == "sqlite" else tmp_path / "start.db"
    there = tmp_path / "middle.db" if middle == "sqlite" else fresh_postgres()
    back = fresh_postgres() if middle == "sqlite" else tmp_path / "back.db"
    async with await Store.open(start, starter=FIXTURE_REVIEWS, clock=clock) as source:
        edited = await fill(source)
        expected = await source.ranked(7, '"house"', weights=WEIGHTS, limit=5, exclude_seen=True)
        async with await Store.open(there, clock=clock) as middle_store:
            first = await copy_database(source, middle_store)
            assert (
                await middle_store.ranked(7, '"house"', weights=WEIGHTS, limit=5, exclude_seen=True)
                == expected
            )
            await assert_index_matches_reviews(middle_store)
            async with await Store.open(back, clock=clock) as target:
                second = await copy_database(middle_store, target)
                with pytest.raises(StoreError, match="already holds data"):
                    await copy_database(middle_store, target)
                history = await target.history(edited)
                assert [entry.action for entry in history] == ["edit", "add"]
    assert [c.table for c in first] == list(TABLES)
    assert first == second, "the same rows, with the same checksums, at both ends"
    assert {c.table for c in first if c.rows} >= {
        "reviews", "review_audit", "seen", "watchlist", "guild_config", "suggestions",
        "suggestion_backers", "suggestion_blocks", "film_links",
    }  # fmt: skip


async def fill(store: Store) -> int:
    """A little of everything a server keeps; the id of the review it edited."""
    [first, *_] = await store.reviews_in_scope()
    await store.update_review(first.id, replace(first.review, tagline="Edited once."), actor_id=9)
    await store.mark_seen(7, first.film_key, by=9)
    await store.add_to_watchlist(7, 11, first.film_key)
    await store.set_mod_role(7, 555)
    await store.block_film(7, "blocked|2001", by=9)
    await store.link_film(first.film_key, 1234)
    suggestion = await store.add_suggestion(
        7, 11, film_key=None, title="Wanted", title_key="wanted", note=None, state="open"
    )
    await store.back(suggestion.id, 12)
    return first.id


async def test_sessions_postgresql_closed_are_opened_again_and_the_process_stays_alive(
    fresh_postgres, clock: FakeClock
):
    """A restart or failover ends every session: the next statements open new ones, and the
    process holds its advisory lock again (others do not take it for ended)."""
    url = fresh_postgres()
    async with (
        await Store.open(url, starter=FIXTURE_REVIEWS, clock=clock) as store,
        await Store.open(url, clock=clock) as other,
    ):
        assert await store.take_lease("weekly:7", timedelta(minutes=10))
        await query(
            url,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid != pg_backend_pid()",
        )
        assert len(await store.reviews_in_scope()) == 5  # the reader, again
        assert await store.mark_seen(7, "velvet job|1998", by=1)  # the writer, again
        assert await store.ranked(SHARED, '"heist"', weights=WEIGHTS, limit=5, exclude_seen=True)
        assert not await other.take_lease("weekly:7", timedelta(minutes=10)), "still alive"


async def test_a_search_copy_left_by_an_ended_process_is_swept_and_a_live_one_kept(tmp_path):
    live, ended = await SearchCopy.create(tmp_path), await SearchCopy.create(tmp_path)
    ended._held.release()  # as when its process is killed: the system drops the lock
    newest = await SearchCopy.create(tmp_path)
    try:
        assert live.path.exists() and newest.path.exists()
        assert not ended.path.exists() and not Path(f"{ended.path.parent}.lock").exists()
    finally:
        for copy in (live, newest):
            await copy.close()
        await ended.reader.close()
        await ended._writer.close()
    assert list(tmp_path.iterdir()) == [], "a closed copy leaves nothing"


async def test_films_to_refresh_are_listed_with_or_without_an_age(fresh_postgres, clock):
    """``(? IS NULL OR …)`` leaves PostgreSQL unable to tell the parameter's type."""
    async with await Store.open(fresh_postgres(), clock=clock) as store:
        await store.link_film("velvet job|1998", 11)
        await store.link_film("night shift|2015", 12)
        assert await store.linked_films() == [11, 12]
        assert await store.linked_films(fetched_before=clock.now) == [11, 12]


async def test_a_write_whose_lock_wait_failed_leaves_the_next_write_working(fresh_postgres, clock):
    """Another process writing while this one's wait times out (a lock_timeout set on the
    role) or is given up (a cancelled task): the transaction is ended, not left open."""
    url = fresh_postgres()
    async with await Store.open(url, clock=clock) as store:
        holder = await PgConnection.connect(url)
        await holder.execute("SELECT pg_advisory_lock(?, ?)", (LOCKS, WRITING))
        await store._writer.execute("SET lock_timeout = '50ms'")
        with pytest.raises(psycopg.errors.LockNotAvailable):
            await store.set_meta("a", "1")
        await store._writer.execute("SET lock_timeout = 0")
        waiting = asyncio.create_task(store.set_meta("b", "2"))
        async with asyncio.timeout(10):
            while not await query(
                url, "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            ):
                await asyncio.sleep(0.01)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        await holder.close()
        await store.set_meta("c", "3")
        assert (await store.get_meta("a"), await store.get_meta("c")) == (None, "3")
