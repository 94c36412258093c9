"""Dutch (translated) sentences for the exchange engine's codes.

The engine explains an infeasible scenario with conflicts: a ``kind`` (``ConflictKind``) with
parameters (municipality, target group, amount). Its English ``reason`` stays the command
line's text; pages say the same through these msgids, with the municipality's name and the
target group's label.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onderdak.common.vocabulary import target_group_label


def _amount(value: float) -> str:
    rounded = round(float(value), 2)
    return number_format(int(rounded) if rounded == int(rounded) else rounded, use_l10n=True)


def conflict_sentence(conflict: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """One conflict of a stored result (``solution["conflicts"]``) as a sentence."""
    kind = conflict.get("kind")
    code = conflict.get("municipality")
    params = {
        "municipality": names.get(code, code) if code else "",
        "group": target_group_label(conflict["group"]) if conflict.get("group") else "",
        "province": conflict.get("province") or "",
        "amount": _amount(conflict.get("amount") or 0),
    }
    amount = float(conflict.get("amount") or 0)
    count = int(amount) if amount == int(amount) else 2  # plural form for fractions
    texts = {
        "hand_off_above_capacity": ngettext(
            "%(municipality)s must provide more %(group)s places than its capacity allows "
            "(%(amount)s place too many, because of the cap on handing off).",
            "%(municipality)s must provide more %(group)s places than its capacity allows "
            "(%(amount)s places too many, because of the cap on handing off).",
            count,
        ),
        "group_capacity": ngettext(
            "The region lacks capacity for %(group)s: %(amount)s place short.",
            "The region lacks capacity for %(group)s: %(amount)s places short.",
            count,
        ),
        "take_over_caps": ngettext(
            "The caps on taking over leave too little room for %(group)s: %(amount)s place short.",
            "The caps on taking over leave too little room for %(group)s: %(amount)s places short.",
            count,
        ),
        # asylum places stay within their province (Spreidingswet)
        "province_capacity": ngettext(
            "The province %(province)s lacks capacity for %(group)s: %(amount)s place short. "
            "These places do not move to another province.",
            "The province %(province)s lacks capacity for %(group)s: %(amount)s places short. "
            "These places do not move to another province.",
            count,
        ),
        "province_take_over_caps": ngettext(
            "The caps on taking over leave too little room for %(group)s in the province "
            "%(province)s: %(amount)s place short. These places do not move to another province.",
            "The caps on taking over leave too little room for %(group)s in the province "
            "%(province)s: %(amount)s places short. These places do not move to another "
            "province.",
            count,
        ),
        "swap_balance": ngettext(
            "In a swap %(municipality)s cannot balance its points: %(amount)s point off.",
            "In a swap %(municipality)s cannot balance its points: %(amount)s points off.",
            count,
        ),
        "fairness_region": _(
            "The fairness bounds cannot hold together in the region (%(amount)s points off)."
        ),
        "fairness_band": _("%(municipality)s cannot meet its fairness band with whole places."),
        "fairness_min": ngettext(
            "%(municipality)s stays %(amount)s point below its fairness minimum.",
            "%(municipality)s stays %(amount)s points below its fairness minimum.",
            count,
        ),
        "fairness_max": ngettext(
            "%(municipality)s goes %(amount)s point above its fairness maximum.",
            "%(municipality)s goes %(amount)s points above its fairness maximum.",
            count,
        ),
        "max_take_over": ngettext(
            "%(municipality)s would have to take over %(amount)s %(group)s place more than "
            "its cap allows.",
            "%(municipality)s would have to take over %(amount)s %(group)s places more than "
            "its cap allows.",
            count,
        ),
        "max_hand_off": ngettext(
            "%(municipality)s would have to hand off %(amount)s %(group)s place more than "
            "its cap allows.",
            "%(municipality)s would have to hand off %(amount)s %(group)s places more than "
            "its cap allows.",
            count,
        ),
        "integrality": _(
            "A fractional allocation would meet every constraint, but no allocation in whole "
            "places does: the points per place cannot make up every municipality's points "
            "exactly."
        ),
    }
    text = texts.get(str(kind))
    if text is None:
        return _("The scenario has no solution (%(kind)s).") % {"kind": kind}
    return text % params


def infeasible_reason(solution: Mapping[str, Any], names: Mapping[str, str]) -> list[str]:
    """The sentences that explain an infeasible result; empty for results stored before the
    engine's conflicts were kept (then the stored English reason is all there is)."""
    return [conflict_sentence(c, names) for c in solution.get("conflicts") or []]


def input_error(error: Any) -> str:
    """An exchange input error (the engine names the JSON path of the value) in Dutch."""
    field = getattr(error, "field", None)
    if field:
        return _("The value at %(field)s is not valid.") % {"field": field}
    return _("The scenario's input is not valid.")


def input_note(code: str) -> str:
    texts = {
        "no_spare_capacity": _(
            "No municipality has capacity above its obligation, so nobody can take over "
            "places: the result is “no transfers”. Enter the capacities first."
        ),
        "no_costs": _(
            "Every cost per place is 0, so every exchange costs the same: the result saves "
            "nothing (€ 0). Enter the costs per place first."
        ),
        "equal_costs": _(
            "For each target group every municipality has the same cost per place, so an "
            "exchange saves nothing."
        ),
    }
    return texts.get(code, code)
