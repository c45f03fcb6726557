"""The burst on one process and on several: how much a sharded bot gains from more processes.

``python -m bench.processes --db PATH`` takes a database ``python -m bench`` made (it is in the
bench's cache, e.g. ``/tmp/movienight-bench/bench-12000-seed1-v4.db``) and runs the same member
interactions (the burst's mix: /pickif, autocomplete, /movie, seen and watchlist writes) all in
flight, first in one process, then split between two (as two shard processes split servers),
each process with its own core over the one database file. The wall time runs from the moment
every process is warm and released to the last answer, on the parent's monotonic clock.
Discord is not in the loop: this is the bot's own work, which more processes share out.

With ``--backend postgresql`` the database is copied into PostgreSQL first (a throwaway
server's, or the empty database ``--postgres URL``; see :mod:`bench.postgres`) and the
processes share that, each with its own search copy.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench import postgres, queries
from bench.serve import interactions, payload, settle
from bot import members
from bot.core import Caller, Core
from bot.settings import DEFAULT_THESAURUS, Settings
from bot.store import SHARED
from bot.thesaurus import Thesaurus

ROUNDS = 5
"""Draws of the 200-interaction burst, all in flight together (1,000 interactions)."""


async def _serve(db: Path | str, index: int, processes: int, start: Any, results: Any) -> None:
    core = await Core.open(Settings.load(env_file=None).with_database(db))
    try:
        rows = [row for row in await core.store.live_titles() if row.guild_id == SHARED]
        rng = random.Random(7)
        moods = Thesaurus.load(DEFAULT_THESAURUS).words()
        themes = queries.pickif_queries(rng, 400, moods)
        typed = queries.title_queries(rng, 400, rows)
        for text in themes[:20]:  # warm, as a running bot is
            payload(await members.pickif(core, Caller(1, 1), text))
        await members.title_choices(core, Caller(1, 1), "the")
        draw = random.Random(99)
        calls = [c for _ in range(ROUNDS) for c in interactions(draw, core, themes, typed, rows)]
        mine = calls[index::processes]  # the servers on this process's shards
        start.wait(timeout=600)
        settled = await asyncio.gather(*(settle(call) for call in mine))
        results.put((len(mine), sum(error is not None for _, error in settled)))
    finally:
        await core.close()


def _process(db: Path | str, index: int, processes: int, start: Any, results: Any) -> None:
    asyncio.run(_serve(db, index, processes, start, results))


def burst(db: Path | str, processes: int) -> dict[str, float]:
    """The burst's wall time (ms) with its interactions split over ``processes`` (``db``: a
    SQLite file or a PostgreSQL URL)."""
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(processes + 1), context.Queue()
    children = [
        context.Process(target=_process, args=(db, n, processes, start, results))
        for n in range(processes)
    ]
    for child in children:
        child.start()
    start.wait(timeout=600)
    began = time.monotonic()
    done = [results.get(timeout=600) for _ in children]
    wall = time.monotonic() - began
    for child in children:
        child.join(timeout=60)
    return {
        "processes": processes,
        "interactions": sum(n for n, _ in done),
        "errors": sum(e for _, e in done),
        "wall_ms": wall * 1000,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.processes", description=__doc__)
    parser.add_argument("--db", type=Path, required=True, help="a database python -m bench made")
    parser.add_argument("--most", type=int, default=2, help="up to this many processes")
    postgres.add_arguments(parser)
    args = parser.parse_args(argv)
    if not args.db.exists():
        parser.error(f"{args.db} does not exist; run python -m bench --size N first")
    if args.backend == "postgresql":
        with postgres.database(args.postgres) as url:
            asyncio.run(postgres.copy_in(args.db, url))
            runs = [burst(url, n) for n in range(1, args.most + 1)]
    else:
        runs = [burst(args.db, n) for n in range(1, args.most + 1)]
    table = Table(title=f"The burst split over processes ({args.db.name}, {args.backend})")
    for column in ("processes", "interactions", "errors", "wall", "faster than one"):
        table.add_column(column, justify="right")
    for run in runs:
        speedup = runs[0]["wall_ms"] / run["wall_ms"]
        table.add_row(
            str(run["processes"]),
            str(run["interactions"]),
            str(run["errors"]),
            f"{run['wall_ms']:.0f} ms",
            f"x{speedup:.2f}",
        )
    Console().print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
