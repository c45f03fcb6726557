"""The stand-in's gateway: one websocket endpoint speaking Discord's gateway protocol (v10).

HELLO, then IDENTIFY (READY, and one GUILD_CREATE per guild if the bot asked for the GUILDS
intent) or RESUME (missed dispatches replayed, then RESUMED); heartbeats are acknowledged;
REQUEST_GUILD_MEMBERS gets one chunk.
Frames are plain JSON text, which discord.py accepts whatever compression it asked for.
Dispatches sent while no socket is open are kept and replayed when the bot resumes.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.standin.guild import Guild
from tests.standin.recording import Violation

log = logging.getLogger(__name__)

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, VOICE_STATE = 0, 1, 2, 3, 4
RESUME, REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 6, 8, 9, 10, 11
AUTHENTICATION_FAILED = 4004
RESUMABLE_CLOSE = 4000
GUILDS_INTENT = 1 << 0


@dataclass
class Session:
    """A gateway session: its sequence, every dispatch sent (for RESUME), its open socket."""

    id: str
    intents: int
    shard: list[int]
    sequence: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)
    socket: web.WebSocketResponse | None = None
    presence: dict[str, Any] | None = None


class Gateway:
    """Serves ``GET /gateway`` (and the resume URL) for the stand-in."""

    def __init__(
        self,
        *,
        token: Callable[[], str],
        ready_payload: Callable[[Session], dict[str, Any]],
        guilds: list[Guild],
        violation: Callable[[Violation], None],
        heartbeat_interval_ms: int,
    ) -> None:
        self._token = token
        self._ready_payload = ready_payload
        self._guilds = guilds
        self._violation = violation
        self._heartbeat_interval_ms = heartbeat_interval_ms
        self.session: Session | None = None
        self.resumes = 0
        self.identifies = 0
        self.heartbeats = 0
        self._send_lock = asyncio.Lock()
        self._changed = asyncio.Condition()
        self._sockets: set[web.WebSocketResponse] = set()

    @property
    def connected(self) -> bool:
        return self.session is not None and self.session.socket is not None

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self._sockets.add(socket)
        try:
            hello = {"heartbeat_interval": self._heartbeat_interval_ms}
            await _send(socket, {"op": HELLO, "d": hello, "s": None, "t": None})
            async for frame in socket:
                if frame.type is not WSMsgType.TEXT:
                    continue
                await self._receive(socket, json.loads(frame.data))
        finally:
            self._sockets.discard(socket)
            if self.session is not None and self.session.socket is socket:
                self.session.socket = None
            await self._notify()
        return socket

    async def _receive(self, socket: web.WebSocketResponse, message: dict[str, Any]) -> None:
        op, data = message.get("op"), message.get("d")
        if op == HEARTBEAT:
            self.heartbeats += 1
            await _send(socket, {"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == IDENTIFY:
            await self._identify(socket, data)
        elif op == RESUME:
            await self._resume(socket, data)
        elif op == PRESENCE and self.session is not None:
            self.session.presence = data
        elif op == REQUEST_MEMBERS:
            await self._members_chunk(data)
        elif op != VOICE_STATE:
            self._violation(Violation(f"gateway op {op}", [("op", "unknown gateway opcode")]))

    async def _identify(self, socket: web.WebSocketResponse, data: dict[str, Any]) -> None:
        if data.get("token") != self._token():
            self._violation(Violation("gateway IDENTIFY", [("token", "does not match the bot's")]))
            await socket.close(code=AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return
        self.identifies += 1
        session = Session(
            id=secrets.token_hex(16),
            intents=data.get("intents", 0),
            shard=data.get("shard") or [0, 1],
        )
        self.session = session
        session.socket = socket
        await self.dispatch("READY", self._ready_payload(session))
        if session.intents & GUILDS_INTENT:
            for guild in self._guilds:
                await self.dispatch("GUILD_CREATE", guild.guild_create())

    async def _resume(self, socket: web.WebSocketResponse, data: dict[str, Any]) -> None:
        session = self.session
        if (
            session is None
            or data.get("session_id") != session.id
            or data.get("token") != self._token()
        ):
            await _send(socket, {"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        async with self._send_lock:
            for event in session.sent:
                if event["s"] > (data.get("seq") or 0):
                    await _send(socket, event)
            session.socket = socket
        self.resumes += 1
        await self.dispatch("RESUMED", {})
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

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a dispatch; with no socket open it waits in the session for the bot's RESUME."""
        session = self.session
        if session is None:
            raise RuntimeError(f"cannot dispatch {event}: the bot has not identified yet")
        async with self._send_lock:
            session.sequence += 1
            frame = {"op": DISPATCH, "t": event, "s": session.sequence, "d": data}
            session.sent.append(frame)
            if session.socket is not None:
                await _send(session.socket, frame)

    async def drop(self, code: int = RESUMABLE_CLOSE) -> None:
        """Close the bot's socket the way a network blip or a Discord restart would."""
        session = self.session
        if session is None or session.socket is None:
            raise RuntimeError("the bot is not connected to the gateway")
        socket, session.socket = session.socket, None
        await socket.close(code=code, message=b"stand-in dropped the connection")

    async def wait_resumed(self, count: int, timeout: float) -> None:
        """Wait until ``count`` RESUMEs have completed in all."""
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: self.resumes >= count and self.connected), timeout
            )

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
