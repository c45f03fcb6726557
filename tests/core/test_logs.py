"""DEBUG logging shows what was done, never the data: statements and payloads by their size."""

import json
import logging

import pytest

from bot import logs
from bot.review import parse
from tests.conftest import FIXTURE_REVIEWS


@pytest.fixture
def debug(caplog):
    logs.keep_data_out()  # as run_bot does
    with caplog.at_level(logging.DEBUG):
        yield caplog


async def test_a_review_saved_at_debug_logs_its_statements_and_not_its_text(store, debug):
    review = parse((FIXTURE_REVIEWS / "velvet-job-1998.txt").read_text(encoding="utf-8"))
    await store.save_review(review, actor_id=7)
    await store.search(0, '"heist"', weights=(1, 1, 1, 1), limit=5, exclude_seen=False)
    assert "INSERT INTO reviews" in debug.text and "INSERT INTO review_audit" in debug.text
    assert f"<{len(review.title)} chars>, {review.year}, {review.runtime_minutes}, <" in debug.text
    for text in (review.synopsis, review.really_about, review.pick_if[0].detail, '"heist"'):
        assert text not in debug.text


def test_gateway_events_and_http_bodies_are_logged_by_name_and_size(debug):
    secret = "what a member typed"
    event = {"t": "INTERACTION_CREATE", "s": 4, "op": 0, "d": {"data": {"value": secret}}}
    body = json.dumps({"content": secret})
    logging.getLogger("discord.gateway").debug("WebSocket Event: %s", event)
    logging.getLogger("discord.gateway").debug("WebSocket Event: %s", {"op": 11, "d": None})
    logging.getLogger("discord.http").debug(
        "%s %s with %s has returned %s", "POST", "/x", body, 200
    )
    logging.getLogger("discord.http").debug("%s %s has received %s", "GET", "/x", [event])
    assert secret not in debug.text
    assert f"<INTERACTION_CREATE event, {len(json.dumps(event))} chars>" in debug.text
    assert "<op 11, " in debug.text and f"<JSON, {len(body)} chars>" in debug.text
    assert "POST /x with" in debug.text and "has received <payload," in debug.text
