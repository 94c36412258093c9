"""The region read of the finance app: the compensations of approved agreements in which a
municipality is a party."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from onderdak.apps.accounts.models import User
from onderdak.apps.geo.models import Municipality, Region
from onderdak.apps.quotas import services as quota_services
from onderdak.apps.region import selectors
from onderdak.apps.region.models import Agreement, AgreementLine

pytestmark = pytest.mark.django_db


def test_finance_agreement_lines(users: dict[str, User]) -> None:
    staff = users["diemen-admin"]
    staff.is_staff = True
    staff.save()
    round = quota_services.quota_round_create(
        actor=staff,
        target_group="status_holder",
        name="2025-H1",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
        national_total_initial=13_000,
        population_date=date(2024, 1, 1),
    )
    diemen = Municipality.objects.get(code="GM0384")
    uithoorn = Municipality.objects.get(code="GM0451")
    region = Region.objects.get(code="DUOPLUS")
    for title, status, compensation in (
        ("Goedgekeurd", "approved", Decimal("200000.00")),
        ("Concept", "draft", Decimal("50000.00")),
        ("Ruil", "approved", Decimal("0.00")),
    ):
        agreement = Agreement.objects.create(
            region=region, title=title, status=status, approved_on=date(2025, 5, 1)
        )
        AgreementLine.objects.create(
            agreement=agreement,
            round=round,
            from_municipality=diemen,
            to_municipality=uithoorn,
            places=10,
            compensation=compensation,
        )
    for user, municipality in (("diemen-viewer", diemen), ("uithoorn-editor", uithoorn)):
        found = selectors.finance_agreement_lines(user=users[user], municipality_id=municipality.pk)
        assert [(x.agreement.title, x.compensation) for x in found] == [
            ("Goedgekeurd", Decimal("200000.00"))
        ]
    assert (
        selectors.finance_agreement_lines(
            user=users["diemen-viewer"], municipality_id=Municipality.objects.get(code="GM0363").pk
        )
        == []
    )
