"""Suggestions end to end: the real bot against the stand-in, buttons across a restart."""

from __future__ import annotations

from datetime import timedelta

from bot.store import film_key
from tests.e2e.test_weekly_e2e import NIGHT, POST_AT, films_of, weekly_set


async def test_members_suggest_back_and_answer_questions_after_a_restart(standin, running):
    first = await standin.invoke("suggest", {"title": "Finish Line", "note": "a race"}, user="ana")
    assert first.ephemeral
    assert first.text.startswith("You suggested **Finish Line (2011)** for movie night.")
    backed = await standin.invoke("suggest", {"title": "finish line"}, user="ben")
    assert "so it counts as your suggestion too: 2 backers" in backed.text

    guild = standin.guild.id
    await running.core.store.mark_seen(guild, film_key("Court Vision", 2019), by=None)
    question = await standin.invoke("suggest", {"title": "Court Vision"}, user="ben")
    assert question.text.startswith("This server watched **Court Vision (2019)** on ")
    await running.restart()
    anyway = await standin.click(question, question.message.button("Suggest anyway")["custom_id"])
    assert anyway.message.text.startswith("You suggested **Court Vision (2019)**")
    assert anyway.message.components == []

    listed = await standin.invoke("suggestions", {}, user="mod")
    assert listed.ephemeral
    names = [field["name"] for field in listed.message.embeds[0]["fields"]]
    assert names == ["1. Finish Line (2011) — 2 backers", "2. Court Vision (2019) — 1 backer"]
    shown = await standin.invoke("movie", {"title": "Finish Line"}, user="mod")
    assert shown.message.embeds[0]["fields"][-1]["value"].endswith("· backed by 2 members")
    assert standin.allowed_mentions[-1] == {"parse": []}  # mentions in cards never ping


async def test_approval_queue_and_requests_for_review_add(standin, running):
    answer = await standin.invoke("config suggestions", {"approval": True}, user="mod")
    assert "wait for a moderator's approval" in answer.text
    await standin.invoke("suggest", {"title": "Lantern Field"}, user="ana")  # a request
    queue = await standin.invoke("suggestion queue", {}, user="mod")
    approved = await standin.click(
        queue, queue.message.button("Approve 1")["custom_id"], user="mod"
    )
    assert approved.message.content.startswith("Approved **Lantern Field**")

    choices = await standin.autocomplete(
        "review add", {"request": "lant"}, focused="request", user="mod"
    )
    assert [choice["name"] for choice in choices] == ["Lantern Field"]
    form = await standin.invoke("review add", {"request": choices[0]["value"]}, user="mod")
    assert form.modal is not None
    inputs = [
        label["component"]
        for label in form.modal["components"]
        if label.get("component", {}).get("custom_id") == "title"
    ]
    assert inputs[0]["value"] == "Lantern Field"


async def test_movie_night_together_from_suggestions_to_history(standin, running, clock):
    """Three members suggest; the weekly approval vote is built from their suggestions; ballots
    are cast before and after a restart; a moderator closes it; "starting soon" pings exactly
    the members who marked the event Interested; /history shows the night. The next week's
    ranked vote is cast in private steps, counted by rounds, and recorded too."""
    await standin.invoke("suggest", {"title": "Night Shift"}, user="ana")
    await standin.invoke("suggest", {"title": "Velvet Job"}, user="ben")
    await standin.invoke("suggest", {"title": "Court Vision"}, user="owner")
    await standin.invoke("suggest", {"title": "Velvet Job"}, user="mod")  # backs ben's
    options = {"mode": "approval", "remind": "interested"}
    answer = await weekly_set(standin, **options)
    assert answer.ephemeral

    clock.now = POST_AT
    await running.tick()
    (vote,) = standin.channel_messages("movie-night")
    assert films_of(vote) == ["Velvet Job (1998)", "Night Shift (2015)", "Court Vision (2019)"]
    velvet, night, court = vote.custom_ids
    (event,) = standin.events()
    standin.mark_interested(event["id"], "ana", "owner")
    await standin.click(vote, night, user="ana")
    await standin.click(vote, court, user="ana")
    await standin.click(vote, court, user="ben")
    await running.restart()  # mid-vote: a new process over the same database
    await standin.click(vote, court, user="owner")
    await standin.click(vote, velvet, user="owner")
    await standin.click(vote, velvet, user="mod")

    clock.now = NIGHT - timedelta(minutes=30)
    closed = await standin.invoke("weekly close", {}, user="mod")
    assert closed.text.startswith("Closed the vote early: **Court Vision (2019)** won.")
    result = standin.channel_messages("movie-night")[-1]
    assert "**Court Vision (2019)** won with 3 approvals from 4 ballots." in result.content
    assert standin.events()[0]["name"] == "Movie night: Court Vision (2019)"

    clock.now = NIGHT - timedelta(minutes=15)
    await running.tick()
    soon = standin.channel_messages("movie-night")[-1]
    assert soon.content.startswith("🎬 Movie night starts <t:")
    assert "**Court Vision (2019)**." in soon.content
    interested = sorted(standin.user_id(key) for key in ("ana", "owner"))
    assert soon.allowed_mentions == {"parse": [], "users": interested}

    shown = await standin.invoke("history", {}, user="ben")
    assert shown.ephemeral
    (field,) = shown.message.embeds[0]["fields"]
    assert field["name"] == "Fri 27 Nov 2026 · Court Vision (2019)"
    assert field["value"] == (
        "Approval vote: 3 approvals from 4 ballots\n"
        f"Suggested by <@{standin.user_id('owner')}> (1 backer)\n"
        "2 members marked it Interested"
    )

    # The next week: a ranked vote of what is still suggested, then the bot's own pick.
    await weekly_set(standin, mode="ranked")
    clock.now = POST_AT + timedelta(weeks=1)
    await running.tick()
    ranked = standin.channel_messages("movie-night")[-1]
    assert films_of(ranked)[:2] == ["Velvet Job (1998)", "Night Shift (2015)"]
    for user, choices in (("ana", ["1", "0"]), ("ben", ["0"]), ("mod", ["0", "1"])):
        step = await standin.click(ranked, ranked.custom_ids[0], user=user)
        for choice in choices:
            step = await standin.select(step, step.message.custom_ids[0], [choice], user=user)
    clock.now = NIGHT + timedelta(weeks=1)
    await running.tick()
    announced = standin.channel_messages("movie-night")[-1]
    assert announced.content.split("\n")[1] == (
        "Round 1: Velvet Job (1998) 2 · Night Shift (2015) 1 · "
        f"{films_of(ranked)[2]} 0 — **Velvet Job (1998)** has more than half."
    )
    shown = await standin.invoke("history", {}, user="ana")
    names = [f["name"] for f in shown.message.embeds[0]["fields"]]
    assert names == ["Fri 04 Dec 2026 · Velvet Job (1998)", "Fri 27 Nov 2026 · Court Vision (2019)"]
    stats = await standin.invoke("stats", {}, user="ana")
    (chart,) = stats.message.attachments
    assert chart["filename"] == "stats.png"
    assert stats.message.embeds[0]["image"]["url"] == "attachment://stats.png"
