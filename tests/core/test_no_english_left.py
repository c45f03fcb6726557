"""Every answer and post in German, with no English left: a server of German members drives
every command as core calls, and nothing the bot says holds a run of an English message
(tests/english.py). Reviews keep their language; the fixture reviews are English."""

from __future__ import annotations

import random
from collections.abc import Awaitable
from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import history, list_imports, members, moderation, suggestions, weekly
from bot import weekly_cards as wcards
from bot.core import Caller
from bot.errors import UserFacingError
from bot.help import help_card
from bot.i18n import texts
from bot.message import Message
from bot.schedule import Weekday, next_post, parse_time, parse_zone
from bot.weekly_plan import spec_of
from tests.conftest import FIXTURE_REVIEWS
from tests.english import english_in, shown
from tests.fakes import GUILD_ID, MEMBER_ID, MODERATOR_ID, OTHER_MEMBER_ID
from tests.moderation.helpers import review_text

GERMAN = texts("de")
MOD = Caller(GUILD_ID, MODERATOR_ID, is_moderator=True, locale="de", guild_locale="de")
ANA = Caller(GUILD_ID, MEMBER_ID, locale="de", guild_locale="de")
BEN = Caller(GUILD_ID, OTHER_MEMBER_ID, locale="de", guild_locale="de")
REVIEWS = (
    *(path.read_text(encoding="utf-8") for path in sorted(FIXTURE_REVIEWS.glob("*.txt"))),
    review_text(),
)


class Answers:
    """What the bot said, as members read it: answers, posts and refusals."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def add(self, message: Message) -> Message:
        self.texts.append(shown(message))
        return message

    async def __call__(self, answer: Awaitable[Message]) -> Message:
        return self.add(await answer)

    async def refused(self, answer: Awaitable[object]) -> None:
        with pytest.raises(UserFacingError) as refusal:
            await answer
        self.texts.append(refusal.value.said(GERMAN))

    def assert_german(self) -> None:
        assert len(self.texts) > 10
        assert english_in(self.texts, "de", REVIEWS) == []


@pytest.fixture
def said() -> Answers:
    return Answers()


async def test_the_member_commands_leave_no_english(fixture_core, said):
    core = fixture_core
    said.add(help_card(moderator=True, meaning=False, t=GERMAN))
    await said(members.movie(core, ANA, "Velvet Job"))
    pager = await members.pickif(core, ANA, "a short hiest from the 1990s, not horror")
    assert isinstance(pager, members.Pager)
    said.add(pager.message())
    page, _ = await members.turn_page(core, ANA, pager.token, "next")
    said.add(page)
    for answer in await members.pick(core, ANA, pager.token):
        said.add(answer)
    said.add(await members.pickif(core, ANA, "qqqq zzzz before 1950"))
    await said.refused(members.turn_page(core, ANA, pager.token, "next"))
    await said.refused(members.pickif(core, ANA, "   "))
    await said(members.surprise(core, ANA, "heist"))
    await said(members.where_to_watch(core, ANA, "Night Shift"))
    await said(members.seen_list(core, ANA))
    await said(members.seen_add(core, ANA, "Night Shift"))
    await said(members.seen_add(core, ANA, "Night Shift"))
    await said(members.seen_list(core, ANA))
    await said(members.seen_remove(core, ANA, "Night Shift"))
    await said(members.watchlist_add(core, ANA, "The Quiet House"))
    await said.refused(members.movie(core, ANA, "Velvet Jbo Mystery"))
    await said.refused(members.movie(core, ANA, "x" * 300))
    await said(members.watchlist_add(core, ANA, "Court Vision"))
    await said(members.watchlist_show(core, ANA))
    await said(members.film_in_message(core, ANA, "we should watch velvet job tonight"))
    await said(members.film_in_message(core, ANA, "nothing to see here"))
    csv = b"Date,Name,Year\n2024-01-02,Velvet Job,1998\n2024-01-03,Unknown Film,2001\n"
    await said(list_imports.import_watchlist(core, ANA, "watchlist.csv", csv))
    await said.refused(list_imports.import_watchlist(core, ANA, "watchlist.csv", b"a,b\n1,2\n"))
    said.assert_german()


async def test_suggestions_and_moderation_leave_no_english(fixture_core, said):
    core = fixture_core
    await said(suggestions.configure(core, MOD, limit=2, approval=True))
    await said(suggestions.suggest(core, ANA, "Court Vision", "a great one"))
    await said(suggestions.suggest(core, ANA, "Zeppelin Summer"))
    await said.refused(suggestions.suggest(core, ANA, "Finish Line"))
    await said(suggestions.waiting(core, MOD))
    queue = await suggestions.waiting(core, MOD)
    approve = int(queue.buttons[0][0].custom_id.rsplit(":", 1)[1])
    await said(suggestions.settle(core, MOD, approve, approve=True))
    await said(suggestions.configure(core, MOD, limit=3, approval=False))
    await said(suggestions.suggest(core, BEN, "Court Vision"))
    await said(suggestions.suggest(core, BEN, "Court Vision"))
    await said(suggestions.listing(core, BEN))
    await said(suggestions.withdraw(core, BEN, "Court Vision"))
    await said.refused(suggestions.withdraw(core, BEN, "Night Shift"))
    await said(suggestions.block(core, MOD, "Night Shift"))
    await said.refused(suggestions.suggest(core, BEN, "Night Shift"))
    await said(suggestions.unblock(core, MOD, "Night Shift"))
    await said(suggestions.remove(core, MOD, "Court Vision"))
    await core.store.mark_seen(GUILD_ID, "finish line|2011", by=None)
    await said(suggestions.suggest(core, BEN, "Finish Line"))

    preview = await said(
        moderation.import_preview(core, MOD, "lantern.txt", review_text().encode())
    )
    token = preview.buttons[0][0].custom_id.rsplit(":", 1)[1]
    await said(moderation.confirm(core, MOD, token))
    await said.refused(moderation.confirm(core, MOD, token))
    form = await moderation.edit_form(core, MOD, "Lantern Field", "synopsis")
    said.texts.append(form.title)
    await said(moderation.save_edit(core, MOD, form.form_id, "Zwei Schwestern, ein Sommer."))
    await said(moderation.where(core, MOD, "Lantern Field", "Mubi and Kanopy"))
    await said(moderation.where(core, MOD, "Velvet Job", "im Regal"))
    await said(moderation.history(core, MOD, "Lantern Field"))
    asked = await said(moderation.remove_request(core, MOD, "Lantern Field"))
    await said(moderation.confirm(core, MOD, asked.buttons[0][0].custom_id.rsplit(":", 1)[1]))
    await said.refused(moderation.restore(core, MOD, "Nothing Like It"))
    await said(moderation.restore(core, MOD, "Lantern Field"))
    await said(moderation.set_mod_role(core, MOD, 77, manages_server=True))
    await said(moderation.config_show(core, MOD))
    await said.refused(moderation.import_preview(core, MOD, "notes.pdf", b"%PDF"))
    await said.refused(moderation.import_preview(core, MOD, "bad.txt", b"Just a line.\n"))
    await said.refused(moderation.remove_request(core, MOD, "Night Shift"))
    await said.refused(members.seen_add(core, ANA, "qqqqzzzz"))
    said.assert_german()


async def test_the_weekly_movie_night_leaves_no_english(fixture_core, clock, said):
    core = fixture_core
    await suggestions.suggest(core, ANA, "Court Vision")
    options = {
        "channel_problem": None,
        "weekday": Weekday.Friday,
        "at": time(19, 0),
        "zone": ZoneInfo("Europe/Berlin"),
        "lead_hours": 24,
        "remind": "interested",
    }
    await said(weekly.set_schedule(core, MOD, 3001, themes="xylophone", mode="ranked", **options))
    await said(weekly.show(core, MOD))
    schedule = await core.store.weekly_schedule(GUILD_ID)
    assert schedule is not None
    coming = next_post(spec_of(schedule), clock.now)
    clock.now = coming.post_at
    post, _ = await weekly.claim_week(
        core, schedule, coming, channel_id=3001, due_at=clock.now, rng=random.Random(1)
    )
    await core.store.record_weekly_posted(post.id, 901)
    await said(weekly.post_message(core, post, "de"))
    step = await weekly.rank(core, ANA, post.id, [])
    said.add(step.message)
    said.add((await weekly.rank(core, ANA, post.id, [], post.candidates[1].slot)).message)
    await said(weekly.ranked_ballot(core, ANA, post.id))
    await said.refused(weekly.vote(core, BEN, post.id, 0))
    moved, answer = await weekly.extend(core, MOD, 30)
    said.add(answer)
    said.add(wcards.closing_soon(moved, GERMAN))
    said.add(weekly.starting_soon(moved, schedule, [MEMBER_ID], "de"))
    clock.now = moved.closes
    closed, _ = await weekly.close_vote(core, post.id, random.Random(3))
    said.add(await weekly.result_message(core, closed, "de"))
    said.add(wcards.closed_early(closed, GERMAN))
    said.texts.append(wcards.event_name(None, GERMAN))
    said.texts.append(wcards.event_description(post, "filmabend", GERMAN))
    missing = wcards.missing_permissions(3001, ["Send Messages", "Embed Links"])
    said.texts.append(wcards.pause_line(missing, GERMAN))
    await said(history.history(core, MOD))
    await said(history.stats(core, MOD))
    await said(weekly.turn_off(core, MOD))
    await said.refused(weekly.show(core, MOD))
    clock.now += timedelta(days=1)
    for typed in ("25:99", "noon"):
        with pytest.raises(UserFacingError) as refusal:
            parse_time(typed)
        said.texts.append(refusal.value.said(GERMAN))
    with pytest.raises(UserFacingError) as refusal:
        parse_zone("Europe/Berln")
    said.texts.append(refusal.value.said(GERMAN))
    said.assert_german()
