"""ORM <-> exchange engine. The engine's input and output have the same shape as the
``onderdak exchange solve`` file contract (docs/engines/exchange.md), so a stored result can be
re-run from the command line with the stored input."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from onderdak.engines import exchange

from .models import Scenario


def scenario_as_input(scenario: Scenario) -> dict[str, Any]:
    """The scenario in the contract's input form (plain JSON types)."""
    groups = list(scenario.groups.order_by("order", "pk"))
    entries: dict[tuple[int, str], Any] = {
        (e.municipality_id, e.target_group): e for e in scenario.entries.all()
    }
    municipalities = []
    for member in scenario.members.select_related("municipality").order_by("municipality__code"):
        rows = [entries[(member.municipality_id, g.target_group)] for g in groups]
        item: dict[str, Any] = {
            "code": member.municipality.code,
            "population": member.population,
            "obligation": {g.target_group: e.obligation for g, e in zip(groups, rows, strict=True)},
            "capacity": {g.target_group: e.capacity for g, e in zip(groups, rows, strict=True)},
            "cost_per_place": {
                g.target_group: _number(e.cost_per_place) for g, e in zip(groups, rows, strict=True)
            },
        }
        take = {
            g.target_group: e.max_take_over
            for g, e in zip(groups, rows, strict=True)
            if e.max_take_over is not None
        }
        hand = {
            g.target_group: e.max_hand_off
            for g, e in zip(groups, rows, strict=True)
            if e.max_hand_off is not None
        }
        if take:
            item["max_take_over"] = take
        if hand:
            item["max_hand_off"] = hand
        municipalities.append(item)
    data: dict[str, Any] = {
        "mode": scenario.mode,
        "groups": {g.target_group: {"points": _number(g.points)} for g in groups},
        "municipalities": municipalities,
    }
    if scenario.fairness_min_ratio is not None or scenario.fairness_max_ratio is not None:
        fairness: dict[str, float] = {}
        if scenario.fairness_min_ratio is not None:
            fairness["min_ratio"] = scenario.fairness_min_ratio
        if scenario.fairness_max_ratio is not None:
            fairness["max_ratio"] = scenario.fairness_max_ratio
        data["fairness"] = fairness
    return data


def _number(value: Any) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


def problem_from_scenario(scenario: Scenario) -> exchange.Scenario:
    """The engine's (validated) scenario; raises ``ExchangeInputError`` naming the field."""
    return exchange.scenario_from_mapping(scenario_as_input(scenario))


def problem_as_dict(problem: exchange.Scenario) -> dict[str, Any]:
    return dict(exchange.scenario_to_mapping(problem))


def solve(problem: exchange.Scenario) -> dict[str, Any]:
    """The engine's answer in the contract's output form, plus the per-municipality explanation
    keyed by municipality code."""
    result = exchange.optimise(problem)
    output: dict[str, Any] = dict(exchange.result_to_mapping(result))
    output["conflicts"] = [
        {
            "kind": conflict.kind.value,
            "municipality": conflict.municipality,
            "group": conflict.group,
            "amount": conflict.amount,
            "source": conflict.source,
        }
        for conflict in result.conflicts
    ]
    output["explanation"] = {
        str(item.get("code")): item
        for item in exchange.explanation_to_mapping(result)
        if isinstance(item, dict)
    }
    return output


def money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))
