"""The public entry points: :func:`optimise` (the optimisation layer alone) and :func:`place`
(scoring, optimisation, per-household explanation and fairness report in one call)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from onderdak.engines.placement.fairness import fairness_report
from onderdak.engines.placement.greedy import greedy_kernel, placements_of, waiting_order
from onderdak.engines.placement.model import (
    REASONS,
    Alternative,
    Assignment,
    Household,
    HouseholdExplanation,
    HouseholdSize,
    InfeasibleGroup,
    Method,
    Outcome,
    Pair,
    PlacementInputError,
    PlacementResult,
    Reason,
    ScoreParts,
    ShareConstraint,
    Unit,
    UnitCapacity,
    Weights,
)
from onderdak.engines.placement.optimise import solve, verify
from onderdak.engines.placement.scoring import (
    Scoring,
    measures_of,
    optimisation_problem,
    part_values,
    parts_of,
    score_all,
)
from onderdak.engines.placement.validate import (
    IntArray,
    ScoringProblem,
    prepare_optimisation,
    prepare_scoring,
    real,
)

#: Alternatives listed per household.
ALTERNATIVES = 3


def _check_options(
    gap: float, time_limit: float | None, method: Method | str | None = None
) -> Method | None:
    value = real(gap, "options", None, "gap")
    if value >= 1:
        raise PlacementInputError(f"must be below 1, not {gap!r}", kind="options", field="gap")
    if time_limit is not None:
        real(time_limit, "options", None, "time_limit", strict=True)
    if method is None:
        return None
    allowed = [m.value for m in Method if m is not Method.NONE]
    if method not in allowed:
        raise PlacementInputError(
            f"must be one of {', '.join(allowed)}, not {method!r}", kind="options", field="method"
        )
    return Method(method)


def optimise(
    households: Sequence[HouseholdSize],
    units: Sequence[UnitCapacity],
    pairs: Sequence[Pair],
    *,
    constraints: Sequence[ShareConstraint] = (),
    gap: float = 0.0,
    time_limit: float | None = None,
    method: Method | str | None = None,
) -> Assignment:
    """The placements of maximum total score over the given pairs (only listed pairs are
    allowed): each household at most once, each unit at most ``max_households`` households
    with together at most ``capacity`` persons, and the side constraints.

    ``gap`` > 0 lets the MIP stop at that relative optimality gap; ``time_limit`` (seconds)
    bounds the MIP (the result then depends on the machine). See
    :mod:`onderdak.engines.placement.optimise` for the rules and methods. ``method`` forces
    a method (``min_cost_flow`` and ``dense_assignment`` only where they apply); by default
    the fastest exact one is chosen.
    """
    chosen_method = _check_options(gap, time_limit, method)
    problem = prepare_optimisation(households, units, pairs, constraints)
    return solve(problem, gap=gap, time_limit=time_limit, method=chosen_method)


def place(
    households: Sequence[Household],
    units: Sequence[Unit],
    *,
    weights: Weights | None = None,
    constraints: Sequence[ShareConstraint] = (),
    gap: float = 0.0,
    time_limit: float | None = None,
    method: Method | str | None = None,
) -> PlacementResult:
    """Score every (household, unit) combination, choose the placements of maximum total
    score, explain each household's outcome and compare with first-come-first-served.

    The persons who must fit (with expected reunification persons when
    ``weights.count_reunification``) count against ``max_occupants``; a unit holds at most
    ``max_households`` households.
    """
    chosen_method = _check_options(gap, time_limit, method)
    chosen_weights = weights or Weights()
    scoring = score_all(prepare_scoring(households, units, chosen_weights), chosen_weights)
    problem = optimisation_problem(scoring, constraints)
    assignment = solve(problem, gap=gap, time_limit=time_limit, method=chosen_method)

    greedy_chosen = greedy_kernel(problem, waiting_order(scoring.problem.waiting_days))
    greedy_placements = placements_of(problem, greedy_chosen)
    unit_of = {p.household: p.unit for p in assignment.placements}
    explanations = _explain(scoring, unit_of)
    fairness = fairness_report(
        list(households),
        assignment.placements,
        greedy_placements,
        greedy_meets_constraints=verify(problem, greedy_chosen) is None,
    )
    return PlacementResult(
        status=assignment.status,
        reason=assignment.reason,
        placements=assignment.placements,
        objective=assignment.objective,
        placed=assignment.placed,
        households=explanations,
        fairness=fairness,
        assignment=assignment,
    )


# --------------------------------------------------------------------------------------------
# Explanation
# --------------------------------------------------------------------------------------------


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def infeasible_message(reason: Reason, count: int, persons: int, group: str) -> str:
    """``12 units too small (max occupants < 5)`` and the like."""
    units = _plural(count, "unit")
    if reason is Reason.TARGET_GROUP:
        return f"{units} not open to target group {group}"
    if reason is Reason.TOO_SMALL:
        return f"{units} too small (max occupants < {persons})"
    if reason is Reason.NOT_ACCESSIBLE:
        return f"{units} not accessible"
    return f"{units} not on the ground floor"


def _infeasible(scoring: Scoring, h: int) -> tuple[InfeasibleGroup, ...]:
    problem = scoring.problem
    groups = []
    for r, reason in enumerate(REASONS):
        count = int(scoring.reason_counts[h, r])
        if count == 0:
            continue
        examples = tuple(problem.unit_ids[u] for u in scoring.examples[h, r].tolist() if u >= 0)
        persons = int(problem.fit_persons[h])
        group = problem.groups[int(problem.group[h])]
        message = infeasible_message(reason, count, persons, group)
        groups.append(
            InfeasibleGroup(
                reason,
                count,
                message,
                examples,
                persons=persons if reason is Reason.TOO_SMALL else 0,
                group=group if reason is Reason.TARGET_GROUP else "",
            )
        )
    return tuple(groups)


def _explain(scoring: Scoring, unit_of: dict[str, str]) -> tuple[HouseholdExplanation, ...]:
    problem = scoring.problem
    unit_index = {u: i for i, u in enumerate(problem.unit_ids)}
    occupants: dict[int, list[str]] = {}
    load = np.zeros(len(problem.unit_ids), dtype=np.int64)
    for h, household in enumerate(problem.household_ids):  # input order
        if household in unit_of:
            unit = unit_index[unit_of[household]]
            occupants.setdefault(unit, []).append(household)
            load[unit] += int(problem.fit_persons[h])

    # every pair the explanations show: each household's own unit and its best alternatives
    wanted_h: list[int] = []
    wanted_u: list[int] = []
    for h, household in enumerate(problem.household_ids):
        if household in unit_of:
            wanted_h.append(h)
            wanted_u.append(unit_index[unit_of[household]])
        for pair in scoring.best[h].tolist():
            if pair >= 0:
                wanted_h.append(h)
                wanted_u.append(int(scoring.pair_unit[pair]))
    h_array = np.array(wanted_h, dtype=np.int64)
    u_array = np.array(wanted_u, dtype=np.int64)
    parts = part_values(problem, scoring.weights, h_array, u_array)
    shown = {
        (h, u): parts_of(parts[:, k])
        for k, (h, u) in enumerate(zip(wanted_h, wanted_u, strict=True))
    }
    lines = []
    for h, household in enumerate(problem.household_ids):
        own = unit_index[unit_of[household]] if household in unit_of else -1
        alternatives = tuple(
            Alternative(
                unit=problem.unit_ids[u],
                score=shown[(h, u)],
                taken_by=tuple(occupants.get(u, ())),
            )
            for u in (int(scoring.pair_unit[p]) for p in scoring.best[h].tolist() if p >= 0)
            if u != own
        )[:ALTERNATIVES]
        infeasible = _infeasible(scoring, h)
        feasible = int(scoring.feasible[h])
        if own >= 0:
            score: ScoreParts | None = shown[(h, own)]
            measures = measures_of(problem, h, own)
            outcome = Outcome.PLACED
        else:
            score, measures = None, None
            best = [int(s) for s in scoring.score[scoring.best[h][scoring.best[h] >= 0]]]
            if feasible == 0:
                outcome = Outcome.NO_FEASIBLE_UNIT
            elif not best or max(best) <= 0:
                outcome = Outcome.NO_POSITIVE_SCORE
            else:
                outcome = Outcome.OUTCOMPETED
        with_room = (
            _with_room(problem, h, alternatives, load, unit_index)
            if outcome is Outcome.OUTCOMPETED
            else ()
        )
        message = _message(
            problem, own, outcome, score, alternatives, infeasible, feasible, with_room
        )
        lines.append(
            HouseholdExplanation(
                household=household,
                outcome=outcome,
                unit=problem.unit_ids[own] if own >= 0 else None,
                score=score,
                measures=measures,
                feasible_units=feasible,
                alternatives=alternatives,
                infeasible=infeasible,
                message=message,
                with_room=with_room,
            )
        )
    return tuple(lines)


def _alternative_text(alternative: Alternative) -> str:
    text = f"{alternative.unit} ({alternative.score.total!r}"
    if alternative.taken_by:
        text += f", taken by {', '.join(alternative.taken_by)}"
    return text + ")"


def _with_room(
    problem: ScoringProblem,
    h: int,
    alternatives: tuple[Alternative, ...],
    load: IntArray,
    unit_index: dict[str, int],
) -> tuple[str, ...]:
    """The alternatives with a positive score that still have room for the household."""
    persons = int(problem.fit_persons[h])
    return tuple(
        a.unit
        for a in alternatives
        if a.score.total > 0
        and len(a.taken_by) < int(problem.max_households[unit_index[a.unit]])
        and int(load[unit_index[a.unit]]) + persons
        <= int(problem.max_occupants[unit_index[a.unit]])
    )


def _message(
    problem: ScoringProblem,
    own: int,
    outcome: Outcome,
    score: ScoreParts | None,
    alternatives: tuple[Alternative, ...],
    infeasible: tuple[InfeasibleGroup, ...],
    feasible: int,
    with_room: tuple[str, ...],
) -> str:
    """The English sentence of an explanation, from its codes and parameters."""
    ruled_out = ", ".join(group.message for group in infeasible)
    if outcome is Outcome.PLACED:
        assert score is not None
        text = f"Placed in {problem.unit_ids[own]} with score {score.total!r}."
        if alternatives:
            text += " Best alternatives: " + ", ".join(map(_alternative_text, alternatives)) + "."
        if ruled_out:
            text += f" Not feasible: {ruled_out}."
        return text
    if outcome is Outcome.NO_FEASIBLE_UNIT:
        return f"Not placed: no feasible unit ({ruled_out or 'there are no units'})."
    if outcome is Outcome.NO_POSITIVE_SCORE:
        return f"Not placed: its {_plural(feasible, 'feasible unit')} all score 0 or less."
    best = "its best feasible unit" if len(alternatives) == 1 else "its best feasible units"
    text = (
        f"Not placed: outcompeted; {best}: " + ", ".join(map(_alternative_text, alternatives)) + "."
    )
    if with_room:
        text += (
            f" {', '.join(with_room)} still {'has' if len(with_room) == 1 else 'have'} room: a "
            "side constraint or the optimality gap kept this household out."
        )
    if ruled_out:
        text += f" Not feasible: {ruled_out}."
    return text
