"""What DEBUG logging shows: what the bot did, never the data it did it with.

At DEBUG, aiosqlite logs every call with its arguments (whole reviews, the search vocabulary)
and discord.py every gateway event and HTTP body whole: review texts, members' typing, and with
a few hundred members so many lines that writing them stalls the bot. Filters on those loggers
rewrite each record before any handler sees it: a statement keeps its SQL and shows its
parameters as sizes, a payload becomes its event name and size.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Mapping
from typing import Any


def _shown(value: Any) -> str:
    """A statement's parameter as the log shows it: numbers as they are, text as its size."""
    if value is None or isinstance(value, bool | int | float):
        return repr(value)
    if isinstance(value, str):
        return f"<{len(value)} chars>"
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, tuple):
        return "(" + ", ".join(_shown(item) for item in value) + ")"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{key}: {_shown(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return f"<{len(value)} items>"
    return f"<{type(value).__name__}>"


def _statement(argument: Any) -> Any:
    """aiosqlite's logged call (a partial of a sqlite3 method): its name, SQL and sizes."""
    if not isinstance(argument, functools.partial):
        return argument
    name = getattr(argument.func, "__name__", "call")
    sql, *rest = argument.args or ("",)
    parts = [" ".join(sql.split()) if isinstance(sql, str) else _shown(sql), *map(_shown, rest)]
    parts += [f"{key}={_shown(value)}" for key, value in argument.keywords.items()]
    return f"{name}: " + " ".join(parts)


def _payload(argument: Any) -> Any:
    """A gateway event or an HTTP body (parsed, or as JSON text): its event name and size."""
    if isinstance(argument, str) and argument.startswith(("{", "[")):
        return f"<JSON, {len(argument)} chars>"
    if not isinstance(argument, dict | list):
        return argument
    size = len(json.dumps(argument, default=str))
    if isinstance(argument, dict) and argument.get("t"):
        return f"<{argument['t']} event, {size} chars>"
    if isinstance(argument, dict) and "op" in argument:
        return f"<op {argument['op']}, {size} chars>"
    return f"<payload, {size} chars>"


class _Rewrite(logging.Filter):
    """Rewrites every argument of a record; drops nothing."""

    def __init__(self, rewrite: Callable[[Any], Any]) -> None:
        super().__init__()
        self._rewrite = rewrite

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(map(self._rewrite, record.args))
        elif isinstance(record.args, Mapping):  # logging unpacks a lone dict argument
            rewritten = self._rewrite(record.args)
            if rewritten is not record.args:
                record.args = (rewritten,)
        return True


_STATEMENTS = _Rewrite(_statement)
_PAYLOADS = _Rewrite(_payload)
FILTERED = {"aiosqlite": _STATEMENTS, "discord.gateway": _PAYLOADS, "discord.http": _PAYLOADS}
"""The loggers that would write data, and the filter each gets."""


def keep_data_out() -> None:
    """Put the filters on their loggers (once: doing it again changes nothing)."""
    for name, rewrite in FILTERED.items():
        logging.getLogger(name).addFilter(rewrite)
