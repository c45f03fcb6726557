"""``movienight run`` as its own process, pointed at a stand-in: the end-to-end tests that need a
real process (signals, the operating system's locks) start it with
``python -m tests.e2e.bot_process API_BASE GATEWAY_URL``; settings come from the environment."""

import asyncio
import sys

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.discord_bot import run_bot
from bot.settings import Settings

if __name__ == "__main__":
    Route.BASE, gateway = sys.argv[1], sys.argv[2]
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
    asyncio.run(run_bot(Settings.load(env_file=None)))
