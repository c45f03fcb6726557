"""The linters run as a test, so CI catches what they catch."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
SOURCES = ["bot", "cogs", "tests", "bench"]


def ruff(*args: str) -> subprocess.CompletedProcess:
    exe = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    paths = [path for path in SOURCES if (ROOT / path).exists()]
    return subprocess.run(
        [exe, *args, *paths], cwd=ROOT, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("args", [("check",), ("format", "--check")], ids=["lint", "format"])
def test_ruff_is_clean(args):
    done = ruff(*args)
    assert done.returncode == 0, done.stdout + done.stderr
