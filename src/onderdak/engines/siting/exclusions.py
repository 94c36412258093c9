"""Hard criteria: which sites are excluded before weighing, and by which rules.

Site selection in practice (PBL 2020 framework for temporary housing locations, Kadaster
Locatiescan, UNHCR site planning) first removes sites that cannot be used at all: a flood risk
zone, inside a noise contour, in or next to Natura 2000, a conflict with the zoning plan
(omgevingsplan) that cannot be bridged, soil contamination, cables and pipes; and sites that are
too small or available too briefly (COA: a minimum term of 6 months). Only the remaining sites
are ranked.

A rule looks at one site fact: ``flag`` rules exclude when the fact is true, ``minimum`` rules
when the value is below the limit, ``maximum`` rules when it is above. Every rule is checked for
every site, so a site's reasons list all rules that exclude it. A missing fact (``None`` or NaN)
cannot exclude: the rule is reported as unknown for that site instead.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np

from onderdak.engines.siting.model import (
    ExclusionReason,
    ExclusionRule,
    Exclusions,
    SitingInputError,
    readonly,
)

#: The flag facts :func:`standard_rules` checks, with their descriptions.
STANDARD_FLAGS: dict[str, str] = {
    "flood_risk": "in a flood risk zone",
    "natura2000": "in or next to a Natura 2000 area",
    "zoning_conflict": "conflicts with the zoning plan",
    "soil_contamination": "contaminated soil",
    "cables_and_pipes": "crossed by cables or pipes",
}
#: COA: reception locations are offered for at least 6 months.
COA_MINIMUM_YEARS = 0.5

Fact = bool | int | float | None


def flag_rule(fact: str, *, name: str | None = None, description: str = "") -> ExclusionRule:
    """Exclude a site when ``fact`` is true."""
    return ExclusionRule(name or fact, "flag", fact, None, description)


def minimum_rule(
    fact: str, limit: float, *, name: str | None = None, description: str = ""
) -> ExclusionRule:
    """Exclude a site when ``fact`` is below ``limit`` (e.g. area in m2, years available)."""
    return ExclusionRule(name or f"minimum_{fact}", "minimum", fact, float(limit), description)


def maximum_rule(
    fact: str, limit: float, *, name: str | None = None, description: str = ""
) -> ExclusionRule:
    """Exclude a site when ``fact`` is above ``limit`` (e.g. noise in dB Lden)."""
    return ExclusionRule(name or f"maximum_{fact}", "maximum", fact, float(limit), description)


def standard_rules(
    *,
    flags: Sequence[str] = ("flood_risk", "natura2000", "zoning_conflict", "soil_contamination"),
    min_area_m2: float | None = None,
    min_years_available: float | None = COA_MINIMUM_YEARS,
    max_noise_db: float | None = None,
) -> tuple[ExclusionRule, ...]:
    """The usual hard criteria: the given flags (facts named as in :data:`STANDARD_FLAGS`),
    ``area_m2 >= min_area_m2``, ``years_available >= min_years_available`` and
    ``noise_db <= max_noise_db`` (each only when its limit is given)."""
    rules = [flag_rule(f, description=STANDARD_FLAGS.get(f, "")) for f in flags]
    if min_area_m2 is not None:
        rules.append(minimum_rule("area_m2", min_area_m2, name="minimum_area"))
    if min_years_available is not None:
        rules.append(minimum_rule("years_available", min_years_available, name="minimum_years"))
    if max_noise_db is not None:
        rules.append(maximum_rule("noise_db", max_noise_db, name="noise_contour"))
    return tuple(rules)


def apply_exclusions(
    facts: Mapping[str, Sequence[Fact]],
    rules: Sequence[ExclusionRule],
    *,
    sites: Sequence[str],
) -> Exclusions:
    """Check every rule on every site; ``facts`` maps a fact name to one value per site.

    Raises :class:`SitingInputError` for a rule whose fact is not given, a fact with the wrong
    number of values, a flag that is not true/false, a value that is not a number, duplicate
    rule names or site ids.
    """
    site_ids = tuple(str(s) for s in sites)
    if len(set(site_ids)) != len(site_ids):
        duplicate = next(s for s in site_ids if site_ids.count(s) > 1)
        raise SitingInputError("duplicate site id", site=duplicate, field="sites")
    names = [rule.name for rule in rules]
    if len(set(names)) != len(names):
        duplicate = next(n for n in names if names.count(n) > 1)
        raise SitingInputError(f"duplicate rule name '{duplicate}'", field="rules")
    count = len(site_ids)
    reasons: list[list[ExclusionReason]] = [[] for _ in range(count)]
    unknown: list[list[str]] = [[] for _ in range(count)]
    for rule in rules:
        values = _values(facts, rule, count)
        for index, (site, value) in enumerate(zip(site_ids, values, strict=True)):
            reason = _check(rule, site, value)
            if isinstance(reason, ExclusionReason):
                reasons[index].append(reason)
            elif reason == "unknown":
                unknown[index].append(rule.name)
    excluded = np.array([bool(r) for r in reasons], dtype=np.bool_)
    return Exclusions(
        sites=site_ids,
        rules=tuple(rules),
        excluded=readonly(excluded),
        reasons=tuple(tuple(r) for r in reasons),
        unknown=tuple(tuple(u) for u in unknown),
    )


def _values(facts: Mapping[str, Sequence[Fact]], rule: ExclusionRule, count: int) -> list[Fact]:
    if rule.kind not in ("flag", "minimum", "maximum"):
        raise SitingInputError(f"unknown rule kind {rule.kind!r}", field=f"rule {rule.name}")
    if rule.kind != "flag" and (rule.limit is None or not math.isfinite(rule.limit)):
        raise SitingInputError("needs a finite limit", field=f"rule {rule.name}")
    if rule.fact not in facts:
        raise SitingInputError(f"fact '{rule.fact}' is not given", field=f"rule {rule.name}")
    values = list(facts[rule.fact])
    if len(values) != count:
        raise SitingInputError(f"{len(values)} values for {count} sites", field=f"fact {rule.fact}")
    return values


def _check(
    rule: ExclusionRule, site: str, value: Fact
) -> ExclusionReason | Literal["unknown"] | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "unknown"
    if rule.kind == "flag":
        if not isinstance(value, bool | np.bool_) and value not in (0, 1):
            raise SitingInputError(
                f"must be true or false, not {value!r}", site=site, field=rule.fact
            )
        if not bool(value):
            return None
        message = rule.description or f"{rule.fact} is true"
        return ExclusionReason(rule.name, rule.fact, True, None, message)
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise SitingInputError(f"must be a number, not {value!r}", site=site, field=rule.fact)
    number = float(value)
    if not math.isfinite(number):
        raise SitingInputError(
            f"must be a finite number, not {value!r}", site=site, field=rule.fact
        )
    assert rule.limit is not None
    if rule.kind == "minimum" and number < rule.limit:
        text = f"{rule.fact} {number:g} is below the minimum {rule.limit:g}"
    elif rule.kind == "maximum" and number > rule.limit:
        text = f"{rule.fact} {number:g} is above the maximum {rule.limit:g}"
    else:
        return None
    message = f"{rule.description}: {text}" if rule.description else text
    return ExclusionReason(rule.name, rule.fact, number, rule.limit, message)
