"""A Letterboxd export imported end to end: the attachment, the deferral, the counts."""

from tests.core.test_list_imports import WATCHLIST
from tests.e2e.helpers import assert_in_time


async def test_a_letterboxd_watchlist_import(standin, bots):
    standin.latency = 0.12
    upload = standin.add_attachment("watchlist.csv", WATCHLIST, "text/csv")
    result = await standin.invoke("watchlist import", {"file": upload}, user="ana")
    assert_in_time(result)
    assert result.ephemeral
    assert result.text.startswith(
        "Imported **watchlist.csv** (Letterboxd): added 4 films to your watchlist"
    )
    assert result.message.embeds[0]["title"] == "Not in the catalog"
    shown = await standin.invoke("watchlist show", {}, user="ana")
    assert "Amélie (2001)" in shown.message.embeds[0]["description"]

    refused = await standin.invoke(
        "watchlist import",
        {"file": standin.add_attachment("notes.txt", b"Brick", "text/plain")},
        user="ben",
    )
    assert refused.ephemeral and "is not a list file" in refused.text
    seen = await standin.invoke(
        "review import-seen",
        {"file": standin.add_attachment("watched.csv", WATCHLIST, "text/csv")},
        user="mod",
    )
    assert "added 4 films to this server's seen list" in seen.text
