"""Counting votes from ballots, worked by hand: every mode, each instant-runoff round, and each
step of the tie rule (more first choices, then more backers, then a draw with the seed shown)."""

from __future__ import annotations

import random

import pytest

from bot import votes
from bot.votes import Round, Tie

A, B, C, D = 0, 1, 2, 3


def ranked(*groups: tuple[int, list[int]]) -> list[list[int]]:
    """Ballots from (how many, ranking) pairs."""
    return [list(ranking) for many, ranking in groups for _ in range(many)]


# --- casting --------------------------------------------------------------------------------------


def test_a_vote_is_replaced_an_approval_toggles_a_ranking_grows():
    assert votes.next_ballot("vote", [A], C) == [C]
    assert votes.next_ballot("approval", [A, C], B) == [A, B, C]
    assert votes.next_ballot("approval", [A, B, C], B) == [A, C]  # a second click takes it back
    assert votes.next_ballot("ranked", [D], B, ranked=[C, A]) == [C, A, B]
    with pytest.raises(votes.BallotError):
        votes.next_ballot("ranked", [], A, ranked=[A])


def test_what_an_open_vote_shows():
    ballots = [[A, C], [C], [], [B, C]]
    assert votes.shown_counts("approval", ballots) == {A: 1, C: 3, B: 1}
    assert votes.shown_counts("vote", [[A], [A], [B]]) == {A: 2, B: 1}
    assert votes.shown_counts("ranked", ballots) == {}  # ranked shows no running count


# --- one vote each, and approval -----------------------------------------------------------------


def test_the_most_votes_win():
    result = votes.count("vote", [A, B, C], [[B], [A], [B], []], {}, seed=1)
    assert (result.winner, result.ballots, result.tie) == (B, 3, None)
    assert result.rounds == (Round({A: 1, B: 2, C: 0}),)


def test_a_tie_goes_to_more_backers():
    # A and C have two votes each (so as many first choices); C's suggestion had 3 backers, A's 1.
    result = votes.count("vote", [A, B, C], [[A], [C], [A], [C], [B]], {A: 1, C: 3}, seed=5)
    assert result.winner == C
    assert result.tie == Tie((A, C), C, "backers", for_win=True)


def test_a_tie_of_everything_is_drawn_with_the_seed_kept():
    # A and B: one vote each, no backers: a draw. random.Random(41).choice([0, 1]) is the draw.
    result = votes.count("vote", [A, B], [[A], [B]], {}, seed=41)
    drawn = random.Random(41).choice([A, B])
    assert result.tie == Tie((A, B), drawn, "draw", for_win=True)
    assert (result.winner, result.seed) == (drawn, 41)
    assert votes.count("vote", [A, B], [[A], [B]], {}, seed=41) == result  # a recount agrees


def test_approval_counts_every_film_approved_of():
    # A: 2 approvals, B: 3, C: 1. B wins although A is the first film on more ballots.
    ballots = [[A, B], [A, B], [B, C]]
    result = votes.count("approval", [A, B, C], ballots, {}, seed=1)
    assert (result.winner, result.rounds[0].counts) == (B, {A: 2, B: 3, C: 1})


def test_nobody_voting_is_decided_by_the_tie_rule():
    result = votes.count("approval", [A, B, C], [[], []], {B: 2, C: 1}, seed=1)
    assert (result.winner, result.ballots) == (B, 0)
    assert result.tie == Tie((A, B, C), B, "backers", for_win=True)


# --- ranked: instant runoff -----------------------------------------------------------------------


def test_instant_runoff_round_by_round():
    # 4 rank A then B, 3 rank B then C, 2 rank C then B; nobody ranks D.
    # Round 1: A 4, B 3, C 2, D 0; 9 ballots, nobody has more than half (4.5): D drops out.
    # Round 2: A 4, B 3, C 2: C drops out; its two ballots go to their next choice, B.
    # Round 3: A 4, B 5: B has more than half of 9 and wins, though A led the first round.
    ballots = ranked((4, [A, B]), (3, [B, C]), (2, [C, B]))
    result = votes.count("ranked", [A, B, C, D], ballots, {}, seed=1)
    assert result.rounds == (
        Round({A: 4, B: 3, C: 2, D: 0}, out=D),
        Round({A: 4, B: 3, C: 2}, out=C),
        Round({A: 4, B: 5}),
    )
    assert (result.winner, result.ballots, result.tied) == (B, 9, False)


def test_a_tie_for_fewest_drops_the_film_with_fewer_first_choices():
    # Round 1: A 4, B 3, C 2, D 1: D drops out; its ballot goes to C.
    # Round 2: A 4, B 3, C 3: B and C tie for fewest. B had 3 first choices, C 2: C drops out.
    # Round 3: A 4, B 3 (C's ballots rank nobody else): A has more than half of 7.
    ballots = ranked((4, [A]), (3, [B]), (2, [C]), (1, [D, C]))
    result = votes.count("ranked", [A, B, C, D], ballots, {}, seed=1)
    assert result.rounds == (
        Round({A: 4, B: 3, C: 2, D: 1}, out=D),
        Round({A: 4, B: 3, C: 3}, out=C, tie=Tie((B, C), C, "first choices", for_win=False)),
        Round({A: 4, B: 3}),
    )
    assert result.winner == A


def test_then_the_film_with_fewer_backers_drops_out():
    # Round 1: A 2, B 2, C 1: C drops out (its ballot ranks nobody else).
    # Round 2: A 2, B 2 of 4: a tie for fewest, with 2 first choices each; A's suggestion had 3
    # backers, B's 1: B drops out, and A is the last film in the running.
    ballots = ranked((2, [A]), (2, [B]), (1, [C]))
    result = votes.count("ranked", [A, B, C], ballots, {A: 3, B: 1}, seed=1)
    assert result.rounds[1] == Round({A: 2, B: 2}, out=B, tie=Tie((A, B), B, "backers", False))
    assert result.rounds[2] == Round({A: 2})
    assert result.winner == A


def test_and_last_a_draw_with_the_seed():
    # A 1, B 1: tied in first choices and backers; the seed's draw picks who drops out.
    out = random.Random(7).choice([A, B])
    result = votes.count("ranked", [A, B], [[A], [B]], {}, seed=7)
    assert result.rounds[0] == Round({A: 1, B: 1}, out=out, tie=Tie((A, B), out, "draw", False))
    assert result.winner == (B if out == A else A)


def test_a_result_is_kept_and_read_back_exactly():
    ballots = ranked((4, [A]), (3, [B]), (2, [C]), (1, [D, C]))
    result = votes.count("ranked", [A, B, C, D], ballots, {B: 2}, seed=99)
    assert votes.from_json(votes.to_json(result)) == result
