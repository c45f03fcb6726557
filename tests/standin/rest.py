"""The stand-in's REST API under ``/api/v10``: the routes discord.py uses for this bot.

Every request is recorded first, with the time it arrived. Then it waits out the stand-in's
answer delay (:attr:`DiscordStandIn.latency`, Discord's round trip), and then an injected fault
answers, or a missing bot token gets 401, or the route's handler runs. Handlers check what
Discord checks: the bot's permissions (403), unknown channels and messages (404), Discord's
limits (400 and a violation), and the interaction protocol (one callback, within the deadline,
the right type; a violation if not). The deadline is measured to the callback's arrival, before
the delay, as Discord measures it. Paths the stand-in does not know answer 404 and are recorded
as violations.
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from aiohttp import hdrs, web

from tests.standin.interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE_RESULT,
    CALLBACKS_ALLOWED,
    DEFERRED_MESSAGE,
    DEFERRED_UPDATE,
    MESSAGE,
    MODAL,
    UPDATE_MESSAGE,
    InteractionRecord,
)
from tests.standin.limits import (
    EPHEMERAL,
    LOADING,
    Problem,
    autocomplete_problems,
    commands_problems,
    message_problems,
    modal_problems,
    scheduled_event_problems,
)
from tests.standin.messages import StoredMessage, apply_edit, attachment_list, new_message
from tests.standin.recording import API_PREFIX, Part, RecordedRequest, form_errors
from tests.standin.snowflakes import timestamp

if TYPE_CHECKING:
    from tests.standin.guild import Guild
    from tests.standin.standin import DiscordStandIn

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
EVENT_STATUS_CHANGES = {1: {2, 4}, 2: {3}}
RECORD = web.RequestKey("record", RecordedRequest)
NONCE_WINDOW = timedelta(minutes=5)
"""How long Discord returns the earlier message for a send with the same nonce and
``enforce_nonce`` ("a few minutes"; the stand-in's clock)."""


def respond(data: Any, status: int = 200) -> web.Response:
    """JSON with ``content-type: application/json`` exactly (discord.py parses nothing else)."""
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={hdrs.CONTENT_TYPE: "application/json"},
    )


def error(status: int, code: int, message: str) -> web.Response:
    return respond({"message": message, "code": code}, status)


def middleware(standin: DiscordStandIn) -> Callable[..., Awaitable[web.StreamResponse]]:
    """Record each API request, wait out the answer delay, then answer with a fault, a 401, or
    the route's handler. Downloads of hosted attachments get the delay too (a CDN round trip);
    the gateway's websocket does not."""

    @web.middleware
    async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith(API_PREFIX):
            if request.path.startswith("/attachments/"):
                await _round_trip(standin)
            return await handler(request)
        arrived = asyncio.get_running_loop().time()
        recorded = await _record(request)
        recorded.arrived = arrived
        standin.requests.append(recorded)
        request[RECORD] = recorded
        try:
            if not await _carried_out(standin, request, recorded):
                return web.Response(status=204)  # never written: the connection is gone
            await _round_trip(standin)
            response = _fault(standin, recorded)
            if response is None:
                authorization = request.headers.get(hdrs.AUTHORIZATION)
                response = _unauthorized(standin, recorded, authorization)
            if response is None:
                response = await handler(request)
            recorded.status = response.status
            return response
        finally:
            await standin.notify()

    return record


async def _carried_out(
    standin: DiscordStandIn, request: web.Request, recorded: RecordedRequest
) -> bool:
    """False if a held send caught the request and the test dropped it: then the connection
    is closed without an answer, as a request that never reached Discord gets none."""
    held = next((h for h in standin.holds if h.catches(recorded)), None)
    if held is None or await held.hold(recorded):
        return True
    if request.transport is not None:
        request.transport.abort()
    return False


async def _round_trip(standin: DiscordStandIn) -> None:
    delay = standin.answer_delay()
    if delay > 0:
        await asyncio.sleep(delay)


async def _record(request: web.Request) -> RecordedRequest:
    headers = {k: v for k, v in request.headers.items() if k.lower() != "authorization"}
    recorded = RecordedRequest(
        method=request.method,
        path=request.path.removeprefix(API_PREFIX),
        query=dict(request.query),
        headers=headers,
        authorized=hdrs.AUTHORIZATION in request.headers,
    )
    if request.content_type == "multipart/form-data":
        async for part in await request.multipart():
            recorded.parts.append(
                Part(
                    name=part.name or "",
                    filename=part.filename,
                    content_type=part.headers.get(hdrs.CONTENT_TYPE),
                    data=bytes(await part.read()),
                )
            )
    elif request.can_read_body:
        text = await request.text()
        recorded.json = json.loads(text) if text else None
    return recorded


def _fault(standin: DiscordStandIn, recorded: RecordedRequest) -> web.Response | None:
    for fault in standin.faults:
        if fault.matches(recorded.method, recorded.path):
            fault.hits += 1
            response = respond(fault.body(), fault.status)
            if fault.status == 429:
                response.headers["Via"] = "1.1 google"
                response.headers["Retry-After"] = "0.01"
            return response
    return None


def _unauthorized(
    standin: DiscordStandIn, recorded: RecordedRequest, authorization: str | None
) -> web.Response | None:
    if recorded.path.startswith(("/webhooks/", "/interactions/")):
        return None
    if authorization == f"Bot {standin.token}":
        return None
    problem = "is missing" if authorization is None else "is not the bot's token"
    standin.record_violation(recorded, [("Authorization", problem)])
    return error(401, 0, "401: Unauthorized")


class RestApi:
    """The route handlers; state lives on the :class:`DiscordStandIn`."""

    def __init__(self, standin: DiscordStandIn) -> None:
        self.s = standin

    def add_routes(self, router: web.UrlDispatcher) -> None:
        routes: list[tuple[str, str, Handler]] = [
            ("GET", "/users/@me", self.me),
            ("GET", "/oauth2/applications/@me", self.application),
            ("GET", "/applications/@me", self.application),
            ("GET", "/gateway/bot", self.gateway_bot),
            ("GET", "/gateway", self.gateway_bot),
            ("GET", "/applications/{app}/commands", self.get_commands),
            ("PUT", "/applications/{app}/commands", self.put_commands),
            ("GET", "/applications/{app}/guilds/{guild_id}/commands", self.get_commands),
            ("PUT", "/applications/{app}/guilds/{guild_id}/commands", self.put_commands),
            ("POST", "/interactions/{interaction_id}/{token}/callback", self.callback),
            ("GET", "/webhooks/{app}/{token}/messages/@original", self.webhook_message),
            ("PATCH", "/webhooks/{app}/{token}/messages/@original", self.webhook_message),
            ("DELETE", "/webhooks/{app}/{token}/messages/@original", self.webhook_message),
            ("POST", "/webhooks/{app}/{token}", self.followup),
            ("GET", "/webhooks/{app}/{token}/messages/{message_id}", self.webhook_message),
            ("PATCH", "/webhooks/{app}/{token}/messages/{message_id}", self.webhook_message),
            ("DELETE", "/webhooks/{app}/{token}/messages/{message_id}", self.webhook_message),
            ("GET", "/channels/{channel_id}", self.get_channel),
            ("GET", "/channels/{channel_id}/messages", self.history),
            ("POST", "/channels/{channel_id}/messages", self.create_message),
            ("GET", "/channels/{channel_id}/messages/{message_id}", self.channel_message),
            ("PATCH", "/channels/{channel_id}/messages/{message_id}", self.channel_message),
            ("DELETE", "/channels/{channel_id}/messages/{message_id}", self.channel_message),
            ("GET", "/guilds/{guild_id}/scheduled-events", self.list_events),
            ("POST", "/guilds/{guild_id}/scheduled-events", self.create_event),
            ("GET", "/guilds/{guild_id}/scheduled-events/{event_id}", self.event),
            ("GET", "/guilds/{guild_id}/scheduled-events/{event_id}/users", self.event_users),
            ("PATCH", "/guilds/{guild_id}/scheduled-events/{event_id}", self.event),
            ("DELETE", "/guilds/{guild_id}/scheduled-events/{event_id}", self.event),
        ]
        for method, path, handler in routes:
            router.add_route(method, API_PREFIX + path, handler)
        router.add_route("*", API_PREFIX + "/{tail:.*}", self.unknown)

    # helpers

    def _refuse(self, recorded: RecordedRequest, problems: list[Problem]) -> web.Response:
        self.s.record_violation(recorded, problems)
        return respond(form_errors(problems), 400)

    def _misuse(self, recorded: RecordedRequest, status: int, code: int, text: str) -> web.Response:
        """A request Discord refuses that a correct bot never makes: answered and recorded."""
        self.s.record_violation(recorded, [("", f"{text} (HTTP {status}, code {code})")])
        return error(status, code, text)

    def _store(self, part: Part) -> dict[str, Any]:
        content_type = part.content_type or "application/octet-stream"
        return self.s.store_attachment(part.filename or part.name, part.data, content_type)

    def _attachments(
        self, payload: dict[str, Any], files: list[Part], kept: list[dict[str, Any]]
    ) -> list[dict[str, Any]] | None:
        if "attachments" not in payload and not files:
            return None
        return attachment_list(payload, files, kept, self._store)

    def _create(
        self, channel_id: int, payload: dict[str, Any], files: list[Part], **extra: Any
    ) -> StoredMessage:
        guild = self.s.guild_of_channel(channel_id)
        data = new_message(
            self.s.new_id(),
            channel_id,
            guild.id if guild else None,
            self.s.bot_user,
            payload,
            self._attachments(payload, files, []) or [],
            timestamp(self.s.clock),
            **extra,
        )
        return self.s.add_message(data, payload.get("allowed_mentions"))

    def _edit(
        self, recorded: RecordedRequest, message: StoredMessage, payload: dict[str, Any]
    ) -> web.Response | StoredMessage:
        recorded.message = payload
        problems = message_problems(payload, file_count=len(recorded.files), before=message.data)
        if problems:
            return self._refuse(recorded, problems)
        attachments = self._attachments(payload, recorded.files, message.attachments)
        apply_edit(message, payload, attachments, timestamp(self.s.clock))
        return message

    def _channel_access(self, channel_id: int, **needed: bool) -> web.Response | None:
        if self.s.channel_payload(channel_id) is None:
            return error(404, 10003, "Unknown Channel")
        guild = self.s.guild_of_channel(channel_id)
        if guild is None:
            return None
        if not guild.bot_can(channel_id, view_channel=True):
            return error(403, 50001, "Missing Access")
        if needed and not guild.bot_can(channel_id, **needed):
            return error(403, 50013, "Missing Permissions")
        return None

    def _guild(self, request: web.Request) -> Guild | None:
        wanted = request.match_info["guild_id"]
        return next((g for g in self.s.guilds if str(g.id) == wanted), None)

    # login and gateway

    async def me(self, request: web.Request) -> web.Response:
        return respond({**self.s.bot_user, "verified": True, "mfa_enabled": False, "email": None})

    async def application(self, request: web.Request) -> web.Response:
        return respond(
            {
                "id": str(self.s.application_id),
                "name": self.s.bot_user["username"],
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "bot": self.s.bot_user,
                "bot_public": False,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "flags": 0,
                "owner": self.s.developer,
                "team": None,
                "rpc_origins": [],
                "tags": [],
                "redirect_uris": [],
                "interactions_endpoint_url": None,
                "approximate_guild_count": len(self.s.guilds),
            }
        )

    async def gateway_bot(self, request: web.Request) -> web.Response:
        limit = {
            "total": 1000,
            "remaining": 999,
            "reset_after": 14_400_000,
            "max_concurrency": self.s.max_concurrency,
        }
        return respond(
            {"url": self.s.gateway_url, "shards": self.s.shard_count, "session_start_limit": limit}
        )

    # application commands

    def _command_scope(
        self, request: web.Request
    ) -> tuple[list[dict[str, Any]], int | None] | web.Response:
        recorded: RecordedRequest = request[RECORD]
        if request.match_info["app"] != str(self.s.application_id):
            return self._misuse(recorded, 404, 10002, "Unknown Application")
        if "guild_id" not in request.match_info:
            return self.s.global_commands, None
        guild = self._guild(request)
        if guild is None:
            return error(403, 50001, "Missing Access")
        return self.s.guild_commands.setdefault(guild.id, []), guild.id

    async def get_commands(self, request: web.Request) -> web.Response:
        scope = self._command_scope(request)
        if isinstance(scope, web.Response):
            return scope
        return respond(scope[0])

    async def put_commands(self, request: web.Request) -> web.Response:
        recorded: RecordedRequest = request[RECORD]
        scope = self._command_scope(request)
        if isinstance(scope, web.Response):
            return scope
        stored, guild_id = scope
        problems = commands_problems(recorded.payload)
        if problems:
            return self._refuse(recorded, problems)
        earlier = {(c["type"], c["name"]): c["id"] for c in stored}
        registered = []
        for command in recorded.payload:
            kind = command.get("type", 1)
            entry = {
                "default_member_permissions": None,
                "nsfw": False,
                "description": "",
                "integration_types": [0],
                "contexts": None,
                **copy.deepcopy(command),
                "id": earlier.get((kind, command["name"])) or str(self.s.new_id()),
                "application_id": str(self.s.application_id),
                "version": str(self.s.new_id()),
                "type": kind,
            }
            if entry["default_member_permissions"] is not None:
                entry["default_member_permissions"] = str(entry["default_member_permissions"])
            if guild_id is not None:
                entry["guild_id"] = str(guild_id)
            registered.append(entry)
        stored[:] = registered
        self.s.commands_synced += 1
        return respond(registered)

    # interactions

    async def callback(self, request: web.Request) -> web.Response:
        recorded: RecordedRequest = request[RECORD]
        record = self.s.interactions.get(request.match_info["token"])
        if record is None or str(record.id) != request.match_info["interaction_id"]:
            return self._misuse(recorded, 404, 10062, "Unknown interaction")
        if record.callback_type is not None:
            return self._misuse(recorded, 400, 40060, "Interaction has already been acknowledged.")
        late = recorded.arrived - record.created  # Discord's clock: when the callback arrived
        if late > self.s.response_deadline:
            limit = self.s.response_deadline
            text = (
                f"Unknown interaction: answered {late:.1f} s after it was sent (limit {limit:g} s)"
            )
            return self._misuse(recorded, 404, 10062, text)
        body = recorded.payload or {}
        kind, data = body.get("type"), body.get("data") or {}
        if kind not in CALLBACKS_ALLOWED[record.type]:
            text = (
                f"Interaction callback type {kind} is not valid for interaction type {record.type}"
            )
            return self._misuse(recorded, 400, 50035, text)
        if kind in (DEFERRED_UPDATE, UPDATE_MESSAGE) and record.source_message_id is None:
            return self._misuse(recorded, 400, 50035, "There is no message to update")
        message = None
        if kind == MESSAGE:
            recorded.message = data
            problems = message_problems(data, file_count=len(recorded.files))
            if problems:
                return self._refuse(recorded, problems)
            message = self._create(
                record_channel(record), data, recorded.files, **self._extras(record)
            )
        elif kind == DEFERRED_MESSAGE:
            flags = LOADING | ((data.get("flags") or 0) & EPHEMERAL)
            message = self._create(
                record_channel(record), {"flags": flags}, [], **self._extras(record)
            )
        elif kind == DEFERRED_UPDATE:
            message = self.s.message(record.source_message_id)
        elif kind == UPDATE_MESSAGE:
            message = self.s.message(record.source_message_id)
            edited = self._edit(recorded, message, data)
            if isinstance(edited, web.Response):
                return edited
        elif kind == AUTOCOMPLETE_RESULT:
            problems = autocomplete_problems(data.get("choices"))
            if problems:
                return self._refuse(recorded, problems)
            record.choices = data["choices"]
        elif kind == MODAL:
            problems = modal_problems(data)
            if problems:
                return self._refuse(recorded, problems)
            record.modal = data
        record.callback_type = kind
        record.original_id = message.id if message is not None else None
        record.callback_at = recorded.arrived
        record.note_answer(recorded.arrived)
        if recorded.query.get("with_response") not in ("1", "true", "True"):
            return web.Response(status=204)
        interaction = {
            "id": str(record.id),
            "type": record.type,
            "response_message_id": str(message.id) if message else None,
            "response_message_loading": kind == DEFERRED_MESSAGE,
            "response_message_ephemeral": bool(message and message.ephemeral),
        }
        answer: dict[str, Any] = {"interaction": interaction}
        if message is not None and kind in (MESSAGE, DEFERRED_MESSAGE, UPDATE_MESSAGE):
            answer["resource"] = {"type": kind, "message": message.data}
        return respond(answer)

    def _extras(self, record: InteractionRecord) -> dict[str, Any]:
        payload = record.payload
        user = payload.get("member", {}).get("user") or payload["user"]
        metadata: dict[str, Any] = {
            "id": str(record.id),
            "type": record.type,
            "user": user,
            "authorizing_integration_owners": payload["authorizing_integration_owners"],
        }
        if record.type == APPLICATION_COMMAND:
            metadata.update(name=payload["data"]["name"], command_type=1)
        if record.source_message_id is not None:
            metadata["interacted_message_id"] = str(record.source_message_id)
        return {
            "webhook_id": str(self.s.application_id),
            "application_id": str(self.s.application_id),
            "interaction_metadata": metadata,
            "type": 20 if record.type == APPLICATION_COMMAND else 0,
        }

    def _webhook_record(self, request: web.Request) -> InteractionRecord | web.Response:
        recorded: RecordedRequest = request[RECORD]
        record = self.s.interactions.get(request.match_info["token"])
        if request.match_info["app"] != str(self.s.application_id) or record is None:
            return self._misuse(recorded, 404, 10015, "Unknown Webhook")
        if record.callback_type in (None, AUTOCOMPLETE_RESULT):
            text = "Unknown Webhook: the interaction has no response to follow up"
            return self._misuse(recorded, 404, 10015, text)
        return record

    async def followup(self, request: web.Request) -> web.Response:
        recorded: RecordedRequest = request[RECORD]
        record = self._webhook_record(request)
        if isinstance(record, web.Response):
            return record
        payload = recorded.payload or {}
        recorded.message = payload
        problems = message_problems(payload, file_count=len(recorded.files))
        if problems:
            return self._refuse(recorded, problems)
        original = self.s.messages.get(record.original_id or 0)
        if record.callback_type == DEFERRED_MESSAGE and original is not None and original.loading:
            attachments = self._attachments(payload, recorded.files, [])
            apply_edit(original, payload, attachments, timestamp(self.s.clock))
            message = original
        else:
            message = self._create(
                record_channel(record), payload, recorded.files, **self._extras(record)
            )
        record.followup_ids.append(message.id)
        record.note_answer(recorded.arrived)
        if recorded.query.get("wait") in ("1", "true", "True"):
            return respond(message.data)
        return web.Response(status=204)

    async def webhook_message(self, request: web.Request) -> web.Response:
        recorded: RecordedRequest = request[RECORD]
        record = self._webhook_record(request)
        if isinstance(record, web.Response):
            return record
        wanted = request.match_info.get("message_id", "@original")
        message_id = record.original_id if wanted == "@original" else int(wanted)
        if message_id is None or (
            message_id != record.original_id and message_id not in record.followup_ids
        ):
            return self._misuse(recorded, 404, 10008, "Unknown Message")
        message = self.s.message(message_id)
        if message.deleted:
            return self._misuse(recorded, 404, 10008, "Unknown Message")
        if request.method == "DELETE":
            message.deleted = True
            record.original_deleted |= message_id == record.original_id
            record.note_answer(recorded.arrived)
            return web.Response(status=204)
        if request.method == "PATCH":
            edited = self._edit(recorded, message, recorded.payload or {})
            if isinstance(edited, web.Response):
                return edited
            record.original_edited |= message_id == record.original_id
            record.note_answer(recorded.arrived)
        return respond(message.data)

    # channels and messages

    async def get_channel(self, request: web.Request) -> web.Response:
        channel_id = int(request.match_info["channel_id"])
        denied = self._channel_access(channel_id)
        return denied or respond(self.s.channel_payload(channel_id))

    async def create_message(self, request: web.Request) -> web.Response:
        recorded: RecordedRequest = request[RECORD]
        channel_id = int(request.match_info["channel_id"])
        needed = {"send_messages": True, **({"attach_files": True} if recorded.files else {})}
        denied = self._channel_access(channel_id, **needed)
        if denied is not None:
            return denied
        payload = recorded.payload or {}
        recorded.message = payload
        problems = message_problems(payload, file_count=len(recorded.files))
        nonce = payload.get("nonce")
        if nonce is not None and len(str(nonce)) > 25:
            problems.append(("nonce", "must be 25 or fewer in length"))
        if problems:
            return self._refuse(recorded, problems)
        key, now = (channel_id, str(nonce)), self.s.clock()
        earlier = self.s.nonces.get(key)
        enforced = nonce is not None and payload.get("enforce_nonce")
        if enforced and earlier is not None and now - earlier[1] < NONCE_WINDOW:
            recorded.deduplicated = True
            return respond(self.s.message(earlier[0]).data)
        message = self._create(channel_id, payload, recorded.files)
        if enforced:
            self.s.nonces[key] = (message.id, now)
        return respond(message.data)

    async def history(self, request: web.Request) -> web.Response:
        recorded: RecordedRequest = request[RECORD]
        channel_id = int(request.match_info["channel_id"])
        denied = self._channel_access(channel_id)
        if denied is not None:
            return denied
        guild = self.s.guild_of_channel(channel_id)
        if guild is not None and not guild.bot_can(channel_id, read_message_history=True):
            return respond([])
        limit = int(recorded.query.get("limit", 50))
        if not 1 <= limit <= 100:
            return self._refuse(recorded, [("limit", "must be from 1 to 100")])
        ids = sorted(m.id for m in self.s.channel_messages(channel_id))
        before, after = recorded.query.get("before"), recorded.query.get("after")
        around = recorded.query.get("around")
        if after is not None:
            chosen = [i for i in ids if i > int(after)][:limit]
        elif before is not None:
            chosen = [i for i in ids if i < int(before)][-limit:]
        elif around is not None:
            older = [i for i in ids if i < int(around)][-(limit // 2) :] if limit > 1 else []
            chosen = (older + [i for i in ids if i >= int(around)])[:limit]
        else:
            chosen = ids[-limit:]
        return respond([self.s.message(i).data for i in reversed(chosen)])

    async def channel_message(self, request: web.Request) -> web.Response:
        recorded: RecordedRequest = request[RECORD]
        channel_id = int(request.match_info["channel_id"])
        denied = self._channel_access(channel_id)
        if denied is not None:
            return denied
        message = self.s.messages.get(int(request.match_info["message_id"]))
        if (
            message is None
            or message.deleted
            or message.ephemeral
            or message.channel_id != channel_id
        ):
            return error(404, 10008, "Unknown Message")
        if request.method == "DELETE":
            message.deleted = True
        elif request.method == "PATCH":
            edited = self._edit(recorded, message, recorded.payload or {})
            if isinstance(edited, web.Response):
                return edited
        if request.method != "GET":
            for record in self.s.interactions.values():
                if (
                    record.callback_type == DEFERRED_UPDATE
                    and record.source_message_id == message.id
                ):
                    record.original_edited = True
                    record.note_answer(recorded.arrived)
        return web.Response(status=204) if request.method == "DELETE" else respond(message.data)

    # scheduled events

    async def list_events(self, request: web.Request) -> web.Response:
        guild = self._guild(request)
        if guild is None:
            return error(404, 10004, "Unknown Guild")
        return respond(self.s.events(guild))

    async def create_event(self, request: web.Request) -> web.Response:
        recorded: RecordedRequest = request[RECORD]
        guild = self._guild(request)
        if guild is None:
            return error(404, 10004, "Unknown Guild")
        if not (guild.bot_can(None, manage_events=True) or guild.bot_can(None, create_events=True)):
            return error(403, 50013, "Missing Permissions")
        payload = recorded.payload or {}
        problems = scheduled_event_problems(
            payload, channel_types=_channel_types(guild), now=self.s.clock()
        )
        if problems:
            return self._refuse(recorded, problems)
        event_id = self.s.new_id()
        event = {
            "id": str(event_id),
            "guild_id": str(guild.id),
            "channel_id": None,
            "creator_id": self.s.bot_user["id"],
            "creator": self.s.bot_user,
            "description": None,
            "scheduled_end_time": None,
            "entity_id": None,
            "entity_metadata": None,
            "image": None,
            "recurrence_rule": None,
            "user_count": 0,
            **copy.deepcopy(payload),
            "status": 1,
        }
        self.s.scheduled_events[event_id] = event
        return respond(event)

    async def event(self, request: web.Request) -> web.Response:
        recorded: RecordedRequest = request[RECORD]
        guild = self._guild(request)
        event = self.s.scheduled_events.get(int(request.match_info["event_id"]))
        if guild is None or event is None or event["guild_id"] != str(guild.id):
            return error(404, 10070, "Unknown Guild Scheduled Event")
        if request.method == "GET":
            return respond(event)
        own = event["creator_id"] == self.s.bot_user["id"] and guild.bot_can(
            None, create_events=True
        )
        if not (own or guild.bot_can(None, manage_events=True)):
            return error(403, 50013, "Missing Permissions")
        if request.method == "DELETE":
            del self.s.scheduled_events[int(event["id"])]
            return web.Response(status=204)
        payload = recorded.payload or {}
        problems = scheduled_event_problems(
            payload, channel_types=_channel_types(guild), now=self.s.clock(), before=event
        )
        status = payload.get("status")
        if status is not None and status not in EVENT_STATUS_CHANGES.get(event["status"], set()):
            problems.append(("status", f"cannot change from {event['status']} to {status}"))
        if problems:
            return self._refuse(recorded, problems)
        event.update(copy.deepcopy(payload))
        return respond(event)

    async def event_users(self, request: web.Request) -> web.Response:
        """The members who marked an event Interested, by id, paged like Discord (``limit`` up
        to 100, ``before`` / ``after`` a user id)."""
        guild = self._guild(request)
        event_id = int(request.match_info["event_id"])
        event = self.s.scheduled_events.get(event_id)
        if guild is None or event is None or event["guild_id"] != str(guild.id):
            return error(404, 10070, "Unknown Guild Scheduled Event")
        limit = int(request.query.get("limit", 100))
        if not 1 <= limit <= 100:
            self.s.record_violation(request[RECORD], [("limit", "must be 1 to 100")])
            return error(400, 50035, "Invalid Form Body")
        users = sorted(self.s.interested.get(event_id, []))
        if "after" in request.query:
            users = [u for u in users if u > int(request.query["after"])][:limit]
        else:
            before = int(request.query.get("before", 1 << 64))
            users = [u for u in users if u < before][-limit:]
        return respond(
            [
                {
                    "guild_scheduled_event_id": str(event_id),
                    "user": guild.member_payload(user)["user"],
                }
                for user in users
            ]
        )

    # everything else

    async def unknown(self, request: web.Request) -> web.Response:
        recorded: RecordedRequest = request[RECORD]
        self.s.record_violation(recorded, [("", "the stand-in has no such endpoint")])
        return error(404, 0, "404: Not Found")


def record_channel(record: InteractionRecord) -> int:
    return int(record.payload["channel"]["id"])


def _channel_types(guild: Guild) -> dict[str, int]:
    return {str(channel_id): c["type"] for channel_id, c in guild.channels.items()}
