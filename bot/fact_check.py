"""A review's credits checked against TMDB's: year, directors, runtime (within 3 minutes) and
each cast member. Previews show every difference; ``/review add`` takes the credits from TMDB
as a start; ``movienight check --tmdb`` does the same for files.

Names are compared folded (case, accents, punctuation), so "Bong Joon-ho" and "Bong Joon Ho"
agree. A difference is a note for the moderator, never a refusal: TMDB is sometimes the one
that is wrong.
"""

from __future__ import annotations

from collections.abc import Callable

from bot import cards
from bot.core import Caller, Core
from bot.film_data import FilmData
from bot.i18n import ENGLISH, Texts
from bot.message import Embed, Message
from bot.moderation_fields import FIELDS, FieldError
from bot.review import Review
from bot.store import CachedFilm, film_key
from bot.text import fold

RUNTIME_SLACK = 3
"""Minutes a runtime may differ from TMDB's before it is flagged (cuts and rounding)."""
PREFILLED_CAST = 8
"""Cast members /review add's second form starts with, TMDB's top billed."""
CHECK_COLOR = 0x57F287
DIFFERENT_COLOR = 0xED4245


def differences(review: Review, film: FilmData, t: Texts = ENGLISH) -> list[str]:
    """Every way the review's credits differ from TMDB's, one sentence each."""
    found = []
    if review.year and film.year and review.year != film.year:
        year = t.gettext("Year: the review says {ours}, TMDB says {theirs}.")
        found.append(year.format(ours=review.year, theirs=film.year))
    theirs = {fold(name) for name in film.directors}
    ours = {fold(name) for name in review.directors}
    if review.directors and film.directors and ours != theirs:
        directors = t.gettext("Directed by: the review says {ours}, TMDB says {theirs}.")
        found.append(directors.format(ours=t.join(review.directors), theirs=t.join(film.directors)))
    if (
        review.runtime_minutes
        and film.runtime
        and abs(review.runtime_minutes - film.runtime) > RUNTIME_SLACK
    ):
        runtime = t.gettext("Runtime: the review says {ours}, TMDB says {theirs}.")
        found.append(
            runtime.format(
                ours=cards.runtime(review.runtime_minutes, t), theirs=cards.runtime(film.runtime, t)
            )
        )
    cast = {fold(name) for name in film.cast}
    if film.cast:
        missing = t.gettext("Cast: {name} is not in TMDB's cast.")
        found.extend(
            missing.format(name=member.name)
            for member in review.cast
            if fold(member.name) not in cast
        )
    return found


def check_embed(review: Review, cached: CachedFilm, t: Texts = ENGLISH) -> Embed | None:
    """What a preview says of the review's credits next to TMDB's (None: nothing known yet)."""
    film, link = cached.film, cached.link
    checked = t.gettext("Checked against TMDB")
    if film is None:
        if link is None or link.tmdb_id is not None:
            return None  # not looked up yet: the preview is edited when TMDB answers
        unknown = t.gettext(
            "TMDB has no film that is clearly this one, so nothing was checked. Once it is "
            "saved, `/review link` says which film it is."
        )
        return Embed(checked, unknown, color=cards.NOTICE_COLOR)
    name = f"[{cards.escape(film.label)}]({film.tmdb_url})"
    found = differences(review, film, t)
    if not found:
        agree = t.gettext("The year, director, runtime and cast agree with {film} on TMDB.")
        return Embed(checked, agree.format(film=name), color=CHECK_COLOR)
    differ = t.ngettext(
        "{count} difference from {film} on TMDB; check it before you save:\n{differences}",
        "{count} differences from {film} on TMDB; check them before you save:\n{differences}",
        len(found),
    )
    lines = "\n".join(f"• {cards.escape(line)}" for line in found)
    text = differ.format(count=t.number(len(found)), film=name, differences=lines)
    return Embed(checked, text, color=DIFFERENT_COLOR)


async def with_check(
    core: Core, caller: Caller, review: Review, make: Callable[[], Message]
) -> Message:
    """A preview (``make`` builds it) with the fact check from the cache; when TMDB has not
    been asked yet, the preview is answered first and checked behind."""

    def build(cached: CachedFilm) -> Message:
        message = make()
        if (embed := check_embed(review, cached, caller.texts)) is not None:
            message.embeds.append(embed)
        return message

    if not core.films.enabled:
        return make()
    return await core.films.answer(caller.guild_id, review.title, review.year, build)


async def looked_up(core: Core, caller: Caller, review: Review, message: Message) -> Message:
    """The answer to /review add's first form, saying (when TMDB knows the film) that the
    second comes filled in with its credits; the film is looked up behind the answer."""

    def build(cached: CachedFilm) -> Message:
        if cached.film is None:
            return message
        film = cached.film
        knows = caller.texts.gettext(
            "TMDB knows it as [{film}]({url}): part 2 starts with its directors, runtime and cast."
        )
        knows = knows.format(film=cards.escape(film.label), url=film.tmdb_url)
        return Message(
            content=f"{message.content} {knows}",
            buttons=message.buttons,
            ephemeral=message.ephemeral,
        )

    if not core.films.enabled:
        return message
    return await core.films.answer(caller.guild_id, review.title, review.year, build)


async def prefilled(core: Core, caller: Caller, texts: dict[str, str]) -> dict[str, str]:
    """/review add's inputs, with the credits TMDB has for the drafted film where the
    moderator has typed none yet (from the cache: a form opens at once)."""
    if not core.films.enabled or not texts.get("title"):
        return texts
    try:
        named = FIELDS["title"].read(texts["title"])
    except FieldError:
        return texts
    key = film_key(named["title"], named["year"])
    film = (await core.films.cached(caller.guild_id, key)).film
    if film is None:
        return texts
    credits = {
        "directors": "\n".join(film.directors),
        "runtime": str(film.runtime or ""),
        "cast": "\n".join(film.cast[:PREFILLED_CAST]),
    }
    return texts | {key: text for key, text in credits.items() if text and not texts.get(key)}
