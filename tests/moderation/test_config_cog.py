"""/config modrole and /config show."""

from unittest.mock import MagicMock

import discord

from cogs.config import Config
from tests.fakes import GUILD_ID, MODERATOR_ID, fake_interaction
from tests.moderation.helpers import answer, member, moderator, private_text, run, server_review

MODROLE = Config.modrole
SHOW = Config.show
FILM_CLUB = 3001


def role(role_id=FILM_CLUB):
    found = MagicMock(spec=discord.Role)
    found.id = role_id
    return found


async def test_a_manager_sets_the_moderator_role(tree, config_cog, core):
    interaction = moderator(core)
    await run(tree, MODROLE, config_cog, interaction, role=role())
    assert private_text(interaction) == (
        f"Members with <@&{FILM_CLUB}> are moderators now, besides Manage Server."
    )
    assert await core.store.mod_role(GUILD_ID) == FILM_CLUB
    film_club_member = fake_interaction(core, user_id=2050, role_ids=(FILM_CLUB,))
    await run(tree, SHOW, config_cog, film_club_member)
    assert answer(film_club_member)["embeds"], "the role's members now moderate"


async def test_leaving_the_role_out_clears_it(tree, config_cog, core):
    await core.store.set_mod_role(GUILD_ID, FILM_CLUB)
    interaction = moderator(core)
    await run(tree, MODROLE, config_cog, interaction)
    assert private_text(interaction) == (
        "Cleared the moderator role: only members with Manage Server moderate."
    )
    assert await core.store.mod_role(GUILD_ID) is None


async def test_only_managers_choose_the_role(tree, config_cog, core):
    await core.store.set_mod_role(GUILD_ID, FILM_CLUB)
    by_role = fake_interaction(core, user_id=2050, role_ids=(FILM_CLUB,))
    await run(tree, MODROLE, config_cog, by_role, role=role(3002))
    assert private_text(by_role) == "Only members with Manage Server can choose the moderator role."
    assert await core.store.mod_role(GUILD_ID) == FILM_CLUB


async def test_everyone_cannot_be_the_moderator_role(tree, config_cog, core):
    interaction = moderator(core)
    await run(tree, MODROLE, config_cog, interaction, role=role(GUILD_ID))
    assert private_text(interaction) == (
        "@everyone can't be the moderator role: pick a role only your moderators have."
    )
    assert await core.store.mod_role(GUILD_ID) is None


async def test_members_cannot_change_settings(tree, config_cog, core):
    interaction = member(core)
    await run(tree, MODROLE, config_cog, interaction, role=role())
    assert private_text(interaction).startswith("Only this server's moderators can do that")
    assert await core.store.mod_role(GUILD_ID) is None


async def test_show_lists_moderators_and_the_catalog(tree, config_cog, core):
    await core.store.set_mod_role(GUILD_ID, FILM_CLUB)
    await server_review(core)
    gone = await server_review(core, title="Paper Moon Lake")
    await core.store.remove_review(gone, actor_id=MODERATOR_ID)
    await server_review(core, title="Finish Line", year=2011)
    interaction = moderator(core)
    await run(tree, SHOW, config_cog, interaction)
    kwargs = answer(interaction)
    assert kwargs["ephemeral"] is True
    assert kwargs["allowed_mentions"].to_dict() == {"parse": []}
    embed = kwargs["embeds"][0].to_dict()
    assert [(f["name"], f["value"]) for f in embed["fields"]] == [
        (
            "Moderators",
            f"Members with **Manage Server**, and members with the <@&{FILM_CLUB}> role",
        ),
        ("Catalog", "2 reviews of this server's own (1 removed) and 4 from the shared catalog"),
        ("Suggestions", "3 open per member; no approval (`/config suggestions`)"),
    ]


async def test_members_cannot_see_settings(tree, config_cog, core):
    interaction = member(core)
    await run(tree, SHOW, config_cog, interaction)
    assert private_text(interaction).startswith("Only this server's moderators can do that")
