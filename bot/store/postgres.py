"""PostgreSQL under the store's SQL: a connection that reads the SQL the queries are written in.

The query mixins write one SQL for both backends: standard SQL both speak (``ON CONFLICT``,
``RETURNING``, ``FILTER``, ``TRUE``), SQLite's ``?`` and ``:name`` placeholders, and two SQLite
spellings that have a PostgreSQL twin. :func:`translate` rewrites a statement once (cached):

- ``?`` and ``:name`` become psycopg's ``%s`` and ``%(name)s`` (a ``%`` is doubled);
- ``SELECT value FROM json_each(:x)``, the rows of a JSON list of texts, becomes
  ``SELECT json_array_elements_text(CAST(:x AS json))``;
- ``group_concat(x)`` becomes ``string_agg(CAST(x AS text), ',')``.

String literals are left as they are. Anything else SQLite-only fails loudly on PostgreSQL, and
every store test runs on both backends. :class:`PgConnection` offers the part of aiosqlite's
connection the store uses (``execute``, ``executemany``, ``execute_fetchall``), so the queries
do not know which backend they talk to.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus

log = logging.getLogger(__name__)

_LITERAL = re.compile(r"('(?:[^']|'')*')")
_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_JSON_EACH = re.compile(r"SELECT value FROM json_each\((%\(\w+\)s|%s)\)", re.IGNORECASE)
_GROUP_CONCAT = re.compile(r"group_concat\(([\w.]+)\)", re.IGNORECASE)


@lru_cache(maxsize=1024)
def translate(sql: str) -> str:
    """The statement ``sql`` (the store's SQLite spelling) as PostgreSQL and psycopg read it."""
    parts = _LITERAL.split(sql)
    for i in range(0, len(parts), 2):  # outside string literals
        code = parts[i].replace("%", "%%").replace("?", "%s")
        code = _NAMED.sub(r"%(\1)s", code)
        code = _JSON_EACH.sub(r"SELECT json_array_elements_text(CAST(\1 AS json))", code)
        parts[i] = _GROUP_CONCAT.sub(r"string_agg(CAST(\1 AS text), ',')", code)
    for i in range(1, len(parts), 2):
        parts[i] = parts[i].replace("%", "%%")
    return "".join(parts)


Params = Sequence[Any] | Mapping[str, Any]


def _adapted(params: Params) -> Params:
    """Booleans as the 0 and 1 the schema keeps (its flags are integers, as in SQLite)."""
    if isinstance(params, Mapping):
        return {k: int(v) if isinstance(v, bool) else v for k, v in params.items()}
    return [int(v) if isinstance(v, bool) else v for v in params]


@dataclass(frozen=True, slots=True)
class Done:
    """What a statement did: the rows it changed (as a cursor's ``rowcount``)."""

    rowcount: int


class PgConnection:
    """One PostgreSQL session, spoken to in the store's SQL (see the module's docstring).

    A session PostgreSQL lost (a restart, a failover, a dropped network) is opened again on
    the next statement; a statement outside a transaction that failed because the session was
    lost is sent once more on the new one. Inside a transaction nothing is sent again: the
    transaction fails, nothing of it was saved, and the store says so. ``on_reconnect`` hooks
    restore what lived in the old session (a process's advisory lock).
    """

    def __init__(self, connection: psycopg.AsyncConnection[Any], url: str) -> None:
        self.raw = connection
        self.on_reconnect: list[Callable[[], Awaitable[None]]] = []
        self._url = url
        self._reconnecting = asyncio.Lock()

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status in (
            TransactionStatus.INTRANS,
            TransactionStatus.INERROR,
        )

    @classmethod
    async def connect(cls, url: str) -> PgConnection:
        return cls(await _session(url), url)

    async def execute(self, sql: str, params: Params = ()) -> Done:
        return await self._run(lambda cursor: cursor.execute(translate(sql), _adapted(params)))

    async def executemany(self, sql: str, rows: Iterable[Params]) -> Done:
        batch = [_adapted(row) for row in rows]
        if not batch:
            return Done(0)
        return await self._run(lambda cursor: cursor.executemany(translate(sql), batch))

    async def execute_fetchall(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = []

        async def fetch(cursor: psycopg.AsyncCursor[Any]) -> None:
            rows.clear()
            await cursor.execute(translate(sql), _adapted(params))
            rows.extend(await cursor.fetchall() if cursor.description else [])

        await self._run(fetch)
        return rows

    async def _run(self, step: Callable[[psycopg.AsyncCursor[Any]], Awaitable[object]]) -> Done:
        if self.raw.broken:
            await self._reconnect(self.raw)
        used, outside = self.raw, not self.in_transaction
        try:
            async with used.cursor() as cursor:
                await step(cursor)
                return Done(cursor.rowcount)
        except psycopg.OperationalError:
            if not (outside and used.broken):
                raise
        await self._reconnect(used)
        async with self.raw.cursor() as cursor:
            await step(cursor)
            return Done(cursor.rowcount)

    async def _reconnect(self, broken: psycopg.AsyncConnection[Any]) -> None:
        """A new session in place of ``broken``, once however many tasks found it broken."""
        async with self._reconnecting:
            if self.raw is not broken:
                return  # another task has connected again
            log.warning("PostgreSQL closed this process's session; connecting again")
            await broken.close()
            self.raw = await _session(self._url)
            for hook in self.on_reconnect:
                await hook()

    async def close(self) -> None:
        await self.raw.close()


async def _session(url: str) -> psycopg.AsyncConnection[Any]:
    return await psycopg.AsyncConnection.connect(url, autocommit=True)
