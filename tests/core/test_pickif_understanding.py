"""/pickif understands what members mean: the labelled set of bench/labelled.py, pinned.

The set's top-1 rate may only go up: a change that makes fewer of its queries put a right film
first fails here. Raise ``TOP1`` when a change gets more right.
"""

from bench.labelled import KINDS, LABELLED, run, summary

TOP1 = 30
"""Queries of the labelled set whose first result is right (of 57; 30 before issue 18)."""


def test_the_labelled_set_has_every_kind_and_enough_queries():
    assert len(LABELLED) >= 40
    assert {labelled.kind for labelled in LABELLED} == set(KINDS)
    assert len({labelled.query for labelled in LABELLED}) == len(LABELLED)


async def test_the_top1_rate_of_the_labelled_set_does_not_drop(catalog):
    outcomes = await run(catalog)
    titles = {row.title for row in await catalog.store.live_titles()}
    assert all(labelled.right <= titles for labelled in LABELLED)
    wrong = [(o.labelled.query, o.titles[:1]) for o in outcomes if not o.top1]
    assert summary(outcomes)["top1"] >= TOP1, wrong
