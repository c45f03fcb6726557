"""``python -m bench.files``: what an import's workers spend on one file, in CPU time.

Over a sample of a generated catalog (every ``--every``-th file, ``--count`` of them, read into
memory first), each of three measures is run ``--runs`` times, in turn: parsing the review
(:func:`bot.review.parse`), packing it for the store (:meth:`bot.store.PackedReview.of`), and a
worker's whole job on a batch (:func:`bot.importing.read_batch`: reading, parsing, packing). The
best run and the median are printed, in microseconds a file: this process's CPU time, so other
work on a shared machine moves the figures less than it moves a wall clock.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bench import catalog
from bench.__main__ import DEFAULT_CACHE
from bot.importing import read_batch
from bot.review import parse
from bot.store import PackedReview

NEWEST = 2100  # no generated review is refused for its year


def measure(paths: list[Path], runs: int) -> dict[str, list[float]]:
    """Microseconds a file of each run, by measure."""
    texts = [path.read_bytes() for path in paths]
    reviews = [parse(text, latest_year=NEWEST) for text in texts]
    work: dict[str, Callable[[], object]] = {
        "parse": lambda: [parse(text, latest_year=NEWEST) for text in texts],
        "pack": lambda: [PackedReview.of(review) for review in reviews],
        "read_batch": lambda: read_batch(paths, NEWEST),
    }
    times: dict[str, list[float]] = {name: [] for name in work}
    for _ in range(runs):
        for name, job in work.items():
            start = time.process_time()
            job()
            times[name].append((time.process_time() - start) / len(paths) * 1e6)
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.files", description=__doc__)
    parser.add_argument("--size", type=int, default=100_000, help="reviews in the catalog")
    parser.add_argument("--seed", type=int, default=1, help="generator seed")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="catalogs and DBs")
    parser.add_argument("--every", type=int, default=33, help="take every n-th file")
    parser.add_argument("--count", type=int, default=3000, help="files in the sample")
    parser.add_argument("--runs", type=int, default=7, help="runs of each measure")
    args = parser.parse_args(argv)
    folder = catalog.ensure(args.size, args.seed, args.cache).folder
    paths = sorted(folder.rglob("*.txt"))[:: args.every][: args.count]
    for name, runs in measure(paths, args.runs).items():
        print(f"{name}: best {min(runs):.0f} µs, median {statistics.median(runs):.0f} µs a file")


if __name__ == "__main__":
    main()
