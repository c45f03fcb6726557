"""Two moderators pressing Save or Remove at the same moment: one change is written, once."""

import asyncio
import re

from bot import moderation
from bot.core import Caller
from bot.errors import UserFacingError
from bot.moderation_cards import CONFIRM_TEMPLATE
from bot.store import film_key
from tests.conftest import LATEST_YEAR
from tests.fakes import GUILD_ID
from tests.moderation.helpers import review_text

ANA = Caller(GUILD_ID, 11, is_moderator=True)
BEN = Caller(GUILD_ID, 12, is_moderator=True)


def token_of(message) -> str:
    for row in message.buttons:
        for button in row:
            found = re.fullmatch(CONFIRM_TEMPLATE, button.custom_id)
            if found and found["verb"] == "confirm":
                return found["token"]
    raise AssertionError("no Save button")


async def test_two_saves_of_the_same_new_film_write_once(fixture_core):
    mine = review_text(tagline="Ana's version").encode()
    theirs = review_text(tagline="Ben's version").encode()
    ana = await moderation.import_preview(fixture_core, ANA, "a.txt", mine)
    ben = await moderation.import_preview(fixture_core, BEN, "b.txt", theirs)
    results = await asyncio.gather(
        moderation.confirm(fixture_core, ANA, token_of(ana)),
        moderation.confirm(fixture_core, BEN, token_of(ben)),
        return_exceptions=True,
    )
    saved = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, UserFacingError)]
    assert len(saved) == 1 and len(refused) == 1
    stored = await fixture_core.store.review_by_key(GUILD_ID, film_key("Lantern Field", 2019))
    assert len(await fixture_core.store.history(stored.id)) == 1  # written once, not replaced


async def test_two_removes_of_the_same_film_remove_once_and_answer_both(fixture_core):
    saved = await fixture_core.store.save_review(
        moderation.read_attachment("x.txt", review_text().encode(), newest=LATEST_YEAR),
        guild_id=GUILD_ID,
    )
    ana = await moderation.remove_request(fixture_core, ANA, f"id:{saved.review_id}")
    ben = await moderation.remove_request(fixture_core, BEN, f"id:{saved.review_id}")
    results = await asyncio.gather(
        moderation.confirm(fixture_core, ANA, token_of(ana)),
        moderation.confirm(fixture_core, BEN, token_of(ben)),
        return_exceptions=True,
    )
    assert sum(isinstance(r, UserFacingError) for r in results) == 1
    assert not any(isinstance(r, Exception) and not isinstance(r, UserFacingError) for r in results)
    actions = [entry.action for entry in await fixture_core.store.history(saved.review_id)]
    assert actions.count("remove") == 1
