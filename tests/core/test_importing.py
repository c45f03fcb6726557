"""Imports of many files: read in worker processes, saved in file order, a batch a transaction."""

import pytest

from bot import importing
from bot.importing import import_files
from bot.store import Store
from tests.conftest import FIXTURE_REVIEWS, LATEST_YEAR, assert_index_matches_reviews

pytestmark = pytest.mark.both_backends

BROKEN = "What's it really about? Nothing: this file has no title line.\n"


def catalog(folder):
    """The fixture reviews, each under three more titles, and a file that is not a review."""
    folder.mkdir()
    for source in sorted(FIXTURE_REVIEWS.glob("*.txt")):
        text = source.read_text(encoding="utf-8")
        title = text.splitlines()[0].split(":")[0]
        for copy in range(4):
            renamed = text.replace(title, f"{title} {copy}") if copy else text
            (folder / f"{source.stem}-{copy}.txt").write_text(renamed, encoding="utf-8")
    (folder / "m-broken.txt").write_text(BROKEN, encoding="utf-8")
    return sorted(folder.iterdir())


async def imported(path, files, clock):
    batches = []
    async with await Store.open(path, clock=clock) as store:
        done = await import_files(
            store, files, newest=LATEST_YEAR, guild_id=0, advance=batches.append
        )
        rows = await store._reader.execute_fetchall(
            "SELECT id, film_key, data, checked_at FROM reviews ORDER BY id"
        )
        hits = await store.ranked(0, "retirees", weights=(1, 1, 1, 1), limit=50, exclude_seen=False)
    return done, batches, rows, hits


async def test_worker_processes_save_what_one_process_saves_in_the_same_order(
    tmp_path, new_database, clock, monkeypatch
):
    files = catalog(tmp_path / "in")
    one, _, one_rows, one_hits = await imported(new_database("one"), files, clock)
    monkeypatch.setattr(importing, "BATCH", 4)  # six batches: read by worker processes
    many, batches, rows, hits = await imported(new_database("many"), files, clock)
    assert (rows, hits) == (one_rows, one_hits)
    assert batches == [4, 4, 4, 4, 4, 1]
    for done in (one, many):
        assert done.counts == {"added": 20}
        assert [str(item.path.name) for item in done.rejected] == ["m-broken.txt"]
    assert len(hits) == 4


async def test_importing_again_updates_only_what_changed_and_the_index_follows(
    tmp_path, new_database, clock, monkeypatch
):
    files = catalog(tmp_path / "in")
    monkeypatch.setattr(importing, "BATCH", 8)
    async with await Store.open(new_database("again"), clock=clock) as store:
        await import_files(store, files, newest=LATEST_YEAR, guild_id=0, advance=lambda _: None)
        changed = files[0].read_text(encoding="utf-8").replace("retirees", "pensioners")
        files[0].write_text(changed, encoding="utf-8")
        again = await import_files(
            store, files, newest=LATEST_YEAR, guild_id=0, advance=lambda _: None
        )
        assert again.counts == {"updated": 1, "unchanged": 19}
        weights = (1, 1, 1, 1)
        hits = await store.ranked(0, "pensioners", weights=weights, limit=5, exclude_seen=False)
        assert len(hits) == 1
        await assert_index_matches_reviews(store)


async def test_with_a_model_each_imported_review_gets_the_vector_of_its_text(
    tmp_path, new_database, clock
):
    """Batches come packed from the workers; the model is given the reviews they hold."""
    files = catalog(tmp_path / "in")
    embedded = []

    def embed(reviews):
        embedded.extend(reviews)
        return [review.title.encode() for review in reviews]

    async with await Store.open(new_database("model"), clock=clock) as store:
        store.use_model("titles", embed)
        await import_files(store, files, newest=LATEST_YEAR, guild_id=0, advance=lambda _: None)
        reviews = {stored.id: stored.review for stored in await store.reviews_in_scope()}
        assert {i: vector.decode() for i, vector in await store.vectors()} == {
            i: review.title for i, review in reviews.items()
        }
    assert embedded == list(reviews.values())  # each once, in file order, as parsed
