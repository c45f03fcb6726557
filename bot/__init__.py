"""movienight: a Discord bot that helps a server decide what to watch on movie night.

Everything in this package except the ``discord_*`` modules is the core: plain Python that
never imports ``discord``, shared by the bot and the offline console.
"""
