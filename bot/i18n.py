"""The bot's languages: gettext catalogues read with Babel; English is the messages themselves.

Commands are localised through :func:`command_text` (see ``bot/discord_translator.py``);
answers are written with a :class:`Texts` for the member's locale, which the core gets as a
plain string in :class:`~bot.core.Caller`, and posts to a channel with one for the server's
(``Caller.guild_locale``, or the code the Discord side passes for a scheduled post).

Each language's catalogue is ``data/locales/<lang>/LC_MESSAGES/movienight.po`` (the template,
``movienight.pot``, lists every message). The ``.po`` files are the source and ship in the wheel;
each is compiled in memory the first time it is needed, so there is no compiled file to go stale.
Discord's locale codes (``de``, ``fr``, ``es-ES``, ``es-419``) choose a catalogue by their
language; any other locale gets English. Command and option names carry the context ``name``:
they follow Discord's name rules (lowercase, no spaces), which other texts need not.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel.dates import format_date, format_skeleton, format_time, get_day_names, get_month_names
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

from bot.settings import DATA_DIR

DOMAIN = "movienight"
LOCALES = DATA_DIR / "locales"
LANGUAGES = ("de", "fr", "es")
"""The languages besides English, each complete."""
NAME = "name"
"""The context of command, group and option names."""


def language(locale: str | None) -> str | None:
    """The catalogue's language for a Discord locale code, or None for English."""
    code = (locale or "").replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else None


def catalogue_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> Translations:
    """The language's catalogue, compiled from its ``.po`` once."""
    with catalogue_path(lang).open("rb") as source:
        catalog = read_po(source, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def command_text(locale: str | None, text: str, *, name: bool = False) -> str | None:
    """A command's name or description (or an option's, or a choice's) in ``locale``; None
    where it stays English, and Discord shows the English one."""
    lang = language(locale)
    if lang is None:
        return None
    catalogue = translations(lang)
    found = str(catalogue.pgettext(NAME, text) if name else catalogue.gettext(text))
    return found if found != text else None


@dataclass(frozen=True, slots=True)
class Texts:
    """What an answer says, in one language (``lang`` None: English, the messages themselves):
    gettext with the language's plural forms, and numbers and dates written its way."""

    lang: str | None = None

    def gettext(self, message: str) -> str:
        return str(translations(self.lang).gettext(message)) if self.lang else message

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        if self.lang:
            return str(translations(self.lang).ngettext(singular, plural, count))
        return singular if count == 1 else plural

    def number(self, value: float, places: int | None = None) -> str:
        """A number the language's way; with ``places``, that many decimal places."""
        pattern = None if places is None else "0." + "0" * places
        return format_decimal(value, format=pattern, locale=self.lang or "en")

    def day(self, day: date) -> str:
        """A day in a sentence or a list: ``2025-12-05`` in English, the language's medium date
        (``05.12.2025``, ``5 déc. 2025``) otherwise."""
        if self.lang is None:
            return day.strftime("%Y-%m-%d")
        return format_date(day, format="medium", locale=self.lang)

    def day_time(self, moment: datetime) -> str:
        """A local day and time with its weekday: ``Fri 05 Dec 2025, 19:30`` in English."""
        if self.lang is None:
            return moment.strftime("%a %d %b %Y, %H:%M")
        return f"{self.weekday_day(moment)}, {format_time(moment, 'short', locale=self.lang)}"

    def weekday_day(self, day: date) -> str:
        """A day with its weekday: ``Fri 05 Dec 2025`` in English."""
        if self.lang is None:
            return day.strftime("%a %d %b %Y")
        return str(format_skeleton("yMMMEd", day, locale=self.lang))

    def weekday(self, number: int) -> str:
        """A weekday's name, Monday being 0."""
        return str(get_day_names("wide", locale=self.lang or "en")[number])

    def months(self) -> tuple[str, ...]:
        """The months' short names, January first."""
        names = get_month_names("abbreviated", context="stand-alone", locale=self.lang or "en")
        return tuple(str(names[month]) for month in range(1, 13))

    def join(self, items: Sequence[str]) -> str:
        """``a, b and c`` the language's way."""
        return format_list(list(items), locale=self.lang or "en_GB") if items else ""


ENGLISH = Texts()


def N_(message: str) -> str:
    """Mark a message kept in a constant for the catalogues; it is translated where shown."""
    return message


def texts(locale: str | None) -> Texts:
    """The texts for a Discord locale code; English where no catalogue has its language."""
    return Texts(language(locale))
