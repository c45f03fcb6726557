"""Importing many review files (``movienight import``): read in worker processes, saved in order.

Reading a file (parsing the review) and packing it for the store (its JSON compressed, its search
columns: :class:`~bot.store.PackedReview`) are most of an import's work, and no file depends on
another. So when there is more than one batch of files, worker processes, one a CPU, read and
pack the next batches while this process writes the one before. Batches are saved in the order
of the files, each in one transaction: a killed import leaves the first batches whole and
nothing half-written, and running it again finishes the job without duplicates.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.process import BaseProcess
from pathlib import Path

from bot.catalog_files import ReviewFile, read_review
from bot.store import PackedReview, Store

BATCH = 2000
"""Files a transaction. Each commit writes the index's new terms as a segment that later ones are
merged with: at 100,000 reviews, batches of 2,000 cost the writer about an eighth less than
batches of 500 (fewer, larger segments to merge), and a killed import loses at most one batch,
which the next run saves."""
WORKERS = os.cpu_count() or 1
AHEAD = 2 * WORKERS
"""Batches read ahead of the one being saved: enough to keep every worker busy, few enough to
keep the memory an import needs small."""


@dataclass
class Imported:
    counts: Counter[str] = field(default_factory=Counter)  # added, updated, unchanged
    rejected: list[ReviewFile] = field(default_factory=list)


def read_batch(paths: Sequence[Path], newest: int) -> list[ReviewFile | PackedReview]:
    """Each file packed for the store or, when it is not a review, with the reason."""
    items = (read_review(path, newest=newest) for path in paths)
    return [item if item.review is None else PackedReview.of(item.review) for item in items]


async def import_files(
    store: Store,
    files: Sequence[Path],
    *,
    newest: int,
    guild_id: int,
    advance: Callable[[int], object],
) -> Imported:
    """Save the reviews in ``files``, a batch a transaction; ``advance`` hears of each batch."""
    batches = [files[start : start + BATCH] for start in range(0, len(files), BATCH)]
    loop = asyncio.get_running_loop()
    done = Imported()
    async with store.bulk():
        with _workers(len(batches)) as pool:
            reads = (loop.run_in_executor(pool, read_batch, batch, newest) for batch in batches)
            pending = deque(islice(reads, AHEAD))
            try:
                while pending:
                    items = await pending.popleft()
                    pending.extend(islice(reads, 1))
                    packed = [item for item in items if isinstance(item, PackedReview)]
                    done.rejected += [item for item in items if isinstance(item, ReviewFile)]
                    saved = await store.save_packed(packed, guild_id=guild_id)
                    done.counts.update(result.outcome for result in saved)
                    advance(len(items))
            finally:
                for read in pending:  # when a save failed: the batches read ahead go unsaved
                    read.cancel()
    return done


@contextmanager
def _workers(batches: int) -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes for more than one batch; for one, the loop's own thread pool (None)."""
    if batches < 2:
        yield None
        return
    spawn = multiprocessing.get_context("spawn")  # no fork of a process running threads
    pool = ProcessPoolExecutor(WORKERS, mp_context=spawn, initializer=_end_with_parent)
    try:
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)


def _end_with_parent() -> None:
    """A worker ends when the import does, even one killed with kill -9 (no worker is left
    waiting for batches that will never come)."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_after, args=(parent,), daemon=True).start()


def _exit_after(parent: BaseProcess) -> None:
    parent.join()
    os._exit(1)
