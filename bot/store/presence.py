"""Which bot processes on this database are alive, told by the operating system.

Each process holds an exclusive lock on a file of its own beside the database for as long as
it runs (``<database>.processes/<id>@<schema>.lock``: its id, and the schema version its code
runs); the system drops the lock when the process ends, however it ends (``kill -9`` too).
Another process that can take that lock knows the owner is gone, so work the owner had
leased can be taken over at once instead of after the lease runs out, and the mark is swept
away. An in-memory database has one process by nature: there no other process is seen.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from filelock import FileLock, Timeout


class Presence:
    """This process's mark beside the database, and a check on other processes' marks."""

    def __init__(self, database: str, schema: int) -> None:
        self.me = secrets.token_hex(8)
        self._folder = None if database == ":memory:" else Path(f"{database}.processes")
        self._mine: FileLock | None = None
        if self._folder is not None:
            self._folder.mkdir(exist_ok=True)
            self._mine = FileLock(self._folder / f".{self.me}.new")
            self._mine.acquire(timeout=0)
            # The mark shows under its name only once held: a process sweeping the folder
            # meanwhile must not find it unheld, take it for an ended process's, and remove it.
            self._mark = self._folder / f"{self.me}@{schema}.lock"
            os.replace(self._mine.lock_file, self._mark)
            self._sweep()  # sweeps the marks of processes that ended without leaving

    async def others(self) -> list[int | None]:
        """The schema versions the other live processes run (None: a mark from before marks
        carried one); the marks of ended processes are swept away on the way."""
        return self._sweep()

    def _sweep(self) -> list[int | None]:
        if self._folder is None:
            return []
        found = []
        for mark in self._folder.glob("*.lock"):
            owner, _, schema = mark.stem.partition("@")
            if owner != self.me and not ended(mark):
                found.append(int(schema) if schema.isdigit() else None)
        return found

    async def gone(self, owner: str) -> bool:
        """Whether process ``owner`` has ended (its mark is unheld); False when unsure."""
        if owner == self.me or self._folder is None or not owner.isalnum():
            return False
        marks = [*self._folder.glob(f"{owner}@*.lock"), self._folder / f"{owner}.lock"]
        return all(ended(mark) for mark in marks)

    def close(self) -> None:
        """Leave: the mark is dropped (the lock would be at exit anyway)."""
        if self._mine is not None and self._mine.is_locked:
            self._mark.unlink(missing_ok=True)
            self._mine.release()


def ended(mark: Path) -> bool:
    """Whether no process holds the lock file ``mark`` (then it is removed); True for a missing
    one. Also how the search copies of ended processes are found (``search_copy.py``)."""
    if not mark.exists():
        return True
    probe = FileLock(mark)
    try:
        probe.acquire(timeout=0)
    except Timeout:
        return False
    probe.release()
    mark.unlink(missing_ok=True)
    return True
