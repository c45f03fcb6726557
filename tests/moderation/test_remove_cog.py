"""/review remove (after a confirmation), /review restore and /review history."""

from datetime import timedelta

from bot.moderation import NOT_YOURS, OTHER_SERVER
from bot.moderation_fields import with_text
from cogs.moderation import Moderation, removed_autocomplete
from tests.conftest import LATEST_YEAR
from tests.fakes import MODERATOR_ID
from tests.moderation.helpers import (
    OTHER_GUILD_ID,
    OTHER_MODERATOR_ID,
    answer,
    button,
    labels,
    member,
    moderator,
    private_text,
    run,
    server_review,
    shared_id,
)

REMOVE = Moderation.review_remove
RESTORE = Moderation.review_restore
HISTORY = Moderation.review_history


async def ask_removal(tree, cog, core, review_id):
    interaction = moderator(core)
    await run(tree, REMOVE, cog, interaction, title=f"id:{review_id}")
    return answer(interaction)


async def press(core, kwargs, label, user_id=MODERATOR_ID):
    interaction = moderator(core, user_id=user_id)
    await button(kwargs, label).callback(interaction)
    return interaction


async def test_remove_asks_first_and_removes_only_when_confirmed(tree, cog, core):
    review_id = await server_review(core)
    kwargs = await ask_removal(tree, cog, core, review_id)
    assert kwargs["ephemeral"] is True
    assert kwargs["content"].startswith(
        "Remove **Lantern Field (2019)** from this server's catalog? It disappears from every "
        "search and list; `/review restore` brings it back."
    )
    assert labels(kwargs) == ["Remove", "Cancel"]
    assert (await core.store.get(review_id)).deleted_at is None

    removed = await press(core, kwargs, "Remove")
    assert removed.response.edit_message.await_args.kwargs["content"] == (
        "Removed **Lantern Field (2019)**. `/review restore` brings it back."
    )
    assert (await core.store.get(review_id)).deleted_at is not None
    again = await press(core, kwargs, "Remove")
    assert private_text(again) == "This was already removed; nothing was written twice."


async def test_removing_this_servers_copy_says_the_shared_review_comes_back(tree, cog, core):
    copy_id = await server_review(core, title="Finish Line", year=2011)
    kwargs = await ask_removal(tree, cog, core, copy_id)
    assert (
        "This server will see the shared catalog's review of this film again."
        in (kwargs["content"])
    )


async def test_a_removal_confirmed_by_someone_else_or_too_late_removes_nothing(
    tree, cog, core, clock
):
    review_id = await server_review(core)
    kwargs = await ask_removal(tree, cog, core, review_id)
    stranger = await press(core, kwargs, "Remove", user_id=OTHER_MODERATOR_ID)
    assert private_text(stranger) == NOT_YOURS
    clock.now += timedelta(minutes=10)
    late = await press(core, kwargs, "Remove")
    assert private_text(late) == (
        "This timed out (a preview lasts 10 minutes), so nothing was written. "
        "Run `/review remove` again."
    )
    assert (await core.store.get(review_id)).deleted_at is None


async def test_cancel_keeps_the_review(tree, cog, core):
    review_id = await server_review(core)
    kwargs = await ask_removal(tree, cog, core, review_id)
    cancelled = await press(core, kwargs, "Cancel")
    assert cancelled.response.edit_message.await_args.kwargs["content"] == (
        "Cancelled: nothing was removed."
    )
    assert (await core.store.get(review_id)).deleted_at is None


async def test_a_shared_review_cannot_be_removed(tree, cog, core):
    shared = await shared_id(core, "Velvet Job")
    interaction = moderator(core)
    await run(tree, REMOVE, cog, interaction, title="Velvet Job")
    assert private_text(interaction) == (
        "**Velvet Job (1998)** is in the shared catalog, which is read-only from Discord, so it "
        "can't be removed here. To show this server another review of it, add your own with "
        "`/review add` or `/review import`: this server then sees yours."
    )
    assert (await core.store.get(shared)).deleted_at is None


async def test_another_servers_review_cannot_be_removed(tree, cog, core):
    review_id = await server_review(core, guild_id=OTHER_GUILD_ID)
    interaction = moderator(core)
    await run(tree, REMOVE, cog, interaction, title=f"id:{review_id}")
    assert private_text(interaction) == OTHER_SERVER
    assert (await core.store.get(review_id)).deleted_at is None


async def test_a_member_cannot_remove(tree, cog, core):
    review_id = await server_review(core)
    interaction = member(core)
    await run(tree, REMOVE, cog, interaction, title=f"id:{review_id}")
    assert private_text(interaction).startswith("Only this server's moderators can do that")
    assert (await core.store.get(review_id)).deleted_at is None


async def test_restore_brings_a_removed_review_back(tree, cog, core):
    review_id = await server_review(core)
    await core.store.remove_review(review_id, actor_id=MODERATOR_ID)
    choices = await removed_autocomplete(moderator(core), "lantern")
    assert [(c.name, c.value) for c in choices] == [("Lantern Field (2019)", f"id:{review_id}")]
    assert await removed_autocomplete(member(core), "lantern") == []

    interaction = moderator(core)
    await run(tree, RESTORE, cog, interaction, title="Lantern Field")
    assert private_text(interaction) == (
        "Restored **Lantern Field (2019)**: it is back in every search."
    )
    assert (await core.store.get(review_id)).deleted_at is None


async def test_restore_of_a_live_review_names_what_can_be_restored(tree, cog, core):
    await server_review(core)
    gone = await server_review(core, title="Paper Moon Lake")
    await core.store.remove_review(gone, actor_id=MODERATOR_ID)
    interaction = moderator(core)
    await run(tree, RESTORE, cog, interaction, title="Lantern Field")
    assert private_text(interaction) == (
        "**Lantern Field** is not one of this server's removed reviews. "
        "Removed reviews: Paper Moon Lake (2019)."
    )


async def test_history_lists_who_changed_what_and_when(tree, cog, core, clock):
    review_id = await server_review(core)
    clock.now += timedelta(hours=2)
    await core.store.remove_review(review_id, actor_id=MODERATOR_ID)
    interaction = moderator(core)
    await core.store.restore_review(review_id, actor_id=MODERATOR_ID)
    await run(tree, HISTORY, cog, interaction, title=f"id:{review_id}")
    kwargs = answer(interaction)
    assert kwargs["ephemeral"] is True
    assert kwargs["allowed_mentions"].to_dict() == {"parse": []}
    embed = kwargs["embeds"][0].to_dict()
    assert embed["title"] == "History of Lantern Field (2019)"
    assert [(f["name"], f["value"]) for f in embed["fields"]] == [
        ("2026-11-20 14:00 UTC · restored", f"by <@{MODERATOR_ID}>"),
        ("2026-11-20 14:00 UTC · removed", f"by <@{MODERATOR_ID}>"),
        ("2026-11-20 12:00 UTC · added", "by a catalog import"),
    ]


async def test_history_shows_at_most_the_last_ten_changes(tree, cog, core):
    review_id = await server_review(core)
    for number in range(12):
        stored = await core.store.get(review_id)
        changed = with_text(stored.review, "tagline", f"Take {number}", newest=LATEST_YEAR)
        await core.store.update_review(review_id, changed, actor_id=MODERATOR_ID)
    interaction = moderator(core)
    await run(tree, HISTORY, cog, interaction, title=f"id:{review_id}")
    fields = answer(interaction)["embeds"][0].to_dict()["fields"]
    assert len(fields) == 10
    assert fields[0]["value"] == f"by <@{MODERATOR_ID}>\n**Tagline** was: Take 10"


async def test_history_of_another_servers_review_is_refused(tree, cog, core):
    review_id = await server_review(core, guild_id=OTHER_GUILD_ID)
    interaction = moderator(core)
    await run(tree, HISTORY, cog, interaction, title=f"id:{review_id}")
    assert private_text(interaction) == OTHER_SERVER


async def test_history_of_an_id_no_review_can_have_is_no_film(tree, cog, core):
    interaction = moderator(core)
    await run(tree, HISTORY, cog, interaction, title="id:99999999999999999999999")
    assert private_text(interaction) == (
        "No film called **id:99999999999999999999999** is in the catalog."
    )
