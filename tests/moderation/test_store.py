"""The store's moderation tables: drafts merge and survive; a pending change settles once."""

from datetime import timedelta

import pytest

from bot.review import parse
from bot.store import film_key
from bot.store.moderation import KEEP_SETTLED, Pending
from tests.moderation.helpers import review_text

pytestmark = pytest.mark.both_backends


def pending(clock, token="a" * 16, **changes):
    values = {
        "token": token,
        "guild_id": 1,
        "user_id": 7,
        "kind": "import",
        "review": parse(review_text()),
        "target_id": None,
        "base": "none",
        "expires_at": clock.now + timedelta(minutes=10),
    }
    return Pending(**{**values, **changes})


async def test_a_draft_gathers_both_forms_and_is_kept_per_member(store):
    assert await store.draft(1, 7) == {}
    await store.update_draft(1, 7, {"title": "Kites (2001)", "pick_if": "You like kites"})
    merged = await store.update_draft(1, 7, {"runtime": "90", "pick_if": "You like wind"})
    assert merged == {"title": "Kites (2001)", "pick_if": "You like wind", "runtime": "90"}
    assert await store.draft(1, 7) == merged
    assert await store.draft(1, 8) == {} and await store.draft(2, 7) == {}
    await store.drop_draft(1, 7)
    assert await store.draft(1, 7) == {}


async def test_a_pending_change_reads_back_whole(store, clock):
    await store.add_pending(pending(clock))
    assert await store.pending("a" * 16) == pending(clock)
    assert await store.pending("b" * 16) is None


async def test_a_pending_change_settles_exactly_once(store, clock):
    await store.add_pending(pending(clock))
    assert await store.settle_pending("a" * 16, "confirmed", base="none")
    assert not await store.settle_pending("a" * 16, "confirmed", base="none")
    assert not await store.settle_pending("a" * 16, "cancelled")
    assert (await store.pending("a" * 16)).outcome == "confirmed"


async def test_a_pending_change_does_not_settle_late_or_against_another_base(store, clock):
    await store.add_pending(pending(clock))
    assert not await store.settle_pending("a" * 16, "confirmed", base="something else")
    clock.now += timedelta(minutes=10)
    assert not await store.settle_pending("a" * 16, "confirmed", base="none")
    assert (await store.pending("a" * 16)).outcome is None


async def test_long_expired_pending_changes_are_forgotten(store, clock):
    await store.add_pending(pending(clock, token="a" * 16))
    clock.now += timedelta(minutes=10) + KEEP_SETTLED + timedelta(seconds=1)
    await store.add_pending(pending(clock, token="b" * 16))
    assert await store.pending("a" * 16) is None
    assert await store.pending("b" * 16) is not None


async def test_review_by_key_finds_removed_reviews_too(store):
    review = parse(review_text())
    result = await store.save_review(review, guild_id=1)
    await store.remove_review(result.review_id, actor_id=7)
    found = await store.review_by_key(1, film_key(review.title, review.year))
    assert found.id == result.review_id and found.deleted_at is not None
    assert await store.review_by_key(2, film_key(review.title, review.year)) is None
