"""Messages the bot posted, as the stand-in keeps them and as tests look at them."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from tests.standin.limits import EPHEMERAL, LOADING
from tests.standin.recording import Part

MESSAGE_FIELDS = ("content", "embeds", "components", "flags", "sticker_ids", "poll")
"""Payload keys that become message fields as sent (``attachments`` is handled apart)."""


class StoredMessage:
    """A message the bot sent. Live: later edits (and deletion) show through.

    ``data`` is the message object Discord would return; ``allowed_mentions`` is the one the
    latest send or edit carried; ``versions`` holds every earlier state of ``data``.
    """

    def __init__(self, data: dict[str, Any], allowed_mentions: dict[str, Any] | None) -> None:
        self.data = data
        self.allowed_mentions = allowed_mentions
        self.deleted = False
        self.versions: list[dict[str, Any]] = []

    def __repr__(self) -> str:
        return f"<StoredMessage id={self.id} content={self.content!r} flags={self.flags}>"

    @property
    def id(self) -> int:
        return int(self.data["id"])

    @property
    def channel_id(self) -> int:
        return int(self.data["channel_id"])

    @property
    def content(self) -> str:
        return self.data.get("content") or ""

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.data.get("embeds") or []

    @property
    def components(self) -> list[dict[str, Any]]:
        return self.data.get("components") or []

    @property
    def attachments(self) -> list[dict[str, Any]]:
        return self.data.get("attachments") or []

    @property
    def flags(self) -> int:
        return self.data.get("flags") or 0

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        """Still the "thinking…" placeholder of a deferred response."""
        return bool(self.flags & LOADING)

    @property
    def text(self) -> str:
        """Everything a reader sees as text: content, then each embed's parts, one a line."""
        lines = [self.content] if self.content else []
        for embed in self.embeds:
            lines += [embed.get("author", {}).get("name"), embed.get("title")]
            lines.append(embed.get("description"))
            for embed_field in embed.get("fields") or []:
                lines += [embed_field.get("name"), embed_field.get("value")]
            lines.append(embed.get("footer", {}).get("text"))
        for component in self.walk_components():
            if component.get("type") == 10:
                lines.append(component.get("content"))
        return "\n".join(line for line in lines if line)

    def walk_components(self) -> Iterator[dict[str, Any]]:
        """Every component, rows and layout containers included, depth first."""
        stack = list(reversed(self.components))
        while stack:
            item = stack.pop()
            yield item
            inner = list(item.get("components") or [])
            inner += [item[key] for key in ("accessory", "component") if item.get(key)]
            stack.extend(reversed(inner))

    @property
    def custom_ids(self) -> list[str]:
        return [c["custom_id"] for c in self.walk_components() if c.get("custom_id")]

    def component(self, custom_id: str) -> dict[str, Any]:
        """The component with ``custom_id`` (KeyError listing the ones there are)."""
        for item in self.walk_components():
            if item.get("custom_id") == custom_id:
                return item
        raise KeyError(
            f"message {self.id} has no component {custom_id!r}; it has {self.custom_ids}"
        )

    def button(self, label: str) -> dict[str, Any]:
        """The button labelled ``label``."""
        for item in self.walk_components():
            if item.get("type") == 2 and item.get("label") == label:
                return item
        labels = [c.get("label") for c in self.walk_components() if c.get("type") == 2]
        raise KeyError(f"message {self.id} has no button {label!r}; buttons: {labels}")


def new_message(
    message_id: int,
    channel_id: int,
    guild_id: int | None,
    author: dict[str, Any],
    payload: dict[str, Any],
    attachments: list[dict[str, Any]],
    now: str,
    **extra: Any,
) -> dict[str, Any]:
    """The message object Discord returns for a create with ``payload``."""
    data: dict[str, Any] = {
        "id": str(message_id),
        "channel_id": str(channel_id),
        "author": author,
        "content": payload.get("content") or "",
        "timestamp": now,
        "edited_timestamp": None,
        "tts": bool(payload.get("tts")),
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": attachments,
        "embeds": _rich(payload.get("embeds") or []),
        "components": copy.deepcopy(payload.get("components") or []),
        "pinned": False,
        "type": 0,
        "flags": payload.get("flags") or 0,
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    if payload.get("nonce") is not None:
        data["nonce"] = payload["nonce"]
    if payload.get("message_reference"):
        data["message_reference"] = payload["message_reference"]
        data["type"] = 19
    data.update(extra)
    return data


def apply_edit(
    message: StoredMessage,
    payload: dict[str, Any],
    attachments: list[dict[str, Any]] | None,
    now: str,
) -> None:
    """Edit ``message`` in place as a PATCH with ``payload`` would.

    ``attachments`` is the message's attachment list afterwards, or None to keep it.
    """
    message.versions.append(copy.deepcopy(message.data))
    data = message.data
    for key in MESSAGE_FIELDS:
        if key in payload:
            value = payload[key]
            if key == "embeds":
                value = _rich(value or [])
            elif key == "flags":
                keep = data.get("flags", 0) & EPHEMERAL
                value = ((value or 0) | keep) & ~LOADING
            data[key] = copy.deepcopy(value) if value is not None else _EMPTY.get(key)
    if attachments is not None:
        data["attachments"] = attachments
    data["flags"] = data.get("flags", 0) & ~LOADING
    data["edited_timestamp"] = now
    if "allowed_mentions" in payload:
        message.allowed_mentions = payload["allowed_mentions"]


_EMPTY: dict[str, Any] = {"content": "", "embeds": [], "components": [], "flags": 0}


def _rich(embeds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"type": "rich", **copy.deepcopy(embed)} for embed in embeds]


def attachment_list(
    payload: dict[str, Any],
    uploads: list[Part],
    kept: list[dict[str, Any]],
    store: Any,
) -> list[dict[str, Any]]:
    """The attachments after a send or edit: kept ones named in ``payload["attachments"]`` and
    every uploaded ``files[n]`` part, each stored through ``store(part) -> attachment``."""
    by_id = {str(a["id"]): a for a in kept}
    uploaded = {part.name: part for part in uploads}
    result = []
    for entry in payload.get("attachments") or []:
        key = str(entry.get("id"))
        if key in by_id:
            result.append(by_id[key])
        elif f"files[{key}]" in uploaded:
            attachment = store(uploaded.pop(f"files[{key}]"))
            if entry.get("description"):
                attachment["description"] = entry["description"]
            result.append(attachment)
    result += [store(part) for part in uploaded.values()]
    return result
