"""Moderation core without Discord: attachment checks, what changes, fingerprints, cards."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.core import Caller
from bot.errors import NotAModerator, UserFacingError
from bot.moderation import check_attachment, fingerprint, import_preview, read_attachment
from bot.moderation_cards import changes, diff_fields, history_card, preview
from bot.moderation_fields import with_text
from bot.review import parse
from bot.store import AuditEntry, StoredReview
from tests.conftest import LATEST_YEAR
from tests.moderation.helpers import review_text

MODERATOR = Caller(guild_id=1, user_id=7, is_moderator=True)
NOON = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def stored(review, *, id=5, guild_id=1, deleted_at=None):
    return StoredReview(id, guild_id, review, None, NOON, deleted_at)


@pytest.mark.parametrize(
    ("filename", "size", "message"),
    [
        (
            "poster.png",
            100,
            "**poster.png** is not a review file: attach a .txt or .md file in the review format.",
        ),
        (
            "film.txt",
            1_000_001,
            "**film.txt** is 1,000,001 bytes, over the 1 MB limit (1,000,000 bytes);"
            " a review is a few KB.",
        ),
        (
            "my_film.pdf",
            10,
            r"**my\_film.pdf** is not a review file:"
            " attach a .txt or .md file in the review format.",
        ),
    ],
)
def test_attachments_are_checked_before_downloading(filename, size, message):
    with pytest.raises(UserFacingError) as caught:
        check_attachment(MODERATOR, filename, size)
    assert str(caught.value) == message


def test_text_and_markdown_files_of_any_case_pass():
    check_attachment(MODERATOR, "Film.TXT", 1_000_000)
    check_attachment(MODERATOR, "film.md", 10)


def test_members_are_refused_before_any_file_check():
    with pytest.raises(NotAModerator):
        check_attachment(Caller(1, 8, is_moderator=False), "film.txt", 10)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"Title: x\x00\n",
            "Could not read **film.txt**, line 1: not UTF-8 text: the file contains NUL bytes"
            " (binary data?). Nothing was saved.",
        ),
        (
            b"Hello: there\n\xff\xfe",
            "Could not read **film.txt**, line 2: not UTF-8 text: invalid byte 0xff at offset 13."
            " Nothing was saved.",
        ),
        (
            b"Just a title\n\nSome text.\n",
            "Could not read **film.txt**: no “Pick if:” section; a review needs at least one"
            " reason. Nothing was saved.",
        ),
    ],
)
def test_unreadable_files_are_refused_with_the_reason_and_line(data, message):
    with pytest.raises(UserFacingError) as caught:
        read_attachment("film.txt", data, newest=LATEST_YEAR)
    assert str(caught.value) == message


def test_a_review_file_reads_as_its_review():
    assert read_attachment("film.md", review_text().encode(), newest=LATEST_YEAR) == parse(
        review_text()
    )


def test_changes_list_exactly_the_fields_that_differ():
    before = parse(review_text())
    after = with_text(
        with_text(before, "synopsis", "New story.", newest=LATEST_YEAR),
        "runtime",
        "90",
        newest=LATEST_YEAR,
    )
    assert [label for label, _, _ in changes(before, after)] == [
        "What's it about?",
        "Runtime",
    ]
    assert changes(before, before) == []
    assert [label for label, _, new in changes(None, before) if new] == [
        label for label, _, _ in changes(None, before)
    ]


def test_the_diff_quotes_both_sides_escaped():
    before = parse(review_text())
    after = with_text(before, "tagline", "*Bold* claims", newest=LATEST_YEAR)
    [field] = diff_fields(before, after)
    assert field.name == "Tagline"
    assert field.value == "**Before:** Light Work\n**After:** \\*Bold\\* claims"
    [empty] = diff_fields(before, with_text(before, "tagline", "", newest=LATEST_YEAR))
    assert empty.value == "**Before:** Light Work\n**After:** *(empty)*"


def test_a_fingerprint_changes_with_the_text_and_the_state():
    review = parse(review_text())
    assert fingerprint(None) == "none"
    assert fingerprint(stored(review)) == fingerprint(stored(review))
    assert fingerprint(stored(review)) != fingerprint(stored(replace(review, tagline="Other")))
    assert fingerprint(stored(review)) != fingerprint(stored(review, deleted_at=NOON))
    assert fingerprint(stored(review)) != fingerprint(stored(review, id=6))


def _preview(kind, before=None, shared=None):
    return preview(
        parse(review_text()),
        kind=kind,
        token="ab" * 8,
        owner_id=7,
        guild_id=1,
        expires_at=NOON,
        before=before,
        shared=shared,
    )


def test_a_new_film_preview_is_its_card_with_save_and_cancel():
    message = _preview("import")
    assert message.ephemeral
    assert [embed.title for embed in message.embeds] == ["Lantern Field (2019)"]
    assert message.embeds[0].footer == "Preview: not saved yet"
    assert [(b.label, b.custom_id) for b in message.buttons[0]] == [
        ("Save", "review:confirm:" + "ab" * 8),
        ("Cancel", "review:cancel:" + "ab" * 8),
    ]
    assert f"<t:{int(NOON.timestamp())}:R>" in message.content


def test_saving_over_a_review_shows_what_will_change_and_asks_to_replace():
    old = replace(parse(review_text()), tagline="Old Tagline")
    message = _preview("import", before=stored(old))
    change = message.embeds[1]
    assert change.title == "What will change"
    assert change.description == "Saving replaces this server's review of **Lantern Field (2019)**."
    assert [f.name for f in change.fields] == ["Tagline"]
    assert message.buttons[0][0].label == "Replace"


def test_a_preview_over_a_shared_review_says_the_server_gets_its_own_version():
    message = _preview("import", shared=stored(parse(review_text()), guild_id=0))
    assert "Saving adds this server's own version" in message.embeds[1].description
    assert message.embeds[1].fields == []


def test_an_add_preview_can_reopen_either_form_or_discard_the_draft():
    labels = [(b.label, b.custom_id) for b in _preview("add").buttons[0]]
    assert labels == [
        ("Save", "review:confirm:" + "ab" * 8),
        ("Edit part 1", "review:draft:1:7"),
        ("Edit part 2", "review:draft:2:7"),
        ("Discard draft", "review:cancel:" + "ab" * 8),
    ]


def test_history_says_who_changed_what_and_when_with_the_old_text():
    review = parse(review_text())
    edited = with_text(review, "synopsis", "New story.", newest=LATEST_YEAR)
    entries = [
        AuditEntry(NOON, 7, "edit", review, edited),
        AuditEntry(NOON, None, "add", None, review),
    ]
    embed = history_card(stored(review), entries).embeds[0]
    assert embed.title == "History of Lantern Field (2019)"
    assert [(f.name, f.value) for f in embed.fields] == [
        (
            "2026-11-20 12:00 UTC · edited",
            "by <@7>\n**What's it about?** was: Two sisters run a lantern stall for one last"
            " summer.",
        ),
        ("2026-11-20 12:00 UTC · added", "by a catalog import"),
    ]


@pytest.mark.parametrize(("today", "accepted"), [(2031, True), (2029, False)])
async def test_the_latest_plausible_year_follows_the_cores_clock(
    fixture_core, clock, today, accepted
):
    clock.now = clock.now.replace(year=today)
    data = review_text(year=2032).encode()
    if accepted:
        answer = await import_preview(fixture_core, MODERATOR, "future.txt", data)
        assert "Lantern Field (2032)" in str(answer.to_discord())
    else:
        with pytest.raises(UserFacingError, match=r"implausible year 2032 \(expected 1888–2030\)"):
            await import_preview(fixture_core, MODERATOR, "future.txt", data)
