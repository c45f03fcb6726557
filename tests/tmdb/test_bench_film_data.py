"""The film data benchmark still runs, and its counts say what the cache promises. No timing
is asserted: the numbers belong to ``python -m bench.film_data`` on a quiet machine."""

from bench.film_data import measure


async def test_the_benchmark_runs_and_counts_what_the_cache_promises():
    result = await measure(size=20, queries=5, latency=0, seed=1)
    passes = result["cache"]
    assert passes["cold"]["requests"] == 2 * 5 + 1  # a search and the film each; configuration
    assert passes["warm"]["requests"] == 0
    assert passes["25 h later"]["paths"] == ["movie/{id}/watch/providers"]
    assert passes["25 h later"]["requests"] == 5
    assert passes["31 days later"]["paths"] == ["movie/{id}"]
    rated = result["rate_limit"]
    assert rated["films"] == rated["linked"] == 20
    assert rated["busiest_second"] <= 40 and rated["retried"] == 2
    for path in ("movie", "whereto", "pickif"):
        assert set(result["from_cache"][path]) == {"with", "without"}
