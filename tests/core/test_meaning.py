"""/pickif by meaning, with a real small model: WordLlama's static embeddings (the wordllama
package ships them, 32,000 tokens x 256 dimensions), laid out as movienight reads a model.

It is an English model, not the multilingual one ``movienight model fetch`` installs, but the
same kind: a tokenizer and a vector per token. No test downloads anything.
"""

import asyncio
import functools
import http.server
import logging
import threading
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from bench.labelled import run, summary
from bot import cards
from bot.core import Core
from bot.embeddings import TOKENIZER, WEIGHTS, Model, fetch_model, open_model
from bot.review import parse
from bot.settings import DEFAULT_STARTER, DEFAULT_THESAURUS, Settings

pytestmark = pytest.mark.both_backends

GUILD = 1
TOP1_WITH_MODEL = 49
"""Labelled queries right at the first result with the test model (as test_pickif_understanding)."""


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory) -> Path:
    shipped = resources.files("wordllama")
    folder = tmp_path_factory.mktemp("model") / "wordllama-l2-supercat"
    folder.mkdir()
    (folder / TOKENIZER).symlink_to(shipped / "tokenizers" / "l2_supercat_tokenizer_config.json")
    (folder / WEIGHTS).symlink_to(shipped / "weights" / "l2_supercat_256.safetensors")
    return folder


@pytest.fixture
async def with_model(tmp_path, clock, model_dir):
    settings = Settings(
        database=tmp_path / "meaning.db",
        starter=DEFAULT_STARTER,
        thesaurus=DEFAULT_THESAURUS,
        model=model_dir,
    )
    core = await Core.open(settings, clock=clock)
    yield core
    await core.close()


def test_the_model_puts_texts_of_one_meaning_close(model_dir):
    model = Model(model_dir)
    funny, laughs, grief = model.embed(["a hilarious comedy", "it made us laugh", "mourning"])
    assert np.linalg.norm(funny) == pytest.approx(1, abs=1e-5)
    assert funny @ laughs > funny @ grief


async def test_every_review_gets_a_vector_once_and_a_new_one_when_saved(with_model, model_dir):
    store = with_model.store
    assert len(await store.vectors()) == len(await store.live_titles())
    assert await store.embed_missing() == 0  # the next start embeds nothing again
    text = (DEFAULT_STARTER / "brick-2005.txt").read_text(encoding="utf-8")
    saved = await store.save_review(parse(text.replace("Brick (2005)", "Brick (2006)")))
    assert saved.review_id in {review_id for review_id, _ in await store.vectors()}


async def test_a_film_found_by_meaning_quotes_its_closest_reason(with_model):
    result = await with_model.pickif.search(GUILD, "a merry romp with chuckles galore")
    by_meaning = [match for match in result.matches if match.closest]
    assert by_meaning, "no film was found by meaning alone"
    match = by_meaning[0]
    reasons = [f"{r.headline}: {r.detail}" for r in match.stored.review.pick_if]
    assert match.closest in reasons
    index = result.matches.index(match)
    why = cards.match_card(result, index).to_discord()["embeds"][0]["fields"][0]["value"]
    assert "Closest in meaning to your words." in why


async def test_limits_and_unwanted_words_hold_for_films_found_by_meaning(with_model):
    result = await with_model.pickif.search(GUILD, "a merry romp, not scary, under 95 minutes")
    assert result.matches
    assert all(match.stored.review.runtime_minutes < 95 for match in result.matches)
    pushed = [match.unwanted for match in result.matches]
    assert pushed == sorted(pushed)  # films about "scary" (or its themes) come last


async def test_the_labelled_set_with_the_model(with_model):
    outcomes = await run(with_model)
    assert summary(outcomes)["top1"] >= TOP1_WITH_MODEL


def test_without_a_model_the_log_says_so_once(tmp_path, caplog):
    with caplog.at_level(logging.INFO):
        assert open_model(tmp_path / "no-model") is None
    assert caplog.text.count("matches words only") == 1


async def test_model_fetch_downloads_a_model_that_loads(tmp_path, model_dir):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(model_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        source = f"http://127.0.0.1:{server.server_address[1]}/"
        await asyncio.to_thread(fetch_model, source, tmp_path / "fetched")
    finally:
        server.shutdown()
    assert sorted(path.name for path in (tmp_path / "fetched").iterdir()) == [WEIGHTS, TOKENIZER]
    assert Model(tmp_path / "fetched").dimensions == 256


async def test_help_says_when_pickif_matches_words_only(with_model, catalog):
    from bot.help import WORDS_ONLY, help_card

    assert with_model.pickif.by_meaning and not catalog.pickif.by_meaning
    words_only = help_card(moderator=False, meaning=catalog.pickif.by_meaning)
    assert WORDS_ONLY in words_only.embeds[0].description
    assert WORDS_ONLY not in help_card(moderator=False, meaning=True).embeds[0].description
