"""The wheel a user installs carries everything the bot reads, and works away from the checkout.

The wheel is built from a copy of the project (so nothing is written into the checkout) without
build isolation (so nothing is downloaded: setuptools comes with the test extra). Installing a
wheel is unpacking it, so the installed bot is the wheel unpacked into a temporary folder, first
on PYTHONPATH, run from another temporary folder with no ``.env`` and no movienight settings.
"""

import configparser
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
SKIP = [".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"]
NOT_SOURCES = shutil.ignore_patterns(*SKIP, ".env", "*.db", "*.db-*")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES)
    offline = ["--no-deps", "--no-build-isolation", "--no-index", "--quiet"]
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", *offline, "-w", str(tmp / "dist"), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (built,) = (tmp / "dist").glob("movienight-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path) -> Path:
    site = wheel.parent.parent / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def names_in(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_wheel_carries_the_starter_catalog_word_lists_migrations_and_cogs(wheel):
    names = names_in(wheel)
    for folder, pattern, packaged in [
        (ROOT / "data" / "reviews", "*.txt", "bot/data/reviews"),
        (ROOT / "data", "*.txt", "bot/data"),
        (ROOT / "data" / "locales", "*.pot", "bot/data/locales"),
        (
            ROOT / "data" / "locales" / "de" / "LC_MESSAGES",
            "*.po",
            "bot/data/locales/de/LC_MESSAGES",
        ),
        (ROOT / "bot" / "migrations", "*.sql", "bot/migrations"),
        (ROOT / "bot" / "migrations" / "postgresql", "*.sql", "bot/migrations/postgresql"),
        (ROOT / "cogs", "*.py", "cogs"),
    ]:
        files = sorted(path.name for path in folder.glob(pattern))
        assert files, folder
        assert {f"{packaged}/{name}" for name in files} <= names
    assert {name.split("/")[0] for name in names} == {"bot", "cogs", "movienight-0.1.0.dist-info"}
    assert "movienight-0.1.0.dist-info/licenses/LICENSE" in names


def test_the_installed_wheel_answers_from_the_starter_catalog_away_from_the_checkout(
    installed, tmp_path
):
    entry_points = configparser.ConfigParser()
    entry_points.read(next(installed.glob("*.dist-info")) / "entry_points.txt")
    module, function = entry_points["console_scripts"]["movienight"].split(":")
    console = (
        "import sys, bot.settings\n"
        "print('data:', bot.settings.DEFAULT_STARTER, file=sys.stderr)\n"
        f"from {module} import {function}\n"
        f"sys.exit({function}(sys.argv[1:]))\n"
    )
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("MOVIENIGHT_") and name != "DISCORD_TOKEN"
    }
    env["PYTHONPATH"] = str(installed)
    done = subprocess.run(
        [sys.executable, "-c", console, "try", "--json", "/pickif grief sports"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert f"data: {installed / 'bot' / 'data' / 'reviews'}" in done.stderr
    assert json.loads(done.stdout)["embeds"][0]["title"] == "1 Mile to You (2017)"
    assert (tmp_path / "movienight.db").is_file()
