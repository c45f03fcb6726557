"""The Discord client: the bot class, its one error path, command sync, and ``run_bot``."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import signal
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot import i18n, logs
from bot.core import Caller, Core
from bot.discord_send import answer_failure
from bot.discord_translator import CatalogTranslator
from bot.errors import NotAModerator, NotInServer, UserFacingError
from bot.i18n import N_
from bot.keyed_locks import KeyedLocks
from bot.settings import Settings
from bot.shards import IDENTIFY_SPACING_SECONDS, ShardPlan, wait_for_turn
from bot.store import SHARED

log = logging.getLogger(__name__)

CommandT = TypeVar("CommandT", bound=Callable[..., Any])

EXTENSIONS = (
    "cogs.members",
    "cogs.moderation",
    "cogs.config",
    "cogs.weekly",
    "cogs.club",
)
"""Every extension the bot loads, in order (each module ends with ``async def setup``)."""


class NotModeratorCheck(app_commands.CheckFailure):
    """The moderator check refused: told apart from every other check that can fail."""


class MemberLimit:
    """How often a member may search and read lists in a server: one budget, per member.

    A search or list command spends a use; a title autocomplete spends a twentieth of one (one
    comes with almost every keystroke, and each costs the bot work too), so typing a title
    leaves the searches nearly whole. Over the limit, commands are refused with the time to
    wait and autocomplete suggests nothing until the window has passed. The buckets are
    discord.py's cooldowns, timed by each interaction's own timestamp.
    """

    KEYSTROKES = 20
    """Autocomplete answers a use of a command is worth."""

    def __init__(self, uses: int, seconds: float) -> None:
        self._rate = uses * self.KEYSTROKES
        self._seconds = seconds
        self._buckets: dict[tuple[int | None, int], app_commands.Cooldown] = {}
        self._next_sweep = 0.0

    def _spend(
        self, interaction: discord.Interaction, tokens: int
    ) -> tuple[app_commands.Cooldown, float | None]:
        """The member's bucket, and the seconds to wait if ``tokens`` were too many."""
        now = interaction.created_at.timestamp()
        if now >= self._next_sweep:  # once a window, so a busy bot pays no scan per request
            self._next_sweep = now + self._seconds
            for key in [k for k, b in self._buckets.items() if b.get_tokens(now) == b.rate]:
                del self._buckets[key]  # a full bucket is as good as a new one: forget it
        fresh = app_commands.Cooldown(self._rate, self._seconds)
        bucket = self._buckets.setdefault((interaction.guild_id, interaction.user.id), fresh)
        return bucket, bucket.update_rate_limit(now, tokens=tokens)

    def check(self, interaction: discord.Interaction) -> None:
        """Spend a use of a command, or raise the cooldown error the tree answers."""
        bucket, retry_after = self._spend(interaction, self.KEYSTROKES)
        if retry_after is not None:
            raise app_commands.CommandOnCooldown(bucket, retry_after)

    def allows_suggestions(self, interaction: discord.Interaction) -> bool:
        """Spend an autocomplete's share; False (suggest nothing) when over the limit."""
        return self._spend(interaction, 1)[1] is None


class MovieNightTree(app_commands.CommandTree):
    """Routes every failure to one place: a clear private answer, and a log line when unexpected."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        cause: BaseException = (
            error.original if isinstance(error, app_commands.CommandInvokeError) else error
        )
        t = i18n.texts(interaction.locale.value)
        if isinstance(cause, app_commands.CommandOnCooldown):
            seconds = round(cause.retry_after)
            wait = t.ngettext(
                "Slow down a little: try that again in {count} second.",
                "Slow down a little: try that again in {count} seconds.",
                seconds,
            )
            cause = UserFacingError(wait.format(count=t.number(seconds)))
        elif isinstance(cause, app_commands.NoPrivateMessage):
            cause = NotInServer(t)
        elif isinstance(cause, NotModeratorCheck):
            cause = NotAModerator(t)
        elif isinstance(cause, app_commands.BotMissingPermissions):
            missing = ", ".join(cause.missing_permissions)
            cause = UserFacingError(
                N_("I need these permissions here first: {permissions}"), permissions=missing
            )
        elif isinstance(cause, app_commands.CheckFailure):
            cause = UserFacingError(t.gettext("You can't use this command here."))
        command = getattr(error, "command", None) or interaction.command
        name = command.qualified_name if command else "?"
        options = interaction.data.get("options") if interaction.data else None
        await answer_failure(interaction, cause, f"Command /{name} (options {options})")


class MovieNightBot(commands.AutoShardedBot):
    """The bot: holds the core, loads every cog, and syncs commands only when they changed."""

    def __init__(self, core: Core, settings: Settings) -> None:
        intents = discord.Intents.none()
        intents.guilds = True  # channels and roles, for permission checks; nothing privileged
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            tree_cls=MovieNightTree,
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            **shard_options(settings.shards),
        )
        self.core = core
        self.settings = settings
        self.member_limit = MemberLimit(
            settings.search_cooldown_uses, settings.search_cooldown_seconds
        )
        self.sync_at_start = True
        self.in_order = KeyedLocks()
        """Answers to one message's clicks go out one at a time, in the order they came."""
        self._background: set[asyncio.Task[None]] = set()
        self._identify_buckets = 1

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` after an answer (film data that comes late); cancelled at close."""
        task = asyncio.create_task(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def close(self) -> None:
        for task in list(self._background):
            task.cancel()
        await super().close()

    async def setup_hook(self) -> None:
        await self.tree.set_translator(CatalogTranslator())
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        plan = self.settings.shards
        log.info("Holding %s", plan.describe())
        if plan.ids is not None:
            limits = await self.fetch_session_start_limits()
            self._identify_buckets = limits.max_concurrency
        if self.sync_at_start and plan.holds_shard_zero:
            await self.sync_commands()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Wait for this shard's turn to IDENTIFY, paced across every process of the bot.

        Discord allows one IDENTIFY per bucket (``shard_id % max_concurrency``) per 5 s, counted
        over all processes; discord.py paces only its own. A process that holds some shards of
        several reserves its turn in the shared database and waits for it on the core's clock.
        """
        if self.settings.shards.ids is None:
            await super().before_identify_hook(shard_id, initial=initial)
            return
        bucket = (shard_id or 0) % self._identify_buckets
        spacing = timedelta(seconds=IDENTIFY_SPACING_SECONDS)
        turn = await self.core.store.identify_slot(bucket, spacing)
        await wait_for_turn(self.core.clock, turn)

    def _target(self) -> discord.Object | None:
        return discord.Object(self.settings.dev_guild) if self.settings.dev_guild else None

    async def command_hash(self) -> str:
        """A fingerprint of every command definition, localisations included, to skip syncs
        that would change nothing."""
        guild = self._target()
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        translator = self.tree.translator
        definitions = [
            await command.get_translated_payload(self.tree, translator)
            if translator
            else command.to_dict(self.tree)
            for command in self.tree.get_commands(guild=guild, type=None)
        ]
        text = json.dumps(sorted(definitions, key=lambda d: d["name"]), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    async def sync_commands(self, *, force: bool = False) -> bool:
        """Sync the command tree with Discord if the definitions changed (or when forced)."""
        guild = self._target()
        key = f"command_hash:{guild.id if guild else 'global'}"
        digest = await self.command_hash()
        if not force and await self.core.store.get_meta(key) == digest:
            log.info("Commands unchanged since the last sync; not syncing")
            return False
        synced = await self.tree.sync(guild=guild)
        await self.core.store.set_meta(key, digest)
        log.info("Synced %d commands to %s", len(synced), f"guild {guild.id}" if guild else "all")
        return True

    async def on_ready(self) -> None:
        log.info("Logged in as %s in %d servers", self.user, len(self.guilds))


def shard_options(plan: ShardPlan) -> dict[str, Any]:
    """discord.py's options for the shards a process holds (none: all, as Discord advises)."""
    options: dict[str, Any] = {}
    if plan.count is not None:
        options["shard_count"] = plan.count
    if plan.ids is not None:
        options["shard_ids"] = list(plan.ids)
    return options


async def caller_of(
    interaction: discord.Interaction[MovieNightBot], *, anywhere: bool = False
) -> Caller:
    """The core's view of who is asking: server, member, and whether they moderate here.

    A server command outside a server that added the bot is refused; with ``anywhere`` (the
    commands a member can use from their own account) the caller there has the shared catalog.
    """
    guild_id, locale = interaction.guild_id, interaction.locale.value
    server = interaction.guild_locale.value if interaction.guild_locale else None
    if guild_id is None or not interaction.is_guild_integration():
        if not anywhere:
            raise NotInServer(i18n.texts(locale))
        return Caller(SHARED, interaction.user.id, locale=locale, guild_locale=server)
    moderator = await is_moderator(interaction)
    return Caller(guild_id, interaction.user.id, moderator, locale, server)


async def is_moderator(interaction: discord.Interaction[MovieNightBot]) -> bool:
    """Manage Server, or the role the server set with /config modrole; checked by the bot itself."""
    member = interaction.user
    if interaction.guild_id is None or not isinstance(member, discord.Member):
        return False
    if interaction.permissions.manage_guild:
        return True
    role_id = await interaction.client.core.store.mod_role(interaction.guild_id)
    return role_id is not None and any(role.id == role_id for role in member.roles)


def moderator_only() -> Callable[[CommandT], CommandT]:
    """Both guards at once: hidden from members by Discord, and refused again by the bot."""

    async def predicate(interaction: discord.Interaction[MovieNightBot]) -> bool:
        if not await is_moderator(interaction):
            raise NotModeratorCheck()
        return True

    def decorate(func: CommandT) -> CommandT:
        func = app_commands.check(predicate)(func)
        func = app_commands.default_permissions(manage_guild=True)(func)
        return app_commands.guild_only()(func)

    return decorate


async def run_bot(settings: Settings, *, sync_only: bool = False) -> None:
    """Log in and run until stopped (or, with ``sync_only``, sync commands and leave)."""
    discord.utils.setup_logging(level=logging.getLevelName(settings.log_level), root=True)
    logs.keep_data_out()
    core = await Core.open(settings)
    try:
        async with MovieNightBot(core, settings) as bot:
            if sync_only:
                bot.sync_at_start = False
                await bot.login(settings.discord_token.reveal())
                await bot.sync_commands(force=True)
                return
            stop_on_sigterm(bot)
            await bot.start(settings.discord_token.reveal())
    finally:
        await core.close()


def stop_on_sigterm(bot: MovieNightBot) -> None:
    """``docker stop``, ``systemctl stop`` and ``kill`` send SIGTERM: the bot closes its
    connections and the database as on Ctrl+C, instead of ending mid-write (POSIX only)."""
    closing: set[asyncio.Task[None]] = set()  # held, so the task is not collected

    def close() -> None:
        closing.add(asyncio.create_task(bot.close()))

    with contextlib.suppress(NotImplementedError):  # Windows has no signal handlers in asyncio
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, close)
