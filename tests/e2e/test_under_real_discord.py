"""Issue 12 under a realistic Discord: restarts, quick clicks, and bursts of votes.

Each test reproduces one way the bot broke (issue 12, items 2 to 4: a pager or a form from
before a restart, quick clicks, a burst of votes) and asserts the end state a member must see.
They failed before the fixes. They run the bot inside the test (not in a fixture) so that
everything they find, the stand-in's violations at exit included, fails the test itself.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from bot import moderation
from bot.core import Caller
from bot.discord_bot import MovieNightBot
from bot.discord_weekly import poster_of
from bot.store import film_key
from bot.weekly_cards import VOTE_TEMPLATE
from tests.e2e.helpers import (
    DISCORD_DEADLINE,
    assert_all_answered_in_time,
    assert_in_time,
    button_id,
    catalog_settings,
    restartable_movienight,
)
from tests.e2e.test_weekly_e2e import POST_AT, set_weekly
from tests.moderation.helpers import review_text
from tests.standin import DiscordStandIn, GuildSpec, StoredMessage, run_bot

ANSWER_WAIT = DISCORD_DEADLINE + 0.5
"""How long a test waits for an answer: past this, Discord has told the member it failed."""
PAGE = re.compile(r"Result (\d+) of (\d+)")
EXPIRED = re.compile(r"expired|no longer", re.IGNORECASE)
RESTARTS = "issue 12 item 2: restarts kill open forms and pagers"
QUICK_CLICKS = "issue 12 item 3: quick clicks vanish"
VOTES = "issue 12 item 4: votes queue behind each other"


def pages(message: StoredMessage) -> list[int]:
    """Every page number the /pickif card showed, first to last."""
    shown = []
    for data in [*message.versions, message.data]:
        embeds = data.get("embeds") or []
        found = PAGE.match(embeds[0].get("footer", {}).get("text", "")) if embeds else None
        if found:
            shown.append(int(found[1]))
    return shown


def vote_labels(message: StoredMessage) -> dict[int, int]:
    """The count each vote button shows, by candidate slot."""
    counts = {}
    for row in message.components:
        for button in row["components"]:
            slot = int(button["custom_id"].rsplit(":", 1)[1])
            counts[slot] = (
                int(button["label"].rsplit(" · ", 1)[1]) if " · " in button["label"] else 0
            )
    return counts


def post_of(vote: StoredMessage) -> int:
    found = re.fullmatch(VOTE_TEMPLATE, vote.custom_ids[0])
    assert found is not None, vote.custom_ids
    return int(found["post"])


async def post_a_vote(standin: DiscordStandIn, bot: MovieNightBot, clock) -> StoredMessage:
    await set_weekly(standin, "vote")
    clock.now = POST_AT
    await poster_of(bot).tick()
    (vote,) = standin.channel_messages("movie-night")
    assert len(vote.custom_ids) == 3
    return vote


# --- what already survives a restart ----------------------------------------------------------


async def test_buttons_that_carry_their_state_work_after_a_restart(standin, bots, clock):
    vote = await post_a_vote(standin, bots.bot, clock)
    lantern = standin.add_attachment("lantern.txt", review_text().encode(), "text/plain")
    preview = await standin.invoke("review import", {"file": lantern}, user="mod")
    await bots.restart()

    save = preview.message.button("Save")["custom_id"]
    saved = await standin.click(preview, save, user="mod")
    assert saved.message.content == "Saved **Lantern Field (2019)** to this server's catalog."
    key = film_key("Lantern Field", 2019)
    assert await bots.bot.core.store.review_by_key(standin.guild.id, key) is not None

    voted = await standin.click(vote, vote.custom_ids[0], user="ben")
    assert voted.ephemeral and voted.message.content.startswith("You voted for")
    await bots.bot.get_cog("Weekly").poster.counts_shown()
    assert vote_labels(standin.message(vote.id))[0] == 1
    assert standin.commands_synced == 1  # the new process found its commands unchanged
    assert standin.gateway.identifies == 2


# --- item 2: restarts ---------------------------------------------------------------------------


async def test_a_pager_from_before_a_restart_still_answers(standin, clock, tmp_path):
    async with restartable_movienight(standin, catalog_settings(tmp_path), clock) as bots:
        shown = await standin.invoke("pickif", {"themes": "grief sports"}, user="ana")
        await bots.restart()
        turned = await standin.click(
            shown, button_id(shown, "Next"), user="ana", timeout=ANSWER_WAIT
        )
        assert_in_time(turned)
        card = standin.message(shown.message_id)

        def next_page() -> bool:
            return pages(card)[-1] == 2 and any(i.endswith(":next") for i in card.custom_ids)

        def expired() -> bool:  # said plainly, and the dead buttons taken away
            return not card.custom_ids and bool(EXPIRED.search(f"{turned.text}\n{card.text}"))

        await standin.wait_until(
            lambda: next_page() or expired(),
            timeout=2,
            describe=lambda: f"the card neither turned nor expired: {turned.text!r}, {card!r}",
        )


async def test_a_review_form_sent_after_a_restart_is_answered_and_kept(standin, clock, tmp_path):
    async with restartable_movienight(standin, catalog_settings(tmp_path), clock) as bots:
        form = await standin.invoke("review add", {}, user="mod")
        assert form.modal is not None
        await bots.restart()
        typed = {
            "title": "Kite Season (2021)",
            "pick_if": "You like kites: there are dozens",
            "where_to_watch": "On Tubi.",
        }
        sent = await standin.submit_modal(form, typed, user="mod", timeout=ANSWER_WAIT)
        assert_in_time(sent)
        assert sent.ephemeral
        caller = Caller(standin.guild.id, standin.user_id("mod"), is_moderator=True)
        draft = await moderation.draft_texts(bots.bot.core, caller)
        assert {key: draft.get(key) for key in typed} == typed


# --- item 3: quick clicks -----------------------------------------------------------------------


@pytest.fixture
async def slow_standin(clock):
    """The default server, with Discord's round trip at 150 ms."""
    async with DiscordStandIn(clock=clock, latency=0.15) as server:
        yield server


async def test_three_quick_next_clicks_are_all_answered_in_order(slow_standin, catalog):
    standin = slow_standin
    async with run_bot(MovieNightBot(catalog, catalog.settings), standin):
        shown = await standin.invoke("pickif", {"themes": "grief sports"}, user="ana")
        clicks = await standin.burst(
            (
                standin.click(shown, button_id(shown, "Next"), user="ana", timeout=ANSWER_WAIT)
                for _ in range(3)
            ),
            spacing=0.05,
        )
        assert_in_time(*clicks)
        answered = [click.record.answered_at for click in clicks]
        assert answered == sorted(answered)  # answered in the order they were clicked
        shown_pages = pages(standin.message(shown.message_id))
        assert shown_pages == sorted(shown_pages)  # never back, never skipping past 4
        assert shown_pages[-1] == 4  # "Result 4 of 10"


async def test_pick_this_clicked_twice_is_refused_the_second_time(slow_standin, catalog):
    standin = slow_standin
    async with run_bot(MovieNightBot(catalog, catalog.settings), standin):
        shown = await standin.invoke("pickif", {"themes": "grief sports"}, user="ana")
        first, second = await standin.burst(
            (
                standin.click(shown, button_id(shown, "Pick this"), user="ana", timeout=ANSWER_WAIT)
                for _ in range(2)
            ),
            spacing=0.08,
        )
        assert_in_time(first, second)
        (card,) = await first.wait_followups(1)
        assert card.content == "🍿 Tonight's pick:" and not card.ephemeral
        assert second.ephemeral and "already picked" in second.text
        picks = [m for m in standin.channel_messages() if m.content == "🍿 Tonight's pick:"]
        assert len(picks) == 1
        assert standin.message(shown.message_id).components == []


# --- item 4: votes ------------------------------------------------------------------------------


async def vote_burst(standin: DiscordStandIn, vote: StoredMessage, voters: list[str]) -> None:
    """Every voter votes within a second; each is answered in time, told their vote, and the
    counts on the message end equal to the stored ballots."""
    buttons = vote.custom_ids
    votes = await standin.burst(
        (
            standin.click(vote, buttons[n % 3], user=key, timeout=ANSWER_WAIT)
            for n, key in enumerate(voters)
        ),
        spacing=1 / len(voters),
    )
    assert_in_time(*votes)
    told = "You voted for **"
    await standin.wait_until(
        lambda: all(any(m.content.startswith(told) for m in v.messages) for v in votes),
        timeout=3,
        describe="not every voter was told their vote",
    )


async def assert_counts_match_ballots(standin: DiscordStandIn, bot, vote, expected: int) -> None:
    ballots = await bot.core.store.ballots(post_of(vote))
    counts = Counter(slot for ballot in ballots for slot in ballot)  # one choice each here
    assert len(ballots) == expected
    shown = standin.message(vote.id)
    await standin.wait_until(
        lambda: vote_labels(shown) == {slot: counts.get(slot, 0) for slot in vote_labels(shown)},
        timeout=3,
        describe=lambda: f"the message shows {vote_labels(shown)}, the ballots are {counts}",
    )


@pytest.fixture
def fifty_members() -> GuildSpec:
    return GuildSpec().with_members(50)


async def test_fifty_votes_in_a_second_are_answered_and_counted(fifty_members, catalog, clock):
    async with (
        DiscordStandIn(fifty_members, clock=clock, latency=0.1) as standin,
        run_bot(MovieNightBot(catalog, catalog.settings), standin) as bot,
    ):
        vote = await post_a_vote(standin, bot, clock)
        await vote_burst(standin, vote, fifty_members.member_keys("member"))
        await assert_counts_match_ballots(standin, bot, vote, 50)


async def test_a_hundred_interactions_from_fifty_members_at_once(fifty_members, catalog, clock):
    """The issue's burst: every member votes and also searches, looks up or types a title."""
    async with (
        DiscordStandIn(fifty_members, clock=clock, latency=0.1) as standin,
        run_bot(MovieNightBot(catalog, catalog.settings), standin) as bot,
    ):
        vote = await post_a_vote(standin, bot, clock)
        voters = fifty_members.member_keys("member")
        wait = {"timeout": ANSWER_WAIT}
        others = []
        for n, key in enumerate(voters):
            kind = n % 4
            if kind == 0:
                others.append(standin.invoke("pickif", {"themes": "grief"}, user=key, **wait))
            elif kind == 1:
                others.append(standin.invoke("movie", {"title": "brick"}, user=key, **wait))
            elif kind == 2:
                others.append(
                    standin.autocomplete("movie", {"title": "am"}, focused="title", user=key)
                )
            else:
                others.append(standin.invoke("help", {}, user=key, **wait))
        buttons = vote.custom_ids
        votes = [
            standin.click(vote, buttons[n % 3], user=key, timeout=ANSWER_WAIT)
            for n, key in enumerate(voters)
        ]
        mixed = [action for pair in zip(votes, others, strict=True) for action in pair]
        await standin.burst(mixed, spacing=1 / len(mixed))
        assert_all_answered_in_time(standin)  # autocomplete included
        await assert_counts_match_ballots(standin, bot, vote, 50)
