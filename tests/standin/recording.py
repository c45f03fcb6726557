"""What the stand-in keeps about each request: the request itself, violations, injected faults."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.standin.limits import Problem

API_PREFIX = "/api/v10"
CLIENT_TAG = re.compile(r"standin-client/(\S+)")
"""What ``run_bot`` adds to each client's User-Agent, so the stand-in can tell clients apart."""


def client_tag(headers: Mapping[str, str]) -> str | None:
    """The tag ``run_bot`` gave the client that sent these headers (None for other clients)."""
    found = CLIENT_TAG.search(headers.get("User-Agent", ""))
    return found.group(1) if found else None


_DEFAULT_ERRORS = {
    400: (50035, "Invalid Form Body"),
    401: (0, "401: Unauthorized"),
    403: (50013, "Missing Permissions"),
    404: (10003, "Unknown Channel"),
    429: (0, "You are being rate limited."),
    500: (0, "500: Internal Server Error"),
    502: (0, "502: Bad Gateway"),
    503: (0, "503: Service Unavailable"),
}


@dataclass
class Part:
    """One part of a multipart body (``payload_json`` or ``files[n]``)."""

    name: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class RecordedRequest:
    """A request the bot made. ``path`` has no ``/api/v10`` prefix; ``authorized`` tells whether
    an Authorization header came with it (its value is not kept)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    authorized: bool
    json: Any = None
    parts: list[Part] = field(default_factory=list)
    status: int = 0
    message: dict[str, Any] | None = None
    """The message this request creates or edits (the ``data`` of a message callback)."""
    deduplicated: bool = False
    """A channel send whose nonce matched an earlier send: Discord returned that message."""
    arrived: float = 0.0
    """When the request reached the stand-in (event loop time), before its answer delay."""
    dropped: bool = False
    """Held and then dropped (:meth:`DiscordStandIn.hold_next_send`): never carried out."""

    @property
    def client(self) -> str | None:
        """The tag of the client that sent it (``run_bot`` tags each client's REST requests;
        interaction callbacks and followups go through discord.py's webhook adapter, untagged)."""
        return client_tag(self.headers)

    @property
    def payload(self) -> Any:
        """The JSON body, or a multipart body's ``payload_json``."""
        for part in self.parts:
            if part.name == "payload_json":
                return json.loads(part.data)
        return self.json

    @property
    def files(self) -> list[Part]:
        return [part for part in self.parts if part.filename is not None]

    @property
    def allowed_mentions(self) -> dict[str, Any] | None:
        return None if self.message is None else self.message.get("allowed_mentions")

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


@dataclass
class Violation:
    """Something Discord would have refused, or a request to an endpoint the stand-in lacks."""

    request: str
    problems: list[Problem]

    def __str__(self) -> str:
        details = "; ".join(f"{where}: {what}" if where else what for where, what in self.problems)
        return f"{self.request}: {details}"


@dataclass
class Fault:
    """An injected failure: matching requests answer ``status`` while ``times`` lasts."""

    method: str
    pattern: re.Pattern[str]
    status: int
    code: int
    message: str
    times: int | None
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        return self.method in ("*", method) and self.pattern.fullmatch(path) is not None

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.status == 429:
            body.update(retry_after=0.01, **{"global": False})
        return body


def make_fault(
    method: str, path: str, status: int, code: int | None, message: str | None, times: int | None
) -> Fault:
    """A fault for ``path``, a path such as ``/channels/{channel_id}/messages`` where ``{…}`` or
    ``*`` stand for one path segment (``**`` for any rest of the path)."""
    pattern = ""
    for piece in re.split(r"(\{[^}]*\}|\*\*|\*)", path.removeprefix(API_PREFIX)):
        if piece == "**":
            pattern += ".*"
        elif piece == "*" or (piece.startswith("{") and piece.endswith("}")):
            pattern += "[^/]+"
        else:
            pattern += re.escape(piece)
    default_code, default_message = _DEFAULT_ERRORS.get(status, (0, f"{status}: Error"))
    return Fault(
        method=method.upper(),
        pattern=re.compile(pattern),
        status=status,
        code=default_code if code is None else code,
        message=default_message if message is None else message,
        times=times,
    )


def form_errors(problems: list[Problem]) -> dict[str, Any]:
    """Discord's 400 body: discord.py flattens ``errors`` into the exception's text."""
    errors: dict[str, Any] = {}
    for where, what in problems:
        entry = errors.setdefault(where or "_root", {"_errors": []})
        entry["_errors"].append({"code": "STANDIN_LIMIT", "message": what})
    return {"message": "Invalid Form Body", "code": 50035, "errors": errors}
