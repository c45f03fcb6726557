"""Discord's message limits, and shortening text to fit them without losing what matters.

Every number here is one Discord enforces (a message over it is refused with HTTP 400).
Shortening happens at a word boundary with "…"; an embed's title and a field marked ``keep``
(the reason a film matched) survive every cut.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.message import Embed, Message

CONTENT = 2000
EMBEDS = 10
EMBED_TOTAL = 6000
TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
BUTTON_LABEL = 80
BUTTON_ROWS = 5
BUTTONS_PER_ROW = 5
CHOICES = 25
CHOICE_TEXT = 100
OPTIONS = 25
OPTION_LABEL = 100
PLACEHOLDER = 150
MODAL_TITLE = 45
MODAL_LABEL = 45
ELLIPSIS = "…"
_PAIRS = ("**", "||")
_MIN_KEPT = 40  # a shortened text keeps at least this much, so it still says something


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, ending in "…".

    A bold or spoiler pair that the cut leaves open is closed after the "…", so a long spoiler
    stays a (shorter) spoiler and bold never bleeds into what follows.
    """
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return text[:limit]
    room = limit - len(ELLIPSIS) - sum(len(pair) for pair in _PAIRS if pair in text)
    cut = text[: max(room, 0)]
    space = cut.rfind(" ")
    if space >= len(cut) // 2:
        cut = cut[:space]
    cut = cut.rstrip(" ,;:-")
    return cut + ELLIPSIS + _closers(cut)


def _closers(text: str) -> str:
    """The marks that close every pair left open in ``text``, innermost first."""
    open_pairs = [pair for pair in _PAIRS if text.count(pair) % 2]
    return "".join(sorted(open_pairs, key=text.rfind, reverse=True))


def _fit_embed(embed: Embed) -> Embed:
    fields = [
        replace(
            f,
            name=shorten(f.name, FIELD_NAME) or "\u200b",
            value=shorten(f.value, FIELD_VALUE) or "\u200b",
        )
        for f in embed.fields
    ]
    kept = [f for f in fields if f.keep]
    others = [f for f in fields if not f.keep]
    fields = (kept + others)[:FIELDS] if len(fields) > FIELDS else fields
    return replace(
        embed,
        title=shorten(embed.title, TITLE),
        description=shorten(embed.description, DESCRIPTION),
        footer=shorten(embed.footer, FOOTER),
        fields=fields,
    )


def _trim_to_total(embeds: list[Embed], budget: int) -> list[Embed]:
    """Shorten the longest cuttable text until all embeds fit ``budget`` characters."""
    embeds = [replace(e, fields=list(e.fields)) for e in embeds]
    while (excess := sum(e.length() for e in embeds) - budget) > 0:
        best: tuple[int, int, int] | None = None  # (length, embed index, field index or -1)
        for i, embed in enumerate(embeds):
            if len(embed.description) > _MIN_KEPT:
                best = max(best or (0, 0, 0), (len(embed.description), i, -1))
            for j, f in enumerate(embed.fields):
                if not f.keep and len(f.value) > _MIN_KEPT:
                    best = max(best or (0, 0, 0), (len(f.value), i, j))
        if best is None:
            embeds = _drop_one(embeds)
            continue
        length, i, j = best
        target = max(_MIN_KEPT, length - excess)
        embed = embeds[i]
        if j < 0:
            embeds[i] = replace(embed, description=shorten(embed.description, target))
        else:
            embed.fields[j] = replace(embed.fields[j], value=shorten(embed.fields[j].value, target))
    return embeds


def _drop_one(embeds: list[Embed]) -> list[Embed]:
    """Nothing left to shorten: drop the last field that may go, then the footer, then embeds."""
    for i in reversed(range(len(embeds))):
        embed = embeds[i]
        for j in reversed(range(len(embed.fields))):
            if not embed.fields[j].keep:
                del embed.fields[j]
                return embeds
        if embed.footer:
            embeds[i] = replace(embed, footer="")
            return embeds
    if len(embeds) > 1:
        return embeds[:-1]
    embed = embeds[0]  # only kept fields and the title remain: shorten the kept fields
    longest = max(range(len(embed.fields)), key=lambda j: len(embed.fields[j].value))
    f = embed.fields[longest]
    embed.fields[longest] = replace(f, value=shorten(f.value, max(1, len(f.value) // 2)))
    return embeds


def fit_message(message: Message) -> Message:
    """A copy of ``message`` within every Discord limit."""
    embeds = [_fit_embed(embed) for embed in message.embeds[:EMBEDS]]
    if sum(e.length() for e in embeds) > EMBED_TOTAL:
        embeds = _trim_to_total(embeds, EMBED_TOTAL)
    room = BUTTON_ROWS - (message.select is not None)  # a select menu takes a row of its own
    rows = [row[:BUTTONS_PER_ROW] for row in message.buttons[:room] if row]
    return replace(message, content=shorten(message.content, CONTENT), embeds=embeds, buttons=rows)
