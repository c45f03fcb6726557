"""The review fields a moderator fills in forms: how each is shown in a text input and read back.

Each field is one Discord text input. ``show`` gives the text the input is prefilled with and
``read`` turns what was typed into :meth:`Review.create` arguments, so a review survives
``read(show(review))`` unchanged. Every problem is a :class:`FieldError` whose message names the
field as the form labels it ("**Pick if**, reason 2 (headline) is too long ..."). Labels, hints
and example placeholders are marked N_: the Discord side shows them in the moderator's language,
and so do the messages (the review format's own problems, from :mod:`bot.review`, are English).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.errors import UserFacingError
from bot.i18n import ENGLISH, N_, Texts
from bot.review import (
    MAX_DIRECTORS,
    MAX_NAME,
    MAX_TAGLINE,
    MAX_TEXT,
    MAX_TITLE,
    CastMember,
    PickIf,
    Review,
    ReviewFormatError,
    parse_runtime,
)
from bot.text import fold_spaces, title_year

INPUT_LIMIT = 4000
"""The most a Discord text input holds."""
TITLE_EMPTY = N_("**Title and year** is empty: write it as Title (Year).")
ADD_FORM_TITLE = N_("New review, part {part} of 2")
"""The title of each /review add form (Discord: <= 45 characters)."""

_TITLE_YEAR = re.compile(r"(?P<title>.+?)\s*\(\s*(?P<year>\d{1,4})\s*\)")
_BULLET = re.compile(r"(?:[•●▪‣◦*–-]|\d{1,3}[.)])\s+")
_KNOWN_FOR = re.compile(r"(?P<name>[^(]*?)\s*\((?P<known_for>.*)\)")
_SUBJECT = re.compile(r"(?P<name>[a-z_]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<part>[a-z_]+))?")
_PARTS = {
    "headline": N_("headline"),
    "detail": N_("detail"),
    "name": N_("name"),
    "known_for": N_("known for"),
}
"""How a form names the parts of a reason or a cast member."""


class FieldError(UserFacingError):
    """A form input that cannot become a valid review; ``key`` is the field to fix."""

    def __init__(self, key: str | None, text: str, **values: object) -> None:
        super().__init__(text, **values)
        self.key = key


@dataclass(frozen=True, slots=True)
class FormField:
    key: str  # the /review edit choice value and the draft's key
    label: str  # the input's label and the /review edit choice name (Discord: <= 45)
    hint: str  # what to type, shown under the label (Discord: <= 100)
    max_length: int
    long: bool  # a paragraph input rather than one line
    placeholder: str  # an example (Discord: <= 100)
    show: Callable[[Review], str]
    read: Callable[[str], dict[str, Any]]  # typed text -> Review.create arguments
    noun: str = N_("line")  # what one line of the input is, in messages


def _lines(text: str) -> list[str]:
    return [line for line in (fold_spaces(raw) for raw in text.splitlines()) if line]


def _show_title(review: Review) -> str:
    return title_year(review.title, review.year)


def _read_title(text: str) -> dict[str, Any]:
    text = fold_spaces(text)
    if not text:
        raise FieldError("title", TITLE_EMPTY)
    match = _TITLE_YEAR.fullmatch(text)
    if match is None:
        raise FieldError(
            "title", N_("**Title and year** needs the year in brackets, e.g. Brick (2005).")
        )
    return {"title": match["title"], "year": int(match["year"])}


def _show_reasons(review: Review) -> str:
    return "\n".join(
        f"{reason.headline}: {reason.detail}" if reason.detail else reason.headline
        for reason in review.pick_if
    )


def _read_reasons(text: str) -> dict[str, Any]:
    """One reason a line, "Headline: detail" (the detail is optional; bullets are dropped)."""
    reasons = []
    for line in _lines(text):
        bullet = _BULLET.match(line)
        headline, colon, detail = line[bullet.end() if bullet else 0 :].partition(": ")
        reasons.append(PickIf(headline, detail if colon else None))
    return {"pick_if": reasons}


def _show_cast(review: Review) -> str:
    return "\n".join(
        f"{member.name} ({member.known_for})" if member.known_for else member.name
        for member in review.cast
    )


def _read_cast(text: str) -> dict[str, Any]:
    cast = []
    for line in _lines(text):
        match = _KNOWN_FOR.fullmatch(line)
        cast.append(CastMember(match["name"], match["known_for"]) if match else CastMember(line))
    return {"cast": cast}


def _read_runtime(text: str) -> dict[str, Any]:
    text = fold_spaces(text)
    minutes = parse_runtime(text) if text else None
    if text and minutes is None:
        raise FieldError(
            "runtime", N_("**Runtime** should be minutes (104) or hours and minutes (1h 44m).")
        )
    return {"runtime_minutes": minutes}


def _text(key: str) -> Callable[[str], dict[str, Any]]:
    return lambda text: {key: text}


def _shown(key: str) -> Callable[[Review], str]:
    return lambda review: getattr(review, key) or ""


def _prose(key: str, label: str, hint: str, placeholder: str) -> FormField:
    return FormField(key, label, hint, MAX_TEXT, True, placeholder, _shown(key), _text(key))


FIELDS: dict[str, FormField] = {
    field.key: field
    for field in (
        FormField(
            "title",
            N_("Title and year"),
            N_("The film's title, then its year in brackets"),
            MAX_TITLE + len(" (2000)"),
            False,
            "Brick (2005)",
            _show_title,
            _read_title,
        ),
        FormField(
            "tagline",
            N_("Tagline"),
            N_("One line that sells it, shown under the title"),
            MAX_TAGLINE,
            False,
            N_("A noir in a high school"),
            _shown("tagline"),
            _text("tagline"),
        ),
        _prose(
            "intro",
            N_("Intro"),
            N_("A few sentences before the review proper"),
            N_("Why this film"),
        ),
        _prose(
            "synopsis", N_("What's it about?"), N_("The story, without spoilers"), N_("A loner...")
        ),
        _prose(
            "really_about",
            N_("What's it really about?"),
            N_("The theme under the story"),
            N_("Grief."),
        ),
        FormField(
            "pick_if",
            N_("Pick if"),
            N_("One reason a line, as Headline: detail"),
            INPUT_LIMIT,
            True,
            N_("You love running films: it is a track film about grief"),
            _show_reasons,
            _read_reasons,
            noun=N_("reason"),
        ),
        _prose(
            "memorable_scene",
            N_("Most memorable scene"),
            N_("Members see it behind a spoiler tag"),
            N_("The last race..."),
        ),
        FormField(
            "directors",
            N_("Directed by"),
            N_("One name a line"),
            MAX_DIRECTORS * (MAX_NAME + 1) - 1,
            True,
            "Rian Johnson",
            lambda review: "\n".join(review.directors),
            lambda text: {"directors": _lines(text)},
            noun=N_("name"),
        ),
        FormField(
            "runtime",
            N_("Runtime"),
            N_("Minutes (104) or hours and minutes (1h 44m)"),
            20,
            False,
            "1h 44m",
            lambda review: str(review.runtime_minutes or ""),
            _read_runtime,
        ),
        FormField(
            "cast",
            N_("Cast"),
            N_("One a line, as Name (Known For)"),
            INPUT_LIMIT,
            True,
            "Joseph Gordon-Levitt (Looper)",
            _show_cast,
            _read_cast,
            noun=N_("member"),
        ),
        _prose(
            "where_to_watch",
            N_("Where can I watch?"),
            N_("A sentence naming the services; they are read from it"),
            N_("Brick is streaming on Kanopy."),
        ),
    )
}

REQUIRED = frozenset({"title", "pick_if"})
"""Fields a review cannot be without (their /review edit input may not be left empty)."""

ADD_PARTS: dict[int, tuple[str, ...]] = {
    1: ("title", "synopsis", "really_about", "pick_if", "where_to_watch"),
    2: ("tagline", "memorable_scene", "directors", "runtime", "cast"),
}
"""The two /review add forms (Discord allows five inputs a form)."""

# Review attributes (as validate names them) -> the form field that holds them.
_FIELD_OF = {"year": "title", "runtime_minutes": "runtime", "services": "where_to_watch"}


def part_of(key: str | None) -> int | None:
    """Which /review add form holds a field (None for fields only /review edit reaches)."""
    return next((part for part, keys in ADD_PARTS.items() if key in keys), None)


def field_error(error: ReviewFormatError, t: Texts = ENGLISH) -> FieldError:
    """The validator's problem, said in the words of the form, in ``t``'s language: the field
    it names becomes the input's label ("**Pick if**, reason 2 (headline) is too long")."""
    key = _FIELD_OF.get(error.field or "", error.field)
    field = FIELDS.get(key or "")
    if field is not None:
        label = t.gettext(field.label)
    else:
        label = (error.field or "review").replace("_", " ").capitalize()
    name = error.values.get("name")
    subject = _SUBJECT.fullmatch(str(name)) if name is not None else None
    if subject is not None and subject["name"] == error.field:
        said = f"**{label}**"
        if subject["index"] is not None:
            noun = t.gettext(field.noun if field else N_("item"))
            part = subject["part"]
            shown = f" ({t.gettext(_PARTS.get(part, part))})" if part else ""
            said += f", {noun} {int(subject['index']) + 1}{shown}"
        text = error.said(t, name=said)
    else:
        text = f"**{label}**: {error.said(t)}"
    return FieldError(key, text if text.endswith((".", "!", "?")) else text + ".")


def arguments(review: Review) -> dict[str, Any]:
    """:meth:`Review.create` arguments that rebuild ``review``."""
    return {
        "title": review.title,
        "tagline": review.tagline,
        "year": review.year,
        "directors": review.directors,
        "runtime_minutes": review.runtime_minutes,
        "cast": review.cast,
        "intro": review.intro,
        "synopsis": review.synopsis,
        "really_about": review.really_about,
        "pick_if": review.pick_if,
        "memorable_scene": review.memorable_scene,
        "where_to_watch": review.where_to_watch,
        "captions": review.captions,
        "countries": review.countries,
        "languages": review.languages,
    }


def _create(args: Mapping[str, Any], newest: int, t: Texts) -> Review:
    try:
        return Review.create(**args, latest_year=newest)
    except ReviewFormatError as error:
        raise field_error(error, t) from None


def with_text(review: Review, key: str, text: str, *, newest: int, t: Texts = ENGLISH) -> Review:
    """``review`` with one field replaced by what was typed into its input; checked, with
    ``newest`` the latest plausible year (:func:`bot.review.latest_year`)."""
    return _create({**arguments(review), **FIELDS[key].read(text)}, newest, t)


def from_texts(texts: Mapping[str, str], *, newest: int, t: Texts = ENGLISH) -> Review:
    """A new review from the /review add forms' inputs (missing ones count as empty)."""
    args: dict[str, Any] = {"title": "", "pick_if": ()}
    for key, field in FIELDS.items():
        if key in texts:
            args.update(field.read(texts[key]))
    if not args["title"]:
        raise FieldError("title", TITLE_EMPTY)
    return _create(args, newest, t)


def texts_of(review: Review, keys: tuple[str, ...] = tuple(FIELDS)) -> dict[str, str]:
    """What each input shows for ``review``."""
    return {key: FIELDS[key].show(review) for key in keys}
