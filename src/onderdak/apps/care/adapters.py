"""ORM records <-> the care engine's types (``onderdak.engines.care``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from django.conf import settings

from onderdak.engines.care import (
    Basis,
    Capacity,
    Cell,
    CoverageStatus,
    HouseholdProfile,
    IntegrationDates,
    IntegrationNorms,
    ServiceRule,
    add_weeks,
)

from .models import Contract, IntegrationCase, Ownership, Service


def first_of_next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def household_profiles(households: Iterable[Any], *, today: date) -> list[HouseholdProfile]:
    """The reception population as the engine sees it.

    Placed households are present now; households waiting for a home are the pipeline and
    count from the first day of next month, except for civic integration, which follows the
    link to the municipality (their ``waiting_since``); households that left count until they
    left.
    Expected family reunification enlarges the household from the expected date (the persons
    are counted as adults: their ages are not known): the household is then one profile until
    that date and one, with the extra adults, from it.
    """
    profiles: list[HouseholdProfile] = []
    for household in households:
        if household.status == "left" and household.left_on is None:
            continue
        start = first_of_next_month(today) if household.status == "waiting" else None
        until = household.left_on if household.status == "left" else None
        if until is not None and start is not None and until <= start:
            continue
        extra = household.reunification_persons if household.status != "left" else 0
        joins = household.reunification_date or first_of_next_month(today)
        if extra and start is not None and joins <= start:
            joins = start  # they arrive with the household
        linked = household.waiting_since if household.status == "waiting" else None
        periods: list[tuple[str, int, date | None, date | None, date | None]] = []
        if extra and (start is None or joins > start):
            periods.append((household.code, household.adults, start, joins, linked))
            periods.append(
                (f"{household.code}+nareis", household.adults + extra, joins, until, None)
            )
        else:
            periods.append((household.code, household.adults + extra, start, until, linked))
        for code, adults, present_from, present_until, link in periods:
            # a link on or after the period's end adds nothing to it
            usable = link is not None and (present_until is None or link < present_until)
            profiles.append(
                HouseholdProfile(
                    code=code,
                    target_group=household.target_group,
                    adults=adults,
                    minors_0_3=household.minors_0_3,
                    minors_4_11=household.minors_4_11,
                    minors_12_17=household.minors_12_17,
                    present_from=present_from,
                    present_until=present_until,
                    linked_from=link if usable else None,
                )
            )
    return profiles


def service_rules(services: Iterable[Service]) -> list[ServiceRule]:
    return [
        ServiceRule(
            code=s.code,
            basis=Basis(s.basis),
            target_groups=frozenset(s.target_groups),
            share=Fraction(str(s.share)),  # exact: the decimal as written
        )
        for s in services
    ]


def capacities(contracts: Iterable[Contract], *, codes: set[str]) -> list[Capacity]:
    return [
        Capacity(service_code=c.service.code, amount=c.capacity, start=c.start, end=c.end)
        for c in contracts
        if c.service is not None and c.capacity is not None and c.service.code in codes
    ]


def cells(ownerships: Iterable[Ownership]) -> list[Cell]:
    return [
        Cell(
            service_code=o.service.code,
            target_group=o.target_group,
            status=CoverageStatus(o.status),
            amount_per_year=o.amount_per_year,
        )
        for o in ownerships
    ]


def norms() -> IntegrationNorms:
    """The integration norms from the settings (``CARE_*``)."""
    return IntegrationNorms(
        broad_intake_weeks=settings.CARE_BROAD_INTAKE_WEEKS,
        pip_weeks=settings.CARE_PIP_WEEKS,
        term_months=settings.CARE_INTEGRATION_TERM_MONTHS,
        relief_months=settings.CARE_RELIEF_MONTHS,
        due_soon_days=settings.CARE_DUE_SOON_DAYS,
    )


def term_start(case: IntegrationCase, norms: IntegrationNorms) -> date:
    """When the three-year integration term starts: the date given; else the day after the
    PIP (art. 11 Wet inburgering 2021: the term starts the day after the PIP is dated); while
    there is no PIP yet, provisionally the day after the PIP's due date."""
    if case.term_start is not None:
        return case.term_start
    if case.pip_on is not None:
        return case.pip_on + timedelta(days=1)
    intake = case.broad_intake_on or add_weeks(case.linked_on, norms.broad_intake_weeks)
    return add_weeks(intake, norms.pip_weeks) + timedelta(days=1)


def integration_dates(case: IntegrationCase, norms: IntegrationNorms) -> IntegrationDates:
    return IntegrationDates(
        linked_on=case.linked_on,
        term_start=term_start(case, norms),
        term_extension_months=case.term_extension_months,
        broad_intake_on=case.broad_intake_on,
        pip_on=case.pip_on,
        relief_start=case.relief_start,
        completed_on=case.completed_on,
        closed=case.closed,
    )
