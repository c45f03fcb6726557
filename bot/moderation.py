"""What moderators can do, as plain calls: import, add, edit, where, remove, restore, history.

Each action takes the :class:`~bot.core.Caller` and the command's options and returns the
:class:`~bot.message.Message` to send; anything the moderator can fix raises
:class:`~bot.errors.UserFacingError`. Every action refuses non-moderators itself, whatever the
Discord permissions say.

Rules kept here: a server's moderators change only their server's reviews; the shared catalog is
read-only from Discord (an edit saves a server-owned copy, which the server then sees; removing a
shared review is refused). A change that waits for a button (Save after a preview, Remove after a
question) is a :class:`~bot.store.moderation.Pending` row: it belongs to the moderator who asked,
expires after :data:`PREVIEW_TTL`, and is settled exactly once, and only while the catalog still
holds what the preview was made against, so a late, repeated or stranger's click writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from bot import cards, fact_check, limits
from bot import moderation_cards as mcards
from bot.core import Caller, Core
from bot.errors import UNREADABLE, NotAModerator, UserFacingError
from bot.i18n import ENGLISH, N_, Texts
from bot.members import find_film
from bot.message import Message
from bot.moderation_fields import ADD_PARTS, FIELDS, FieldError, FormField, from_texts, with_text
from bot.review import MAX_BYTES, Review, ReviewFormatError, latest_year, parse, to_json
from bot.store import SHARED, StoredReview, StoreError, TitleRow, film_key
from bot.store.moderation import Pending, PendingKind
from bot.text import clean, title_key
from bot.titles import CHOICE_PREFIX, choice_id, label, rank_among, resolve_among

PREVIEW_TTL = timedelta(minutes=10)
ATTACHMENT_SUFFIXES = (".txt", ".md")

OTHER_SERVER = N_(
    "That review belongs to another server; moderators change only their own server's reviews."
)
NOT_YOURS = N_("These buttons belong to the moderator who asked. Run the command yourself.")
GONE = N_("This preview is no longer available, so nothing was saved. Run the command again.")
STALE = N_(
    "The catalog changed after this preview was made (another save or removal got there "
    "first), so nothing was written. Run the command again to see what it would change now."
)
_TIMED_OUT = {
    "import": N_(
        "This timed out (a preview lasts {minutes} minutes), so nothing was written. Run "
        "`/review import` again."
    ),
    "add": N_(
        "This timed out (a preview lasts {minutes} minutes), so nothing was written. Run "
        "`/review add` again: your draft is kept."
    ),
    "remove": N_(
        "This timed out (a preview lasts {minutes} minutes), so nothing was written. Run "
        "`/review remove` again."
    ),
}


def _newest(core: Core) -> int:
    """The latest release year a review may give today, by the core's clock."""
    return latest_year(core.clock().date())


def require_moderator(caller: Caller) -> None:
    if not caller.is_moderator:
        raise NotAModerator(caller.texts)


def fingerprint(stored: StoredReview | None) -> str:
    """What a preview was made against: the review's id, state and text, as one short string."""
    if stored is None:
        return "none"
    text = json.dumps(to_json(stored.review), sort_keys=True, ensure_ascii=False)
    state = f"{stored.id}|{stored.deleted_at and stored.deleted_at.isoformat()}|{text}"
    return hashlib.sha256(state.encode()).hexdigest()


async def find_moderated_film(core: Core, caller: Caller, typed: str) -> StoredReview:
    """The film a moderator means, among what the server sees; another server's is refused."""
    chosen = choice_id(typed)
    if chosen is not None:
        stored = await core.store.get(chosen)
        if stored is not None and stored.guild_id not in (SHARED, caller.guild_id):
            raise UserFacingError(OTHER_SERVER)
    return await find_film(core, caller, typed)


# --- import and the /review add forms ------------------------------------------------------------


def check_attachment(caller: Caller, filename: str, size: int) -> None:
    """What can be refused before downloading: who asks, the file's type and its size."""
    require_moderator(caller)
    shown = cards.escape(filename)
    t = caller.texts
    if not filename.lower().endswith(ATTACHMENT_SUFFIXES):
        raise UserFacingError(
            N_("**{file}** is not a review file: attach a .txt or .md file in the review format."),
            file=shown,
        )
    if size > MAX_BYTES:
        raise UserFacingError(
            N_(
                "**{file}** is {size} bytes, over the 1 MB limit ({limit} bytes); a review is a "
                "few KB."
            ),
            file=shown,
            size=t.number(size),
            limit=t.number(MAX_BYTES),
        )


def read_attachment(filename: str, data: bytes, *, newest: int, t: Texts = ENGLISH) -> Review:
    """The review in a downloaded file; the reason (and line) when it is not one, in ``t``'s
    language."""
    try:
        return parse(data, latest_year=newest)
    except ReviewFormatError as error:
        problem, file = error.said(t).rstrip("."), cards.escape(filename)
        if error.line is None:
            raise UserFacingError(UNREADABLE, file=file, problem=problem) from None
        raise UserFacingError(
            N_("Could not read **{file}**, line {line}: {problem}. Nothing was saved."),
            file=file,
            line=error.line,
            problem=problem,
        ) from None


async def import_preview(core: Core, caller: Caller, filename: str, data: bytes) -> Message:
    check_attachment(caller, filename, len(data))
    review = read_attachment(filename, data, newest=_newest(core), t=caller.texts)
    return await _preview(core, caller, review, "import")


async def draft_texts(core: Core, caller: Caller) -> dict[str, str]:
    """What the moderator typed into the /review add forms so far (prefills them), and the
    film's credits from TMDB where nothing is typed yet."""
    require_moderator(caller)
    return await fact_check.prefilled(
        core, caller, await core.store.draft(caller.guild_id, caller.user_id)
    )


async def save_draft_part(core: Core, caller: Caller, part: int, texts: dict[str, str]) -> Message:
    """Keep one form's inputs in the draft, then say what comes next (or what to fix)."""
    require_moderator(caller)
    kept = {key: clean(text) for key, text in texts.items()}
    draft = await core.store.update_draft(caller.guild_id, caller.user_id, kept)
    try:
        if part == 1:
            first = from_texts(
                {key: draft[key] for key in ADD_PARTS[1] if key in draft},
                newest=_newest(core),
                t=caller.texts,
            )
            saved = mcards.part_one_saved(first, caller.user_id, caller.texts)
            return await fact_check.looked_up(core, caller, first, saved)
        review = from_texts(draft, newest=_newest(core), t=caller.texts)
    except FieldError as error:
        return mcards.draft_problem(error, caller.user_id, caller.texts)
    return await _preview(core, caller, review, "add")


async def _preview(core: Core, caller: Caller, review: Review, kind: PendingKind) -> Message:
    before = await core.store.review_by_key(caller.guild_id, film_key(review.title, review.year))
    if before is not None and before.deleted_at is None and before.review == review:
        raise UserFacingError(
            N_(
                "This server's review of {film} already reads exactly like this; there is "
                "nothing to save."
            ),
            film=mcards.name(review),
        )
    shared = None
    if before is None or before.deleted_at is not None:
        shared = await core.store.review_by_key(SHARED, film_key(review.title, review.year))
        shared = shared if shared is not None and shared.deleted_at is None else None
    pending = await _remember(core, caller, kind, review=review, base=before)
    return await fact_check.with_check(
        core,
        caller,
        review,
        lambda: mcards.preview(
            review,
            kind=kind,
            token=pending.token,
            owner_id=caller.user_id,
            guild_id=caller.guild_id,
            expires_at=pending.expires_at,
            before=before,
            shared=shared,
            t=caller.texts,
        ),
    )


async def _remember(
    core: Core,
    caller: Caller,
    kind: PendingKind,
    *,
    review: Review | None = None,
    base: StoredReview | None,
) -> Pending:
    pending = Pending(
        token=secrets.token_hex(8),
        guild_id=caller.guild_id,
        user_id=caller.user_id,
        kind=kind,
        review=review,
        target_id=base.id if kind == "remove" and base is not None else None,
        base=fingerprint(base),
        expires_at=core.clock() + PREVIEW_TTL,
    )
    await core.store.add_pending(pending)
    return pending


# --- Save / Remove / Cancel under a preview ------------------------------------------------------


async def _open_pending(core: Core, caller: Caller, token: str) -> Pending:
    pending = await core.store.pending(token)
    if pending is None:
        raise UserFacingError(GONE)
    if pending.user_id != caller.user_id:
        raise UserFacingError(NOT_YOURS)
    if pending.guild_id != caller.guild_id:
        raise UserFacingError(OTHER_SERVER)
    require_moderator(caller)
    return pending


async def _target(core: Core, pending: Pending) -> StoredReview | None:
    """What the pending change would overwrite (or remove) now."""
    if pending.kind == "remove":
        return await core.store.get(pending.target_id) if pending.target_id else None
    assert pending.review is not None
    key = film_key(pending.review.title, pending.review.year)
    return await core.store.review_by_key(pending.guild_id, key)


async def _why_not(core: Core, token: str) -> UserFacingError:
    """Why a pending change could not be settled, read back after the attempt failed."""
    pending = await core.store.pending(token)
    if pending is None:
        return UserFacingError(GONE)
    if pending.outcome == "confirmed" and pending.kind == "remove":
        return UserFacingError(N_("This was already removed; nothing was written twice."))
    if pending.outcome == "confirmed":
        return UserFacingError(N_("This was already saved; nothing was written twice."))
    if pending.outcome == "cancelled":
        return UserFacingError(N_("This was cancelled, so nothing was written."))
    if pending.expires_at <= core.clock():
        minutes = int(PREVIEW_TTL.total_seconds() // 60)
        return UserFacingError(_TIMED_OUT[pending.kind], minutes=minutes)
    return UserFacingError(STALE)


async def confirm(core: Core, caller: Caller, token: str) -> Message:
    """Save (or Remove) pressed: do the change once, if it is still the one previewed.

    Checking the film and writing it happen under one per-film lock, so two moderators pressing
    Save on previews of the same film cannot both write: the second sees the change and stops.
    Settling the preview, the write and dropping the draft are one transaction: if the write
    fails, the preview stays open and Save can be pressed again.
    """
    pending = await _open_pending(core, caller, token)
    async with core.store.exclusive(await _film_of(core, pending)), core.store.transaction():
        target = await _target(core, pending)
        if not await core.store.settle_pending(token, "confirmed", base=fingerprint(target)):
            raise await _why_not(core, token)
        if pending.kind == "remove":
            assert target is not None
            await core.store.remove_review(target.id, actor_id=caller.user_id)
            removed = caller.texts.gettext("Removed {film}. `/review restore` brings it back.")
            return cards.notice(removed.format(film=mcards.name(target.review)))
        review = pending.review
        assert review is not None
        await core.store.save_review(
            review,
            guild_id=caller.guild_id,
            actor_id=caller.user_id,
            action="replace" if pending.kind == "add" else "update",
        )
        if pending.kind == "add":
            await _drop_draft_of(core, caller, review)
        await core.store.fulfil_requests(
            caller.guild_id,
            title_key=title_key(review.title),
            film_key=film_key(review.title, review.year),
            title=cards.heading(review),
        )
    shared = await core.store.review_by_key(SHARED, film_key(review.title, review.year))
    return mcards.saved(
        review,
        replaced=target is not None and target.deleted_at is None,
        shared_behind=shared is not None and shared.deleted_at is None,
        t=caller.texts,
    )


async def _film_of(core: Core, pending: Pending) -> str:
    """The lock key of the film a pending change touches, in its server."""
    if pending.review is not None:
        key = film_key(pending.review.title, pending.review.year)
    else:
        stored = await core.store.get(pending.target_id) if pending.target_id else None
        key = stored.film_key if stored else f"review {pending.target_id}"
    return f"film {pending.guild_id} {key}"


async def cancel(core: Core, caller: Caller, token: str) -> Message:
    """Cancel (or Discard draft) pressed: nothing is written, now or by a later Save."""
    pending, t = await _open_pending(core, caller, token), caller.texts
    async with core.store.transaction():
        if not await core.store.settle_pending(token, "cancelled"):
            raise await _why_not(core, token)
        if pending.kind == "remove":
            return cards.notice(t.gettext("Cancelled: nothing was removed."))
        if pending.kind == "add" and pending.review is not None:
            await _drop_draft_of(core, caller, pending.review)
            discarded = t.gettext("Discarded your draft of {film}.")
            return cards.notice(discarded.format(film=mcards.name(pending.review)))
    return cards.notice(t.gettext("Cancelled: nothing was saved."))


async def _drop_draft_of(core: Core, caller: Caller, review: Review) -> None:
    """Forget the draft, unless the moderator has since changed it into another review."""
    draft = await core.store.draft(caller.guild_id, caller.user_id)
    try:
        still = from_texts(draft, newest=_newest(core)) == review
    except FieldError:
        still = False
    if still:
        await core.store.drop_draft(caller.guild_id, caller.user_id)


# --- editing one field ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EditForm:
    """A one-input form prefilled with a field's text, and the review it was opened on."""

    review_id: int
    field: FormField
    base: str  # the review's fingerprint when the form was opened (see :func:`fingerprint`)
    text: str
    title: str  # the form's title (Discord: <= 45 characters)

    @property
    def form_id(self) -> str:
        """The form's custom id: all a submit needs, so one still saves after a restart."""
        return f"review:edit:{self.review_id}:{self.field.key}:{self.base}"


def edit_submission(form_id: str) -> tuple[int, str, str] | None:
    """(review id, field key, fingerprint) from a /review edit form's custom id."""
    found = re.fullmatch(mcards.EDIT_FORM_TEMPLATE, form_id)
    if found is None or found["field"] not in FIELDS:
        return None
    return int(found["review"]), found["field"], found["base"]


async def edit_form(core: Core, caller: Caller, typed: str, key: str) -> EditForm:
    require_moderator(caller)
    stored, t = await find_moderated_film(core, caller, typed), caller.texts
    field = FIELDS.get(key)
    if field is None:
        raise UserFacingError(
            N_("There is no field called `{field}`; pick one from the list."), field=key
        )
    if stored.shared and key == "title":
        raise UserFacingError(
            N_(
                "The title and year of a shared review can't change from Discord. Add this "
                "server's own review of the film with `/review add` or `/review import` instead."
            )
        )
    text = field.show(stored.review)
    if len(text) > field.max_length:
        too_long = t.gettext(
            "**{field}** of {film} is {count} characters, more than a form holds ({limit}). "
            "Change it with `/review import` and the whole review instead."
        )
        raise UserFacingError(
            too_long.format(
                field=t.gettext(field.label),
                film=mcards.name(stored.review),
                count=t.number(len(text)),
                limit=t.number(field.max_length),
            )
        )
    title = t.gettext("Edit: {film}").format(film=cards.heading(stored.review))
    return EditForm(
        review_id=stored.id,
        field=field,
        base=fingerprint(stored)[:16],
        text=text,
        title=limits.shorten(title, limits.MODAL_TITLE),
    )


async def save_edit(core: Core, caller: Caller, form_id: str, text: str) -> Message:
    """The edit form ``form_id`` was sent: save the field, if the review is still the one it
    was opened on (the form's id says which, so this works after a restart too)."""
    require_moderator(caller)
    submission = edit_submission(form_id)
    if submission is None:
        raise UserFacingError(N_("This form is not one I know; run `/review edit` again."))
    review_id, key, base = submission
    field = FIELDS[key]
    current = await core.store.get(review_id)
    if current is None or current.deleted_at is not None:
        raise UserFacingError(
            N_("That review was removed after you opened the form; nothing was saved.")
        )
    name = mcards.name(current.review)
    if current.guild_id not in (SHARED, caller.guild_id):
        raise UserFacingError(OTHER_SERVER)
    replaced = current.shared and await core.store.get_visible(caller.guild_id, current.id) is None
    if fingerprint(current)[:16] != base or replaced:
        raise UserFacingError(
            N_(
                "{film} changed after you opened this form (another save got there first), so "
                "nothing was saved. Run `/review edit` again to start from the new text."
            ),
            film=name,
        )
    if current.shared and key == "title":
        raise UserFacingError(
            N_("The title and year of a shared review can't change from Discord.")
        )
    t = caller.texts
    review = with_text(current.review, key, text, newest=_newest(core), t=t)
    if review == current.review:
        unchanged = t.gettext("Nothing changed: **{field}** reads as before.")
        return cards.notice(unchanged.format(field=t.gettext(field.label)))
    if current.shared:
        await core.store.save_review(
            review, guild_id=caller.guild_id, actor_id=caller.user_id, action="edit"
        )
    else:
        try:
            await core.store.update_review(current.id, review, actor_id=caller.user_id)
        except StoreError as error:
            raise UserFacingError(N_("Nothing was saved: {error}."), error=error) from None
    return mcards.edited(current, review, label=field.label, t=t)


async def where(core: Core, caller: Caller, typed: str, services: str) -> Message:
    """New availability and a fresh "last checked" date, in one write."""
    require_moderator(caller)
    stored = await find_moderated_film(core, caller, typed)
    review = with_text(
        stored.review, "where_to_watch", services, newest=_newest(core), t=caller.texts
    )
    if stored.shared:
        result = await core.store.save_review(
            review, guild_id=caller.guild_id, actor_id=caller.user_id, action="where"
        )
    else:
        result = await core.store.set_where_to_watch(stored.id, review, actor_id=caller.user_id)
    updated = await core.store.get(result.review_id)
    assert updated is not None
    return mcards.where_updated(updated, copied=stored.shared, t=caller.texts)


# --- remove, restore, history --------------------------------------------------------------------


async def remove_request(core: Core, caller: Caller, typed: str) -> Message:
    """Ask before removing: a question with Remove / Cancel buttons."""
    require_moderator(caller)
    stored = await find_moderated_film(core, caller, typed)
    if stored.shared:
        raise UserFacingError(
            N_(
                "{film} is in the shared catalog, which is read-only from Discord, so it can't "
                "be removed here. To show this server another review of it, add your own with "
                "`/review add` or `/review import`: this server then sees yours."
            ),
            film=mcards.name(stored.review),
        )
    pending = await _remember(core, caller, "remove", base=stored)
    shared = await core.store.review_by_key(SHARED, stored.film_key)
    return mcards.remove_confirmation(
        stored,
        token=pending.token,
        expires_at=pending.expires_at,
        shared_behind=shared is not None and shared.deleted_at is None,
        t=caller.texts,
    )


async def removed_choices(core: Core, caller: Caller, typed: str) -> list[tuple[str, str]]:
    """Autocomplete for /review restore: this server's removed reviews, best first."""
    rows = await core.store.removed_reviews(caller.guild_id)
    ranked = rank_among(rows, typed, limits.CHOICES)
    return [
        (limits.shorten(label(row), limits.CHOICE_TEXT), f"{CHOICE_PREFIX}{row.id}")
        for row in ranked
    ]


async def _removed_film(core: Core, caller: Caller, typed: str) -> TitleRow:
    rows = await core.store.removed_reviews(caller.guild_id)
    found = resolve_among(rows, typed).found
    if found is not None:
        return found
    typed = cards.escape(typed.strip())
    names = ", ".join(cards.escape(label(row)) for row in rows[:10])
    if names:
        raise UserFacingError(
            N_(
                "**{typed}** is not one of this server's removed reviews. Removed reviews: {names}."
            ),
            typed=typed,
            names=names,
        )
    raise UserFacingError(
        N_(
            "**{typed}** is not one of this server's removed reviews. This server has no "
            "removed reviews."
        ),
        typed=typed,
    )


async def restore(core: Core, caller: Caller, typed: str) -> Message:
    require_moderator(caller)
    row = await _removed_film(core, caller, typed)
    try:
        restored = await core.store.restore_review(row.id, actor_id=caller.user_id)
    except StoreError as error:
        raise UserFacingError(N_("Nothing was restored: {error}."), error=error) from None
    done = caller.texts.gettext("Restored {film}: it is back in every search.")
    return cards.notice(done.format(film=mcards.name(restored.review)))


async def history(core: Core, caller: Caller, typed: str) -> Message:
    require_moderator(caller)
    stored = await find_moderated_film(core, caller, typed)
    entries = await core.store.history(stored.id, limit=10)
    return mcards.history_card(stored, entries, caller.texts)


# --- server settings -----------------------------------------------------------------------------


async def config_show(core: Core, caller: Caller) -> Message:
    require_moderator(caller)
    counts = await core.store.catalog_counts(caller.guild_id)
    role = await core.store.mod_role(caller.guild_id)
    settings = await core.store.suggestion_settings(caller.guild_id)
    return mcards.config_card(role, settings, **counts, t=caller.texts)


async def set_mod_role(
    core: Core, caller: Caller, role_id: int | None, *, manages_server: bool
) -> Message:
    """Choose (or, with None, clear) the role whose members moderate besides Manage Server."""
    require_moderator(caller)
    if not manages_server:
        raise UserFacingError(N_("Only members with Manage Server can choose the moderator role."))
    if role_id == caller.guild_id:
        raise UserFacingError(
            N_("@everyone can't be the moderator role: pick a role only your moderators have.")
        )
    await core.store.set_mod_role(caller.guild_id, role_id)
    t = caller.texts
    if role_id is None:
        return cards.notice(
            t.gettext("Cleared the moderator role: only members with Manage Server moderate.")
        )
    role = t.gettext("Members with <@&{role}> are moderators now, besides Manage Server.")
    return cards.notice(role.format(role=role_id))
