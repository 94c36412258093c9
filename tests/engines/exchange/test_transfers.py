"""Bilateral deals: exact matches, the north-west corner bound, the exact MIP, swap pairs."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from onderdak.engines.exchange.model import Transfer
from onderdak.engines.exchange.transfers import greedy_deals, plan_transfers


def test_exact_matches_first_then_the_north_west_corner() -> None:
    """Senders 5, 3 (municipalities 0, 1); receivers 4, 3, 1 (2, 3, 4). The 3 matches 3 in one
    deal; 5 then goes to 4 and 1: three deals (the bound S + R - 1 = 4)."""
    deals = greedy_deals([5, 3, -4, -3, -1], set())
    assert deals == [(1, 3, 3), (0, 2, 4), (0, 4, 1)]


def test_a_preferred_pair_wins_among_equal_matches() -> None:
    deals = greedy_deals([2, -2, -2], {frozenset((0, 2))})
    assert deals == [(0, 2, 2)]


@given(
    amounts=st.lists(st.integers(1, 30), min_size=1, max_size=12),
    cut=st.integers(1, 11),
)
@settings(max_examples=200, deadline=None)
def test_greedy_realises_the_difference_within_the_bound(amounts: list[int], cut: int) -> None:
    cut = min(cut, len(amounts))
    senders, receivers = amounts[:cut], amounts[cut:]
    if not receivers:
        return
    # make the totals equal by adding the difference to the first sender or receiver
    gap = sum(receivers) - sum(senders)
    if gap > 0:
        senders[0] += gap
    else:
        receivers[0] -= gap
    difference = senders + [-r for r in receivers]
    deals = greedy_deals(difference, set())
    balance = [0] * len(difference)
    for i, j, places in deals:
        assert places > 0 and difference[i] > 0 and difference[j] < 0
        balance[i] += places
        balance[j] -= places
    assert balance == difference
    assert len(deals) <= len(senders) + len(receivers) - 1


def test_an_exact_match_saves_a_deal() -> None:
    """A hands off 4 and B 6; C takes over 4, D and E 3 each. A -> C settles both in one deal,
    then B -> D and B -> E: three deals, one fewer than the bound S + R - 1 = 4."""
    obligation = np.full((5, 1), 10)
    provided = np.array([[6], [4], [14], [13], [13]])
    plan = plan_transfers(
        ["A", "B", "C", "D", "E"], ["g"], obligation, provided, pair_across_groups=False
    )
    assert plan.transfers == (
        Transfer("A", "C", "g", 4),
        Transfer("B", "D", "g", 3),
        Transfer("B", "E", "g", 3),
    )


def test_the_exact_mip_finds_a_split_greedy_misses() -> None:
    """A and B hand off 5 each; C and D take over 3, E and F 2. No amounts match, and the
    north-west corner needs five deals (A -> C 3, A -> D 2, B -> D 1, B -> E 2, B -> F 2).
    The region splits into two blocks, 5 = 3 + 2 twice, so four deals suffice: the
    fixed-charge MIP finds them and proves that four is the minimum."""
    obligation = np.full((6, 1), 10)
    provided = np.array([[5], [5], [13], [13], [12], [12]])
    codes = ["A", "B", "C", "D", "E", "F"]
    greedy = plan_transfers(
        codes, ["g"], obligation, provided, pair_across_groups=False, exact_limit=0
    )
    exact = plan_transfers(codes, ["g"], obligation, provided, pair_across_groups=False)
    assert (greedy.method, len(greedy.transfers)) == ("greedy", 5)
    assert (exact.method, len(exact.transfers)) == ("mip", 4)
    for giver in ("A", "B"):
        assert sorted(t.places for t in exact.transfers if t.from_code == giver) == [2, 3]


def test_swap_mode_prefers_the_same_pairs_across_groups() -> None:
    """Asylum seekers: A and B hand off 2 each, C and D take 2 each. Status holders go the
    other way. Any one-to-one pairing needs 2 deals per group; the MIP pairs the same two
    municipalities in both groups (2 pairs for 4 deals)."""
    obligation = np.full((4, 2), 10)
    provided = np.array([[8, 12], [8, 12], [12, 8], [12, 8]])
    plan = plan_transfers(
        ["A", "B", "C", "D"],
        ["asylum_seeker", "status_holder"],
        obligation,
        provided,
        pair_across_groups=True,
    )
    assert len(plan.transfers) == 4
    pairs = {frozenset((t.from_code, t.to_code)) for t in plan.transfers}
    assert len(pairs) == 2
    assert [t.group for t in plan.transfers] == ["asylum_seeker"] * 2 + ["status_holder"] * 2


def test_nothing_moves_no_transfers() -> None:
    obligation = np.array([[3, 1], [2, 2]])
    plan = plan_transfers(
        ["A", "B"], ["g", "h"], obligation, obligation.copy(), pair_across_groups=True
    )
    assert plan.transfers == ()
