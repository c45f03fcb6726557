"""/stats' picture: a small chart drawn with matplotlib (Agg, no display), as PNG bytes.

Drawing takes tens of milliseconds and matplotlib is heavy to import, so it is imported here
only when a chart is drawn, and the caller runs :func:`year_chart` off the event loop
(``asyncio.to_thread``). Figures are built with ``matplotlib.figure.Figure``, never pyplot's
global state, so charts drawn in parallel threads cannot mix.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from bot.i18n import ENGLISH, Texts

POPCORN = "#E5A00D"
BLURPLE = "#5865F2"


def year_chart(
    year: int, per_month: Sequence[int], backed: Sequence[tuple[str, int]], t: Texts = ENGLISH
) -> bytes:
    """Films per month of ``year``, and beside it the most-backed films not yet watched, with
    titles in ``t``'s language."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9, 3.4), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    months, films = figure.subplots(1, 2, width_ratios=(3, 2))
    months.bar(t.months(), per_month, color=POPCORN)
    nights = t.gettext("Movie nights in {year}: {count}")
    months.set_title(nights.format(year=year, count=t.number(sum(per_month))))
    months.yaxis.get_major_locator().set_params(integer=True)
    months.spines[["top", "right"]].set_visible(False)
    films.set_title(t.gettext("Most backed, not watched yet"))
    if backed:
        labels = [_short(title) for title, _ in reversed(backed)]
        films.barh(labels, [count for _, count in reversed(backed)], color=BLURPLE)
        films.xaxis.get_major_locator().set_params(integer=True)
    else:
        films.text(0.5, 0.5, t.gettext("Nothing suggested"), ha="center", va="center")
        films.set_axis_off()
    films.spines[["top", "right"]].set_visible(False)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def _short(title: str, limit: int = 28) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"
