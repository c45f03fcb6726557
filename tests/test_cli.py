"""The movienight command: parse, check, import, export, try and run, with their exit codes."""

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.catalog_files import read_reviews
from bot.cli import export_name, main
from bot.review import parse, to_json
from bot.settings import DEFAULT_STARTER
from bot.store import film_key
from tests.conftest import FIXTURE_REVIEWS, LATEST_YEAR


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Every CLI test in its own folder, with no .env and no token from the outside."""
    monkeypatch.chdir(tmp_path)
    for name in ("DISCORD_TOKEN", "MOVIENIGHT_DATABASE", "MOVIENIGHT_STARTER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MOVIENIGHT_DATABASE", str(tmp_path / "cli.db"))


def test_parse_prints_the_public_json(capsys):
    assert main(["parse", str(FIXTURE_REVIEWS / "velvet-job-1998.txt")]) == 0
    data = json.loads(capsys.readouterr().out)
    path = FIXTURE_REVIEWS / "velvet-job-1998.txt"
    assert data == to_json(
        parse(path.read_text(encoding="utf-8"))
    )  # field names: test_review_render
    assert data["directors"] == ["Paul Render", "Ana Render"]
    assert data["cast"][0] == {"name": "Lou Mercer", "known_for": "The Usher"}
    assert data["pick_if"][0]["headline"] == "You love a heist comedy"


def test_parse_of_a_bad_file_names_the_problem_and_exits_1(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02 binary")
    assert main(["parse", str(bad)]) == 1
    assert "bad.txt" in capsys.readouterr().err


def test_check_reports_every_problem(tmp_path, capsys):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text((FIXTURE_REVIEWS / "velvet-job-1998.txt").read_text())
    (folder / "empty.txt").write_text("")
    (folder / "html.md").write_text("<!DOCTYPE html><html><body>hi</body></html>")
    assert main(["check", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "empty.txt" in out and "html.md" in out and "1 of 3 files are valid" in out


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["import"])
    assert exited.value.code == 2


def test_every_starter_review_passes_check_and_no_film_is_there_twice():
    items = list(read_reviews([DEFAULT_STARTER], newest=LATEST_YEAR))
    assert len(items) >= 30
    problems = [f"{item.path.name}: {item.error}" for item in items if item.review is None]
    assert problems == []
    keys = [film_key(item.review.title, item.review.year) for item in items]
    assert len(keys) == len(set(keys))
    assert "1 mile to you|2017" in keys


def test_import_then_export_gives_back_the_same_reviews(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MOVIENIGHT_STARTER", "")  # a truly empty new database
    assert main(["import", str(DEFAULT_STARTER)]) == 0
    assert "added" in capsys.readouterr().out
    assert main(["export", "--format", "json", str(tmp_path / "out")]) == 0
    exported = {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in (tmp_path / "out").glob("*.json")
    }
    originals = [
        to_json(item.review) for item in read_reviews([DEFAULT_STARTER], newest=LATEST_YEAR)
    ]
    assert sorted(exported.values(), key=lambda d: d["title"]) == sorted(
        originals, key=lambda d: d["title"]
    )
    assert main(["export", str(tmp_path / "text")]) == 0
    for path in (tmp_path / "text").glob("*.txt"):
        assert to_json(parse(path.read_text(encoding="utf-8"))) in originals


def test_import_again_updates_nothing_and_rejections_are_listed(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MOVIENIGHT_STARTER", "")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text((FIXTURE_REVIEWS / "court-vision-2019.txt").read_text())
    (folder / "year.txt").write_text(
        (FIXTURE_REVIEWS / "court-vision-2019.txt").read_text().replace("(2019)", "(20019)")
    )
    assert main(["import", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "year.txt" in out and "20019" in out
    assert main(["import", str(folder / "good.txt")]) == 0
    assert "unchanged" in capsys.readouterr().out


def test_try_runs_a_member_command_without_a_token(capsys):
    assert main(["try", "--json", "/pickif grief sports"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["embeds"][0]["title"] == "1 Mile to You (2017)"


def test_try_answers_in_the_locale_asked_for(capsys):
    assert main(["try", "--json", "--locale", "de", "/pickif grief sports"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["embeds"][0]["fields"][0]["name"] == "Warum er passt"
    assert data["embeds"][0]["footer"]["text"].startswith("Ergebnis 1 von")
    labels = [button["label"] for button in data["components"][0]["components"]]
    assert labels == ["Zurück", "Weiter", "Den nehmen"]


def test_run_without_a_token_says_what_to_do(capsys):
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "DISCORD_TOKEN is not set" in err and 'movienight try "/pickif grief sports"' in err


def test_python_dash_m_bot_is_the_same_command(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "bot", "parse", str(FIXTURE_REVIEWS / "night-shift-2015.txt")],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parent.parent,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"] == "Night Shift"


def test_a_missing_path_is_a_usage_error_and_creates_no_database(tmp_path, capsys):
    assert main(["import", str(tmp_path / "nowhere"), "--db", str(tmp_path / "new.db")]) == 2
    assert "No such file or folder" in capsys.readouterr().err
    assert not (tmp_path / "new.db").exists()


def test_database_and_file_problems_are_reported_without_a_traceback(tmp_path, capsys):
    future = tmp_path / "future.db"
    sqlite3.connect(future).execute("PRAGMA user_version = 999").connection.close()
    assert main(["try", "/help", "--db", str(future)]) == 2
    assert "Database problem" in capsys.readouterr().err
    (tmp_path / "taken").write_text("a file, not a folder")
    assert main(["export", str(tmp_path / "taken")]) == 2
    assert "File problem" in capsys.readouterr().err


def test_films_with_no_letters_are_imported_and_exported_as_different_films(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("MOVIENIGHT_STARTER", "")
    text = (FIXTURE_REVIEWS / "velvet-job-1998.txt").read_text(encoding="utf-8")
    for title in ("🎬🍿", "🍕🍕"):
        path = tmp_path / f"{len(list(tmp_path.iterdir()))}.txt"
        path.write_text(text.replace("Velvet Job", title).replace("1998", "2016"), "utf-8")
        assert main(["import", str(path)]) == 0
        counts = re.findall(r"\d+", capsys.readouterr().out.rsplit("rejected", 1)[1])
        assert counts[:4] == ["1", "0", "0", "0"]  # added, not updated
    assert main(["export", "--format", "json", str(tmp_path / "out")]) == 0
    exported = [json.loads(path.read_text("utf-8")) for path in (tmp_path / "out").iterdir()]
    assert sorted(data["title"] for data in exported) == ["🍕🍕", "🎬🍿"]


@pytest.mark.parametrize("title", ["🎬🍿", "?!", "../..", "a/b", "+1"])
def test_an_export_name_is_one_safe_file_name(title):
    assert re.fullmatch(r"[\w-]+-2016", export_name(title, 2016))
    assert export_name(title, 2016) != export_name("🍕🍕", 2016)


def with_password(url: str) -> str:
    """The tests' server trusts every local user: a password given is accepted and unused."""
    return url.replace("postgresql://postgres@", "postgresql://postgres:hunter2@")


def test_copy_db_moves_a_catalog_to_postgresql_and_back(
    tmp_path, fresh_postgres, monkeypatch, capsys
):
    monkeypatch.setenv("MOVIENIGHT_STARTER", "")
    assert main(["import", str(FIXTURE_REVIEWS)]) == 0
    postgres = with_password(fresh_postgres())
    assert main(["copy-db", str(tmp_path / "cli.db"), postgres]) == 0
    said = capsys.readouterr().out
    assert "hunter2" not in said and "postgres:***@" in said
    assert "same rows on both sides" in said
    assert main(["export", "--db", postgres, "--format", "json", str(tmp_path / "out")]) == 0
    assert len(list((tmp_path / "out").glob("*.json"))) == 5
    assert main(["copy-db", postgres, str(tmp_path / "back.db")]) == 0
    assert main(["copy-db", postgres, str(tmp_path / "back.db")]) == 1
    assert "already holds data" in capsys.readouterr().err


def test_backup_and_restore_name_postgresqls_own_tools(fresh_postgres, capsys):
    postgres = with_password(fresh_postgres())
    assert main(["backup", "--db", postgres, "copy.dump"]) == 1
    assert "pg_dump" in capsys.readouterr().err
    assert main(["restore", "--db", postgres, "copy.dump"]) == 1
    said = capsys.readouterr().err
    assert "pg_restore" in said and "hunter2" not in said
