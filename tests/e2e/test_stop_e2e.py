"""``movienight run`` as a real process: SIGTERM (``docker stop``, ``systemctl stop``) closes it
cleanly, its Discord connection and its database with it."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from tests.conftest import FIXTURE_REVIEWS
from tests.standin import DiscordStandIn

NORMAL_CLOSURE = 1000


async def test_sigterm_closes_the_bot_cleanly(tmp_path, clock):
    database = tmp_path / "movienight.db"
    async with DiscordStandIn(clock=clock) as standin:
        environment = {
            **os.environ,
            "DISCORD_TOKEN": standin.token,
            "MOVIENIGHT_DATABASE": str(database),
            "MOVIENIGHT_STARTER": str(FIXTURE_REVIEWS),
            "MOVIENIGHT_MODEL": "",
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.e2e.bot_process",
            standin.api_base,
            standin.gateway_url,
            env=environment,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            async with asyncio.timeout(60):
                while not standin.gateway.is_connected():
                    await asyncio.sleep(0.05)
            process.send_signal(signal.SIGTERM)
            async with asyncio.timeout(60):
                _, errors = await process.communicate()
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    assert process.returncode == 0, errors.decode()
    assert standin.gateway.disconnects[-1] == (0, NORMAL_CLOSURE)
    assert list((tmp_path / "movienight.db.processes").iterdir()) == []
