"""The placement engine's explanations in the user's language.

The engine explains every outcome with codes and parameters (``Outcome``, ``Reason`` with the
count of units, the persons they must fit and the target group, the alternatives that still
have room) and an English sentence for its command line. The adapter stores the codes with the
proposal; the functions here render them with ``gettext``/``ngettext`` (target groups by their
label), so a Dutch page never shows the engine's English or a target-group code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from onderdak.common.vocabulary import target_group_label

#: How a part of the score is called on the page (engine code -> label).
PART_LABELS = {
    "base": gettext_lazy("base"),
    "waiting": gettext_lazy("waiting time"),
    "urgency": gettext_lazy("urgency"),
    "space": gettext_lazy("space per person"),
    "rooms": gettext_lazy("rooms"),
    "distance": gettext_lazy("distance to school/work"),
    "preference": gettext_lazy("preference"),
}
#: Labels stored by earlier versions (Dutch words as keys), read as the engine's codes.
_OLD_PART_KEYS = {
    "basis": "base",
    "wachttijd": "waiting",
    "urgentie": "urgency",
    "ruimte per persoon": "space",
    "kamers": "rooms",
    "afstand tot school/werk": "distance",
    "voorkeur": "preference",
}


def part_label(key: str) -> str:
    code = _OLD_PART_KEYS.get(key, key)
    return str(PART_LABELS.get(code, key))


def _join(items: Sequence[str]) -> str:
    return ", ".join(items)


def infeasible_text(item: Mapping[str, Any] | str) -> str:
    """``3 wooneenheden te klein (minder dan 8 plaatsen)`` and the like (a text stored by an
    earlier version is shown as it is)."""
    if isinstance(item, str):
        return item
    count = int(item.get("count", 0))
    reason = item.get("reason")
    if reason == "target_group":
        return ngettext(
            "%(count)d unit not open to %(group)s",
            "%(count)d units not open to %(group)s",
            count,
        ) % {"count": count, "group": target_group_label(str(item.get("group", "")))}
    if reason == "too_small":
        return ngettext(
            "%(count)d unit too small (fewer than %(persons)d places)",
            "%(count)d units too small (fewer than %(persons)d places)",
            count,
        ) % {"count": count, "persons": int(item.get("persons", 0))}
    if reason == "not_accessible":
        return ngettext(
            "%(count)d unit not accessible", "%(count)d units not accessible", count
        ) % {"count": count}
    if reason == "not_ground_floor":
        return ngettext(
            "%(count)d unit not on the ground floor",
            "%(count)d units not on the ground floor",
            count,
        ) % {"count": count}
    return str(item.get("message", reason))


def infeasible_texts(items: Sequence[Any]) -> list[str]:
    return [infeasible_text(item) for item in items]


def unplaced_text(item: Mapping[str, Any]) -> str:
    """Why a household was not placed, from the outcome code and its parameters."""
    outcome = item.get("outcome")
    reasons = _join(infeasible_texts(item.get("infeasible", [])))
    if outcome == "no_feasible_unit":
        if reasons:
            return _("No suitable unit: %(reasons)s.") % {"reasons": reasons}
        return _("No suitable unit: there are no free units.")
    if outcome == "no_positive_score":
        count = int(item.get("feasible", 0))
        return ngettext(
            "Its %(count)d suitable unit scores 0 or less.",
            "Its %(count)d suitable units all score 0 or less.",
            count,
        ) % {"count": count}
    if outcome == "outcompeted":
        alternatives = [str(unit) for unit in item.get("alternatives", [])]
        text = ngettext(
            "Other households were placed in its best suitable unit: %(units)s.",
            "Other households were placed in its best suitable units: %(units)s.",
            len(alternatives),
        ) % {"units": _join(alternatives)}
        with_room = [str(unit) for unit in item.get("with_room", [])]
        if with_room:
            text += " " + ngettext(
                "%(units)s still has room: a share requirement or the optimality gap kept "
                "this household out.",
                "%(units)s still have room: a share requirement or the optimality gap kept "
                "this household out.",
                len(with_room),
            ) % {"units": _join(with_room)}
        if reasons:
            text += " " + _("Not suitable: %(reasons)s.") % {"reasons": reasons}
        return text
    # proposals stored before the engine gave codes
    return str(item.get("reason", ""))
