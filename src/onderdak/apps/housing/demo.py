"""Demo data for flex homes and placement (made up, labelled as demo): Diemen's complexes with
the real counts from the 2023 letter, contracts and households. Called by ``onderdak demo``."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from onderdak.common.vocabulary import TargetGroup

from .models import Complex, Contract, Unit
from .services import (
    complex_create,
    household_create,
    placement_create,
    placement_problems,
    units_add,
)

if TYPE_CHECKING:
    from onderdak.apps.accounts.models import Organisation

DEMO_LABEL = "(demo, verzonnen)"


def _flex_complex(*, actor: Any, organisation: Organisation, **fields: Any) -> Complex:
    """One of Diemen's flex-home complexes: municipal, managed by the (made-up) demo manager,
    on a temporary permit, under the SFT condition (30% for Ukrainians and status holders) and
    shared with the Duo+ region; ``fields`` are what differs (name, place, dates, notes)."""
    return complex_create(
        actor=actor,
        organisation=organisation,
        kind="flex_homes",
        shared=True,  # Diemen shares its complexes with the Duo+ region
        owner="Gemeente Diemen",
        manager=f"Beheerbedrijf Amstel {DEMO_LABEL}",
        permit_kind="tijdelijke omgevingsvergunning",
        subsidy_min_share=0.30,
        subsidy_groups=["displaced_ukrainian", "status_holder"],
        **fields,
    )


@transaction.atomic
def demo_seed(*, actor: Any, organisation: Organisation) -> int:
    """Diemen's flex-home complexes with the real counts from the letter (Diemerdreef: 30 new
    units plus 12 moved from the Bergwijkdreef; the Maalderij: 18 moved units; 9 three-room homes
    for status holders with family reunification; a planned sale of all 60 to a housing
    corporation) and made-up unit details, dates, contracts and households, labelled as demo."""
    if Complex.objects.filter(organisation=organisation, name__startswith="Diemerdreef").exists():
        return 0
    today = timezone.localdate()
    diemerdreef = _flex_complex(
        actor=actor,
        organisation=organisation,
        name="Diemerdreef",
        longitude=4.9634,
        latitude=52.3400,
        permit_start=date(2024, 5, 1),
        permit_end=date(today.year + 1, 3, 31),
        subsidy_until=date(2034, 5, 1),
        notes=f"30 nieuwe eenheden en 12 verplaatst van de Bergwijkdreef (brief 2023); details {DEMO_LABEL}",
    )
    maalderij = _flex_complex(
        actor=actor,
        organisation=organisation,
        name="Maalderij",
        longitude=4.9820,
        latitude=52.3330,
        permit_start=date(2024, 7, 1),
        permit_end=date(2034, 7, 1),
        subsidy_until=date(2034, 7, 1),
        planned_relocation="18 eenheden verplaatst van de Bergwijkdreef (verplaatsing en locatie samen 1,3 mln, brief 2023)",
        relocated_units=18,
        relocated_on=date(2024, 7, 1),
        # made up so that moving (30%) and preparing the site (15%) come to about 1.3 million
        new_build_cost_per_unit=Decimal("160000"),
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
    # The 30 flex homes Diemen bought in 2022 for 3.7 million incl. site preparation (DOMAIN.md
    # 4), now 12 at the Diemerdreef and 18 at the Maalderij: the purchase split by units, with a
    # made-up economic life of 15 years, for the finance demo (depreciation).
    for complex, bought, amount in (
        (diemerdreef, 12, Decimal("1480000")),
        (maalderij, 18, Decimal("2220000")),
    ):
        Contract.objects.create(
            complex=complex,
            kind="purchase",
            party=f"Leverancier flexwoningen {DEMO_LABEL}",
            start=date(2022, 6, 1),
            end=date(2037, 5, 31),
            amount=amount,
            notes=f"aankoop 2022: {bought} van de 30 eenheden voor samen 3,7 mln (brief 2023)",
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
                        actor=actor,
                        household=household,
                        unit=unit,
                        start=max(date(2024, 6, 1), household.waiting_since),
                    )
                    placed += 1
                    break
    return placed
