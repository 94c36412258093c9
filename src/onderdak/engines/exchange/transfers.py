"""Bilateral deals that realise an allocation: who hands how many places to whom.

Per group the municipalities that provide fewer places than they owe hand off
s_i = obligation - provided, those that provide more take over r_j = provided - obligation,
and sum s = sum r. Any transport plan f_ij >= 0 with these row and column sums realises the
allocation; the engine looks for one with few deals (nonzero f_ij), because every deal is an
agreement between two councils.

* Greedy (any size): first pair senders and receivers with exactly equal amounts (one deal
  settles both; in swap mode preferring a pair that already deals in an earlier group), then the
  north-west corner rule on the rest, both sorted by amount (largest first, ties in input
  order). Every deal exhausts a sender or a receiver and the last one both, so a group never
  needs more than #senders + #receivers - 1 deals (Dantzig, *Linear Programming and
  Extensions*, 1963: a basic solution of the transportation problem).
* Exact (small regions, at most ``EXACT_PAIR_LIMIT`` candidate pairs over all groups): the
  fixed-charge transportation MIP min sum y_gij with f_gij <= min(s_i, r_j) y_gij, y binary,
  started from the greedy plan, with a node limit (deterministic) and a time limit (a safety
  net). In swap mode a secondary objective counts the distinct pairs of municipalities, so
  A -> B for asylum seekers and B -> A for status holders is preferred over two unrelated
  deals: minimise W sum y + sum z_{ij} with y_gij <= z_{ij} and W larger than any pair count.

A ``within_province`` group's places never cross a provincial border (Spreidingswet): with
``blocks`` every (group, province) is planned as a group of its own, on the differences of
that province's municipalities only, so every deal of such a group is between two
municipalities of the same province.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np

from onderdak.engines.exchange.model import IntArray, Transfer
from onderdak.engines.exchange.solver import LinearModel, column_wise
from onderdak.engines.highs import new_highs

#: Largest number of candidate (group, sender, receiver) triples solved by the exact MIP.
EXACT_PAIR_LIMIT = 60
#: Branch-and-bound nodes and seconds the exact MIP may use before its best plan is taken.
NODE_LIMIT = 500
TIME_LIMIT = 2.0

#: (sender, receiver, places) with municipality indices.
Deal = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class TransferPlan:
    transfers: tuple[Transfer, ...]
    #: ``"mip"``, ``"mip-limit"`` (node or time limit; best plan found) or ``"greedy"``.
    method: str


def plan_transfers(
    codes: Sequence[str],
    groups: Sequence[str],
    obligation: IntArray,
    provided: IntArray,
    *,
    pair_across_groups: bool,
    exact_limit: int = EXACT_PAIR_LIMIT,
    blocks: IntArray | None = None,
) -> TransferPlan:
    """Deals that turn ``obligation`` into ``provided`` (M x G arrays); sorted for output.

    ``blocks`` (M x G, optional): the total row of every cell (``Problem.block_of``); deals
    are then made only between municipalities whose cells share a row, i.e. within a province
    for a within_province group. Without it every group is one row.
    """
    if blocks is not None:
        return _plan_per_block(
            codes,
            groups,
            obligation - provided,
            blocks,
            pair_across_groups=pair_across_groups,
            exact_limit=exact_limit,
        )
    difference = obligation - provided
    plans: list[list[Deal]] = []
    used_pairs: set[frozenset[int]] = set()
    for g in range(len(groups)):
        deals = greedy_deals(difference[:, g].tolist(), used_pairs if pair_across_groups else set())
        plans.append(deals)
        used_pairs.update(frozenset((i, j)) for i, j, _ in deals)
    method = "greedy"
    candidates = sum(
        int((difference[:, g] > 0).sum()) * int((difference[:, g] < 0).sum())
        for g in range(len(groups))
    )
    deals_bound, pairs_bound = _lower_bounds(difference)
    improvable = sum(len(p) for p in plans) > deals_bound or (
        pair_across_groups and len(used_pairs) > pairs_bound
    )
    if 0 < candidates <= exact_limit and improvable:
        exact = _exact_deals(difference, plans, pair_across_groups=pair_across_groups)
        if exact is not None:
            plans, method = exact
    transfers = [
        Transfer(from_code=codes[i], to_code=codes[j], group=groups[g], places=places)
        for g, deals in enumerate(plans)
        for i, j, places in deals
    ]
    transfers.sort(key=lambda t: (groups.index(t.group), t.from_code, t.to_code))
    return TransferPlan(tuple(transfers), method)


def _plan_per_block(
    codes: Sequence[str],
    groups: Sequence[str],
    difference: IntArray,
    blocks: IntArray,
    *,
    pair_across_groups: bool,
    exact_limit: int,
) -> TransferPlan:
    """Every total row as a group of its own: the difference masked to its cells."""
    count = int(blocks.max()) + 1 if blocks.size else 0
    group_of = np.zeros(count, dtype=np.int64)
    split = np.zeros((difference.shape[0], count), dtype=np.int64)
    for g in range(difference.shape[1]):
        for b in np.unique(blocks[:, g]).tolist():
            members = blocks[:, g] == b
            group_of[b] = g
            split[members, b] = difference[members, g]
    names = [f"{b}" for b in range(count)]
    plan = plan_transfers(
        codes,
        names,
        split,
        np.zeros_like(split),
        pair_across_groups=pair_across_groups,
        exact_limit=exact_limit,
    )
    transfers = [
        Transfer(t.from_code, t.to_code, groups[int(group_of[int(t.group)])], t.places)
        for t in plan.transfers
    ]
    transfers.sort(key=lambda t: (groups.index(t.group), t.from_code, t.to_code))
    return TransferPlan(tuple(transfers), plan.method)


def _lower_bounds(difference: IntArray) -> tuple[int, int]:
    """(deals, distinct pairs) no plan can go below: every sender and every receiver needs a
    deal, so a group needs max(#senders, #receivers) deals, and as many distinct pairs."""
    per_group = [
        max(int((difference[:, g] > 0).sum()), int((difference[:, g] < 0).sum()))
        for g in range(difference.shape[1])
    ]
    return sum(per_group), max(per_group, default=0)


def greedy_deals(difference: Sequence[int], preferred: set[frozenset[int]]) -> list[Deal]:
    """Deals for one group: exact matches first, then the north-west corner rule.

    ``difference[i]`` = obligation - provided of municipality i (positive: hands off).
    """
    give = [[i, d] for i, d in enumerate(difference) if d > 0]
    take = [[j, -d] for j, d in enumerate(difference) if d < 0]
    give.sort(key=lambda item: (-item[1], item[0]))
    take.sort(key=lambda item: (-item[1], item[0]))
    deals: list[Deal] = []
    waiting: dict[int, list[list[int]]] = {}
    for item in take:
        waiting.setdefault(item[1], []).append(item)
    for sender in give:
        matches = waiting.get(sender[1])
        if not matches:
            continue
        chosen = next((r for r in matches if frozenset((sender[0], r[0])) in preferred), matches[0])
        matches.remove(chosen)
        deals.append((sender[0], chosen[0], sender[1]))
        sender[1] = chosen[1] = 0
    senders = [s for s in give if s[1] > 0]
    receivers = [r for r in take if r[1] > 0]
    a = b = 0
    while a < len(senders) and b < len(receivers):
        places = min(senders[a][1], receivers[b][1])
        deals.append((senders[a][0], receivers[b][0], places))
        senders[a][1] -= places
        receivers[b][1] -= places
        if senders[a][1] == 0:
            a += 1
        if receivers[b][1] == 0:
            b += 1
    return deals


def _exact_deals(
    difference: IntArray, greedy: list[list[Deal]], *, pair_across_groups: bool
) -> tuple[list[list[Deal]], str] | None:
    """The fixed-charge MIP over all groups; ``None`` when it finds nothing better."""
    g_count = difference.shape[1]
    triples: list[tuple[int, int, int]] = []
    for g in range(g_count):
        senders = np.flatnonzero(difference[:, g] > 0).tolist()
        receivers = np.flatnonzero(difference[:, g] < 0).tolist()
        triples.extend((g, i, j) for i in senders for j in receivers)
    pairs = sorted({(min(i, j), max(i, j)) for _, i, j in triples}) if pair_across_groups else []
    model = _fixed_charge_model(difference, triples, pairs)
    n, width = len(triples), model.columns
    pair_index = {pair: k for k, pair in enumerate(pairs)}
    start = np.zeros(width)
    position = {triple: k for k, triple in enumerate(triples)}
    for g, deals in enumerate(greedy):
        for i, j, places in deals:
            k = position[(g, i, j)]
            start[k] = places
            start[n + k] = 1.0
            if pairs:
                start[2 * n + pair_index[(min(i, j), max(i, j))]] = 1.0
    highs = new_highs(mip_rel_gap=0.0, mip_max_nodes=NODE_LIMIT, time_limit=TIME_LIMIT)
    highs.passModel(model.to_highs(integer=True))
    highs.setSolution(width, np.arange(width, dtype=np.int32), start)
    highs.run()
    status = highs.getModelStatus()
    solution = highs.getSolution()
    if not solution.value_valid:
        return None
    values = np.rint(np.asarray(solution.col_value, dtype=np.float64)[:n]).astype(np.int64)
    plans: list[list[Deal]] = [[] for _ in range(g_count)]
    for k, (g, i, j) in enumerate(triples):
        if values[k] > 0:
            plans[g].append((i, j, int(values[k])))
    if not _realises(difference, plans) or sum(map(len, plans)) > sum(map(len, greedy)):
        return None
    optimal = status == highspy.HighsModelStatus.kOptimal
    return plans, "mip" if optimal else "mip-limit"


def _fixed_charge_model(
    difference: IntArray, triples: list[tuple[int, int, int]], pairs: list[tuple[int, int]]
) -> LinearModel:
    """Columns f (places per triple), y (deal made), z (pair used); see the module doc."""
    n = len(triples)
    pair_index = {pair: k for k, pair in enumerate(pairs)}
    balance: dict[tuple[int, int, str], int] = {}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    bounds: list[float] = []
    f_upper = []
    for k, (g, i, j) in enumerate(triples):
        sides = (((g, i, "give"), difference[i, g]), ((g, j, "take"), -difference[j, g]))
        for key, amount in sides:
            if key not in balance:
                balance[key] = len(bounds)
                bounds.append(float(amount))
            rows.append(balance[key])
            cols.append(k)
            vals.append(1.0)
        f_upper.append(float(min(difference[i, g], -difference[j, g])))
    links = len(bounds)
    for k in range(n):  # f - min(s, r) y <= 0
        rows += [links + k, links + k]
        cols += [k, n + k]
        vals += [1.0, -f_upper[k]]
    for k, (_, i, j) in enumerate(triples if pairs else []):  # y - z <= 0
        rows += [links + n + k, links + n + k]
        cols += [n + k, 2 * n + pair_index[(min(i, j), max(i, j))]]
        vals += [1.0, -1.0]
    row_count = links + n + (n if pairs else 0)
    width = 2 * n + len(pairs)
    start, index, value = column_wise(rows, cols, vals, width)
    weight = float(len(pairs) + 1)
    return LinearModel(
        cost=np.concatenate((np.zeros(n), np.full(n, weight), np.ones(len(pairs)))),
        col_lower=np.zeros(width),
        col_upper=np.concatenate((np.array(f_upper), np.ones(n), np.ones(len(pairs)))),
        row_lower=np.concatenate((np.array(bounds), np.full(row_count - links, -np.inf))),
        row_upper=np.concatenate((np.array(bounds), np.zeros(row_count - links))),
        start=start,
        index=index,
        value=value,
    )


def _realises(difference: IntArray, plans: list[list[Deal]]) -> bool:
    check = np.zeros_like(difference)
    for g, deals in enumerate(plans):
        for i, j, places in deals:
            if places <= 0:
                return False
            check[i, g] += places
            check[j, g] -= places
    return bool(np.array_equal(check, difference))
