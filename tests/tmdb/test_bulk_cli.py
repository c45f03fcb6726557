"""movienight tmdb link|refresh: every film at once, with counts, and the unclear ones listed."""

import pytest

from bot.cli import main
from tests.conftest import FIXTURE_REVIEWS
from tests.tmdb.conftest import fixture_films
from tests.tmdb_fake import serving_in_a_thread


@pytest.fixture
def tmdb(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MOVIENIGHT_DATABASE", str(tmp_path / "cli.db"))
    monkeypatch.setenv("MOVIENIGHT_STARTER", str(FIXTURE_REVIEWS))
    with serving_in_a_thread(fixture_films()) as fake:
        monkeypatch.setenv("MOVIENIGHT_TMDB_URL", fake.url)
        monkeypatch.setenv("TMDB_API_TOKEN", fake.token)
        yield fake


def test_link_then_link_again_then_refresh(tmdb, capsys):
    assert main(["tmdb", "link"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "┃ linked ┃ unclear ┃ not found ┃ failed ┃" in out
    assert "│ 3 │ 1 │ 1 │ 0 │" in out
    assert "Night Shift (2015): 2 candidates" in out
    movies = [path for path in tmdb.paths() if path.startswith("/3/movie/")]
    assert sorted(movies) == ["/3/movie/501", "/3/movie/502", "/3/movie/503"]

    tmdb.requests.clear()
    assert main(["tmdb", "link"]) == 0  # nothing left that a search has not tried
    assert tmdb.requests == []
    assert main(["tmdb", "link", "--again"]) == 0  # the unclear and the missing, again
    assert tmdb.paths().count("/3/search/movie") == 3  # Court Vision without its year too
    capsys.readouterr()

    tmdb.requests.clear()
    assert main(["tmdb", "refresh"]) == 0
    assert "3" in capsys.readouterr().out
    assert sorted(p for p in tmdb.paths() if p != "/3/configuration") == [
        "/3/movie/501",
        "/3/movie/502",
        "/3/movie/503",
    ]
    tmdb.requests.clear()
    assert main(["tmdb", "refresh", "--stale"]) == 0  # all fetched just now
    assert tmdb.requests == []


def test_tmdb_down_counts_failures_and_exits_1(tmdb, capsys):
    tmdb.down = True
    assert main(["tmdb", "link"]) == 1
    assert "could not be reached" in capsys.readouterr().out


def test_a_refused_key_stops_at_once(tmdb, capsys, monkeypatch):
    monkeypatch.setenv("TMDB_API_TOKEN", "eyJ.not.this.one")
    assert main(["tmdb", "link"]) == 2
    err = capsys.readouterr().err
    assert "TMDB refused the key" in err and "eyJ.not.this.one" not in err


def test_without_a_key_it_says_how_to_get_one(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TMDB_API_TOKEN", raising=False)
    monkeypatch.delenv("TMDB_API_KEY", raising=False)
    assert main(["tmdb", "link"]) == 2
    assert "Set TMDB_API_TOKEN" in capsys.readouterr().err
