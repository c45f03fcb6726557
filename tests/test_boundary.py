"""The boundary: the core in bot/ never imports discord; only the Discord edge may.

The edge is ``bot/discord_*.py`` and ``cogs/``. Everything else in ``bot/`` is the core, which
the console, the CLI and the tests use without Discord. The CLI is also the entry point that
composes the bot, so it alone may import ``bot.discord_bot`` (inside ``run``, never at the top).
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
CORE = sorted(
    path
    for path in (ROOT / "bot").rglob("*.py")
    if not (path.parent == ROOT / "bot" and path.name.startswith("discord_"))
)


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def test_the_core_is_most_of_bot():
    assert len(CORE) > 20 and ROOT / "bot" / "discord_bot.py" not in CORE


@pytest.mark.parametrize("path", CORE, ids=lambda path: str(path.relative_to(ROOT)))
def test_a_core_module_never_imports_discord(path):
    edge = {m for m in imported_modules(path) if m == "discord" or m.startswith("discord.")}
    edge |= {m for m in imported_modules(path) if m == "cogs" or m.startswith("cogs.")}
    if path != ROOT / "bot" / "cli.py":
        edge |= {m for m in imported_modules(path) if m.startswith("bot.discord_")}
    assert not edge, f"{path.relative_to(ROOT)} imports {sorted(edge)}; keep Discord in the edge"


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("def f():\n    from discord import Embed\n    return Embed\n")
    assert "discord" in imported_modules(sneaky)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_importing_the_whole_core_loads_no_discord():
    modules = [module_name(path) for path in CORE if path.name != "__main__.py"]
    code = "import sys\n" + "".join(f"import {name}\n" for name in modules)
    code += "print(sorted(m for m in sys.modules if m.split('.')[0] == 'discord'))\n"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
