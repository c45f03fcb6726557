"""/review import: a preview first; Save writes once, only for its owner, only while it is fresh."""

from datetime import timedelta

from bot.moderation import GONE, NOT_YOURS, STALE
from bot.review import parse
from bot.store import SHARED, film_key
from cogs.moderation import Moderation, PendingButton
from tests.fakes import GUILD_ID, MODERATOR_ID, stateless
from tests.moderation.helpers import (
    OTHER_MODERATOR_ID,
    answer,
    attachment,
    button,
    labels,
    member,
    moderator,
    private_text,
    review_text,
    run,
    server_review,
)

KEY = film_key("Lantern Field", 2019)
IMPORT = Moderation.review_import


async def preview_of(tree, cog, core, text=None, filename="lantern.txt"):
    interaction = moderator(core)
    data = (text or review_text()).encode()
    await run(tree, IMPORT, cog, interaction, file=attachment(filename, data))
    return interaction, answer(interaction)


async def click(core, kwargs, label, user_id=MODERATOR_ID):
    interaction = moderator(core, user_id=user_id)
    await button(kwargs, label).callback(interaction)
    return interaction


async def audit_count(core, review_id):
    return len(await core.store.history(review_id))


async def test_import_defers_then_previews_without_saving(tree, cog, core):
    interaction, kwargs = await preview_of(tree, cog, core)
    interaction.response.defer.assert_awaited_once_with(thinking=True, ephemeral=True)
    assert kwargs["ephemeral"] is True
    assert kwargs["content"].startswith("**Preview**: nothing is saved until you press Save.")
    assert [embed.title for embed in kwargs["embeds"]] == ["Lantern Field (2019)"]
    assert labels(kwargs) == ["Save", "Cancel"]
    assert kwargs["allowed_mentions"].to_dict() == {"parse": []}
    assert await core.store.review_by_key(GUILD_ID, KEY) is None


async def test_save_writes_the_review_to_this_server_once(tree, cog, core):
    _, kwargs = await preview_of(tree, cog, core)
    first = await click(core, kwargs, "Save")
    edited = first.response.edit_message.await_args.kwargs
    assert edited["content"] == "Saved **Lantern Field (2019)** to this server's catalog."
    assert edited["embeds"] == [] and edited["view"] is None
    stored = await core.store.review_by_key(GUILD_ID, KEY)
    assert stored.review == parse(review_text())
    assert [(e.action, e.actor_id) for e in await core.store.history(stored.id)] == [
        ("add", MODERATOR_ID)
    ]

    again = await click(core, kwargs, "Save")
    assert private_text(again) == "This was already saved; nothing was written twice."
    assert await audit_count(core, stored.id) == 1


async def test_save_pressed_by_someone_else_writes_nothing(tree, cog, core):
    _, kwargs = await preview_of(tree, cog, core)
    stranger = await click(core, kwargs, "Save", user_id=OTHER_MODERATOR_ID)
    assert private_text(stranger) == NOT_YOURS
    assert await core.store.review_by_key(GUILD_ID, KEY) is None
    owner = await click(core, kwargs, "Save")
    assert owner.response.edit_message.await_count == 1


async def test_save_after_the_preview_timed_out_writes_nothing(tree, cog, core, clock):
    _, kwargs = await preview_of(tree, cog, core)
    clock.now += timedelta(minutes=11)
    late = await click(core, kwargs, "Save")
    assert private_text(late) == (
        "This timed out (a preview lasts 10 minutes), so nothing was written. "
        "Run `/review import` again."
    )
    assert await core.store.review_by_key(GUILD_ID, KEY) is None


async def test_save_of_a_preview_overtaken_by_another_save_writes_nothing(tree, cog, core):
    _, kwargs = await preview_of(tree, cog, core)
    review_id = await server_review(core)
    stale = await click(core, kwargs, "Save")
    assert private_text(stale) == STALE
    assert await audit_count(core, review_id) == 1


async def test_cancel_closes_the_preview_for_good(tree, cog, core):
    _, kwargs = await preview_of(tree, cog, core)
    cancelled = await click(core, kwargs, "Cancel")
    assert cancelled.response.edit_message.await_args.kwargs["content"] == (
        "Cancelled: nothing was saved."
    )
    late = await click(core, kwargs, "Save")
    assert private_text(late) == "This was cancelled, so nothing was written."
    assert await core.store.review_by_key(GUILD_ID, KEY) is None


async def test_a_button_whose_preview_is_unknown_says_so(core):
    """A click on a preview the database does not know (made before a restore, say)."""
    interaction = moderator(core)
    await stateless(PendingButton, "review:confirm:" + "0" * 16).callback(interaction)
    assert private_text(interaction) == GONE


async def test_importing_over_this_servers_review_shows_the_change_and_replaces(tree, cog, core):
    review_id = await server_review(core)
    _, kwargs = await preview_of(tree, cog, core, review_text(tagline="Brighter Work"))
    change = kwargs["embeds"][1].to_dict()
    assert change["title"] == "What will change"
    assert [f["name"] for f in change["fields"]] == ["Tagline"]
    assert labels(kwargs) == ["Replace", "Cancel"]
    saved = await click(core, kwargs, "Replace")
    assert saved.response.edit_message.await_args.kwargs["content"] == (
        "Saved: this server's review of **Lantern Field (2019)** now reads as previewed."
    )
    stored = await core.store.get(review_id)
    assert stored.review.tagline == "Brighter Work"
    assert [e.action for e in await core.store.history(review_id)] == ["update", "add"]
    assert (await core.store.history(review_id))[0].before.tagline == "Light Work"


async def test_importing_a_shared_film_adds_this_servers_own_version(tree, cog, core):
    text = review_text(title="Finish Line", year=2011)
    _, kwargs = await preview_of(tree, cog, core, text)
    assert "Saving adds this server's own version" in kwargs["embeds"][1].description
    saved = await click(core, kwargs, "Save")
    assert saved.response.edit_message.await_args.kwargs["content"] == (
        "Saved **Finish Line (2011)** to this server's catalog. This server sees its own "
        "version; the shared catalog's review is unchanged."
    )
    key = film_key("Finish Line", 2011)
    own = await core.store.review_by_key(GUILD_ID, key)
    shared = await core.store.review_by_key(SHARED, key)
    assert own.review == parse(text) and shared.review != parse(text)
    assert await core.store.get_visible(GUILD_ID, shared.id) is None
    assert await core.store.get_visible(GUILD_ID, own.id) is not None


async def test_importing_the_same_text_again_is_refused_as_nothing_to_do(tree, cog, core):
    await server_review(core)
    interaction, _ = await preview_of(tree, cog, core)
    assert private_text(interaction) == (
        "This server's review of **Lantern Field (2019)** already reads exactly like this; "
        "there is nothing to save."
    )


async def test_a_file_too_large_is_refused_before_downloading(tree, cog, core):
    interaction = moderator(core)
    file = attachment("huge.txt", b"x", size=2_000_000)
    await run(tree, IMPORT, cog, interaction, file=file)
    assert private_text(interaction) == (
        "**huge.txt** is 2,000,000 bytes, over the 1 MB limit (1,000,000 bytes); "
        "a review is a few KB."
    )
    file.read.assert_not_awaited()
    interaction.response.defer.assert_not_awaited()


async def test_a_binary_file_is_refused_with_its_line(tree, cog, core):
    interaction = moderator(core)
    file = attachment("poster.txt", b"\x89PNG\r\n\x1a\n\x00\x00")
    await run(tree, IMPORT, cog, interaction, file=file)
    interaction.response.defer.assert_awaited_once_with(thinking=True, ephemeral=True)
    assert private_text(interaction) == (
        "Could not read **poster.txt**, line 3: not UTF-8 text: the file contains NUL bytes"
        " (binary data?). Nothing was saved."
    )
    assert await core.store.reviews_in_scope(GUILD_ID) == []


async def test_a_file_of_another_type_is_refused(tree, cog, core):
    interaction = moderator(core)
    file = attachment("poster.png", b"...")
    await run(tree, IMPORT, cog, interaction, file=file)
    assert private_text(interaction) == (
        "**poster.png** is not a review file: attach a .txt or .md file in the review format."
    )
    file.read.assert_not_awaited()


async def test_a_member_cannot_import(tree, cog, core):
    interaction = member(core)
    file = attachment("lantern.txt", review_text().encode())
    await run(tree, IMPORT, cog, interaction, file=file)
    assert private_text(interaction).startswith("Only this server's moderators can do that")
    file.read.assert_not_awaited()
    assert await core.store.reviews_in_scope(GUILD_ID) == []
