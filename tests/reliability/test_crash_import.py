"""kill -9 in the middle of an import leaves a consistent database: no review half-written."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bot.review import parse, to_json
from bot.store import backup_version
from bot.store.base import SQL_FUNCTIONS
from bot.store.packed import unpack
from tests.conftest import FIXTURE_REVIEWS, INDEX_CHECK

FILES = 6000


def write_catalog(folder: Path) -> dict[str, dict]:
    """Many distinct review files made from one fixture; returns title -> expected JSON."""
    template = (FIXTURE_REVIEWS / "court-vision-2019.txt").read_text(encoding="utf-8")
    folder.mkdir()
    expected = {}
    for number in range(FILES):
        title = f"Court Vision {number:05d}"
        text = template.replace("Court Vision", title)
        (folder / f"{number:05d}.txt").write_text(text, encoding="utf-8")
        expected[title] = to_json(parse(text))
    return expected


def count(path: Path) -> int:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.1) as db:
            return db.execute("SELECT count(*) FROM reviews").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_kill_minus_nine_during_import(tmp_path):
    expected = write_catalog(tmp_path / "in")
    database = tmp_path / "crash.db"
    env = {**os.environ, "MOVIENIGHT_DATABASE": str(database), "MOVIENIGHT_STARTER": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "import", str(tmp_path / "in")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=Path(__file__).parents[2],
    )
    deadline = time.monotonic() + 60
    while count(database) == 0 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the import finished before it was killed"

    with sqlite3.connect(database) as db:
        for name, arity, function in SQL_FUNCTIONS:  # the index reads the reviews through them
            db.create_function(name, arity, function, deterministic=True)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.execute(INDEX_CHECK)  # the index holds exactly the saved reviews' text
        rows = db.execute("SELECT id, title, data FROM reviews ORDER BY id").fetchall()
        indexed = db.execute("SELECT count(*) FROM review_fts").fetchone()[0]
        audited = db.execute("SELECT count(DISTINCT review_id) FROM review_audit").fetchone()[0]
    assert 0 < len(rows) < FILES
    assert indexed == audited == len(rows)  # every saved review is whole: row, index, history
    for _, title, data in rows:
        assert json.loads(unpack(data)) == expected[title]
    imported = sorted(title for _, title, _ in rows)
    assert imported == sorted(expected)[: len(rows)]  # files go in order; none skipped
    assert backup_version(database) >= 1

    again = subprocess.run(
        [sys.executable, "-m", "bot", "import", str(tmp_path / "in")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parents[2],
    )
    assert again.returncode == 0, again.stderr
    assert count(database) == FILES  # running it again finishes the job, no duplicates
