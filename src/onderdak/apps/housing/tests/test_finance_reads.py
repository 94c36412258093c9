"""The reads of the finance app: complexes of one organisation only (money is not shared) and
the placements as counts per unit, with the read of household data logged with its purpose."""

from __future__ import annotations

from datetime import date

import pytest

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.audit.models import AccessLog
from onderdak.apps.housing import selectors, services

pytestmark = pytest.mark.django_db


def test_finance_reads_are_scoped_counted_and_logged(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    editor = users["diemen-editor"]
    own = services.complex_create(
        actor=editor, organisation=organisations["diemen"], name="Eigen", kind="flex_homes"
    )
    unit = services.units_add(
        actor=editor, complex=own, count=1, rooms=2, area_m2=38, max_occupants=3
    )[0]
    services.complex_create(
        actor=users["uithoorn-editor"],
        organisation=organisations["uithoorn"],
        name="Gedeeld",
        kind="flex_homes",
        shared=True,
    )
    household = services.household_create(
        actor=editor,
        organisation=organisations["diemen"],
        target_group="displaced_ukrainian",
        adults=2,
        minors_0_3=1,
        waiting_since=date(2025, 1, 1),
    )
    services.placement_create(actor=editor, household=household, unit=unit, start=date(2025, 2, 1))
    viewer = users["diemen-viewer"]
    diemen = organisations["diemen"].pk
    assert [c.name for c in selectors.finance_complexes(user=viewer, organisation_id=diemen)] == [
        "Eigen"
    ]
    assert (
        selectors.finance_complexes(user=viewer, organisation_id=organisations["uithoorn"].pk) == []
    )
    before = AccessLog.objects.count()
    rows = selectors.unit_presences(
        user=viewer, organisation_id=diemen, start=date(2025, 1, 1), until=date(2026, 1, 1)
    )
    assert [(r.unit_id, r.start, r.end, r.target_group, r.persons) for r in rows] == [
        (unit.pk, date(2025, 2, 1), None, "displaced_ukrainian", 3)
    ]
    log = AccessLog.objects.order_by("-pk").first()
    assert AccessLog.objects.count() == before + 1
    assert log is not None and log.purpose == selectors.PURPOSE_FINANCE
    assert log.object_ids == str(household.pk)
    # outside the period: nothing read, nothing logged
    assert (
        selectors.unit_presences(
            user=viewer, organisation_id=diemen, start=date(2024, 1, 1), until=date(2025, 1, 1)
        )
        == []
    )
    assert AccessLog.objects.count() == before + 1
