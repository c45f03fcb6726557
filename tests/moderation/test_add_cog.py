"""/review add: two forms kept in a draft, then a preview; nothing typed is lost on the way."""

import discord

from bot.moderation import NOT_YOURS, STALE
from bot.store import film_key
from cogs.moderation import Moderation
from tests.fakes import GUILD_ID, MODERATOR_ID, fake_client
from tests.moderation.helpers import (
    OTHER_MODERATOR_ID,
    answer,
    button,
    inputs,
    labels,
    member,
    modal_sent,
    moderator,
    private_text,
    run,
    send_form,
)

KEY = film_key("Kite Season", 2021)
PART_ONE = {
    "title": "Kite Season (2021)",
    "synopsis": "A boy builds kites on a windy island.",
    "really_about": "Patience.",
    "pick_if": "• You like kites: there are dozens\n• You want sea air",
    "where_to_watch": "Kite Season is streaming on Mubi.",
}
PART_TWO = {
    "tagline": "Up It Goes",
    "memorable_scene": "The storm takes every kite at once.",
    "directors": "Ida Wren",
    "runtime": "1h 32m",
    "cast": "Leo Park (Tide Line)\nMae Holt",
}


async def open_form(tree, cog, core, user_id=MODERATOR_ID) -> discord.ui.Modal:
    interaction = moderator(core, user_id=user_id)
    await run(tree, Moderation.review_add, cog, interaction)
    return modal_sent(interaction)


async def submit(cog, core, modal, values, user_id=MODERATOR_ID):
    interaction = moderator(core, user_id=user_id)
    await send_form(cog, modal, interaction, **values)
    return interaction, answer(interaction)


async def press(core, kwargs, label, user_id=MODERATOR_ID):
    interaction = moderator(core, user_id=user_id)
    await button(kwargs, label).callback(interaction)
    return interaction


async def through_part_two(tree, cog, core):
    """Both forms filled and sent: the preview's reply."""
    _, saved_one = await submit(cog, core, await open_form(tree, cog, core), PART_ONE)
    opener = await press(core, saved_one, "Continue to part 2")
    _, kwargs = await submit(cog, core, modal_sent(opener), PART_TWO)
    return kwargs


async def test_the_first_form_has_five_inputs_within_discords_limits(tree, cog, core):
    modal = await open_form(tree, cog, core)
    assert modal.title == "New review, part 1 of 2"
    assert [item.text for item in modal.children] == [
        "Title and year",
        "What's it about?",
        "What's it really about?",
        "Pick if",
        "Where can I watch?",
    ]
    for item in modal.children:
        assert len(item.text) <= 45 and len(item.description) <= 100
        assert item.component.max_length <= 4000 and item.component.value == ""


async def test_both_forms_then_save_add_the_review_and_drop_the_draft(tree, cog, core):
    kwargs = await through_part_two(tree, cog, core)
    assert kwargs["ephemeral"] is True
    assert [embed.title for embed in kwargs["embeds"]] == ["Kite Season (2021)"]
    assert labels(kwargs) == ["Save", "Edit part 1", "Edit part 2", "Discard draft"]
    assert await core.store.review_by_key(GUILD_ID, KEY) is None

    saved = await press(core, kwargs, "Save")
    assert saved.response.edit_message.await_args.kwargs["content"] == (
        "Saved **Kite Season (2021)** to this server's catalog."
    )
    stored = await core.store.review_by_key(GUILD_ID, KEY)
    review = stored.review
    assert (review.tagline, review.runtime_minutes, review.services) == (
        "Up It Goes",
        92,
        ("Mubi",),
    )
    assert [m.known_for for m in review.cast] == ["Tide Line", None]
    assert [reason.headline for reason in review.pick_if] == ["You like kites", "You want sea air"]
    assert await core.store.draft(GUILD_ID, MODERATOR_ID) == {}


async def test_the_first_form_is_kept_when_the_second_is_closed(tree, cog, core):
    _, kwargs = await submit(cog, core, await open_form(tree, cog, core), PART_ONE)
    assert kwargs["content"] == (
        "Part 1 of **Kite Season (2021)** is saved in your draft. Next, the credits: tagline, "
        "memorable scene, director, runtime and cast."
    )
    assert labels(kwargs) == ["Continue to part 2", "Edit part 1"]
    # The second form is opened and closed without sending; later, /review add again:
    await press(core, kwargs, "Continue to part 2")
    again = await open_form(tree, cog, core)
    assert {key: item.default for key, item in inputs(again).items()} == PART_ONE


async def test_a_bad_field_is_named_and_the_text_is_kept(tree, cog, core):
    values = {**PART_ONE, "title": "Kite Season"}
    _, kwargs = await submit(cog, core, await open_form(tree, cog, core), values)
    assert kwargs["content"] == (
        "**Title and year** needs the year in brackets, e.g. Brick (2005). "
        "Nothing is lost: your draft keeps what you typed."
    )
    assert kwargs["ephemeral"] is True
    assert labels(kwargs) == ["Fix part 1"]
    assert (await core.store.draft(GUILD_ID, MODERATOR_ID))["synopsis"] == PART_ONE["synopsis"]
    fixer = await press(core, kwargs, "Fix part 1")
    assert inputs(modal_sent(fixer))["title"].default == "Kite Season"


async def test_a_form_with_a_stray_surrogate_is_kept_and_answered(tree, cog, core):
    values = {**PART_ONE, "synopsis": "A boy builds kites \ud800 on a windy island."}
    _, kwargs = await submit(cog, core, await open_form(tree, cog, core), values)
    assert kwargs["content"].startswith("Part 1 of **Kite Season (2021)** is saved in your draft.")
    draft = await core.store.draft(GUILD_ID, MODERATOR_ID)
    assert draft["synopsis"] == "A boy builds kites \ufffd on a windy island."


async def test_a_bad_runtime_in_the_second_form_points_at_that_form(tree, cog, core):
    _, saved_one = await submit(cog, core, await open_form(tree, cog, core), PART_ONE)
    opener = await press(core, saved_one, "Continue to part 2")
    _, kwargs = await submit(cog, core, modal_sent(opener), {**PART_TWO, "runtime": "0"})
    assert kwargs["content"].startswith(
        "**Runtime**: implausible running time 0 (expected 1–1000)."
    )
    assert labels(kwargs) == ["Fix part 2"]
    assert await core.store.review_by_key(GUILD_ID, KEY) is None


async def test_the_second_form_sent_twice_saves_once(tree, cog, core):
    _, saved_one = await submit(cog, core, await open_form(tree, cog, core), PART_ONE)
    opener = await press(core, saved_one, "Continue to part 2")
    modal = modal_sent(opener)
    _, first = await submit(cog, core, modal, PART_TWO)
    _, second = await submit(cog, core, modal, PART_TWO)
    await press(core, first, "Save")
    late = await press(core, second, "Save")
    assert private_text(late) == STALE
    stored = await core.store.review_by_key(GUILD_ID, KEY)
    assert [entry.action for entry in await core.store.history(stored.id)] == ["add"]


async def test_someone_else_cannot_open_or_save_anothers_draft(tree, cog, core):
    kwargs = await through_part_two(tree, cog, core)
    opener = await press(core, kwargs, "Edit part 1", user_id=OTHER_MODERATOR_ID)
    assert private_text(opener) == NOT_YOURS
    opener.response.send_modal.assert_not_awaited()
    saver = await press(core, kwargs, "Save", user_id=OTHER_MODERATOR_ID)
    assert private_text(saver) == NOT_YOURS
    assert await core.store.review_by_key(GUILD_ID, KEY) is None


async def test_discarding_drops_the_draft_and_saves_nothing(tree, cog, core):
    kwargs = await through_part_two(tree, cog, core)
    discarded = await press(core, kwargs, "Discard draft")
    assert discarded.response.edit_message.await_args.kwargs["content"] == (
        "Discarded your draft of **Kite Season (2021)**."
    )
    assert await core.store.draft(GUILD_ID, MODERATOR_ID) == {}
    assert await core.store.review_by_key(GUILD_ID, KEY) is None


async def test_a_member_gets_no_form(tree, cog, core):
    interaction = member(core)
    await run(tree, Moderation.review_add, cog, interaction)
    assert private_text(interaction).startswith("Only this server's moderators can do that")
    interaction.response.send_modal.assert_not_awaited()


async def test_a_form_opened_before_a_restart_is_answered_and_kept_after_it(tree, cog, core):
    modal = await open_form(tree, cog, core)
    restarted = Moderation(fake_client(core))  # a new process: nothing in memory knows the form
    _, kwargs = await submit(restarted, core, modal, PART_ONE)
    assert labels(kwargs)[0] == "Continue to part 2"
    assert await core.store.draft(GUILD_ID, MODERATOR_ID) == PART_ONE
