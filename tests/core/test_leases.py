"""Leases between processes on one database, and IDENTIFY slots paced across them."""

from datetime import timedelta

from bot.store import Store
from tests.conftest import FakeClock

MINUTES = timedelta(minutes=10)


async def test_a_live_holder_keeps_its_lease_until_it_runs_out(tmp_path, clock: FakeClock):
    path = tmp_path / "shared.db"
    async with (
        await Store.open(path, clock=clock) as first,
        await Store.open(path, clock=clock) as second,
    ):
        assert await first.take_lease("weekly:7", MINUTES)
        assert not await second.take_lease("weekly:7", MINUTES)
        assert await second.take_lease("weekly:8", MINUTES), "another name is free"
        assert await first.take_lease("weekly:7", MINUTES), "the holder renews"
        clock.now += MINUTES + timedelta(seconds=1)
        assert await second.take_lease("weekly:7", MINUTES), "a silent holder's lease runs out"
        assert not await first.take_lease("weekly:7", MINUTES)


async def test_a_lease_passes_at_once_when_its_holder_has_ended(tmp_path, clock: FakeClock):
    path = tmp_path / "shared.db"
    async with await Store.open(path, clock=clock) as survivor:
        ended = await Store.open(path, clock=clock)
        assert await ended.take_lease("weekly:7", MINUTES)
        assert not await survivor.take_lease("weekly:7", MINUTES)
        await ended.close()  # the process ends; its mark beside the database is dropped
        assert await survivor.take_lease("weekly:7", MINUTES)


async def test_a_dropped_lease_is_free(tmp_path, clock: FakeClock):
    path = tmp_path / "shared.db"
    async with (
        await Store.open(path, clock=clock) as first,
        await Store.open(path, clock=clock) as second,
    ):
        assert await first.take_lease("weekly:7", MINUTES)
        await second.drop_lease("weekly:7")  # not its own: nothing happens
        assert not await second.take_lease("weekly:7", MINUTES)
        await first.drop_lease("weekly:7")
        assert await second.take_lease("weekly:7", MINUTES)


async def test_identify_slots_are_spaced_per_bucket_across_processes(tmp_path, clock: FakeClock):
    path = tmp_path / "shared.db"
    spacing = timedelta(seconds=5)
    async with (
        await Store.open(path, clock=clock) as first,
        await Store.open(path, clock=clock) as second,
    ):
        start = clock.now
        assert await first.identify_slot(0, spacing) == start
        assert await second.identify_slot(0, spacing) == start + spacing
        assert await first.identify_slot(0, spacing) == start + 2 * spacing
        assert await second.identify_slot(1, spacing) == start, "another bucket is not held up"
        clock.now += timedelta(minutes=1)
        assert await second.identify_slot(0, spacing) == clock.now
