"""Counting a weekly vote from its stored ballots: pure, so any result can be counted again.

A ballot is the list of candidate slots a member chose, as they cast it:

- ``vote``: one slot (clicking another film replaces it);
- ``approval``: every slot the member approves of (a click adds a film, a second takes it back);
- ``ranked``: slots in the member's order of preference, as long as they like.

vote and approval go to the film with the most votes (approvals); ranked is counted by instant
runoff: each round every ballot counts for its highest film still in the running, and unless a
film has more than half of them, the film with the fewest drops out.

**Ties** follow one rule, everywhere (a tie for the win, or for dropping out): more first
choices, then more backers (members who suggested or backed the film), then a random draw
whose seed is chosen when the vote closes and is kept and shown, so a recount draws the same.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.i18n import N_

VoteMode = Literal["vote", "approval", "ranked"]
TieRule = Literal["first choices", "backers", "draw"]
TIE_RULE = N_("more first choices, then more backers, then a random draw")


class BallotError(ValueError):
    """A ballot a member cannot cast (a film that is not a candidate, one ranked twice)."""


def next_ballot(
    mode: VoteMode, before: Sequence[int], slot: int, *, ranked: Sequence[int] = ()
) -> list[int]:
    """The member's ballot after choosing ``slot`` (for ranked, after ``ranked`` so far)."""
    if mode == "vote":
        return [slot]
    if mode == "approval":
        return sorted(set(before) ^ {slot})
    if slot in ranked or len(set(ranked)) != len(ranked):
        raise BallotError("a film can be ranked once")
    return [*ranked, slot]


def first_choices(ballots: Sequence[Sequence[int]], slots: Sequence[int]) -> dict[int, int]:
    """How many ballots put each slot first."""
    firsts = dict.fromkeys(slots, 0)
    for ballot in ballots:
        if ballot and ballot[0] in firsts:
            firsts[ballot[0]] += 1
    return firsts


def shown_counts(mode: VoteMode, ballots: Sequence[Sequence[int]]) -> dict[int, int]:
    """What the open vote shows per film: its votes, or its approvals (ranked shows none)."""
    counts: dict[int, int] = {}
    if mode == "ranked":
        return counts
    for ballot in ballots:
        for slot in ballot:
            counts[slot] = counts.get(slot, 0) + 1
    return counts


@dataclass(frozen=True, slots=True)
class Tie:
    """A tie the rule broke: among which films, for the win or to drop out, and by what."""

    among: tuple[int, ...]
    chosen: int
    by: TieRule
    for_win: bool


@dataclass(frozen=True, slots=True)
class Round:
    counts: dict[int, int]  # the films still in the running and their votes this round
    out: int | None = None  # the film that dropped out after this round (ranked only)
    tie: Tie | None = None  # how ``out`` was chosen, when films tied for fewest


@dataclass(frozen=True, slots=True)
class Result:
    mode: VoteMode
    winner: int
    ballots: int  # ballots that chose at least one film
    rounds: tuple[Round, ...]
    seed: int
    tie: Tie | None = None  # how the winner was chosen among films tied for the most
    firsts: dict[int, int] = field(default_factory=dict)

    @property
    def tied(self) -> bool:
        return self.tie is not None or any(r.tie is not None for r in self.rounds)


def break_tie(
    tied: Sequence[int],
    firsts: Mapping[int, int],
    backers: Mapping[int, int],
    rng: random.Random,
    *,
    for_win: bool,
) -> Tie:
    """One of ``tied`` by the tie rule: for the win the most of each measure, to drop out the
    fewest."""
    pick = max if for_win else min
    among = tuple(sorted(tied))
    left = list(among)
    measures: tuple[tuple[Mapping[int, int], TieRule], ...] = (
        (firsts, "first choices"),
        (backers, "backers"),
    )
    for measure, rule in measures:
        best = pick(measure.get(slot, 0) for slot in left)
        left = [slot for slot in left if measure.get(slot, 0) == best]
        if len(left) == 1:
            return Tie(among, left[0], rule, for_win)
    return Tie(among, rng.choice(left), "draw", for_win)


def count(
    mode: VoteMode,
    slots: Sequence[int],
    ballots: Sequence[Sequence[int]],
    backers: Mapping[int, int],
    seed: int,
) -> Result:
    """The result of a vote from its ballots; the same ballots and seed always give the same."""
    rng = random.Random(seed)
    cast = [list(ballot) for ballot in ballots if ballot]
    firsts = first_choices(cast, slots)
    if mode == "ranked":
        return _instant_runoff(slots, cast, firsts, backers, seed, rng)
    counts = dict.fromkeys(slots, 0) | {
        slot: n for slot, n in shown_counts(mode, cast).items() if slot in slots
    }
    best = max(counts.values())
    leaders = [slot for slot in slots if counts[slot] == best]
    tie = break_tie(leaders, firsts, backers, rng, for_win=True) if len(leaders) > 1 else None
    winner = tie.chosen if tie else leaders[0]
    return Result(mode, winner, len(cast), (Round(counts),), seed, tie, firsts)


def _instant_runoff(
    slots: Sequence[int],
    ballots: Sequence[Sequence[int]],
    firsts: Mapping[int, int],
    backers: Mapping[int, int],
    seed: int,
    rng: random.Random,
) -> Result:
    running = list(slots)
    rounds: list[Round] = []
    while True:
        counts = dict.fromkeys(running, 0)
        for ballot in ballots:
            top = next((slot for slot in ballot if slot in counts), None)
            if top is not None:
                counts[top] += 1
        active = sum(counts.values())
        best = max(counts.values())
        if len(running) == 1 or best * 2 > active:
            (winner,) = [slot for slot in running if counts[slot] == best][:1]
            rounds.append(Round(counts))
            return Result("ranked", winner, len(ballots), tuple(rounds), seed, None, dict(firsts))
        fewest = min(counts.values())
        lows = [slot for slot in running if counts[slot] == fewest]
        tie = break_tie(lows, firsts, backers, rng, for_win=False) if len(lows) > 1 else None
        out = tie.chosen if tie else lows[0]
        rounds.append(Round(counts, out, tie))
        running.remove(out)


# --- keeping a result ----------------------------------------------------------------------------


def _tie_json(tie: Tie | None) -> dict[str, Any] | None:
    if tie is None:
        return None
    return {"among": list(tie.among), "chosen": tie.chosen, "by": tie.by, "for_win": tie.for_win}


def _tie(data: dict[str, Any] | None) -> Tie | None:
    if data is None:
        return None
    return Tie(tuple(data["among"]), data["chosen"], data["by"], data["for_win"])


def _slots(data: dict[str, int]) -> dict[int, int]:
    return {int(slot): n for slot, n in data.items()}


def to_json(result: Result) -> str:
    """A result as kept with its vote (JSON), for the announcement and the history."""
    return json.dumps(
        {
            "mode": result.mode,
            "winner": result.winner,
            "ballots": result.ballots,
            "seed": result.seed,
            "tie": _tie_json(result.tie),
            "firsts": result.firsts,
            "rounds": [
                {"counts": r.counts, "out": r.out, "tie": _tie_json(r.tie)} for r in result.rounds
            ],
        }
    )


def from_json(text: str) -> Result:
    data = json.loads(text)
    return Result(
        mode=data["mode"],
        winner=data["winner"],
        ballots=data["ballots"],
        rounds=tuple(Round(_slots(r["counts"]), r["out"], _tie(r["tie"])) for r in data["rounds"]),
        seed=data["seed"],
        tie=_tie(data["tie"]),
        firsts=_slots(data["firsts"]),
    )
