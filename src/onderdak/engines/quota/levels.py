"""Two-stage apportionment: first over groups (provinces), then within each group.

The Spreidingswet works this way: the national number is first split over the twelve provinces,
whose regietafels then agree the split over their municipalities (Spreidingswet, 2024). A
two-stage split can differ from apportioning directly over all municipalities, because rounding
happens twice; :func:`apportion_in_two_stages` reports both and the difference per unit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType

import numpy as np

from onderdak.engines.quota.apportion import WeightsLike, apportion
from onderdak.engines.quota.model import (
    Apportionment,
    Method,
    QuotaInputError,
    TwoStageApportionment,
    readonly,
)


def apportion_in_two_stages(
    weights: Mapping[str, float],
    groups: Mapping[str, str],
    total: int,
    *,
    method: Method | str = Method.HAMILTON,
    group_method: Method | str | None = None,
) -> TwoStageApportionment:
    """Apportion ``total`` to groups by summed weight, then each group's quota within it.

    ``groups`` maps every unit code to its group code. Groups are ordered by code (the tie rule
    prefers the earlier group); units keep their input order. ``group_method`` defaults to
    ``method``. Raises :class:`QuotaInputError` for a unit without a group and for any invalid
    weight or total.
    """
    direct = apportion(weights, total, method=method)
    members: dict[str, list[str]] = {}
    for code in direct.codes:
        if code not in groups:
            raise QuotaInputError("no group", unit=code, field="group")
        members.setdefault(groups[code], []).append(code)
    group_codes = sorted(members)
    group_weights: WeightsLike = {
        group: math.fsum(weights[code] for code in members[group]) for group in group_codes
    }
    first = apportion(group_weights, total, method=group_method or method)
    within: dict[str, Apportionment] = {}
    combined: dict[str, int] = {}
    for group in group_codes:
        part = apportion(
            {code: weights[code] for code in members[group]},
            first.quota_of(group),
            method=method,
        )
        within[group] = part
        combined.update(part.as_dict())
    quotas = np.array([combined[code] for code in direct.codes], dtype=np.int64)
    return TwoStageApportionment(
        codes=direct.codes,
        groups=first,
        within=MappingProxyType(within),
        quotas=readonly(quotas),
        direct=direct,
        difference=readonly(quotas - direct.quotas),
    )
