"""Reading what a member typed into /pickif: what to look for, what to avoid, and limits.

:meth:`QueryReader.read` turns "a short comedy that is not a horror film" into a wanted term
(comedy), an unwanted one (horror) and a limit (at most 95 minutes). Clause by clause (split at
punctuation and at "but", "aber", "mais", "pero"):

1. phrases that carry no preference go ("rainy day", "we don't mind");
2. runtime and era limits are taken out ("under 95 minutes", "not too long", "80s", "a 1990s
   film", "before 1970", "something old");
3. who is watching goes: a person after "with", a possessive or a number ("with my grandma",
   "four friends");
4. after a negation ("not", "no", "without", "isn't", "nothing", "nicht", "kein", "sans", "pas",
   "sin", ...) the rest of the clause is unwanted;
5. what is left is read through the phrasebooks, longest phrase first: countries, mood words
   (with the themes the thesaurus widens them to), German, French and Spanish words (in
   English), and otherwise plain words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.errors import UserFacingError
from bot.i18n import N_, Texts
from bot.lexicon import ENGLISH, EUROPEAN, Phrasebook, read_entries, read_words
from bot.store.records import UNBOUNDED, Bounds
from bot.text import fold
from bot.thesaurus import Thesaurus

MAX_WORDS = 8
MAX_THEMES_LENGTH = 200
LONGEST_PHRASE = 5
SHORT_MINUTES = 95
"""What "short" means: Palm Springs' 90 minutes are "a short, breezy crowd-pleaser"."""
NOT_TOO_LONG_MINUTES = 110
LONG_MINUTES = 120
OLD_BEFORE = 1980
RECENT_YEARS = 10

_CLAUSE = re.compile(r"[,.;:!?()\[\]]+|\b(?:but|aber|sondern|mais|pero|sino)\b", re.I)
_NUMBERS = frozenset(
    """two three four five six seven eight nine ten couple zwei drei vier funf sechs sieben acht
    neun zehn deux trois quatre cinq sept huit neuf dix dos tres cuatro cinco seis siete ocho
    nueve diez""".split()
)
_POSSESSIVES = frozenset(
    """my our mein meine meiner meinen meinem unser unsere unseren unserer ma mon mes notre nos
    mi mis nuestra nuestro nuestras nuestros""".split()
)
_WITH = frozenset("with mit avec con".split())
_NEGATIONS = frozenset(
    """not no without nothing never none nor neither isn aren don doesn wasn won nicht kein keine
    keinen keinem keiner keines ohne nichts pas sans ni rien jamais aucun aucune sin nada nunca
    ningun ninguna ninguno""".split()
)

_MINUTES = r"(?:minutes?|mins?|m|minuten|minutos)"
_UNDER = (
    r"(?:under|less than|shorter than|below|at most|up to|max|maximum|no more than|not more than"
    r"|unter|weniger als|hochstens|moins de|max|menos de)"
)
_FILM = r"(?:film|films|movie|movies|flick|one|filme|pelicula|peliculas|peli|classic)"
_DECADE_WORDS = {
    "twenties": 1920,
    "thirties": 1930,
    "forties": 1940,
    "fifties": 1950,
    "sixties": 1960,
    "seventies": 1970,
    "eighties": 1980,
    "nineties": 1990,
    "zwanziger": 1920,
    "dreissiger": 1930,
    "vierziger": 1940,
    "funfziger": 1950,
    "sechziger": 1960,
    "siebziger": 1970,
    "achtziger": 1980,
    "neunziger": 1990,
    "cincuenta": 1950,
    "sesenta": 1960,
    "setenta": 1970,
    "ochenta": 1980,
    "noventa": 1990,
}


class SearchInputError(UserFacingError):
    """The themes cannot be searched; the message tells the member what to type instead."""


@dataclass(frozen=True, slots=True)
class Term:
    typed: str  # as the member wrote it, folded ("lustiger", "feel good")
    used: str  # what is searched for: the typed word, or its English meaning
    synonyms: tuple[str, ...] = ()
    origin: bool = False  # a country or language (its English word is the synonym)

    @property
    def read_as(self) -> bool:
        """The member's word was read as another word (a translation or a typo's correction)."""
        return not self.origin and self.used != self.typed


@dataclass(frozen=True, slots=True)
class Said:
    """How a limit is said back to the member: their own words as typed (``own``), or a
    message marked N_ with the year it names ("from the {year}s")."""

    words: str
    year: int | None = None
    own: bool = False

    def said(self, t: Texts) -> str:
        return self.words if self.own else t.gettext(self.words).format(year=self.year)


@dataclass(frozen=True, slots=True)
class Limits:
    """The runtime and years a film must have, and how to say them ("under 95 minutes")."""

    bounds: Bounds = UNBOUNDED
    said: tuple[Said, ...] = ()

    def tighter(self, other: Limits) -> Limits:
        return Limits(self.bounds.tighter(other.bounds), self.said + other.said)


NO_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class Query:
    wanted: tuple[Term, ...]
    unwanted: tuple[Term, ...] = ()
    limits: Limits = NO_LIMITS


def _years(first: int | None, last: int | None, said: str, year: int) -> Limits:
    return Limits(Bounds(first_year=first, last_year=last), (Said(said, year),))


def _minutes(least: int | None, most: int | None, said: Said) -> Limits:
    return Limits(Bounds(min_minutes=least, max_minutes=most), (said,))


def _decade(year: int) -> Limits:
    return _years(year, year + 9, N_("from the {year}s"), year)


def _two_digit_decade(digit: str) -> int:
    return (1900 if int(digit) >= 3 else 2000) + int(digit) * 10


def _limits(clause: str, this_year: int) -> tuple[str, Limits]:
    """The clause without its runtime and era limits, and those limits."""
    found = Limits()
    rules: list[tuple[str, Callable[[re.Match[str]], Limits]]] = [
        (
            rf"\b{_UNDER} (\d{{2,3}}) ?{_MINUTES}?\b",
            lambda m: _at_most(int(m[1]) - 1, Said(m[0], own=True)),
        ),
        (
            rf"\b{_UNDER} (?:an?|one|1|une|eine|una) (?:hour|stunde|heure|hora)"
            r"(?P<half> and a half| und einer halben| et demie| y media)?\b",
            lambda m: _at_most(89 if m["half"] else 59, Said(m[0], own=True)),
        ),
        (
            rf"\b{_UNDER} (\d|two|three|zwei|drei|deux|trois|dos|tres) (?:hours|stunden|heures"
            r"|horas)\b",
            lambda m: _at_most(60 * _count(m[1]) - 1, Said(m[0], own=True)),
        ),
        (
            rf"\b(?:over|longer than|more than|at least|uber|plus de|mas de) (\d{{2,3}}) ?"
            rf"{_MINUTES}\b",
            lambda m: _minutes(int(m[1]) + 1, None, Said(m[0], own=True)),
        ),
        (
            r"\b(?:not too long|nicht zu lang\w*|pas trop long\w*|no (?:muy|demasiado) larg[oa]s?)"
            r"\b",
            lambda m: _at_most(NOT_TOO_LONG_MINUTES, Said(N_("not too long"))),
        ),
        (
            r"\b(?:short|shorter|quick|brief|kurz|kurze|kurzer|kurzen|kurzes|courte|courtes"
            r"|corto|corta|cortos|cortas)\b",
            lambda m: _at_most(SHORT_MINUTES, Said(N_("short"))),
        ),
        (
            rf"\b(?:long|longer|lang|langer|langen|longue|largo|larga) {_FILM}\b",
            lambda m: _minutes(LONG_MINUTES, None, Said(N_("long"))),
        ),
        (r"\b(?:18|19|20)(\d)0 ?s\b", lambda m: _decade(int(m[0][:3]) * 10)),
        (r"\b(\d)0 ?s\b", lambda m: _decade(_two_digit_decade(m[1]))),
        (r"\b(?:19)?(\d)0er(?: jahren?)?\b", lambda m: _decade(_two_digit_decade(m[1]))),
        (
            r"\b(?:annees|anos|los|des annees|de los) (?:19)?(\d)0\b",
            lambda m: _decade(_two_digit_decade(m[1])),
        ),
        (
            rf"\b(?:{'|'.join(_DECADE_WORDS)})\b",
            lambda m: _decade(_DECADE_WORDS[m[0]]),
        ),
        (
            r"\b(?:before|vor|avant|antes de|until) (1[89]\d\d|20\d\d)\b",
            lambda m: _years(None, int(m[1]) - 1, N_("before {year}"), int(m[1])),
        ),
        (
            r"\b(?:after|since|nach|seit|apres|depuis|despues de|desde) (1[89]\d\d|20\d\d)\b",
            lambda m: _years(int(m[1]), None, N_("from {year} on"), int(m[1])),
        ),
        (
            r"\b(1[89]\d\d|20\d\d)\b",
            lambda m: _years(int(m[1]), int(m[1]), N_("from {year}"), int(m[1])),
        ),
        (
            rf"\b(?:old|older|vintage|alt|alter|alten|altes|vieux|vieil|ancien|antigua|antiguo"
            rf"|vieja|viejo)(?= {_FILM}\b|$)",
            lambda m: _years(None, OLD_BEFORE - 1, N_("from before {year}"), OLD_BEFORE),
        ),
        (
            rf"\b(?:recent|new|newer|neu|neue|neuer|neuen|recente|nouveau|reciente|nuevo|nueva)"
            rf"(?= {_FILM}\b|$)",
            lambda m: _years(
                this_year - RECENT_YEARS, None, N_("from {year} on"), this_year - RECENT_YEARS
            ),
        ),
    ]
    for pattern, make in rules:
        for match in re.finditer(pattern, clause):
            found = found.tighter(make(match))
        clause = re.sub(pattern, " ", clause)
    return clause, found


def _at_most(minutes: int, said: Said) -> Limits:
    return _minutes(None, minutes, said)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else 2 if word in {"two", "zwei", "deux", "dos"} else 3


TOO_COMMON = N_("Those words are too common to search for; try themes like `sad romance`.")


def checked(themes: str) -> str:
    """The themes without surrounding spaces; refused when empty or too long to be a query."""
    themes = themes.strip()
    if not themes:
        raise SearchInputError(N_("Tell me a few words, like `grief sports` or `heist comedy`."))
    if len(themes) > MAX_THEMES_LENGTH:
        raise SearchInputError(
            N_("That is {count} characters; a few words work best (at most {limit} characters)."),
            count=len(themes),
            limit=MAX_THEMES_LENGTH,
        )
    return themes


class QueryReader:
    """Reads queries with the thesaurus and the word lists in ``data``."""

    def __init__(self, thesaurus: Thesaurus, data: Path) -> None:
        origins = read_entries(data / "origins.txt")
        self._thesaurus = Phrasebook(thesaurus.entries(), ENGLISH)
        self._books = (
            Phrasebook(
                {
                    word: (country, meaning[0])
                    for country, meaning in origins.items()
                    for word in (country, *meaning)
                },
                EUROPEAN,
            ),
            self._thesaurus,
            Phrasebook(read_entries(data / "lexicon.txt"), EUROPEAN),
        )
        self._stop = read_words(data / "stopwords.txt") | _NUMBERS
        self._people = read_words(data / "people.txt")

    def read(self, themes: str, this_year: int) -> Query:
        themes = checked(themes)
        wanted: list[Term] = []
        unwanted: list[Term] = []
        limits = Limits()
        for raw in _CLAUSE.split(themes):
            clause, found = _limits(self._without_stop_phrases(fold(raw)), this_year)
            limits = limits.tighter(found)
            words = self._without_audience(clause.split())
            cue = next((i for i, word in enumerate(words) if word in _NEGATIONS), len(words))
            wanted += self._terms(words[:cue])
            unwanted += self._terms(words[cue + 1 :])
        wanted = _unique(wanted)[:MAX_WORDS]
        if not wanted and not unwanted and not limits:
            raise SearchInputError(TOO_COMMON)
        return Query(tuple(wanted), tuple(_unique(unwanted)[:MAX_WORDS]), limits)

    def _without_stop_phrases(self, clause: str) -> str:
        """The clause without the phrases of several words that carry no preference."""
        words = clause.split()
        kept: list[str] = []
        while words:
            length = next(
                (n for n in range(LONGEST_PHRASE, 1, -1) if " ".join(words[:n]) in self._stop), 1
            )
            kept += words[:1] if length == 1 else []
            words = words[length:]
        return " ".join(kept)

    def _without_audience(self, words: list[str]) -> list[str]:
        """The words without who is watching: "four friends", "with my grandma"."""
        kept = []
        for index, word in enumerate(words):
            before = words[max(0, index - 2) : index]
            marked = any(
                w in _POSSESSIVES or w in _WITH or w in _NUMBERS or w.isdigit() for w in before
            )
            if not (word in self._people and marked):
                kept.append(word)
        return kept

    def _terms(self, words: list[str]) -> list[Term]:
        """Phrases and words, longest phrase first; words that carry no preference skipped."""
        terms = []
        start = 0
        while start < len(words):
            term, length = self._longest(words, start)
            start += length
            if term is not None:
                terms.append(term)
        return terms

    def _longest(self, words: list[str], start: int) -> tuple[Term | None, int]:
        for length in range(min(LONGEST_PHRASE, len(words) - start), 0, -1):
            span = words[start : start + length]
            typed = " ".join(span)
            if length == 1 and (typed in self._stop or len(typed) < 2):
                return None, 1
            origin, mood, lexicon = (book.lookup(span) for book in self._books)
            if origin is not None:
                country, english = origin[1]
                return Term(typed, country, (english,), origin=True), length
            if mood is not None:
                return Term(typed, typed, mood[1]), length
            if lexicon is not None:
                meaning = lexicon[1]
                return Term(typed, meaning[0], self._widened(meaning)), length
        return Term(words[start], words[start]), 1

    def _widened(self, english: tuple[str, ...]) -> tuple[str, ...]:
        """English words and the themes the thesaurus widens each to, without the first."""
        widened = []
        for word in english:
            widened.append(word)
            found = self._thesaurus.lookup(word.split())
            widened += found[1] if found else ()
        return tuple(dict.fromkeys(word for word in widened if word != english[0]))


def _unique(terms: list[Term]) -> list[Term]:
    seen: dict[str, Term] = {}
    for term in terms:
        seen.setdefault(term.used, term)
    return list(seen.values())
