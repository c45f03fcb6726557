"""What moderators are shown: previews, "what will change", confirmations, history, settings.

Every function returns a :class:`~bot.message.Message`. Buttons carry ids the Discord edge routes
without keeping any state in memory (see the ``*_TEMPLATE`` patterns), so a preview still answers
after a restart. Review text is escaped wherever it goes into markdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot import cards, limits
from bot.message import Button, ButtonStyle, Embed, Field, Message
from bot.moderation_fields import FIELDS, FieldError, part_of
from bot.review import Review
from bot.store import AuditEntry, StoredReview
from bot.store.moderation import PendingKind
from bot.store.suggestions import SuggestionSettings

CONFIRM_TEMPLATE = r"review:(?P<verb>confirm|cancel):(?P<token>[0-9a-f]{16})"
"""Save / Remove and Cancel under a preview: the pending change's token."""
DRAFT_TEMPLATE = r"review:draft:(?P<part>[12]):(?P<owner>[0-9]+)"
"""Open one of the /review add forms again, prefilled from its owner's draft."""
ADD_FORM_TEMPLATE = r"review:add:(?P<part>[12])"
"""A sent /review add form: which part (the sender's draft is where it goes)."""
EDIT_FORM_TEMPLATE = (
    r"review:edit:(?P<review>[0-9]{1,19}):(?P<field>[a-z_]+):(?P<base>[0-9a-f]{16})"
)
"""A sent /review edit form: the review, the field, and the review's fingerprint when opened."""

CHANGE_COLOR = 0xF0B232
DIFF_TEXT = 400  # characters of each side of a change shown in "what will change"
HISTORY_TEXT = 300  # characters of the old text of each changed field in /review history
_ACTIONS = {
    "add": "added",
    "update": "replaced by an import",
    "replace": "replaced with /review add",
    "edit": "edited",
    "where": "where to watch updated",
    "remove": "removed",
    "restore": "restored",
}


def pending_button(verb: str, token: str, label: str, style: ButtonStyle) -> Button:
    return Button(f"review:{verb}:{token}", label, style)


def draft_button(part: int, owner_id: int, label: str, style: ButtonStyle = "secondary") -> Button:
    return Button(f"review:draft:{part}:{owner_id}", label, style)


def name(review: Review) -> str:
    """The film's heading, bold and escaped, for sentences."""
    return f"**{cards.escape(cards.heading(review))}**"


def _relative(moment: datetime) -> str:
    return f"<t:{int(moment.timestamp())}:R>"


# --- what changes --------------------------------------------------------------------------------


def changes(before: Review | None, after: Review | None) -> list[tuple[str, str, str]]:
    """``(label, text before, text after)`` for every field whose text differs."""
    found = []
    for field in FIELDS.values():
        old = field.show(before) if before else ""
        new = field.show(after) if after else ""
        if old != new:
            found.append((field.label, old, new))
    old_captions = "\n".join(before.captions) if before else ""
    new_captions = "\n".join(after.captions) if after else ""
    if old_captions != new_captions:
        found.append(("Image captions", old_captions, new_captions))
    return found


def _quoted(text: str, limit: int) -> str:
    return cards.escape(limits.shorten(text, limit)) if text else "*(empty)*"


def diff_fields(before: Review | None, after: Review) -> list[Field]:
    return [
        Field(label, f"**Before:** {_quoted(old, DIFF_TEXT)}\n**After:** {_quoted(new, DIFF_TEXT)}")
        for label, old, new in changes(before, after)
    ]


def _change_embed(
    review: Review, before: StoredReview | None, shared: StoredReview | None
) -> Embed | None:
    """What saving ``review`` does to what this server has (None: simply a new film)."""
    if before is not None and before.deleted_at is None:
        description = f"Saving replaces this server's review of {name(before.review)}."
    elif before is not None:
        description = (
            f"This server removed its review of {name(before.review)} on "
            f"{before.deleted_at:%Y-%m-%d}; saving brings it back with this text."
        )
    elif shared is not None:
        description = (
            f"{name(shared.review)} is in the shared catalog. Saving adds this server's own "
            "version, which this server then sees instead; the shared review stays as it is."
        )
    else:
        return None
    base = before or shared
    assert base is not None
    return Embed(
        title="What will change",
        description=description,
        fields=diff_fields(base.review, review),
        color=CHANGE_COLOR,
    )


# --- previews and confirmations ------------------------------------------------------------------


def preview(
    review: Review,
    *,
    kind: PendingKind,
    token: str,
    owner_id: int,
    guild_id: int,
    expires_at: datetime,
    before: StoredReview | None,
    shared: StoredReview | None,
) -> Message:
    """A review before it is saved: its card, what it replaces, and the buttons."""
    card = cards.film_card(StoredReview(0, guild_id, review, None, expires_at, None)).embeds[0]
    card.footer = "Preview: not saved yet"
    embeds = [card]
    change = _change_embed(review, before, shared)
    if change is not None:
        embeds.append(change)
    replacing = before is not None and before.deleted_at is None
    buttons = [pending_button("confirm", token, "Replace" if replacing else "Save", "success")]
    if kind == "add":
        buttons += [
            draft_button(1, owner_id, "Edit part 1"),
            draft_button(2, owner_id, "Edit part 2"),
            pending_button("cancel", token, "Discard draft", "danger"),
        ]
    else:
        buttons.append(pending_button("cancel", token, "Cancel", "secondary"))
    return Message(
        content=(
            f"**Preview**: nothing is saved until you press {buttons[0].label}. "
            f"It expires {_relative(expires_at)}."
        ),
        embeds=embeds,
        buttons=[buttons],
        ephemeral=True,
    )


def remove_confirmation(
    stored: StoredReview, *, token: str, expires_at: datetime, shared_behind: bool
) -> Message:
    text = (
        f"Remove {name(stored.review)} from this server's catalog? It disappears from every "
        "search and list; `/review restore` brings it back."
    )
    if shared_behind:
        text += " This server will see the shared catalog's review of this film again."
    text += f" This question expires {_relative(expires_at)}."
    return Message(
        content=text,
        buttons=[
            [
                pending_button("confirm", token, "Remove", "danger"),
                pending_button("cancel", token, "Cancel", "secondary"),
            ]
        ],
        ephemeral=True,
    )


def saved(review: Review, *, replaced: bool, shared_behind: bool) -> Message:
    if replaced:
        text = f"Saved: this server's review of {name(review)} now reads as previewed."
    else:
        text = f"Saved {name(review)} to this server's catalog."
    if shared_behind:
        text += " This server sees its own version; the shared catalog's review is unchanged."
    return cards.notice(text)


def edited(before: StoredReview, after: Review, *, label: str) -> Message:
    """The answer to a saved edit: what changed, and where it was saved."""
    if before.shared:
        text = (
            f"Saved **{label}** as this server's own copy of {name(after)}. The shared catalog "
            "is read-only from Discord, so it stays as it was; this server now sees its copy."
        )
    else:
        text = f"Saved **{label}** of {name(after)}. `/review history` keeps the old text."
    return Message(
        content=text,
        embeds=[
            Embed("What changed", fields=diff_fields(before.review, after), color=CHANGE_COLOR)
        ],
        ephemeral=True,
    )


def where_updated(stored: StoredReview, *, copied: bool) -> Message:
    message = cards.where_card(stored)
    if copied:
        message.content = (
            f"Saved the new availability as this server's own copy of {name(stored.review)}; "
            "the shared catalog is read-only from Discord and stays as it was."
        )
    else:
        message.content = f"Updated where to watch {name(stored.review)}, checked today."
    if not stored.review.services:
        message.content += (
            " No streaming service was recognised in that text; it is kept as written."
        )
    message.ephemeral = True
    return message


# --- the /review add forms -----------------------------------------------------------------------


def part_one_saved(review: Review, owner_id: int) -> Message:
    return Message(
        content=(
            f"Part 1 of {name(review)} is saved in your draft. Next, the credits: tagline, "
            "memorable scene, director, runtime and cast."
        ),
        buttons=[
            [
                draft_button(2, owner_id, "Continue to part 2", "primary"),
                draft_button(1, owner_id, "Edit part 1"),
            ]
        ],
        ephemeral=True,
    )


def draft_problem(error: FieldError, owner_id: int) -> Message:
    """A field of the draft to fix; the draft keeps everything typed so far."""
    part = part_of(error.key)
    parts = (part,) if part else (1, 2)
    buttons = [draft_button(p, owner_id, f"Fix part {p}", "primary") for p in parts]
    return Message(
        content=f"{error} Nothing is lost: your draft keeps what you typed.",
        buttons=[buttons],
        ephemeral=True,
    )


# --- history and settings ------------------------------------------------------------------------


def _history_field(entry: AuditEntry) -> Field:
    who = f"<@{entry.actor_id}>" if entry.actor_id is not None else "a catalog import"
    lines = [f"by {who}"]
    if entry.action not in ("add", "remove", "restore"):
        for label, old, _new in changes(entry.before, entry.after):
            lines.append(f"**{label}** was: {_quoted(old, HISTORY_TEXT)}")
    action = _ACTIONS.get(entry.action, entry.action)
    return Field(f"{entry.at:%Y-%m-%d %H:%M} UTC · {action}", "\n".join(lines))


def history_card(stored: StoredReview, entries: Sequence[AuditEntry]) -> Message:
    if not entries:
        return cards.notice(f"{name(stored.review)} has no recorded changes.")
    scope = "the shared catalog's" if stored.shared else "this server's"
    return Message(
        embeds=[
            Embed(
                title=f"History of {cards.heading(stored.review)}",
                description=(
                    f"The last {len(entries)} changes to {scope} review, newest first. "
                    "The full text before every change is kept."
                ),
                fields=[_history_field(entry) for entry in entries],
                color=cards.COLOR,
            )
        ],
        ephemeral=True,
    )


def config_card(
    role_id: int | None, suggestions: SuggestionSettings, *, own: int, removed: int, shared: int
) -> Message:
    moderators = "Members with **Manage Server**"
    if role_id is not None:
        moderators += f", and members with the <@&{role_id}> role"
    return Message(
        embeds=[
            Embed(
                title="movienight settings for this server",
                fields=[
                    Field("Moderators", moderators),
                    Field(
                        "Catalog",
                        f"{own} reviews of this server's own ({removed} removed) and "
                        f"{shared} from the shared catalog",
                    ),
                    Field(
                        "Suggestions",
                        f"{suggestions.limit} open per member; "
                        + ("moderators approve each" if suggestions.approval else "no approval")
                        + " (`/config suggestions`)",
                    ),
                ],
                footer="Members with Manage Server choose the role with /config modrole.",
                color=cards.NOTICE_COLOR,
            )
        ],
        ephemeral=True,
    )
