"""/review edit and /review where: one field in a form; the shared catalog gets a server copy."""

import discord

from bot.moderation import OTHER_SERVER
from bot.store import SHARED, film_key
from cogs.moderation import Moderation
from tests.fakes import GUILD_ID, MODERATOR_ID, fake_client
from tests.moderation.helpers import (
    OTHER_GUILD_ID,
    answer,
    inputs,
    member,
    modal_sent,
    moderator,
    private_text,
    run,
    send_form,
    server_review,
    shared_id,
)

EDIT = Moderation.review_edit
WHERE = Moderation.review_where


async def open_edit(tree, cog, core, title, field) -> discord.ui.Modal:
    interaction = moderator(core)
    await run(tree, EDIT, cog, interaction, title=title, field=field)
    return modal_sent(interaction)


async def submit(cog, core, modal, text):
    interaction = moderator(core)
    [key] = inputs(modal)
    await send_form(cog, modal, interaction, **{key: text})
    return interaction


def the_input(modal):
    [text_input] = inputs(modal).values()
    return text_input


async def test_the_form_is_prefilled_with_the_fields_text(tree, cog, core):
    review_id = await server_review(core)
    modal = await open_edit(tree, cog, core, f"id:{review_id}", "pick_if")
    assert modal.title == "Edit: Lantern Field (2019)"
    [label] = modal.children
    assert (label.text, label.description) == ("Pick if", "One reason a line, as Headline: detail")
    assert the_input(modal).default == (
        "You like quiet family dramas: nothing explodes, everything matters.\n"
        "You want a film set at night: almost every scene is lit by lanterns."
    )
    assert the_input(modal).required is True


async def test_an_edit_saves_the_field_and_keeps_the_old_text(tree, cog, core):
    review_id = await server_review(core)
    modal = await open_edit(tree, cog, core, f"id:{review_id}", "synopsis")
    interaction = await submit(cog, core, modal, "Two sisters, one stall, a last summer.")
    kwargs = answer(interaction)
    assert kwargs["ephemeral"] is True
    assert kwargs["content"] == (
        "Saved **What's it about?** of **Lantern Field (2019)**. "
        "`/review history` keeps the old text."
    )
    [change] = kwargs["embeds"][0].to_dict()["fields"]
    assert change["name"] == "What's it about?"
    stored = await core.store.get(review_id)
    assert stored.review.synopsis == "Two sisters, one stall, a last summer."
    [latest, _] = await core.store.history(review_id)
    assert (latest.action, latest.actor_id) == ("edit", MODERATOR_ID)
    assert latest.before.synopsis == "Two sisters run a lantern stall for one last summer."


async def test_a_form_sent_twice_saves_once(tree, cog, core):
    review_id = await server_review(core)
    modal = await open_edit(tree, cog, core, f"id:{review_id}", "tagline")
    await submit(cog, core, modal, "First Words")
    second = await submit(cog, core, modal, "Second Words")
    assert private_text(second) == (
        "**Lantern Field (2019)** changed after you opened this form (another save got there "
        "first), so nothing was saved. Run `/review edit` again to start from the new text."
    )
    assert (await core.store.get(review_id)).review.tagline == "First Words"
    assert [e.action for e in await core.store.history(review_id)] == ["edit", "add"]


async def test_a_bad_value_is_refused_naming_the_field(tree, cog, core):
    review_id = await server_review(core)
    modal = await open_edit(tree, cog, core, f"id:{review_id}", "runtime")
    assert the_input(modal).default == "101"
    refused = await submit(cog, core, modal, "soon")
    assert private_text(refused) == (
        "**Runtime** should be minutes (104) or hours and minutes (1h 44m)."
    )
    assert (await core.store.get(review_id)).review.runtime_minutes == 101
    assert len(await core.store.history(review_id)) == 1


async def test_the_same_text_writes_nothing(tree, cog, core):
    review_id = await server_review(core)
    modal = await open_edit(tree, cog, core, f"id:{review_id}", "tagline")
    unchanged = await submit(cog, core, modal, "Light Work")
    assert private_text(unchanged) == "Nothing changed: **Tagline** reads as before."
    assert len(await core.store.history(review_id)) == 1


async def test_editing_a_shared_review_saves_this_servers_copy(tree, cog, core):
    shared = await shared_id(core, "Finish Line")
    modal = await open_edit(tree, cog, core, "Finish Line", "tagline")
    interaction = await submit(cog, core, modal, "Run It Out")
    assert answer(interaction)["content"] == (
        "Saved **Tagline** as this server's own copy of **Finish Line (2011)**. The shared "
        "catalog is read-only from Discord, so it stays as it was; this server now sees its copy."
    )
    key = film_key("Finish Line", 2011)
    copy = await core.store.review_by_key(GUILD_ID, key)
    assert copy.review.tagline == "Run It Out"
    assert (await core.store.get(shared)).review.tagline == "Every Lap Is a Letter"
    assert (await core.store.review_by_key(SHARED, key)).id == shared
    assert await core.store.get_visible(GUILD_ID, shared) is None


async def test_the_title_of_a_shared_review_cannot_change(tree, cog, core):
    interaction = moderator(core)
    await run(tree, EDIT, cog, interaction, title="Finish Line", field="title")
    assert private_text(interaction).startswith(
        "The title and year of a shared review can't change from Discord."
    )
    interaction.response.send_modal.assert_not_awaited()


async def test_another_servers_review_cannot_be_edited(tree, cog, core):
    review_id = await server_review(core, guild_id=OTHER_GUILD_ID)
    interaction = moderator(core)
    await run(tree, EDIT, cog, interaction, title=f"id:{review_id}", field="synopsis")
    assert private_text(interaction) == OTHER_SERVER
    interaction.response.send_modal.assert_not_awaited()


async def test_a_member_gets_no_edit_form(tree, cog, core):
    interaction = member(core)
    await run(tree, EDIT, cog, interaction, title="Finish Line", field="synopsis")
    assert private_text(interaction).startswith("Only this server's moderators can do that")
    interaction.response.send_modal.assert_not_awaited()


async def test_where_updates_availability_and_the_checked_date(tree, cog, core, clock):
    review_id = await server_review(core)
    clock.now = clock.now.replace(day=25)
    interaction = moderator(core)
    await run(tree, WHERE, cog, interaction, title=f"id:{review_id}", services="Netflix and Mubi")
    kwargs = answer(interaction)
    assert kwargs["content"] == "Updated where to watch **Lantern Field (2019)**, checked today."
    assert kwargs["ephemeral"] is True
    assert "availability last checked 2026-11-25" in kwargs["embeds"][0].footer.text
    stored = await core.store.get(review_id)
    assert stored.review.services == ("Netflix", "Mubi")
    assert stored.checked_at == clock.now
    assert (await core.store.history(review_id))[0].action == "where"


async def test_where_on_a_shared_review_saves_this_servers_copy(tree, cog, core):
    shared = await shared_id(core, "Night Shift")
    interaction = moderator(core)
    await run(tree, WHERE, cog, interaction, title="Night Shift", services="Only on DVD now.")
    assert answer(interaction)["content"] == (
        "Saved the new availability as this server's own copy of **Night Shift (2015)**; the "
        "shared catalog is read-only from Discord and stays as it was. No streaming service was "
        "recognised in that text; it is kept as written."
    )
    copy = await core.store.review_by_key(GUILD_ID, film_key("Night Shift", 2015))
    assert copy.review.where_to_watch == "Only on DVD now." and copy.review.services == ()
    assert (await core.store.get(shared)).review.services == ("Max",)


async def test_where_with_a_stray_surrogate_is_saved(tree, cog, core):
    review_id = await server_review(core)
    interaction = moderator(core)
    await run(tree, WHERE, cog, interaction, title=f"id:{review_id}", services="Netflix \ud800")
    assert answer(interaction)["content"].startswith("Updated where to watch **Lantern Field")
    assert (await core.store.get(review_id)).review.where_to_watch == "Netflix \ufffd"


async def test_where_on_another_servers_review_is_refused(tree, cog, core):
    review_id = await server_review(core, guild_id=OTHER_GUILD_ID)
    interaction = moderator(core)
    await run(tree, WHERE, cog, interaction, title=f"id:{review_id}", services="Netflix")
    assert private_text(interaction) == OTHER_SERVER
    assert (await core.store.get(review_id)).review.services == ("Mubi",)


async def test_an_edit_form_opened_before_a_restart_saves_after_it(tree, cog, core):
    review_id = await server_review(core)
    modal = await open_edit(tree, cog, core, f"id:{review_id}", "tagline")
    restarted = Moderation(fake_client(core))  # a new process: nothing in memory knows the form
    await submit(restarted, core, modal, "Run It Out")
    assert (await core.store.get(review_id)).review.tagline == "Run It Out"
