"""The sites read of the finance app: sites with a cost on the shortlist or later."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.sites import selectors
from onderdak.apps.sites.models import Site

pytestmark = pytest.mark.django_db

POINT = {"type": "Point", "coordinates": [4.96, 52.34]}


def test_finance_sites(users: dict[str, User], organisations: dict[str, Organisation]) -> None:
    diemen = organisations["diemen"]
    for name, stage, cost in (
        ("Kort", "shortlist", Decimal("10.00")),
        ("Lang", "longlist", Decimal("10.00")),
        ("Afgewezen", "rejected", Decimal("10.00")),
        ("Gratis", "decision", None),
    ):
        Site.objects.create(
            organisation=diemen, name=name, stage=stage, cost_one_off=cost, geometry=POINT
        )
    Site.objects.create(
        organisation=organisations["uithoorn"],
        name="Elders",
        stage="decision",
        cost_yearly=1,
        geometry=POINT,
    )
    found = selectors.finance_sites(user=users["diemen-viewer"], organisation_id=diemen.pk)
    assert [s.name for s in found] == ["Kort"]
