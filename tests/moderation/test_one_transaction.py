"""One user action, one transaction: a write that fails leaves nothing settled or half-done.

A trigger added to the test database makes one kind of write fail, the way a full disk, a
kill -9 or a lock timeout would between two statements of the same action.
"""

import sqlite3
from contextlib import contextmanager

import pytest

from bot import moderation
from bot.store import film_key
from tests.conftest import LATEST_YEAR
from tests.fakes import GUILD_ID
from tests.moderation.helpers import review_text
from tests.moderation.test_races import ANA, token_of

FILM = film_key("Lantern Field", 2019)


@contextmanager
def failing(database, statement: str):
    """While open, every ``statement`` (e.g. ``INSERT ON reviews``) fails."""
    with sqlite3.connect(database) as db:
        db.execute(
            f"CREATE TRIGGER fail_for_test BEFORE {statement}"
            " BEGIN SELECT RAISE(ABORT, 'disk I/O error (made by the test)'); END"
        )
    try:
        yield
    finally:
        with sqlite3.connect(database) as db:
            db.execute("DROP TRIGGER fail_for_test")


async def test_a_save_whose_write_fails_can_be_pressed_again(fixture_core):
    preview = await moderation.import_preview(fixture_core, ANA, "film.txt", review_text().encode())
    token = token_of(preview)
    with (
        failing(fixture_core.settings.database, "INSERT ON reviews"),
        pytest.raises(sqlite3.DatabaseError, match="disk I/O error"),
    ):
        await moderation.confirm(fixture_core, ANA, token)
    assert await fixture_core.store.review_by_key(GUILD_ID, FILM) is None
    assert (await fixture_core.store.pending(token)).outcome is None

    saved = await moderation.confirm(fixture_core, ANA, token)
    assert "Saved" in str(saved.to_discord())
    assert await fixture_core.store.review_by_key(GUILD_ID, FILM) is not None


async def test_a_remove_whose_write_fails_removes_nothing_and_can_be_pressed_again(fixture_core):
    stored = await fixture_core.store.save_review(
        moderation.read_attachment("x.txt", review_text().encode(), newest=LATEST_YEAR),
        guild_id=GUILD_ID,
    )
    asked = await moderation.remove_request(fixture_core, ANA, f"id:{stored.review_id}")
    token = token_of(asked)
    with (
        failing(fixture_core.settings.database, "UPDATE ON reviews"),
        pytest.raises(sqlite3.DatabaseError),
    ):
        await moderation.confirm(fixture_core, ANA, token)
    assert (await fixture_core.store.get(stored.review_id)).deleted_at is None
    await moderation.confirm(fixture_core, ANA, token)
    assert (await fixture_core.store.get(stored.review_id)).deleted_at is not None


async def test_saving_a_draft_review_drops_the_draft_in_the_same_transaction(fixture_core):
    texts = {"title": "Lantern Field (2019)", "pick_if": "You like lanterns: they glow"}
    await fixture_core.store.update_draft(GUILD_ID, ANA.user_id, texts)
    preview = await moderation.save_draft_part(fixture_core, ANA, 2, {})
    token = token_of(preview)
    with (
        failing(fixture_core.settings.database, "DELETE ON review_drafts"),
        pytest.raises(sqlite3.DatabaseError),
    ):
        await moderation.confirm(fixture_core, ANA, token)
    assert await fixture_core.store.review_by_key(GUILD_ID, FILM) is None
    assert await fixture_core.store.draft(GUILD_ID, ANA.user_id) == texts
