"""What each card says: film cards, /pickif results, where to watch, lists and notices.

Every function returns a :class:`~bot.message.Message`; :mod:`bot.limits` fits it to Discord's
limits when it is sent. Review text is escaped, so a stray ``*`` or ``||`` in a review cannot
break a card's formatting nor a name starting with ``# `` become a heading, and messages never
ping anyone (see ``Message.to_discord``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot import counts
from bot.i18n import ENGLISH, Texts
from bot.message import Button, Embed, Field, Message
from bot.review import Review
from bot.search import MARK_END, MARK_START, Match, PickIfResult
from bot.store import StoredReview, TitleRow
from bot.store.suggestions import Suggestion
from bot.text import BIDI_CONTROL, clean, title_year
from bot.titles import label

WHERE = "where"
"""The key of a card's where-to-watch field: film data goes just before it."""
COLOR = 0xE5A00D  # popcorn
NOTICE_COLOR = 0x5865F2
_MARKDOWN = re.compile(r"([\\*_~`|>\[\]])")
_LINE_MARK = re.compile(r"(?:^|(?<=[\r\n]))([ \t]*)(?:(\d+)(?=\.\s)|(?=#+\s|-#\s|[-+]\s))")
"""Where a line would start a heading ("# "), subtext ("-# ") or a list ("- ", "+ ", "1. "):
the start of the text and after each line break, past any indent. (A quote's ``>`` and a
list's ``*`` are escaped wherever they stand; these marks are plain text inside a line.)"""


def escape(text: str) -> str:
    """Review or typed text shown literally: Discord markdown characters are escaped, and so is
    a heading, subtext or list mark at the start of a line; whatever cannot be sent is replaced
    (:func:`bot.text.clean`) and bidi controls are taken out, so none reorders the message
    around the text. Discord hides the backslashes, so the text reads as written."""
    marked = _MARKDOWN.sub(r"\\\1", BIDI_CONTROL.sub("", clean(text)))
    return _LINE_MARK.sub(lambda mark: f"{mark[1]}{mark[2] or ''}\\", marked)


def bold_marks(text: str) -> str:
    """Escape a marked text and turn the index's match marks into bold."""
    return escape(text).replace(MARK_START, "**").replace(MARK_END, "**")


def runtime(minutes: int | None, t: Texts = ENGLISH) -> str | None:
    """``1h 44m``, the language's way."""
    if not minutes:
        return None
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return t.gettext("{hours}h {minutes}m").format(hours=hours, minutes=rest)
    if hours:
        return t.gettext("{hours}h").format(hours=hours)
    return t.gettext("{minutes}m").format(minutes=rest)


def heading(review: Review) -> str:
    return title_year(review.title, review.year)


def scope_footer(stored: StoredReview, t: Texts = ENGLISH) -> str:
    if stored.shared:
        return t.gettext("From the shared catalog")
    return t.gettext("From this server's catalog")


def where_text(review: Review, t: Texts = ENGLISH) -> str:
    if review.services:
        text = ", ".join(review.services)
    else:
        text = t.gettext("No streaming service is named in the review.")
    if review.where_to_watch:
        text += f"\n> {escape(review.where_to_watch)}"
    return text


def _credits(review: Review, t: Texts = ENGLISH) -> list[Field]:
    fields = []
    if review.directors:
        directors = escape(" and ".join(review.directors))
        fields.append(Field(t.gettext("Directed by"), directors, inline=True))
    if length := runtime(review.runtime_minutes, t):
        fields.append(Field(t.gettext("Runtime"), length, inline=True))
    return fields


def backing_line(suggestion: Suggestion, t: Texts = ENGLISH) -> str:
    """Who put a film forward and how many back it: "<@1> · backed by 3 members"."""
    backed = t.gettext("<@{user}> · backed by {members}")
    return backed.format(
        user=suggestion.user_id, members=counts.members(len(suggestion.backers), t)
    )


def film_card(
    stored: StoredReview, suggestion: Suggestion | None = None, *, t: Texts = ENGLISH
) -> Message:
    """The full card: everything the review says, the memorable scene behind a spoiler tag,
    and who suggested the film for movie night (when someone did). The headings are in
    ``t``'s language; the review keeps its own."""
    review = stored.review
    parts = []
    if review.tagline:
        parts.append(f"*{escape(review.tagline)}*")
    if review.synopsis:
        about = t.gettext("**What's it about?** {synopsis}")
        parts.append(about.format(synopsis=escape(review.synopsis)))
    if review.really_about:
        really = t.gettext("**What's it really about?** {really}")
        parts.append(really.format(really=escape(review.really_about)))
    reasons = "\n".join(f"• {escape(p.headline)}" for p in review.pick_if)
    fields = [Field(t.gettext("Pick if"), reasons, keep=True)]
    if review.memorable_scene:
        scene = f"||{escape(review.memorable_scene)}||"
        fields.append(Field(t.gettext("Most memorable scene"), scene))
    fields.extend(_credits(review, t))
    if review.cast:
        fields.append(
            Field(
                t.gettext("Cast"),
                "\n".join(
                    f"{escape(m.name)} ({escape(m.known_for)})" if m.known_for else escape(m.name)
                    for m in review.cast
                ),
            )
        )
    fields.append(Field(t.gettext("Where to watch"), where_text(review, t), key=WHERE))
    if suggestion is not None:
        fields.append(Field(t.gettext("Suggested by"), backing_line(suggestion, t)))
    return Message(
        embeds=[
            Embed(
                title=heading(review),
                description="\n\n".join(parts),
                fields=fields,
                footer=scope_footer(stored, t),
                color=COLOR,
            )
        ]
    )


PAGE_TEMPLATE = r"(?P<list>suggestions|history):page:(?P<page>[0-9]{1,4})"
"""Previous / Next under a paged list: which list, and the page to show."""


def pages(count: int, size: int) -> int:
    """How many pages ``count`` items fill, ``size`` a page (at least one)."""
    return max(1, -(-count // size))


def page_buttons(kind: str, page: int, total: int, t: Texts = ENGLISH) -> list[list[Button]]:
    """Previous / Next under page ``page`` (from 0) of ``total``; none for a single page."""
    if total <= 1:
        return []
    previous = Button(f"{kind}:page:{max(page - 1, 0)}", t.gettext("Previous"), disabled=page == 0)
    following = min(page + 1, total - 1)
    last = page >= total - 1
    return [[previous, Button(f"{kind}:page:{following}", t.gettext("Next"), disabled=last)]]


def page_footer(page: int, total: int, t: Texts = ENGLISH) -> str:
    """``Page 2 of 3`` (``page`` from 0)."""
    return t.gettext("Page {page} of {total}").format(page=page + 1, total=total)


PICKIF_TEMPLATE = r"pickif:(?P<token>[-\w]{12}):(?P<verb>previous|next|pick)"
"""Custom ids of /pickif's buttons: the result list's token (see bot.store.pages) and what to do."""


def pickif_button_id(token: str, verb: str) -> str:
    return f"pickif:{token}:{verb}"


def match_card(
    result: PickIfResult, index: int, *, token: str | None = None, t: Texts = ENGLISH
) -> Message:
    """One /pickif result, saying why it matched; with paging buttons for the result list
    ``token`` (none once a film was picked from it). Written in ``t``'s language; the review
    keeps its own, and the member's words are quoted as typed."""
    match = result.matches[index]
    review = match.stored.review
    why = [f"> {bold_marks(reason)}" for reason in match.reasons]
    if not why and match.theme:
        why.append(f"> {bold_marks(match.theme)}")
    if not why and match.closest:
        why.append(f"> {escape(match.closest)}\n" + t.gettext("Closest in meaning to your words."))
    if not why:
        why.append(_loose_reason(result, match, t))
    if match.unwanted:
        avoided = t.gettext(" or ").join(f"**{escape(term.typed)}**" for term in result.unwanted)
        after = t.gettext(
            "Shown after the others: it is also about {avoided}, which you asked to avoid."
        )
        why.append(after.format(avoided=avoided))
    fields = [Field(t.gettext("Why it matched"), "\n".join(why), keep=True)]
    fields.extend(_credits(review, t))
    fields.append(Field(t.gettext("Where to watch"), where_text(review, t), key=WHERE))
    total = len(result.matches)
    footer = [
        t.gettext("Result {number} of {total}").format(
            number=t.number(index + 1), total=t.number(total)
        )
    ]
    if (words := len(result.words)) > 1:
        matched = t.ngettext(
            "matches {matched} of {count} word", "matches {matched} of {count} words", words
        )
        footer.append(matched.format(matched=t.number(match.matched), count=t.number(words)))
    footer += applied(result, t)
    if result.corrections:
        read_as = t.gettext("{typed} as {used}")
        readings = ", ".join(
            read_as.format(typed=typed, used=used) for typed, used in result.corrections.items()
        )
        footer.append(t.gettext("read {readings}").format(readings=readings))
    description = escape(review.tagline) if review.tagline else ""
    if review.synopsis:
        description = "\n\n".join(filter(None, [description, escape(review.synopsis)]))
    rows: list[list[Button]] = []
    if token is not None:
        row = []
        if total > 1:
            first, last = index == 0, index == total - 1
            row.append(
                Button(pickif_button_id(token, "previous"), t.gettext("Previous"), disabled=first)
            )
            row.append(Button(pickif_button_id(token, "next"), t.gettext("Next"), disabled=last))
        row.append(Button(pickif_button_id(token, "pick"), t.gettext("Pick this"), style="success"))
        rows.append(row)
    return Message(
        embeds=[
            Embed(
                title=heading(review),
                description=description,
                fields=fields,
                footer=" · ".join(footer),
                color=COLOR,
            )
        ],
        buttons=rows,
    )


def applied(result: PickIfResult, t: Texts = ENGLISH) -> list[str]:
    """The limits and the unwanted words a search kept to, as the member would say them."""
    said = [limit.said(t) for limit in result.limits.said]
    unwanted = t.gettext("not {words}")
    return [*said, *(unwanted.format(words=term.typed) for term in result.unwanted)]


def _loose_reason(result: PickIfResult, match: Match, t: Texts) -> str:
    """A film found through its synopsis or credits, or by the limits alone: say which, and
    quote its first reason, unmarked."""
    first = escape(match.stored.review.pick_if[0].headline)
    if not result.words:
        limits = t.gettext("It is {limits}. Pick if: {reason}")
        return limits.format(limits=", ".join(applied(result, t)), reason=first)
    return t.gettext("Found in its synopsis or credits. Pick if: {reason}").format(reason=first)


def nothing_found(result: PickIfResult, t: Texts = ENGLISH) -> Message:
    words = escape(" ".join(word.typed for word in result.words)) or t.gettext("that")
    if limits := applied(result, t):
        text = t.gettext("Nothing in the catalog matches **{words}** ({limits}) yet.")
    else:
        text = t.gettext("Nothing in the catalog matches **{words}** yet.")
    text = text.format(words=words, limits=escape(", ".join(limits)))
    if result.suggestions:
        themes = ", ".join(f"`{s}`" for s in result.suggestions)
        text += " " + t.gettext("Themes it does have: {themes}.").format(themes=themes)
    return Message(content=text, ephemeral=True)


def where_card(stored: StoredReview, t: Texts = ENGLISH) -> Message:
    review = stored.review
    footer = scope_footer(stored, t)
    if stored.checked_at:
        day = t.day(stored.checked_at.date())
        footer += " · " + t.gettext("availability last checked {day}").format(day=day)
    return Message(
        embeds=[
            Embed(
                title=t.gettext("Where to watch {film}").format(film=heading(review)),
                description=where_text(review, t),
                footer=footer,
                color=COLOR,
            )
        ]
    )


def did_you_mean(typed: str, candidates: Sequence[TitleRow], t: Texts = ENGLISH) -> Message:
    if not candidates:
        return notice(
            t.gettext("No film called **{title}** is in the catalog.").format(title=escape(typed))
        )
    names = "\n".join(f"• {escape(label(row))}" for row in candidates)
    ask = t.gettext("I'm not sure which film **{title}** means. Did you mean:")
    return notice(f"{ask.format(title=escape(typed))}\n{names}")


def notice(text: str, *, ephemeral: bool = True) -> Message:
    """A short reply in words: confirmations, refusals and errors (private by default)."""
    return Message(content=text, ephemeral=ephemeral)


def film_list(
    title: str, lines: Sequence[str], *, empty: str, footer: str = "", t: Texts = ENGLISH
) -> Message:
    """A titled list (seen, watchlist, history); long lists are cut with a count of the rest."""
    if not lines:
        return notice(empty)
    shown: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) + 1 > 3900:
            break
        shown.append(line)
        used += len(line) + 1
    if len(shown) < len(lines):
        shown.append(t.gettext("…and {count} more").format(count=t.number(len(lines) - len(shown))))
    return Message(
        embeds=[Embed(title=title, description="\n".join(shown), footer=footer, color=COLOR)],
        ephemeral=False,
    )
