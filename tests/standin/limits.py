"""Discord's documented limits, checked on every payload the bot sends to the stand-in.

Each check returns a list of problems, ``(where, what)`` pairs such as
``("embeds.0.title", "must be 256 or fewer in length (got 300)")``; an empty list means Discord
would accept the payload. The stand-in answers a payload with problems with HTTP 400 (code 50035,
"Invalid Form Body", the problems as ``errors``) and records it as a violation.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

Problem = tuple[str, str]

EPHEMERAL = 1 << 6
LOADING = 1 << 7
SUPPRESS_EMBEDS = 1 << 2
SUPPRESS_NOTIFICATIONS = 1 << 12
COMPONENTS_V2 = 1 << 15
SENDABLE_FLAGS = EPHEMERAL | SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS | COMPONENTS_V2

ACTION_ROW, BUTTON, STRING_SELECT, TEXT_INPUT = 1, 2, 3, 4
SELECTS = frozenset({3, 5, 6, 7, 8})
TEXT_DISPLAY, LABEL = 10, 18
LINK_STYLE, PREMIUM_STYLE = 5, 6

SUBCOMMAND, SUBCOMMAND_GROUP = 1, 2
STRING, INTEGER, NUMBER = 3, 4, 10
CHAT_INPUT = 1
COMMANDS_PER_TYPE = {1: 100, 2: 15, 3: 15}

_URL_SCHEMES = ("http://", "https://", "attachment://")


def _length(where: str, value: Any, maximum: int, minimum: int = 0) -> list[Problem]:
    if value is None:
        return [(where, "is required")] if minimum else []
    if not isinstance(value, str):
        return [(where, f"must be a string (got {type(value).__name__})")]
    if len(value) > maximum:
        return [(where, f"must be {maximum} or fewer in length (got {len(value)})")]
    if len(value.strip()) < minimum:
        return [(where, f"must be at least {minimum} in length (got {len(value.strip())})")]
    return []


def _count(where: str, items: Sequence[Any], maximum: int, what: str) -> list[Problem]:
    if len(items) > maximum:
        return [(where, f"must have {maximum} or fewer {what} (got {len(items)})")]
    return []


def _int_range(where: str, value: Any, low: int, high: int) -> list[Problem]:
    if value is None:
        return []
    if not isinstance(value, int) or not low <= value <= high:
        return [(where, f"must be an integer from {low} to {high} (got {value!r})")]
    return []


# Messages ------------------------------------------------------------------------------------


def message_problems(
    payload: Mapping[str, Any], *, file_count: int = 0, before: Mapping[str, Any] | None = None
) -> list[Problem]:
    """Problems with a message create (``before is None``) or an edit of the message ``before``.

    ``file_count`` is the number of files uploaded with the request. For an edit, the message as
    it would be afterwards must still have content, an embed, a component or a file.
    """
    problems: list[Problem] = []
    flags = payload.get("flags") or 0
    if not isinstance(flags, int):
        return [("flags", f"must be an integer (got {flags!r})")]
    if flags & ~(SENDABLE_FLAGS | LOADING):
        problems.append(("flags", f"has flags a bot cannot set ({flags})"))
    v2 = bool((flags | ((before or {}).get("flags") or 0)) & COMPONENTS_V2)
    problems += _length("content", payload.get("content"), 2000)
    problems += embed_problems(payload.get("embeds") or [])
    problems += component_problems(payload.get("components") or [], v2=v2)
    problems += allowed_mentions_problems(payload.get("allowed_mentions"))
    if v2 and (payload.get("content") or payload.get("embeds")):
        problems.append(("content", "cannot be used with the components v2 flag"))
    if file_count + len(payload.get("attachments") or []) > 10:
        problems.append(("attachments", "must have 10 or fewer files"))
    after = {**(before or {}), **{k: v for k, v in payload.items() if k != "attachments"}}
    has_files = file_count > 0 or bool(
        payload.get("attachments") if "attachments" in payload else after.get("attachments")
    )
    if not (
        (after.get("content") or "").strip()
        or after.get("embeds")
        or after.get("components")
        or after.get("sticker_ids")
        or after.get("poll")
        or has_files
    ):
        problems.append(("content", "cannot send an empty message (code 50006)"))
    return problems


def embed_problems(embeds: Sequence[Mapping[str, Any]]) -> list[Problem]:
    """Discord's per-embed limits, and the 6000 characters shared by all embeds of a message."""
    problems = _count("embeds", embeds, 10, "embeds")
    total = 0
    for i, embed in enumerate(embeds):
        where = f"embeds.{i}"
        title, description = embed.get("title"), embed.get("description")
        footer = (embed.get("footer") or {}).get("text")
        author = (embed.get("author") or {}).get("name")
        problems += _length(f"{where}.title", title, 256)
        problems += _length(f"{where}.description", description, 4096)
        problems += _length(f"{where}.footer.text", footer, 2048)
        problems += _length(f"{where}.author.name", author, 256)
        fields = embed.get("fields") or []
        problems += _count(f"{where}.fields", fields, 25, "fields")
        for j, field in enumerate(fields):
            problems += _length(f"{where}.fields.{j}.name", field.get("name"), 256, 1)
            problems += _length(f"{where}.fields.{j}.value", field.get("value"), 1024, 1)
            total += len(field.get("name") or "") + len(field.get("value") or "")
        total += sum(len(text or "") for text in (title, description, footer, author))
        for key, url in _embed_urls(embed):
            if not isinstance(url, str) or not url.startswith(_URL_SCHEMES):
                problems.append((f"{where}.{key}", f"is not a well formed URL ({url!r})"))
        colour = embed.get("color")
        if colour is not None and not (isinstance(colour, int) and 0 <= colour <= 0xFFFFFF):
            problems.append((f"{where}.color", f"must be from 0 to 16777215 (got {colour!r})"))
    if total > 6000:
        problems.append(("embeds", f"must have 6000 or fewer characters in total (got {total})"))
    return problems


def _embed_urls(embed: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    if "url" in embed:
        yield "url", embed["url"]
    for part, key in (
        ("image", "url"),
        ("thumbnail", "url"),
        ("author", "url"),
        ("author", "icon_url"),
        ("footer", "icon_url"),
    ):
        inner = embed.get(part) or {}
        if inner.get(key) is not None:
            yield f"{part}.{key}", inner[key]


def component_problems(components: Sequence[Mapping[str, Any]], *, v2: bool) -> list[Problem]:
    """Action rows, buttons and selects; with the components v2 flag, the layout components too."""
    problems: list[Problem] = []
    if not v2:
        problems += _count("components", components, 5, "action rows")
        for i, row in enumerate(components):
            if row.get("type") != ACTION_ROW:
                problems.append((f"components.{i}", "must be an action row (type 1)"))
            else:
                problems += _row_problems(f"components.{i}", row)
    else:
        every = list(_walk(components, "components"))
        if len(every) > 40:
            problems.append(("components", f"must have 40 or fewer components (got {len(every)})"))
        text = sum(len(c.get("content") or "") for _, c in every if c.get("type") == TEXT_DISPLAY)
        if text > 4000:
            problems.append(("components", f"text displays must total 4000 or fewer ({text})"))
        for where, item in every:
            if item.get("type") == ACTION_ROW:
                problems += _row_problems(where, item)
    seen: set[str] = set()
    for where, item in _walk(components, "components"):
        custom_id = item.get("custom_id")
        if custom_id is not None and custom_id in seen:
            problems.append((f"{where}.custom_id", f"duplicates custom_id {custom_id!r}"))
        seen.add(custom_id)
    return problems


def _walk(items: Sequence[Mapping[str, Any]], where: str) -> Iterator[tuple[str, Mapping]]:
    for i, item in enumerate(items):
        here = f"{where}.{i}"
        yield here, item
        yield from _walk(item.get("components") or [], f"{here}.components")
        for key in ("accessory", "component"):
            if item.get(key):
                yield from _walk([item[key]], f"{here}.{key}")


def _row_problems(where: str, row: Mapping[str, Any]) -> list[Problem]:
    children = row.get("components") or []
    if not children:
        return [(where, "an action row needs at least one component")]
    problems = _count(f"{where}.components", children, 5, "components")
    if any(child.get("type") in SELECTS for child in children) and len(children) > 1:
        problems.append((where, "a select menu must be alone in its action row"))
    for j, child in enumerate(children):
        problems += _item_problems(f"{where}.components.{j}", child)
    return problems


def _item_problems(where: str, item: Mapping[str, Any]) -> list[Problem]:
    kind = item.get("type")
    if kind == BUTTON:
        return _button_problems(where, item)
    if kind in SELECTS:
        return _select_problems(where, item)
    if kind == TEXT_INPUT:
        return [(where, "text inputs belong in modals, not messages")]
    return [(where, f"component type {kind!r} cannot go in an action row")]


def _button_problems(where: str, button: Mapping[str, Any]) -> list[Problem]:
    style = button.get("style")
    problems = _int_range(f"{where}.style", style, 1, 6)
    problems += _length(f"{where}.label", button.get("label"), 80)
    if style == LINK_STYLE:
        if not str(button.get("url") or "").startswith(("http://", "https://", "discord://")):
            problems.append((f"{where}.url", "a link button needs a URL"))
        if button.get("custom_id") is not None:
            problems.append((f"{where}.custom_id", "a link button cannot have a custom_id"))
    elif style == PREMIUM_STYLE:
        if not button.get("sku_id"):
            problems.append((f"{where}.sku_id", "a premium button needs a sku_id"))
    else:
        problems += _length(f"{where}.custom_id", button.get("custom_id"), 100, 1)
    if style != PREMIUM_STYLE and not (button.get("label") or button.get("emoji")):
        problems.append((where, "a button needs a label or an emoji"))
    return problems


def _select_problems(where: str, select: Mapping[str, Any]) -> list[Problem]:
    problems = _length(f"{where}.custom_id", select.get("custom_id"), 100, 1)
    problems += _length(f"{where}.placeholder", select.get("placeholder"), 150)
    low, high = select.get("min_values"), select.get("max_values")
    problems += _int_range(f"{where}.min_values", low, 0, 25)
    problems += _int_range(f"{where}.max_values", high, 1, 25)
    if isinstance(low, int) and isinstance(high, int) and low > high:
        problems.append((f"{where}.min_values", "must not be more than max_values"))
    if select.get("type") == STRING_SELECT:
        options = select.get("options") or []
        if not options:
            problems.append((f"{where}.options", "a string select needs at least one option"))
        problems += _count(f"{where}.options", options, 25, "options")
        for k, option in enumerate(options):
            problems += _length(f"{where}.options.{k}.label", option.get("label"), 100, 1)
            problems += _length(f"{where}.options.{k}.value", option.get("value"), 100, 1)
            problems += _length(f"{where}.options.{k}.description", option.get("description"), 100)
    return problems


def allowed_mentions_problems(allowed: Mapping[str, Any] | None) -> list[Problem]:
    """Known ``parse`` values; ``parse`` and an explicit id list may not both name a kind."""
    if allowed is None:
        return []
    problems: list[Problem] = []
    parse = allowed.get("parse") or []
    for value in parse:
        if value not in ("users", "roles", "everyone"):
            problems.append(("allowed_mentions.parse", f"has an unknown value {value!r}"))
    for kind in ("users", "roles"):
        explicit = allowed.get(kind) or []
        if kind in parse and explicit:
            problems.append((f"allowed_mentions.{kind}", f"conflicts with parse {kind!r}"))
        problems += _count(f"allowed_mentions.{kind}", explicit, 100, "ids")
    return problems


# Interaction answers -------------------------------------------------------------------------


def autocomplete_problems(choices: Any) -> list[Problem]:
    """At most 25 choices; each name and each string value 1-100 characters."""
    if not isinstance(choices, list):
        return [("choices", "must be a list")]
    problems = _count("choices", choices, 25, "choices")
    for i, choice in enumerate(choices):
        problems += _length(f"choices.{i}.name", choice.get("name"), 100, 1)
        value = choice.get("value")
        if isinstance(value, str):
            problems += _length(f"choices.{i}.value", value, 100, 1)
        elif not isinstance(value, int | float) or isinstance(value, bool):
            problems.append((f"choices.{i}.value", f"must be a string or a number ({value!r})"))
    return problems


def modal_problems(modal: Mapping[str, Any]) -> list[Problem]:
    """Title 1-45, 1-5 components, each text input labelled (1-45) with sane lengths."""
    problems = _length("title", modal.get("title"), 45, 1)
    problems += _length("custom_id", modal.get("custom_id"), 100, 1)
    components = modal.get("components") or []
    if not components:
        problems.append(("components", "a modal needs at least one component"))
    problems += _count("components", components, 5, "components")
    for i, item in enumerate(components):
        where = f"components.{i}"
        kind = item.get("type")
        if kind == ACTION_ROW:
            inputs = item.get("components") or []
            if len(inputs) != 1 or inputs[0].get("type") != TEXT_INPUT:
                problems.append((where, "an action row in a modal holds exactly one text input"))
            for j, text_input in enumerate(inputs):
                problems += _length(f"{where}.components.{j}.label", text_input.get("label"), 45, 1)
                problems += _text_input_problems(f"{where}.components.{j}", text_input)
        elif kind == LABEL:
            problems += _length(f"{where}.label", item.get("label"), 45, 1)
            problems += _length(f"{where}.description", item.get("description"), 100)
            inner = item.get("component") or {}
            if inner.get("type") == TEXT_INPUT:
                problems += _text_input_problems(f"{where}.component", inner)
            elif inner.get("type") in SELECTS:
                problems += _select_problems(f"{where}.component", inner)
            else:
                problems.append((f"{where}.component", "a label holds a text input or a select"))
        elif kind != TEXT_DISPLAY:
            problems.append((where, f"component type {kind!r} cannot go in a modal"))
    return problems


def _text_input_problems(where: str, text_input: Mapping[str, Any]) -> list[Problem]:
    problems = _length(f"{where}.custom_id", text_input.get("custom_id"), 100, 1)
    problems += _int_range(f"{where}.style", text_input.get("style"), 1, 2)
    problems += _length(f"{where}.placeholder", text_input.get("placeholder"), 100)
    problems += _length(f"{where}.value", text_input.get("value"), 4000)
    problems += _int_range(f"{where}.min_length", text_input.get("min_length"), 0, 4000)
    problems += _int_range(f"{where}.max_length", text_input.get("max_length"), 1, 4000)
    return problems


# Application commands ------------------------------------------------------------------------


def chat_name_ok(name: Any) -> bool:
    """Discord's ``^[-_\\p{L}\\p{N}]{1,32}$``, lowercase where a letter has a lowercase form."""
    return (
        isinstance(name, str)
        and 1 <= len(name) <= 32
        and all(c in "-_" or unicodedata.category(c)[0] in "LN" for c in name)
        and name == name.lower()
    )


def commands_problems(commands: Any) -> list[Problem]:
    """Problems with a bulk overwrite (PUT) of application commands."""
    if not isinstance(commands, list):
        return [("", "must be a list of commands")]
    problems: list[Problem] = []
    seen: set[tuple[int, str]] = set()
    per_type: dict[int, int] = {}
    for i, command in enumerate(commands):
        kind = command.get("type", CHAT_INPUT)
        key = (kind, command.get("name"))
        if key in seen:
            problems.append((f"{i}.name", f"duplicates command {command.get('name')!r}"))
        seen.add(key)
        per_type[kind] = per_type.get(kind, 0) + 1
        problems += command_problems(command, f"{i}")
    for kind, count in per_type.items():
        if count > COMMANDS_PER_TYPE.get(kind, 0):
            problems.append(("", f"too many commands of type {kind} ({count})"))
    return problems


def command_problems(command: Mapping[str, Any], where: str = "") -> list[Problem]:
    """One command: name, description, options (recursively), and its 4000-character budget."""
    prefix = f"{where}." if where else ""
    kind = command.get("type", CHAT_INPUT)
    if kind not in COMMANDS_PER_TYPE:
        return [(f"{prefix}type", f"unknown command type {kind!r}")]
    if kind != CHAT_INPUT:
        problems = _length(f"{prefix}name", command.get("name"), 32, 1)
        if command.get("description"):
            problems.append((f"{prefix}description", "context menu commands have no description"))
        return problems
    problems = _name_and_description(prefix, command)
    problems += _options_problems(command.get("options") or [], f"{prefix}options", depth=0)
    size = _characters(command)
    if size > 4000:
        problems.append((where or "command", f"must have 4000 or fewer characters (got {size})"))
    perms = command.get("default_member_permissions")
    if perms is not None and not (
        (isinstance(perms, str) and perms.isdigit()) or (type(perms) is int and perms >= 0)
    ):
        problems.append((f"{prefix}default_member_permissions", "must be a permission number"))
    return problems


def _name_and_description(prefix: str, item: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    if not chat_name_ok(item.get("name")):
        problems.append(
            (f"{prefix}name", f"{item.get('name')!r} must match ^[-_\\p{{L}}\\p{{N}}]{{1,32}}$")
        )
    problems += _length(f"{prefix}description", item.get("description"), 100, 1)
    return problems


def _options_problems(
    options: Sequence[Mapping[str, Any]], where: str, depth: int
) -> list[Problem]:
    problems = _count(where, options, 25, "options")
    names = [option.get("name") for option in options]
    for name in {n for n in names if names.count(n) > 1}:
        problems.append((where, f"duplicates option {name!r}"))
    nested = [o.get("type") in (SUBCOMMAND, SUBCOMMAND_GROUP) for o in options]
    if any(nested) and not all(nested):
        problems.append((where, "cannot mix subcommands with other options"))
    optional_seen = False
    for i, option in enumerate(options):
        here = f"{where}.{i}"
        kind = option.get("type")
        problems += _name_and_description(f"{here}.", option)
        if kind == SUBCOMMAND_GROUP:
            if depth > 0:
                problems.append((here, "a subcommand group can only be at the top level"))
            inner = option.get("options") or []
            if any(o.get("type") != SUBCOMMAND for o in inner):
                problems.append((here, "a subcommand group holds only subcommands"))
            problems += _options_problems(inner, f"{here}.options", depth + 1)
        elif kind == SUBCOMMAND:
            inner = option.get("options") or []
            if any(o.get("type") in (SUBCOMMAND, SUBCOMMAND_GROUP) for o in inner):
                problems.append((here, "a subcommand cannot hold subcommands"))
            problems += _options_problems(inner, f"{here}.options", depth + 1)
        else:
            problems += _value_option_problems(here, option)
            if option.get("required"):
                if optional_seen:
                    problems.append((here, "required options must come before optional ones"))
            else:
                optional_seen = True
    return problems


def _value_option_problems(here: str, option: Mapping[str, Any]) -> list[Problem]:
    kind = option.get("type")
    problems = _int_range(f"{here}.type", kind, 3, 11)
    choices = option.get("choices") or []
    problems += _count(f"{here}.choices", choices, 25, "choices")
    if choices and option.get("autocomplete"):
        problems.append((here, "cannot have both choices and autocomplete"))
    if (choices or option.get("autocomplete")) and kind not in (STRING, INTEGER, NUMBER):
        problems.append((here, "only string, integer and number options take choices"))
    for j, choice in enumerate(choices):
        problems += _length(f"{here}.choices.{j}.name", choice.get("name"), 100, 1)
        if isinstance(choice.get("value"), str):
            problems += _length(f"{here}.choices.{j}.value", choice["value"], 100, 1)
    for key in ("min_length", "max_length"):
        if key in option and option[key] is not None:
            if kind != STRING:
                problems.append((f"{here}.{key}", "only string options take lengths"))
            problems += _int_range(f"{here}.{key}", option[key], 0 if key[1] == "i" else 1, 6000)
    return problems


def _characters(item: Mapping[str, Any]) -> int:
    size = len(item.get("name") or "") + len(item.get("description") or "")
    for choice in item.get("choices") or []:
        size += len(choice.get("name") or "") + len(str(choice.get("value", "")))
    return size + sum(_characters(option) for option in item.get("options") or [])


# Scheduled events ----------------------------------------------------------------------------


def scheduled_event_problems(
    payload: Mapping[str, Any],
    *,
    channel_types: Mapping[str, int],
    now: datetime,
    before: Mapping[str, Any] | None = None,
) -> list[Problem]:
    """A guild scheduled event create (or, with ``before``, the event as an edit leaves it).

    ``channel_types`` maps the guild's channel ids (strings) to their channel types.
    """
    event = {**(before or {}), **payload}
    problems = _length("name", event.get("name"), 100, 1)
    problems += _length("description", event.get("description"), 1000)
    if event.get("privacy_level") != 2:
        problems.append(("privacy_level", "must be 2 (guild only)"))
    kind = event.get("entity_type")
    channel = event.get("channel_id")
    location = (event.get("entity_metadata") or {}).get("location")
    if kind in (1, 2):
        wanted = 13 if kind == 1 else 2
        if channel_types.get(str(channel)) != wanted:
            problems.append(("channel_id", f"entity type {kind} needs a channel of type {wanted}"))
    elif kind == 3:
        if channel is not None:
            problems.append(("channel_id", "an external event has no channel"))
        problems += _length("entity_metadata.location", location, 100, 1)
        if not event.get("scheduled_end_time"):
            problems.append(("scheduled_end_time", "an external event needs an end time"))
    else:
        problems.append(("entity_type", f"must be 1, 2 or 3 (got {kind!r})"))
    start = _time(event.get("scheduled_start_time"))
    end = _time(event.get("scheduled_end_time"))
    if start is None:
        problems.append(("scheduled_start_time", "must be an ISO 8601 time with a time zone"))
    elif before is None and start <= now:
        problems.append(("scheduled_start_time", "must be in the future"))
    if event.get("scheduled_end_time") and end is None:
        problems.append(("scheduled_end_time", "must be an ISO 8601 time with a time zone"))
    if start and end and end <= start:
        problems.append(("scheduled_end_time", "must be after the start time"))
    return problems


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else None
