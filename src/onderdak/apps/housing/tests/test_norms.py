"""COA's norms per linked status holder (coa.nl: 10 weeks to find a home after the link, then
2 weeks to move) on the household pages, list, overview and API; and the SFT flex-home
subsidy's 30% warned on the municipality's total, not per complex (BWBR0048657 art. 2)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

import pytest

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.housing import selectors, services
from onderdak.apps.housing.models import Complex, Household, Unit
from onderdak.engines.placement import CoaState, coa_term

pytestmark = pytest.mark.django_db


def _complex(
    users: dict[str, User], organisation: Organisation, name: str, units: int, **extra: Any
) -> Complex:
    created = services.complex_create(
        actor=users["diemen-editor"],
        organisation=organisation,
        name=name,
        kind="flex_homes",
        subsidy_min_share=0.3,
        subsidy_groups=["displaced_ukrainian", "status_holder"],
        **extra,
    )
    services.units_add(
        actor=users["diemen-editor"],
        complex=created,
        count=units,
        rooms=2,
        area_m2=38,
        max_occupants=3,
    )
    return created


def _household(users: dict[str, User], organisation: Organisation, **extra: Any) -> Household:
    fields: dict[str, Any] = {
        "target_group": "status_holder",
        "adults": 1,
        "waiting_since": date(2025, 1, 1),
    }
    fields.update(extra)
    return services.household_create(
        actor=users["diemen-editor"], organisation=organisation, **fields
    )


def _fill(users: dict[str, User], complex: Complex, count: int, group: str) -> None:
    """Place ``count`` households of ``group`` in the complex's first free units."""
    units = list(Unit.objects.filter(complex=complex).order_by("pk"))[:count]
    for unit in units:
        household = _household(users, complex.organisation, target_group=group)
        services.placement_create(
            actor=users["diemen-editor"], household=household, unit=unit, start=date(2025, 2, 1)
        )


# -- SFT: the 30% on the municipality's total -------------------------------------------------


def test_a_complex_below_thirty_percent_gives_no_warning_when_the_total_holds(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    diemen = organisations["diemen"]
    full = _complex(users, diemen, "Diemerdreef", 10)
    empty = _complex(users, diemen, "Maalderij", 5)
    _fill(users, full, 5, "displaced_ukrainian")  # 5 of 15 = 33% >= 30% (4.5 required)
    today = timezone.localdate()
    assert [w.kind for w in selectors.warnings_for(empty, today=today)] == []
    (total,) = selectors.subsidy_totals(user=users["diemen-viewer"], today=today)
    assert total.share.met and total.warning is None
    assert (total.share.housed, total.share.units, total.required_units) == (5, 15, 5)
    assert [row.complex.name for row in total.complexes if row.below] == ["Maalderij"]
    client = Client()
    client.force_login(users["diemen-viewer"])
    page = client.get(reverse("housing:complex_detail", args=[empty.pk])).content.decode()
    assert "Subsidievoorwaarde in gevaar" not in page
    assert "niet op zichzelf een overtreding" in page
    assert "BWBR0048657" in page
    assert "0 van 5 wooneenheden" in page
    overview = client.get(reverse("housing:complex_list")).content.decode()
    assert "Subsidievoorwaarde in gevaar" not in overview


def test_a_total_below_thirty_percent_warns_on_the_municipality(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    diemen = organisations["diemen"]
    first = _complex(users, diemen, "Diemerdreef", 10)
    second = _complex(users, diemen, "Maalderij", 5)
    _fill(users, first, 4, "displaced_ukrainian")  # 4 of 15 < 4.5 required
    _fill(users, second, 1, "labour_migrant")  # not a target group of the subsidy
    today = timezone.localdate()
    (total,) = selectors.subsidy_totals(user=users["diemen-viewer"], today=today)
    assert not total.share.met
    assert total.warning is not None
    assert total.warning.kind == "subsidy" and total.warning.level == "red"
    assert "Diemen" in total.warning.text
    assert "4 van 15" in total.warning.text and "ten minste 5 (30%)" in total.warning.text
    client = Client()
    client.force_login(users["diemen-viewer"])
    for url in (
        reverse("housing:complex_list"),
        reverse("housing:complex_detail", args=[first.pk]),
        reverse("housing:complex_detail", args=[second.pk]),
    ):
        assert (
            "Subsidievoorwaarde in gevaar voor Gemeente Diemen" in client.get(url).content.decode()
        )


def test_an_ended_subsidy_and_another_municipality_do_not_count(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    today = timezone.localdate()
    _complex(users, organisations["diemen"], "Oud", 10, subsidy_until=today - timedelta(days=1))
    assert selectors.subsidy_totals(user=users["diemen-viewer"], today=today) == []
    uithoorn = services.complex_create(
        actor=users["uithoorn-editor"],
        organisation=organisations["uithoorn"],
        name="Uithoorn flex",
        subsidy_min_share=0.3,
        subsidy_groups=["status_holder"],
    )
    assert selectors.subsidy_totals(user=users["diemen-viewer"], today=today) == []
    assert [
        t.organisation for t in selectors.subsidy_totals(user=users["uithoorn-editor"], today=today)
    ] == [uithoorn.organisation]


# -- COA's norms per linked status holder -----------------------------------------------------


def test_coa_filter_agrees_with_the_engine(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    """Every edge of the list's filter against :func:`coa_term` (the same rule twice)."""
    diemen = organisations["diemen"]
    today = timezone.localdate()
    unit_complex = _complex(users, diemen, "Diemerdreef", 4)
    units = list(Unit.objects.filter(complex=unit_complex).order_by("pk"))
    waiting = {
        offset: _household(users, diemen, waiting_since=today - timedelta(days=offset))
        for offset in (0, 55, 56, 70, 71, 84, 85, 400)
    }
    # placed exactly on the moving date (on time) and one day after it (late)
    placed: dict[str, Household] = {}
    for name, unit, late in (("on_time", units[0], 0), ("late", units[1], 1)):
        household = _household(users, diemen, waiting_since=date(2025, 3, 3))
        services.placement_create(
            actor=users["diemen-editor"],
            household=household,
            unit=unit,
            start=date(2025, 5, 26) + timedelta(days=late),
        )
        placed[name] = household
    ukrainian = _household(
        users, diemen, target_group="displaced_ukrainian", waiting_since=today - timedelta(400)
    )
    base = selectors.household_queryset(user=users["diemen-viewer"], status="all")
    overdue = set(selectors.coa_filter(base, selectors.COA_OVERDUE, today=today))
    due_soon = set(selectors.coa_filter(base, selectors.COA_DUE_SOON, today=today))
    assert overdue == {waiting[71], waiting[84], waiting[85], waiting[400], placed["late"]}
    assert due_soon == {waiting[56], waiting[70]}
    assert ukrainian not in overdue
    terms = selectors.coa_terms(list(base), today=today)
    assert ukrainian.pk not in terms
    for household in [*waiting.values(), *placed.values()]:
        term = terms[household.pk]
        assert (term.state in (CoaState.OVERDUE, CoaState.LATE)) == (household in overdue)
        assert (term.state is CoaState.DUE_SOON) == (household in due_soon)
    assert set(selectors.coa_filter(base, "anything", today=today)) == set(base)
    assert selectors.coa_counts(user=users["diemen-viewer"], today=today) == {
        "overdue": 5,
        "due_soon": 2,
    }


def test_household_page_shows_the_dates_and_the_warning(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    today = timezone.localdate()
    linked_today = _household(users, organisations["diemen"], waiting_since=today)
    overdue = _household(users, organisations["diemen"], waiting_since=today - timedelta(days=80))
    client = Client()
    client.force_login(users["diemen-viewer"])
    page = client.get(reverse("housing:household_detail", args=[linked_today.pk])).content
    text = page.decode()
    home_by = today + timedelta(weeks=10)
    assert f"{home_by:%d-%m-%Y}" in text
    assert f"{today + timedelta(weeks=12):%d-%m-%Y}" in text
    assert "Woning vinden uiterlijk" in text and "utrecht-alert" not in text
    text = client.get(reverse("housing:household_detail", args=[overdue.pk])).content.decode()
    assert "COA-termijn verlopen: op " in text
    assert "10 dagen te laat" in text
    assert "utrecht-alert--error" in text


def test_a_late_placement_shows_late_not_done(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    diemen = organisations["diemen"]
    unit = Unit.objects.filter(complex=_complex(users, diemen, "Diemerdreef", 1)).get()
    household = _household(users, diemen, waiting_since=date(2025, 3, 3))
    services.placement_create(
        actor=users["diemen-editor"], household=household, unit=unit, start=date(2025, 6, 2)
    )
    client = Client()
    client.force_login(users["diemen-viewer"])
    text = client.get(reverse("housing:household_detail", args=[household.pk])).content.decode()
    assert "Te laat gehuisvest: verhuisd op 02-06-2025, 7 dagen na 26-05-2025" in text
    listed = client.get(reverse("housing:household_list"), {"coa": "overdue"}).content.decode()
    assert household.code in listed and "Te laat gehuisvest" in listed


def test_household_list_column_filter_and_overview(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    today = timezone.localdate()
    late = _household(users, organisations["diemen"], waiting_since=today - timedelta(days=90))
    fresh = _household(users, organisations["diemen"], waiting_since=today)
    client = Client()
    client.force_login(users["diemen-viewer"])
    listed = client.get(reverse("housing:household_list")).content.decode()
    assert "COA-termijn" in listed
    assert late.code in listed and fresh.code in listed
    overdue = client.get(
        reverse("housing:household_list"), {"status": "waiting", "coa": "overdue"}
    ).content.decode()
    assert late.code in overdue and fresh.code not in overdue
    assert "COA-termijn verlopen" in overdue
    # sorted by the COA dates
    ordered = client.get(reverse("housing:household_list"), {"sort": "-coa"}).content.decode()
    assert ordered.index(fresh.code) < ordered.index(late.code)
    overview = client.get(reverse("housing:complex_list")).content.decode()
    assert "1 huishouden over de COA-termijn of te laat gehuisvest" in overview
    assert "coa=overdue" in overview
    export = client.get(
        reverse("housing:household_list"), {"coa": "overdue", "export": "csv"}
    ).content.decode("utf-8-sig")
    assert "COA-termijn" in export and late.code in export and fresh.code not in export


def test_api_household_read_has_the_coa_term(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    today = timezone.localdate()
    holder = _household(users, organisations["diemen"], waiting_since=today - timedelta(days=60))
    ukrainian = _household(
        users, organisations["diemen"], target_group="displaced_ukrainian", waiting_since=today
    )
    api = APIClient()
    token = Token.objects.create(user=users["diemen-viewer"])
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    data = {row["code"]: row for row in api.get("/api/v1/households").json()}
    expected = coa_term(holder.waiting_since, today=today)
    assert data[holder.code]["coa_term"] == {
        "linked_on": holder.waiting_since.isoformat(),
        "home_found_by": expected.home_by.isoformat(),
        "moved_in_by": expected.moved_by.isoformat(),
        "placed_on": None,
        "state": "due_soon",
        "step": "home",
        "days": 10,
        "warning": True,
    }
    assert data[ukrainian.code]["coa_term"] is None
