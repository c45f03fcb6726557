"""The weekly movie night on Discord: posting on time and only once, votes, results, events.

:class:`WeeklyPoster` is what ``cogs/weekly.py`` calls. Each minute :meth:`WeeklyPoster.tick` asks
the core what is due at ``core.clock()`` and does it. A post is claimed in the store before it is
sent and completed after; it is sent with a nonce derived from the server and week (discord.py
sends ``enforce_nonce`` with every nonce), and an intent found after a restart first makes the
bot look for its own post in the channel's recent messages. Vote buttons and ranking menus are
routed items whose custom ids carry the post and the choice, so they work after a restart.

Several processes may share one database (scale-out). Each ticks only for the servers on the
shards it holds, and a post or a vote's result is made only under the server's lease, held from
claim to send to record: while a rolling restart lets two processes hold a server, the second
neither posts the week again nor takes the first's unfinished post for a crash's. When the
holder ends, the lease passes at once; a holder that hangs loses it after ``POST_LEASE``.

A deleted channel or a missing permission pauses the schedule (logged); the next moderator
command in that server mentions it. Scheduled events are made only when the bot has Manage
Events, and nothing is said when it has not.

Everything posted for the server (posts, results, reminders, events, and the reason a schedule
paused) is in the server's language, its ``preferred_locale``: there is no member to ask.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import discord

from bot import i18n, weekly, weekly_plan
from bot import weekly_cards as wcards
from bot.discord_bot import MovieNightBot, caller_of
from bot.discord_send import (
    RoutedItem,
    edit_kwargs,
    message_kwargs,
    persistent_view,
    reply,
)
from bot.errors import UserFacingError
from bot.i18n import N_, Texts
from bot.message import Message
from bot.schedule import Occurrence, next_night
from bot.store.weekly import Reminder, WeeklyPost, WeeklySchedule

log = logging.getLogger(__name__)

COG_NAME = "Weekly"
"""The name of the cog that holds the running :class:`WeeklyPoster` as ``poster``."""

NEEDED = {
    "view_channel": N_("View Channel"),
    "send_messages": N_("Send Messages"),
    "embed_links": N_("Embed Links"),
    "read_message_history": N_("Read Message History"),  # to look for its own post after a crash
}
HISTORY_LIMIT = 50
EVENT_LENGTH = timedelta(hours=3)
POST_LEASE = timedelta(minutes=10)
"""How long a process that stopped answering keeps a server's posting to itself."""


class PostingElsewhere(UserFacingError):
    """Another live process of the bot holds this server's weekly posting right now."""

    def __init__(self) -> None:
        super().__init__(
            N_(
                "Another process of this bot is posting this server's movie night right now;"
                " try again in a minute."
            )
        )


class ChannelUnusable(Exception):
    """The schedule's channel cannot be posted in until a moderator fixes something."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def missing_in(channel: discord.TextChannel) -> list[str]:
    """The permissions the bot needs in ``channel`` and lacks, by their names in Discord."""
    permissions = channel.permissions_for(channel.guild.me)
    return [name for flag, name in NEEDED.items() if not getattr(permissions, flag)]


def locale_of(guild: discord.Guild | None) -> str | None:
    """The server's language as a Discord locale code (None: English)."""
    return guild.preferred_locale.value if guild is not None else None


def _refusal(channel: discord.TextChannel, error: discord.HTTPException) -> str:
    """Why Discord refused a message in ``channel``, as the pause reason (a kept note)."""
    if isinstance(error, discord.NotFound):
        return wcards.channel_gone(channel.id)
    if missing := missing_in(channel):
        return wcards.missing_permissions(channel.id, missing)
    return wcards.refused(channel.id)


def poster_of(bot: MovieNightBot) -> WeeklyPoster:
    """The running poster, held by the loaded weekly cog."""
    cog = bot.get_cog(COG_NAME)
    poster = getattr(cog, "poster", None)
    if not isinstance(poster, WeeklyPoster):
        raise RuntimeError("the weekly cog is not loaded")
    return poster


class VoteButton(RoutedItem, template=wcards.VOTE_TEMPLATE):
    """One film's button on a vote or an approval vote."""

    async def run(self, interaction: discord.Interaction[MovieNightBot]) -> None:
        post, slot = int(self.match["post"]), int(self.match["slot"])
        await poster_of(interaction.client).vote(interaction, post, slot)


class RankButton(RoutedItem, template=wcards.RANK_TEMPLATE):
    """Rank the films (on the post; Start over in the private ranking) and Done."""

    async def run(self, interaction: discord.Interaction[MovieNightBot]) -> None:
        poster, post = poster_of(interaction.client), int(self.match["post"])
        if self.match["verb"] == "ranked":
            await poster.ranking_done(interaction, post)
        else:
            await poster.rank(interaction, post, [], None)


class RankSelect(RoutedItem, template=wcards.RANKS_TEMPLATE):
    """A ranking step's menu: the films ranked so far are in its custom id."""

    async def run(self, interaction: discord.Interaction[MovieNightBot]) -> None:
        data: dict[str, Any] = dict(interaction.data or {})
        values = data.get("values") or []
        if not values or not str(values[0]).isdigit():
            raise UserFacingError(wcards.VOTE_GONE)
        ranked = [int(slot) for slot in self.match["ranked"].split("-") if slot]
        post = int(self.match["post"])
        await poster_of(interaction.client).rank(interaction, post, ranked, int(values[0]))


ITEMS = (VoteButton, RankButton, RankSelect)


def weekly_view(message: Message) -> discord.ui.View | None:
    return persistent_view(message, *ITEMS)


class WeeklyPoster:
    """Every server's weekly schedule acted out on Discord, one server at a time."""

    def __init__(self, bot: MovieNightBot) -> None:
        self.bot = bot
        self.core = bot.core
        self.rng = random.Random()
        self._guild_locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._counting: dict[int, bool] = {}  # posts whose counts are being edited: again?
        self._tasks: set[asyncio.Task[None]] = set()

    # --- what the /weekly commands need from Discord ----------------------------------------------

    async def channel_problem(self, guild_id: int, channel_id: int) -> str | None:
        """Why the bot cannot post in a channel (deleted, or a permission missing), as a kept
        note (``weekly_cards.said_note`` says it), or None."""
        try:
            await self._channel(guild_id, channel_id)
        except ChannelUnusable as error:
            return error.reason
        return None

    async def post_now(self, schedule: WeeklySchedule, t: Texts) -> Message:
        """Post the coming movie night's pick or vote now, unless it is already out; the answer
        to the moderator in ``t``'s language."""
        now = self.core.clock()
        coming = next_night(weekly_plan.spec_of(schedule), now)
        try:
            post, made = await self._post_week(schedule, coming, due_at=now)
        except ChannelUnusable as error:
            await self._pause(schedule.guild_id, error.reason)
            await self.core.store.take_pause_notice(schedule.guild_id)
            raise UserFacingError(wcards.pause_line(error.reason, t)) from error
        return wcards.posted_now(post, made=made, t=t)

    # --- the scheduler ---------------------------------------------------------------------------

    async def tick(self) -> None:
        """Do everything due now: posts, recoveries after a crash, votes to close."""
        store = self.core.store
        now = self.core.clock()
        held = self.bot.settings.shards.holds
        schedules = [s for s in await store.weekly_schedules() if held(s.guild_id)]
        posts = await store.weekly_posts_to_check(now - weekly_plan.CHECK_BACK)
        posts = [post for post in posts if held(post.guild_id)]
        for action in weekly_plan.decide(now, schedules, posts):
            try:
                await self._run(action, now)
            except PostingElsewhere:
                log.info("Weekly posting of guild %s is with another process", action.guild_id)
            except Exception:
                log.exception(
                    "Weekly %s for guild %s failed", type(action).__name__, action.guild_id
                )

    async def _run(self, action: weekly_plan.Action, now: datetime) -> None:
        match action:
            case weekly_plan.PostDue(schedule, occurrence):
                try:
                    await self._post_week(schedule, occurrence, due_at=occurrence.post_at)
                except ChannelUnusable as error:
                    await self._pause(schedule.guild_id, error.reason)
            case weekly_plan.SkipDue(schedule, occurrence, late):
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
                        weekly_plan.LATE_LIMIT,
                    )
            case weekly_plan.RecoverPost(post):
                await self._recover(post.id, now)
            case weekly_plan.CloseVote(post):
                await self._close(post.id, now)
            case weekly_plan.RemindSoon(post, schedule):
                await self._remind(post, schedule)
            case weekly_plan.WarnClosing(post):
                await self._warn_closing(post)

    async def _pause(self, guild_id: int, reason: str) -> None:
        if await self.core.store.pause_weekly_schedule(guild_id, reason):
            said = wcards.said_note(reason, i18n.ENGLISH)
            log.warning("Paused the weekly movie night of guild %s: %s", guild_id, said)

    async def _channel(self, guild_id: int, channel_id: int) -> discord.TextChannel:
        """The channel to post in, once it exists and the bot has every permission it needs."""
        channel = self.bot.get_channel(channel_id)
        if channel is None:
            try:
                channel = await self.bot.fetch_channel(channel_id)
            except (discord.NotFound, discord.Forbidden) as error:
                raise ChannelUnusable(wcards.channel_gone(channel_id)) from error
        if not isinstance(channel, discord.TextChannel) or channel.guild.id != guild_id:
            raise ChannelUnusable(wcards.channel_gone(channel_id))
        if missing := missing_in(channel):
            raise ChannelUnusable(wcards.missing_permissions(channel_id, missing))
        return channel

    # --- posting ---------------------------------------------------------------------------------

    @asynccontextmanager
    async def _posting(self, guild_id: int) -> AsyncIterator[None]:
        """This process's turn at a server's post: its own lock, then the server's lease in the
        database, so no other process claims, sends or recovers the server's post meanwhile."""
        name = f"weekly-post:{guild_id}"
        async with self._guild_locks[guild_id]:
            if not await self.core.store.take_lease(name, POST_LEASE):
                raise PostingElsewhere()
            try:
                yield
            finally:
                await self.core.store.drop_lease(name)

    async def _post_week(
        self, schedule: WeeklySchedule, occurrence: Occurrence, *, due_at: datetime
    ) -> tuple[WeeklyPost, bool]:
        """Post a week's pick or vote; returns the post and whether this call made it."""
        async with self._posting(schedule.guild_id):
            channel = await self._channel(schedule.guild_id, schedule.channel_id)
            post, claimed = await weekly.claim_week(
                self.core, schedule, occurrence, channel_id=channel.id, due_at=due_at, rng=self.rng
            )
            if not claimed:
                return post, False
            return await self._send_post(channel, post), True

    async def _post_message(
        self, post: WeeklyPost, channel: discord.TextChannel, *, closed: bool = False
    ) -> tuple[Message, discord.ui.View | None]:
        """The post as it reads now, in the language of the server it is posted in."""
        locale = locale_of(channel.guild)
        message = await weekly.post_message(self.core, post, locale, closed=closed)
        return message, weekly_view(message)

    async def _send_post(self, channel: discord.TextChannel, post: WeeklyPost) -> WeeklyPost:
        """Send a claimed post and record it; a refusal drops the claim and pauses."""
        message, view = await self._post_message(post, channel)
        try:
            sent = await channel.send(
                nonce=weekly_plan.nonce_for(post.guild_id, post.week, "post"),
                **message_kwargs(message, view),
            )
        except (discord.Forbidden, discord.NotFound) as error:
            await self.core.store.drop_weekly_intent(post.id)
            raise ChannelUnusable(_refusal(channel, error)) from error
        await self.core.store.record_weekly_posted(post.id, sent.id)
        log.info("Posted the weekly %s of guild %s for %s", post.kind, post.guild_id, post.week)
        await self._event(channel, post, post.candidates[0].title if post.kind == "pick" else None)
        return await self._fresh(post.id)

    async def _fresh(self, post_id: int) -> WeeklyPost:
        post = await self.core.store.weekly_post(post_id)
        assert post is not None, post_id
        return post

    async def _find_own(
        self, channel: discord.TextChannel, post: WeeklyPost, nonce: str, *, result: bool = False
    ) -> discord.Message | None:
        """The bot's own post (or result) for this night among the recent messages: by its
        nonce, or by how it begins (see :func:`weekly_cards.is_marked`)."""
        me = self.bot.user
        async for message in channel.history(limit=HISTORY_LIMIT):
            mine = me is not None and message.author.id == me.id
            marked = wcards.is_marked(post, message.content, result=result)
            if mine and (str(message.nonce) == nonce or marked):
                return message
        return None

    async def _recover(self, post_id: int, now: datetime) -> None:
        """Finish an intent left by a crash: find the post if it went out, else send or give up."""
        store = self.core.store
        post = await self._fresh(post_id)
        async with self._posting(post.guild_id):
            post = await self._fresh(post_id)
            if post.state != "intent":
                return
            try:
                channel = await self._channel(post.guild_id, post.channel_id)
            except ChannelUnusable as error:
                await store.give_up_weekly_post(post.id)
                await self._pause(post.guild_id, error.reason)
                return
            nonce = weekly_plan.nonce_for(post.guild_id, post.week, "post")
            found = await self._find_own(channel, post, nonce)
            if found is not None:
                await store.record_weekly_posted(post.id, found.id)
                log.info(
                    "Found the weekly post of guild %s for %s already sent",
                    post.guild_id,
                    post.week,
                )
            elif weekly_plan.too_late(now, post):
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

    async def vote(
        self, interaction: discord.Interaction[MovieNightBot], post_id: int, slot: int
    ) -> None:
        """A vote button was clicked: the core records the ballot, the member is answered at once,
        and :meth:`_show_counts` edits the counts on the post, folding the clicks of a busy
        minute into a few edits that always end on the stored ballots.
        """
        caller = await caller_of(interaction)
        receipt = await weekly.vote(self.core, caller, post_id, slot)
        await reply(interaction, receipt.message)
        if receipt.changed:
            self._show_counts(post_id)

    async def rank(
        self,
        interaction: discord.Interaction[MovieNightBot],
        post_id: int,
        ranked: list[int],
        slot: int | None,
    ) -> None:
        """A step of ranking, privately: from the post a new message, after that in place."""
        caller = await caller_of(interaction)
        receipt = await weekly.rank(self.core, caller, post_id, ranked, slot)
        message = receipt.message
        if interaction.message is not None and interaction.message.flags.ephemeral:
            await interaction.response.edit_message(
                view=weekly_view(message), **edit_kwargs(message)
            )
        else:
            await reply(interaction, message, view=weekly_view(message))
        if receipt.changed:
            self._show_counts(post_id)

    async def ranking_done(
        self, interaction: discord.Interaction[MovieNightBot], post_id: int
    ) -> None:
        caller = await caller_of(interaction)
        message = await weekly.ranked_ballot(self.core, caller, post_id)
        await interaction.response.edit_message(view=None, **edit_kwargs(message))

    def refresh(self, post_id: int) -> None:
        """Show a vote's post as it is now (after a moderator extended it)."""
        self._show_counts(post_id)

    async def close_now(self, post: WeeklyPost) -> WeeklyPost:
        """/weekly close: close the vote and announce the result now."""
        await self._close(post.id, self.core.clock())
        return await self._fresh(post.id)

    def _show_counts(self, post_id: int) -> None:
        """Bring the counts on a vote's post up to date, soon; one edit at a time per post."""
        if post_id in self._counting:
            self._counting[post_id] = True  # the running edit goes round once more
            return
        self._counting[post_id] = False
        task = asyncio.create_task(self._edit_counts(post_id), name=f"vote counts {post_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _edit_counts(self, post_id: int) -> None:
        try:
            while True:
                self._counting[post_id] = False  # ballots cast from here on ask for another turn
                async with self.bot.in_order(f"weekly post {post_id}"):
                    post = await self._fresh(post_id)
                    if post.winner_slot is not None or post.message_id is None:
                        return
                    channel = await self._channel(post.guild_id, post.channel_id)
                    message, view = await self._post_message(post, channel)
                    await channel.get_partial_message(post.message_id).edit(
                        view=view, **edit_kwargs(message)
                    )
                if not self._counting[post_id]:
                    return
        except (discord.HTTPException, ChannelUnusable) as error:
            log.info("Could not update the vote counts of post %s: %s", post_id, error)
        finally:
            del self._counting[post_id]

    async def counts_shown(self) -> None:
        """Wait until every vote's counts on Discord match its stored ballots."""
        while self._tasks:
            await asyncio.gather(*self._tasks)

    async def close(self) -> None:
        """Stop editing counts (the bot is shutting down); the next start shows them anew."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _close(self, post_id: int, now: datetime) -> None:
        """Close a vote at movie night: the winner is kept, marked seen and announced once."""
        store = self.core.store
        post = await self._fresh(post_id)
        async with self._posting(post.guild_id):
            post = await self._fresh(post_id)
            if post.result_state not in (None, "intent"):
                return
            post, first = await weekly.close_vote(self.core, post_id, self.rng)
            try:
                channel = await self._channel(post.guild_id, post.channel_id)
            except ChannelUnusable as error:
                await store.record_weekly_result(post_id, state="skipped")
                await self._pause(post.guild_id, error.reason)
                return
            if first:
                await self._interested(channel.guild, post)
            await self._show_closed(channel, post)
            await self._announce(channel, post, now, look_first=not first)

    async def _show_closed(self, channel: discord.TextChannel, post: WeeklyPost) -> None:
        if post.message_id is None:
            return
        message, view = await self._post_message(post, channel, closed=True)
        try:
            async with self.bot.in_order(f"weekly post {post.id}"):  # after any count edit
                await channel.get_partial_message(post.message_id).edit(
                    view=view, **edit_kwargs(message)
                )
        except discord.HTTPException as error:
            log.info("Could not show the vote of guild %s as closed: %s", post.guild_id, error)

    async def _announce(
        self, channel: discord.TextChannel, post: WeeklyPost, now: datetime, *, look_first: bool
    ) -> None:
        store = self.core.store
        nonce = weekly_plan.nonce_for(post.guild_id, post.week, "result")
        locale = locale_of(channel.guild)
        if look_first:
            found = await self._find_own(channel, post, nonce, result=True)
            if found is not None:
                await store.record_weekly_result(post.id, state="posted", message_id=found.id)
                return
        if weekly_plan.announce_too_late(now, post):
            await store.record_weekly_result(post.id, state="skipped")
            log.warning(
                "Closed the vote of guild %s for %s without announcing it: %s late",
                post.guild_id,
                post.week,
                now - post.night_at,
            )
            return
        message = await weekly.result_message(self.core, post, locale)
        try:
            sent = await channel.send(nonce=nonce, **message_kwargs(message))
        except (discord.Forbidden, discord.NotFound) as error:
            await store.record_weekly_result(post.id, state="skipped")
            await self._pause(post.guild_id, _refusal(channel, error))
            return
        await store.record_weekly_result(post.id, state="posted", message_id=sent.id)
        winner = post.winner
        await self._event(channel, post, winner.title if winner else None)

    # --- reminders -------------------------------------------------------------------------------

    async def _send_reminder(
        self, post: WeeklyPost, reminder: Reminder, message: Message, channel: discord.TextChannel
    ) -> None:
        """Send a reminder once: recorded after it went out; a retry after a crash in between
        carries the same nonce, so Discord returns the first message instead of a second."""
        nonce = weekly_plan.nonce_for(post.guild_id, post.week, reminder)
        try:
            await channel.send(nonce=nonce, **message_kwargs(message))
        except (discord.Forbidden, discord.NotFound) as error:
            await self.core.store.record_reminder(post.id, reminder, "skipped")
            await self._pause(post.guild_id, _refusal(channel, error))
            return
        await self.core.store.record_reminder(post.id, reminder, "posted")

    async def _reminder_channel(
        self, post: WeeklyPost, reminder: Reminder
    ) -> discord.TextChannel | None:
        """The post's channel; when it cannot be used, the reminder is skipped and it pauses."""
        try:
            return await self._channel(post.guild_id, post.channel_id)
        except ChannelUnusable as error:
            await self.core.store.record_reminder(post.id, reminder, "skipped")
            await self._pause(post.guild_id, error.reason)
            return None

    async def _remind(self, post: WeeklyPost, schedule: WeeklySchedule) -> None:
        """Post "starting soon", pinging whom the server chose."""
        channel = await self._reminder_channel(post, "soon")
        if channel is None:
            return
        interested = await self._interested(channel.guild, post)
        locale = locale_of(channel.guild)
        message = weekly.starting_soon(post, schedule, interested or [], locale)
        await self._send_reminder(post, "soon", message, channel)

    async def _interested(self, guild: discord.Guild, post: WeeklyPost) -> list[int] | None:
        """The members who marked the night's event Interested, kept with the post for the
        history; None when that cannot be known (no event, or Discord would not say)."""
        if post.event_id is None or not guild.me.guild_permissions.manage_events:
            return None
        try:
            event = await guild.fetch_scheduled_event(post.event_id)
            interested = [user.id async for user in event.users() if not user.bot]
        except discord.HTTPException as error:
            log.warning("Could not read who is interested in guild %s: %s", guild.id, error)
            return None
        await self.core.store.set_interested(post.id, len(interested))
        return interested

    async def _warn_closing(self, post: WeeklyPost) -> None:
        channel = await self._reminder_channel(post, "closing")
        if channel is not None:
            message = wcards.closing_soon(post, i18n.texts(locale_of(channel.guild)))
            await self._send_reminder(post, "closing", message, channel)

    # --- scheduled events ------------------------------------------------------------------------

    async def _event(
        self, channel: discord.TextChannel, post: WeeklyPost, title: str | None
    ) -> None:
        """Create or update the Discord scheduled event for the night, if allowed; else nothing."""
        guild = channel.guild
        me = self.bot.user
        if me is None or not guild.me.guild_permissions.manage_events:
            return
        t = i18n.texts(locale_of(guild))
        name = wcards.event_name(title, t)
        description = wcards.event_description(post, channel.name, t)
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
