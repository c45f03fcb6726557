"""The stand-in's gateway: one websocket endpoint speaking Discord's gateway protocol (v10),
with one session per shard.

HELLO, then IDENTIFY (READY, and one GUILD_CREATE per guild of the shard if the bot asked for
the GUILDS intent) or RESUME (missed dispatches replayed, then RESUMED); heartbeats are
acknowledged; REQUEST_GUILD_MEMBERS gets one chunk.
Frames are plain JSON text, which discord.py accepts whatever compression it asked for.

Shards as on Discord: IDENTIFY carries ``shard: [shard_id, shard_count]`` (none means
``[0, 1]``); a count other than the stand-in's, or an id outside it, is closed with 4010
(invalid shard), an unsharded IDENTIFY when the stand-in has several shards with 4011
(sharding required). Two IDENTIFYs in one bucket (``shard_id % max_concurrency``) less than
5 s apart on the stand-in's clock are a violation, as Discord would rate-limit the second; with
a single shard this is not checked (a one-shard bot has nothing to pace). :attr:`identify_log`
lists every IDENTIFY as (shard id, clock time). The latest IDENTIFY for a shard starts its
session, which gets the shard's dispatches from then on: a server's go to shard
``(guild_id >> 22) % shard_count``, all others (DMs) to shard 0. Dispatches sent while the
shard's session has no socket open wait in the session and are replayed when the bot resumes.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from aiohttp import WSMsgType, web

from tests.standin.guild import Guild
from tests.standin.recording import Violation, client_tag
from tests.standin.snowflakes import Clock, shard_of

log = logging.getLogger(__name__)

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, VOICE_STATE = 0, 1, 2, 3, 4
RESUME, REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 6, 8, 9, 10, 11
AUTHENTICATION_FAILED, INVALID_SHARD, SHARDING_REQUIRED = 4004, 4010, 4011
RESUMABLE_CLOSE = 4000
GUILDS_INTENT = 1 << 0
IDENTIFY_INTERVAL = timedelta(seconds=5)
"""Discord starts one session per ``max_concurrency`` bucket every 5 seconds."""


class NoSession(RuntimeError):
    """No bot has identified for the shard a dispatch belongs to."""


@dataclass
class Session:
    """A shard's gateway session: its sequence, every dispatch sent (for RESUME), its open
    socket, and the client that identified (the runner's tag, if it set one)."""

    id: str
    intents: int
    shard: list[int]
    client: str | None = None
    sequence: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)
    socket: web.WebSocketResponse | None = None
    presence: dict[str, Any] | None = None
    resumes: int = 0

    @property
    def shard_id(self) -> int:
        return self.shard[0]


class Gateway:
    """Serves ``GET /gateway`` (and the resume URL) for the stand-in."""

    def __init__(
        self,
        *,
        token: Callable[[], str],
        ready_payload: Callable[[Session, list[Guild]], dict[str, Any]],
        guilds: list[Guild],
        violation: Callable[[Violation], None],
        heartbeat_interval_ms: int,
        clock: Clock,
        shard_count: int = 1,
        max_concurrency: int = 1,
    ) -> None:
        self._token = token
        self._ready_payload = ready_payload
        self._guilds = guilds
        self._violation = violation
        self._heartbeat_interval_ms = heartbeat_interval_ms
        self._clock = clock
        self.shard_count = shard_count
        self.max_concurrency = max_concurrency
        self.sessions: dict[int, Session] = {}
        """The current session of each shard that has identified, by shard id."""
        self.identify_log: list[tuple[int, datetime]] = []
        self.disconnects: list[tuple[int, int | None]] = []
        """(shard id, close code) of each session's socket that closed; 1006 means it ended
        without a close frame (a process killed, a cable pulled)."""
        self.resumes = 0
        self.heartbeats = 0
        self._send_lock = asyncio.Lock()
        self._changed = asyncio.Condition()
        self._sockets: set[web.WebSocketResponse] = set()

    @property
    def identifies(self) -> int:
        return len(self.identify_log)

    @property
    def session(self) -> Session | None:
        """Shard 0's session (the only one of an unsharded bot)."""
        return self.sessions.get(0)

    def is_connected(self, shard: int = 0) -> bool:
        session = self.sessions.get(shard)
        return session is not None and session.socket is not None

    def guilds_on(self, shard: int) -> list[Guild]:
        return [g for g in self._guilds if shard_of(g.id, self.shard_count) == shard]

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self._sockets.add(socket)
        client = client_tag(request.headers)
        try:
            hello = {"heartbeat_interval": self._heartbeat_interval_ms}
            await _send(socket, {"op": HELLO, "d": hello, "s": None, "t": None})
            async for frame in socket:
                if frame.type is not WSMsgType.TEXT:
                    continue
                await self._receive(socket, client, json.loads(frame.data))
        finally:
            self._sockets.discard(socket)
            for session in self.sessions.values():
                if session.socket is socket:
                    session.socket = None
                    self.disconnects.append((session.shard_id, socket.close_code))
            await self._notify()
        return socket

    async def _receive(
        self, socket: web.WebSocketResponse, client: str | None, message: dict[str, Any]
    ) -> None:
        op, data = message.get("op"), message.get("d")
        if op == HEARTBEAT:
            self.heartbeats += 1
            await _send(socket, {"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == IDENTIFY:
            await self._identify(socket, client, data)
        elif op == RESUME:
            await self._resume(socket, data)
        elif op == PRESENCE:
            for session in self.sessions.values():
                if session.socket is socket:
                    session.presence = data
        elif op == REQUEST_MEMBERS:
            await self._members_chunk(data)
        elif op != VOICE_STATE:
            self._violation(Violation(f"gateway op {op}", [("op", "unknown gateway opcode")]))

    async def _identify(
        self, socket: web.WebSocketResponse, client: str | None, data: dict[str, Any]
    ) -> None:
        if data.get("token") != self._token():
            self._violation(Violation("gateway IDENTIFY", [("token", "does not match the bot's")]))
            await socket.close(code=AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return
        shard = data.get("shard") or [0, 1]
        refusal = self._shard_refusal(data.get("shard"))
        if refusal is not None:
            code, text = refusal
            self._violation(Violation("gateway IDENTIFY", [("shard", text)]))
            await socket.close(code=code, message=text.encode())
            return
        self._check_pacing(shard[0])
        self.identify_log.append((shard[0], self._clock()))
        session = Session(
            id=secrets.token_hex(16),
            intents=data.get("intents", 0),
            shard=list(shard),
            client=client,
        )
        self.sessions[session.shard_id] = session
        session.socket = socket
        guilds = self.guilds_on(session.shard_id)
        await self._send_to(session, "READY", self._ready_payload(session, guilds))
        if session.intents & GUILDS_INTENT:
            for guild in guilds:
                await self._send_to(session, "GUILD_CREATE", guild.guild_create())
        await self._notify()

    def _shard_refusal(self, shard: Any) -> tuple[int, str] | None:
        """Discord's close code and reason for an IDENTIFY's ``shard``, or None if it is fine."""
        if shard is None:
            if self.shard_count > 1:
                return SHARDING_REQUIRED, f"sharding required: the bot has {self.shard_count}"
            return None
        valid = (
            isinstance(shard, list)
            and len(shard) == 2
            and shard[1] == self.shard_count
            and 0 <= shard[0] < self.shard_count
        )
        if not valid:
            return INVALID_SHARD, f"invalid shard {shard}: the bot has {self.shard_count} shards"
        return None

    def _check_pacing(self, shard_id: int) -> None:
        if self.shard_count == 1:
            return
        bucket = shard_id % self.max_concurrency
        now = self._clock()
        for earlier, at in reversed(self.identify_log):
            if earlier % self.max_concurrency == bucket:
                if now - at < IDENTIFY_INTERVAL:
                    waited = (now - at).total_seconds()
                    text = (
                        f"shard {shard_id} identified {waited:g} s after shard {earlier} in "
                        f"bucket {bucket}; Discord allows one IDENTIFY per 5 s per bucket"
                    )
                    self._violation(Violation("gateway IDENTIFY", [("shard", text)]))
                return

    async def _resume(self, socket: web.WebSocketResponse, data: dict[str, Any]) -> None:
        session = next((s for s in self.sessions.values() if s.id == data.get("session_id")), None)
        if session is None or data.get("token") != self._token():
            await _send(socket, {"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        async with self._send_lock:
            for event in session.sent:
                if event["s"] > (data.get("seq") or 0):
                    await _send(socket, event)
            session.socket = socket
        self.resumes += 1
        session.resumes += 1
        await self._send_to(session, "RESUMED", {})
        await self._notify()

    async def _members_chunk(self, data: dict[str, Any]) -> None:
        guild = next(g for g in self._guilds if str(g.id) == str(data.get("guild_id")))
        chunk = {
            "guild_id": str(guild.id),
            "members": list(guild.members.values()),
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        await self.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    def shard_for(self, data: dict[str, Any]) -> int:
        """The shard a dispatch goes to: its server's (``guild_id``), else shard 0."""
        guild_id = data.get("guild_id")
        return 0 if guild_id is None else shard_of(int(guild_id), self.shard_count)

    async def dispatch(self, event: str, data: dict[str, Any], shard: int | None = None) -> Session:
        """Send a dispatch to its shard's session (``shard``, or :meth:`shard_for`); with no
        socket open it waits there for the bot's RESUME. Raises :class:`NoSession` if no bot
        has identified for the shard. Returns the session."""
        shard_id = self.shard_for(data) if shard is None else shard
        session = self.sessions.get(shard_id)
        if session is None:
            raise NoSession(
                f"cannot dispatch {event}: no bot has identified for shard {shard_id} "
                f"(of {self.shard_count})"
            )
        await self._send_to(session, event, data)
        return session

    async def _send_to(self, session: Session, event: str, data: dict[str, Any]) -> None:
        async with self._send_lock:
            session.sequence += 1
            frame = {"op": DISPATCH, "t": event, "s": session.sequence, "d": data}
            session.sent.append(frame)
            if session.socket is not None:
                await _send(session.socket, frame)

    async def drop(self, code: int = RESUMABLE_CLOSE, *, shard: int = 0) -> None:
        """Close a shard's socket the way a network blip or a Discord restart would."""
        session = self.sessions.get(shard)
        if session is None or session.socket is None:
            raise RuntimeError(f"no bot is connected to the gateway on shard {shard}")
        socket, session.socket = session.socket, None
        self.disconnects.append((shard, code))
        await socket.close(code=code, message=b"stand-in dropped the connection")

    async def wait_resumed(self, count: int, timeout: float, *, shard: int = 0) -> None:
        """Wait until the shard's session has resumed ``count`` times in all, and is connected."""

        def resumed() -> bool:
            session = self.sessions.get(shard)
            return session is not None and session.resumes >= count and self.is_connected(shard)

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(resumed), timeout)

    async def wait_disconnected(self, client: str, timeout: float) -> None:
        """Wait until no session identified by ``client`` has a socket open."""

        def gone() -> bool:
            return all(s.socket is None for s in self.sessions.values() if s.client == client)

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(gone), timeout)

    async def close(self) -> None:
        for socket in list(self._sockets):
            await socket.close(code=1001, message=b"stand-in stopping")

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()


async def _send(socket: web.WebSocketResponse, frame: dict[str, Any]) -> None:
    """Send unless the socket is closing (a frame lost to a closing socket is lost on Discord
    too; a dispatch stays in the session for the RESUME)."""
    if socket.closed:
        return
    try:
        await socket.send_json(frame)
    except ConnectionResetError:
        log.debug("socket closed while sending op %s", frame["op"])
