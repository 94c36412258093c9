"""Writes for flex homes and placement. Every write is validated, audited and atomic; a
placement of a status holder is recorded as a quota realisation through ``quotas.services``."""

from __future__ import annotations

import random
import secrets
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from onderdak.apps.accounts.models import Organisation
from onderdak.apps.accounts.selectors import (
    require_change,
    require_create_in,
)
from onderdak.apps.audit.models import AuditAction
from onderdak.apps.audit.services import (
    audit_record,
    audited_create,
    audited_update,
    require_editable,
    snapshot,
)
from onderdak.apps.quotas import services as quota_services
from onderdak.common.vocabulary import TargetGroup

from . import adapters
from .models import (
    Complex,
    Household,
    HouseholdStatus,
    Placement,
    Unit,
    UnitStatus,
    UnitStatusChange,
)

#: Target groups whose placements count as realisations of a quota (persons housed).
QUOTA_GROUPS = frozenset({TargetGroup.STATUS_HOLDER})
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud


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
        raise ValidationError({"count": "Voeg ten minste één wooneenheid toe."})
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
    audit_record(
        actor=actor, action=AuditAction.UPDATE, instance=complex, after={"units_added": count}
    )
    return units


@transaction.atomic
def unit_set_status(
    *, actor: Any, unit: Unit, status: str, reason: str = "", on: date | None = None
) -> Unit:
    require_change(actor, unit.complex)
    if status not in UnitStatus.values:
        raise ValidationError({"status": f"Onbekende status {status}."})
    if status == unit.status:
        return unit
    if unit.status == UnitStatus.OCCUPIED and unit.placements.filter(end=None).exists():
        raise ValidationError({"status": "De wooneenheid is bewoond; beëindig eerst de plaatsing."})
    before = snapshot(unit)
    _record_unit_status(actor, unit, status, on or timezone.localdate(), reason)
    audit_record(
        actor=actor, action=AuditAction.UPDATE, instance=unit, before=before, after=snapshot(unit)
    )
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


def placement_problems(household: Household, unit: Unit) -> list[str]:
    """Why this household cannot move into this unit now (empty when it can)."""
    problems = []
    if household.status != HouseholdStatus.WAITING:
        problems.append(
            f"huishouden {household.code} wacht niet (status {household.get_status_display()})"
        )
    if unit.status not in (UnitStatus.VACANT, UnitStatus.RESERVED, UnitStatus.OCCUPIED):
        problems.append(f"wooneenheid {unit} is niet beschikbaar ({unit.get_status_display()})")
    current = list(unit.placements.filter(end=None).select_related("household"))
    if len(current) >= unit.max_households:
        problems.append(f"wooneenheid {unit} heeft al {len(current)} huishouden(s)")
    if sum(p.household.persons for p in current) + household.persons > unit.max_occupants:
        problems.append(f"wooneenheid {unit} is te klein ({unit.max_occupants} personen)")
    if household.needs_accessible and not unit.accessible:
        problems.append(f"wooneenheid {unit} is niet toegankelijk")
    if household.needs_ground_floor and unit.floor != 0:
        problems.append(f"wooneenheid {unit} ligt niet op de begane grond")
    if unit.target_groups and household.target_group not in unit.target_groups:
        problems.append(
            f"wooneenheid {unit} is niet bedoeld voor {household.get_target_group_display()}"
        )
    if household.organisation_id != unit.complex.organisation_id:
        problems.append("huishouden en wooneenheid horen bij verschillende organisaties")
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
            reference=f"plaatsing {placement.pk} ({household.code})",
        )
        placement.realisation_id = realisation.pk
        placement.save(update_fields=["realisation_id"])
    household.status = HouseholdStatus.PLACED
    household.save(update_fields=["status"])
    if unit.status != UnitStatus.OCCUPIED:
        _record_unit_status(actor, unit, UnitStatus.OCCUPIED, day, f"plaatsing {household.code}")
    audit_record(
        actor=actor, action=AuditAction.CREATE, instance=placement, after=snapshot(placement)
    )
    return placement


@transaction.atomic
def placement_end(*, actor: Any, placement: Placement, end: date | None = None) -> Placement:
    """A move-out: the placement ends, the household has left, the unit is vacant when empty."""
    require_change(actor, placement.household)
    if placement.end is not None:
        raise ValidationError("Deze plaatsing is al beëindigd.")
    day = end or timezone.localdate()
    if day < placement.start:
        raise ValidationError({"end": "De einddatum ligt voor de begindatum."})
    before = snapshot(placement)
    placement.end = day
    placement.save(update_fields=["end"])
    household = placement.household
    household.status = HouseholdStatus.LEFT
    household.left_on = day
    household.save(update_fields=["status", "left_on"])
    unit = placement.unit
    if not unit.placements.filter(end=None).exists():
        _record_unit_status(actor, unit, UnitStatus.VACANT, day, f"vertrek {household.code}")
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=placement,
        before=before,
        after=snapshot(placement),
    )
    return placement


# --- demo ------------------------------------------------------------------------------------

DEMO_LABEL = "(demo, verzonnen)"


@transaction.atomic
def demo_seed(*, actor: Any, organisation: Organisation) -> int:
    """Diemen's flex-home complexes with the real counts from the letter (Diemerdreef: 30 new
    units plus 12 moved from the Bergwijkdreef; the Maalderij: 18 moved units; 9 three-room homes
    for status holders with family reunification; a planned sale of all 60 to a housing
    corporation) and made-up unit details, dates, contracts and households, labelled as demo."""
    from onderdak.apps.housing.models import Contract

    if Complex.objects.filter(organisation=organisation, name__startswith="Diemerdreef").exists():
        return 0
    today = timezone.localdate()
    diemerdreef = complex_create(
        actor=actor,
        organisation=organisation,
        name="Diemerdreef",
        kind="flex_homes",
        longitude=4.9634,
        latitude=52.3400,
        owner="Gemeente Diemen",
        manager=f"Beheerbedrijf Amstel {DEMO_LABEL}",
        permit_kind="tijdelijke omgevingsvergunning",
        permit_start=date(2024, 5, 1),
        permit_end=date(today.year + 1, 3, 31),
        subsidy_min_share=0.30,
        subsidy_groups=["displaced_ukrainian", "status_holder"],
        subsidy_until=date(2034, 5, 1),
        notes=f"30 nieuwe eenheden en 12 verplaatst van de Bergwijkdreef (brief 2023); details {DEMO_LABEL}",
    )
    maalderij = complex_create(
        actor=actor,
        organisation=organisation,
        name="Maalderij",
        kind="flex_homes",
        longitude=4.9820,
        latitude=52.3330,
        owner="Gemeente Diemen",
        manager=f"Beheerbedrijf Amstel {DEMO_LABEL}",
        permit_kind="tijdelijke omgevingsvergunning",
        permit_start=date(2024, 7, 1),
        permit_end=date(2034, 7, 1),
        subsidy_min_share=0.30,
        subsidy_groups=["displaced_ukrainian", "status_holder"],
        subsidy_until=date(2034, 7, 1),
        planned_relocation="18 eenheden verplaatst van de Bergwijkdreef (verplaatsing en locatie samen 1,3 mln, brief 2023)",
    )
    units_add(
        actor=actor,
        complex=diemerdreef,
        count=33,
        rooms=2,
        area_m2=38,
        max_occupants=3,
        accessible=3,
    )
    units_add(
        actor=actor,
        complex=diemerdreef,
        count=9,
        rooms=3,
        area_m2=52,
        max_occupants=5,
        first_number=34,
        target_groups=["status_holder"],
    )
    units_add(
        actor=actor,
        complex=maalderij,
        count=18,
        rooms=2,
        area_m2=36,
        max_occupants=3,
        accessible=2,
        ground_floor=9,
    )
    for complex, amount in ((diemerdreef, Decimal("4200000")), (maalderij, Decimal("1800000"))):
        Contract.objects.create(
            complex=complex,
            kind="management",
            party=f"Beheerbedrijf Amstel {DEMO_LABEL}",
            start=date(2024, 5, 1),
            end=date(today.year + 1, 2, 28),
            amount=Decimal("96000"),
        )
        Contract.objects.create(
            complex=complex,
            kind="sale",
            party=f"Woningcorporatie {DEMO_LABEL}",
            start=date(today.year + 1, 7, 1),
            amount=amount,
            notes="geplande verkoop van alle 60 flexwoningen (brief 2023)",
        )
    rng = random.Random(384)  # noqa: S311 - made-up demo data, not security
    units = list(
        Unit.objects.filter(complex__in=[diemerdreef, maalderij]).order_by(
            "complex__name", "number"
        )
    )
    placed = 0
    for index in range(40):
        group = TargetGroup.DISPLACED_UKRAINIAN if index < 28 else TargetGroup.STATUS_HOLDER
        household = household_create(
            actor=actor,
            organisation=organisation,
            target_group=group,
            adults=rng.choice((1, 1, 2)),
            minors_0_3=rng.choice((0, 0, 1)),
            minors_4_11=rng.choice((0, 1, 1, 2)),
            minors_12_17=rng.choice((0, 0, 1)),
            needs_accessible=index % 13 == 0,
            needs_ground_floor=index % 7 == 0,
            urgency=rng.choice((0, 0, 1, 2)),
            reunification_persons=2 if group == TargetGroup.STATUS_HOLDER and index % 3 == 0 else 0,
            reunification_date=date(today.year + 1, 4, 1)
            if group == TargetGroup.STATUS_HOLDER and index % 3 == 0
            else None,
            waiting_since=date(2024, 1, 1) + timedelta(days=rng.randint(0, 900)),
            tie_x=float(125000 + rng.randint(-2500, 2500)),
            tie_y=float(483000 + rng.randint(-2500, 2500)),
        )
        if index < 24:
            for unit in units:
                unit.refresh_from_db()
                if not placement_problems(household, unit):
                    placement_create(
                        actor=actor, household=household, unit=unit, start=date(2024, 6, 1)
                    )
                    placed += 1
                    break
    return placed


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
        raise ValidationError("Er wachten geen huishoudens.")
    if not free:
        raise ValidationError("Er zijn geen vrije wooneenheden.")
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
        action=AuditAction.CREATE,
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
        raise ValidationError("Over dit voorstel is al beslist.")
    lines = {line.pk: line for line in proposal.lines.select_related("household", "unit__complex")}
    unknown = (accepted | rejected) - set(lines)
    if unknown or accepted & rejected:
        raise ValidationError("Ongeldige keuze van regels.")
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
        action=AuditAction.UPDATE,
        instance=proposal,
        after={"accepted": sorted(accepted), "rejected": sorted(rejected)},
    )
    return placements
