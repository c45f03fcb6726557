"""What suggestions say: answers to /suggest, the questions it asks, lists and the moderators'
queue.

Buttons carry ids the Discord edge routes without keeping any state in memory (the
``*_TEMPLATE`` patterns): a question's answer names the suggestion waiting for it, a queue's
Approve / Deny the suggestion to settle (a list's pages: ``cards.PAGE_TEMPLATE``). Member
mentions in these messages never ping (every message goes out with no allowed mentions).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from bot import cards
from bot.message import Button, Embed, Field, Message
from bot.store import TitleRow
from bot.store.suggestions import Suggestion, SuggestionSettings
from bot.titles import label

ANSWER_TEMPLATE = r"suggest:(?P<verb>go|drop):(?P<id>[0-9]+)"
"""The answer to a question /suggest asked: go on with suggestion ``id``, or drop it."""
QUEUE_TEMPLATE = r"suggestion:(?P<verb>approve|deny):(?P<id>[0-9]+)"
"""A moderator's Approve / Deny of a suggestion waiting in the queue."""

PAGE_SIZE = 8
QUEUE_SIZE = 5  # one row of Approve / Deny each, within Discord's five rows

GONE = "That question is no longer open: run `/suggest` again."
NOT_YOURS = "This question belongs to the member who asked. Run `/suggest` yourself."
ANSWERED = "You already answered this question."
EXPIRED = "This question expired (it lasts ten minutes): run `/suggest` again."
NOT_PENDING = "That suggestion is no longer waiting for approval."
NONE_OPEN = "Nothing is suggested yet. Put a film forward with `/suggest`."
QUEUE_EMPTY = "No suggestion is waiting for approval."


def name(suggestion: Suggestion) -> str:
    return f"**{cards.escape(suggestion.title)}**"


def _stamp(moment: datetime) -> str:
    return f"<t:{int(moment.timestamp())}:R>"


def _people(user_ids: Sequence[int]) -> str:
    mentions = [f"<@{user}>" for user in user_ids]
    if len(mentions) > 3:
        return f"{', '.join(mentions[:3])} and {len(mentions) - 3} more"
    return mentions[0] if len(mentions) == 1 else f"{', '.join(mentions[:-1])} and {mentions[-1]}"


def by_line(suggestion: Suggestion) -> str:
    """Who suggested it and when, and who also did: "suggested by <@1> 2 days ago, also by …"."""
    line = f"suggested by <@{suggestion.user_id}> {_stamp(suggestion.created_at)}"
    others = [user for user in suggestion.backers if user != suggestion.user_id]
    return f"{line}, also by {_people(others)}" if others else line


def _count(suggestion: Suggestion) -> str:
    return cards.plural(len(suggestion.backers), "backer")


# --- answers to /suggest -------------------------------------------------------------------------


def suggested(suggestion: Suggestion, settings: SuggestionSettings, own: int) -> Message:
    what = "the request for" if suggestion.is_request else "your suggestion of"
    if suggestion.state == "pending":
        text = f"Saved {what} {name(suggestion)}: it waits for a moderator's approval."
    elif suggestion.is_request:
        text = (
            f"{name(suggestion)} is not in the catalog yet, so it is kept as a request: "
            "moderators see it, and once they add a review of it, it is a suggestion like any."
        )
    else:
        text = f"You suggested {name(suggestion)} for movie night."
    return cards.notice(f"{text} You have {own} of {settings.limit} open suggestions.")


def backed(suggestion: Suggestion) -> Message:
    return cards.notice(
        f"{name(suggestion)} was already {by_line(suggestion)}, so it counts as your suggestion "
        f"too: {_count(suggestion)} now. Suggesting it again costs none of your open suggestions."
    )


def already_backing(suggestion: Suggestion) -> Message:
    return cards.notice(f"You already back {name(suggestion)} ({_count(suggestion)}).")


def _question(text: str, asking: Suggestion, go: str) -> Message:
    buttons = [
        Button(f"suggest:go:{asking.id}", go, "primary"),
        Button(f"suggest:drop:{asking.id}", "Cancel"),
    ]
    return Message(content=text, buttons=[buttons], ephemeral=True)


def seen_question(asking: Suggestion, seen_on: datetime) -> Message:
    return _question(
        f"This server watched {name(asking)} on {seen_on:%Y-%m-%d}. Suggest it anyway?",
        asking,
        "Suggest anyway",
    )


def request_question(asking: Suggestion, candidates: Sequence[TitleRow]) -> Message:
    names = "\n".join(f"• {cards.escape(label(row))}" for row in candidates)
    text = (
        f"No film called {name(asking)} is in the catalog. Did you mean one of these? Then run "
        f"`/suggest` with it.\n{names}\nOr request {name(asking)}, and moderators see it."
    )
    return _question(text, asking, "Request it")


def dropped() -> Message:
    return cards.notice("Cancelled: nothing was suggested.")


def at_limit(settings: SuggestionSettings, own: Sequence[Suggestion]) -> str:
    names = ", ".join(name(suggestion) for suggestion in own)
    return (
        f"You have {len(own)} open suggestions, the most this server allows ({settings.limit}): "
        f"{names}. Withdraw one with `/unsuggest` first."
    )


def blocked(title: str) -> str:
    return f"Moderators keep **{cards.escape(title)}** out of this server's suggestions."


def withdrawn(suggestion: Suggestion, after: Suggestion | None) -> Message:
    if after is None:
        return cards.notice(f"Withdrew your suggestion of {name(suggestion)}.")
    if after.user_id != suggestion.user_id:
        return cards.notice(
            f"Withdrew your suggestion of {name(suggestion)}; others back it, so it stays up, "
            f"suggested by <@{after.user_id}> now."
        )
    return cards.notice(f"You no longer back {name(suggestion)} ({_count(after)} left).")


# --- lists ---------------------------------------------------------------------------------------


def _field(number: int, suggestion: Suggestion, rests_until: date | None = None) -> Field:
    head = f"{number}. {cards.escape(suggestion.title)} — {_count(suggestion)}"
    if suggestion.is_request:
        head = f"{number}. 📝 {cards.escape(suggestion.title)} (requested) — {_count(suggestion)}"
    line = by_line(suggestion)
    value = line[0].upper() + line[1:]
    if suggestion.is_request:
        value += "\nNot in the catalog yet: moderators can add it with `/review add`."
    if rests_until is not None:
        value += f"\n💤 Lost too often: back in the votes from {rests_until:%Y-%m-%d}."
    if suggestion.note:
        value += f"\n> {cards.escape(suggestion.note)}"
    return Field(head, value)


def listing(
    suggestions: Sequence[Suggestion], page: int, resting: Mapping[str, date] | None = None
) -> Message:
    """A page of /suggestions: films first (most backed, then oldest), then requests."""
    if not suggestions:
        return cards.notice(NONE_OPEN)
    total = cards.pages(len(suggestions), PAGE_SIZE)
    page = max(0, min(page, total - 1))
    start = page * PAGE_SIZE
    rest = resting or {}
    fields = [
        _field(start + number, suggestion, rest.get(suggestion.film_key or ""))
        for number, suggestion in enumerate(suggestions[start : start + PAGE_SIZE], start=1)
    ]
    return Message(
        embeds=[
            Embed(
                "Suggestions for movie night",
                "Most backed first, then the oldest. `/suggest` a film to back it too.",
                fields=fields,
                footer=f"Page {page + 1} of {total} · {len(suggestions)} open",
                color=cards.COLOR,
            )
        ],
        buttons=cards.page_buttons("suggestions", page, total),
        ephemeral=True,
    )


def queue(waiting: Sequence[Suggestion], done: str = "") -> Message:
    """The moderators' queue: the oldest suggestions waiting, each with Approve / Deny."""
    if not waiting:
        return cards.notice(f"{done}\n{QUEUE_EMPTY}".strip())
    shown = sorted(waiting, key=lambda suggestion: suggestion.id)[:QUEUE_SIZE]
    fields = [_field(number, suggestion) for number, suggestion in enumerate(shown, start=1)]
    buttons = [
        [
            Button(f"suggestion:approve:{s.id}", f"Approve {number}", "success"),
            Button(f"suggestion:deny:{s.id}", f"Deny {number}", "danger"),
        ]
        for number, s in enumerate(shown, start=1)
    ]
    return Message(
        content=done,
        embeds=[
            Embed(
                "Suggestions waiting for approval",
                fields=fields,
                footer=f"{len(waiting)} waiting; the oldest first",
                color=cards.NOTICE_COLOR,
            )
        ],
        buttons=buttons,
        ephemeral=True,
    )


def settled(suggestion: Suggestion, approved: bool) -> str:
    if approved:
        return f"Approved {name(suggestion)}: it is open for movie night now."
    return f"Denied {name(suggestion)}."


def settings_card(settings: SuggestionSettings) -> Message:
    approval = "wait for a moderator's approval" if settings.approval else "are open at once"
    return cards.notice(
        f"Suggestions: each member may have {settings.limit} open at a time, and new ones "
        f"{approval}. Change it with `/config suggestions`."
    )
