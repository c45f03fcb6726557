"""/weekly: a pick or a vote posted to a channel every week, on time and only once.

The handlers are thin: options in, one call into :mod:`bot.weekly`, the answer out. The one
``tasks.loop`` lives here; the posting itself (claims, nonces, recovery after a crash, votes,
results, scheduled events, pauses) is :class:`bot.discord_weekly.WeeklyPoster`.
"""

from __future__ import annotations

import logging
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot import weekly
from bot import weekly_cards as wcards
from bot.discord_bot import MovieNightBot, caller_of, moderator_only
from bot.discord_send import reply
from bot.discord_weekly import COG_NAME, ITEMS, WeeklyPoster
from bot.schedule import Weekday, parse_time, parse_zone, zone_suggestions

log = logging.getLogger(__name__)


def _moderator_command(command: object) -> bool:
    """Whether a command is for moderators only (it, or its group, needs Manage Server)."""
    while command is not None:
        permissions = getattr(command, "default_permissions", None)
        if permissions is not None and permissions.manage_guild:
            return True
        command = getattr(command, "parent", None)
    return False


async def zone_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=name, value=name) for name in zone_suggestions(current)]


class Weekly(commands.Cog, name=COG_NAME):
    """A movie night that runs itself: a weekly pick or vote in a channel."""

    weekly = app_commands.Group(
        name="weekly",
        description="A pick or a vote posted to a channel every week",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: MovieNightBot) -> None:
        self.bot = bot
        self.poster = WeeklyPoster(bot)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*ITEMS)
        self.scheduler.start()

    async def cog_unload(self) -> None:
        self.scheduler.cancel()
        self.bot.remove_dynamic_items(*ITEMS)
        await self.poster.close()

    # --- the scheduler ---------------------------------------------------------------------------

    @tasks.loop(minutes=1)
    async def scheduler(self) -> None:
        try:
            await self.tick()
        except Exception:
            log.exception("The weekly scheduler failed; it tries again in a minute")

    @scheduler.before_loop
    async def before_scheduler(self) -> None:
        try:
            await self.bot.wait_until_ready()
        except RuntimeError:  # loaded into a client that never logs in: nothing to schedule
            self.scheduler.cancel()  # tasks.Loop lets before_loop cancel its own task

    async def tick(self) -> None:
        """Do everything due now at the core's clock (the scheduler runs this each minute)."""
        await self.poster.tick()

    @commands.Cog.listener()
    async def on_app_command_completion(
        self,
        interaction: discord.Interaction[MovieNightBot],
        command: app_commands.Command[Any, ..., Any],
    ) -> None:
        """After a moderator command elsewhere, say once that this server's schedule is paused."""
        mine = getattr(command, "binding", None) is self
        if interaction.guild_id is None or mine or not _moderator_command(command):
            return
        notice = await weekly.pause_notice(self.bot.core, await caller_of(interaction))
        if notice is None:
            return
        try:
            await reply(interaction, notice)
        except discord.HTTPException as error:
            log.info(
                "Could not mention the paused schedule of guild %s: %s", interaction.guild_id, error
            )

    # --- commands --------------------------------------------------------------------------------

    @weekly.command(name="set")
    @moderator_only()
    @app_commands.describe(
        channel="The text channel to post the pick or the vote in",
        day="The day of the week movie night is on",
        time="When movie night starts, HH:MM on a 24-hour clock, e.g. 19:30",
        timezone="The server's time zone, e.g. Europe/Berlin; pick one from the list",
        themes="Optional: the bot's own picks match these words, e.g. comedy heist",
        mode="pick: one film; vote: one vote each; approval: any number; ranked: instant runoff",
        lead_hours="How many hours before movie night to post (default 24)",
        size="How many films a vote puts forward, 2 to 10 (default 3)",
        rest_after="A film that lost this many votes rests for a while (default 3)",
        rest_weeks="How many weeks such a film rests (default 8)",
        remind="Whom “starting soon” pings: nobody, members marked Interested, or a role",
        role="With remind:role, the role to ping",
        remind_minutes="How many minutes before movie night “starting soon” is posted (0: never)",
    )
    @app_commands.autocomplete(timezone=zone_autocomplete)
    async def weekly_set(
        self,
        interaction: discord.Interaction[MovieNightBot],
        channel: discord.TextChannel,
        day: Weekday,
        time: app_commands.Range[str, 1, 20],
        timezone: app_commands.Range[str, 1, 64],
        themes: app_commands.Range[str, 1, 200] | None = None,
        mode: Literal["pick", "vote", "approval", "ranked"] = "pick",
        lead_hours: app_commands.Range[int, 1, 144] = 24,
        size: app_commands.Range[int, 2, 10] = 3,
        rest_after: app_commands.Range[int, 1, 20] = 3,
        rest_weeks: app_commands.Range[int, 1, 52] = 8,
        remind: Literal["none", "interested", "role"] = "none",
        role: discord.Role | None = None,
        remind_minutes: app_commands.Range[int, 0, 240] = 15,
    ) -> None:
        """Post a pick or a vote every week before movie night."""
        caller = await caller_of(interaction)
        at, zone = parse_time(time), parse_zone(timezone)
        answer = await weekly.set_schedule(
            self.bot.core,
            caller,
            channel.id,
            channel_problem=await self.poster.channel_problem(caller.guild_id, channel.id),
            weekday=day,
            at=at,
            zone=zone,
            themes=themes,
            mode=mode,
            lead_hours=lead_hours,
            size=size,
            rest_after=rest_after,
            rest_weeks=rest_weeks,
            remind=remind,
            remind_role=role.id if role is not None else None,
            remind_minutes=remind_minutes,
        )
        await reply(interaction, answer)

    @weekly.command(name="show")
    @moderator_only()
    async def weekly_show(self, interaction: discord.Interaction[MovieNightBot]) -> None:
        """The schedule, the next post and the next movie night."""
        await reply(interaction, await weekly.show(self.bot.core, await caller_of(interaction)))

    @weekly.command(name="off")
    @moderator_only()
    async def weekly_off(self, interaction: discord.Interaction[MovieNightBot]) -> None:
        """Stop posting every week (an open vote still closes at its movie night)."""
        await reply(interaction, await weekly.turn_off(self.bot.core, await caller_of(interaction)))

    @weekly.command(name="now")
    @moderator_only()
    async def weekly_now(self, interaction: discord.Interaction[MovieNightBot]) -> None:
        """Post the coming movie night's pick or vote right away, to try the setup."""
        caller = await caller_of(interaction)
        schedule = await weekly.schedule_to_post(self.bot.core, caller)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await reply(interaction, await self.poster.post_now(schedule, caller.texts))

    @weekly.command(name="close")
    @moderator_only()
    async def weekly_close(self, interaction: discord.Interaction[MovieNightBot]) -> None:
        """End the open vote now and announce the winner."""
        caller = await caller_of(interaction)
        post = await weekly.open_vote(self.bot.core, caller)
        await interaction.response.defer(ephemeral=True, thinking=True)
        closed = await self.poster.close_now(post)
        await reply(interaction, wcards.closed_early(closed, caller.texts))

    @weekly.command(name="extend")
    @moderator_only()
    @app_commands.describe(hours="How many hours later the open vote closes")
    async def weekly_extend(
        self,
        interaction: discord.Interaction[MovieNightBot],
        hours: app_commands.Range[int, 1, 48],
    ) -> None:
        """Give the open vote more time."""
        caller = await caller_of(interaction)
        post, answer = await weekly.extend(self.bot.core, caller, hours)
        self.poster.refresh(post.id)
        await reply(interaction, answer)


async def setup(bot: MovieNightBot) -> None:
    await bot.add_cog(Weekly(bot))
