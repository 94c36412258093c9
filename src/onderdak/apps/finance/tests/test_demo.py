"""The finance demo: rates adopted, budget with an amendment, three quarterly imports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.finance import selectors
from onderdak.apps.finance.demo import DEMO_LABEL, demo_seed
from onderdak.apps.finance.models import ActualImport, Rate

pytestmark = pytest.mark.django_db


def test_demo_seed(users: dict[str, User], organisations: dict[str, Organisation]) -> None:
    admin, diemen = users["diemen-admin"], organisations["diemen"]
    assert demo_seed(actor=admin, organisation=diemen) == 16  # 8 lines, 8 for care per task field
    assert demo_seed(actor=admin, organisation=diemen) == 0
    assert Rate.objects.filter(organisation=diemen, scheme="goo").count() == 4
    assert ActualImport.objects.filter(organisation=diemen).count() == 3
    rows = selectors.budget_rows(
        user=admin, organisation_id=diemen.pk, year=2025, on=date(2025, 9, 30)
    )
    assert all(DEMO_LABEL in row.line.description for row in rows)
    reception = next(
        r
        for r in rows
        if r.line.task_field == "6.1"
        and r.line.direction == "expenditure"
        and r.line.track == "flex_homes"
    )
    assert reception.current == Decimal("1650000.00")
    totals = selectors.actual_totals(
        user=admin, organisation_id=diemen.pk, year=2025, until=date(2025, 9, 30)
    )
    assert totals[("6.1", "flex_homes", "displaced_ukrainian", "income")] == Decimal("1181250.00")
    # care and support per task field for every target group, booked monthly: 20,000 / 12
    assert totals[("0.2", "care", "", "expenditure")] == Decimal("1666.67") * 9
