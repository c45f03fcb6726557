"""The /help card's content: every command with one example. A test keeps it in step with cogs."""

from __future__ import annotations

from dataclasses import dataclass

from bot.message import Embed, Field, Message

HELP_COLOR = 0x5865F2


@dataclass(frozen=True, slots=True)
class HelpEntry:
    command: str  # as members type it, without the slash: "whereto watch"
    example: str
    what: str
    moderator: bool = False
    film_data: bool = False  # only there when a TMDB key is set


MEMBER_HELP = (
    HelpEntry("pickif", "/pickif themes:grief sports", "films whose reasons match your words"),
    HelpEntry("movie", "/movie title:Brick", "the full card of a film"),
    HelpEntry("whereto watch", "/whereto watch title:Amélie", "where a film can be watched"),
    HelpEntry("surprise", "/surprise themes:heist", "a random film this server has not seen"),
    HelpEntry("seen add", "/seen add title:Brick", "mark a film as watched together"),
    HelpEntry("seen remove", "/seen remove title:Brick", "take a film off the seen list"),
    HelpEntry("seen list", "/seen list", "what this server has watched"),
    HelpEntry("watchlist add", "/watchlist add title:Amélie", "save a film to your own list"),
    HelpEntry("watchlist remove", "/watchlist remove title:Amélie", "drop it from your list"),
    HelpEntry(
        "watchlist import",
        "/watchlist import file:watchlist.csv",
        "add your Letterboxd or IMDb list",
    ),
    HelpEntry("watchlist show", "/watchlist show", "your list (only you see it)"),
    HelpEntry("help", "/help", "this card"),
)

MODERATOR_HELP = (
    HelpEntry("review import", "/review import file:film.txt", "add a review from a file"),
    HelpEntry("review add", "/review add", "write a review in two short forms"),
    HelpEntry("review edit", "/review edit title:Brick field:synopsis", "change one field"),
    HelpEntry(
        "review where", "/review where title:Brick services:Netflix", "update where to watch"
    ),
    HelpEntry(
        "review import-seen",
        "/review import-seen file:watched.csv",
        "a Letterboxd or IMDb list onto the seen list",
    ),
    HelpEntry("review remove", "/review remove title:Brick", "hide a review (restorable)"),
    HelpEntry("review restore", "/review restore title:Brick", "bring a removed review back"),
    HelpEntry("review history", "/review history title:Brick", "who changed what, and when"),
    HelpEntry(
        "review link", "/review link title:Brick", "which TMDB film a review is", film_data=True
    ),
    HelpEntry("config modrole", "/config modrole role:@Film Club", "who counts as a moderator"),
    HelpEntry("config show", "/config show", "this server's settings"),
    HelpEntry(
        "config region", "/config region region:DE", "the country it watches in", film_data=True
    ),
    HelpEntry(
        "config services",
        "/config services services:Netflix, Mubi",
        "the streaming services it has",
        film_data=True,
    ),
    HelpEntry(
        "weekly set",
        "/weekly set channel:#movies day:Friday time:19:00 timezone:Europe/Paris",
        "post a weekly pick or vote",
    ),
    HelpEntry("weekly show", "/weekly show", "the schedule and the next post"),
    HelpEntry("weekly now", "/weekly now", "post this week's pick right away"),
    HelpEntry("weekly off", "/weekly off", "stop the weekly posts"),
)


TMDB_NOTICE = "This product uses the TMDB API but is not endorsed or certified by TMDB."
"""TMDB's required notice, shown in /help when film data is on."""


def available(entries: tuple[HelpEntry, ...], *, film_data: bool) -> list[HelpEntry]:
    """The commands the bot has: those of film data only when it is on (a TMDB key is set)."""
    return [entry for entry in entries if film_data or not entry.film_data]


def _fields(entries: list[HelpEntry]) -> list[Field]:
    return [
        Field(f"/{entry.command}", f"{entry.what}\n`{entry.example}`", inline=True)
        for entry in entries
    ]


def help_card(*, moderator: bool, film_data: bool = False) -> Message:
    """Every command this member can use; moderators' in an embed of their own (an embed holds
    25 fields, fewer than the commands together)."""
    embeds = [
        Embed(
            title="movienight — what you can ask",
            description="Start typing `/` and pick a command; titles autocomplete.",
            fields=_fields(available(MEMBER_HELP, film_data=film_data)),
            color=HELP_COLOR,
        )
    ]
    if moderator:
        embeds.append(
            Embed(
                title="For moderators",
                fields=_fields(available(MODERATOR_HELP, film_data=film_data)),
                color=HELP_COLOR,
            )
        )
    if film_data:
        embeds[-1].footer = TMDB_NOTICE
    return Message(embeds=embeds, ephemeral=True)
