"""Writes for flex homes and placement. Every write is validated, audited and atomic; a
placement of a status holder is recorded as a quota realisation through ``quotas.services``."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onderdak.apps.accounts.selectors import (
    require_change,
    require_create_in,
)
from onderdak.apps.audit.services import (
    audit_record,
    audited_create,
    audited_update,
    require_editable,
    snapshot,
)
from onderdak.apps.quotas import services as quota_services
from onderdak.common.vocabulary import TargetGroup, target_group_label

from . import adapters, selectors
from .models import (
    Complex,
    Household,
    HouseholdStatus,
    Placement,
    Unit,
    UnitStatus,
    UnitStatusChange,
)

if TYPE_CHECKING:
    from onderdak.apps.accounts.models import Organisation
    from onderdak.engines.placement import Reason

#: Target groups whose placements count as realisations of a quota (persons housed).
QUOTA_GROUPS = frozenset({TargetGroup.STATUS_HOLDER})
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud
#: How far ahead a move-out may be registered (days after today): a departure agreed for the
#: coming three months, not a guess about next year.
MOVE_OUT_MAX_DAYS_AHEAD = 92


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


COMPLEX_FIELDS = (
    "name",
    "kind",
    "site",
    "address",
    "longitude",
    "latitude",
    "owner",
    "manager",
    "permit_kind",
    "permit_start",
    "permit_end",
    "subsidy_min_share",
    "subsidy_groups",
    "subsidy_until",
    "planned_relocation",
    "relocated_units",
    "relocated_on",
    "new_build_cost_per_unit",
    "notes",
    "shared",
)


@transaction.atomic
def complex_create(*, actor: Any, organisation: Organisation, **fields: Any) -> Complex:
    require_create_in(actor, organisation)
    require_editable(fields, COMPLEX_FIELDS)
    complex = Complex(organisation=organisation, **fields)
    audited_create(actor=actor, instance=complex)
    return complex


@transaction.atomic
def complex_update(*, actor: Any, complex: Complex, **changes: Any) -> Complex:
    require_change(actor, complex)
    audited_update(actor=actor, instance=complex, changes=changes, allowed=COMPLEX_FIELDS)
    return complex


@transaction.atomic
def units_add(
    *,
    actor: Any,
    complex: Complex,
    count: int,
    rooms: int,
    area_m2: int,
    max_occupants: int,
    first_number: int = 1,
    accessible: int = 0,
    ground_floor: int | None = None,
    target_groups: list[str] | None = None,
) -> list[Unit]:
    """Add ``count`` identical units numbered from ``first_number``; the first ``accessible`` are
    accessible; the first ``ground_floor`` (default all) are on the ground floor, the rest on 1."""
    require_change(actor, complex)
    if count < 1:
        raise ValidationError({"count": _("Add at least one unit.")})
    if first_number < 1:
        raise ValidationError({"first_number": _("Unit numbers start at 1.")})
    wanted = {str(first_number + index) for index in range(count)}
    taken = sorted(
        set(
            Unit.objects.filter(complex=complex, number__in=wanted).values_list("number", flat=True)
        ),
        key=int,
    )
    if taken:
        raise ValidationError(
            {
                "first_number": ngettext(
                    "Unit number %(numbers)s already exists in this complex; the next free "
                    "number is %(next)d.",
                    "Unit numbers %(numbers)s already exist in this complex; the next free "
                    "number is %(next)d.",
                    len(taken),
                )
                % {
                    "numbers": ", ".join(taken),
                    "next": selectors.next_unit_number(complex=complex),
                }
            }
        )
    ground = count if ground_floor is None else ground_floor
    units = []
    for index in range(count):
        unit = Unit(
            complex=complex,
            number=str(first_number + index),
            rooms=rooms,
            area_m2=area_m2,
            max_occupants=max_occupants,
            accessible=index < accessible,
            floor=0 if index < ground else 1,
            target_groups=target_groups or [],
        )
        unit.full_clean()
        units.append(unit)
    Unit.objects.bulk_create(units)
    audit_record(actor=actor, action="update", instance=complex, after={"units_added": count})
    return units


@transaction.atomic
def unit_set_status(
    *, actor: Any, unit: Unit, status: str, reason: str = "", on: date | None = None
) -> Unit:
    require_change(actor, unit.complex)
    if status not in UnitStatus.values:
        raise ValidationError({"status": _("Unknown status %(status)s.") % {"status": status}})
    if status == unit.status:
        return unit
    if unit.status == UnitStatus.OCCUPIED and unit.placements.filter(end=None).exists():
        raise ValidationError({"status": _("The unit is occupied; end the placement first.")})
    before = snapshot(unit)
    _record_unit_status(actor, unit, status, on or timezone.localdate(), reason)
    audit_record(actor=actor, action="update", instance=unit, before=before, after=snapshot(unit))
    return unit


def _record_unit_status(actor: Any, unit: Unit, status: str, day: date, reason: str) -> None:
    """Write the unit's new status and its history line (callers audit the change they make)."""
    UnitStatusChange.objects.create(
        unit=unit,
        from_status=unit.status,
        to_status=status,
        date=day,
        reason=reason,
        user=_user(actor),
    )
    unit.status = status
    unit.save(update_fields=["status"])


def new_code(organisation: Organisation) -> str:
    """A fresh pseudonymous household code such as ``HH-7FK3Q`` (not derived from anything)."""
    while True:
        code = "HH-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(5))
        if not Household.objects.filter(organisation=organisation, code=code).exists():
            return code


HOUSEHOLD_FIELDS = (
    "target_group",
    "adults",
    "minors_0_3",
    "minors_4_11",
    "minors_12_17",
    "needs_accessible",
    "needs_ground_floor",
    "needs_medical",
    "urgency",
    "tie_x",
    "tie_y",
    "reunification_persons",
    "reunification_date",
    "waiting_since",
    "shared",
)


@transaction.atomic
def household_create(*, actor: Any, organisation: Organisation, **fields: Any) -> Household:
    require_create_in(actor, organisation)
    require_editable(fields, HOUSEHOLD_FIELDS)
    household = Household(organisation=organisation, code=new_code(organisation), **fields)
    audited_create(actor=actor, instance=household)
    return household


@transaction.atomic
def household_update(*, actor: Any, household: Household, **changes: Any) -> Household:
    require_change(actor, household)
    audited_update(actor=actor, instance=household, changes=changes, allowed=HOUSEHOLD_FIELDS)
    return household


def _reason_text(reason: Reason, household: Household, unit: Unit) -> str:
    from onderdak.engines.placement import Reason

    if reason is Reason.TARGET_GROUP:
        return _("unit %(unit)s is not meant for %(group)s") % {
            "unit": unit,
            "group": target_group_label(household.target_group),
        }
    if reason is Reason.TOO_SMALL:
        return ngettext(
            "unit %(unit)s is too small (%(count)d place)",
            "unit %(unit)s is too small (%(count)d places)",
            unit.max_occupants,
        ) % {"unit": unit, "count": unit.max_occupants}
    if reason is Reason.NOT_ACCESSIBLE:
        return _("unit %(unit)s is not accessible") % {"unit": unit}
    return _("unit %(unit)s is not on the ground floor") % {"unit": unit}


def placement_problems(household: Household, unit: Unit) -> list[str]:
    """Why this household cannot move into this unit now (empty when it can): the engine's hard
    constraints (``check_pair``: target group, size, accessibility, ground floor) and what only
    the database knows (the household waits, the unit is available and has room, both belong to
    the same organisation)."""
    from onderdak.engines.placement import Reason

    problems = []
    if household.status != HouseholdStatus.WAITING:
        problems.append(
            _("household %(code)s is not waiting (status %(status)s)")
            % {"code": household.code, "status": household.get_status_display()}
        )
    if unit.status not in (UnitStatus.VACANT, UnitStatus.RESERVED, UnitStatus.OCCUPIED):
        problems.append(
            _("unit %(unit)s is not available (%(status)s)")
            % {"unit": unit, "status": unit.get_status_display()}
        )
    current = list(unit.placements.filter(end=None).select_related("household"))
    if len(current) >= unit.max_households:
        problems.append(
            ngettext(
                "unit %(unit)s already houses %(count)d household",
                "unit %(unit)s already houses %(count)d households",
                len(current),
            )
            % {"unit": unit, "count": len(current)}
        )
    reasons = adapters.pair_reasons(household, unit, today=timezone.localdate())
    occupants = sum(p.household.persons for p in current)
    if (
        current
        and Reason.TOO_SMALL not in reasons
        and occupants + household.persons > unit.max_occupants
    ):
        reasons = (*reasons, Reason.TOO_SMALL)
    problems.extend(_reason_text(reason, household, unit) for reason in reasons)
    if household.organisation_id != unit.complex.organisation_id:
        problems.append(_("the household and the unit belong to different organisations"))
    return problems


@transaction.atomic
def placement_create(
    *,
    actor: Any,
    household: Household,
    unit: Unit,
    start: date | None = None,
    score: float | None = None,
) -> Placement:
    """Place a waiting household in a unit; a status holder's placement is a quota realisation."""
    require_change(actor, household, unit.complex)
    household = Household.objects.select_for_update().get(pk=household.pk)
    unit = Unit.objects.select_for_update().select_related("complex").get(pk=unit.pk)
    problems = placement_problems(household, unit)
    if problems:
        raise ValidationError(problems)
    day = start or timezone.localdate()
    placement = Placement.objects.create(household=household, unit=unit, start=day, score=score)
    if household.target_group in QUOTA_GROUPS:
        realisation = quota_services.realisation_create(
            actor=actor,
            organisation=household.organisation,
            target_group=household.target_group,
            date=day,
            amount=household.persons,
            unit="persons",
            # the placement's number only: a household code is personal data and a
            # realisation is read outside the purpose-logged household reads
            reference=f"plaatsing {placement.pk}",
        )
        placement.realisation_id = realisation.pk
        placement.save(update_fields=["realisation_id"])
    household.status = HouseholdStatus.PLACED
    household.save(update_fields=["status"])
    if unit.status != UnitStatus.OCCUPIED:
        _record_unit_status(actor, unit, UnitStatus.OCCUPIED, day, f"plaatsing {placement.pk}")
    audit_record(actor=actor, action="create", instance=placement, after=snapshot(placement))
    return placement


@transaction.atomic
def placement_end(*, actor: Any, placement: Placement, end: date | None = None) -> Placement:
    """A move-out on ``end`` (default today; not before the placement's start, at most
    :data:`MOVE_OUT_MAX_DAYS_AHEAD` days ahead): the placement ends, the household has left,
    the unit is vacant when nobody else lives there. A quota realisation stays: the household
    was housed."""
    require_change(actor, placement.household)
    if placement.end is not None:
        raise ValidationError(_("This placement has already ended."))
    today = timezone.localdate()
    day = end or today
    if day < placement.start:
        raise ValidationError(
            {
                "end": _("The move-out date is before the placement started (%(start)s).")
                % {"start": date_format(placement.start)}
            }
        )
    if day > today + timedelta(days=MOVE_OUT_MAX_DAYS_AHEAD):
        raise ValidationError(
            {
                "end": ngettext(
                    "The move-out date may be at most %(days)d day ahead.",
                    "The move-out date may be at most %(days)d days ahead.",
                    MOVE_OUT_MAX_DAYS_AHEAD,
                )
                % {"days": MOVE_OUT_MAX_DAYS_AHEAD}
            }
        )
    before = snapshot(placement)
    placement.end = day
    placement.save(update_fields=["end"])
    household = placement.household
    household.status = HouseholdStatus.LEFT
    household.left_on = day
    household.save(update_fields=["status", "left_on"])
    unit = placement.unit
    if not unit.placements.filter(end=None).exists():
        _record_unit_status(
            actor, unit, UnitStatus.VACANT, day, f"vertrek plaatsing {placement.pk}"
        )
    audit_record(
        actor=actor,
        action="update",
        instance=placement,
        before=before,
        after=snapshot(placement),
    )
    return placement


# --- placement proposals ------------------------------------------------------------------------


@transaction.atomic
def proposal_make(*, actor: Any, organisation: Organisation, complex: Complex | None = None) -> Any:
    """Run the placement engine on the waiting households and the free units (of one complex,
    or all) and store the proposal with its explanations and fairness report."""
    from .models import Proposal, ProposalLine

    require_create_in(actor, organisation)
    households = list(
        Household.objects.filter(organisation=organisation, status=HouseholdStatus.WAITING)
    )
    units = Unit.objects.filter(
        complex__organisation=organisation, status__in=[UnitStatus.VACANT, UnitStatus.RESERVED]
    )
    if complex is not None:
        units = units.filter(complex=complex)
    free = list(units.select_related("complex"))
    if not households:
        raise ValidationError(_("No households are waiting."))
    if not free:
        raise ValidationError(_("There are no free units."))
    outcome = adapters.propose(households, free, today=timezone.localdate())
    proposal = Proposal.objects.create(
        organisation=organisation,
        created_by=_user(actor),
        complex=complex,
        objective=outcome.objective,
        fairness=outcome.fairness,
        unplaced=outcome.unplaced,
    )
    by_pk = {h.pk: h for h in households}
    units_by_pk = {u.pk: u for u in free}
    ProposalLine.objects.bulk_create(
        ProposalLine(
            proposal=proposal,
            household=by_pk[line.household],
            unit=units_by_pk[line.unit],
            score=line.score,
            explanation=line.explanation,
        )
        for line in outcome.lines
    )
    audit_record(
        actor=actor,
        action="create",
        instance=proposal,
        after={"lines": len(outcome.lines)},
    )
    return proposal


@transaction.atomic
def proposal_decide(
    *, actor: Any, proposal: Any, accepted: set[int], rejected: set[int]
) -> list[Placement]:
    """Accept and reject proposal lines. Accepted lines become placements (and quota
    realisations) in one transaction: if one of them cannot be placed any more, nothing is
    written and the error names the household and unit."""
    from .models import LineDecision, ProposalStatus

    require_change(actor, proposal)
    if proposal.status != ProposalStatus.OPEN:
        raise ValidationError(_("This proposal has already been decided."))
    lines = {line.pk: line for line in proposal.lines.select_related("household", "unit__complex")}
    unknown = (accepted | rejected) - set(lines)
    if unknown or accepted & rejected:
        raise ValidationError(_("Invalid choice of lines."))
    placements = []
    for pk in sorted(accepted):
        line = lines[pk]
        try:
            placements.append(
                placement_create(
                    actor=actor, household=line.household, unit=line.unit, score=line.score
                )
            )
        except ValidationError as error:
            raise ValidationError(
                [f"{line.household.code} → {line.unit}: {message}" for message in error.messages]
            ) from None
        line.decision = LineDecision.ACCEPTED
        line.save(update_fields=["decision"])
    for pk in rejected:
        lines[pk].decision = LineDecision.REJECTED
        lines[pk].save(update_fields=["decision"])
    proposal.status = ProposalStatus.DECIDED
    proposal.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="update",
        instance=proposal,
        after={"accepted": sorted(accepted), "rejected": sorted(rejected)},
    )
    return placements


def demo_seed(*, actor: Any, organisation: Organisation) -> int:
    """Kept for callers that still import the demo seed from here: see :mod:`.demo`."""
    from .demo import demo_seed as seed

    return seed(actor=actor, organisation=organisation)
