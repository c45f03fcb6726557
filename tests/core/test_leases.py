"""Leases between processes on one database, and IDENTIFY slots paced across them."""

import threading
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.store import LATEST_VERSION, Store
from bot.store.pg_store import PostgresStore
from bot.store.presence import Presence
from tests.conftest import FakeClock

pytestmark = pytest.mark.both_backends

MINUTES = timedelta(minutes=10)


@pytest.fixture
async def two(new_database, clock: FakeClock) -> AsyncIterator[tuple[Store, Store]]:
    """Two processes' stores on one database."""
    path = new_database("shared")
    async with (
        await Store.open(path, clock=clock) as first,
        await Store.open(path, clock=clock) as second,
    ):
        yield first, second


async def test_a_live_holder_keeps_its_lease_until_it_runs_out(two, clock: FakeClock):
    first, second = two
    assert await first.take_lease("weekly:7", MINUTES)
    assert not await second.take_lease("weekly:7", MINUTES)
    assert await second.take_lease("weekly:8", MINUTES), "another name is free"
    assert await first.take_lease("weekly:7", MINUTES), "the holder renews"
    clock.now += MINUTES + timedelta(seconds=1)
    assert await second.take_lease("weekly:7", MINUTES), "a silent holder's lease runs out"
    assert not await first.take_lease("weekly:7", MINUTES)


async def ended_process(store: Store) -> None:
    """As when the process ends: the system drops its mark beside a SQLite database, and
    PostgreSQL the advisory lock of its session. PostgreSQL ends a session whose connection
    closed in its own time, so this waits (at most 10 s) until it has."""
    if isinstance(store, PostgresStore):
        session = store._reader.raw.info.backend_pid
        await store._reader.raw.close()
        await store._writer.execute("SELECT pg_terminate_backend(?, 10000)", (session,))
    else:
        store.presence.close()


async def test_a_lease_passes_at_once_when_its_holder_has_ended(two):
    ended, survivor = two
    assert await ended.take_lease("weekly:7", MINUTES)
    assert not await survivor.take_lease("weekly:7", MINUTES)
    await ended_process(ended)
    assert await survivor.take_lease("weekly:7", MINUTES)


async def test_a_dropped_lease_is_free(two):
    first, second = two
    assert await first.take_lease("weekly:7", MINUTES)
    await second.drop_lease("weekly:7")  # not its own: nothing happens
    assert not await second.take_lease("weekly:7", MINUTES)
    await first.drop_lease("weekly:7")
    assert await second.take_lease("weekly:7", MINUTES)


async def test_identify_slots_are_spaced_per_bucket_across_processes(two, clock: FakeClock):
    first, second = two
    spacing = timedelta(seconds=5)
    start = clock.now
    assert await first.identify_slot(0, spacing) == start
    assert await second.identify_slot(0, spacing) == start + spacing
    assert await first.identify_slot(0, spacing) == start + 2 * spacing
    assert await second.identify_slot(1, spacing) == start, "another bucket is not held up"
    clock.now += timedelta(minutes=1)
    assert await second.identify_slot(0, spacing) == clock.now


async def test_a_sweep_never_takes_a_starting_process_for_an_ended_one(tmp_path):
    """Marks are swept by whoever starts; one appearing meanwhile must be held already."""
    database = str(tmp_path / "shared.db")
    sweeper, stop = Presence(database, LATEST_VERSION), threading.Event()

    def sweep() -> None:
        while not stop.is_set():
            sweeper._sweep()

    thread = threading.Thread(target=sweep)
    thread.start()
    try:
        started = [Presence(database, LATEST_VERSION) for _ in range(60)]
    finally:
        stop.set()
        thread.join()
    assert len(await sweeper.others()) == len(started)
    assert not [p for p in started if await sweeper.gone(p.me)]
    for presence in started:
        presence.close()
    sweeper.close()
