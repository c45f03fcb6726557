"""Whatever text Discord can send is answered, and kept where it is meant to be kept.

JSON can carry a lone UTF-16 surrogate ("\\ud800"), which no UTF-8 can encode: SQLite refuses it,
and so does any terminal. Every action that takes typed text is fed one here; each answers in
words that can be sent, and a /review add form is kept as a draft whatever is in it.
"""

import json

import pytest

from bot import members, moderation
from bot.core import Caller
from bot.errors import UserFacingError
from bot.message import Message
from bot.schedule import parse_time, parse_zone

GUILD = 9
MEMBER = Caller(GUILD, 1)
MODERATOR = Caller(GUILD, 2, is_moderator=True)
STRAY = "\ud800"


def sendable(answer: Message | list[tuple[str, str]] | UserFacingError) -> bool:
    """Whether the answer encodes as UTF-8, as Discord's JSON and a terminal both need."""
    if isinstance(answer, Message):
        answer = answer.to_discord()
    elif isinstance(answer, UserFacingError):
        answer = str(answer)
    json.dumps(answer, ensure_ascii=False).encode("utf-8")
    return True


async def answer_to(action, *args):
    try:
        answer = await action(*args)
    except UserFacingError as refused:
        return refused
    return answer.message() if isinstance(answer, members.Pager) else answer


@pytest.mark.parametrize(
    "action",
    [
        members.movie,
        members.where_to_watch,
        members.seen_add,
        members.seen_remove,
        members.watchlist_add,
        members.watchlist_remove,
        members.title_choices,
        moderation.history,
        moderation.remove_request,
        moderation.restore,
        moderation.removed_choices,
    ],
)
@pytest.mark.parametrize("typed", [f"Brick{STRAY}", f"Zeppelin {STRAY}", STRAY])
async def test_every_title_option_answers_a_stray_surrogate(catalog, action, typed):
    caller = MODERATOR if action.__module__ == "bot.moderation" else MEMBER
    assert sendable(await answer_to(action, catalog, caller, typed))


@pytest.mark.parametrize("themes", [f"grief{STRAY}", STRAY])
async def test_themes_with_a_stray_surrogate_are_searched(catalog, themes):
    assert sendable(await answer_to(members.pickif, catalog, MEMBER, themes))
    assert sendable(await answer_to(members.surprise, catalog, MEMBER, themes))


async def test_an_attachment_name_with_a_stray_surrogate_is_quoted_back(catalog):
    refused = await answer_to(moderation.import_preview, catalog, MODERATOR, f"a{STRAY}.pdf", b"")
    assert sendable(refused) and "\ufffd" in str(refused)


async def test_where_with_a_stray_surrogate_saves_the_services_it_names(catalog):
    answer = await moderation.where(catalog, MODERATOR, "Brick", f"Netflix{STRAY} and Mubi")
    assert sendable(answer)
    stored = await members.find_film(catalog, MODERATOR, "Brick")
    assert stored.review.where_to_watch == "Netflix\ufffd and Mubi"
    assert stored.review.services == ("Netflix", "Mubi")


async def test_an_edit_with_a_stray_surrogate_is_saved(catalog):
    form = await moderation.edit_form(catalog, MODERATOR, "Brick", "tagline")
    saved = await moderation.save_edit(catalog, MODERATOR, form.form_id, f"Noir{STRAY} at school")
    assert sendable(saved)
    stored = await members.find_film(catalog, MODERATOR, "Brick")
    assert stored.review.tagline == "Noir\ufffd at school"


async def test_a_form_with_a_stray_surrogate_is_kept_as_a_draft(catalog):
    texts = {"title": f"Kite{STRAY} Season (2021)", "pick_if": f"You like kites{STRAY}"}
    answer = await moderation.save_draft_part(catalog, MODERATOR, 1, texts)
    assert sendable(answer)
    assert await moderation.draft_texts(catalog, MODERATOR) == {
        "title": "Kite\ufffd Season (2021)",
        "pick_if": "You like kites\ufffd",
    }


def test_a_time_or_zone_with_a_stray_surrogate_is_quoted_back():
    for parse, typed in ((parse_time, f"19:3{STRAY}"), (parse_zone, f"Europe/{STRAY}")):
        with pytest.raises(UserFacingError) as refused:
            parse(typed)
        assert sendable(refused.value)
