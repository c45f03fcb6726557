"""Errors a person can act on. Each carries the sentence the bot replies with (privately)."""

from __future__ import annotations

from bot.i18n import ENGLISH, Texts


class UserFacingError(Exception):
    """Anything the member did or asked that the bot cannot do; ``str(error)`` is the reply."""


class NotAModerator(UserFacingError):
    def __init__(self, t: Texts = ENGLISH) -> None:
        super().__init__(
            t.gettext(
                "Only this server's moderators can do that (Manage Server, or the role set with"
                " `/config modrole`)."
            )
        )


class NotInServer(UserFacingError):
    def __init__(self, t: Texts = ENGLISH) -> None:
        super().__init__(
            t.gettext(
                "That command works only in a server that added movienight: it uses the server's"
                " seen list, movie night and settings. /pickif, /movie, /whereto watch, /surprise"
                " and /watchlist work anywhere."
            )
        )
