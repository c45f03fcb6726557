"""The bench on PostgreSQL: a database to run on, and the bench's catalog copied into it.

Unless given a database (``--postgres URL``, an empty one), the bench starts a throwaway server
of its own, the tests' (:class:`tests.postgres_server.ThrowawayPostgres`: loopback only, no
fsync), with PostgreSQL's default ``shared_buffers`` rather than the tests' smaller one, and
deletes it when done.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.store import Store
from bot.store.copying import copy_database
from tests.postgres_server import ThrowawayPostgres, make_database

SETTINGS = {"shared_buffers": "128MB"}
"""PostgreSQL's default, where the tests' server keeps 32 MB."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--backend`` and ``--postgres URL``, the same for each bench that runs on either."""
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="with --backend postgresql: an empty database to use (default: a throwaway server's)",
    )


@contextmanager
def database(url: str | None) -> Iterator[str]:
    """``url`` itself, or else a new database on a throwaway server that lasts the block."""
    if url is not None:
        yield url
        return
    with ThrowawayPostgres(SETTINGS) as server:
        yield make_database(server.url, "movienight_bench")


async def copy_in(source: Path, url: str) -> None:
    """Everything in the SQLite database ``source`` (one ``python -m bench`` made) into the empty
    database at ``url``: much quicker than importing the review files again."""
    async with await Store.open(source) as sqlite, await Store.open(url) as target:
        await copy_database(sqlite, target)
