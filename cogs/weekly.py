"""/weekly: a pick or a vote posted to a channel every week, on time and only once.

One ``tasks.loop`` drives every server's schedule: each minute :meth:`Weekly.tick` asks the core
what is due at ``bot.core.clock()`` and does it. A post is claimed in the store before it is
sent and completed after; it is sent with a nonce derived from the server and week (discord.py
sends ``enforce_nonce`` with every nonce), and an intent found after a restart first makes the
bot look for its own post in the channel's recent messages. Vote buttons are a ``DynamicItem``
whose custom id carries the post and the candidate, so they keep working after a restart.

A deleted channel or a missing permission pauses the schedule (logged); the next moderator
command in that server mentions it. Scheduled events are made only when the bot has Manage
Events, and nothing is said when it has not.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot import cards, weekly
from bot.discord_bot import MovieNightBot, moderator_only
from bot.discord_send import APOLOGY, edit_kwargs, message_kwargs, reply, reply_text
from bot.errors import NotInServer, UserFacingError
from bot.message import Message
from bot.schedule import (
    Occurrence,
    Weekday,
    latest_due,
    next_night,
    parse_time,
    parse_zone,
    zone_suggestions,
)
from bot.store import StoredReview
from bot.store.weekly import WeeklyPost, WeeklySchedule

log = logging.getLogger(__name__)

NEEDED = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "read_message_history": "Read Message History",  # to look for its own post after a crash
}
HISTORY_LIMIT = 50
EVENT_LENGTH = timedelta(hours=3)
VOTE_TEMPLATE = re.compile(rf"{weekly.VOTE_PREFIX}:(?P<post>[0-9]+):(?P<slot>[0-9]+)")
_STYLES = {"primary": discord.ButtonStyle.primary, "success": discord.ButtonStyle.success}


class ChannelUnusable(Exception):
    """The schedule's channel cannot be posted in until a moderator fixes something."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def missing_in(channel: discord.TextChannel) -> list[str]:
    """The permissions the bot needs in ``channel`` and lacks, by their names in Discord."""
    permissions = channel.permissions_for(channel.guild.me)
    return [name for flag, name in NEEDED.items() if not getattr(permissions, flag)]


def guild_of(interaction: discord.Interaction) -> int:
    if interaction.guild_id is None:
        raise NotInServer()
    return interaction.guild_id


def post_link(post: WeeklyPost) -> str:
    return f"https://discord.com/channels/{post.guild_id}/{post.channel_id}/{post.message_id}"


class VoteButton(discord.ui.DynamicItem[discord.ui.Button], template=VOTE_TEMPLATE):
    """One candidate's vote button; rebuilt from its custom id after a restart."""

    def __init__(
        self, post_id: int, slot: int, *, label: str = "Vote", style: str = "primary"
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=label, style=_STYLES[style], custom_id=weekly.vote_id(post_id, slot)
            )
        )
        self.post_id = post_id
        self.slot = slot

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> VoteButton:
        return cls(int(match["post"]), int(match["slot"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        cog = interaction.client.get_cog(Weekly.__cog_name__)  # type: ignore[attr-defined]
        try:
            if cog is None:
                raise RuntimeError("the weekly cog is not loaded")
            await cog.vote(interaction, self.post_id, self.slot)
        except Exception:
            log.exception("Vote %s by user %s failed", self.custom_id, interaction.user.id)
            await reply_text(interaction, APOLOGY)


def vote_view(message: Message) -> discord.ui.View:
    """The persistent view of a vote message (no timeout; the buttons route by custom id)."""
    view = discord.ui.View(timeout=None)
    for row in message.buttons:
        for spec in row:
            found = VOTE_TEMPLATE.fullmatch(spec.custom_id)
            assert found is not None, spec.custom_id
            button = VoteButton(
                int(found["post"]), int(found["slot"]), label=spec.label, style=spec.style
            )
            button.item.disabled = spec.disabled
            view.add_item(button)
    return view


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


class Weekly(commands.Cog):
    """A movie night that runs itself: a weekly pick or vote in a channel."""

    weekly = app_commands.Group(
        name="weekly",
        description="A pick or a vote posted to a channel every week",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: MovieNightBot) -> None:
        self.bot = bot
        self.core = bot.core
        self.rng = random.Random()
        self._guild_locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._vote_locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(VoteButton)
        self.scheduler.start()

    async def cog_unload(self) -> None:
        self.scheduler.cancel()
        self.bot.remove_dynamic_items(VoteButton)

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
        """Do everything due now: posts, recoveries after a crash, votes to close."""
        store = self.core.store
        now = self.core.clock()
        schedules = await store.weekly_schedules()
        posts = await store.weekly_posts_to_check(now - weekly.CHECK_BACK)
        for action in weekly.decide(now, schedules, posts):
            try:
                await self._run(action, now)
            except Exception:
                log.exception(
                    "Weekly %s for guild %s failed", type(action).__name__, action.guild_id
                )

    async def _run(self, action: weekly.Action, now: datetime) -> None:
        match action:
            case weekly.PostDue(schedule, occurrence):
                try:
                    await self._post_week(schedule, occurrence, due_at=occurrence.post_at)
                except ChannelUnusable as error:
                    await self._pause(schedule.guild_id, error.reason)
            case weekly.SkipDue(schedule, occurrence, late):
                skipped = await self.core.store.skip_weekly_post(
                    schedule.guild_id,
                    occurrence.week,
                    channel_id=schedule.channel_id,
                    night_at=occurrence.night,
                    due_at=occurrence.post_at,
                )
                if skipped:
                    log.warning(
                        "Skipped the weekly post of guild %s for %s: due %s ago, and it is "
                        "made only if less than %s late and before movie night starts",
                        schedule.guild_id,
                        occurrence.week,
                        late,
                        weekly.LATE_LIMIT,
                    )
            case weekly.RecoverPost(post):
                await self._recover(post.id, now)
            case weekly.CloseVote(post):
                await self._close(post.id, now)

    async def _pause(self, guild_id: int, reason: str) -> None:
        if await self.core.store.pause_weekly_schedule(guild_id, reason):
            log.warning("Paused the weekly movie night of guild %s: %s", guild_id, reason)

    async def _channel(self, guild_id: int, channel_id: int) -> discord.TextChannel:
        """The channel to post in, once it exists and the bot has every permission it needs."""
        channel = self.bot.get_channel(channel_id)
        if channel is None:
            try:
                channel = await self.bot.fetch_channel(channel_id)
            except (discord.NotFound, discord.Forbidden) as error:
                raise ChannelUnusable(weekly.channel_gone(channel_id)) from error
        if not isinstance(channel, discord.TextChannel) or channel.guild.id != guild_id:
            raise ChannelUnusable(weekly.channel_gone(channel_id))
        if missing := missing_in(channel):
            raise ChannelUnusable(weekly.missing_permissions(channel_id, missing))
        return channel

    # --- posting ---------------------------------------------------------------------------------

    async def _post_week(
        self, schedule: WeeklySchedule, occurrence: Occurrence, *, due_at: datetime
    ) -> tuple[WeeklyPost, bool]:
        """Post a week's pick or vote; returns the post and whether this call made it."""
        store = self.core.store
        async with self._guild_locks[schedule.guild_id]:
            channel = await self._channel(schedule.guild_id, schedule.channel_id)
            existing = await store.weekly_post_for(schedule.guild_id, occurrence.week)
            if existing is not None and existing.state != "skipped":
                return existing, False
            plan = await weekly.choose(
                self.core,
                schedule.guild_id,
                themes=schedule.themes,
                mode=schedule.mode,
                week=occurrence.week,
                rng=self.rng,
            )
            post = await store.claim_weekly_post(
                schedule.guild_id,
                occurrence.week,
                kind=plan.kind,
                channel_id=channel.id,
                night_at=occurrence.night,
                due_at=due_at,
                note=plan.note,
                candidates=plan.candidates(),
            )
            if post is None:  # another process claimed the week a moment ago
                return await self._fresh_week(schedule.guild_id, occurrence.week), False
            return await self._send_post(channel, post), True

    async def _films(self, post: WeeklyPost) -> dict[int, StoredReview | None]:
        return {c.slot: await self.core.store.get(c.review_id) for c in post.candidates}

    async def _post_message(
        self, post: WeeklyPost, *, closed: bool = False
    ) -> tuple[Message, discord.ui.View | None]:
        if post.kind == "none":
            return weekly.none_card(post), None
        films = await self._films(post)
        if post.kind == "pick":
            return weekly.pick_card(post, films[0]), None
        counts = await self.core.store.vote_counts(post.id)
        message = weekly.vote_card(post, films, counts, closed=closed)
        return message, vote_view(message)

    async def _send_post(self, channel: discord.TextChannel, post: WeeklyPost) -> WeeklyPost:
        """Send a claimed post and record it; a refusal drops the claim and pauses."""
        message, view = await self._post_message(post)
        try:
            sent = await channel.send(
                nonce=weekly.nonce_for(post.guild_id, post.week, "post"),
                view=view,
                **message_kwargs(message),
            )
        except (discord.Forbidden, discord.NotFound) as error:
            await self.core.store.drop_weekly_intent(post.id)
            raise ChannelUnusable(self._refusal(channel, error)) from error
        await self.core.store.record_weekly_posted(post.id, sent.id)
        log.info("Posted the weekly %s of guild %s for %s", post.kind, post.guild_id, post.week)
        await self._event(channel, post, post.candidates[0].title if post.kind == "pick" else None)
        return await self._fresh(post.id)

    def _refusal(self, channel: discord.TextChannel, error: discord.HTTPException) -> str:
        if isinstance(error, discord.NotFound):
            return weekly.channel_gone(channel.id)
        if missing := missing_in(channel):
            return weekly.missing_permissions(channel.id, missing)
        return weekly.refused(channel.id)

    async def _fresh_week(self, guild_id: int, week: str) -> WeeklyPost:
        post = await self.core.store.weekly_post_for(guild_id, week)
        assert post is not None, (guild_id, week)
        return post

    async def _fresh(self, post_id: int) -> WeeklyPost:
        post = await self.core.store.weekly_post(post_id)
        assert post is not None, post_id
        return post

    async def _find_own(
        self, channel: discord.TextChannel, beginning: str, nonce: str
    ) -> discord.Message | None:
        """The bot's own message with this nonce, or beginning so, among the recent ones."""
        me = self.bot.user
        async for message in channel.history(limit=HISTORY_LIMIT):
            mine = me is not None and message.author.id == me.id
            if mine and (str(message.nonce) == nonce or message.content.startswith(beginning)):
                return message
        return None

    async def _recover(self, post_id: int, now: datetime) -> None:
        """Finish an intent left by a crash: find the post if it went out, else send or give up."""
        store = self.core.store
        post = await self._fresh(post_id)
        async with self._guild_locks[post.guild_id]:
            post = await self._fresh(post_id)
            if post.state != "intent":
                return
            try:
                channel = await self._channel(post.guild_id, post.channel_id)
            except ChannelUnusable as error:
                await store.give_up_weekly_post(post.id)
                await self._pause(post.guild_id, error.reason)
                return
            nonce = weekly.nonce_for(post.guild_id, post.week, "post")
            found = await self._find_own(channel, weekly.marker(post), nonce)
            if found is not None:
                await store.record_weekly_posted(post.id, found.id)
                log.info(
                    "Found the weekly post of guild %s for %s already sent",
                    post.guild_id,
                    post.week,
                )
            elif weekly.too_late(now, post):
                await store.give_up_weekly_post(post.id)
                log.warning(
                    "Gave up the weekly post of guild %s for %s: it was never sent and is now "
                    "too late",
                    post.guild_id,
                    post.week,
                )
            else:
                try:
                    await self._send_post(channel, post)
                except ChannelUnusable as error:
                    await self._pause(post.guild_id, error.reason)

    # --- votes -----------------------------------------------------------------------------------

    async def vote(self, interaction: discord.Interaction, post_id: int, slot: int) -> None:
        """A vote button was clicked: record the vote, update the counts, tell the member."""
        store = self.core.store
        post = await store.weekly_post(post_id)
        here = post is not None and post.kind == "vote" and post.guild_id == interaction.guild_id
        chosen = post.candidate(slot) if here else None
        if post is None or chosen is None:
            await reply_text(interaction, weekly.VOTE_GONE)
            return
        async with self._vote_locks[post_id]:
            post = await self._fresh(post_id)
            if post.winner_slot is not None or self.core.clock() >= post.night_at:
                await reply_text(interaction, weekly.VOTE_CLOSED)
                return
            before = await store.cast_vote(post_id, interaction.user.id, slot)
            message, view = await self._post_message(post)
            await interaction.response.edit_message(view=view, **edit_kwargs(message))
        previous = post.candidate(before) if before is not None else None
        await reply(interaction, weekly.vote_receipt(chosen, previous))

    async def _close(self, post_id: int, now: datetime) -> None:
        """Close a vote at movie night: the winner is kept, marked seen and announced once."""
        store = self.core.store
        post = await self._fresh(post_id)
        async with self._guild_locks[post.guild_id]:
            async with self._vote_locks[post_id]:
                post = await self._fresh(post_id)
                if post.result_state not in (None, "intent"):
                    return
                first = post.winner_slot is None
                if first:
                    counts = await store.vote_counts(post_id)
                    result = weekly.tally([c.slot for c in post.candidates], counts, self.rng)
                    await store.close_weekly_vote(
                        post_id, winner_slot=result.winner, tie=len(result.tied) > 1
                    )
                    post = await self._fresh(post_id)
            self._vote_locks.pop(post_id, None)
            try:
                channel = await self._channel(post.guild_id, post.channel_id)
            except ChannelUnusable as error:
                await store.record_weekly_result(post_id, state="skipped")
                await self._pause(post.guild_id, error.reason)
                return
            await self._show_closed(channel, post)
            await self._announce(channel, post, now, look_first=not first)

    async def _show_closed(self, channel: discord.TextChannel, post: WeeklyPost) -> None:
        if post.message_id is None:
            return
        message, view = await self._post_message(post, closed=True)
        try:
            await channel.get_partial_message(post.message_id).edit(
                view=view, **edit_kwargs(message)
            )
        except discord.HTTPException as error:
            log.info("Could not show the vote of guild %s as closed: %s", post.guild_id, error)

    async def _announce(
        self, channel: discord.TextChannel, post: WeeklyPost, now: datetime, *, look_first: bool
    ) -> None:
        store = self.core.store
        nonce = weekly.nonce_for(post.guild_id, post.week, "result")
        if look_first:
            found = await self._find_own(channel, weekly.marker(post, result=True), nonce)
            if found is not None:
                await store.record_weekly_result(post.id, state="posted", message_id=found.id)
                return
        if now - post.night_at >= weekly.LATE_LIMIT:
            await store.record_weekly_result(post.id, state="skipped")
            log.warning(
                "Closed the vote of guild %s for %s without announcing it: %s late",
                post.guild_id,
                post.week,
                now - post.night_at,
            )
            return
        winner = post.winner
        assert winner is not None, post.id  # closed: close_weekly_vote kept a winner
        film = await store.get(winner.review_id)
        counts = await store.vote_counts(post.id)
        message = weekly.result_card(post, winner, counts, film)
        try:
            sent = await channel.send(nonce=nonce, **message_kwargs(message))
        except (discord.Forbidden, discord.NotFound) as error:
            await store.record_weekly_result(post.id, state="skipped")
            await self._pause(post.guild_id, self._refusal(channel, error))
            return
        await store.record_weekly_result(post.id, state="posted", message_id=sent.id)
        await self._event(channel, post, winner.title)

    # --- scheduled events ------------------------------------------------------------------------

    async def _event(
        self, channel: discord.TextChannel, post: WeeklyPost, title: str | None
    ) -> None:
        """Create or update the Discord scheduled event for the night, if allowed; else nothing."""
        guild = channel.guild
        me = self.bot.user
        if me is None or not guild.me.guild_permissions.manage_events:
            return
        name = weekly.event_name(title)
        description = weekly.event_description(post, channel.name)
        try:
            events = await guild.fetch_scheduled_events(with_counts=False)
            event = next((e for e in events if e.id == post.event_id), None) or next(
                (e for e in events if e.creator_id == me.id and e.start_time == post.night_at),
                None,
            )
            if event is None:
                if post.night_at <= self.core.clock():
                    return
                event = await guild.create_scheduled_event(
                    name=name,
                    description=description,
                    start_time=post.night_at,
                    end_time=post.night_at + EVENT_LENGTH,
                    entity_type=discord.EntityType.external,
                    location=f"#{channel.name}",
                    privacy_level=discord.PrivacyLevel.guild_only,
                )
            elif event.name != name or event.description != description:
                event = await event.edit(name=name, description=description)
            if event.id != post.event_id:
                await self.core.store.set_weekly_event(post.id, event.id)
        except discord.HTTPException as error:
            log.warning(
                "Could not create or update the movie night event of guild %s: %s", guild.id, error
            )

    # --- telling moderators about a pause --------------------------------------------------------

    @commands.Cog.listener()
    async def on_app_command_completion(
        self, interaction: discord.Interaction, command: app_commands.Command[Any, ..., Any]
    ) -> None:
        """After a moderator command elsewhere, say once that this server's schedule is paused."""
        if interaction.guild_id is None or getattr(command, "binding", None) is self:
            return
        if not _moderator_command(command):
            return
        reason = await self.core.store.take_pause_notice(interaction.guild_id)
        if reason is None:
            return
        try:
            await reply(interaction, cards.notice(weekly.pause_line(reason)))
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
        themes="Optional: only suggest films matching these words, e.g. comedy heist",
        mode="A pick of one film, or a vote between three",
        lead_hours="How many hours before movie night to post (default 24)",
    )
    @app_commands.autocomplete(timezone=zone_autocomplete)
    async def weekly_set(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        day: Weekday,
        time: app_commands.Range[str, 1, 20],
        timezone: app_commands.Range[str, 1, 64],
        themes: app_commands.Range[str, 1, 200] | None = None,
        mode: Literal["pick", "vote"] = "pick",
        lead_hours: app_commands.Range[int, 1, 144] = 24,
    ) -> None:
        """Post a pick or a vote every week before movie night."""
        guild_id = guild_of(interaction)
        at = parse_time(time)
        zone = parse_zone(timezone)
        notes = []
        if themes and not (await self.core.pickif.search(guild_id, themes)).matches:
            notes.append(weekly.THEMES_UNMATCHED)
        try:
            await self._channel(guild_id, channel.id)
        except ChannelUnusable as error:
            raise UserFacingError(f"I cannot post there: {error.reason}") from error
        now = self.core.clock()
        schedule = WeeklySchedule(
            guild_id=guild_id,
            channel_id=channel.id,
            weekday=int(day),
            at=at,
            zone=zone.key,
            lead_hours=lead_hours,
            mode=mode,
            themes=themes.strip() if themes else None,
            since=now,
            set_by=interaction.user.id,
        )
        await self.core.store.set_weekly_schedule(schedule)
        due = latest_due(weekly.spec_of(schedule), now)
        if now < due.night and await self.core.store.weekly_post_for(guild_id, due.week) is None:
            notes.append(weekly.MISSED_THIS_WEEK)
        await reply(interaction, weekly.schedule_saved(schedule, now, notes))

    @weekly.command(name="show")
    @moderator_only()
    async def weekly_show(self, interaction: discord.Interaction) -> None:
        """The schedule, the next post and the next movie night."""
        guild_id = guild_of(interaction)
        schedule = await self.core.store.weekly_schedule(guild_id)
        if schedule is None:
            await reply_text(interaction, weekly.NO_SCHEDULE)
            return
        await self.core.store.take_pause_notice(guild_id)  # the card says it
        await reply(interaction, weekly.schedule_card(schedule, self.core.clock()))

    @weekly.command(name="off")
    @moderator_only()
    async def weekly_off(self, interaction: discord.Interaction) -> None:
        """Stop posting every week (an open vote still closes at its movie night)."""
        if await self.core.store.remove_weekly_schedule(guild_of(interaction)):
            await reply_text(interaction, weekly.TURNED_OFF)
        else:
            await reply_text(interaction, weekly.NO_SCHEDULE)

    @weekly.command(name="now")
    @moderator_only()
    async def weekly_now(self, interaction: discord.Interaction) -> None:
        """Post the coming movie night's pick or vote right away, to try the setup."""
        guild_id = guild_of(interaction)
        schedule = await self.core.store.weekly_schedule(guild_id)
        if schedule is None:
            await reply_text(interaction, weekly.NO_SCHEDULE)
            return
        if schedule.paused_reason is not None:
            await self.core.store.take_pause_notice(guild_id)
            await reply_text(interaction, weekly.pause_line(schedule.paused_reason))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = self.core.clock()
        coming = next_night(weekly.spec_of(schedule), now)
        try:
            post, made = await self._post_week(schedule, coming, due_at=now)
        except ChannelUnusable as error:
            await self._pause(guild_id, error.reason)
            await self.core.store.take_pause_notice(guild_id)
            raise UserFacingError(weekly.pause_line(error.reason)) from error
        await reply(interaction, weekly.posted_now(post, post_link(post), made=made))


async def setup(bot: MovieNightBot) -> None:
    await bot.add_cog(Weekly(bot))
