"""Reads of the decision log, limited to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from onderdak.apps.accounts.selectors import scope, user_organisations

from .models import Decision, Track


def decision_list(*, user: Any) -> QuerySet[Decision]:
    return scope(Decision.objects.select_related("organisation"), user)


def decision_get(*, user: Any, pk: int) -> Decision:
    """Raises ``Decision.DoesNotExist`` for records the user may not see (no existence leak)."""
    return decision_list(user=user).get(pk=pk)


# --- progress per policy goal (quarterly letter, programme overview) ---------------------------


@dataclass(frozen=True)
class Signal:
    """The progress of one policy goal of a track with a traffic light ("green", "amber",
    "red", or "grey" when there is nothing to judge), a one-line summary and the page behind it."""

    track: str
    goal: str
    light: str
    summary: str
    url: str


def _worst(lights: list[str]) -> str:
    for light in ("red", "amber", "green"):
        if light in lights:
            return light
    return "grey"


def _quota_signals(organisation: Any, on: date) -> list[Signal]:
    from onderdak.apps.quotas.selectors import balances

    if organisation.municipality_id is None:
        return []
    result = []
    for balance in balances(municipality=organisation.municipality, today=on):
        if balance.pace is None:
            continue
        result.append(
            Signal(
                track=Track.OVERALL,
                goal=_("Quota %(group)s") % {"group": balance.label},
                light=balance.pace.light,
                summary=_("%(realised)s realised, %(expected)s expected by now")
                % {
                    "realised": balance.pace.realised,
                    "expected": round(balance.pace.expected),
                },
                url=reverse("quotas:overview"),
            )
        )
    return result


def _housing_signals(user: Any, organisation_id: int, on: date) -> list[Signal]:
    from onderdak.apps.housing.selectors import complex_list, occupied_units_on, warnings_for

    complexes = list(complex_list(user=user).filter(organisation_id=organisation_id))
    if not complexes:
        return []
    units, occupied = occupied_units_on(complexes=complexes, on=on)
    lights: list[str] = []
    warnings = 0
    for item in complexes:
        found = warnings_for(item, today=on)
        warnings += len(found)
        lights.extend(w.level for w in found)
    url = reverse("housing:complex_list")
    return [
        Signal(
            track=Track.FLEX_HOMES,
            goal=_("Occupancy of the flex homes"),
            light="green" if units and occupied / units >= 0.9 else "amber",
            summary=_("%(occupied)s of %(units)s units occupied")
            % {"occupied": occupied, "units": units},
            url=url,
        ),
        Signal(
            track=Track.FLEX_HOMES,
            goal=_("Permits and contracts"),
            light=_worst(lights) if lights else "green",
            summary=_("%(count)s warnings about permits or contracts") % {"count": warnings},
            url=url,
        ),
    ]


def _site_signals(user: Any, organisation_id: int) -> list[Signal]:
    from onderdak.apps.sites.selectors import site_list, stage_counts

    counts = stage_counts(sites=site_list(user=user).filter(organisation_id=organisation_id))
    active = {k: v for k, v in counts.items() if k not in ("closed", "rejected")}
    if not active:
        return [
            Signal(
                Track.TEMPORARY_HOUSING,
                str(_("Sites in the pipeline")),
                "grey",
                str(_("No sites in the pipeline")),
                reverse("sites:list"),
            )
        ]
    advanced = sum(active.get(k, 0) for k in ("decision", "realisation", "in_use"))
    return [
        Signal(
            track=Track.TEMPORARY_HOUSING,
            goal=_("Sites in the pipeline"),
            light="green" if advanced else "amber",
            summary=_("%(count)s sites in the pipeline, %(advanced)s decided or further")
            % {"count": sum(active.values()), "advanced": advanced},
            url=reverse("sites:list"),
        )
    ]


def _care_signals(user: Any, organisation: Any) -> list[Signal]:
    from onderdak.apps.care.selectors import gap_list

    gaps = list(gap_list(user=user, organisation=organisation))
    missing = sum(1 for g in gaps if g.status == "missing")
    temporary = len(gaps) - missing
    return [
        Signal(
            track=Track.CARE,
            goal=_("Care and support covered"),
            light="red" if missing else ("amber" if temporary else "green"),
            summary=_("%(missing)s services missing, %(temporary)s arranged temporarily")
            % {"missing": missing, "temporary": temporary},
            url=reverse("care:overview"),
        )
    ]


def track_signals(*, user: Any, organisation_id: int, on: date) -> list[Signal]:
    """Per track the progress of its policy goals, with traffic lights taken from the other
    modules through their selectors: quota pace (quotas), occupancy and permit/contract
    warnings (housing), sites per stage (sites), care gaps (care coverage). Empty when the
    user is not a member of the organisation."""
    organisation = user_organisations(user).filter(pk=organisation_id).first()
    if organisation is None:
        return []
    return [
        *_quota_signals(organisation, on),
        *_care_signals(user, organisation),
        *_housing_signals(user, organisation_id, on),
        *_site_signals(user, organisation_id),
    ]
