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


async def test_help_explains_every_command_in_french(catalog):
    from bot.help import help_card
    from bot.i18n import texts

    card, moderators = help_card(moderator=True, meaning=False, t=texts("fr")).embeds[:2]
    assert card.title == "movienight — ce que vous pouvez demander"
    movie = next(field for field in card.fields if field.name == "/movie")
    assert movie.value == "la fiche complète d'un film\n`/movie title:Brick`"
    assert "aucun modèle" in card.description
    assert moderators.title == "Pour les modérateurs"
    assert moderators.fields[0].value.startswith("ajouter une critique depuis un fichier")


async def test_pickifs_limits_readings_and_nothing_found_are_in_the_members_language(catalog):
    pager = await members.pickif(catalog, caller("de"), "lustiger kurzer film, nicht horror")
    footer = pager.message().embeds[0].footer
    assert " · kurz · nicht horror · gelesen: lustiger als funny" in footer
    nothing = await members.pickif(catalog, caller("fr"), "qqqq zzzz avant 1950")
    assert nothing.content.startswith(
        "Rien dans le catalogue ne correspond encore à **qqqq zzzz** (avant 1950)."
    )


async def test_the_film_picked_from_pickif_is_posted_in_the_servers_language(catalog):
    german_member = Caller(GUILD, 1, locale="de", guild_locale="fr")
    pager = await members.pickif(catalog, german_member, "heist")
    page, card = await members.pick(catalog, german_member, pager.token)
    assert page.embeds[0].footer.startswith("Ergebnis 1 von")  # the member's own page
    assert card.content == "🍿 Le film de ce soir :"  # for everyone in the channel
    assert card.embeds[0].fields[0].name == "Choisissez-le si"
