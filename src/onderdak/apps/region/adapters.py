"""ORM <-> exchange engine. The engine's input and output have the same shape as the
``onderdak exchange solve`` file contract (docs/engines/exchange.md), so a stored result can be
re-run from the command line with the stored input.

Asylum places (asylum seekers and unaccompanied minors) stay within their province: the
Spreidingswet (Wet gemeentelijke taak mogelijk maken asielopvangvoorzieningen) distributes them
per province under the Commissaris van de Koning, so the scenario marks these groups
``within_province`` and gives every municipality its province (the name from the reference
data). Status-holder quotas may move between any municipalities (art. 29(2) Huisvestingswet
2014), so that group is not marked.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from onderdak.common.vocabulary import TargetGroup

from .models import Scenario

if TYPE_CHECKING:
    from onderdak.engines import exchange

#: Target groups whose places never cross a provincial border (Spreidingswet).
WITHIN_PROVINCE = frozenset({TargetGroup.ASYLUM_SEEKER.value, TargetGroup.UAM.value})


def scenario_as_input(scenario: Scenario) -> dict[str, Any]:
    """The scenario in the contract's input form (plain JSON types)."""
    groups = list(scenario.groups.order_by("order", "pk"))
    entries: dict[tuple[int, str], Any] = {
        (e.municipality_id, e.target_group): e for e in scenario.entries.all()
    }
    municipalities = []
    within = any(g.target_group in WITHIN_PROVINCE for g in groups)
    members = scenario.members.select_related("municipality__province")
    for member in members.order_by("municipality__code"):
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
        if within:
            item["province"] = member.municipality.province.name
        municipalities.append(item)
    data: dict[str, Any] = {
        "mode": scenario.mode,
        "groups": {g.target_group: _group(g.target_group, g.points) for g in groups},
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


def _group(target_group: str, points: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {"points": _number(points)}
    if target_group in WITHIN_PROVINCE:
        spec["within_province"] = True
    return spec


def price_of(prices: Any, group: str, province: str | None) -> Decimal:
    """The clearing price of ``group`` from a stored ``solution["prices"]``: a number, or for a
    within_province group one price per province (the province of the municipalities that
    deal; a deal of such a group never crosses a province)."""
    value = (prices or {}).get(group, 0)
    if isinstance(value, dict):
        value = value.get(province, 0) if province is not None else 0
    return Decimal(str(value))


def province_totals(data: Any, solution: Any) -> list[dict[str, Any]]:
    """Per within_province group and province: obligation and places provided (input order of
    the groups, provinces in order of first appearance); empty when the scenario lies in one
    province or the result is not optimal."""
    groups = [
        g for g, spec in (data.get("groups") or {}).items() if (spec or {}).get("within_province")
    ]
    members = data.get("municipalities") or []
    provinces = list(dict.fromkeys(str(m.get("province")) for m in members if m.get("province")))
    provided = solution.get("provided") or {}
    if len(provinces) < 2 or not groups or not provided:
        return []
    rows = []
    for group in groups:
        for province in provinces:
            inside = [m for m in members if m.get("province") == province]
            rows.append(
                {
                    "group": group,
                    "province": province,
                    "obligation": sum(int(m["obligation"][group]) for m in inside),
                    "provided": sum(
                        int((provided.get(m["code"]) or {}).get(group, 0)) for m in inside
                    ),
                }
            )
    return rows


def _number(value: Any) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


def problem_from_scenario(scenario: Scenario) -> exchange.Scenario:
    """The engine's (validated) scenario; raises ``ExchangeInputError`` naming the field."""
    from onderdak.engines import exchange

    return exchange.scenario_from_mapping(scenario_as_input(scenario))


def problem_as_dict(problem: exchange.Scenario) -> dict[str, Any]:
    from onderdak.engines import exchange

    return dict(exchange.scenario_to_mapping(problem))


def solve(problem: exchange.Scenario) -> dict[str, Any]:
    """The engine's answer in the contract's output form, plus the per-municipality explanation
    keyed by municipality code."""
    from onderdak.engines import exchange

    result = exchange.optimise(problem)
    output: dict[str, Any] = dict(exchange.result_to_mapping(result, per_province_prices=True))
    output["conflicts"] = [
        {
            "kind": conflict.kind.value,
            "municipality": conflict.municipality,
            "group": conflict.group,
            "amount": conflict.amount,
            "source": conflict.source,
            **({"province": conflict.province} if conflict.province is not None else {}),
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
