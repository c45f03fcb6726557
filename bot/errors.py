"""Errors a person can act on. Each carries the sentence the bot replies with (privately)."""

from __future__ import annotations

from bot.i18n import ENGLISH, N_, Texts

UNREADABLE = N_("Could not read **{file}**: {problem}. Nothing was saved.")
"""A file that is not what it should be (a review, a list), and why."""


class UserFacingError(Exception):
    """Anything the member did or asked that the bot cannot do; the reply is :meth:`said`.

    Raised with a message marked ``N_`` and its ``values``, it is written in the member's
    language where it is answered (the core need not know the language where it raises);
    raised with a finished sentence, that sentence is the reply. ``str(error)`` is English.
    """

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message.format(**values) if values else message)
        self.message = message
        self.values = values

    def said(self, t: Texts) -> str:
        """The reply in ``t``'s language."""
        text = t.gettext(self.message)
        return text.format(**self.values) if self.values else text


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
