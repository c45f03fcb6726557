"""The review format: the one parser of the project, its renderer and its JSON form.

A review is plain text, in the layout :func:`render` writes::

    Title: tagline
    intro ...
    What’s it about? ...            (headings may also be "## ..." or "**...**")
    What’s it really about? ...
    Pick if:
      • Headline: detail            (•, -, *, –, 1. or 1) bullets; other lines are captions)
    Most memorable scene:
    ...
    Title (Year): Directed by A and B; running-time 1h 44mins.; country C; language L;
                  starring X (Known For), Y.    (one line; every part optional)
    Where can I watch? one paragraph

The review ends after the "Where can I watch?" paragraph (or at the credits line when that
section is missing); anything after it is web-page residue and is ignored. ``parse`` reads the
lines once, top to bottom; every problem is a :class:`ReviewFormatError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from bot.i18n import N_, Texts
from bot.services import CANONICAL_SERVICES, normalise_services
from bot.text import LONE_SURROGATE, clean, fold_spaces, visible

MAX_BYTES = 1_000_000
MAX_CAST = 100
MAX_TITLE = 200
MAX_HEADLINE = 200
MAX_NAME = 200
MAX_TAGLINE = 300
MAX_TEXT = 4000
MAX_PICK_IF = 50
MAX_DIRECTORS = 10
MAX_ORIGINS = 10
MAX_CAPTIONS = 50
MAX_RUNTIME = 1000
FIRST_FILM_YEAR = 1888
MAX_YEAR = 9999  # the credits line's four digits; newer checks pass latest_year
NO_TITLE = N_("no title: the first line should be “Title: tagline”")


class ReviewFormatError(ValueError):
    """Names the problem and, where there is one, the 1-based line number.

    ``field`` is set when the problem belongs to one field of :class:`Review` (``"year"``,
    ``"pick_if"``, ...), so a form can point at the input to fix. The problem is a message
    (marked N_) and its ``values``: :attr:`problem` says it in English, :meth:`said` in a
    moderator's language; ``values["name"]``, where there is one, is the field's own name
    (``pick_if[1].headline``), which a form says its own way.
    """

    def __init__(
        self, message: str, line: int | None = None, *, field: str | None = None, **values: Any
    ) -> None:
        self.message = message
        self.values = values
        self.problem = message.format(**values) if values else message
        self.line = line
        self.field = field
        super().__init__(f"line {line}: {self.problem}" if line is not None else self.problem)

    def said(self, t: Texts, **named: str) -> str:
        """The problem in ``t``'s language; ``named`` replaces values (the field's name)."""
        values = self.values | named
        return t.gettext(self.message).format(**values) if values else t.gettext(self.message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_error, (self.message, self.line, self.field, self.values))


def _rebuild_error(
    message: str, line: int | None, field: str | None, values: dict[str, Any]
) -> ReviewFormatError:
    return ReviewFormatError(message, line, field=field, **values)


@dataclass(frozen=True, slots=True)
class CastMember:
    name: str
    known_for: str | None = None


@dataclass(frozen=True, slots=True)
class PickIf:
    headline: str
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class Review:
    title: str
    tagline: str | None
    year: int | None
    directors: tuple[str, ...]
    runtime_minutes: int | None
    cast: tuple[CastMember, ...]
    intro: str | None
    synopsis: str | None
    really_about: str | None
    pick_if: tuple[PickIf, ...]
    memorable_scene: str | None
    where_to_watch: str | None
    services: tuple[str, ...]
    captions: tuple[str, ...]
    countries: tuple[str, ...] = ()  # where the film comes from, as the credits say
    languages: tuple[str, ...] = ()

    @classmethod
    def create(
        cls,
        *,
        title: str,
        pick_if: Iterable[PickIf],
        tagline: str | None = None,
        year: int | None = None,
        directors: Iterable[str] = (),
        runtime_minutes: int | None = None,
        cast: Iterable[CastMember] = (),
        intro: str | None = None,
        synopsis: str | None = None,
        really_about: str | None = None,
        memorable_scene: str | None = None,
        where_to_watch: str | None = None,
        captions: Iterable[str] = (),
        countries: Iterable[str] = (),
        languages: Iterable[str] = (),
        latest_year: int | None = None,
    ) -> Review:
        """Build a valid review from loose input (a form, an import, the parser).

        Whitespace is folded, empty optional text becomes ``None``, ``services`` is derived from
        ``where_to_watch``; the result is checked with :func:`validate` (``latest_year`` is
        passed on).
        """
        return _build(
            None,
            latest_year,
            title=title,
            tagline=tagline,
            year=year,
            directors=directors,
            runtime_minutes=runtime_minutes,
            cast=cast,
            intro=intro,
            synopsis=synopsis,
            really_about=really_about,
            pick_if=pick_if,
            memorable_scene=memorable_scene,
            where_to_watch=where_to_watch,
            captions=captions,
            countries=countries,
            languages=languages,
        )


def _build(services: tuple[str, ...] | None, latest_year: int | None, **fields: Any) -> Review:
    """:meth:`Review.create`, or with ``services`` as given (JSON) instead of derived."""
    title = _folded(visible(fields["title"]))
    where = _optional(fields["where_to_watch"])
    if services is None:
        services = _services(where, title)
    return validate(
        Review(
            title=title,
            tagline=_optional(fields["tagline"]),
            year=fields["year"],
            directors=tuple([_folded(name) for name in fields["directors"]]),
            runtime_minutes=fields["runtime_minutes"],
            cast=tuple(
                [
                    CastMember(_folded(member.name), _optional(member.known_for))
                    for member in fields["cast"]
                ]
            ),
            intro=_optional(fields["intro"]),
            synopsis=_optional(fields["synopsis"]),
            really_about=_optional(fields["really_about"]),
            pick_if=tuple(
                [
                    PickIf(_folded(reason.headline), _optional(reason.detail))
                    for reason in fields["pick_if"]
                ]
            ),
            memorable_scene=_optional(fields["memorable_scene"]),
            where_to_watch=where,
            services=services,
            captions=tuple([text for caption in fields["captions"] if (text := _folded(caption))]),
            countries=tuple([_folded(name) for name in fields["countries"]]),
            languages=tuple([_folded(name) for name in fields["languages"]]),
        ),
        latest_year=latest_year,
    )


def _services(where: str | None, title: str) -> tuple[str, ...]:
    """The services ``where`` names. None when it or the title is over its length limit: the
    review is refused then, and skipping them keeps the cost of a hostile text bounded."""
    if where is None or len(where) > MAX_TEXT or len(title) > MAX_TITLE:
        return ()
    return normalise_services(where, title=title)


def _folded(text: str) -> str:
    """``fold_spaces(clean(text))``, skipping both for text that is already in that form.

    Every whitespace character but the ASCII space is non-printable, and so is a lone
    surrogate, so printable text without doubled, leading or trailing spaces is already folded.
    """
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return fold_spaces(clean(text))


def _optional(text: str | None) -> str | None:
    if text is None:
        return None
    return _folded(text) or None


# --- validation -----------------------------------------------------------------------------


def _check_text(
    owner: str, value: object, limit: int, *, required: bool, index: int = -1, part: str = ""
) -> None:
    """Check one text of the field ``owner``: item ``index`` of a list, ``part`` of an item.

    Its name (``cast[2].name``) is only made for a problem: most texts have none.
    """
    if value is None and not required:
        return
    if (
        isinstance(value, str)
        and 0 < len(value) <= limit
        and not value.isspace()
        and "\n" not in value
        and "\r" not in value
    ):
        return  # the usual case, checked at once
    name = owner if index < 0 else f"{owner}[{index}]{part}"
    if not isinstance(value, str):
        raise ReviewFormatError(N_("{name} must be text"), field=owner, name=name)
    if not value.strip():
        raise ReviewFormatError(N_("{name} is empty"), field=owner, name=name)
    if len(value) > limit:
        raise ReviewFormatError(
            N_("{name} is too long ({count} characters, at most {limit})"),
            field=owner,
            name=name,
            count=len(value),
            limit=limit,
        )
    # What is left: a line break.
    raise ReviewFormatError(N_("{name} contains a line break"), field=owner, name=name)


def _check_number(name: str, value: object, low: int, high: int, implausible: str) -> None:
    """``implausible`` (marked N_) names the number, the bounds and ``{value}``."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise ReviewFormatError(N_("{name} must be a whole number"), field=name, name=name)
    if not low <= value <= high:
        raise ReviewFormatError(implausible, field=name, value=value, low=low, high=high)


def latest_year(today: date) -> int:
    """The last release year a new review may give: next year (a film announced for then)."""
    return today.year + 1


def validate(review: Review, *, latest_year: int | None = None) -> Review:
    """Check every field (shared by the parser, JSON loading and moderators' edits).

    Returns the review unchanged; the first problem found raises :class:`ReviewFormatError`
    naming the field. A year after ``latest_year`` is refused as a typo; reviews read back
    from the store pass None, since what was saved stays valid as time goes on. Callers with a
    clock compute it with :func:`latest_year`, so no check here depends on today's date.
    """
    _check_text("title", review.title, MAX_TITLE, required=True)
    _check_text("tagline", review.tagline, MAX_TAGLINE, required=False)
    for name in ("intro", "synopsis", "really_about", "memorable_scene", "where_to_watch"):
        _check_text(name, getattr(review, name), MAX_TEXT, required=False)
    newest = latest_year or MAX_YEAR
    year = N_("implausible year {value} (expected {low}–{high})")
    _check_number("year", review.year, FIRST_FILM_YEAR, newest, year)
    runtime = N_("implausible running time {value} (expected {low}–{high})")
    _check_number("runtime_minutes", review.runtime_minutes, 1, MAX_RUNTIME, runtime)

    if len(review.directors) > MAX_DIRECTORS:
        raise ReviewFormatError(
            N_("more than {limit} directors"), field="directors", limit=MAX_DIRECTORS
        )
    for index, name in enumerate(review.directors):
        _check_text("directors", name, MAX_NAME, required=True, index=index)
    for kind, too_many in (
        ("countries", N_("more than {limit} countries")),
        ("languages", N_("more than {limit} languages")),
    ):
        names = getattr(review, kind)
        if len(names) > MAX_ORIGINS:
            raise ReviewFormatError(too_many, field=kind, limit=MAX_ORIGINS)
        for index, name in enumerate(names):
            _check_text(kind, name, MAX_NAME, required=True, index=index)

    if len(review.cast) > MAX_CAST:
        raise ReviewFormatError(
            N_("more than {limit} cast members ({count})"),
            field="cast",
            limit=MAX_CAST,
            count=len(review.cast),
        )
    for index, member in enumerate(review.cast):
        if not isinstance(member, CastMember):
            raise ReviewFormatError(f"cast[{index}] is not a cast member", field="cast")
        _check_text("cast", member.name, MAX_NAME, required=True, index=index, part=".name")
        _check_text(
            "cast", member.known_for, MAX_NAME, required=False, index=index, part=".known_for"
        )

    if not review.pick_if:
        raise ReviewFormatError(
            N_("{name} is empty; a review needs at least one “Pick if” reason"),
            field="pick_if",
            name="pick_if",
        )
    if len(review.pick_if) > MAX_PICK_IF:
        raise ReviewFormatError(
            N_("{name} has more than {limit} reasons"),
            field="pick_if",
            name="pick_if",
            limit=MAX_PICK_IF,
        )
    for index, reason in enumerate(review.pick_if):
        if not isinstance(reason, PickIf):
            raise ReviewFormatError(f"pick_if[{index}] is not a reason", field="pick_if")
        _check_text(
            "pick_if", reason.headline, MAX_HEADLINE, required=True, index=index, part=".headline"
        )
        _check_text("pick_if", reason.detail, MAX_TEXT, required=False, index=index, part=".detail")

    if len(review.captions) > MAX_CAPTIONS:
        raise ReviewFormatError(
            N_("more than {limit} captions"), field="captions", limit=MAX_CAPTIONS
        )
    for index, caption in enumerate(review.captions):
        _check_text("captions", caption, MAX_TEXT, required=True, index=index)

    if len(set(review.services)) != len(review.services):
        raise ReviewFormatError(N_("services lists a service twice"), field="services")
    for service in review.services:
        if service not in CANONICAL_SERVICES:
            raise ReviewFormatError(
                N_("services lists an unknown service {service}"),
                field="services",
                service=repr(service),
            )
    return review


# --- reading the text -----------------------------------------------------------------------

_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BINARY_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])  # what _BINARY finds
_HTML = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|div|p|article|section|script|span)\b[^>]*>", re.I
)
_MARKDOWN_HEADING = re.compile(r"#{1,6}\s+")
_HEADING = re.compile(
    r"(?:(?P<really_about>what(?:[’'‘`´]?s|\s+is)\s+it\s+really\s+about)"
    r"|(?P<synopsis>what(?:[’'‘`´]?s|\s+is)\s+it\s+about)"
    r"|(?P<pick_if>pick\s+(?:it\s+|this\s+)?if)"
    r"|(?P<memorable_scene>(?:the\s+)?most\s+memorable\s+(?:scene|moment)s?)"
    r"|(?P<where_to_watch>where\s+(?:can|could|do|to)\s+(?:i\s+|you\s+|we\s+)?"
    r"(?:watch|stream|see|find)(?:\s+it)?))"
    r"(?!\w)",
    re.I,
)
_HEADING_STARTS = frozenset("#*_wWpPmMtT")
_BULLET = re.compile(r"(?:[•●○◦▪▫■□‣⁃∙►▶➢➤✓✔]\s*|[-*+–—]\s+|\(?\d{1,3}[.)]\s+)(?P<text>.*)")
# Regexes here are written so that none can backtrack quadratically on a hostile 1 MB line:
# no "\s*" right after a lazy group, possessive runs, lookbehinds so a run is scanned once.
_CREDITS = re.compile(
    r"(?P<title>.+?)\((?P<year>\d{1,6})\)"
    r"(?:\s*+(?:[:.,–—-]\s*+)?(?P<rest>(?:(?:written\s+(?:and|&)\s+)?directed\s+by|running|run[\s-]?time"
    r"|starring|length|duration|countr(?:y|ies)|languages?)\b.*)|\s*+[.:]?)",
    re.I,
)
_DIRECTED = re.compile(r"(?:written\s+(?:and|&)\s+)?directed\s+by\s+", re.I)
_STARRING = re.compile(r"(?:starring|with|cast:?)\s+", re.I)
_ORIGIN = re.compile(r"(?P<kind>countr(?:y|ies)|languages?)\b:?\s*+", re.I)
# A parenthesised group is matched whole, so separators inside it ("(Crazy, Stupid, Love)") are
# skipped; the other matches are the separators.
_PART_SEPARATOR = re.compile(r"\([^()]*\)|;")
_LIST_SEPARATOR = re.compile(r"\([^()]*\)|,|\s(?:and|&)\s", re.I)
_KNOWN_FOR = re.compile(r"(?P<name>[^(]*)\((?P<known_for>.*)\)")
_SENTENCE_END = re.compile(r"(?<![.!?…])(?P<punct>[.!?…]++)(?P<close>[\"”’)\]]*+)\s++(?=\S)")
_END_MARK = re.compile(r"[.!?…]")  # where a sentence end can start: found by a quick scan
# An abbreviation (or an initial) just before a full stop: "Dr. Strange", "J. Doe".
_ABBREVIATION = re.compile(
    r"(?:^|\W)(?:mr|mrs|ms|dr|st|jr|sr|vs|etc|no|vol|prof|mt|ft|co|inc|ltd|approx|ca|\w)$", re.I
)
_ASCII_WORDS = re.compile(r"[a-z0-9]+")
_RESIDUE_LINES = frozenset(
    {
        "leave a reply",
        "leave a reply cancel reply",
        "leave a comment",
        "share this",
        "like this",
        "like loading",
        "loading",
        "related",
        "related posts",
        "post navigation",
        "advertisements",
        "advertisement",
        "report this ad",
        "comments",
        "responses",
        "subscribe",
    }
)
_RESIDUE_PREFIXES = (
    "you are commenting using",
    "fill in your details below",
    "this entry was posted in",
    "notify me of new",
    "blog at wordpress com",
    "click to share on",
    "create a free website",
    "one response to",
)
# A cheap first filter: a residue line starts with the first word of one of the phrases above.
_RESIDUE_STARTS = tuple(
    sorted({phrase.split()[0] for phrase in _RESIDUE_LINES | set(_RESIDUE_PREFIXES)})
)


def _decode(text: str | bytes) -> str:
    """Text of the review, size and encoding checked before anything else is done with it."""
    if isinstance(text, bytes | bytearray):
        return _decode_bytes(bytes(text))
    if not isinstance(text, str):
        raise TypeError(f"parse() takes str or bytes, not {type(text).__name__}")
    if len(text) > MAX_BYTES or (
        len(text) * 4 > MAX_BYTES and len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES
    ):
        raise _too_big(len(text.encode("utf-8", "surrogatepass")))
    text = text.removeprefix("\ufeff")
    _refuse_binary(text)
    if not text.isascii() and LONE_SURROGATE.search(text):
        raise ReviewFormatError(N_("not UTF-8 text: it contains unpaired surrogate characters"))
    return text


def _decode_bytes(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise _too_big(len(data))
    nul = data.find(b"\x00")
    if nul != -1:
        raise ReviewFormatError(
            N_("not UTF-8 text: the file contains NUL bytes (binary data?)"),
            data.count(b"\n", 0, nul) + 1,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ReviewFormatError(
            N_("not UTF-8 text: invalid byte {byte} at offset {offset}"),
            data.count(b"\n", 0, error.start) + 1,
            byte=f"0x{data[error.start]:02x}",
            offset=error.start,
        ) from None
    # UTF-8 cannot encode a lone surrogate, and a control character is one byte in it: deleting
    # them from the bytes is a much quicker test than searching the text.
    if len(data.translate(None, _BINARY_BYTES)) != len(data):
        _refuse_binary(text)
    return text


def _refuse_binary(text: str) -> None:
    binary = _BINARY.search(text)
    if binary:
        raise ReviewFormatError(
            N_("not UTF-8 text: it contains control characters (binary data?)"),
            text.count("\n", 0, binary.start()) + 1,
        )


def _too_big(size: int) -> ReviewFormatError:
    return ReviewFormatError(
        N_("the text is {size} bytes, over the 1 MB limit; a review is a few KB"),
        size=f"{size:,}",
    )


def _is_residue(line: str) -> bool:
    """A line of blog furniture: comment forms, share buttons, "Related" lists, footers."""
    if len(line) > 80 or not line.isascii() or not line.lower().startswith(_RESIDUE_STARTS):
        return False
    folded = " ".join(_ASCII_WORDS.findall(line.lower()))
    return folded in _RESIDUE_LINES or folded.startswith(_RESIDUE_PREFIXES)


def _heading(line: str) -> tuple[str, str] | None:
    """``(kind, text after the heading)`` when ``line`` is a section heading."""
    if line[0] not in _HEADING_STARTS:
        return None
    text = line
    if text.startswith("#"):
        marker = _MARKDOWN_HEADING.match(text)
        if marker is None:
            return None
        text = text[marker.end() :]
    bold = text[:2] if text[:2] in ("**", "__") else ""
    if bold:
        text = text[2:].lstrip()
    match = _HEADING.match(text)
    if match is None:
        return None
    rest = text[match.end() :].lstrip()
    marked = False
    if rest[:1] in ("?", ":"):
        rest, marked = rest[1:].lstrip(), True
    if bold and rest.startswith(bold):
        rest, marked = rest[2:].lstrip(), True
        if rest[:1] in ("?", ":"):
            rest = rest[1:].lstrip()
    if not marked and rest:
        return None  # "Pick if you like ..." is a sentence, not a heading
    return str(match.lastgroup), rest


def _split(text: str, separators: re.Pattern[str]) -> list[str]:
    """Non-empty stripped pieces of ``text`` between separators outside parentheses."""
    if "(" not in text:  # no parentheses to skip: every match is a separator
        pieces = separators.split(text)
    else:
        pieces, start = [], 0
        for match in separators.finditer(text):
            if not match.group().startswith("("):
                pieces.append(text[start : match.start()])
                start = match.end()
        pieces.append(text[start:])
    return [stripped for piece in pieces if (stripped := piece.strip())]


def _names(text: str) -> list[str]:
    """Names in a list: "A, B and C" (separators inside parentheses do not count)."""
    return _split(text, _LIST_SEPARATOR)


def _cast(text: str) -> list[CastMember]:
    text = text.strip()
    if text.endswith("."):
        text = text[:-1]  # the list's full stop, not part of the last name
    members = []
    for entry in _names(text):
        match = _KNOWN_FOR.fullmatch(entry) if entry.endswith(")") else None
        if match:
            members.append(CastMember(match["name"].strip(), match["known_for"].strip() or None))
        else:
            members.append(CastMember(entry))
    return members


# Numbers are at most 5 digits, so "99999...9 hours" is simply implausible, never an overflow.
_HOURS = re.compile(r"(?<!\d)(\d{1,5}(?:[.,]\d{1,3})?)[\s-]*(?:hours?|hrs?|h)(?![a-z])\.?", re.I)
_MINUTES = re.compile(r"(?<!\d)(\d{1,5})[\s-]*(?:minutes?|mins?|m)(?![a-z])", re.I)
_CLOCK = re.compile(r"\b(\d{1,2}):([0-5]\d)\b")
_NUMBER = re.compile(r"(?<!\d)\d{1,5}(?!\d)")


def parse_runtime(text: str) -> int | None:
    """Minutes in a running time: ``"1h 44mins."`` -> 104, ``"running time: 2 hours"`` -> 120.

    Also "104 min", "1 hr. 32 min", "1h44", "1:44" and a bare "104". ``None`` when no number.
    """
    hours = _HOURS.search(text)
    minutes = _MINUTES.search(text, hours.end() if hours else 0)
    if hours or minutes:
        total = round(float(hours.group(1).replace(",", ".")) * 60) if hours else 0
        if minutes:
            total += int(minutes.group(1))
        elif hours:
            trailing = _NUMBER.search(text, hours.end())
            total += int(trailing.group()) if trailing else 0
        return total
    clock = _CLOCK.search(text)
    if clock:
        return int(clock.group(1)) * 60 + int(clock.group(2))
    number = _NUMBER.search(text)
    return int(number.group()) if number else None


def _reason(text: str) -> PickIf:
    """Split a bullet into headline and detail: at the first ": " or the first sentence's end."""
    if text.startswith(("**", "__")):
        close = text.find(text[:2], 2)
        if close > 2:
            text = text[2:close] + text[close + 2 :]
    colon = text.find(":")
    while colon != -1 and colon + 1 < len(text) and not text[colon + 1].isspace():
        colon = text.find(":", colon + 1)  # "10:30" is not a split
    end = _sentence_end(text, colon if colon != -1 else len(text))
    if end is not None:
        headline, detail = end
    elif colon != -1:
        headline, detail = text[:colon], text[colon + 1 :]
    else:
        return PickIf(text)
    headline, detail = headline.strip(), detail.strip()
    if not headline:
        return PickIf(text)
    return PickIf(headline, detail or None)


def _sentence_end(text: str, before: int) -> tuple[str, str] | None:
    """The first sentence end before position ``before``: ``(headline, detail)``."""
    mark = _END_MARK.search(text, 0, before)
    if mark is None:
        return None
    for match in _SENTENCE_END.finditer(text, mark.start(), before + 1):
        if match.start() >= before:
            break
        punct = match["punct"]
        following = text[match.end()]
        if following.islower():
            continue
        if punct == "." and _ABBREVIATION.search(text[max(0, match.start() - 8) : match.start()]):
            continue
        kept = "" if punct == "." else punct
        return text[: match.start()] + kept + match["close"], text[match.end() :]
    return None


@dataclass(slots=True)
class _Reader:
    """One pass over the lines of a review, top to bottom, sorting each line into its section."""

    lines: list[str]
    text: dict[str, list[str]] = field(default_factory=dict)
    line_of: dict[str, int] = field(default_factory=dict)  # field -> first 1-based line
    bullets: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    credits: re.Match[str] | None = None
    section: str = "intro"  # "intro", a Review field name with a heading, or "credits"
    held: list[tuple[int, str]] = field(default_factory=list)  # after the credits, owner unknown
    held_for: str = "intro"

    def add(self, section: str, line_no: int, content: str) -> None:
        if section == "pick_if":
            bullet = _BULLET.match(content)
            if bullet is None:
                self.captions.append(content)
                self.line_of.setdefault("captions", line_no)
            elif bullet["text"].strip():
                self.bullets.append(bullet["text"].strip())
            return
        self.text.setdefault(section, []).append(content)
        self.line_of.setdefault(section, line_no)

    def read(self, start: int) -> None:
        lines = self.lines
        seen: set[str] = set()
        index = start
        while index < len(lines):
            line = lines[index].strip()
            index += 1  # now the 1-based number of ``line``
            if not line:
                if self.section == "where_to_watch" and "where_to_watch" in self.text:
                    # The first paragraph after "Where can I watch?" ends the review.
                    if self.credits is None:
                        self._credits_after(index)
                    return
                continue
            if _is_residue(line):
                break
            heading = _heading(line)
            if heading is not None:
                kind, rest = heading
                if self.section == "where_to_watch" and "where_to_watch" in self.text:
                    break
                if kind in seen and self.section in ("credits", "where_to_watch"):
                    break  # a heading seen before, past the end: a related post's excerpt
                if self.section == "credits":
                    for held_no, held in self.held:
                        self.add(self.held_for, held_no, held)
                    self.held.clear()
                seen.add(kind)
                self.section = kind
                self.line_of.setdefault(kind, index)
                if kind == "pick_if":
                    bullet = _BULLET.match(rest)
                    reason = (bullet["text"] if bullet else rest).strip()
                    if reason:
                        self.bullets.append(reason)
                elif rest:
                    self.text.setdefault(kind, []).append(rest)
                continue
            if self.credits is None and ")" in line:
                credits = _CREDITS.fullmatch(line)
                if credits is not None:
                    self.credits = credits
                    self.line_of["credits"] = index
                    if self.section != "where_to_watch":
                        self.held_for, self.section = self.section, "credits"
                    continue
            if self.section == "credits":
                self.held.append((index, line))
            else:
                self.add(self.section, index, line)

    def _credits_after(self, index: int) -> None:
        """Accept a credits line written just after the "Where can I watch?" paragraph.

        Only the next non-blank line is looked at: anything further is web-page residue.
        """
        for position in range(index, len(self.lines)):
            line = self.lines[position].strip()
            if line:
                credits = _CREDITS.fullmatch(line)
                if credits is not None:
                    self.credits = credits
                    self.line_of["credits"] = position + 1
                return

    def joined(self, section: str) -> str | None:
        parts = self.text.get(section)
        return " ".join(parts) if parts else None


def _title_line(line: str) -> str:
    """The first line without Markdown dressing ("# ", "**...**")."""
    marker = _MARKDOWN_HEADING.match(line)
    if marker is not None:
        line = line[marker.end() :]
    for wrapper in ("**", "__"):
        if len(line) > 4 and line.startswith(wrapper) and line.endswith(wrapper):
            line = line[2:-2].strip()
    return _folded(line)


def _split_title_line(line: str, title: str | None) -> tuple[str, str | None]:
    """``(title, tagline)`` from "Title: tagline", using the credits title where there is one."""
    if title is not None:
        head, rest = line[: len(title)], line[len(title) :]
        if head.casefold() == title.casefold() and (not rest or rest[0] == ":"):
            return title, rest[1:].strip() or None
        return title, line.partition(": ")[2].strip() or None
    head, colon, tagline = line.partition(": ")
    if not colon:
        head = line.removesuffix(":")
    return head.strip(), tagline.strip() or None


def _credits_fields(credits: re.Match[str]) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "directors": [],
        "runtime_minutes": None,
        "cast": [],
        "countries": [],
        "languages": [],
    }
    for part in _split(credits["rest"] or "", _PART_SEPARATOR):
        directed = _DIRECTED.match(part)
        if directed is not None:
            fields["directors"] = _names(part[directed.end() :].rstrip("."))
            continue
        origin = _ORIGIN.match(part)
        if origin is not None:
            kind = "countries" if origin["kind"].lower().startswith("countr") else "languages"
            fields[kind] = _names(part[origin.end() :])
            continue
        starring = _STARRING.match(part)
        if starring is not None:
            fields["cast"] = _cast(part[starring.end() :])
        elif fields["runtime_minutes"] is None and part:
            fields["runtime_minutes"] = parse_runtime(part)
    return fields


def parse(text: str | bytes, *, latest_year: int | None = None) -> Review:
    """Read one review in the text format; any problem raises :class:`ReviewFormatError`.

    ``latest_year`` is the last plausible release year (see :func:`validate`).
    """
    text = _decode(text)
    stripped = text.lstrip()
    if not stripped:
        raise ReviewFormatError(N_("the review is empty"))
    if stripped.startswith("<") and _HTML.search(stripped, 0, 4096):
        raise ReviewFormatError(N_("this looks like HTML, paste the review text instead"))
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    first = next(index for index, line in enumerate(lines) if line.strip())
    first_line = lines[first].strip()
    if _is_residue(first_line):
        raise ReviewFormatError(
            N_("no review here, only comment-form or blog boilerplate"), first + 1
        )

    reader = _Reader(lines)
    has_title_line = _heading(first_line) is None and _CREDITS.fullmatch(first_line) is None
    reader.read(first + 1 if has_title_line else first)

    credits = reader.credits
    title_line = _title_line(first_line) if has_title_line else None
    fields: dict[str, Any] = {}
    if credits is not None:
        fields = _credits_fields(credits)
        title: str | None = _folded(credits["title"])
        fields["year"] = int(credits["year"])
    else:
        title = None
    if title_line is not None:
        title, tagline = _split_title_line(title_line, title)
    elif title is None:
        raise ReviewFormatError(NO_TITLE, first + 1)
    else:
        tagline = None
    if not title:
        raise ReviewFormatError(NO_TITLE, first + 1)

    if not reader.bullets:
        if "pick_if" in reader.line_of:
            raise ReviewFormatError(
                N_("the “Pick if:” section has no reasons; list them as bullets (•, -, * or 1.)"),
                reader.line_of["pick_if"],
            )
        raise ReviewFormatError(N_("no “Pick if:” section; a review needs at least one reason"))

    credits_line = reader.line_of.get("credits")
    line_of = {
        "title": first + 1 if has_title_line else credits_line,
        "tagline": first + 1,
        "year": credits_line,
        "directors": credits_line,
        "runtime_minutes": credits_line,
        "cast": credits_line,
        "countries": credits_line,
        "languages": credits_line,
        **reader.line_of,
    }
    try:
        return Review.create(
            title=title,
            tagline=tagline,
            intro=reader.joined("intro"),
            synopsis=reader.joined("synopsis"),
            really_about=reader.joined("really_about"),
            pick_if=[_reason(bullet) for bullet in reader.bullets],
            memorable_scene=reader.joined("memorable_scene"),
            where_to_watch=reader.joined("where_to_watch"),
            captions=reader.captions,
            latest_year=latest_year,
            **fields,
        )
    except ReviewFormatError as error:
        raise ReviewFormatError(
            error.message, line_of.get(error.field or ""), field=error.field, **error.values
        ) from None


# --- writing the text -----------------------------------------------------------------------


def format_runtime(minutes: int) -> str:
    """``104`` -> ``"1h 44mins."`` (the form the credits line uses)."""
    hours, rest = divmod(minutes, 60)
    if not rest:
        return f"{hours}h."
    unit = "min" if rest == 1 else "mins"
    return f"{hours}h {rest}{unit}." if hours else f"{rest}{unit}."


def _render_reason(reason: PickIf) -> str:
    if reason.detail is None:
        return reason.headline
    if reason.headline[-1] in "?!…" and not reason.detail[0].islower():
        return f"{reason.headline} {reason.detail}"
    return f"{reason.headline}: {reason.detail}"


def _listed(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


_ORIGIN_WORDS = {"countries": ("country", "countries"), "languages": ("language", "languages")}


def _render_credits(review: Review) -> str:
    parts = []
    if review.directors:
        parts.append(f"Directed by {_listed(review.directors)}")
    if review.runtime_minutes is not None:
        parts.append(f"running-time {format_runtime(review.runtime_minutes)}")
    for kind, (one, many) in _ORIGIN_WORDS.items():
        names = getattr(review, kind)
        if names:
            parts.append(f"{one if len(names) == 1 else many} {_listed(names)}")
    if review.cast:
        members = ", ".join(
            f"{member.name} ({member.known_for})" if member.known_for else member.name
            for member in review.cast
        )
        parts.append(f"starring {members}.")
    head = f"{review.title} ({review.year})"
    return f"{head}: {'; '.join(parts)}" if parts else f"{head}."


def render(review: Review) -> str:
    """The review in the canonical text layout; ``parse(render(r)) == r``."""
    blocks = [f"{review.title}: {review.tagline}" if review.tagline else review.title]
    if review.intro:
        blocks.append(review.intro)
    if review.synopsis:
        blocks.append(f"What’s it about? {review.synopsis}")
    if review.really_about:
        blocks.append(f"What’s it really about? {review.really_about}")
    bullets = [f"  • {_render_reason(reason)}" for reason in review.pick_if]
    bullets[1:1] = review.captions  # image captions sit between the bullets
    blocks.append("Pick if:\n\n" + "\n".join(bullets))
    if review.memorable_scene:
        blocks.append(f"Most memorable scene:\n{review.memorable_scene}")
    if review.year is not None:
        blocks.append(_render_credits(review))
    if review.where_to_watch:
        blocks.append(f"Where can I watch? {review.where_to_watch}")
    return "\n\n".join(blocks) + "\n"


# --- JSON -----------------------------------------------------------------------------------


def to_json(review: Review) -> dict[str, Any]:
    """A JSON-ready dict with exactly the field names of :class:`Review`."""
    return {
        "title": review.title,
        "tagline": review.tagline,
        "year": review.year,
        "directors": list(review.directors),
        "runtime_minutes": review.runtime_minutes,
        "cast": [{"name": m.name, "known_for": m.known_for} for m in review.cast],
        "intro": review.intro,
        "synopsis": review.synopsis,
        "really_about": review.really_about,
        "pick_if": [{"headline": p.headline, "detail": p.detail} for p in review.pick_if],
        "memorable_scene": review.memorable_scene,
        "where_to_watch": review.where_to_watch,
        "services": list(review.services),
        "captions": list(review.captions),
        "countries": list(review.countries),
        "languages": list(review.languages),
    }


_JSON_FIELDS = frozenset(item.name for item in fields(Review))


def _json_list(data: Mapping[str, Any], name: str) -> list[Any]:
    value = data.get(name, [])
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise ReviewFormatError(f"{name} must be a list", field=name)
    return list(value)


def _json_objects(
    data: Mapping[str, Any], name: str, keys: tuple[str, str]
) -> list[tuple[Any, Any]]:
    items = []
    for index, item in enumerate(_json_list(data, name)):
        if not isinstance(item, Mapping) or set(item) - set(keys) or keys[0] not in item:
            raise ReviewFormatError(
                f"{name}[{index}] must be an object with {keys[0]!r} and {keys[1]!r}", field=name
            )
        items.append((item[keys[0]], item.get(keys[1])))
    return items


def _json_text(data: Mapping[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise ReviewFormatError(f"{name} must be text or null", field=name)
    return value


def from_json(data: Mapping[str, Any]) -> Review:
    """The inverse of :func:`to_json`; checks every field and names the one that is wrong.

    ``services`` is kept as stored when present, and derived from ``where_to_watch`` otherwise.
    """
    if not isinstance(data, Mapping):
        raise ReviewFormatError("a review must be a JSON object")
    unknown = sorted(set(data) - _JSON_FIELDS)
    if unknown:
        raise ReviewFormatError(f"unknown field {unknown[0]!r}", field=unknown[0])
    if not isinstance(data.get("title"), str):
        raise ReviewFormatError("title must be text", field="title")
    for name in ("directors", "captions", "services", "countries", "languages"):
        for index, item in enumerate(_json_list(data, name)):
            if not isinstance(item, str):
                raise ReviewFormatError(f"{name}[{index}] must be text", field=name)
    cast = _json_objects(data, "cast", ("name", "known_for"))
    pick_if = _json_objects(data, "pick_if", ("headline", "detail"))
    for name, pairs in (("cast", cast), ("pick_if", pick_if)):
        for index, (main, extra) in enumerate(pairs):
            if not isinstance(main, str) or not (extra is None or isinstance(extra, str)):
                raise ReviewFormatError(f"{name}[{index}] must hold text", field=name)
    return _build(
        tuple(_json_list(data, "services")) if "services" in data else None,
        None,
        title=data["title"],
        tagline=_json_text(data, "tagline"),
        year=data.get("year"),
        directors=_json_list(data, "directors"),
        runtime_minutes=data.get("runtime_minutes"),
        cast=[CastMember(name, known_for) for name, known_for in cast],
        intro=_json_text(data, "intro"),
        synopsis=_json_text(data, "synopsis"),
        really_about=_json_text(data, "really_about"),
        pick_if=[PickIf(headline, detail) for headline, detail in pick_if],
        memorable_scene=_json_text(data, "memorable_scene"),
        where_to_watch=_json_text(data, "where_to_watch"),
        captions=_json_list(data, "captions"),
        countries=_json_list(data, "countries"),
        languages=_json_list(data, "languages"),
    )
