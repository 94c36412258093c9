"""The JSON file contract of ``onderdak exchange solve`` as plain Python values.

The engine's own API is typed (:class:`Scenario` in, :class:`ExchangeResult` out). These
functions convert to and from the documented JSON form (``docs/engines/exchange.md``) so that
the command line and the web application store and print exactly the same documents, and a
stored scenario can be re-run from the command line:

* :func:`scenario_from_mapping` (in ``validate``): parsed JSON -> :class:`Scenario`;
* :func:`scenario_to_mapping`: :class:`Scenario` -> the input document;
* :func:`result_to_mapping`: :class:`ExchangeResult` -> the output document (keys in contract
  order: status, reason, total_cost, baseline_cost, provided, prices, compensation, transfers);
* :func:`explanation_to_mapping`: the per-municipality explanation (not part of the CLI output).

Number formatting: places are integers; a cost is an integer when every cost_per_place was an
integer (the exact :class:`~decimal.Decimal` sum then has no decimals), else a float; prices
and compensation are rounded to cents and written as an integer when whole, else as a float.
A ``within_province`` group's price is an object with one price per province (in order of
first appearance in ``municipalities``), e.g. ``{"Noord-Holland": 32000, "Utrecht": 27000}``.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from onderdak.engines.exchange.model import (
    ExchangeResult,
    Number,
    Scenario,
)
from onderdak.engines.exchange.validate import prepare


def money(value: Decimal) -> int | float:
    """A cost: an integer when the exact sum has no decimals (integer inputs), else a float."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= 0:
        return int(value)
    return float(value)


def cents(value: Decimal) -> int | float:
    """An amount already rounded to cents: an integer when whole, else a float."""
    return int(value) if value == value.to_integral_value() else float(value)


def plain(value: Number) -> int | float:
    """A number as JSON writes it: whole numbers as integers."""
    if isinstance(value, int):
        return value
    exact = Fraction(value) if not isinstance(value, float) else Fraction(repr(value))
    return int(exact) if exact.denominator == 1 else float(exact)


def result_to_mapping(
    result: ExchangeResult, *, per_province_prices: bool = False
) -> dict[str, object]:
    """The output document of ``onderdak exchange solve`` (see the module doc).

    ``prices[group]`` is a number for every group, as the command-line contract has it; for a
    ``within_province`` group that is the highest of its provinces' prices. With
    ``per_province_prices`` (the app's stored solution) such a group's price is an object with
    one price per province instead."""
    provided: dict[str, dict[str, int]] = {}
    if result.provided is not None:
        for code, row in zip(result.codes, result.provided.tolist(), strict=True):
            provided[code] = dict(zip(result.groups, row, strict=True))
    prices: dict[str, int | float | dict[str, int | float]] = {}
    if result.prices is not None:
        for group, price in zip(result.groups, result.prices, strict=True):
            per_province = result.province_prices.get(group)
            if per_province is None or not per_province_prices:
                prices[group] = cents(price)
            else:
                prices[group] = {province: cents(p) for province, p in per_province}
    compensation: dict[str, int | float] = {}
    if result.compensation is not None:
        compensation = {
            code: cents(amount)
            for code, amount in zip(result.codes, result.compensation, strict=True)
        }
    return {
        "status": result.status.value,
        "reason": result.reason,
        "total_cost": None if result.total_cost is None else money(result.total_cost),
        "baseline_cost": None if result.baseline_cost is None else money(result.baseline_cost),
        "provided": provided,
        "prices": prices,
        "compensation": compensation,
        "transfers": [
            {"from": t.from_code, "to": t.to_code, "group": t.group, "places": t.places}
            for t in result.transfers
        ],
    }


def explanation_to_mapping(result: ExchangeResult) -> list[dict[str, object]]:
    """One document per municipality (input order); empty when the result is infeasible."""
    groups = result.groups
    return [
        {
            "code": line.code,
            "population": line.population,
            "obligation": dict(zip(groups, line.obligation, strict=True)),
            "provided": dict(zip(groups, line.provided, strict=True)),
            "handed_off": dict(zip(groups, line.handed_off, strict=True)),
            "taken_over": dict(zip(groups, line.taken_over, strict=True)),
            "owed_points": plain(line.owed_points),
            "provided_points": plain(line.provided_points),
            "load_ratio": line.load_ratio,
            "cost": money(line.cost),
            "baseline_cost": money(line.baseline_cost),
            "compensation": cents(line.compensation),
            "bindings": [
                {"kind": binding.kind.value, "group": binding.group} for binding in line.bindings
            ],
        }
        for line in result.municipalities
    ]


def scenario_to_mapping(scenario: Scenario) -> dict[str, object]:
    """The input document for ``scenario`` (validated first; caps only where given)."""
    problem = prepare(scenario)
    municipalities: list[dict[str, object]] = []
    for municipality in scenario.municipalities:
        item: dict[str, object] = {
            "code": municipality.code,
            "population": municipality.population,
            "obligation": {g: int(municipality.obligation[g]) for g in problem.groups},
            "capacity": {g: int(municipality.capacity[g]) for g in problem.groups},
            "cost_per_place": {g: plain(municipality.cost_per_place[g]) for g in problem.groups},
        }
        for name, caps in (
            ("max_take_over", municipality.max_take_over),
            ("max_hand_off", municipality.max_hand_off),
        ):
            given = {g: int(value) for g in problem.groups if (value := caps.get(g)) is not None}
            if given:
                item[name] = given
        if any(problem.within) and municipality.province is not None:
            item["province"] = municipality.province
        municipalities.append(item)
    document: dict[str, object] = {
        "mode": problem.mode.value,
        "groups": {
            g: {"points": plain(p), **({"within_province": True} if within else {})}
            for g, p, within in zip(problem.groups, problem.points, problem.within, strict=True)
        },
        "municipalities": municipalities,
    }
    if scenario.fairness is not None:
        fairness: dict[str, object] = {"min_ratio": plain(problem.min_ratio)}
        if problem.max_ratio is not None:
            fairness["max_ratio"] = plain(problem.max_ratio)
        document["fairness"] = fairness
    return document
