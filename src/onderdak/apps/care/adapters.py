"""ORM records <-> the care engine's types (``onderdak.engines.care``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.conf import settings

from .models import Contract, IntegrationCase, Ownership, Service

if TYPE_CHECKING:
    from onderdak.engines.care import (
        Capacity,
        Cell,
        HouseholdProfile,
        IntegrationDates,
        IntegrationNorms,
        PipelineHousehold,
        ServiceRule,
    )


def pipeline_households(households: Iterable[Any]) -> list[PipelineHousehold]:
    """Households (``housing`` records read through its selectors) as the engine's input."""
    from onderdak.engines.care import PipelineHousehold, Stage

    return [
        PipelineHousehold(
            code=h.code,
            target_group=h.target_group,
            stage=Stage(h.status),
            adults=h.adults,
            minors_0_3=h.minors_0_3,
            minors_4_11=h.minors_4_11,
            minors_12_17=h.minors_12_17,
            waiting_since=h.waiting_since,
            left_on=h.left_on,
            reunification_persons=h.reunification_persons,
            reunification_date=h.reunification_date,
        )
        for h in households
    ]


def household_profiles(households: Iterable[Any], *, today: date) -> list[HouseholdProfile]:
    """The reception population as the engine sees it (the rules: ``engines.care.pipeline``)."""
    from onderdak.engines.care import pipeline_profiles

    return pipeline_profiles(pipeline_households(households), today=today)


def service_rules(services: Iterable[Service]) -> list[ServiceRule]:
    from onderdak.engines.care import Basis, ServiceRule

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
    from onderdak.engines.care import Capacity

    return [
        Capacity(service_code=c.service.code, amount=c.capacity, start=c.start, end=c.end)
        for c in contracts
        if c.service is not None and c.capacity is not None and c.service.code in codes
    ]


def cells(ownerships: Iterable[Ownership]) -> list[Cell]:
    from onderdak.engines.care import Cell, CoverageStatus

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
    from onderdak.engines.care import IntegrationNorms

    return IntegrationNorms(
        broad_intake_weeks=settings.CARE_BROAD_INTAKE_WEEKS,
        pip_weeks=settings.CARE_PIP_WEEKS,
        term_months=settings.CARE_INTEGRATION_TERM_MONTHS,
        relief_months=settings.CARE_RELIEF_MONTHS,
        due_soon_days=settings.CARE_DUE_SOON_DAYS,
    )


def integration_dates(case: IntegrationCase) -> IntegrationDates:
    """A case as the engine's dates. A person whose residence status brings no integration
    duty (temporary protection) has no deadlines: they are not applicable, as for a closed
    case."""
    from onderdak.engines.care import IntegrationDates

    return IntegrationDates(
        linked_on=case.linked_on,
        duo_notified_on=case.duo_notified_on,
        brp_registered_on=case.brp_registered_on,
        term_start=case.term_start,
        term_extension_months=case.term_extension_months,
        broad_intake_on=case.broad_intake_on,
        pip_on=case.pip_on,
        pip_revised_on=(case.pip_revised_on,) if case.pip_revised_on else (),
        relief_start=case.relief_start,
        completed_on=case.completed_on,
        closed=case.closed or not case.residence_rule.integration_duty,
    )
