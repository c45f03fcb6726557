"""The catalog store: migrations, identity, scopes, the full-text index, audit and soft delete."""

import asyncio
import json
import sqlite3
import zlib
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.review import parse
from bot.store import LATEST_VERSION, SHARED, Store, StoreError, film_key
from tests.conftest import FIXTURE_REVIEWS, assert_index_matches_reviews

pytestmark = pytest.mark.both_backends

GUILD = 77


def review(name: str):
    return parse((FIXTURE_REVIEWS / name).read_text(encoding="utf-8"))


@pytest.mark.sqlite_only
async def test_new_database_is_migrated_in_wal_with_foreign_keys(store, settings):
    assert await store.schema_version() == LATEST_VERSION
    with sqlite3.connect(settings.database) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    rows = await store._writer.execute_fetchall("PRAGMA foreign_keys")
    assert rows[0][0] == 1


async def test_starter_catalog_loads_once_on_first_open(new_database):
    path = new_database("first")
    async with await Store.open(path, starter=FIXTURE_REVIEWS) as first:
        assert len(await first.reviews_in_scope()) == 5
        await first.remove_review((await first.reviews_in_scope())[0].id, actor_id=1)
    async with await Store.open(path, starter=FIXTURE_REVIEWS) as again:
        assert len(await again.reviews_in_scope()) == 4  # not re-seeded


async def test_a_newer_database_is_refused(tmp_path):
    path = tmp_path / "future.db"
    with sqlite3.connect(path) as raw:
        raw.execute(f"PRAGMA user_version = {LATEST_VERSION + 5}")
    with pytest.raises(StoreError, match="newer"):
        await Store.open(path)


def test_film_key_folds_case_accents_and_punctuation():
    assert film_key("Amélie!", 2001) == film_key("AMELIE", 2001) == "amelie|2001"
    assert film_key("Amélie", None) == "amelie|"


def test_titles_with_no_letters_keep_their_symbols_in_the_key():
    assert film_key("🎬🍿", 2016) == "🎬🍿|2016"
    assert film_key("🍕🍕", 2016) == "🍕🍕|2016"
    assert film_key("❤️", 2016) == film_key("❤", 2016)  # a variation selector tells nothing
    assert film_key("+1", 2013) != film_key("1", 2013)
    assert film_key("?!", None) != film_key("!!", None)
    assert film_key("1917", 2019) == "1917|2019"  # unchanged: digits alone were kept already


def test_invisible_characters_make_no_other_film():
    for look_alike in ("Br\u200bick", "Bri\u00adck", "Brick\ufe0f", "\u202eBrick", "Bric\u200dk"):
        assert film_key(look_alike, 2005) == "brick|2005"


async def test_a_look_alike_title_is_the_same_film(store):
    brick = replace(review("velvet-job-1998.txt"), title="Brick", year=2005)
    await store.save_review(brick)
    look_alike = replace(brick, title="Br\u200bick", tagline="Another tagline")
    assert (await store.save_review(look_alike)).outcome == "updated"
    assert [s.review.title for s in await store.reviews_in_scope()] == ["Brick"]


async def test_films_with_no_letters_are_different_films(store):
    velvet = review("velvet-job-1998.txt")
    popcorn = replace(velvet, title="🎬🍿", year=2016)
    pizza = replace(velvet, title="🍕🍕", year=2016)
    assert [result.outcome for result in await store.save_many([popcorn, pizza])] == [
        "added",
        "added",
    ]
    assert (await store.save_review(pizza)).outcome == "unchanged"
    assert sorted(s.review.title for s in await store.reviews_in_scope()) == ["🍕🍕", "🎬🍿"]


async def test_importing_again_updates_and_never_duplicates(store):
    original = review("velvet-job-1998.txt")
    assert (await store.save_review(original)).outcome == "added"
    assert (await store.save_review(original)).outcome == "unchanged"
    renamed = replace(original, title="VELVET JOB", tagline="A new tagline")
    result = await store.save_review(renamed)
    assert result.outcome == "updated"
    stored = await store.reviews_in_scope()
    assert len(stored) == 1 and stored[0].review.tagline == "A new tagline"


async def test_a_server_sees_its_own_version_first(store):
    shared = review("velvet-job-1998.txt")
    await store.save_review(shared)
    own = replace(shared, tagline="Our server's take")
    await store.save_review(own, guild_id=GUILD, actor_id=5)
    [seen_by_guild] = list(await store.visible_reviews(GUILD))
    assert seen_by_guild.review.tagline == "Our server's take" and not seen_by_guild.shared
    [seen_elsewhere] = await store.visible_reviews(GUILD + 1)
    assert seen_elsewhere.shared and seen_elsewhere.review.tagline == shared.tagline


async def test_full_text_index_follows_every_write(store):
    result = await store.save_review(review("the-quiet-house-2004.txt"))
    weights = (10.0, 5.0, 2.5, 1.0)
    hits = await store.search(SHARED, '"lighthouse"', weights=weights, limit=5, exclude_seen=False)
    assert [h.stored.id for h in hits] == [result.review_id]
    edited = replace(
        hits[0].stored.review,
        synopsis="A widower stays in a cabin.",
        pick_if=hits[0].stored.review.pick_if[:1],
    )
    await store.update_review(result.review_id, edited, actor_id=9)
    assert not await store.search(
        SHARED, '"lighthouse"', weights=weights, limit=5, exclude_seen=False
    )
    await store.remove_review(result.review_id, actor_id=9)
    assert not await store.search(SHARED, '"widower"', weights=weights, limit=5, exclude_seen=False)
    await store.restore_review(result.review_id, actor_id=9)
    assert await store.search(SHARED, '"widower"', weights=weights, limit=5, exclude_seen=False)
    await assert_index_matches_reviews(store)


async def test_audit_keeps_the_text_before_and_after(store, clock):
    original = review("court-vision-2019.txt")
    saved = await store.save_review(original, guild_id=GUILD, actor_id=1)
    clock.now += timedelta(minutes=5)
    changed = replace(original, synopsis="A different synopsis.")
    await store.update_review(saved.review_id, changed, actor_id=2)
    newest, oldest = await store.history(saved.review_id)
    assert (newest.action, newest.actor_id) == ("edit", 2)
    assert newest.before == original and newest.after == changed
    assert oldest.action == "add" and oldest.before is None
    assert newest.at - oldest.at == timedelta(minutes=5)


async def test_soft_delete_hides_and_restore_brings_back(store):
    saved = await store.save_review(review("night-shift-2015.txt"), guild_id=GUILD)
    await store.remove_review(saved.review_id, actor_id=3)
    assert await store.visible_reviews(GUILD) == []
    assert [row.id for row in await store.removed_reviews(GUILD)] == [saved.review_id]
    with pytest.raises(StoreError):
        await store.remove_review(saved.review_id, actor_id=3)
    restored = await store.restore_review(saved.review_id, actor_id=3)
    assert restored.deleted_at is None
    assert [s.id for s in await store.visible_reviews(GUILD)] == [saved.review_id]


async def test_edit_cannot_take_the_title_of_another_review(store):
    a = await store.save_review(review("night-shift-2015.txt"), guild_id=GUILD)
    b = review("court-vision-2019.txt")
    await store.save_review(b, guild_id=GUILD)
    stored = await store.get(a.review_id)
    with pytest.raises(StoreError, match="already has a review"):
        await store.update_review(
            a.review_id, replace(stored.review, title=b.title, year=b.year), actor_id=1
        )
    assert (await store.get(a.review_id)).review == stored.review  # nothing half-written


async def test_a_failed_transaction_leaves_nothing_behind(store):
    with pytest.raises(RuntimeError):
        async with store.transaction() as db:
            await db.execute("INSERT INTO meta (key, value) VALUES ('half', 'written')")
            raise RuntimeError("crash in the middle")
    assert await store.get_meta("half") is None


async def test_seen_lists_are_per_server_and_watchlists_per_member(store):
    saved = await store.save_review(review("finish-line-2011.txt"))
    key = (await store.get(saved.review_id)).film_key
    assert await store.mark_seen(GUILD, key, by=1)
    assert not await store.mark_seen(GUILD, key, by=2)
    assert [s.id for s, _ in await store.seen(GUILD)] == [saved.review_id]
    assert await store.seen(GUILD + 1) == []
    assert await store.visible_reviews(GUILD, exclude_seen=True) == []
    assert await store.add_to_watchlist(GUILD, 10, key)
    assert not await store.add_to_watchlist(GUILD + 1, 10, key)  # one list, in every server
    assert [s.id for s in await store.watchlist(10)] == [saved.review_id]
    assert await store.watchlist(11) == []
    assert await store.remove_from_watchlist(10, key)
    assert await store.unmark_seen(GUILD, key)


async def test_reviews_are_stored_as_the_public_json_compressed(store, settings):
    saved = await store.save_review(review("velvet-job-1998.txt"))
    [(data,)] = await store._reader.execute_fetchall(
        "SELECT data FROM reviews WHERE id = ?", (saved.review_id,)
    )
    assert json.loads(zlib.decompress(data))["directors"] == ["Paul Render", "Ana Render"]


async def test_a_first_start_that_died_before_the_starter_loaded_loads_it_next_time(
    new_database,
):
    path = new_database("interrupted")
    async with await Store.open(path):  # migrated, but the starter catalog never went in
        pass
    async with await Store.open(path, starter=FIXTURE_REVIEWS) as again:
        assert len(await again.reviews_in_scope()) == 5


async def test_a_catalog_emptied_by_moderators_is_not_refilled(new_database):
    path = new_database("emptied")
    async with await Store.open(path, starter=FIXTURE_REVIEWS) as first:
        for stored in await first.reviews_in_scope():
            await first.remove_review(stored.id, actor_id=1)
    async with await Store.open(path, starter=FIXTURE_REVIEWS) as again:
        assert await again.reviews_in_scope() == []


async def test_renaming_a_server_review_keeps_its_seen_list_and_watchlists(store):
    original = review("night-shift-2015.txt")
    saved = await store.save_review(original, guild_id=GUILD, actor_id=1)
    old_key = film_key(original.title, original.year)
    await store.mark_seen(GUILD, old_key, by=1)
    await store.add_to_watchlist(GUILD, 10, old_key)
    await store.mark_seen(GUILD + 1, old_key, by=1)  # another server's list is its own
    renamed = replace(original, title="Night Shift Redux", year=2016)
    await store.update_review(saved.review_id, renamed, actor_id=1)
    assert [s.id for s, _ in await store.seen(GUILD)] == [saved.review_id]
    assert [s.id for s in await store.watchlist(10)] == [saved.review_id]
    assert await store.seen_keys(GUILD + 1) == {old_key}


async def test_a_clash_with_a_removed_review_says_so(store):
    a = await store.save_review(review("night-shift-2015.txt"), guild_id=GUILD)
    b = await store.save_review(review("court-vision-2019.txt"), guild_id=GUILD)
    await store.remove_review(b.review_id, actor_id=1)
    court = review("court-vision-2019.txt")
    stored = await store.get(a.review_id)
    with pytest.raises(StoreError, match="already has a removed review of Court Vision"):
        await store.update_review(
            a.review_id, replace(stored.review, title=court.title, year=court.year), actor_id=1
        )


async def test_an_update_is_named_in_the_history_as_asked(store):
    original = review("velvet-job-1998.txt")
    saved = await store.save_review(original, guild_id=GUILD)
    await store.save_review(replace(original, tagline="New"), guild_id=GUILD, action="where")
    assert [entry.action for entry in await store.history(saved.review_id)] == ["where", "add"]


async def test_a_random_film_is_one_the_server_sees_and_has_not_seen(new_database):
    import random

    async with await Store.open(new_database("r"), starter=FIXTURE_REVIEWS) as store:
        films = await store.visible_reviews(GUILD)
        for stored in films[1:]:
            await store.mark_seen(GUILD, stored.film_key, by=1)
        for seed in range(10):
            pick = await store.random_visible(GUILD, exclude_seen=True, rng=random.Random(seed))
            assert pick.id == films[0].id
        picks = {
            (await store.random_visible(GUILD + 1, exclude_seen=True, rng=random.Random(s))).id
            for s in range(40)
        }
        assert len(picks) > 1  # really random where more than one film is left
        await store.mark_seen(GUILD, films[0].film_key, by=1)
        assert await store.random_visible(GUILD, exclude_seen=True) is None


async def test_catalog_counts(store):
    await store.save_review(review("velvet-job-1998.txt"))
    await store.save_review(review("night-shift-2015.txt"))
    own = await store.save_review(review("velvet-job-1998.txt"), guild_id=GUILD)
    gone = await store.save_review(review("court-vision-2019.txt"), guild_id=GUILD)
    await store.remove_review(gone.review_id, actor_id=1)
    assert own.outcome == "added"
    assert await store.catalog_counts(GUILD) == {"own": 1, "removed": 1, "shared": 1}


async def test_a_transaction_inside_another_joins_it_and_a_failed_inner_part_undoes_only_itself(
    store,
):
    async with store.transaction():
        await store.set_meta("kept", "1")
        with pytest.raises(RuntimeError):
            async with store.transaction() as db:
                await db.execute("INSERT INTO meta (key, value) VALUES ('undone', '1')")
                raise RuntimeError("the inner part fails")
        assert await store.get_meta("kept") is None  # not committed yet: one unit of work
    assert await store.get_meta("kept") == "1"
    assert await store.get_meta("undone") is None


async def test_a_failed_outer_transaction_undoes_its_inner_ones(store):
    with pytest.raises(RuntimeError):
        async with store.transaction():
            await store.set_meta("inner", "1")
            raise RuntimeError("the action fails after its first write")
    assert await store.get_meta("inner") is None


@pytest.mark.sqlite_only
async def test_opening_waits_while_another_process_writes_the_new_database(tmp_path):
    """Processes starting together on a new file: one writes while another turns on WAL mode,
    which SQLite refuses at once ("database is locked") rather than waiting. It waits now."""
    path = tmp_path / "new.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE t (x)")
    other.execute("BEGIN IMMEDIATE")  # still in rollback-journal mode, as a new file is
    asyncio.get_running_loop().call_later(0.1, other.execute, "COMMIT")
    try:
        async with await Store.open(path) as store:
            assert await store.schema_version() == LATEST_VERSION
    finally:
        other.close()
