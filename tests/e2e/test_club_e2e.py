"""Suggestions end to end: the real bot against the stand-in, buttons across a restart."""

from __future__ import annotations

from bot.store import film_key


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
