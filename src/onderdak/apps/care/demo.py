"""Demo data for care and support (``onderdak demo``): Diemen adopts the national template
with made-up partners, contracts and amounts, all labelled as demo data."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from onderdak.apps.accounts.models import Organisation
from onderdak.apps.housing.models import Household

from .models import (
    Contract,
    CoverageStatus,
    IntegrationRoute,
    IntegrationStatus,
    ResidenceStatus,
    Service,
)
from .services import (
    catalogue_adopt,
    contact_create,
    contract_create,
    integration_case_create,
    ownership_update,
    partner_create,
    partner_update,
    service_update,
)

DEMO_LABEL = "(demo, verzonnen)"

#: Template services left missing in the demo (the two gaps the college must decide on).
DEMO_MISSING = ("interpreters", "transport")
#: The demo's planning assumption of how the adults required to integrate split over the
#: routes (made up; a municipality uses its own caseload figures).
DEMO_ROUTE_SHARES = {
    "integration_route_b1": Decimal("0.55"),
    "integration_route_education": Decimal("0.15"),
    "integration_route_z": Decimal("0.30"),
}
#: Services still arranged temporarily (crisis organisation) in the demo.
DEMO_TEMPORARY = (
    "living_allowance_ukrainians",
    "social_guidance",
    "mental_health_psychosocial",
    "language_courses_ukrainians",
)


#: Categories of services Diemen shares with the region in the demo, and the partners.
DEMO_SHARED_CATEGORIES = ("integration", "work", "income")
DEMO_SHARED_PARTNERS = ("duo", "language", "team", "uwv")


def _share_with_region(*, actor: Any, services: list[Service], partners: dict[str, Any]) -> None:
    """What Diemen shares with the region (Duo+ arranges these together): the regional
    coordinator's care pages show them."""
    for service in services:
        if service.category in DEMO_SHARED_CATEGORIES:
            service_update(actor=actor, service=service, shared=True)
    for key in DEMO_SHARED_PARTNERS:
        partner_update(actor=actor, partner=partners[key], shared=True)


@transaction.atomic
def demo_seed(*, actor: Any, organisation: Organisation) -> int:
    """Diemen adopts the template, with made-up partners, contracts and amounts (labelled demo):
    most services structural, some temporary, two missing; a small integration caseload with one
    overdue broad intake. Returns the number of services adopted (0 when already seeded)."""
    if Service.objects.filter(organisation=organisation).exists():
        return 0
    today = timezone.localdate()
    adoption = catalogue_adopt(actor=actor, organisation=organisation)
    partners = {
        key: partner_create(
            actor=actor, organisation=organisation, name=name, kind=kind, notes=DEMO_LABEL
        )
        for key, name, kind in (
            ("coa", "COA", "coa"),
            ("ggd", "GGD Amsterdam-Amstelland", "ggd"),
            ("school", "Basisschool De Kikker (nieuwkomersgroep) (demo)", "school"),
            ("isk", "ISK Amstelland (demo)", "school"),
            ("language", "Taalhuis Amstel (demo)", "language_provider"),
            ("vwn", "VluchtelingenWerk Amstelland", "refugee_council"),
            ("uwv", "UWV", "uwv"),
            ("duo", "Duo+ (sociaal domein)", "shared_services"),
            ("team", "Team Inburgering gemeente Diemen", "internal_team"),
            ("gp", "Huisartsenpraktijk Diemen-Noord (demo)", "health_provider"),
            ("youth", "Jeugdteam Diemen (demo)", "youth_care_provider"),
            ("legal", "Juridisch Loket", "legal_aid"),
            ("childcare", "Kinderopvang De Sterretjes (demo)", "other"),
        )
    }
    contact_create(
        actor=actor,
        partner=partners["vwn"],
        name="Coördinator maatschappelijke begeleiding",
        role="functie, geen naam (demo)",
        email="begeleiding@example.org",
    )
    services = {s.code: s for s in Service.objects.filter(organisation=organisation)}
    _share_with_region(actor=actor, services=list(services.values()), partners=partners)
    # planning assumptions of Diemen (made up for the demo): the split over the three routes
    for code, share in DEMO_ROUTE_SHARES.items():
        if code in services:
            service_update(actor=actor, service=services[code], share=share)
    capacities = {
        "primary_education": ("school", 20, 48_000),
        "secondary_newcomer_education": ("isk", 12, 96_000),
        "child_care": ("childcare", 6, 30_000),
        "integration_broad_intake": ("team", 40, 24_000),
        "integration_route_b1": ("language", 15, 150_000),
        "integration_route_education": ("language", 4, 40_000),
        "integration_route_z": ("language", 4, 60_000),
        "social_guidance": ("vwn", 30, 45_000),
        "mental_health_psychosocial": ("ggd", 10, 25_000),
        "gp_registration": ("gp", 120, 0),
    }
    contracts: dict[str, Contract] = {}
    start = date(today.year, 1, 1)
    for code, (partner_key, capacity, amount) in capacities.items():
        if code not in services:
            continue
        contracts[code] = contract_create(
            actor=actor,
            partner=partners[partner_key],
            service=services[code],
            reference=f"{services[code].name[:60]} {today.year} (demo)",
            start=start,
            # the guidance contract runs out soon: the coverage page warns about it
            end=today + timedelta(days=60)
            if code == "social_guidance"
            else date(today.year + 1, 12, 31),
            amount_per_year=Decimal(amount),
            capacity=capacity,
            capacity_unit=services[code].capacity_unit,
            notes=DEMO_LABEL,
        )
    owner_of = {
        "education": ("school", "Onderwijs en jeugd"),
        "health": ("ggd", "Zorg en welzijn"),
        "income": ("duo", "Werk en inkomen"),
        "integration": ("team", "Werk en inkomen"),
        "work": ("uwv", "Werk en inkomen"),
        "social": ("vwn", "Zorg en welzijn"),
        "legal": ("legal", "Zorg en welzijn"),
        "registration": ("team", "Publiekszaken"),
        "youth": ("youth", "Onderwijs en jeugd"),
        "practical": ("team", "Zorg en welzijn"),
    }
    review = date(today.year + 1, 3, 31)
    for service in services.values():
        partner_key, portfolio = owner_of.get(service.category, ("team", "Zorg en welzijn"))
        if service.code in ("secondary_newcomer_education",):
            partner_key = "isk"
        contract = contracts.get(service.code)
        for ownership in service.ownerships.all():
            if service.code in DEMO_MISSING:
                changes: dict[str, Any] = {
                    "status": CoverageStatus.MISSING,
                    "review_date": review,
                    "evidence": f"Nog niet belegd; voorstel aan het college in het eerste kwartaal {DEMO_LABEL}",
                }
            else:
                temporary = service.code in DEMO_TEMPORARY
                share = (
                    Decimal(contract.amount_per_year or 0) / max(1, len(service.target_groups))
                    if contract
                    else Decimal(5000)
                )
                changes = {
                    "status": CoverageStatus.TEMPORARY if temporary else CoverageStatus.STRUCTURAL,
                    "partner": partners["duo" if temporary else partner_key],
                    "team": "Projectteam opvang (crisisorganisatie)" if temporary else "",
                    "alderman": f"Wethouder {portfolio} (demo)",
                    "consulted": "Beleidsadviseur sociaal domein",
                    "informed": "College; raad via de kwartaalbrief",
                    "contract": contract,
                    "amount_per_year": share.quantize(Decimal("1")),
                    "review_date": review if temporary else date(today.year + 2, 1, 1),
                    "evidence": (
                        f"Nog in de crisisorganisatie; overdracht naar de lijn gepland {DEMO_LABEL}"
                        if temporary
                        else f"Begroting {today.year + 1}, taakveld {service.task_field or '-'} {DEMO_LABEL}"
                    ),
                }
            ownership_update(actor=actor, ownership=ownership, **changes)
    households = list(
        Household.objects.filter(organisation=organisation, target_group="status_holder").order_by(
            "code"
        )[:6]
    )
    for number, household in enumerate(households, start=1):
        linked = today - timedelta(days=100 if number == 1 else 30 * number + 20)
        fields: dict[str, Any] = {
            "household": household,
            # made-up categories: mostly asylum permits, one later-arriving family member
            "residence_status": ResidenceStatus.FAMILY_REUNIFICATION
            if number == 5
            else ResidenceStatus.ASYLUM_PERMIT,
            "linked_on": linked,
            "brp_registered_on": linked + timedelta(days=21),
            "relief_start": linked + timedelta(days=14),
        }
        if number == 1:
            fields["status"] = IntegrationStatus.INTAKE  # the overdue broad intake
        else:
            intake = linked + timedelta(weeks=4)
            fields.update(
                broad_intake_on=intake,
                pip_on=intake + timedelta(weeks=6) if number > 2 else None,
                # a revised plan (another route) that does not move the integration term
                pip_revised_on=intake + timedelta(weeks=10) if number == 3 else None,
                status=IntegrationStatus.ROUTE if number > 2 else IntegrationStatus.PLAN,
                route=IntegrationRoute.B1
                if number % 2
                else IntegrationRoute.Z_ROUTE
                if number == 4
                else IntegrationRoute.EDUCATION,
                provider=partners["language"] if number > 2 else None,
                modules=["knm", "pvt", "map"] if number > 2 else [],
            )
        integration_case_create(
            actor=actor, organisation=organisation, code=f"INB-{number:03d}", **fields
        )
    # a family migrant (gezinsmigrant): required to integrate, no reception household, no
    # unburdening, not in the quota; DUO's notice before the BRP registration (made up)
    notice = today - timedelta(days=40)
    integration_case_create(
        actor=actor,
        organisation=organisation,
        code="INB-GM1",
        residence_status=ResidenceStatus.FAMILY_MIGRANT,
        linked_on=notice,
        duo_notified_on=notice,
        brp_registered_on=notice + timedelta(days=12),
        broad_intake_on=notice + timedelta(days=30),
        status=IntegrationStatus.INTAKE,
    )
    return adoption.created
