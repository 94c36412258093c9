"""Standard rates: the shipped file, adoption (idempotent), audited edits, lookups."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

import pytest

from onderdak.apps.accounts.models import Organisation, Role, User
from onderdak.apps.accounts.services import user_set_membership
from onderdak.apps.audit.models import AuditEntry
from onderdak.apps.finance import selectors, services
from onderdak.apps.finance.models import Rate
from onderdak.data.finance import national_rates, read_rates

pytestmark = pytest.mark.django_db


@pytest.fixture
def controller(organisations: dict[str, Organisation]) -> User:
    return user_set_membership(
        username="diemen-controller",
        organisation=organisations["diemen"],
        role=Role.CONTROLLER,
        password="x-Very-Long-Password-1",
    )


def test_shipped_rates_hold_the_goo_steps() -> None:
    goo = [r for r in national_rates() if r.scheme == "goo"]
    assert [(r.valid_from, r.amount) for r in goo] == [
        (date(2022, 3, 1), Decimal("100.00")),
        (date(2022, 10, 15), Decimal("83.00")),
        (date(2024, 1, 1), Decimal("61.00")),
        (date(2025, 1, 1), Decimal("44.00")),
    ]
    assert all(r.source for r in national_rates())
    incentive = next(r for r in national_rates() if r.scheme == "spreidingswet_duurzaam")
    assert "Onbevestigd" in incentive.notes


def test_adopt_is_idempotent(controller: User, organisations: dict[str, Organisation]) -> None:
    diemen = organisations["diemen"]
    assert services.adopt_national_rates(actor=controller, organisation=diemen) == len(
        national_rates()
    )
    assert services.adopt_national_rates(actor=controller, organisation=diemen) == 0
    assert Rate.objects.filter(organisation=diemen).count() == len(national_rates())


def test_editor_may_not_adopt(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    with pytest.raises(PermissionDenied):
        services.adopt_national_rates(
            actor=users["diemen-editor"], organisation=organisations["diemen"]
        )


def test_edit_is_audited_and_makes_the_rate_own(
    controller: User, organisations: dict[str, Organisation]
) -> None:
    diemen = organisations["diemen"]
    services.adopt_national_rates(actor=controller, organisation=diemen)
    rate = Rate.objects.get(organisation=diemen, scheme="goo", valid_from=date(2025, 1, 1))
    services.rate_update(actor=controller, rate=rate, amount=Decimal("45.50"))
    rate.refresh_from_db()
    assert rate.amount == Decimal("45.50")
    assert rate.national is False
    entry = AuditEntry.objects.filter(object_type="finance.Rate", object_id=str(rate.pk)).latest(
        "pk"
    )
    assert entry.action == "update"
    assert entry.before["amount"] == "44.00"
    history = selectors.rate_history(rate=rate)
    assert len(history) == 2  # adopted, changed


def test_rate_lookup_and_before_first_error_in_dutch(
    controller: User, organisations: dict[str, Organisation]
) -> None:
    diemen = organisations["diemen"]
    services.adopt_national_rates(actor=controller, organisation=diemen)
    assert selectors.rate_on(diemen.pk, "goo", date(2022, 10, 14)) == Decimal("100.00")
    assert selectors.rate_on(diemen.pk, "goo", date(2022, 10, 15)) == Decimal("83.00")
    assert selectors.rate_on(diemen.pk, "sft_plafond", date(2025, 6, 1)) == Decimal("5000000.00")
    with translation.override("nl"), pytest.raises(ValidationError) as caught:
        selectors.rate_on(diemen.pk, "goo", date(2022, 2, 28))
    assert "1-3-2022" in caught.value.messages[0]
    assert "Er is geen normbedrag" in caught.value.messages[0]
    table = selectors.rate_table(organisation_id=diemen.pk)
    assert table.amount_on("goo", date(2024, 6, 1)) == Decimal("61.00")
    assert "sft" not in table


def test_rate_table_without_adopted_rates_uses_the_national_ones(
    organisations: dict[str, Organisation],
) -> None:
    table = selectors.rate_table(organisation_id=organisations["uithoorn"].pk)
    assert table.amount_on("poo", date(2024, 3, 1)) == Decimal("92.00")


def test_rates_by_scheme_shows_periods(
    controller: User, organisations: dict[str, Organisation]
) -> None:
    diemen = organisations["diemen"]
    services.adopt_national_rates(actor=controller, organisation=diemen)
    goo = next(
        s
        for s in selectors.rates_by_scheme(user=controller, organisation_id=diemen.pk)
        if s.scheme == "goo"
    )
    assert goo.periods[0].until == date(2022, 10, 14)
    assert goo.periods[-1].until is None


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("goo,GOO,2022-13-01,1.00,place_day,x,", "valid_from"),
        ("goo,GOO,2022-03-01,1.001,place_day,x,", "amount"),
        ("goo,GOO,2022-03-01,1.00,per_day,x,", "unit"),
    ],
)
def test_a_malformed_rates_file_names_row_and_column(tmp_path: Path, row: str, column: str) -> None:
    path = tmp_path / "rates.csv"
    path.write_text("scheme,name,valid_from,amount,unit,source,notes\n" + row + "\n")
    with pytest.raises(ValueError, match=f"row 2, column {column}"):
        read_rates(path)
