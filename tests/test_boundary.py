"""The boundary: the core in bot/ never imports discord; only bot/discord_*.py and cogs/ may.

Read from the source (no import statement of the core names discord, even inside a function),
and checked in a fresh interpreter: importing every core module loads no part of discord.py.
"""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
CORE = sorted(path for path in (ROOT / "bot").rglob("*.py") if not path.name.startswith("discord_"))


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_no_core_module_imports_discord():
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name for name in imported(path) if name.split(".")[0] == "discord"
        )
        for path in CORE
    }
    assert not {path: names for path, names in offenders.items() if names}


def test_importing_the_whole_core_loads_no_discord():
    modules = [module_name(path) for path in CORE if path.name != "__main__.py"]
    code = "import sys\n" + "".join(f"import {name}\n" for name in modules)
    code += "print(sorted(m for m in sys.modules if m.split('.')[0] == 'discord'))\n"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
