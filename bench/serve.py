"""The serving half of the benchmark, run in a fresh process over an imported database.

``python -m bench.serve --db PATH`` prints ``ready`` once the first answers are made (the parent
times start to ready by it), then one JSON object: the member paths and their floors, recall,
the concurrency burst and this process's peak RSS. The parent (``python -m bench``) runs it as a
child so the numbers belong to a process that did nothing but open the store and answer, the
way the bot does. ``--db`` may be a ``postgresql://`` URL: then /pickif's floor runs on this
process's search copy (the index it searches), and the copy's first load, its size and the
catalog version check each search makes are measured too.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import resource
import statistics
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite
from rapidfuzz import fuzz, process

from bench import queries
from bot import cards, members
from bot.core import Caller, Core
from bot.errors import UserFacingError
from bot.message import Message
from bot.search import WEIGHTS, SearchInputError, query_words
from bot.settings import DEFAULT_THESAURUS, Settings
from bot.store import SHARED, StoredReview, TitleRow
from bot.store.pg_store import PostgresStore
from bot.store.postgres import PgConnection
from bot.store.search_copy import SearchCopy
from bot.text import fold
from bot.thesaurus import Thesaurus
from bot.titles import MIN_SCORE, label

YEAR = re.compile(r"\b(18|19|20)\d\d\b")
"""A year typed with a title: the same rule the title index uses to compare "title year"."""

GUILD = 1
MB = 1_000_000
BURST = 200
HOSTILE = 10
"""Of the burst's interactions, pages of title words pasted into a title (see queries.pasted)."""
TICK = 0.001
"""How often the burst's loop watchdog asks to wake, in seconds."""
FLOOR_SQL = (
    "SELECT rowid, bm25(review_fts, ?, ?, ?, ?) AS score FROM review_fts"
    " WHERE review_fts MATCH ? ORDER BY score LIMIT 10"
)


def ms(seconds: Sequence[float]) -> dict[str, float]:
    """p50 and p99 in milliseconds."""
    ordered = sorted(seconds)
    p99 = statistics.quantiles(ordered, n=100, method="inclusive")[98] if len(ordered) > 1 else 0
    return {"p50": statistics.median(ordered) * 1000, "p99": p99 * 1000}


async def timed(call: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = await call()
    return time.perf_counter() - start, value


def payload(reply: members.Pager | Message) -> dict[str, Any]:
    """The message body Discord would receive for a /pickif reply."""
    message = reply.message() if isinstance(reply, members.Pager) else reply
    return message.to_discord()


# --- /pickif and its floor ---------------------------------------------------------------------


async def pickif(core: Core, themes: list[str]) -> dict[str, float]:
    caller = Caller(GUILD, 1)

    async def one(text: str) -> dict[str, Any]:
        return payload(await members.pickif(core, caller, text))

    times = [(await timed(lambda t=text: one(t)))[0] for text in themes]
    return ms(times)


async def fts_floor(db_path: Path, themes: list[str]) -> dict[str, float]:
    """A bare FTS5 MATCH of the same words (OR), best bm25 first, through the same driver."""
    times = []
    async with aiosqlite.connect(db_path) as db:
        for text in themes:
            try:
                match = " OR ".join(f'"{word}"' for word in query_words(text))
            except SearchInputError:
                continue
            elapsed, _ = await timed(lambda m=match: db.execute_fetchall(FLOOR_SQL, (*WEIGHTS, m)))
            times.append(elapsed)
    return ms(times)


# --- autocomplete, its floor and recall --------------------------------------------------------


def brute_force(folded: str, names: list[str]) -> list[tuple[int, float]]:
    """The floor: WRatio over every title the server sees; (row position, score) best first."""
    found = process.extract(folded, names, scorer=fuzz.WRatio, limit=25)
    return [(index, score) for _, score, index in found]


def recall(
    folded: str, picked: list[int], names: list[str], best: list[tuple[int, float]]
) -> tuple[float, float] | None:
    """(recall, strict overlap) of our choices against the brute force's ``best``, or None.

    A choice that scores as well as the brute force's last one is as good an answer: among
    equal scores, which 25 a full scan returns is an accident of order. Brute-force results
    under the cutoff we never show (:data:`bot.titles.MIN_SCORE`) are not asked for.
    """
    relevant = [(i, score) for i, score in best if score >= MIN_SCORE]
    if not folded or not relevant:
        return None
    wanted = {i for i, _ in best}
    last = relevant[-1][1]
    hits = sum(1 for i in picked if i in wanted or fuzz.WRatio(folded, names[i]) >= last)
    return min(hits, len(relevant)) / len(relevant), len(wanted.intersection(picked)) / len(best)


async def autocomplete(core: Core, typed: list[str], rows: list[TitleRow]) -> dict[str, float]:
    caller = Caller(GUILD, 1)
    ours, floor, recalls, overlaps = [], [], [], []
    position = {row.id: i for i, row in enumerate(rows)}
    titles = [fold(row.title) for row in rows]
    labels = [fold(label(row)) for row in rows]
    for text in typed:
        elapsed, choices = await timed(lambda t=text: members.title_choices(core, caller, t))
        ours.append(elapsed)
        folded = fold(text)
        names = labels if YEAR.search(folded) else titles
        start = time.perf_counter()
        best = brute_force(folded, names)
        floor.append(time.perf_counter() - start)
        picked = [position[int(value.removeprefix("id:"))] for _, value in choices]
        measured = recall(folded, picked, names, best)
        if measured is not None:
            recalls.append(measured[0])
            overlaps.append(measured[1])
    result = ms(ours)
    floor_ms = ms(floor)
    return {
        "p50": result["p50"],
        "p99": result["p99"],
        "floor_p50": floor_ms["p50"],
        "floor_p99": floor_ms["p99"],
        "recall": statistics.fmean(recalls) * 100,
        "overlap": statistics.fmean(overlaps) * 100,
    }


# --- film cards --------------------------------------------------------------------------------


async def film_cards(core: Core, sample: list[StoredReview]) -> dict[str, float]:
    caller = Caller(GUILD, 1)
    build = []
    for stored in sample:
        start = time.perf_counter()
        cards.film_card(stored).to_discord()
        build.append(time.perf_counter() - start)
    movie = []
    for stored in sample:
        elapsed, _ = await timed(
            lambda s=stored: members.movie(core, caller, f"id:{s.id}"),
        )
        movie.append(elapsed)
    built, full = ms(build), ms(movie)
    return {
        "build_p50": built["p50"],
        "build_p99": built["p99"],
        "movie_p50": full["p50"],
        "movie_p99": full["p99"],
    }


# --- concurrency -------------------------------------------------------------------------------


def interactions(
    rng: random.Random, core: Core, themes: list[str], typed: list[str], rows: list[TitleRow]
) -> list[Callable[[], Awaitable[Any]]]:
    """A burst's worth of member interactions from 20 servers: reads, a few writes, and a few
    pages of title words pasted into title autocomplete and /watchlist add."""
    calls = [_interaction(rng, core, themes, typed, rows) for _ in range(BURST - HOSTILE)]
    for n in range(HOSTILE):
        caller, page = _member(rng), queries.pasted(rng, rows)
        act = members.watchlist_add if n % 2 else members.title_choices
        calls.insert(rng.randrange(len(calls) + 1), lambda a=act, c=caller, p=page: a(core, c, p))
    return calls


def _member(rng: random.Random) -> Caller:
    return Caller(rng.randrange(1, 21), rng.randrange(1, 1000))


def _interaction(
    rng: random.Random, core: Core, themes: list[str], typed: list[str], rows: list[TitleRow]
) -> Callable[[], Awaitable[Any]]:
    caller, row, roll = _member(rng), rng.choice(rows), rng.random()
    if roll < 0.4:
        text = rng.choice(themes)
        return lambda: _pickif_payload(core, caller, text)
    if roll < 0.7:
        text = rng.choice(typed)
        return lambda: members.title_choices(core, caller, text)
    if roll < 0.9:
        return lambda: members.movie(core, caller, f"id:{row.id}")
    if roll < 0.95:
        return lambda: members.seen_add(core, caller, f"id:{row.id}")
    return lambda: members.watchlist_add(core, caller, f"id:{row.id}")


async def _pickif_payload(core: Core, caller: Caller, text: str) -> dict[str, Any]:
    return payload(await members.pickif(core, caller, text))


async def settle(call: Callable[[], Awaitable[Any]]) -> tuple[float, BaseException | None]:
    """How long one interaction took, and the error it failed with (a reply to the member is
    not one)."""
    start = time.perf_counter()
    try:
        await call()
    except UserFacingError:
        pass  # a reply to the member, not a failure
    except Exception as error:
        return time.perf_counter() - start, error
    return time.perf_counter() - start, None


@asynccontextmanager
async def loop_watch() -> AsyncIterator[dict[str, float]]:
    """How the event loop fared while the block ran, in seconds: ``hold``, the longest single
    callback (a task's step between two awaits: the most one request held the loop), and
    ``wait``, the longest a watchdog asking to wake every millisecond waited for its turn (what
    a member asking for /help meanwhile would wait: every step ready before it runs first)."""
    seen = {"hold": 0.0, "wait": 0.0}
    run = asyncio.Handle._run  # every callback the loop runs, task steps included

    def timed(handle: asyncio.Handle) -> None:
        start = time.perf_counter()
        run(handle)
        seen["hold"] = max(seen["hold"], time.perf_counter() - start)

    async def watch() -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(TICK)
            now = time.perf_counter()
            seen["wait"] = max(seen["wait"], now - last - TICK)
            last = now

    asyncio.Handle._run = timed  # type: ignore[method-assign]
    watchdog = asyncio.create_task(watch())
    await asyncio.sleep(0)  # the watchdog is running before the block starts
    try:
        yield seen
    finally:
        watchdog.cancel()
        asyncio.Handle._run = run  # type: ignore[method-assign]


async def concurrency(
    core: Core, themes: list[str], typed: list[str], rows: list[TitleRow]
) -> dict[str, float]:
    """The same mix one at a time, then another draw of it all in flight at once."""
    rng = random.Random(99)
    single = [await settle(call) for call in interactions(rng, core, themes, typed, rows)]
    calls = interactions(rng, core, themes, typed, rows)
    async with loop_watch() as loop:
        start = time.perf_counter()
        burst = await asyncio.gather(*(settle(call) for call in calls))
        wall = time.perf_counter() - start
    errors = [error for _, error in [*single, *burst] if error is not None]
    alone, together = ms([t for t, _ in single]), ms([t for t, _ in burst])
    return {
        "single_p99": alone["p99"],
        "p50": together["p50"],
        "p99": together["p99"],
        "wall": wall * 1000,
        "hold": loop["hold"] * 1000,
        "wait": loop["wait"] * 1000,
        "errors": len(errors),
        "locked": sum("locked" in str(error) for error in errors),
        "first_error": repr(errors[0]) if errors else "",
    }


# --- PostgreSQL's search copy ------------------------------------------------------------------


def search_file(core: Core) -> Path:
    """The SQLite file /pickif searches: the database, or on PostgreSQL this process's copy."""
    if isinstance(core.store, PostgresStore):
        assert core.store._copy is not None  # the core prepared search as it opened
        return core.store._copy.path
    return Path(core.settings.database)


async def search_copy(core: Core, url: str, count: int) -> dict[str, float]:
    """A new search copy's first load (what each process does as it starts, after the store's
    own opening), its file's size, and the catalog version check made before each search."""
    source, copy = await PgConnection.connect(url), await SearchCopy.create()
    try:
        load_s, _ = await timed(lambda: copy.catch_up(source))
        copy_mb = copy.path.stat().st_size / MB
    finally:
        await copy.close()
        await source.close()
    check = ms([(await timed(core.store.catalog_stamp))[0] for _ in range(count)])
    return {
        "copy_load_s": load_s,
        "copy_mb": copy_mb,
        "version_check_p50_ms": check["p50"],
        "version_check_p99_ms": check["p99"],
    }


# --- the run -----------------------------------------------------------------------------------


async def run(db: str, count: int) -> dict[str, Any]:
    """Every serving measure; prints ``ready`` the moment the first answers are made, so the
    parent can time start to ready on its own clock."""
    settings = Settings.load(env_file=None).with_database(db)
    opened = time.perf_counter()
    core = await Core.open(settings)
    try:
        await members.title_choices(core, Caller(GUILD, 1), "the")
        payload(await members.pickif(core, Caller(GUILD, 1), "grief"))
        ready_inside = time.perf_counter() - opened
        print("ready", flush=True)

        rows = [row for row in await core.store.live_titles() if row.guild_id == SHARED]
        rng = random.Random(7)
        moods = Thesaurus.load(DEFAULT_THESAURUS).words()
        themes = queries.pickif_queries(rng, count, moods)
        typed = queries.title_queries(rng, count, rows)
        sample_ids = [row.id for row in rng.sample(rows, min(count, len(rows)))]
        sample = [stored for i in sample_ids if (stored := await core.store.get(i)) is not None]

        # Warm the page cache the way a running bot has it warm, with queries not measured.
        for text in queries.pickif_queries(random.Random(8), 20, moods):
            payload(await members.pickif(core, Caller(GUILD, 1), text))
        result: dict[str, Any] = {
            "reviews": len(rows),
            "open_and_first_answers_s": ready_inside,
            "queries": count,
        }
        found = await pickif(core, themes)
        floor = await fts_floor(search_file(core), themes)
        result |= {
            "pickif_p50_ms": found["p50"],
            "pickif_p99_ms": found["p99"],
            "pickif_floor_p50_ms": floor["p50"],
            "pickif_floor_p99_ms": floor["p99"],
            "pickif_floor_ratio": found["p99"] / floor["p99"],
        }
        auto = await autocomplete(core, typed, rows)
        result |= {
            "autocomplete_p50_ms": auto["p50"],
            "autocomplete_p99_ms": auto["p99"],
            "autocomplete_floor_p50_ms": auto["floor_p50"],
            "autocomplete_floor_p99_ms": auto["floor_p99"],
            "autocomplete_floor_ratio": auto["p99"] / auto["floor_p99"],
            "autocomplete_recall_pct": auto["recall"],
            "autocomplete_overlap_pct": auto["overlap"],
        }
        card = await film_cards(core, sample)
        result |= {f"card_{key}_ms": value for key, value in card.items()}
        burst = await concurrency(core, themes, typed, rows)
        result |= {
            "concurrent_n": BURST,
            "concurrent_single_p99_ms": burst["single_p99"],
            "concurrent_p50_ms": burst["p50"],
            "concurrent_p99_ms": burst["p99"],
            "concurrent_ratio": burst["p99"] / burst["single_p99"],
            "concurrent_wall_ms": burst["wall"],
            "concurrent_max_loop_hold_ms": burst["hold"],
            "concurrent_max_loop_wait_ms": burst["wait"],
            "concurrent_errors": burst["errors"],
            "concurrent_locked": burst["locked"],
            "concurrent_first_error": burst["first_error"],
        }
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if isinstance(core.store, PostgresStore):  # a second copy, after the peak is taken
            result |= await search_copy(core, db, count)
    finally:
        await core.close()
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.serve")
    parser.add_argument("--db", required=True, help="a SQLite file or a postgresql:// URL")
    parser.add_argument("--queries", type=int, default=400)
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.db, args.queries))
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
