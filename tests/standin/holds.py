"""Held sends: the bot's next message send to a channel stopped on its way to Discord, then let
through or lost, so a test can end a bot process between deciding to send and sending.

:meth:`DiscordStandIn.hold_next_send` makes a :class:`HeldSend`; the REST middleware hands it
the next ``POST /channels/{channel_id}/messages`` to that channel right after recording it,
before the answer delay, and waits for the test's decision.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from tests.standin.recording import RecordedRequest

if TYPE_CHECKING:
    from tests.standin.standin import DiscordStandIn


class HeldSend:
    """One held message send. ``await held.arrived`` waits for the bot's request (and returns
    it); then :meth:`release` carries it out as usual, or :meth:`drop` loses it: it is never
    carried out, as if the process died before its request reached Discord, and the bot's
    connection is closed without an answer."""

    def __init__(self, standin: DiscordStandIn, channel_id: int) -> None:
        self._standin = standin
        self.channel_id = channel_id
        self.request: RecordedRequest | None = None
        self.released = False
        self.dropped = False
        self._decided = asyncio.Event()

    def __repr__(self) -> str:
        state = "released" if self.released else "dropped" if self.dropped else "held"
        return f"<HeldSend channel={self.channel_id} {state} request={self.request}>"

    def catches(self, request: RecordedRequest) -> bool:
        return (
            self.request is None
            and request.method == "POST"
            and request.path == f"/channels/{self.channel_id}/messages"
        )

    @property
    def arrived(self) -> Coroutine[Any, Any, RecordedRequest]:
        """Await it for the held request, once that has reached the stand-in. Fails after the
        stand-in's ``interaction_timeout``, or at once if a bot it watches stops."""
        return self._arrival()

    async def _arrival(self) -> RecordedRequest:
        await self._standin.wait_until(
            lambda: self.request is not None,
            self._standin.interaction_timeout,
            f"no message send to channel {self.channel_id} arrived",
        )
        assert self.request is not None
        return self.request

    @property
    def pending(self) -> bool:
        """The request has arrived and waits for the test's decision."""
        return self.request is not None and not self._decided.is_set()

    def release(self) -> None:
        """Let the held request through: it is carried out and answered normally."""
        self._decide()
        self.released = True

    def drop(self) -> None:
        """Lose the held request: never carried out; the bot's connection is closed."""
        self._decide()
        self.dropped = True
        assert self.request is not None
        self.request.dropped = True

    def _decide(self) -> None:
        if self.request is None:
            raise RuntimeError(f"no send to channel {self.channel_id} has arrived to decide on")
        if self._decided.is_set():
            raise RuntimeError(f"{self!r} was decided already")
        self._decided.set()

    async def hold(self, request: RecordedRequest) -> bool:
        """Hold ``request`` until the test decides; True if it is to be carried out."""
        self.request = request
        await self._standin.notify()
        await self._decided.wait()
        return self.released
