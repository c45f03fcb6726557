"""The weekly movie night on Discord: posting on time and only once, votes, results, events.

:class:`WeeklyPoster` is what ``cogs/weekly.py`` calls. Each minute :meth:`WeeklyPoster.tick` asks
the core what is due at ``core.clock()`` and does it. A post is claimed in the store before it is
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
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import discord

from bot import cards, weekly
from bot.core import Caller
from bot.discord_bot import MovieNightBot
from bot.discord_send import (
    StatelessButton,
    answering,
    edit_kwargs,
    message_kwargs,
    persistent_view,
    reply,
    reply_text,
)
from bot.errors import UserFacingError
from bot.message import Message
from bot.schedule import Occurrence, Weekday, latest_due, next_night
from bot.store import StoredReview
from bot.store.weekly import Mode, WeeklyPost, WeeklySchedule
from bot.text import clean

log = logging.getLogger(__name__)

COG_NAME = "Weekly"
"""The name of the cog that holds the running :class:`WeeklyPoster` as ``poster``."""

NEEDED = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "read_message_history": "Read Message History",  # to look for its own post after a crash
}
HISTORY_LIMIT = 50
EVENT_LENGTH = timedelta(hours=3)
VOTE_TEMPLATE = re.compile(rf"{weekly.VOTE_PREFIX}:(?P<post>[0-9]+):(?P<slot>[0-9]+)")


class ChannelUnusable(Exception):
    """The schedule's channel cannot be posted in until a moderator fixes something."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def missing_in(channel: discord.TextChannel) -> list[str]:
    """The permissions the bot needs in ``channel`` and lacks, by their names in Discord."""
    permissions = channel.permissions_for(channel.guild.me)
    return [name for flag, name in NEEDED.items() if not getattr(permissions, flag)]


def post_link(post: WeeklyPost) -> str:
    return f"https://discord.com/channels/{post.guild_id}/{post.channel_id}/{post.message_id}"


def _refusal(channel: discord.TextChannel, error: discord.HTTPException) -> str:
    """Why Discord refused a message in ``channel``, as the pause reason."""
    if isinstance(error, discord.NotFound):
        return weekly.channel_gone(channel.id)
    if missing := missing_in(channel):
        return weekly.missing_permissions(channel.id, missing)
    return weekly.refused(channel.id)


def poster_of(bot: MovieNightBot) -> WeeklyPoster:
    """The running poster, held by the loaded weekly cog."""
    cog = bot.get_cog(COG_NAME)
    poster = getattr(cog, "poster", None)
    if not isinstance(poster, WeeklyPoster):
        raise RuntimeError("the weekly cog is not loaded")
    return poster


class VoteButton(StatelessButton, template=VOTE_TEMPLATE):
    """One candidate's vote button; rebuilt from its custom id after a restart."""

    post_id: int
    slot: int

    def read(self, match: re.Match[str]) -> None:
        self.post_id, self.slot = int(match["post"]), int(match["slot"])

    async def callback(  # type: ignore[override]  # only ever called with this bot's interactions
        self, interaction: discord.Interaction[MovieNightBot]
    ) -> None:
        async with answering(interaction, f"Vote {self.custom_id}"):
            await poster_of(interaction.client).vote(interaction, self.post_id, self.slot)


class WeeklyPoster:
    """Every server's weekly schedule acted out on Discord, one server at a time."""

    def __init__(self, bot: MovieNightBot) -> None:
        self.bot = bot
        self.core = bot.core
        self.rng = random.Random()
        self._guild_locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._vote_locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._counting: dict[int, bool] = {}  # posts whose counts are being edited: again?
        self._tasks: set[asyncio.Task[None]] = set()

    # --- the /weekly commands --------------------------------------------------------------------

    async def set_schedule(
        self,
        caller: Caller,
        channel_id: int,
        *,
        weekday: Weekday,
        at: time,
        zone: ZoneInfo,
        themes: str | None,
        mode: Mode,
        lead_hours: int,
    ) -> Message:
        """Save a server's schedule once its channel is usable; the answer says what comes next."""
        store = self.core.store
        notes = []
        if themes and not (await self.core.pickif.search(caller.guild_id, themes)).matches:
            notes.append(weekly.THEMES_UNMATCHED)
        try:
            await self._channel(caller.guild_id, channel_id)
        except ChannelUnusable as error:
            raise UserFacingError(f"I cannot post there: {error.reason}") from error
        now = self.core.clock()
        schedule = WeeklySchedule(
            guild_id=caller.guild_id,
            channel_id=channel_id,
            weekday=int(weekday),
            at=at,
            zone=zone.key,
            lead_hours=lead_hours,
            mode=mode,
            themes=clean(themes).strip() if themes else None,
            since=now,
            set_by=caller.user_id,
        )
        await store.set_weekly_schedule(schedule)
        due = latest_due(weekly.spec_of(schedule), now)
        if now < due.night and await store.weekly_post_for(caller.guild_id, due.week) is None:
            notes.append(weekly.MISSED_THIS_WEEK)
        return weekly.schedule_saved(schedule, now, notes)

    async def show(self, caller: Caller) -> Message:
        """The schedule card (which also says whether it is paused)."""
        schedule = await self.core.store.weekly_schedule(caller.guild_id)
        if schedule is None:
            return cards.notice(weekly.NO_SCHEDULE)
        await self.core.store.take_pause_notice(caller.guild_id)  # the card says it
        return weekly.schedule_card(schedule, self.core.clock())

    async def turn_off(self, caller: Caller) -> Message:
        if await self.core.store.remove_weekly_schedule(caller.guild_id):
            return cards.notice(weekly.TURNED_OFF)
        return cards.notice(weekly.NO_SCHEDULE)

    async def ready_to_post(self, caller: Caller) -> WeeklySchedule | Message:
        """The schedule to post for right away, or why there is none (no schedule, or paused)."""
        schedule = await self.core.store.weekly_schedule(caller.guild_id)
        if schedule is None:
            return cards.notice(weekly.NO_SCHEDULE)
        if schedule.paused_reason is not None:
            await self.core.store.take_pause_notice(caller.guild_id)
            return cards.notice(weekly.pause_line(schedule.paused_reason))
        return schedule

    async def post_now(self, schedule: WeeklySchedule) -> Message:
        """Post the coming movie night's pick or vote now, unless it is already out."""
        now = self.core.clock()
        coming = next_night(weekly.spec_of(schedule), now)
        try:
            post, made = await self._post_week(schedule, coming, due_at=now)
        except ChannelUnusable as error:
            await self._pause(schedule.guild_id, error.reason)
            await self.core.store.take_pause_notice(schedule.guild_id)
            raise UserFacingError(weekly.pause_line(error.reason)) from error
        return weekly.posted_now(post, post_link(post), made=made)

    async def mention_pause(self, interaction: discord.Interaction) -> None:
        """Say once, after a moderator's command, that this server's schedule is paused."""
        if interaction.guild_id is None:
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

    # --- the scheduler ---------------------------------------------------------------------------

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
        return message, persistent_view(message, VoteButton)

    async def _send_post(self, channel: discord.TextChannel, post: WeeklyPost) -> WeeklyPost:
        """Send a claimed post and record it; a refusal drops the claim and pauses."""
        message, view = await self._post_message(post)
        try:
            sent = await channel.send(
                nonce=weekly.nonce_for(post.guild_id, post.week, "post"),
                **message_kwargs(message, view),
            )
        except (discord.Forbidden, discord.NotFound) as error:
            await self.core.store.drop_weekly_intent(post.id)
            raise ChannelUnusable(_refusal(channel, error)) from error
        await self.core.store.record_weekly_posted(post.id, sent.id)
        log.info("Posted the weekly %s of guild %s for %s", post.kind, post.guild_id, post.week)
        await self._event(channel, post, post.candidates[0].title if post.kind == "pick" else None)
        return await self._fresh(post.id)

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
        """A vote button was clicked: record the ballot, tell the member, update the counts.

        Only the ballot is written under the post's lock; the member's answer goes out at once
        after it, and the counts on the post are edited by :meth:`_show_counts`, which folds
        the clicks of a busy minute into a few edits that always end on the stored ballots.
        """
        store = self.core.store
        post = await store.weekly_post(post_id)
        chosen = None
        if post is not None and post.kind == "vote" and post.guild_id == interaction.guild_id:
            chosen = post.candidate(slot)
        if chosen is None:
            await reply_text(interaction, weekly.VOTE_GONE)
            return
        async with self._vote_locks[post_id]:
            post = await self._fresh(post_id)
            closed = post.winner_slot is not None or self.core.clock() >= post.night_at
            before = None if closed else await store.cast_vote(post_id, interaction.user.id, slot)
        if closed:
            await reply_text(interaction, weekly.VOTE_CLOSED)
            return
        previous = post.candidate(before) if before is not None else None
        await reply(interaction, weekly.vote_receipt(chosen, previous))
        if before != slot:
            self._show_counts(post_id)

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
                    message, view = await self._post_message(post)
                    channel = await self._channel(post.guild_id, post.channel_id)
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
            await self._pause(post.guild_id, _refusal(channel, error))
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
