"""Lists people keep elsewhere, brought in: a Letterboxd export (``watchlist.csv``,
``watched.csv``) or an IMDb list export, into a member's watchlist or a server's seen list.

Rows are matched to the films this server sees by title and year, as a typed title is
(:meth:`bot.titles.TitleIndex.resolve`: case, accents and punctuation folded), and taken only
when the title is the same and the year the same or one off. A file that is not such a list is
refused with the reason, and nothing is written; a list is written in one transaction.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from bot import cards
from bot.core import Caller, Core
from bot.errors import UNREADABLE, UserFacingError
from bot.i18n import ENGLISH, Texts
from bot.message import Embed, Message
from bot.moderation import require_moderator
from bot.store import TitleRow
from bot.text import fold, title_year

MAX_BYTES = 2_000_000
MAX_ROWS = 10_000
LETTERBOXD = ("Name", "Year")  # Date, Name, Year, Letterboxd URI
IMDB = ("Title", "Year")  # Const, Your Rating, Date Rated, Title, ..., Title Type, ..., Year
IMDB_FILMS = frozenset({"movie", "tvmovie", "tv movie", "video"})
"""IMDb title types that are films (the rest are series, episodes, games...)."""
LISTED = 15
"""Films not in the catalog named in the answer; the rest are counted."""


@dataclass(frozen=True, slots=True)
class ListRow:
    title: str
    year: int | None
    on: date | None = None  # the day it was logged (Letterboxd's Date), if the file says


@dataclass(slots=True)
class ListFile:
    """What a list file holds: its kind, its films, and how many rows were not films."""

    kind: str  # "Letterboxd" or "IMDb"
    rows: list[ListRow] = field(default_factory=list)
    not_films: int = 0


def _refuse(filename: str, reason: str) -> UserFacingError:
    """A file that is not a list; ``reason`` is in the member's language already."""
    return UserFacingError(UNREADABLE, file=cards.escape(filename), problem=reason)


def check_list_file(filename: str, size: int, t: Texts = ENGLISH) -> None:
    """What can be refused before downloading: the file's type and size."""
    if not filename.lower().endswith(".csv"):
        raise UserFacingError(
            t.gettext(
                "**{file}** is not a list file: attach a Letterboxd export (watchlist.csv or "
                "watched.csv, from Settings → Import & Export) or an IMDb list exported as .csv."
            ).format(file=cards.escape(filename))
        )
    if size > MAX_BYTES:
        big = t.gettext("it is {size} bytes, over the 2 MB limit")
        raise _refuse(filename, big.format(size=t.number(size)))


def _year(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) == 4 else None


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return None


def read_list(filename: str, data: bytes, t: Texts = ENGLISH) -> ListFile:
    """The films of a Letterboxd or IMDb CSV export; the reason when it is not one."""
    check_list_file(filename, len(data), t)
    if b"\x00" in data:
        nul = t.gettext("not UTF-8 text: it contains NUL bytes (binary data?)")
        raise _refuse(filename, nul)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        invalid = t.gettext("not UTF-8 text (invalid byte at offset {offset})")
        raise _refuse(filename, invalid.format(offset=error.start)) from None
    if not text.strip():
        raise _refuse(filename, t.gettext("the file is empty"))
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        columns = [name.strip() for name in reader.fieldnames or ()]
        records = list(reader)
    except csv.Error as error:
        raise _refuse(filename, t.gettext("it is not CSV ({error})").format(error=error)) from None
    if all(name in columns for name in LETTERBOXD):
        found, title = ListFile("Letterboxd"), "Name"
    elif all(name in columns for name in IMDB):
        found, title = ListFile("IMDb"), "Title"
    else:
        columns_missing = t.gettext(
            "it has none of the columns of a Letterboxd export (Name, Year) or an IMDb list "
            "(Title, Year)"
        )
        raise _refuse(filename, columns_missing)
    if len(records) > MAX_ROWS:
        many = t.gettext("it lists {count} films, more than {limit}")
        raise _refuse(filename, many.format(count=t.number(len(records)), limit=t.number(MAX_ROWS)))
    for record in records:
        record = {(key or "").strip(): value for key, value in record.items()}
        name = (record.get(title) or "").strip()
        kind = (record.get("Title Type") or "movie").strip().casefold()
        if not name:
            continue
        if found.kind == "IMDb" and kind not in IMDB_FILMS:
            found.not_films += 1
            continue
        on = _day(record.get("Date")) if found.kind == "Letterboxd" else None
        found.rows.append(ListRow(name, _year(record.get("Year")), on))
    return found


def _same_film(row: ListRow, found: TitleRow) -> bool:
    """Whether a catalog film is the listed one: the same title, folded, and the same year
    or one off (a festival year, a release year)."""
    if fold(found.title) != fold(row.title):
        return False
    return row.year is None or found.year is None or abs(found.year - row.year) <= 1


async def _match(core: Core, guild_id: int, row: ListRow) -> TitleRow | None:
    resolution = await core.titles.resolve(guild_id, title_year(row.title, row.year))
    if resolution.found is not None:
        return resolution.found if _same_film(row, resolution.found) else None
    same = [candidate for candidate in resolution.candidates if _same_film(row, candidate)]
    return same[0] if len(same) == 1 else None


@dataclass(slots=True)
class Matched:
    found: dict[str, ListRow] = field(default_factory=dict)  # film key -> the first row of it
    missing: list[ListRow] = field(default_factory=list)


async def match_rows(core: Core, guild_id: int, rows: list[ListRow]) -> Matched:
    """Each row's film in what the server sees, or the row among the missing."""
    matched = Matched()
    for row in rows:
        film = await _match(core, guild_id, row)
        if film is None:
            matched.missing.append(row)
        else:
            matched.found.setdefault(film.film_key, row)
    return matched


def _answer(
    filename: str, listed: ListFile, matched: Matched, added: int, *, seen: bool, t: Texts
) -> Message:
    """What an import did: how many films went onto the seen list (``seen``) or the
    watchlist, how many were there already, and which are not in the catalog."""
    if seen:
        went = t.ngettext(
            "added {count} film to this server's seen list",
            "added {count} films to this server's seen list",
            added,
        )
    else:
        went = t.ngettext(
            "added {count} film to your watchlist", "added {count} films to your watchlist", added
        )
    already, missing = len(matched.found) - added, len(matched.missing)
    was = t.ngettext("{count} was already there", "{count} were already there", already)
    lacking = t.ngettext("{count} is not in the catalog", "{count} are not in the catalog", missing)
    text = t.gettext("Imported **{file}** ({kind}): {added}; {already}; {missing}.").format(
        file=cards.escape(filename),
        kind=listed.kind,
        added=went.format(count=t.number(added)),
        already=was.format(count=t.number(already)),
        missing=lacking.format(count=t.number(missing)),
    )
    if skipped := listed.not_films:
        rows = t.ngettext(
            "{count} row was not a film (series, episodes…) and was skipped.",
            "{count} rows were not films (series, episodes…) and were skipped.",
            skipped,
        )
        text += " " + rows.format(count=t.number(skipped))
    embeds = []
    if matched.missing:
        names = [f"• {cards.escape(title_year(r.title, r.year))}" for r in matched.missing]
        shown = names[:LISTED]
        if len(names) > LISTED:
            shown.append(t.gettext("…and {count} more").format(count=t.number(len(names) - LISTED)))
        title = t.gettext("Not in the catalog")
        embeds.append(Embed(title, "\n".join(shown), color=cards.NOTICE_COLOR))
    return Message(content=text, embeds=embeds, ephemeral=True)


async def import_watchlist(core: Core, caller: Caller, filename: str, data: bytes) -> Message:
    """/watchlist import: a member's list into their watchlist here."""
    listed = read_list(filename, data, caller.texts)
    matched = await match_rows(core, caller.guild_id, listed.rows)
    added = await core.store.add_many_to_watchlist(
        caller.guild_id, caller.user_id, list(matched.found)
    )
    return _answer(filename, listed, matched, added, seen=False, t=caller.texts)


def _seen_on(row: ListRow, fallback: datetime) -> datetime:
    return datetime(row.on.year, row.on.month, row.on.day, 12, tzinfo=UTC) if row.on else fallback


async def import_seen(core: Core, caller: Caller, filename: str, data: bytes) -> Message:
    """/review import-seen: a server's watched list (Letterboxd's watched.csv, an IMDb list)
    into its seen list, each film on the day the list logged it (else today)."""
    require_moderator(caller)
    listed = read_list(filename, data, caller.texts)
    matched = await match_rows(core, caller.guild_id, listed.rows)
    now = core.clock()
    added = await core.store.mark_many_seen(
        caller.guild_id,
        {key: _seen_on(row, now) for key, row in matched.found.items()},
        by=caller.user_id,
    )
    return _answer(filename, listed, matched, added, seen=True, t=caller.texts)
