"""Interactions the stand-in sends on behalf of a member, and what a test gets back.

:func:`command_options` turns a test's ``{"name": value}`` into the option list Discord would
send for a registered command, typed by the command's own definition; :class:`InteractionRecord`
follows one interaction through its callback, edits and followups; :class:`InteractionResult`
is the test's view of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tests.standin.limits import SUBCOMMAND, SUBCOMMAND_GROUP

if TYPE_CHECKING:
    from tests.standin.messages import StoredMessage
    from tests.standin.standin import DiscordStandIn

APPLICATION_COMMAND, COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE = 4, 5, 6, 7
AUTOCOMPLETE_RESULT, MODAL = 8, 9
CALLBACKS_ALLOWED = {
    APPLICATION_COMMAND: {MESSAGE, DEFERRED_MESSAGE, MODAL},
    COMPONENT: {MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, MODAL},
    AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
    MODAL_SUBMIT: {MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE},
}
USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = 6, 7, 8, 9, 10, 11
STRING, INTEGER, BOOLEAN = 3, 4, 5
CHAT_INPUT, MESSAGE_MENU = 1, 3
"""Application command types: a slash command, a message's context menu."""
GUILD_INSTALL, USER_INSTALL = 0, 1
"""Integration types: the app added to a server, or installed on a member's own account."""

Resolver = Callable[[int, Any], tuple[str, dict[str, dict[str, Any]]]]
"""``(option type, test value) -> (snowflake, resolved data to merge)``."""


@dataclass
class InteractionRecord:
    """One interaction from dispatch to its last followup."""

    id: int
    token: str
    type: int
    payload: dict[str, Any]
    label: str
    created: float
    source_message_id: int | None = None
    callback_type: int | None = None
    original_id: int | None = None
    original_edited: bool = False
    original_deleted: bool = False
    followup_ids: list[int] = field(default_factory=list)
    modal: dict[str, Any] | None = None
    choices: list[dict[str, Any]] | None = None
    callback_at: float | None = None
    """When the callback request arrived (event loop time, before the stand-in's delay)."""
    answered_at: float | None = None
    """When the request that answered arrived: the callback, or the edit, followup or delete
    after a deferral."""
    undelivered: str | None = None
    """Why Discord could not deliver it (no bot had identified for its shard), if it could not."""

    def note_answer(self, arrived: float) -> None:
        """Remember when the interaction first counted as answered (called after each change)."""
        if self.answered_at is None and self.answered:
            self.answered_at = arrived

    @property
    def user_id(self) -> int:
        user = self.payload.get("member", {}).get("user") or self.payload["user"]
        return int(user["id"])

    @property
    def deferred(self) -> bool:
        return self.callback_type in (DEFERRED_MESSAGE, DEFERRED_UPDATE)

    @property
    def answered(self) -> bool:
        """A callback came, and a deferred one was followed by an edit, a followup or a delete."""
        if self.callback_type is None:
            return False
        if self.deferred:
            return self.original_edited or self.original_deleted or bool(self.followup_ids)
        return True


class InteractionResult:
    """What the bot answered to an interaction. Live: later edits and followups show through.

    ``type`` is the callback type (4 message, 5 deferred message, 6 deferred update, 7 update,
    8 autocomplete, 9 modal); ``message`` is the original response (for a component interaction
    answered with 6 or 7, the message the component is on); ``followups`` are the messages sent
    with the interaction's token (the first followup after a type 5 defer fills in the deferred
    message, as on Discord, so it is also ``message``).
    """

    def __init__(self, standin: DiscordStandIn, record: InteractionRecord) -> None:
        self._standin = standin
        self.record = record

    def __repr__(self) -> str:
        return f"<InteractionResult {self.record.label} type={self.type} message={self.message!r}>"

    @property
    def type(self) -> int | None:
        return self.record.callback_type

    @property
    def interaction_id(self) -> int:
        return self.record.id

    @property
    def user_id(self) -> int:
        return self.record.user_id

    @property
    def message(self) -> StoredMessage | None:
        if self.record.original_id is None:
            return None
        return self._standin.message(self.record.original_id)

    @property
    def message_id(self) -> int | None:
        return self.record.original_id

    @property
    def ephemeral(self) -> bool:
        return self.message is not None and self.message.ephemeral

    @property
    def followups(self) -> list[StoredMessage]:
        return [self._standin.message(i) for i in self.record.followup_ids]

    @property
    def messages(self) -> list[StoredMessage]:
        """The original response and every followup, each once, in the order they came."""
        found = [self.message] if self.message is not None else []
        return found + [m for m in self.followups if m.id != self.record.original_id]

    @property
    def text(self) -> str:
        """The text of every message in :attr:`messages`, one after another."""
        return "\n".join(message.text for message in self.messages)

    @property
    def callback_after(self) -> float | None:
        """Seconds from sending the interaction to the arrival of the bot's callback: what
        Discord's 3 s rule measures. None if the bot never called back."""
        if self.record.callback_at is None:
            return None
        return self.record.callback_at - self.record.created

    @property
    def answered_after(self) -> float | None:
        """Seconds from sending the interaction to the arrival of the request that answered it
        (the callback, or for a deferral the edit or followup after it). Measured when the
        request reached the stand-in, before its answer delay, as Discord's clock would.
        None while unanswered."""
        if self.record.answered_at is None:
            return None
        return self.record.answered_at - self.record.created

    @property
    def modal(self) -> dict[str, Any] | None:
        return self.record.modal

    @property
    def choices(self) -> list[dict[str, Any]] | None:
        return self.record.choices

    async def wait_followups(self, count: int = 1, timeout: float = 5.0) -> list[StoredMessage]:
        """Wait until the interaction has ``count`` followups; return them all."""
        await self._standin.wait_until(
            lambda: len(self.record.followup_ids) >= count,
            timeout,
            lambda: (
                f"{self.record.label} sent {len(self.record.followup_ids)} followups, not {count}"
            ),
        )
        return self.followups


def find_command_path(
    definition: Mapping[str, Any], path: Sequence[str]
) -> tuple[Mapping[str, Any], Callable[[list[dict[str, Any]]], list[dict[str, Any]]]]:
    """The leaf (command or subcommand) named by ``path``, and how to nest its options."""
    node: Mapping[str, Any] = definition
    chain: list[tuple[int, str]] = []
    for name in path[1:]:
        nested = [
            o for o in node.get("options") or [] if o.get("type") in (SUBCOMMAND, SUBCOMMAND_GROUP)
        ]
        match = next((o for o in nested if o["name"] == name), None)
        if match is None:
            names = [o["name"] for o in nested]
            raise KeyError(f"/{' '.join(path)}: no subcommand {name!r} here; there are {names}")
        chain.append((match["type"], name))
        node = match
    if any(o.get("type") in (SUBCOMMAND, SUBCOMMAND_GROUP) for o in node.get("options") or []):
        names = [o["name"] for o in node["options"]]
        raise KeyError(f"/{' '.join(path)} is a group; name one of its subcommands: {names}")

    def wrap(options: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for kind, name in reversed(chain):
            options = [{"type": kind, "name": name, "options": options}]
        return options

    return node, wrap


def command_options(
    leaf: Mapping[str, Any],
    values: Mapping[str, Any],
    resolve: Resolver,
    *,
    focused: str | None = None,
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Option payloads and resolved data for ``values``, checked as Discord's client would.

    Discord's client only sends what its form allows, so a value the definition rules out
    (unknown option, missing required option, a value outside the choices or ranges) is the
    test's mistake: ValueError. With ``focused`` (autocomplete), required options may be
    missing and the focused option carries the partial text typed so far.
    """
    defined = {o["name"]: o for o in leaf.get("options") or []}
    label = leaf.get("name")
    unknown = set(values) - set(defined)
    if unknown:
        raise ValueError(f"/{label} has no option {sorted(unknown)}; it has {list(defined)}")
    if focused is not None and focused not in defined:
        raise ValueError(f"/{label} has no option {focused!r} to focus")
    if focused is None:
        missing = [n for n, o in defined.items() if o.get("required") and n not in values]
        if missing:
            raise ValueError(f"/{label} needs the required options {missing}")
    options: list[dict[str, Any]] = []
    resolved: dict[str, dict[str, Any]] = {}
    for name, option in defined.items():
        if name == focused:
            text = str(values.get(name, ""))
            options.append({"type": option["type"], "name": name, "value": text, "focused": True})
        elif name in values:
            value, more = _option_value(option, values[name], resolve, strict=focused is None)
            options.append({"type": option["type"], "name": name, "value": value})
            for kind, entries in more.items():
                resolved.setdefault(kind, {}).update(entries)
    return options, resolved


def _option_value(
    option: Mapping[str, Any], value: Any, resolve: Resolver, *, strict: bool
) -> tuple[Any, dict[str, dict[str, Any]]]:
    kind, name = option["type"], option["name"]
    if kind in (USER, CHANNEL, ROLE, MENTIONABLE, ATTACHMENT):
        snowflake, resolved = resolve(kind, value)
        if kind == CHANNEL and option.get("channel_types"):
            channel_type = resolved["channels"][snowflake]["type"]
            if channel_type not in option["channel_types"]:
                raise ValueError(f"option {name!r} takes channel types {option['channel_types']}")
        return snowflake, resolved
    expected = {STRING: str, INTEGER: int, BOOLEAN: bool, NUMBER: (int, float)}[kind]
    if not isinstance(value, expected) or (kind != BOOLEAN and isinstance(value, bool)):
        raise ValueError(f"option {name!r} takes {expected}, not {value!r}")
    choices = option.get("choices") or []
    if choices and strict:
        by_name = {c["name"]: c["value"] for c in choices}
        if value not in by_name.values():
            if value not in by_name:
                raise ValueError(f"option {name!r} must be one of {list(by_name.values())}")
            value = by_name[value]
    if strict and kind == STRING:
        low, high = option.get("min_length", 0), option.get("max_length", 6000)
        if not low <= len(value) <= high:
            raise ValueError(f"option {name!r} takes {low} to {high} characters")
    if strict and kind in (INTEGER, NUMBER):
        low, high = option.get("min_value"), option.get("max_value")
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(f"option {name!r} takes values from {low} to {high}")
    return value, {}


def modal_submission(modal: Mapping[str, Any], values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The ``components`` of a modal submit: each input of ``modal`` with the value typed in.

    A value for an input the modal lacks, a missing required input, or a text outside the
    input's lengths is the test's mistake (Discord's client would not send it): ValueError.
    """
    unknown = set(values) - set(_modal_inputs(modal))
    if unknown:
        raise ValueError(f"modal {modal.get('custom_id')!r} has no inputs {sorted(unknown)}")
    submitted = []
    for item in modal.get("components") or []:
        if item.get("type") == 1:
            inner = [_submitted(c, values) for c in item.get("components") or []]
            submitted.append({"type": 1, "components": inner})
        elif item.get("type") == 18:
            submitted.append({"type": 18, "component": _submitted(item["component"], values)})
    return submitted


def _modal_inputs(modal: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    found = {}
    for item in modal.get("components") or []:
        for inner in [*(item.get("components") or []), item.get("component") or {}]:
            if inner.get("custom_id"):
                found[inner["custom_id"]] = inner
    return found


def _submitted(component: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    custom_id = component["custom_id"]
    if component.get("type") != 4:
        chosen = list(values.get(custom_id, []))
        return {"type": component["type"], "custom_id": custom_id, "values": chosen}
    text = values.get(custom_id, "")
    if not isinstance(text, str):
        raise ValueError(f"input {custom_id!r} takes text, not {text!r}")
    if component.get("required", True) and not text:
        raise ValueError(f"input {custom_id!r} is required")
    low, high = component.get("min_length", 0), component.get("max_length", 4000)
    if text and not low <= len(text) <= high:
        raise ValueError(f"input {custom_id!r} takes {low} to {high} characters")
    return {"type": 4, "custom_id": custom_id, "value": text}
