"""Which bot processes on a PostgreSQL database are alive, told by PostgreSQL.

The PostgreSQL twin of :mod:`bot.store.presence`: each process notes itself in ``processes``
(its id and the schema version its code runs) and holds an advisory lock on its key for as
long as its session lives. PostgreSQL releases the lock when the session ends, however the
process ended (``kill -9`` too), so the lock tells who is alive, and rows of ended processes
are swept away.
"""

from __future__ import annotations

import secrets

from bot.store.postgres import PgConnection

PRESENCE_LOCKS = 0x6D6E0001
"""The advisory locks' first key: the processes' (the second is a process's key)."""


class PgPresence:
    """This process's mark in ``processes``, and a check on other processes' marks."""

    def __init__(self, session: PgConnection, key: int, schema: int) -> None:
        self.me = f"{key:08x}"
        self._session = session
        self._key = key
        self._schema = schema

    @classmethod
    async def join(cls, session: PgConnection, schema: int) -> PgPresence:
        """Note this process on ``session``, which holds the mark until it closes."""
        presence = cls(session, secrets.randbits(31), schema)
        await presence._mark()
        session.on_reconnect.append(presence._mark)
        await presence.others()
        return presence

    async def _mark(self) -> None:
        """Hold this process's lock, in this session (again after a reconnect), and its row."""
        await self._session.execute("SELECT pg_advisory_lock(?, ?)", (PRESENCE_LOCKS, self._key))
        await self._session.execute(
            "INSERT INTO processes (key, owner, schema) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (self._key, self.me, self._schema),
        )

    async def others(self) -> list[int | None]:
        """The schema versions the other live processes run; ended ones are swept away."""
        rows = await self._session.execute_fetchall(
            f"SELECT key, schema, {_HELD} FROM processes p WHERE key != ?",
            (PRESENCE_LOCKS, self._key),
        )
        gone = [key for key, _, held in rows if not held]
        if gone:
            await self._session.execute("DELETE FROM processes WHERE key = ANY(?)", (gone,))
        return [schema for _, schema, held in rows if held]

    async def gone(self, owner: str) -> bool:
        """Whether process ``owner`` has ended (its lock is not held)."""
        if owner == self.me:
            return False
        rows = await self._session.execute_fetchall(
            f"SELECT {_HELD} FROM processes p WHERE owner = ?", (PRESENCE_LOCKS, owner)
        )
        return not rows or not rows[0][0]

    async def leave(self) -> None:
        """Remove the mark (a session already lost has dropped the lock; the row is swept)."""
        if self._session.raw.closed:
            return
        await self._session.execute("DELETE FROM processes WHERE key = ?", (self._key,))
        await self._session.execute("SELECT pg_advisory_unlock(?, ?)", (PRESENCE_LOCKS, self._key))


async def older_processes(session: PgConnection, schema: int) -> int:
    """How many live processes run a schema older than ``schema``."""
    [(count,)] = await session.execute_fetchall(
        f"SELECT count(*) FROM (SELECT {_HELD} FROM processes p WHERE schema < ?) AS live"
        " WHERE held",
        (PRESENCE_LOCKS, schema),
    )
    return int(count)


_HELD = """EXISTS (
    SELECT 1 FROM pg_locks l
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
      AND l.classid = ?::bigint::oid AND l.objid = p.key::oid
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
) AS held"""
