"""The history keeps every earlier version exactly, though it stores no copy of the newest."""

import zlib
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.review import parse
from bot.store import SaveResult, Store
from tests.conftest import FIXTURE_REVIEWS, assert_index_matches_reviews

pytestmark = pytest.mark.both_backends


async def stored_text(store, review_id) -> bytes:
    """The review's JSON exactly as the store keeps it (compressed in ``reviews.data``)."""
    [(data,)] = await store._reader.execute_fetchall(
        "SELECT data FROM reviews WHERE id = ?", (review_id,)
    )
    return zlib.decompress(data)


async def history_rows(store, review_id) -> list[tuple[str, bytes | None, int]]:
    rows = await store._reader.execute_fetchall(
        "SELECT action, replaced, removed FROM review_audit WHERE review_id = ? ORDER BY id",
        (review_id,),
    )
    return [tuple(row) for row in rows]


async def test_an_imported_review_edited_twice_gives_back_each_earlier_version_byte_for_byte(
    new_database, clock
):
    path = new_database("history")
    imported = parse((FIXTURE_REVIEWS / "court-vision-2019.txt").read_text(encoding="utf-8"))
    first_edit = replace(imported, synopsis="A coach and five retirees, one last tournament.")
    second_edit = replace(first_edit, tagline="Loud, happy and very slow.")
    async with await Store.open(path, clock=clock) as store:
        [saved] = await store.save_many([imported])  # as `movienight import` saves it
        review_id = saved.review_id
        texts = [await stored_text(store, review_id)]
        for edit in (first_edit, second_edit):
            clock.now += timedelta(minutes=5)
            await store.update_review(review_id, edit, actor_id=2)
            texts.append(await stored_text(store, review_id))

        newest, middle, oldest = await store.history(review_id)
        assert [(e.action, e.actor_id) for e in (newest, middle, oldest)] == [
            ("edit", 2),
            ("edit", 2),
            ("add", None),
        ]
        assert (oldest.before, oldest.after) == (None, imported)
        assert (middle.before, middle.after) == (imported, first_edit)
        assert (newest.before, newest.after) == (first_edit, second_edit)

        # The first version is the row itself until it changes; each edit keeps a small delta.
        rows = await history_rows(store, review_id)
        assert rows[0] == ("add", None, 0)
        assert all(len(replaced) < len(texts[0]) // 4 for _, replaced, _ in rows[1:])

        for entry, text in ((newest, texts[1]), (middle, texts[0])):
            clock.now += timedelta(minutes=5)
            await store.update_review(review_id, entry.before, actor_id=3)
            assert await stored_text(store, review_id) == text

        history = await store.history(review_id, limit=100)
        assert [entry.after for entry in history[:2]] == [imported, first_edit]
        assert [entry.before for entry in history[2:4]] == [first_edit, imported]
        await assert_index_matches_reviews(store)


async def test_removing_and_restoring_keep_no_text_and_show_the_review_around_them(
    new_database, clock
):
    path = new_database("removed")
    original = parse((FIXTURE_REVIEWS / "night-shift-2015.txt").read_text(encoding="utf-8"))
    edited = replace(original, tagline="Edited before it went")
    async with await Store.open(path, clock=clock) as store:
        saved = await store.save_review(original, guild_id=5, actor_id=1)
        await store.update_review(saved.review_id, edited, actor_id=1)
        await store.remove_review(saved.review_id, actor_id=1)
        await store.restore_review(saved.review_id, actor_id=1)
        again = await store.save_review(original, guild_id=5, actor_id=1)
        assert again.outcome == "updated"

        entries = await store.history(saved.review_id)
        assert [(e.action, e.before, e.after) for e in entries] == [
            ("update", edited, original),
            ("restore", None, edited),
            ("remove", edited, None),
            ("edit", original, edited),
            ("add", None, original),
        ]
        await assert_index_matches_reviews(store)
        kept = [
            (a, text is not None, gone)
            for a, text, gone in await history_rows(store, saved.review_id)
        ]
        assert kept == [
            ("add", False, 0),
            ("edit", True, 0),
            ("remove", False, 1),
            ("restore", False, 0),
            ("update", True, 0),
        ]


async def test_saving_a_removed_review_again_brings_it_back_indexed_with_its_history(
    new_database, clock
):
    original = parse((FIXTURE_REVIEWS / "the-quiet-house-2004.txt").read_text(encoding="utf-8"))
    changed = replace(original, synopsis="A keeper and a storm, and nobody else.")
    async with await Store.open(new_database("again"), clock=clock) as store:
        saved = await store.save_review(original, guild_id=5, actor_id=1)
        await store.remove_review(saved.review_id, actor_id=1)
        again = await store.save_review(changed, guild_id=5, actor_id=2)
        assert again == SaveResult(saved.review_id, "updated")
        weights = (1.0, 1.0, 1.0, 1.0)
        found = await store.ranked(5, '"keeper"', weights=weights, limit=5, exclude_seen=False)
        assert [review_id for review_id, _ in found] == [saved.review_id]
        update, remove, _ = await store.history(saved.review_id)
        assert (update.before, update.after) == (original, changed)
        assert (remove.before, remove.after) == (original, None)
        await assert_index_matches_reviews(store)
