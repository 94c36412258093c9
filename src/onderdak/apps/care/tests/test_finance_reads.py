"""The care reads of the finance app: one organisation's contracts and ownership budgets with
an amount, never another organisation's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.care import selectors, services

pytestmark = pytest.mark.django_db


def test_finance_contracts_of_one_organisation(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    for who, key, amount in (
        ("diemen-editor", "diemen", Decimal("1000.00")),
        ("uithoorn-editor", "uithoorn", Decimal("2000.00")),
    ):
        partner = services.partner_create(
            actor=users[who], organisation=organisations[key], name=f"P {key}", kind="ggd"
        )
        services.contract_create(
            actor=users[who],
            partner=partner,
            reference=f"C {key}",
            start=date(2025, 1, 1),
            amount_per_year=amount,
        )
        services.contract_create(actor=users[who], partner=partner, reference=f"no amount {key}")
    found = selectors.finance_contracts(
        user=users["diemen-viewer"], organisation_id=organisations["diemen"].pk
    )
    assert [(c.reference, c.amount_per_year) for c in found] == [("C diemen", Decimal("1000.00"))]
    assert (
        selectors.finance_contracts(
            user=users["amsterdam-editor"], organisation_id=organisations["diemen"].pk
        )
        == []
    )
    assert (
        selectors.finance_ownerships(
            user=users["diemen-viewer"], organisation_id=organisations["diemen"].pk
        )
        == []
    )
