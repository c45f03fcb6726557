"""How many of something, in a language: "1 vote", "3 Stimmen", "2 soutiens".

Each noun is one ``ngettext`` pair, so the catalogues give every language its plural forms and
numbers are written its way (:meth:`bot.i18n.Texts.number`).
"""

from __future__ import annotations

from bot.i18n import ENGLISH, Texts


def _counted(text: str, count: int, t: Texts) -> str:
    return text.format(count=t.number(count))


def votes(count: int, t: Texts = ENGLISH) -> str:
    """Votes cast for a film (one a member, or approvals counted as votes)."""
    return _counted(t.ngettext("{count} vote", "{count} votes", count), count, t)


def approvals(count: int, t: Texts = ENGLISH) -> str:
    return _counted(t.ngettext("{count} approval", "{count} approvals", count), count, t)


def ballots(count: int, t: Texts = ENGLISH) -> str:
    return _counted(t.ngettext("{count} ballot", "{count} ballots", count), count, t)


def backers(count: int, t: Texts = ENGLISH) -> str:
    """Members who suggested a film or back its suggestion."""
    return _counted(t.ngettext("{count} backer", "{count} backers", count), count, t)


def members(count: int, t: Texts = ENGLISH) -> str:
    return _counted(t.ngettext("{count} member", "{count} members", count), count, t)


def films(count: int, t: Texts = ENGLISH) -> str:
    return _counted(t.ngettext("{count} film", "{count} films", count), count, t)


def nights(count: int, t: Texts = ENGLISH) -> str:
    return _counted(t.ngettext("{count} movie night", "{count} movie nights", count), count, t)


def minutes(count: int, t: Texts = ENGLISH) -> str:
    return _counted(t.ngettext("{count} minute", "{count} minutes", count), count, t)


def hours(count: int, t: Texts = ENGLISH) -> str:
    return _counted(t.ngettext("{count} hour", "{count} hours", count), count, t)


def weeks(count: int, t: Texts = ENGLISH) -> str:
    return _counted(t.ngettext("{count} week", "{count} weeks", count), count, t)
