"""The benchmark still works: a 1k run end to end, and the generator's catalog is real reviews.

No timing is asserted here; the numbers belong to ``python -m bench --size 100000`` on a quiet
machine (see the README's Performance section).
"""

import json
import math
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bench.catalog import ensure, reviews
from bot.review import parse
from bot.store import film_key
from bot.text import fold

ROOT = Path(__file__).parent.parent

MEASURES = {
    "import_s",
    "import_peak_rss_mb",
    "start_to_ready_s",
    "open_and_first_answers_s",
    "pickif_p50_ms",
    "pickif_p99_ms",
    "pickif_floor_p50_ms",
    "pickif_floor_p99_ms",
    "pickif_floor_ratio",
    "autocomplete_p50_ms",
    "autocomplete_p99_ms",
    "autocomplete_floor_p50_ms",
    "autocomplete_floor_p99_ms",
    "autocomplete_floor_ratio",
    "card_build_p50_ms",
    "card_build_p99_ms",
    "card_movie_p50_ms",
    "card_movie_p99_ms",
    "concurrent_single_p99_ms",
    "concurrent_p50_ms",
    "concurrent_p99_ms",
    "concurrent_ratio",
    "concurrent_wall_ms",
    "peak_rss_mb",
    "db_mb",
}


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    cache = tmp_path_factory.mktemp("bench")
    command = ["-m", "bench", "--size", "1000", "--queries", "60", "--cache", str(cache)]
    done = subprocess.run(
        [sys.executable, *command, "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_json_has_every_measure_with_a_sane_value(result):
    assert result["size"] == 1000 and result["queries"] == 60
    for key in MEASURES:
        value = result[key]
        assert isinstance(value, int | float) and math.isfinite(value) and value > 0, key
    for path in ("pickif", "autocomplete", "card_build", "card_movie", "concurrent"):
        assert result[f"{path}_p50_ms"] <= result[f"{path}_p99_ms"], path
    assert result["pickif_floor_p50_ms"] <= result["pickif_floor_p99_ms"]


def test_every_generated_review_was_imported_and_searched(result):
    assert result["reviews"] == 1000
    assert result["import_rejected"] == 0
    assert 0 <= result["autocomplete_overlap_pct"] <= result["autocomplete_recall_pct"] <= 100
    assert result["autocomplete_recall_pct"] >= 90


def test_the_burst_had_no_errors_and_no_locked_database(result):
    assert result["concurrent_n"] == 200
    assert result["concurrent_errors"] == 0, result["concurrent_first_error"]
    assert result["concurrent_locked"] == 0


def test_the_generator_is_seeded_and_writes_reviews_the_parser_accepts():
    texts = list(reviews(300, seed=5))
    assert texts == list(reviews(300, seed=5))
    assert texts != list(reviews(300, seed=6))
    parsed = [parse(text) for text in texts]
    assert len({film_key(r.title, r.year) for r in parsed}) == 300
    titles = Counter(fold(review.title) for review in parsed)
    assert any(count > 1 for count in titles.values())  # remakes: one title, several years
    assert any(not review.title.isascii() for review in parsed)  # accents
    sizes = sorted(len(text.encode()) for text in texts)
    assert 1000 < sizes[len(sizes) // 2] < 5000


def test_a_cached_catalog_is_reused_and_an_unfinished_one_redone(tmp_path):
    first = ensure(20, 3, tmp_path)
    files = sorted(first.folder.rglob("*.txt"))
    assert len(files) == 20
    stamp = files[0].stat().st_mtime_ns
    assert ensure(20, 3, tmp_path).folder == first.folder
    assert files[0].stat().st_mtime_ns == stamp
    (first.folder / "complete").unlink()
    files[0].write_text("half written", encoding="utf-8")
    ensure(20, 3, tmp_path)
    assert parse(files[0].read_text(encoding="utf-8")).title
