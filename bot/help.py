"""The /help card's content: every command with one example. A test keeps it in step with cogs."""

from __future__ import annotations

from dataclasses import dataclass

from bot import limits
from bot.i18n import ENGLISH, N_, Texts
from bot.message import Embed, Field, Message

HELP_COLOR = 0x5865F2


@dataclass(frozen=True, slots=True)
class HelpEntry:
    command: str  # as members type it, without the slash: "whereto watch"
    example: str
    what: str  # marked with N_: /help shows it in the member's language
    moderator: bool = False
    film_data: bool = False  # only there when a TMDB key is set


MEMBER_HELP = (
    HelpEntry(
        "pickif",
        "/pickif themes:a short comedy, not horror",
        N_("films whose reasons match your words, in English, German, French or Spanish"),
    ),
    HelpEntry("movie", "/movie title:Brick", N_("the full card of a film")),
    HelpEntry("whereto watch", "/whereto watch title:Amélie", N_("where a film can be watched")),
    HelpEntry("surprise", "/surprise themes:heist", N_("a random film this server has not seen")),
    HelpEntry("seen add", "/seen add title:Brick", N_("mark a film as watched together")),
    HelpEntry("seen remove", "/seen remove title:Brick", N_("take a film off the seen list")),
    HelpEntry("seen list", "/seen list", N_("what this server has watched")),
    HelpEntry("watchlist add", "/watchlist add title:Amélie", N_("save a film to your own list")),
    HelpEntry("watchlist remove", "/watchlist remove title:Amélie", N_("drop it from your list")),
    HelpEntry(
        "watchlist import",
        "/watchlist import file:watchlist.csv",
        N_("add your Letterboxd or IMDb list"),
    ),
    HelpEntry("watchlist show", "/watchlist show", N_("your list (only you see it)")),
    HelpEntry("suggest", "/suggest title:Brick note:a twisty noir", N_("put a film forward")),
    HelpEntry("suggestions", "/suggestions", N_("what is suggested, most backed first")),
    HelpEntry("unsuggest", "/unsuggest title:Brick", N_("withdraw your suggestion or backing")),
    HelpEntry("history", "/history", N_("past movie nights and how each film was chosen")),
    HelpEntry("stats", "/stats", N_("this server's year at the movies, with a chart")),
    HelpEntry("help", "/help", N_("this card")),
)

MODERATOR_HELP = (
    HelpEntry("review import", "/review import file:film.txt", N_("add a review from a file")),
    HelpEntry("review add", "/review add", N_("write a review in two short forms")),
    HelpEntry("review edit", "/review edit title:Brick field:synopsis", N_("change one field")),
    HelpEntry(
        "review where", "/review where title:Brick services:Netflix", N_("update where to watch")
    ),
    HelpEntry(
        "review import-seen",
        "/review import-seen file:watched.csv",
        N_("a Letterboxd or IMDb list onto the seen list"),
    ),
    HelpEntry("review remove", "/review remove title:Brick", N_("hide a review (restorable)")),
    HelpEntry("review restore", "/review restore title:Brick", N_("bring a removed review back")),
    HelpEntry("review history", "/review history title:Brick", N_("who changed what, and when")),
    HelpEntry(
        "review link", "/review link title:Brick", N_("which TMDB film a review is"), film_data=True
    ),
    HelpEntry("config modrole", "/config modrole role:@Film Club", N_("who counts as a moderator")),
    HelpEntry("config show", "/config show", N_("this server's settings")),
    HelpEntry(
        "config suggestions", "/config suggestions limit:3 approval:true", N_("suggestion rules")
    ),
    HelpEntry("suggestion remove", "/suggestion remove title:Brick", N_("take a suggestion down")),
    HelpEntry("suggestion block", "/suggestion block title:Brick", N_("keep a film out")),
    HelpEntry("suggestion unblock", "/suggestion unblock title:Brick", N_("let it back in")),
    HelpEntry("suggestion queue", "/suggestion queue", N_("approve or deny new suggestions")),
    HelpEntry(
        "config region", "/config region region:DE", N_("the country it watches in"), film_data=True
    ),
    HelpEntry(
        "config services",
        "/config services services:Netflix, Mubi",
        N_("the streaming services it has"),
        film_data=True,
    ),
    HelpEntry(
        "weekly set",
        "/weekly set channel:#movies day:Friday time:19:00 timezone:Europe/Paris",
        N_("post a weekly pick or vote (vote, approval or ranked)"),
    ),
    HelpEntry("weekly show", "/weekly show", N_("the schedule and the next post")),
    HelpEntry("weekly now", "/weekly now", N_("post this week's pick right away")),
    HelpEntry("weekly off", "/weekly off", N_("stop the weekly posts")),
    HelpEntry("weekly close", "/weekly close", N_("end the open vote now")),
    HelpEntry("weekly extend", "/weekly extend hours:2", N_("give the open vote more time")),
)


WORDS_ONLY = N_(
    "/pickif matches your words, moods and limits; no sentence-embedding model is installed,"
    " so it does not match meaning in other words."
)
TMDB_NOTICE = "This product uses the TMDB API but is not endorsed or certified by TMDB."
"""TMDB's required notice, shown in /help when film data is on."""


def available(entries: tuple[HelpEntry, ...], *, film_data: bool) -> list[HelpEntry]:
    """The commands the bot has: those of film data only when it is on (a TMDB key is set)."""
    return [entry for entry in entries if film_data or not entry.film_data]


def _fields(entries: list[HelpEntry], t: Texts) -> list[Field]:
    return [
        Field(f"/{entry.command}", f"{t.gettext(entry.what)}\n`{entry.example}`", inline=True)
        for entry in entries
    ]


def help_card(
    *, moderator: bool, meaning: bool = True, film_data: bool = False, t: Texts = ENGLISH
) -> Message:
    """Every command this member can use, explained in ``t``'s language; moderators' in embeds
    of their own (an embed holds 25 fields, fewer than the commands together). ``meaning``
    False says that /pickif matches words only. TMDB's notice stays as TMDB words it."""
    embeds = [
        Embed(
            title=t.gettext("movienight — what you can ask"),
            description=t.gettext("Start typing `/` and pick a command; titles autocomplete.")
            + ("" if meaning else f"\n{t.gettext(WORDS_ONLY)}"),
            fields=_fields(available(MEMBER_HELP, film_data=film_data), t),
            color=HELP_COLOR,
        )
    ]
    if moderator:
        fields = _fields(available(MODERATOR_HELP, film_data=film_data), t)
        for start in range(0, len(fields), limits.FIELDS):
            title = (
                t.gettext("For moderators") if start == 0 else t.gettext("For moderators (more)")
            )
            embeds.append(
                Embed(title=title, fields=fields[start : start + limits.FIELDS], color=HELP_COLOR)
            )
    if film_data:
        embeds[-1].footer = TMDB_NOTICE
    return Message(embeds=embeds, ephemeral=True)
