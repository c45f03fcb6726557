"""What moderators are shown: previews, "what will change", confirmations, history, settings.

Every function returns a :class:`~bot.message.Message`. Buttons carry ids the Discord edge routes
without keeping any state in memory (see the ``*_TEMPLATE`` patterns), so a preview still answers
after a restart. Review text is escaped wherever it goes into markdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot import cards, limits
from bot.i18n import ENGLISH, N_, Texts
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
CAPTIONS = N_("Image captions")
_ACTIONS = {
    "add": N_("added"),
    "update": N_("replaced by an import"),
    "replace": N_("replaced with /review add"),
    "edit": N_("edited"),
    "where": N_("where to watch updated"),
    "remove": N_("removed"),
    "restore": N_("restored"),
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
    """``(label, text before, text after)`` for every field whose text differs; the labels are
    the form's, marked N_."""
    found = []
    for field in FIELDS.values():
        old = field.show(before) if before else ""
        new = field.show(after) if after else ""
        if old != new:
            found.append((field.label, old, new))
    old_captions = "\n".join(before.captions) if before else ""
    new_captions = "\n".join(after.captions) if after else ""
    if old_captions != new_captions:
        found.append((CAPTIONS, old_captions, new_captions))
    return found


def _quoted(text: str, limit: int, t: Texts) -> str:
    return cards.escape(limits.shorten(text, limit)) if text else t.gettext("*(empty)*")


def diff_fields(before: Review | None, after: Review, t: Texts = ENGLISH) -> list[Field]:
    change = t.gettext("**Before:** {before}\n**After:** {after}")
    return [
        Field(
            t.gettext(label),
            change.format(before=_quoted(old, DIFF_TEXT, t), after=_quoted(new, DIFF_TEXT, t)),
        )
        for label, old, new in changes(before, after)
    ]


def _change_embed(
    review: Review, before: StoredReview | None, shared: StoredReview | None, t: Texts
) -> Embed | None:
    """What saving ``review`` does to what this server has (None: simply a new film)."""
    if before is not None and before.deleted_at is None:
        description = t.gettext("Saving replaces this server's review of {film}.")
        description = description.format(film=name(before.review))
    elif before is not None:
        description = t.gettext(
            "This server removed its review of {film} on {day}; saving brings it back with this "
            "text."
        )
        day = t.day(before.deleted_at) if before.deleted_at else ""
        description = description.format(film=name(before.review), day=day)
    elif shared is not None:
        description = t.gettext(
            "{film} is in the shared catalog. Saving adds this server's own version, which this "
            "server then sees instead; the shared review stays as it is."
        )
        description = description.format(film=name(shared.review))
    else:
        return None
    base = before or shared
    assert base is not None
    return Embed(
        title=t.gettext("What will change"),
        description=description,
        fields=diff_fields(base.review, review, t),
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
    t: Texts = ENGLISH,
) -> Message:
    """A review before it is saved: its card, what it replaces, and the buttons."""
    stored = StoredReview(0, guild_id, review, None, expires_at, None)
    card = cards.film_card(stored, t=t).embeds[0]
    card.footer = t.gettext("Preview: not saved yet")
    embeds = [card]
    change = _change_embed(review, before, shared, t)
    if change is not None:
        embeds.append(change)
    replacing = before is not None and before.deleted_at is None
    save = t.gettext("Replace") if replacing else t.gettext("Save")
    buttons = [pending_button("confirm", token, save, "success")]
    if kind == "add":
        buttons += [
            draft_button(1, owner_id, t.gettext("Edit part 1")),
            draft_button(2, owner_id, t.gettext("Edit part 2")),
            pending_button("cancel", token, t.gettext("Discard draft"), "danger"),
        ]
    else:
        buttons.append(pending_button("cancel", token, t.gettext("Cancel"), "secondary"))
    nothing = t.gettext(
        "**Preview**: nothing is saved until you press {button}. It expires {relative}."
    )
    return Message(
        content=nothing.format(button=save, relative=_relative(expires_at)),
        embeds=embeds,
        buttons=[buttons],
        ephemeral=True,
    )


def remove_confirmation(
    stored: StoredReview,
    *,
    token: str,
    expires_at: datetime,
    shared_behind: bool,
    t: Texts = ENGLISH,
) -> Message:
    text = t.gettext(
        "Remove {film} from this server's catalog? It disappears from every search and list; "
        "`/review restore` brings it back."
    ).format(film=name(stored.review))
    if shared_behind:
        text += " " + t.gettext(
            "This server will see the shared catalog's review of this film again."
        )
    expires = t.gettext("This question expires {relative}.")
    text += " " + expires.format(relative=_relative(expires_at))
    return Message(
        content=text,
        buttons=[
            [
                pending_button("confirm", token, t.gettext("Remove"), "danger"),
                pending_button("cancel", token, t.gettext("Cancel"), "secondary"),
            ]
        ],
        ephemeral=True,
    )


def saved(review: Review, *, replaced: bool, shared_behind: bool, t: Texts = ENGLISH) -> Message:
    if replaced:
        text = t.gettext("Saved: this server's review of {film} now reads as previewed.")
    else:
        text = t.gettext("Saved {film} to this server's catalog.")
    text = text.format(film=name(review))
    if shared_behind:
        text += " " + t.gettext(
            "This server sees its own version; the shared catalog's review is unchanged."
        )
    return cards.notice(text)


def edited(before: StoredReview, after: Review, *, label: str, t: Texts = ENGLISH) -> Message:
    """The answer to a saved edit (``label``, the field's, marked N_): what changed, and where
    it was saved."""
    if before.shared:
        text = t.gettext(
            "Saved **{field}** as this server's own copy of {film}. The shared catalog is "
            "read-only from Discord, so it stays as it was; this server now sees its copy."
        )
    else:
        text = t.gettext("Saved **{field}** of {film}. `/review history` keeps the old text.")
    return Message(
        content=text.format(field=t.gettext(label), film=name(after)),
        embeds=[
            Embed(
                t.gettext("What changed"),
                fields=diff_fields(before.review, after, t),
                color=CHANGE_COLOR,
            )
        ],
        ephemeral=True,
    )


def where_updated(stored: StoredReview, *, copied: bool, t: Texts = ENGLISH) -> Message:
    message = cards.where_card(stored, t)
    if copied:
        text = t.gettext(
            "Saved the new availability as this server's own copy of {film}; the shared catalog "
            "is read-only from Discord and stays as it was."
        )
    else:
        text = t.gettext("Updated where to watch {film}, checked today.")
    message.content = text.format(film=name(stored.review))
    if not stored.review.services:
        message.content += " " + t.gettext(
            "No streaming service was recognised in that text; it is kept as written."
        )
    message.ephemeral = True
    return message


# --- the /review add forms -----------------------------------------------------------------------


def part_one_saved(review: Review, owner_id: int, t: Texts = ENGLISH) -> Message:
    saved = t.gettext(
        "Part 1 of {film} is saved in your draft. Next, the credits: tagline, memorable scene, "
        "director, runtime and cast."
    )
    return Message(
        content=saved.format(film=name(review)),
        buttons=[
            [
                draft_button(2, owner_id, t.gettext("Continue to part 2"), "primary"),
                draft_button(1, owner_id, t.gettext("Edit part 1")),
            ]
        ],
        ephemeral=True,
    )


def draft_problem(error: FieldError, owner_id: int, t: Texts = ENGLISH) -> Message:
    """A field of the draft to fix; the draft keeps everything typed so far."""
    part = part_of(error.key)
    parts = (part,) if part else (1, 2)
    fix = t.gettext("Fix part {part}")
    buttons = [draft_button(p, owner_id, fix.format(part=p), "primary") for p in parts]
    kept = t.gettext("{problem} Nothing is lost: your draft keeps what you typed.")
    return Message(
        content=kept.format(problem=error.said(t)),
        buttons=[buttons],
        ephemeral=True,
    )


# --- history and settings ------------------------------------------------------------------------


def _history_field(entry: AuditEntry, t: Texts) -> Field:
    if entry.actor_id is not None:
        lines = [t.gettext("by <@{user}>").format(user=entry.actor_id)]
    else:
        lines = [t.gettext("by a catalog import")]
    if entry.action not in ("add", "remove", "restore"):
        was = t.gettext("**{field}** was: {text}")
        for label, old, _new in changes(entry.before, entry.after):
            lines.append(was.format(field=t.gettext(label), text=_quoted(old, HISTORY_TEXT, t)))
    action = t.gettext(_ACTIONS[entry.action]) if entry.action in _ACTIONS else entry.action
    return Field(f"{t.day(entry.at)} {entry.at:%H:%M} UTC · {action}", "\n".join(lines))


def history_card(
    stored: StoredReview, entries: Sequence[AuditEntry], t: Texts = ENGLISH
) -> Message:
    if not entries:
        none = t.gettext("{film} has no recorded changes.")
        return cards.notice(none.format(film=name(stored.review)))
    if stored.shared:
        last = t.ngettext(
            "The last {count} change to the shared catalog's review, newest first. The full "
            "text before every change is kept.",
            "The last {count} changes to the shared catalog's review, newest first. The full "
            "text before every change is kept.",
            len(entries),
        )
    else:
        last = t.ngettext(
            "The last {count} change to this server's review, newest first. The full text "
            "before every change is kept.",
            "The last {count} changes to this server's review, newest first. The full text "
            "before every change is kept.",
            len(entries),
        )
    return Message(
        embeds=[
            Embed(
                title=t.gettext("History of {film}").format(film=cards.heading(stored.review)),
                description=last.format(count=len(entries)),
                fields=[_history_field(entry, t) for entry in entries],
                color=cards.COLOR,
            )
        ],
        ephemeral=True,
    )


def config_card(
    role_id: int | None,
    suggestions: SuggestionSettings,
    *,
    own: int,
    removed: int,
    shared: int,
    t: Texts = ENGLISH,
) -> Message:
    if role_id is None:
        moderators = t.gettext("Members with **Manage Server**")
    else:
        moderators = t.gettext(
            "Members with **Manage Server**, and members with the <@&{role}> role"
        )
    catalog = t.gettext(
        "{own} reviews of this server's own ({removed} removed) and {shared} from the shared "
        "catalog"
    )
    if suggestions.approval:
        rules = t.gettext(
            "{limit} open per member; moderators approve each (`/config suggestions`)"
        )
    else:
        rules = t.gettext("{limit} open per member; no approval (`/config suggestions`)")
    return Message(
        embeds=[
            Embed(
                title=t.gettext("movienight settings for this server"),
                fields=[
                    Field(t.gettext("Moderators"), moderators.format(role=role_id)),
                    Field(
                        t.gettext("Catalog"),
                        catalog.format(
                            own=t.number(own), removed=t.number(removed), shared=t.number(shared)
                        ),
                    ),
                    Field(t.gettext("Suggestions"), rules.format(limit=suggestions.limit)),
                ],
                footer=t.gettext(
                    "Members with Manage Server choose the role with /config modrole."
                ),
                color=cards.NOTICE_COLOR,
            )
        ],
        ephemeral=True,
    )
