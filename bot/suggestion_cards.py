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

from bot import cards, counts
from bot.i18n import ENGLISH, N_, Texts
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

GONE = N_("That question is no longer open: run `/suggest` again.")
NOT_YOURS = N_("This question belongs to the member who asked. Run `/suggest` yourself.")
ANSWERED = N_("You already answered this question.")
EXPIRED = N_("This question expired (it lasts ten minutes): run `/suggest` again.")
NOT_PENDING = N_("That suggestion is no longer waiting for approval.")
NONE_OPEN = N_("Nothing is suggested yet. Put a film forward with `/suggest`.")
QUEUE_EMPTY = N_("No suggestion is waiting for approval.")
BLOCKED = N_("Moderators keep **{film}** out of this server's suggestions.")
NOT_AMONG = N_("**{typed}** is not one of {what} ({names}).")
NONE_AMONG = N_("**{typed}** is not one of {what}: there are none.")
YOURS = N_("the suggestions you made or back")
THE_SERVERS = N_("this server's suggestions")
REQUESTS = N_("this server's requests")
"""What :data:`NOT_AMONG` looks among."""


def name(suggestion: Suggestion) -> str:
    return f"**{cards.escape(suggestion.title)}**"


def _stamp(moment: datetime) -> str:
    return f"<t:{int(moment.timestamp())}:R>"


def _people(user_ids: Sequence[int], t: Texts) -> str:
    mentions = [f"<@{user}>" for user in user_ids]
    if len(mentions) > 3:
        more = t.gettext("{count} more").format(count=t.number(len(mentions) - 3))
        return t.join([*mentions[:3], more])
    return t.join(mentions)


def by_line(suggestion: Suggestion, t: Texts = ENGLISH) -> str:
    """Who suggested it and when, and who also did: "Suggested by <@1> 2 days ago, also by …"."""
    others = [user for user in suggestion.backers if user != suggestion.user_id]
    when = {"user": suggestion.user_id, "when": _stamp(suggestion.created_at)}
    if others:
        also = t.gettext("Suggested by <@{user}> {when}, also by {others}")
        return also.format(others=_people(others, t), **when)
    return t.gettext("Suggested by <@{user}> {when}").format(**when)


# --- answers to /suggest -------------------------------------------------------------------------


def suggested(
    suggestion: Suggestion, settings: SuggestionSettings, own: int, t: Texts = ENGLISH
) -> Message:
    if suggestion.state == "pending" and suggestion.is_request:
        text = t.gettext("Saved the request for {film}: it waits for a moderator's approval.")
    elif suggestion.state == "pending":
        text = t.gettext("Saved your suggestion of {film}: it waits for a moderator's approval.")
    elif suggestion.is_request:
        text = t.gettext(
            "{film} is not in the catalog yet, so it is kept as a request: moderators see it, "
            "and once they add a review of it, it is a suggestion like any."
        )
    else:
        text = t.gettext("You suggested {film} for movie night.")
    have = t.gettext("You have {count} of {limit} open suggestions.")
    have = have.format(count=own, limit=settings.limit)
    return cards.notice(f"{text.format(film=name(suggestion))} {have}")


def backed(suggestion: Suggestion, t: Texts = ENGLISH) -> Message:
    others = [user for user in suggestion.backers if user != suggestion.user_id]
    if others:
        text = t.gettext(
            "{film} was already suggested by <@{user}> {when}, also by {others}, so it counts as "
            "your suggestion too: {backers} now. Suggesting it again costs none of your open "
            "suggestions."
        )
    else:
        text = t.gettext(
            "{film} was already suggested by <@{user}> {when}, so it counts as your suggestion "
            "too: {backers} now. Suggesting it again costs none of your open suggestions."
        )
    return cards.notice(
        text.format(
            film=name(suggestion),
            user=suggestion.user_id,
            when=_stamp(suggestion.created_at),
            others=_people(others, t),
            backers=counts.backers(len(suggestion.backers), t),
        )
    )


def already_backing(suggestion: Suggestion, t: Texts = ENGLISH) -> Message:
    backing = t.gettext("You already back {film} ({backers}).")
    backers = counts.backers(len(suggestion.backers), t)
    return cards.notice(backing.format(film=name(suggestion), backers=backers))


def _question(text: str, asking: Suggestion, go: str, t: Texts) -> Message:
    buttons = [
        Button(f"suggest:go:{asking.id}", go, "primary"),
        Button(f"suggest:drop:{asking.id}", t.gettext("Cancel")),
    ]
    return Message(content=text, buttons=[buttons], ephemeral=True)


def seen_question(asking: Suggestion, seen_on: datetime, t: Texts = ENGLISH) -> Message:
    text = t.gettext("This server watched {film} on {day}. Suggest it anyway?")
    text = text.format(film=name(asking), day=t.day(seen_on))
    return _question(text, asking, t.gettext("Suggest anyway"), t)


def request_question(
    asking: Suggestion, candidates: Sequence[TitleRow], t: Texts = ENGLISH
) -> Message:
    names = "\n".join(f"• {cards.escape(label(row))}" for row in candidates)
    text = t.gettext(
        "No film called {film} is in the catalog. Did you mean one of these? Then run "
        "`/suggest` with it.\n{films}\nOr request {film}, and moderators see it."
    )
    return _question(
        text.format(film=name(asking), films=names), asking, t.gettext("Request it"), t
    )


def dropped(t: Texts = ENGLISH) -> Message:
    return cards.notice(t.gettext("Cancelled: nothing was suggested."))


def at_limit(settings: SuggestionSettings, own: Sequence[Suggestion], t: Texts = ENGLISH) -> str:
    full = t.gettext(
        "You have {count} open suggestions, the most this server allows ({limit}): {films}. "
        "Withdraw one with `/unsuggest` first."
    )
    films = ", ".join(name(suggestion) for suggestion in own)
    return full.format(count=len(own), limit=settings.limit, films=films)


def withdrawn(suggestion: Suggestion, after: Suggestion | None, t: Texts = ENGLISH) -> Message:
    if after is None:
        text = t.gettext("Withdrew your suggestion of {film}.")
    elif after.user_id != suggestion.user_id:
        text = t.gettext(
            "Withdrew your suggestion of {film}; others back it, so it stays up, suggested by "
            "<@{user}> now."
        )
    else:
        text = t.gettext("You no longer back {film} ({backers} left).")
    backers = counts.backers(len(after.backers), t) if after else ""
    user = after.user_id if after else ""
    return cards.notice(text.format(film=name(suggestion), user=user, backers=backers))


# --- lists ---------------------------------------------------------------------------------------


def _field(number: int, suggestion: Suggestion, t: Texts, rests_until: date | None = None) -> Field:
    title, backers = cards.escape(suggestion.title), counts.backers(len(suggestion.backers), t)
    head = f"{number}. {title} — {backers}"
    value = by_line(suggestion, t)
    if suggestion.is_request:
        requested = t.gettext("{number}. 📝 {film} (requested) — {backers}")
        head = requested.format(number=number, film=title, backers=backers)
        value += "\n" + t.gettext(
            "Not in the catalog yet: moderators can add it with `/review add`."
        )
    if rests_until is not None:
        resting = t.gettext("💤 Lost too often: back in the votes from {day}.")
        value += "\n" + resting.format(day=t.day(rests_until))
    if suggestion.note:
        value += f"\n> {cards.escape(suggestion.note)}"
    return Field(head, value)


def listing(
    suggestions: Sequence[Suggestion],
    page: int,
    resting: Mapping[str, date] | None = None,
    t: Texts = ENGLISH,
) -> Message:
    """A page of /suggestions: films first (most backed, then oldest), then requests."""
    if not suggestions:
        return cards.notice(t.gettext(NONE_OPEN))
    total = cards.pages(len(suggestions), PAGE_SIZE)
    page = max(0, min(page, total - 1))
    start = page * PAGE_SIZE
    rest = resting or {}
    fields = [
        _field(start + number, suggestion, t, rest.get(suggestion.film_key or ""))
        for number, suggestion in enumerate(suggestions[start : start + PAGE_SIZE], start=1)
    ]
    opened = t.gettext("{count} open").format(count=t.number(len(suggestions)))
    return Message(
        embeds=[
            Embed(
                t.gettext("Suggestions for movie night"),
                t.gettext("Most backed first, then the oldest. `/suggest` a film to back it too."),
                fields=fields,
                footer=f"{cards.page_footer(page, total, t)} · {opened}",
                color=cards.COLOR,
            )
        ],
        buttons=cards.page_buttons("suggestions", page, total, t),
        ephemeral=True,
    )


def queue(waiting: Sequence[Suggestion], done: str = "", t: Texts = ENGLISH) -> Message:
    """The moderators' queue: the oldest suggestions waiting, each with Approve / Deny."""
    if not waiting:
        return cards.notice(f"{done}\n{t.gettext(QUEUE_EMPTY)}".strip())
    shown = sorted(waiting, key=lambda suggestion: suggestion.id)[:QUEUE_SIZE]
    fields = [_field(number, suggestion, t) for number, suggestion in enumerate(shown, start=1)]
    approve, deny = t.gettext("Approve {number}"), t.gettext("Deny {number}")
    buttons = [
        [
            Button(f"suggestion:approve:{s.id}", approve.format(number=number), "success"),
            Button(f"suggestion:deny:{s.id}", deny.format(number=number), "danger"),
        ]
        for number, s in enumerate(shown, start=1)
    ]
    footer = t.gettext("{count} waiting; the oldest first").format(count=t.number(len(waiting)))
    return Message(
        content=done,
        embeds=[
            Embed(
                t.gettext("Suggestions waiting for approval"),
                fields=fields,
                footer=footer,
                color=cards.NOTICE_COLOR,
            )
        ],
        buttons=buttons,
        ephemeral=True,
    )


def settled(suggestion: Suggestion, approved: bool, t: Texts = ENGLISH) -> str:
    if approved:
        text = t.gettext("Approved {film}: it is open for movie night now.")
    else:
        text = t.gettext("Denied {film}.")
    return text.format(film=name(suggestion))


def settings_card(settings: SuggestionSettings, t: Texts = ENGLISH) -> Message:
    if settings.approval:
        text = t.gettext(
            "Suggestions: each member may have {limit} open at a time, and new ones wait for a "
            "moderator's approval. Change it with `/config suggestions`."
        )
    else:
        text = t.gettext(
            "Suggestions: each member may have {limit} open at a time, and new ones are open at "
            "once. Change it with `/config suggestions`."
        )
    return cards.notice(text.format(limit=settings.limit))
