"""The member commands' answers in the member's language; reviews keep their own."""

import pytest

from bot import members
from bot.core import Caller

GUILD = 9


def caller(locale):
    return Caller(GUILD, 1, locale=locale)


async def test_a_film_card_in_german_keeps_the_review_as_written(catalog):
    card = (await members.movie(catalog, caller("de"), "amelie")).embeds[0]
    english = (await members.movie(catalog, caller("en-US"), "amelie")).embeds[0]
    names = [field.name for field in card.fields]
    assert names[0] == "Nimm ihn, wenn" and "Wo er läuft" in names
    assert card.description.startswith(english.description.split("**What's it about?**")[0])
    assert "**Worum geht es?**" in card.description
    assert card.fields[0].value == english.fields[0].value  # the review's reasons, unchanged
    assert card.footer == "Aus dem gemeinsamen Katalog"


async def test_where_to_watch_and_surprise_in_spanish(catalog):
    where = await members.where_to_watch(catalog, caller("es-ES"), "amelie")
    assert where.embeds[0].title == "Dónde ver Amélie (2001)"
    surprise = await members.surprise(catalog, caller("es-419"))
    assert surprise.content == "🎲 Tu película sorpresa:"


async def test_the_watchlist_in_french_counts_with_french_plurals(catalog):
    french = caller("fr")
    added = await members.watchlist_add(catalog, french, "amelie")
    assert added.content == "**Amélie (2001)** est ajouté à votre liste à voir."
    shown = await members.watchlist_show(catalog, french)
    assert shown.embeds[0].title == "Votre liste à voir" and shown.embeds[0].footer == "1 film"
    await members.watchlist_add(catalog, french, "brick")
    shown = await members.watchlist_show(catalog, french)
    assert shown.embeds[0].footer == "2 films"


async def test_an_unknown_title_is_refused_in_the_members_language(catalog):
    with pytest.raises(members.TitleNotFound, match="Kein Film namens"):
        await members.movie(catalog, caller("de"), "qqqqzzzz")


async def test_help_explains_the_member_commands_in_french(catalog):
    from bot.help import help_card
    from bot.i18n import texts

    card, moderators = help_card(moderator=True, meaning=False, t=texts("fr")).embeds[:2]
    assert card.title == "movienight — ce que vous pouvez demander"
    movie = next(field for field in card.fields if field.name == "/movie")
    assert movie.value == "la fiche complète d'un film\n`/movie title:Brick`"
    assert "aucun modèle" in card.description
    assert moderators.title == "For moderators"  # still English
    assert moderators.fields[0].value.startswith("add a review")
