"""The benchmark's table: each measurement beside its floor and its target, on either backend."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.table import Table


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    value: Callable[[dict[str, Any]], str]
    floor: Callable[[dict[str, Any]], str] = lambda r: ""
    target: str = ""
    met: Callable[[dict[str, Any]], bool | None] = lambda r: None
    backend: str | None = None
    """The only backend the row is measured on (None: both)."""


def _ms(key: str) -> Callable[[dict[str, Any]], str]:
    return lambda r: f"{r[key]:.2f} ms"


def _pair(p50: str, p99: str) -> Callable[[dict[str, Any]], str]:
    return lambda r: f"{r[p50]:.2f} / {r[p99]:.2f} ms"


ROWS = (
    Row(
        "import",
        lambda r: (
            "not measured (--reuse-db)"
            if r["import_s"] is None
            else f"{r['import_s']:.1f} s ({r['import_rejected']} rejected)"
        ),
        target="<= 25 s at 100k",
        met=lambda r: None if r["import_s"] is None else r["import_s"] <= 25,
    ),
    Row(
        "start to ready",
        lambda r: f"{r['start_to_ready_s']:.2f} s",
        target="<= 2 s",
        met=lambda r: r["start_to_ready_s"] <= 2,
    ),
    Row(
        "search copy: first load",
        lambda r: f"{r['copy_load_s']:.2f} s",
        lambda r: f"copy file {r['copy_mb']:.0f} MB",
        backend="postgresql",
    ),
    Row(
        "catalog version check p50 / p99",
        _pair("version_check_p50_ms", "version_check_p99_ms"),
        lambda r: "before each search",
        backend="postgresql",
    ),
    Row(
        "/pickif p50 / p99",
        _pair("pickif_p50_ms", "pickif_p99_ms"),
        lambda r: (
            f"FTS5 bm25 {r['pickif_floor_p50_ms']:.2f} / {r['pickif_floor_p99_ms']:.2f} ms"
            f" (x{r['pickif_floor_ratio']:.1f})"
        ),
        "p99 <= 20 ms and <= 3x floor",
        lambda r: r["pickif_p99_ms"] <= 20 and r["pickif_floor_ratio"] <= 3,
    ),
    Row(
        "/pickif labelled set top-1 / top-3",
        lambda r: f"{r['labelled_top1']} / {r['labelled_top3']} of {r['labelled_queries']}",
        lambda r: " ".join(f"{kind} {share}" for kind, share in r["labelled_by_kind"].items()),
        ">= 90 % top-1",
        lambda r: r["labelled_top1"] >= 0.9 * r["labelled_queries"],
    ),
    Row(
        "autocomplete p50 / p99",
        _pair("autocomplete_p50_ms", "autocomplete_p99_ms"),
        lambda r: (
            f"WRatio scan {r['autocomplete_floor_p50_ms']:.2f} / "
            f"{r['autocomplete_floor_p99_ms']:.2f} ms (x{r['autocomplete_floor_ratio']:.2f})"
        ),
        "p99 <= 10 ms",
        lambda r: r["autocomplete_p99_ms"] <= 10,
    ),
    Row(
        "autocomplete recall",
        lambda r: f"{r['autocomplete_recall_pct']:.1f} %",
        lambda r: f"strict overlap {r['autocomplete_overlap_pct']:.1f} %",
        ">= 95 %",
        lambda r: r["autocomplete_recall_pct"] >= 95,
    ),
    Row("film card build p50 / p99", _pair("card_build_p50_ms", "card_build_p99_ms")),
    Row("/movie (choice to card) p50 / p99", _pair("card_movie_p50_ms", "card_movie_p99_ms")),
    Row(
        "200 in flight p50 / p99",
        _pair("concurrent_p50_ms", "concurrent_p99_ms"),
        lambda r: (
            f"one at a time p99 {r['concurrent_single_p99_ms']:.2f} ms"
            f" (x{r['concurrent_ratio']:.1f}); burst {r['concurrent_wall_ms']:.0f} ms"
        ),
        "<= 5x single p99",
        lambda r: r["concurrent_ratio"] <= 5,
    ),
    Row(
        "burst: longest loop hold",
        _ms("concurrent_max_loop_hold_ms"),
        lambda r: f"longest wait for a turn {r['concurrent_max_loop_wait_ms']:.2f} ms",
        "<= 50 ms",
        lambda r: r["concurrent_max_loop_hold_ms"] <= 50,
    ),
    Row(
        "burst errors / locked",
        lambda r: f"{r['concurrent_errors']} / {r['concurrent_locked']}",
        target="0 / 0",
        met=lambda r: r["concurrent_errors"] == 0,
    ),
    Row(
        "peak RSS (serving / import)",
        lambda r: f"{r['peak_rss_mb']:.0f} / {r['import_peak_rss_mb'] or 0:.0f} MB",
        target="<= 300 MB",
        met=lambda r: max(r["peak_rss_mb"], r["import_peak_rss_mb"] or 0) <= 300,
    ),
    Row(
        "database size",
        lambda r: f"{r['db_mb']:.0f} MB",
        lambda r: f"review JSON {r['review_json_mb']:.0f} MB",
        "<= 450 MB at 100k",
        lambda r: r["db_mb"] <= 450,
    ),
)
SMALL_MB = 0.1
"""Tables smaller than this are counted together in the sizes table."""


def _rows(result: dict[str, Any]) -> list[Row]:
    """The rows measured on the result's backend."""
    backend = result["backend"]
    return [row for row in ROWS if row.backend in (None, backend)]


def table(result: dict[str, Any]) -> Table:
    title = (
        f"movienight bench on {result['backend']}: {result['reviews']:,} reviews,"
        f" seed {result['seed']}, {result['queries']} queries a path,"
        f" model: {result.get('model') or 'none'}"
    )
    grid = Table(title=title)
    for column in ("measure", "ours", "floor", "target", "met"):
        grid.add_column(column)
    for row in _rows(result):
        met = row.met(result)
        mark = "" if met is None else ("yes" if met else "NO")
        grid.add_row(row.name, row.value(result), row.floor(result), row.target, mark)
    return grid


def markdown(result: dict[str, Any]) -> str:
    """The same table as Markdown, for the README."""
    ours = f"ours ({result['backend']})"
    lines = [f"| measure | {ours} | floor | target | met |", "|---|---|---|---|---|"]
    for row in _rows(result):
        met = row.met(result)
        mark = "" if met is None else ("yes" if met else "**no**")
        cells = [row.name, row.value(result), row.floor(result), row.target, mark]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _size_rows(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(table, MB, share of the file) for each table with its indexes, largest first."""
    total = result["db_mb"]
    tables = result["table_mb"]
    if tables is None:
        return [("(this SQLite has no dbstat: no sizes per table)", "", "")]
    big = {name: mb for name, mb in tables.items() if mb >= SMALL_MB}
    rest = sum(mb for name, mb in tables.items() if name not in big)
    rows = [(name, f"{mb:.1f}", f"{mb / total:.0%}") for name, mb in big.items()]
    rows.append((f"{len(tables) - len(big)} other tables", f"{rest:.1f}", f"{rest / total:.0%}"))
    if result["free_mb"] is not None:  # None on PostgreSQL
        rows.append(("free pages", f"{result['free_mb']:.1f}", f"{result['free_mb'] / total:.0%}"))
    rows.append(("database", f"{total:.1f}", "100%"))
    rows.append(("the review JSON, uncompressed", f"{result['review_json_mb']:.1f}", ""))
    return rows


def sizes_table(result: dict[str, Any]) -> Table:
    how = "PostgreSQL's sizes" if result["backend"] == "postgresql" else "SQLite's dbstat"
    grid = Table(title=f"Database size by table ({how}), with its indexes")
    for column in ("table", "MB", "share"):
        grid.add_column(column)
    for row in _size_rows(result):
        grid.add_row(*row)
    return grid


def sizes_markdown(result: dict[str, Any]) -> str:
    lines = ["| table (with its indexes) | MB | share |", "|---|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in _size_rows(result)]
    return "\n".join(lines)
