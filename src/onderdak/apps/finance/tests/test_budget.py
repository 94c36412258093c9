"""Budget lines and amendments: current budget, scoping, who may change."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.finance import selectors, services
from onderdak.apps.finance.models import BudgetLine

pytestmark = pytest.mark.django_db


def _line(actor: User, organisation: Organisation, **extra: object) -> BudgetLine:
    values = {
        "year": 2025,
        "task_field": "6.1",
        "track": "flex_homes",
        "target_group": "displaced_ukrainian",
        "direction": "expenditure",
        "description": "Opvang",
        "amount": Decimal("1000000.00"),
        **extra,
    }
    return services.budget_line_create(actor=actor, organisation=organisation, **values)


def test_current_is_original_plus_amendments_up_to_the_date(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    admin, diemen = users["diemen-admin"], organisations["diemen"]
    line = _line(admin, diemen)
    services.amendment_create(
        actor=admin,
        line=line,
        decided_on=date(2025, 7, 3),
        amount=Decimal("250000.00"),
        reference="Raad 2025-07-03",
    )
    services.amendment_create(
        actor=admin,
        line=line,
        decided_on=date(2025, 11, 6),
        amount=Decimal("-50000.00"),
        reference="Raad 2025-11-06",
    )

    def current(on: date) -> Decimal:
        [row] = selectors.budget_rows(user=admin, organisation_id=diemen.pk, year=2025, on=on)
        return row.current

    assert current(date(2025, 7, 2)) == Decimal("1000000.00")
    assert current(date(2025, 7, 3)) == Decimal("1250000.00")
    assert current(date(2025, 12, 31)) == Decimal("1200000.00")
    [row] = selectors.budget_rows(
        user=admin, organisation_id=diemen.pk, year=2025, on=date(2025, 12, 31)
    )
    assert row.amendments == Decimal("200000.00")
    between = selectors.amendments_between(
        user=admin, organisation_id=diemen.pk, start=date(2025, 7, 1), end=date(2025, 9, 30)
    )
    assert [a.reference for a in between] == ["Raad 2025-07-03"]


def test_another_municipality_sees_nothing(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    _line(users["diemen-admin"], organisations["diemen"])
    assert selectors.budget_lines(
        user=users["diemen-viewer"], organisation_id=organisations["diemen"].pk, year=2025
    ).exists()
    assert not selectors.budget_lines(
        user=users["uithoorn-editor"], organisation_id=organisations["diemen"].pk, year=2025
    ).exists()
    # not through a region either: money is not shared
    assert not selectors.budget_lines(
        user=users["duo-coordinator"], organisation_id=organisations["diemen"].pk, year=2025
    ).exists()


@pytest.mark.parametrize("name", ["diemen-viewer", "diemen-editor", "uithoorn-editor"])
def test_only_controllers_and_administrators_change(
    name: str, users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    with pytest.raises(PermissionDenied):
        _line(users[name], organisations["diemen"])
    line = _line(users["diemen-admin"], organisations["diemen"])
    with pytest.raises(PermissionDenied):
        services.budget_line_update(actor=users[name], line=line, amount=Decimal(1))
    with pytest.raises(PermissionDenied):
        services.budget_line_delete(actor=users[name], line=line)


def test_duplicate_line_is_a_validation_error(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    _line(users["diemen-admin"], organisations["diemen"])
    with pytest.raises(ValidationError):
        _line(users["diemen-admin"], organisations["diemen"], description="Nog een")


def test_bad_task_field_is_a_validation_error(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    with pytest.raises(ValidationError):
        _line(users["diemen-admin"], organisations["diemen"], task_field="99.9")
