"""The stand-in: Discord's REST API and gateway on 127.0.0.1, and the test-facing controls."""

from __future__ import annotations

import asyncio
import copy
import random
import secrets
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Self, TypeVar

from aiohttp import web

from tests.standin import rest
from tests.standin.gateway import Gateway, NoSession, Session
from tests.standin.guild import BOT_KEY, Guild, GuildSpec, user_payload
from tests.standin.holds import HeldSend
from tests.standin.interactions import (
    APPLICATION_COMMAND,
    ATTACHMENT,
    AUTOCOMPLETE,
    CHANNEL,
    CHAT_INPUT,
    COMPONENT,
    MENTIONABLE,
    MESSAGE_MENU,
    MODAL_SUBMIT,
    ROLE,
    USER_INSTALL,
    InteractionRecord,
    InteractionResult,
    command_options,
    find_command_path,
    modal_submission,
)
from tests.standin.messages import StoredMessage, new_message
from tests.standin.recording import API_PREFIX, Fault, RecordedRequest, Violation, make_fault
from tests.standin.snowflakes import Clock, Snowflakes, timestamp

DM = 1
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
T = TypeVar("T")


class DiscordStandIn:
    """A local Discord for end-to-end tests; see the package docstring for a tour.

    ``latency`` (seconds, settable at any time) is Discord's round trip for the bot's requests:
    every REST request (and attachment download) waits that long after it arrives before it
    takes effect and is answered; ``jitter`` adds up to that many seconds more, drawn from a
    random generator seeded with ``seed``. The gateway is not delayed. ``response_deadline``
    is measured from sending an interaction to the *arrival* of its callback, before the delay,
    so the stand-in's own delay never makes a callback late.

    ``shard_count`` and ``max_concurrency`` are what ``GET /gateway/bot`` tells the bot; the
    gateway holds one session per shard and routes each server's dispatches and interactions
    to its shard (see :mod:`tests.standin.gateway`). ``GuildSpec(shard=n)`` puts a server on
    shard ``n``.
    """

    def __init__(
        self,
        guild: GuildSpec | None = None,
        *,
        guilds: Sequence[GuildSpec] | None = None,
        bot_name: str = "movienight",
        token: str = "standin-token",
        response_deadline: float = 3.0,
        interaction_timeout: float = 5.0,
        heartbeat_interval: float = 41.25,
        latency: float = 0.0,
        jitter: float = 0.0,
        seed: int = 0,
        shard_count: int = 1,
        max_concurrency: int = 1,
        clock: Clock,
    ) -> None:
        if shard_count < 1 or max_concurrency < 1:
            raise ValueError("shard_count and max_concurrency are at least 1")
        self.token = token
        self.clock = clock
        self.response_deadline = response_deadline
        self.interaction_timeout = interaction_timeout
        self.latency = latency
        self.jitter = jitter
        self._jitter_rng = random.Random(seed)
        self.new_id = Snowflakes(clock)
        self.application_id = self.new_id()
        self.bot_user = user_payload(self.application_id, bot_name, bot=True)
        self.users: dict[str, dict[str, Any]] = {BOT_KEY: self.bot_user}
        specs = list(guilds) if guilds else [guild or GuildSpec()]
        joined = timestamp(clock)
        self.shard_count = shard_count
        self.max_concurrency = max_concurrency
        self.guilds = [
            Guild(spec, self._guild_id(spec), self.new_id, self.users, self.bot_user, joined)
            for spec in specs
        ]
        self.guild = self.guilds[0]
        self.developer = user_payload(self.new_id(), "developer")

        self.requests: list[RecordedRequest] = []
        self.violations: list[Violation] = []
        self.faults: list[Fault] = []
        self.commands_synced = 0
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.messages: dict[int, StoredMessage] = {}
        self.channel_log: dict[int, list[int]] = {}
        self.nonces: dict[tuple[int, str], tuple[int, datetime]] = {}
        """(channel, nonce) -> the message first sent with it and when (``enforce_nonce``)."""
        self.scheduled_events: dict[int, dict[str, Any]] = {}
        self.interested: dict[int, list[int]] = {}  # event id -> user ids, in the order marked
        self.attachments: dict[int, tuple[dict[str, Any], bytes]] = {}
        self.dm_channels: dict[int, dict[str, Any]] = {}
        self.interactions: dict[str, InteractionRecord] = {}
        self.undelivered: list[InteractionRecord] = []
        """Interactions for a shard no bot had identified: Discord could not deliver them."""
        self.holds: list[HeldSend] = []

        self.gateway = Gateway(
            token=lambda: self.token,
            ready_payload=self._ready_payload,
            guilds=self.guilds,
            violation=self.violations.append,
            heartbeat_interval_ms=int(heartbeat_interval * 1000),
            clock=clock,
            shard_count=shard_count,
            max_concurrency=max_concurrency,
        )
        self._changed = asyncio.Condition()
        self._bot_tasks: set[asyncio.Task[Any]] = set()
        self._resumes_before_drop: dict[int, int] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0

    # running

    async def start(self) -> None:
        """Serve on 127.0.0.1 on a free port."""
        app = web.Application(middlewares=[rest.middleware(self)], client_max_size=64 * 1024**2)
        rest.RestApi(self).add_routes(app.router)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/gateway/resume", self.gateway.handle)
        app.router.add_get("/attachments/{attachment_id}/{filename}", self._serve_attachment)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """What ``discord.http.Route.BASE`` must be set to."""
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def watch(self, task: asyncio.Task[Any]) -> None:
        """Tie waits to a bot's task, so they fail at once if it stops (run_bot does it)."""
        self._bot_tasks.add(task)
        task.add_done_callback(lambda _: asyncio.ensure_future(self.notify()))

    def unwatch(self, task: asyncio.Task[Any]) -> None:
        """Stop tying waits to a bot's task (before it is stopped on purpose)."""
        self._bot_tasks.discard(task)

    def _guild_id(self, spec: GuildSpec) -> int:
        if spec.shard is None:
            return self.new_id()
        return self.new_id.on_shard(spec.shard, self.shard_count)

    # lookups

    def user_id(self, key: str) -> int:
        """The id of the user ``key`` ("mod", "ana", …, or "bot")."""
        try:
            return int(self.users[key]["id"])
        except KeyError:
            raise KeyError(f"no user {key!r}; users: {list(self.users)}") from None

    def channel_id(self, name: str, guild: Guild | None = None) -> int:
        return (guild or self.guild).channel_id(name)

    def role_id(self, name: str, guild: Guild | None = None) -> int:
        return (guild or self.guild).role_id(name)

    def guild_of_channel(self, channel_id: int) -> Guild | None:
        return next((g for g in self.guilds if channel_id in g.channels), None)

    def channel_payload(self, channel_id: int) -> dict[str, Any] | None:
        guild = self.guild_of_channel(channel_id)
        if guild is not None:
            return guild.channel_payload(channel_id)
        return self.dm_channels.get(channel_id)

    def message(self, message_id: int) -> StoredMessage:
        return self.messages[message_id]

    def channel_messages(self, channel: str | int | None = None) -> list[StoredMessage]:
        """Messages anyone can see in the channel (not ephemeral, not deleted), oldest first."""
        channel_id = self._channel_id(channel)
        found = (self.messages[i] for i in self.channel_log.get(channel_id, []))
        return [m for m in found if not m.deleted and not m.ephemeral]

    def commands(self, guild: Guild | None = None) -> list[dict[str, Any]]:
        """The registered global commands, or a guild's commands."""
        if guild is None:
            return self.global_commands
        return self.guild_commands.get(guild.id, [])

    @property
    def message_requests(self) -> list[RecordedRequest]:
        """Every request that created or edited a message (with its ``allowed_mentions``)."""
        return [r for r in self.requests if r.message is not None]

    @property
    def allowed_mentions(self) -> list[dict[str, Any] | None]:
        """The ``allowed_mentions`` of every message-sending request, in order."""
        return [r.allowed_mentions for r in self.message_requests]

    def mark_interested(
        self, event_id: int | str, *members: str, guild: Guild | None = None
    ) -> None:
        """Members mark a scheduled event *Interested* (as in Discord's client)."""
        event = self.scheduled_events[int(event_id)]
        marked = self.interested.setdefault(int(event_id), [])
        for member in members:
            user_id = (guild or self.guild).member_id(member)
            if user_id not in marked:
                marked.append(user_id)
        event["user_count"] = len(marked)

    def events(self, guild: Guild | None = None) -> list[dict[str, Any]]:
        """The guild's scheduled events."""
        guild_id = str((guild or self.guild).id)
        return [e for e in self.scheduled_events.values() if e["guild_id"] == guild_id]

    # test controls

    def fail(
        self,
        method: str,
        path: str,
        status: int,
        *,
        code: int | None = None,
        message: str | None = None,
        times: int | None = 1,
    ) -> Fault:
        """Make matching requests fail with ``status`` (``times=None``: until cleared).

        ``path`` is a template like ``/channels/{channel_id}/messages`` (``*`` is one path
        segment, ``**`` any rest). Mind discord.py's retries: its HTTP client retries 500, 502
        and 504 (sleeping 1 s, then 3, 5, …) but raises 503 at once; the webhook adapter
        (interaction callbacks, followups, response edits) retries every 5xx. A 4xx is never
        retried, so prefer those, or a 5xx with ``times=1`` for one the bot rides out.
        """
        fault = make_fault(method, path, status, code, message, times)
        self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        self.faults.clear()

    def answer_delay(self) -> float:
        """The delay for the next request: ``latency`` plus a seeded draw of up to ``jitter``."""
        extra = self._jitter_rng.uniform(0, self.jitter) if self.jitter > 0 else 0.0
        return self.latency + extra

    def add_attachment(
        self, filename: str, data: bytes, content_type: str = "application/octet-stream"
    ) -> dict[str, Any]:
        """Host a file a member uploads; pass the result as an attachment option's value."""
        return self.store_attachment(filename, data, content_type)

    async def dispatch(self, event: str, data: dict[str, Any], *, shard: int | None = None) -> None:
        """Send any gateway dispatch to the bot: to ``shard``, or to the shard of the server
        named by ``data["guild_id"]`` (shard 0 without one)."""
        await self.gateway.dispatch(event, data, shard)

    async def drop_gateway(self, code: int = 4000, *, shard: int = 0) -> None:
        """Close a shard's gateway socket (resumable); the bot reconnects and resumes."""
        session = self.gateway.sessions.get(shard)
        self._resumes_before_drop[shard] = session.resumes if session is not None else 0
        await self.gateway.drop(code, shard=shard)

    async def wait_resumed(self, timeout: float = 5.0, *, shard: int = 0) -> None:
        """Wait until the bot has resumed the shard after the last :meth:`drop_gateway` of it."""
        wanted = self._resumes_before_drop.get(shard, 0) + 1
        try:
            await self.gateway.wait_resumed(wanted, timeout, shard=shard)
        except TimeoutError:
            raise AssertionError(
                f"the bot did not resume shard {shard} within {timeout} s"
            ) from None

    def hold_next_send(self, channel: str | int) -> HeldSend:
        """Hold the bot's next message send (``POST /channels/{id}/messages``) to ``channel``
        when it reaches the stand-in, until the test calls ``release()`` or ``drop()``."""
        held = HeldSend(self, self._channel_id(channel))
        self.holds.append(held)
        return held

    async def cut_off(self, client: str, timeout: float = 5.0) -> None:
        """A client died as ``kill -9`` ends a process (``kill_bot`` calls this once it has
        closed the client's connections): its held sends are dropped, never carried out, and
        this returns once every gateway socket it held is seen closed."""
        for held in self.holds:
            if held.pending and held.request is not None and held.request.client == client:
                held.drop()
        await self.gateway.wait_disconnected(client, timeout)

    def take_violations(self) -> list[Violation]:
        """Return the violations so far and forget them (for tests that provoke one on purpose)."""
        taken, self.violations[:] = list(self.violations), []
        return taken

    def assert_clean(self) -> None:
        """Fail if the bot sent anything Discord would refuse or called an unknown endpoint."""
        if self.violations:
            listing = "\n".join(f"  - {v}" for v in self.violations)
            raise AssertionError(
                f"the bot broke Discord's rules {len(self.violations)} times:\n{listing}"
            )

    # interactions

    async def invoke(
        self,
        command: str | Sequence[str],
        options: Mapping[str, Any] | None = None,
        *,
        user: str | int | None = None,
        channel: str | int | None = None,
        guild: Guild | None = None,
        dm: bool = False,
        user_install: bool = False,
        locale: str = "en-US",
        ignore_default_permissions: bool = False,
        wait: str = "answer",
        timeout: float | None = None,
    ) -> InteractionResult:
        """Run a slash command as a member would; return once the bot has answered.

        ``command`` is the command as typed, subcommands included (``"config modrole"``).
        ``options`` maps option names to values: text, numbers and booleans as such; a member
        key or user id for user options; a channel name or id; a role name or id; the result of
        :meth:`add_attachment`. ``user_install`` (with ``dm``) plays the app installed on the
        member's own account: refused unless the command allows user installs.
        ``wait="answer"`` waits for the callback and, for a deferral, for the edit or followup
        that follows; ``wait="callback"`` only for the callback.
        A member without the command's ``default_member_permissions`` cannot see it (Discord
        hides it) unless ``ignore_default_permissions`` plays a server admin's override.
        """
        path = command.split() if isinstance(command, str) else list(command)
        scope = None if dm else (guild or self.guild)
        definition, guild_id = self._registered(path[0], scope)
        leaf, wrap = find_command_path(definition, path)
        member = self._member_key(user, scope)
        self._check_visible(definition, member, scope, channel, dm, ignore_default_permissions)
        if user_install and USER_INSTALL not in definition.get("integration_types", [0]):
            raise PermissionError(f"/{path[0]} cannot be installed on a member's own account")
        resolve = self._resolver(scope, member, channel)
        values, resolved = command_options(leaf, options or {}, resolve)
        data: dict[str, Any] = {"id": definition["id"], "name": path[0], "type": 1}
        data["options"] = wrap(values)
        if resolved:
            data["resolved"] = resolved
        if guild_id is not None:
            data["guild_id"] = str(guild_id)
        record = self._interaction(
            APPLICATION_COMMAND, data, f"/{' '.join(path)}", member, scope, channel, dm, locale
        )
        if user_install:
            record.payload["authorizing_integration_owners"] = {
                str(USER_INSTALL): str(self.users[member]["id"])
            }
        return await self._deliver(record, wait, timeout)

    def say(self, content: str, *, user: str = "ana", channel: str | int | None = None) -> int:
        """A member's message in a channel of the server (the bot is not told); its id."""
        channel_id = self._channel_id(channel)
        data = new_message(
            self.new_id(),
            channel_id,
            self.guild.id,
            self.users[user],
            {"content": content},
            [],
            timestamp(self.clock),
        )
        return self.add_message(data, None).id

    async def message_menu(
        self, name: str, message_id: int, *, user: str | int | None = None
    ) -> InteractionResult:
        """A message context menu (an app command of type 3) used on a message of the server,
        which the interaction carries in ``resolved.messages``, content included."""
        definition, guild_id = self._registered(name, self.guild, MESSAGE_MENU)
        member = self._member_key(user, self.guild)
        target = self.message(message_id)
        data: dict[str, Any] = {
            "id": definition["id"],
            "name": name,
            "type": MESSAGE_MENU,
            "target_id": str(message_id),
            "resolved": {"messages": {str(message_id): copy.deepcopy(target.data)}},
        }
        if guild_id is not None:
            data["guild_id"] = str(guild_id)
        channel = target.channel_id
        record = self._interaction(
            APPLICATION_COMMAND, data, name, member, self.guild, channel, False, "en-US"
        )
        return await self._deliver(record, "answer", None)

    async def autocomplete(
        self,
        command: str | Sequence[str],
        options: Mapping[str, Any],
        *,
        focused: str,
        user: str | int | None = None,
        channel: str | int | None = None,
        guild: Guild | None = None,
        dm: bool = False,
        timeout: float | None = None,
    ) -> list[dict[str, Any]]:
        """Type into an autocomplete option; return the choices the bot suggested."""
        path = command.split() if isinstance(command, str) else list(command)
        scope = None if dm else (guild or self.guild)
        definition, guild_id = self._registered(path[0], scope)
        leaf, wrap = find_command_path(definition, path)
        member = self._member_key(user, scope)
        resolve = self._resolver(scope, member, channel)
        values, resolved = command_options(leaf, options, resolve, focused=focused)
        data: dict[str, Any] = {"id": definition["id"], "name": path[0], "type": 1}
        data["options"] = wrap(values)
        if resolved:
            data["resolved"] = resolved
        if guild_id is not None:
            data["guild_id"] = str(guild_id)
        label = f"autocomplete of {focused!r} in /{' '.join(path)}"
        record = self._interaction(AUTOCOMPLETE, data, label, member, scope, channel, dm, "en-US")
        await self._deliver(record, "callback", timeout)
        return record.choices or []

    async def click(
        self,
        target: InteractionResult | StoredMessage | int,
        custom_id: str,
        *,
        user: str | int | None = None,
        locale: str = "en-US",
        wait: str = "answer",
        timeout: float | None = None,
    ) -> InteractionResult:
        """Press the button ``custom_id`` on the message ``target`` (a result, message or id),
        as a member whose Discord is in ``locale``."""
        message, component = self._component(target, custom_id)
        if component.get("type") != 2:
            raise ValueError(f"{custom_id!r} is not a button; use select()")
        data = {"custom_id": custom_id, "component_type": 2}
        return await self._component_interaction(
            target, message, data, user, wait, timeout, locale=locale
        )

    async def select(
        self,
        target: InteractionResult | StoredMessage | int,
        custom_id: str,
        values: Sequence[Any],
        *,
        user: str | int | None = None,
        wait: str = "answer",
        timeout: float | None = None,
    ) -> InteractionResult:
        """Choose ``values`` in the select menu ``custom_id`` (option values; for user, role
        and channel selects, the same names or ids :meth:`invoke` takes)."""
        message, component = self._component(target, custom_id)
        kind = component.get("type")
        if kind not in (3, 5, 6, 7, 8):
            raise ValueError(f"{custom_id!r} is not a select menu; use click()")
        low, high = component.get("min_values", 1), component.get("max_values", 1)
        if not low <= len(values) <= high:
            raise ValueError(f"{custom_id!r} takes {low} to {high} values")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": kind}
        if kind == 3:
            offered = [o["value"] for o in component.get("options") or []]
            if any(v not in offered for v in values):
                raise ValueError(f"{custom_id!r} offers only {offered}")
            data["values"] = list(values)
        else:
            guild = self.guild_of_channel(message.channel_id)
            resolve = self._resolver(guild, None, message.channel_id)
            option_type = {5: 6, 6: ROLE, 7: CHANNEL, 8: MENTIONABLE}[kind]
            resolved: dict[str, dict[str, Any]] = {}
            data["values"] = []
            for value in values:
                snowflake, more = resolve(option_type, value)
                data["values"].append(snowflake)
                for group, entries in more.items():
                    resolved.setdefault(group, {}).update(entries)
            data["resolved"] = resolved
        return await self._component_interaction(target, message, data, user, wait, timeout)

    async def submit_modal(
        self,
        result: InteractionResult,
        values: Mapping[str, Any],
        *,
        user: str | int | None = None,
        wait: str = "answer",
        timeout: float | None = None,
    ) -> InteractionResult:
        """Fill in and submit the modal ``result`` opened (``{input custom_id: text}``)."""
        modal = result.modal
        if modal is None:
            raise ValueError(f"{result.record.label} did not open a modal (callback {result.type})")
        opener = result.record
        data = {"custom_id": modal["custom_id"], "components": modal_submission(modal, values)}
        channel_id = int(opener.payload["channel"]["id"])
        scope = self.guild_of_channel(channel_id)
        member = self._member_key(user if user is not None else opener.user_id, scope)
        record = self._interaction(
            MODAL_SUBMIT,
            data,
            f"modal {modal['custom_id']!r}",
            member,
            scope,
            channel_id,
            scope is None,
            opener.payload.get("locale", "en-US"),
            source=opener.source_message_id,
        )
        return await self._deliver(record, wait, timeout)

    async def burst(self, actions: Iterable[Awaitable[T]], *, spacing: float = 0.0) -> list[T]:
        """Deliver many interactions at once (or ``spacing`` seconds apart) and wait for all.

        ``actions`` are calls not yet awaited, e.g. ``[standin.click(vote, button, user=key)
        for key in members]``: each sends its interaction when its turn comes (the first at
        once, the next ``spacing`` later, …) and they all wait for their answers together.
        Returns the results in the order given. If any failed (no answer in time, the bot
        stopped), raises one AssertionError listing every failure, after all have settled.
        """
        pending = list(actions)

        async def send(index: int, action: Awaitable[T]) -> T:
            if spacing > 0 and index:
                await asyncio.sleep(index * spacing)
            return await action

        outcomes = await asyncio.gather(
            *(send(i, a) for i, a in enumerate(pending)), return_exceptions=True
        )
        failures = [(i, o) for i, o in enumerate(outcomes) if isinstance(o, BaseException)]
        if failures:
            listing = "\n".join(f"  - #{i}: {error}" for i, error in failures)
            raise AssertionError(
                f"{len(failures)} of {len(pending)} interactions in the burst failed:\n{listing}"
            ) from failures[0][1]
        return outcomes  # type: ignore[return-value]

    # waiting

    async def notify(self) -> None:
        """Wake every waiter to look again (after each request and gateway change)."""
        async with self._changed:
            self._changed.notify_all()

    async def wait_until(
        self,
        predicate: Callable[[], bool],
        timeout: float = 5.0,
        describe: str | Callable[[], str] = "the awaited condition never came true",
    ) -> None:
        """Wait until ``predicate()`` holds (it is checked after every request the bot makes);
        fail with ``describe`` on timeout, or at once if the bot stops."""
        explain = describe if callable(describe) else lambda: str(describe)

        def stopped() -> asyncio.Task[Any] | None:
            return next((task for task in self._bot_tasks if task.done()), None)

        try:
            async with self._changed:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: predicate() or stopped() is not None), timeout
                )
        except TimeoutError:
            raise AssertionError(f"{explain()} (waited {timeout} s)") from None
        task = stopped()
        if not predicate() and task is not None:
            error = None if task.cancelled() else task.exception()
            raise AssertionError(f"the bot stopped: {explain()}") from error

    # internals used by rest.py and gateway.py

    def store_attachment(self, filename: str, data: bytes, content_type: str) -> dict[str, Any]:
        attachment_id = self.new_id()
        url = f"{self.base_url}/attachments/{attachment_id}/{filename}"
        payload = {
            "id": str(attachment_id),
            "filename": filename,
            "size": len(data),
            "url": url,
            "proxy_url": url,
            "content_type": content_type,
        }
        self.attachments[attachment_id] = (payload, data)
        return dict(payload)

    def add_message(self, data: dict[str, Any], allowed_mentions: dict | None) -> StoredMessage:
        message = StoredMessage(data, allowed_mentions)
        self.messages[message.id] = message
        self.channel_log.setdefault(message.channel_id, []).append(message.id)
        return message

    def record_violation(
        self, request: RecordedRequest | str, problems: list[tuple[str, str]]
    ) -> None:
        self.violations.append(Violation(str(request), problems))

    def _ready_payload(self, session: Session, guilds: list[Guild]) -> dict[str, Any]:
        return {
            "v": 10,
            "user": {**self.bot_user, "verified": True, "mfa_enabled": False, "email": None},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": f"ws://127.0.0.1:{self.port}/gateway/resume",
            "shard": session.shard,
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "geo_ordered_rtc_regions": ["local"],
            "user_settings": {},
        }

    async def _serve_attachment(self, request: web.Request) -> web.Response:
        found = self.attachments.get(int(request.match_info["attachment_id"]))
        if found is None:
            return web.Response(status=404, text="no such attachment")
        payload, data = found
        return web.Response(body=data, content_type=payload["content_type"])

    def _channel_id(self, channel: str | int | None, guild: Guild | None = None) -> int:
        guild = guild or self.guild
        if channel is None:
            return guild.default_channel_id
        if isinstance(channel, int) and self.channel_payload(channel) is not None:
            return channel
        return guild.channel_id(channel)

    def _member_key(self, user: str | int | None, guild: Guild | None) -> str:
        if user is None:
            return (guild or self.guild).spec.default_member
        if isinstance(user, int):
            for key, payload in self.users.items():
                if int(payload["id"]) == user:
                    return key
            raise KeyError(f"no user with id {user}")
        if user not in self.users:
            raise KeyError(f"no user {user!r}; users: {list(self.users)}")
        return user

    def _registered(
        self, name: str, guild: Guild | None, kind: int = CHAT_INPUT
    ) -> tuple[dict[str, Any], int | None]:
        if guild is not None:
            for definition in self.guild_commands.get(guild.id, []):
                if definition["name"] == name and definition.get("type", 1) == kind:
                    return definition, guild.id
        for definition in self.global_commands:
            if definition["name"] == name and definition.get("type", 1) == kind:
                return definition, None
        known = [c["name"] for c in self.global_commands]
        if guild is not None:
            known += [c["name"] for c in self.guild_commands.get(guild.id, [])]
        raise KeyError(f"/{name} is not registered (the bot synced {sorted(known)})")

    def _check_visible(
        self,
        definition: Mapping[str, Any],
        member: str,
        guild: Guild | None,
        channel: str | int | None,
        dm: bool,
        ignore_default_permissions: bool,
    ) -> None:
        contexts = definition.get("contexts")
        if dm and (
            (contexts is not None and 1 not in contexts) or definition.get("dm_permission") is False
        ):
            raise PermissionError(f"/{definition['name']} cannot be used in DMs")
        if dm or guild is None or ignore_default_permissions:
            return
        needed = definition.get("default_member_permissions")
        if needed is None:
            return
        has = guild.permissions(member, self._channel_id(channel, guild))
        if int(needed) & has != int(needed):
            raise PermissionError(
                f"{member} cannot see /{definition['name']}: it needs permissions {needed} "
                "(pass ignore_default_permissions=True to play an admin's override)"
            )

    def _resolver(
        self, guild: Guild | None, member: str | None, channel: str | int | None
    ) -> Callable[[int, Any], tuple[str, dict[str, dict[str, Any]]]]:
        def resolve(kind: int, value: Any) -> tuple[str, dict[str, dict[str, Any]]]:
            if kind == ATTACHMENT:
                key = value["id"] if isinstance(value, Mapping) else value
                payload, _ = self.attachments[int(key)]
                return str(key), {"attachments": {str(key): dict(payload)}}
            if kind == CHANNEL:
                if guild is None:
                    raise ValueError("channel options need a server")
                channel_id = guild.channel_id(value)
                data = guild.channel_payload(channel_id)
                viewer = member or guild.spec.default_member
                data["permissions"] = str(guild.permissions(viewer, channel_id))
                return str(channel_id), {"channels": {str(channel_id): data}}
            is_role = kind == ROLE or (
                kind == MENTIONABLE and guild is not None and value in guild.role_ids
            )
            if is_role:
                if guild is None:
                    raise ValueError("role options need a server")
                role_id = guild.role_id(value) if isinstance(value, str) else value
                return str(role_id), {"roles": {str(role_id): dict(guild.roles[role_id])}}
            key = self._member_key(value, guild)
            user = self.users[key]
            resolved: dict[str, dict[str, Any]] = {"users": {user["id"]: dict(user)}}
            if guild is not None and int(user["id"]) in guild.members:
                member_data = guild.member_payload(key, with_user=False)
                member_data["permissions"] = str(
                    guild.permissions(key, self._channel_id(channel, guild))
                )
                resolved["members"] = {user["id"]: member_data}
            return user["id"], resolved

        return resolve

    def _component(
        self, target: InteractionResult | StoredMessage | int, custom_id: str
    ) -> tuple[StoredMessage, dict[str, Any]]:
        if isinstance(target, InteractionResult):
            candidates = target.messages
        elif isinstance(target, StoredMessage):
            candidates = [target]
        else:
            candidates = [self.message(target)]
        for message in candidates:
            if custom_id in message.custom_ids and not message.deleted:
                component = message.component(custom_id)
                if component.get("disabled"):
                    raise ValueError(f"{custom_id!r} on message {message.id} is disabled")
                return message, component
        offered = [m.custom_ids for m in candidates]
        raise KeyError(f"no component {custom_id!r} on {candidates}; custom_ids: {offered}")

    async def _component_interaction(
        self,
        target: InteractionResult | StoredMessage | int,
        message: StoredMessage,
        data: dict[str, Any],
        user: str | int | None,
        wait: str,
        timeout: float | None,
        *,
        locale: str = "en-US",
    ) -> InteractionResult:
        scope = self.guild_of_channel(message.channel_id)
        if user is None and isinstance(target, InteractionResult):
            user = target.user_id
        member = self._member_key(user, scope)
        label = f"{data['custom_id']!r} on message {message.id}"
        record = self._interaction(
            COMPONENT,
            data,
            label,
            member,
            scope,
            message.channel_id,
            scope is None,
            locale,
            source=message.id,
        )
        return await self._deliver(record, wait, timeout)

    def _interaction(
        self,
        kind: int,
        data: dict[str, Any],
        label: str,
        member: str,
        guild: Guild | None,
        channel: str | int | None,
        dm: bool,
        locale: str,
        *,
        source: int | None = None,
    ) -> InteractionRecord:
        interaction_id, token = self.new_id(), f"standin-{secrets.token_urlsafe(24)}"
        user = self.users[member]
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "token": token,
            "version": 1,
            "locale": locale,
            "entitlements": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if dm or guild is None:
            channel_data = self._dm_channel(user)
            payload.update(user=user, context=1, app_permissions="0")
            payload["authorizing_integration_owners"] = {"0": str(self.developer["id"])}
        else:
            channel_id = self._channel_id(channel, guild)
            channel_data = guild.channel_payload(channel_id)
            permissions = guild.permissions(member, channel_id)
            channel_data["permissions"] = str(permissions)
            payload["member"] = {**guild.member_payload(member), "permissions": str(permissions)}
            locale_here = guild.spec.preferred_locale
            payload.update(guild_id=str(guild.id), guild_locale=locale_here, context=0)
            payload["guild"] = {"id": str(guild.id), "locale": locale_here, "features": []}
            payload["app_permissions"] = str(guild.permissions(BOT_KEY, channel_id))
            payload["authorizing_integration_owners"] = {"0": str(guild.id)}
        payload["channel"] = channel_data
        payload["channel_id"] = channel_data["id"]
        if source is not None:
            payload["message"] = copy.deepcopy(self.message(source).data)
        record = InteractionRecord(
            id=interaction_id,
            token=token,
            type=kind,
            payload=payload,
            label=label,
            created=asyncio.get_running_loop().time(),
            source_message_id=source,
        )
        self.interactions[token] = record
        return record

    def _dm_channel(self, user: dict[str, Any]) -> dict[str, Any]:
        for channel in self.dm_channels.values():
            if channel["recipients"][0]["id"] == user["id"]:
                return dict(channel)
        channel_id = self.new_id()
        channel = {"id": str(channel_id), "type": DM, "recipients": [user], "last_message_id": None}
        self.dm_channels[channel_id] = channel
        return dict(channel)

    async def _deliver(
        self, record: InteractionRecord, wait: str, timeout: float | None
    ) -> InteractionResult:
        if wait not in ("answer", "callback"):
            raise ValueError("wait is 'answer' or 'callback'")
        try:
            session = await self.gateway.dispatch("INTERACTION_CREATE", record.payload)
        except NoSession as error:
            record.undelivered = str(error)
            self.undelivered.append(record)
            raise AssertionError(
                f"the application did not respond to {record.label}: Discord could not "
                f"deliver it ({error})"
            ) from None

        def done() -> bool:
            return record.answered if wait == "answer" else record.callback_type is not None

        def describe() -> str:
            if record.callback_type is None and session.socket is None:
                return (
                    f"the application did not respond to {record.label}: it waits in shard "
                    f"{session.shard_id}'s session, whose socket is closed, for a RESUME"
                )
            if record.callback_type is None:
                return f"the application did not respond to {record.label}"
            return (
                f"{record.label} was deferred (callback {record.callback_type}) but the bot "
                "never edited the response nor sent a followup"
            )

        await self.wait_until(done, timeout or self.interaction_timeout, describe)
        return InteractionResult(self, record)
