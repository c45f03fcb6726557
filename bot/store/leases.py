"""Leases and IDENTIFY slots: what several processes on one database must take turns at."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.store.base import StoreBase, first_row
from bot.store.records import iso


class LeaseQueries(StoreBase):
    async def take_lease(self, name: str, hold_for: timedelta) -> bool:
        """Hold ``name`` for this process until ``hold_for`` from now (again, if it held it);
        False while another process holds it: alive, and its lease not run out."""
        now = self._clock()
        async with self.transaction() as db:
            row = await first_row(db, "SELECT owner, until FROM leases WHERE name = ?", (name,))
            if row is not None and await self._held_elsewhere(row[0], row[1], now):
                return False
            await db.execute(
                "INSERT INTO leases (name, owner, until) VALUES (?, ?, ?) ON CONFLICT (name)"
                " DO UPDATE SET owner = excluded.owner, until = excluded.until",
                (name, self.presence.me, iso(now + hold_for)),
            )
        return True

    async def _held_elsewhere(self, owner: str, until: str, now: datetime) -> bool:
        return (
            owner != self.presence.me
            and datetime.fromisoformat(until) > now
            and not await self.presence.gone(owner)
        )

    async def drop_lease(self, name: str) -> None:
        """Give up ``name`` if this process holds it."""
        async with self.transaction() as db:
            await db.execute(
                "DELETE FROM leases WHERE name = ? AND owner = ?", (name, self.presence.me)
            )

    async def identify_slot(self, bucket: int, spacing: timedelta) -> datetime:
        """The time this process may IDENTIFY in ``bucket``, reserved: at least ``spacing``
        after the bucket's previous one, whichever process made it."""
        now = self._clock()
        async with self.transaction() as db:
            row = await first_row(db, "SELECT at FROM identify_slots WHERE bucket = ?", (bucket,))
            slot = max(now, datetime.fromisoformat(row[0]) + spacing) if row else now
            await db.execute(
                "INSERT INTO identify_slots (bucket, at) VALUES (?, ?)"
                " ON CONFLICT (bucket) DO UPDATE SET at = excluded.at",
                (bucket, iso(slot)),
            )
        return slot
