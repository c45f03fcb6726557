"""Cards with film data: answered from the cache at once, filled in later when it was stale."""

from bot import members
from bot.core import Caller
from bot.film_cards import SCORE_AND_LINKS
from tests.tmdb.conftest import VELVET

MEMBER = Caller(61, 5)
POSTER = f"https://image.tmdb.org/t/p/w500/poster{VELVET}.jpg"
THUMBNAIL = f"https://image.tmdb.org/t/p/w185/poster{VELVET}.jpg"


def field(message, name):
    return next((f for f in message.embeds[0].fields if f.name == name), None)


async def test_a_cold_card_is_answered_at_once_and_filled_in_later(core, tmdb):
    first = await members.movie(core, MEMBER, "Velvet Job")
    assert tmdb.requests == []  # nothing asked of TMDB before answering
    assert first.embeds[0].image is None and field(first, SCORE_AND_LINKS) is None
    assert first.later is not None

    filled = await first.later()
    embed = filled.embeds[0]
    assert embed.image == POSTER and embed.thumbnail is None
    assert embed.url == f"https://www.themoviedb.org/movie/{VELVET}"
    links = field(filled, SCORE_AND_LINKS).value
    assert links.startswith("★ 7.1/10 on TMDB (1,234 votes)")
    assert "[Trailer](https://www.youtube.com/watch?v=dQw4w9WgXcQ)" in links
    assert f"[IMDb](https://www.imdb.com/title/tt{VELVET:07d}/)" in links
    assert f"[Letterboxd](https://letterboxd.com/tmdb/{VELVET})" in links
    names = [f.name for f in embed.fields]
    assert names.index(SCORE_AND_LINKS) == names.index("Where to watch") - 1
    assert filled.later is None and filled.to_discord()["embeds"][0]["image"] == {"url": POSTER}

    again = await members.movie(core, MEMBER, "Velvet Job")
    assert again.later is None and again.embeds[0].image == POSTER  # from the cache


async def test_result_cards_get_a_thumbnail_while_they_are_on_show(core, tmdb):
    pager = await members.pickif(core, MEMBER, "heist theatre")
    page = pager.message()
    assert page.embeds[0].title == "Velvet Job (1998)" and page.embeds[0].thumbnail is None
    filled = await page.later()
    assert filled.embeds[0].thumbnail == THUMBNAIL and filled.buttons == page.buttons
    assert await members.still_showing(core, pager.token, 0)
    await core.store.show_page(pager.token, 1)
    assert not await members.still_showing(core, pager.token, 0)


async def test_tmdb_down_leaves_the_card_as_it_was(core, tmdb):
    tmdb.down = True
    first = await members.movie(core, MEMBER, "Velvet Job")
    assert await first.later() is None  # nothing new: the card is not edited
    assert first.embeds[0].title == "Velvet Job (1998)"


async def test_without_a_key_cards_are_as_they_always_were(fixture_core):
    card = await members.movie(fixture_core, MEMBER, "Velvet Job")
    assert card.later is None
    assert field(card, SCORE_AND_LINKS) is None and card.embeds[0].image is None


async def test_film_data_goes_before_where_to_watch_in_any_language(core, tmdb):
    """The score and links are placed by what the field is, not by its English name."""
    german = Caller(61, 5, locale="de")
    filled = await (await members.movie(core, german, "Velvet Job")).later()
    fields = filled.embeds[0].fields
    names = [f.name for f in fields]
    where = names.index("Wo er läuft")
    assert fields[where - 1].value.startswith("★ 7,1/10")
    assert where == len(fields) - 1
