"""Moderation end to end: the real bot against the local Discord stand-in."""

from __future__ import annotations

import asyncio

import pytest

from bot.discord_bot import MovieNightBot
from bot.store import film_key
from tests.moderation.helpers import review_text
from tests.standin import run_bot
from tests.standin.fixtures import standin  # noqa: F401  (the stand-in fixture)

KEY = film_key("Lantern Field", 2019)


@pytest.fixture
async def bot(fixture_core, standin):  # noqa: F811
    bot = MovieNightBot(fixture_core, fixture_core.settings)
    async with run_bot(bot, standin) as running:
        yield running


def lantern(standin):  # noqa: F811
    return standin.add_attachment("lantern.txt", review_text().encode(), "text/plain")


async def test_a_moderator_imports_previews_and_saves(standin, bot):  # noqa: F811
    preview = await standin.invoke("review import", {"file": lantern(standin)}, user="mod")
    assert preview.ephemeral
    assert preview.message.text.startswith("**Preview**: nothing is saved until you press Save.")
    guild = standin.guild.id
    assert await bot.core.store.review_by_key(guild, KEY) is None

    save = preview.message.button("Save")["custom_id"]
    clicks = [standin.click(preview, save, user="mod") for _ in range(2)]  # a double click
    answers = sorted(await asyncio.gather(*clicks), key=lambda result: result.type)
    assert [result.type for result in answers] == [4, 7]
    assert answers[0].ephemeral
    assert answers[0].text == "This was already saved; nothing was written twice."
    assert answers[1].message.content == "Saved **Lantern Field (2019)** to this server's catalog."
    assert answers[1].message.components == []
    stored = await bot.core.store.review_by_key(guild, KEY)
    assert stored.review.services == ("Mubi",)
    assert len(await bot.core.store.history(stored.id)) == 1


async def test_a_member_cannot_import_even_where_the_command_shows(standin, bot):  # noqa: F811
    with pytest.raises(PermissionError):
        await standin.invoke("review import", {"file": lantern(standin)}, user="ana")
    refused = await standin.invoke(
        "review import", {"file": lantern(standin)}, user="ana", ignore_default_permissions=True
    )
    assert refused.ephemeral
    assert refused.text.startswith("Only this server's moderators can do that")
    assert await bot.core.store.review_by_key(standin.guild.id, KEY) is None


async def test_a_review_edit_form_round_trip(standin, bot):  # noqa: F811
    opened = await standin.invoke(
        "review edit", {"title": "Finish Line", "field": "synopsis"}, user="mod"
    )
    assert opened.modal["title"] == "Edit: Finish Line (2011)"
    answered = await standin.submit_modal(opened, {"synopsis": "A sprinter keeps running."})
    assert answered.ephemeral
    assert answered.message.content.startswith(
        "Saved **What's it about?** as this server's own copy of **Finish Line (2011)**."
    )
    copy = await bot.core.store.review_by_key(standin.guild.id, film_key("Finish Line", 2011))
    assert copy.review.synopsis == "A sprinter keeps running."


async def test_the_two_add_forms_then_save(standin, bot):  # noqa: F811
    first = await standin.invoke("review add", {}, user="mod")
    part_one = await standin.submit_modal(
        first,
        {
            "title": "Kite Season (2021)",
            "pick_if": "You like kites: there are dozens",
            "where_to_watch": "On Tubi.",
        },
    )
    assert part_one.message.content.startswith("Part 1 of **Kite Season (2021)** is saved")
    second = await standin.click(
        part_one, part_one.message.button("Continue to part 2")["custom_id"], user="mod"
    )
    preview = await standin.submit_modal(second, {"directors": "Ida Wren", "runtime": "92"})
    assert preview.message.button("Discard draft")
    saved = await standin.click(preview, preview.message.button("Save")["custom_id"], user="mod")
    assert saved.message.content == "Saved **Kite Season (2021)** to this server's catalog."
    stored = await bot.core.store.review_by_key(standin.guild.id, film_key("Kite Season", 2021))
    assert (stored.review.directors, stored.review.runtime_minutes) == (("Ida Wren",), 92)
