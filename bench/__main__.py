"""``python -m bench --size N [--json]``: generate (or reuse) a catalog, import it, measure.

The import runs as ``python -m bot import`` in a child process and the serving measurements in
another (``bench.serve``), so each peak RSS and the start-to-ready time belong to a process
that did only that job. Last come the database's size, table by table, and the size of the
review text it holds (:mod:`bench.sizes`). Generated catalogs and the database live under
``--cache`` (``/tmp/movienight-bench`` by default), never in the repository.

``--backend postgresql`` does the same on PostgreSQL (:mod:`bench.postgres`): a throwaway
server's database, or an empty one given as ``--postgres URL``. With ``--reuse-db`` the SQLite
bench database of the same catalog is copied in instead of importing the files again.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console

from bench import catalog, labelled, postgres, report, sizes

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CACHE = Path("/tmp/movienight-bench")


def _child(args: list[str], model: Path | None) -> tuple[float, float, float, str]:
    """Run ``python args...`` from the repo root.

    Returns (seconds, seconds until its first line of output, peak RSS in MB, stdout); both
    times are this process's own monotonic clock, so they hold whatever the wall clock does.
    """
    env = {
        **os.environ,
        "MOVIENIGHT_STARTER": "",
        "MOVIENIGHT_MODEL": str(model or ""),
        "PYTHONPATH": str(ROOT),
    }
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    first = child.stdout.readline()
    first_line_s = time.perf_counter() - start
    out = first + child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):  # 1: the import rejected some files (counted below)
        raise SystemExit(f"{' '.join(args)} failed with exit code {child.returncode}")
    return elapsed, first_line_s, usage.ru_maxrss / 1024, out


def _database_mb(path: Path) -> float:
    files = [path, path.with_name(path.name + "-wal")]
    return sum(f.stat().st_size for f in files if f.exists()) / 1_000_000


def _import_and_serve(
    database: str, folder: Path | None, count: int, model: Path | None
) -> dict[str, Any]:
    """Import ``folder`` into ``database`` (None: it holds the catalog already), then serve."""
    result: dict[str, Any] = {"import_s": None, "import_peak_rss_mb": None}  # not measured
    if folder is not None:
        seconds, _, rss, _ = _child(["-m", "bot", "import", "--db", database, str(folder)], model)
        result = {"import_s": seconds, "import_peak_rss_mb": rss}
    serve = ["-m", "bench.serve", "--db", database, "--queries", str(count)]
    _, ready_s, _, out = _child(serve, model)
    return result | json.loads(out.strip().splitlines()[-1]) | {"start_to_ready_s": ready_s}


def measure(
    size: int,
    seed: int,
    cache: Path,
    count: int,
    reuse_db: bool,
    model: Path | None = None,
    backend: str = "sqlite",
    postgres_url: str | None = None,
) -> dict[str, Any]:
    """Every measure, on ``backend`` (on PostgreSQL, ``postgres_url``'s database, or else a
    throwaway server's)."""
    cache.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    generated = catalog.ensure(size, seed, cache)
    result: dict[str, Any] = {
        "size": size,
        "seed": seed,
        "generate_s": time.perf_counter() - start,
        "backend": backend,
    }
    flavour = f"-{model.name}" if model else ""
    db = cache / f"bench-{size}-seed{seed}-v{catalog.VERSION}{flavour}.db"
    result["model"] = model.name if model else None
    reuse = reuse_db and db.exists()
    folder = None if reuse else generated.folder
    if backend == "postgresql":
        with postgres.database(postgres_url) as url:
            if reuse:
                asyncio.run(postgres.copy_in(db, url))
            result |= _import_and_serve(url, folder, count, model)
            result |= sizes.measure_postgres(url)
    else:
        if not reuse:
            for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
                stale.unlink(missing_ok=True)
        result |= _import_and_serve(str(db), folder, count, model)
        # After serving, which migrates a database kept from an older version (--reuse-db).
        result["db_mb"] = _database_mb(db)
        result |= sizes.measure(db)
    result["import_rejected"] = size - result["reviews"]
    result |= asyncio.run(labelled.measure(model))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--size", type=int, default=10_000, help="reviews in the catalog")
    parser.add_argument("--seed", type=int, default=1, help="generator seed")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--queries", type=int, default=400, help="queries per measured path")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="catalogs and DBs")
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="skip the import when the database exists (the import is then not measured)",
    )
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--model", type=Path, help="a sentence-embedding model folder to use")
    postgres.add_arguments(parser)
    args = parser.parse_args(argv)
    result = measure(
        args.size,
        args.seed,
        args.cache,
        args.queries,
        args.reuse_db,
        args.model,
        args.backend,
        args.postgres,
    )
    if args.json:
        print(json.dumps(result))
    elif args.markdown:
        print(report.markdown(result), report.sizes_markdown(result), sep="\n\n")
    else:
        console = Console(width=None if sys.stdout.isatty() else 140)
        console.print(report.table(result), report.sizes_table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
