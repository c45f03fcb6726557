"""Suggestions as core calls over the five fixture reviews: quotas, backing, questions,
requests, approval, withdrawal, moderators' tools and the list."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import pytest

from bot import members, moderation, suggestions
from bot import suggestion_cards as scards
from bot.core import Caller
from bot.errors import NotAModerator, UserFacingError
from bot.store import film_key
from tests.fakes import GUILD_ID, MEMBER_ID, MODERATOR_ID, OTHER_MEMBER_ID
from tests.moderation.helpers import review_text

pytestmark = pytest.mark.both_backends

ANA = Caller(GUILD_ID, MEMBER_ID)
BEN = Caller(GUILD_ID, OTHER_MEMBER_ID)
CLEO = Caller(GUILD_ID, 2005)
MOD = Caller(GUILD_ID, MODERATOR_ID, is_moderator=True)
FINISH_LINE = film_key("Finish Line", 2011)


def question_id(message) -> int:
    """The suggestion a question's "go" button answers for."""
    custom_id = message.buttons[0][0].custom_id
    found = re.fullmatch(scards.ANSWER_TEMPLATE, custom_id)
    assert found is not None and found["verb"] == "go", custom_id
    return int(found["id"])


async def open_titles(core) -> list[str]:
    return [s.title for s in await core.store.suggestions_in(GUILD_ID, "open")]


# --- suggesting and backing ----------------------------------------------------------------------


async def test_a_suggestion_is_open_at_once_and_counts_against_the_limit(fixture_core):
    answer = await suggestions.suggest(fixture_core, ANA, "finish line", "the best race film")
    assert answer.ephemeral
    assert answer.content == (
        "You suggested **Finish Line (2011)** for movie night. You have 1 of 3 open suggestions."
    )
    (suggestion,) = await fixture_core.store.suggestions_in(GUILD_ID, "open")
    assert (suggestion.film_key, suggestion.note, suggestion.backers) == (
        FINISH_LINE,
        "the best race film",
        (MEMBER_ID,),
    )


async def test_the_same_film_is_backed_instead_of_doubled(fixture_core):
    await suggestions.suggest(fixture_core, ANA, "Finish Line")
    backed = await suggestions.suggest(fixture_core, BEN, "finish line (2011)")
    assert backed.content.startswith(
        f"**Finish Line (2011)** was already suggested by <@{MEMBER_ID}> <t:"
    )
    assert f", also by <@{OTHER_MEMBER_ID}>, so it counts as your suggestion too: 2 backers" in (
        backed.content
    )
    again = await suggestions.suggest(fixture_core, BEN, "Finish Line")
    assert again.content == "You already back **Finish Line (2011)** (2 backers)."
    (suggestion,) = await fixture_core.store.suggestions_in(GUILD_ID, "open")
    assert suggestion.backers == (MEMBER_ID, OTHER_MEMBER_ID)
    assert await fixture_core.store.suggested_by(GUILD_ID, OTHER_MEMBER_ID) == []  # free


async def test_the_limit_is_the_servers_and_backing_costs_nothing(fixture_core):
    for title in ("Finish Line", "Court Vision", "Night Shift"):
        await suggestions.suggest(fixture_core, ANA, title)
    with pytest.raises(UserFacingError) as refused:
        await suggestions.suggest(fixture_core, ANA, "Velvet Job")
    assert str(refused.value).startswith("You have 3 open suggestions, the most this server")
    assert "**Finish Line (2011)**, **Court Vision (2019)**, **Night Shift (2015)**" in str(
        refused.value
    )
    await suggestions.suggest(fixture_core, BEN, "Velvet Job")
    assert (await suggestions.suggest(fixture_core, ANA, "Velvet Job")).content.startswith(
        "**Velvet Job (1998)** was already suggested"
    )
    await suggestions.withdraw(fixture_core, ANA, "night shift")
    await suggestions.suggest(fixture_core, ANA, "The Quiet House")  # a place came free

    await suggestions.configure(fixture_core, MOD, limit=1, approval=None)
    with pytest.raises(UserFacingError, match=r"the most this server allows \(1\)"):
        await suggestions.suggest(fixture_core, BEN, "Night Shift")


async def test_two_quick_suggestions_cannot_pass_the_limit_together(fixture_core):
    await suggestions.configure(fixture_core, MOD, limit=1, approval=None)
    results = await asyncio.gather(
        suggestions.suggest(fixture_core, ANA, "Finish Line"),
        suggestions.suggest(fixture_core, ANA, "Court Vision"),
        return_exceptions=True,
    )
    assert sum(isinstance(result, UserFacingError) for result in results) == 1
    assert len(await fixture_core.store.suggested_by(GUILD_ID, MEMBER_ID)) == 1


# --- questions: seen films and requests -----------------------------------------------------------


async def test_a_seen_film_says_when_and_asks_before_going_on(fixture_core, clock):
    await fixture_core.store.mark_seen(GUILD_ID, FINISH_LINE, by=None)
    question = await suggestions.suggest(fixture_core, ANA, "Finish Line")
    assert question.content == (
        f"This server watched **Finish Line (2011)** on {clock.now:%Y-%m-%d}. Suggest it anyway?"
    )
    assert [b.label for b in question.buttons[0]] == ["Suggest anyway", "Cancel"]
    assert await open_titles(fixture_core) == []  # nothing until the member says so
    asking = question_id(question)
    with pytest.raises(UserFacingError, match=scards.NOT_YOURS):
        await suggestions.answer(fixture_core, BEN, asking, "go")
    went = await suggestions.answer(fixture_core, ANA, asking, "go")
    assert went.content.startswith("You suggested **Finish Line (2011)** for movie night.")
    assert await open_titles(fixture_core) == ["Finish Line (2011)"]
    with pytest.raises(UserFacingError, match=scards.ANSWERED):
        await suggestions.answer(fixture_core, ANA, asking, "go")


async def test_a_question_can_be_cancelled_and_expires(fixture_core, clock):
    await fixture_core.store.mark_seen(GUILD_ID, FINISH_LINE, by=None)
    first = question_id(await suggestions.suggest(fixture_core, ANA, "Finish Line"))
    assert (await suggestions.answer(fixture_core, ANA, first, "drop")).content == (
        "Cancelled: nothing was suggested."
    )
    later = question_id(await suggestions.suggest(fixture_core, ANA, "Finish Line"))
    clock.now += suggestions.ASK_LASTS
    with pytest.raises(UserFacingError, match="expired"):
        await suggestions.answer(fixture_core, ANA, later, "go")
    assert await open_titles(fixture_core) == []


async def test_a_title_the_catalog_lacks_becomes_a_request(fixture_core):
    answer = await suggestions.suggest(fixture_core, ANA, "Zeppelin Summer (1931)")
    assert answer.content.startswith(
        "**Zeppelin Summer (1931)** is not in the catalog yet, so it is kept as a request"
    )
    (request,) = await fixture_core.store.suggestions_in(GUILD_ID, "open")
    assert request.is_request and request.film_key is None
    backed = await suggestions.suggest(fixture_core, BEN, "zeppelin summer")
    assert "2 backers" in backed.content


async def test_a_title_like_one_in_the_catalog_asks_before_requesting(fixture_core):
    question = await suggestions.suggest(fixture_core, ANA, "Night House")
    assert question.content.startswith("No film called **Night House** is in the catalog.")
    assert "• Night Shift (2015)\n• The Quiet House (2004)" in question.content
    assert [b.label for b in question.buttons[0]] == ["Request it", "Cancel"]
    await suggestions.answer(fixture_core, ANA, question_id(question), "go")
    (request,) = await fixture_core.store.suggestions_in(GUILD_ID, "open")
    assert (request.title, request.is_request) == ("Night House", True)


async def test_a_request_is_met_when_a_moderator_adds_the_film(fixture_core):
    await suggestions.suggest(fixture_core, ANA, "Lantern Field", "the night market one")
    await suggestions.suggest(fixture_core, BEN, "lantern field")
    assert await suggestions.request_choices(fixture_core, MOD, "lant") == [
        ("Lantern Field", f"suggestion:{(await open_ids(fixture_core))[0]}")
    ]
    typed = f"suggestion:{(await open_ids(fixture_core))[0]}"
    assert await suggestions.requested_title(fixture_core, MOD, typed) == "Lantern Field"
    preview = await moderation.import_preview(
        fixture_core, MOD, "lantern.txt", review_text().encode()
    )
    token = preview.buttons[0][0].custom_id.rsplit(":", 1)[1]
    await moderation.confirm(fixture_core, MOD, token)
    (suggestion,) = await fixture_core.store.suggestions_in(GUILD_ID, "open")
    assert (suggestion.film_key, suggestion.title) == (
        film_key("Lantern Field", 2019),
        "Lantern Field (2019)",
    )
    assert suggestion.backers == (MEMBER_ID, OTHER_MEMBER_ID)
    card = await members.movie(fixture_core, CLEO, "Lantern Field")
    suggested_by = card.embeds[0].fields[-1]
    assert (suggested_by.name, suggested_by.value) == (
        "Suggested by",
        f"<@{MEMBER_ID}> · backed by 2 members",
    )


async def open_ids(core) -> list[int]:
    return [s.id for s in await core.store.suggestions_in(GUILD_ID, "open")]


# --- approval -------------------------------------------------------------------------------------


async def test_with_approval_on_suggestions_wait_for_a_moderator(fixture_core):
    settings = await suggestions.configure(fixture_core, MOD, limit=None, approval=True)
    assert "wait for a moderator's approval" in settings.content
    answer = await suggestions.suggest(fixture_core, ANA, "Finish Line")
    assert "it waits for a moderator's approval" in answer.content
    await suggestions.suggest(fixture_core, BEN, "Court Vision")
    assert await open_titles(fixture_core) == []
    queue = await suggestions.waiting(fixture_core, MOD)
    assert [b.label for row in queue.buttons for b in row] == [
        "Approve 1",
        "Deny 1",
        "Approve 2",
        "Deny 2",
    ]
    first, second = (int(row[0].custom_id.rsplit(":", 1)[1]) for row in queue.buttons)
    after = await suggestions.settle(fixture_core, MOD, first, approve=True)
    assert after.content == "Approved **Finish Line (2011)**: it is open for movie night now."
    assert len(after.buttons) == 1
    denied = await suggestions.settle(fixture_core, MOD, second, approve=False)
    assert (
        denied.content == "Denied **Court Vision (2019)**.\nNo suggestion is waiting for approval."
    )
    with pytest.raises(UserFacingError, match=scards.NOT_PENDING):
        await suggestions.settle(fixture_core, MOD, second, approve=True)
    assert await open_titles(fixture_core) == ["Finish Line (2011)"]


async def test_moderators_tools_refuse_members(fixture_core):
    for call in (
        suggestions.remove(fixture_core, ANA, "Finish Line"),
        suggestions.block(fixture_core, ANA, "Finish Line"),
        suggestions.waiting(fixture_core, ANA),
        suggestions.configure(fixture_core, ANA, limit=5, approval=None),
    ):
        with pytest.raises(NotAModerator):
            await call
    assert await suggestions.live_choices(fixture_core, ANA, "") == []


# --- withdrawing, removing, keeping out -----------------------------------------------------------


async def test_withdrawing_hands_a_backed_suggestion_on_or_ends_it(fixture_core):
    await suggestions.suggest(fixture_core, ANA, "Finish Line")
    await suggestions.suggest(fixture_core, BEN, "Finish Line")
    await suggestions.suggest(fixture_core, CLEO, "Finish Line")
    assert await suggestions.mine_choices(fixture_core, ANA, "fin") == [
        ("Finish Line (2011)", f"suggestion:{(await open_ids(fixture_core))[0]}")
    ]
    handed = await suggestions.withdraw(fixture_core, ANA, "finish line")
    assert handed.content.endswith(f"so it stays up, suggested by <@{OTHER_MEMBER_ID}> now.")
    left = await suggestions.withdraw(fixture_core, CLEO, "Finish Line")
    assert left.content == "You no longer back **Finish Line (2011)** (1 backer left)."
    gone = await suggestions.withdraw(fixture_core, BEN, "Finish Line")
    assert gone.content == "Withdrew your suggestion of **Finish Line (2011)**."
    assert await open_titles(fixture_core) == []
    with pytest.raises(UserFacingError, match="is not one of the suggestions you made or back"):
        await suggestions.withdraw(fixture_core, BEN, "Finish Line")


async def test_moderators_remove_any_and_keep_a_film_out(fixture_core):
    await suggestions.suggest(fixture_core, ANA, "Finish Line")
    await suggestions.suggest(fixture_core, BEN, "Court Vision")
    removed = await suggestions.remove(fixture_core, MOD, "court vision")
    assert removed.content.startswith(
        "Removed the suggestion of **Court Vision (2019)** (1 backer)"
    )
    kept = await suggestions.block(fixture_core, MOD, "Finish Line")
    assert kept.content.startswith(
        "Kept **Finish Line (2011)** out of suggestions. Its suggestion was taken down."
    )
    assert await open_titles(fixture_core) == []
    with pytest.raises(UserFacingError, match="Moderators keep \\*\\*Finish Line"):
        await suggestions.suggest(fixture_core, BEN, "Finish Line")
    await suggestions.unblock(fixture_core, MOD, "Finish Line")
    await suggestions.suggest(fixture_core, BEN, "Finish Line")
    assert await open_titles(fixture_core) == ["Finish Line (2011)"]


# --- the list ------------------------------------------------------------------------------------


async def test_the_list_is_most_backed_first_then_oldest_then_requests(fixture_core, clock):
    assert (await suggestions.listing(fixture_core, ANA)).content == scards.NONE_OPEN
    await suggestions.suggest(fixture_core, ANA, "Zeppelin Summer")  # a request, the oldest
    for title in ("Velvet Job", "Night Shift", "Court Vision"):
        clock.now += timedelta(minutes=1)
        await suggestions.suggest(fixture_core, BEN, title)
    await suggestions.suggest(fixture_core, CLEO, "Court Vision")
    listing = await suggestions.listing(fixture_core, ANA)
    names = [field.name for field in listing.embeds[0].fields]
    assert names == [
        "1. Court Vision (2019) — 2 backers",
        "2. Velvet Job (1998) — 1 backer",
        "3. Night Shift (2015) — 1 backer",
        "4. 📝 Zeppelin Summer (requested) — 1 backer",
    ]
    assert listing.embeds[0].fields[0].value.startswith(f"Suggested by <@{OTHER_MEMBER_ID}> <t:")
    assert listing.embeds[0].fields[0].value.endswith(f", also by <@{2005}>")
    assert listing.buttons == [] and listing.ephemeral


async def test_a_long_list_is_paged(fixture_core):
    for number in range(11):
        await suggestions.suggest(fixture_core, Caller(GUILD_ID, 3000 + number), f"Film {number}")
    first = await suggestions.listing(fixture_core, ANA)
    assert len(first.embeds[0].fields) == scards.PAGE_SIZE
    assert first.embeds[0].footer == "Page 1 of 2 · 11 open"
    previous, following = first.buttons[0]
    assert (previous.disabled, following.custom_id) == (True, "suggestions:page:1")
    second = await suggestions.listing(fixture_core, ANA, 1)
    assert [f.name[:2] for f in second.embeds[0].fields] == ["9.", "10", "11"]
    assert second.buttons[0][1].disabled
    assert (
        (await suggestions.listing(fixture_core, ANA, 7)).embeds[0].footer.startswith("Page 2 of 2")
    )
