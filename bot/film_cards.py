"""What film data adds to messages: posters, the TMDB score, trailer and links on cards, and
the choice of film a moderator links a review to.

Every function works on :mod:`bot.message` values. TMDB is named only where its data is shown
(its score, its links), in the card's small print, as its terms ask.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot import cards
from bot.film_data import OFFER_KINDS, Candidate, FilmData, tmdb_page
from bot.i18n import ENGLISH, N_, Texts
from bot.message import Button, Field, Message
from bot.regions import region_label
from bot.services import service_key
from bot.store import CachedFilm, StoredReview

SCORE_AND_LINKS = N_("Score and links")


def film_links(film: FilmData, t: Texts = ENGLISH) -> str:
    """TMDB's score, then the trailer and the film's pages, as one short field."""
    lines = []
    if film.score is not None:
        score = t.ngettext(
            "★ {score}/10 on TMDB ({votes} vote)",
            "★ {score}/10 on TMDB ({votes} votes)",
            film.votes,
        )
        lines.append(score.format(score=t.number(film.score, 1), votes=t.number(film.votes)))
    links = [(t.gettext("Trailer"), film.trailer), ("TMDB", film.tmdb_url)]
    links += [("IMDb", film.imdb_url), ("Letterboxd", film.letterboxd_url)]
    lines.append(" · ".join(f"[{name}]({url})" for name, url in links if url))
    return "\n".join(lines)


def with_poster(message: Message, cached: CachedFilm, *, large: bool = False) -> Message:
    """A card with the film's poster (a thumbnail, or ``large`` under the text) and its title
    linking to TMDB; unchanged when the cache has no data for the film."""
    film = cached.film
    if film is None or not message.embeds:
        return message
    embed = message.embeds[0]
    embed.url = film.tmdb_url
    if large:
        embed.image = film.posters.large
    else:
        embed.thumbnail = film.posters.small
    return message


def with_film(
    message: Message, cached: CachedFilm, *, large: bool = False, t: Texts = ENGLISH
) -> Message:
    """A film's card with what TMDB knows: its poster, and its score and links just before
    where to watch (the field keyed :data:`bot.cards.WHERE`). Unchanged when the cache has no
    data for the film."""
    film = cached.film
    if film is None or not message.embeds:
        return message
    embed = with_poster(message, cached, large=large).embeds[0]
    keys = [f.key for f in embed.fields]
    at = keys.index(cards.WHERE) if cards.WHERE in keys else len(keys)
    embed.fields.insert(at, Field(t.gettext(SCORE_AND_LINKS), film_links(film, t)))
    return message


OFFER_NAMES = {
    "flatrate": N_("Stream"),
    "free": N_("Free"),
    "ads": N_("With ads"),
    "rent": N_("Rent"),
    "buy": N_("Buy"),
}
"""How /whereto watch names TMDB's kinds of offer."""


def with_offers(
    message: Message,
    cached: CachedFilm,
    region: str,
    services: tuple[str, ...],
    t: Texts = ENGLISH,
) -> Message:
    """/whereto watch with today's offers in ``region``, grouped by kind, the server's own
    services in bold, credited to JustWatch, with TMDB's page of them. Unchanged while nothing
    is known yet (they are fetched behind the answer)."""
    link, offers = cached.link, cached.offers
    name = t.gettext("Today in {country}").format(country=region_label(region, t))
    if link is not None and link.tmdb_id is None:
        text = t.gettext(
            "TMDB has no film that is clearly this one, so nothing is known by country."
        )
        message.embeds[0].fields.append(Field(name, text))
        return message
    if offers is None or cached.offers_at is None or link is None or link.tmdb_id is None:
        return message
    ours = {service_key(service) for service in services}
    lines = [
        f"**{t.gettext(OFFER_NAMES[kind])}:** "
        + ", ".join(
            f"**{cards.escape(p.name)}**" if service_key(p.name) in ours else cards.escape(p.name)
            for p in offers.of(kind)
        )
        for kind in OFFER_KINDS
        if offers.of(kind)
    ]
    if not lines:
        lines.append(t.gettext("No service offers it there today."))
    if ours and any(service_key(p.name) in ours for kind in OFFER_KINDS for p in offers.of(kind)):
        lines.append(t.gettext("In bold: this server's services."))
    page = offers.link or f"{tmdb_page(link.tmdb_id)}/watch?locale={region}"
    credit = t.gettext("Data from JustWatch · [all offers on TMDB]({page}) · checked {day}")
    lines.append(credit.format(page=page, day=t.day(cached.offers_at.date())))
    message.embeds[0].fields.append(Field(name, "\n".join(lines)))
    return message


LINK_TEMPLATE = r"film:link:(?P<review>[0-9]{1,19}):(?P<tmdb>[0-9]{1,10})"
"""A candidate's button under /review link: the review and the TMDB film to link it to."""


def link_button_id(review_id: int, tmdb_id: int) -> str:
    return f"film:link:{review_id}:{tmdb_id}"


def _candidate_line(number: int, candidate: Candidate, t: Texts) -> str:
    also = ""
    if candidate.original_title and candidate.original_title != candidate.title:
        originally = t.gettext(" — originally *{title}*")
        also = originally.format(title=cards.escape(candidate.original_title))
    url = tmdb_page(candidate.tmdb_id)
    tmdb_id = t.gettext("TMDB id {id}").format(id=candidate.tmdb_id)
    return f"{number}. [{cards.escape(candidate.label)}]({url}){also} · {tmdb_id}"


def current_link(cached: CachedFilm, t: Texts = ENGLISH) -> str:
    """How a film is linked now, in a sentence."""
    link = cached.link
    if link is None:
        return t.gettext("It is not linked to a TMDB film yet.")
    if link.tmdb_id is None:
        return t.gettext("A search found no one film that is clearly it, so it is not linked.")
    if cached.film:
        name = cards.escape(cached.film.label)
    else:
        name = t.gettext("TMDB id {id}").format(id=link.tmdb_id)
    if link.linked_by:
        linked = t.gettext("It is linked to [{film}]({url}), chosen by <@{user}>.")
    else:
        linked = t.gettext("It is linked to [{film}]({url}), found by searching its title.")
    return linked.format(film=name, url=tmdb_page(link.tmdb_id), user=link.linked_by)


def link_choices(
    stored: StoredReview,
    candidates: Sequence[Candidate],
    cached: CachedFilm,
    t: Texts = ENGLISH,
) -> Message:
    """TMDB's films for a review's title, each with a button that links the review to it."""
    name = f"**{cards.escape(cards.heading(stored.review))}**"
    if not candidates:
        none = t.gettext(
            "TMDB finds no film called {film}. {linked} If TMDB has it under another title, "
            "pass its id: `/review link title:... tmdb_id:...` (the number in its address on "
            "themoviedb.org)."
        )
        return cards.notice(none.format(film=name, linked=current_link(cached, t)))
    lines = "\n".join(_candidate_line(n, c, t) for n, c in enumerate(candidates, 1))
    buttons = [
        Button(link_button_id(stored.id, c.tmdb_id), f"{n} · {c.label}")
        for n, c in enumerate(candidates, 1)
    ]
    which = t.gettext(
        "Which film is {film}? {linked} Choose one of TMDB's:\n{films}\nOr pass another with "
        "`tmdb_id:`. The link is this server's: other servers keep theirs."
    )
    return Message(
        content=which.format(film=name, linked=current_link(cached, t), films=lines),
        buttons=[buttons[i : i + 5] for i in range(0, len(buttons), 5)],
        ephemeral=True,
    )


def linked(stored: StoredReview, film: FilmData, t: Texts = ENGLISH) -> Message:
    name = f"**{cards.escape(cards.heading(stored.review))}**"
    done = t.gettext(
        "Linked {film} to [{tmdb}]({url}) on TMDB for this server: its cards show that film's "
        "poster, score and trailer, and /whereto watch its availability."
    )
    return cards.notice(done.format(film=name, tmdb=cards.escape(film.label), url=film.tmdb_url))
