"""discord.py extensions: thin handlers that turn an interaction into a core call and a reply."""
