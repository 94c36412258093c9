"""Costs and income derived from the programme: a small complex computed by hand (with a GOO
rate change in the middle of a month), traceability, scoping, the forecast by hand, traffic
lights, empty states, the pages for viewer and controller, an error as Dutch text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import resolve, reverse

import pytest
from tests.fixtures import PASSWORD

from onderdak.apps.accounts.models import Organisation, Role, User
from onderdak.apps.accounts.services import user_set_membership
from onderdak.apps.care import services as care_services
from onderdak.apps.finance.derivation import derived_lines, error_message
from onderdak.apps.finance.forecast import default_as_of, light_of, year_end_forecast
from onderdak.apps.finance.models import (
    Actual,
    ActualImport,
    BudgetAmendment,
    BudgetLine,
    Rate,
)
from onderdak.apps.housing import services as housing_services
from onderdak.engines.finance import FinanceInputError, Light

pytestmark = pytest.mark.django_db

ZERO = Decimal("0.00")


def _rate(organisation: Organisation, day: date, amount: str) -> None:
    Rate.objects.create(
        organisation=organisation,
        scheme="goo",
        name="GOO",
        valid_from=day,
        amount=Decimal(amount),
        unit="place_day",
        source="test",
        national=False,
    )


@pytest.fixture
def programme(users: dict[str, User], organisations: dict[str, Organisation]) -> dict[str, Any]:
    """Diemen: one complex (permit 2024-2026) with unit 1 (3 places, meant for Ukrainians) and
    unit 2 (5 places, open to all); GOO 61.00 from 2024, 44.00 from 1 Jan 2025 and 50.00 from 25 Mar 2025;
    unit 1 in maintenance 10-19 Mar; a Ukrainian household of 3 in unit 2 from 1 Mar; a lease
    and a purchase; a care contract from 1 Jul. Uithoorn: a shared complex of its own."""
    editor = users["diemen-editor"]
    diemen = organisations["diemen"]
    _rate(diemen, date(2024, 1, 1), "61.00")
    _rate(diemen, date(2025, 1, 1), "44.00")
    _rate(diemen, date(2025, 3, 25), "50.00")
    complex = housing_services.complex_create(
        actor=editor,
        organisation=diemen,
        name="Testdreef",
        kind="flex_homes",
        permit_start=date(2024, 1, 1),
        permit_end=date(2026, 12, 31),
    )
    unit1 = housing_services.units_add(
        actor=editor,
        complex=complex,
        count=1,
        rooms=2,
        area_m2=38,
        max_occupants=3,
        target_groups=["displaced_ukrainian"],
    )[0]
    unit2 = housing_services.units_add(
        actor=editor, complex=complex, count=1, rooms=3, area_m2=52, max_occupants=5, first_number=2
    )[0]
    housing_services.unit_set_status(
        actor=editor, unit=unit1, status="maintenance", on=date(2025, 3, 10)
    )
    housing_services.unit_set_status(
        actor=editor, unit=unit1, status="vacant", on=date(2025, 3, 20)
    )
    household = housing_services.household_create(
        actor=editor,
        organisation=diemen,
        target_group="displaced_ukrainian",
        adults=2,
        minors_4_11=1,
        waiting_since=date(2025, 2, 1),
    )
    housing_services.placement_create(
        actor=editor, household=household, unit=unit2, start=date(2025, 3, 1)
    )
    complex.contracts.create(
        kind="lease",
        party="Verhuurder",
        start=date(2025, 1, 1),
        end=date(2025, 3, 31),
        amount=Decimal("36500.00"),
    )
    complex.contracts.create(
        kind="purchase", party="Leverancier", start=date(2024, 1, 1), amount=Decimal("730000.00")
    )
    partner = care_services.partner_create(
        actor=editor, organisation=diemen, name="Zorgpartner", kind="refugee_council"
    )
    care_services.contract_create(
        actor=editor,
        partner=partner,
        reference="Begeleiding 2025",
        start=date(2025, 7, 1),
        amount_per_year=Decimal("12000.00"),
    )
    other = housing_services.complex_create(
        actor=users["uithoorn-editor"],
        organisation=organisations["uithoorn"],
        name="Elders",
        kind="flex_homes",
        shared=True,
    )
    housing_services.units_add(
        actor=users["uithoorn-editor"],
        complex=other,
        count=2,
        rooms=2,
        area_m2=38,
        max_occupants=3,
        target_groups=["displaced_ukrainian"],
    )
    other.contracts.create(
        kind="lease", party="X", start=date(2025, 1, 1), amount=Decimal("10000.00")
    )
    return {"complex": complex, "other": other, "unit1": unit1, "unit2": unit2, "diemen": diemen}


def _by(lines: list[Any], category: str) -> list[Any]:
    return [x for x in lines if x.category == category]


def test_reception_by_hand_with_a_rate_change_in_march(
    programme: dict[str, Any], users: dict[str, User]
) -> None:
    lines = derived_lines(
        user=users["diemen-viewer"],
        organisation_id=programme["diemen"].pk,
        year=2025,
        until=date(2025, 3, 31),
    )
    got = {
        (x.source_label, x.month): (x.quantity, x.amount, x.persons)
        for x in _by(lines, "reception")
    }
    # Unit 1 (3 places, meant for Ukrainians, in use except 10-19 March):
    #   Jan 31 d x 3 = 93 place-days x 44 = 4,092.00; Feb 28 x 3 = 84 x 44 = 3,696.00;
    #   Mar 1-9 (9 d) and 20-31 (12 d): 63 place-days; 9x3x44 = 1,188 + 20-24 Mar 5x3x44 = 660
    #   + 25-31 Mar 7x3x50 = 1,050 -> 2,898.00.
    # Unit 2 (5 places, open to all) counts only with a Ukrainian household, from 1 March:
    #   1-24 Mar 24x5x44 = 5,280 + 25-31 Mar 7x5x50 = 1,750 -> 7,030.00 (155 place-days);
    #   3 persons x 31 days = 93 person-days placed, shown alongside.
    assert got == {
        ("Testdreef 1", "2025-01"): (93, Decimal("4092.00"), 0),
        ("Testdreef 1", "2025-02"): (84, Decimal("3696.00"), 0),
        ("Testdreef 1", "2025-03"): (63, Decimal("2898.00"), 0),
        ("Testdreef 2", "2025-03"): (155, Decimal("7030.00"), 93),
    }
    assert all(
        (x.task_field, x.track, x.target_group, x.direction)
        == ("6.1", "flex_homes", "displaced_ukrainian", "income")
        for x in _by(lines, "reception")
    )


def test_flex_homes_and_care_by_hand(programme: dict[str, Any], users: dict[str, User]) -> None:
    lines = derived_lines(
        user=users["diemen-viewer"], organisation_id=programme["diemen"].pk, year=2025
    )
    # lease 36,500 a year, 1 Jan - 31 Mar (90 days): 36,500 x 90 / 365 = 9,000.00
    assert [(x.quantity, x.amount) for x in _by(lines, "flex_lease")] == [(90, Decimal("9000.00"))]
    # purchase 730,000 on 1 Jan 2024, depreciated until the permit ends (31 Dec 2026): 1,096
    # days; 2025 = round(730,000 x 731/1,096) - round(730,000 x 366/1,096)
    #            = 486,888.69 - 243,777.37 = 243,111.32
    assert [x.amount for x in _by(lines, "flex_depreciation")] == [Decimal("243111.32")]
    assert _by(lines, "flex_purchase") == []  # bought in 2024, not in 2025
    # care contract 12,000 a year from 1 Jul: 184 days -> 12,000 x 184 / 365 = 6,049.32
    assert [(x.task_field, x.track, x.amount) for x in _by(lines, "care")] == [
        ("6.1", "care", Decimal("6049.32"))
    ]
    purchase = derived_lines(
        user=users["diemen-viewer"], organisation_id=programme["diemen"].pk, year=2024
    )
    assert [x.amount for x in _by(purchase, "flex_purchase")] == [Decimal("730000.00")]
    assert not _by(purchase, "flex_purchase")[0].counted


def test_every_line_traceable_and_scoped(programme: dict[str, Any], users: dict[str, User]) -> None:
    lines = derived_lines(
        user=users["diemen-viewer"], organisation_id=programme["diemen"].pk, year=2025
    )
    assert lines
    client = Client()
    client.login(username="diemen-viewer", password=PASSWORD)
    for url in {x.source_url for x in lines}:
        resolve(url)
        assert client.get(url).status_code == 200
    assert programme["other"].pk not in {
        x.source_id for x in lines if x.source_kind == "housing.complex"
    }
    # the Uithoorn editor asking for Diemen's money gets nothing of Diemen's
    assert (
        derived_lines(
            user=users["uithoorn-editor"], organisation_id=programme["diemen"].pk, year=2025
        )
        == []
    )


def test_forecast_by_hand(programme: dict[str, Any], users: dict[str, User]) -> None:
    diemen = programme["diemen"]
    line = BudgetLine.objects.create(
        organisation=diemen,
        year=2025,
        task_field="6.1",
        track="flex_homes",
        target_group="displaced_ukrainian",
        direction="income",
        description="Opvang Oekraïners",
        amount=Decimal("50000.00"),
    )
    BudgetAmendment.objects.create(
        line=line, decided_on=date(2025, 2, 1), amount=Decimal("10000.00"), reference="BW 1"
    )
    BudgetAmendment.objects.create(
        line=line, decided_on=date(2025, 6, 1), amount=Decimal("99999.00"), reference="later"
    )
    batch = ActualImport.objects.create(
        organisation=diemen,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31),
        filename="q1.csv",
    )
    for day, amount in ((date(2025, 2, 15), "20000.00"), (date(2025, 4, 2), "5.00")):
        Actual.objects.create(
            batch=batch,
            booking_date=day,
            account="8000",
            task_field="6.1",
            track="flex_homes",
            target_group="displaced_ukrainian",
            direction="income",
            amount=Decimal(amount),
        )
    result = year_end_forecast(
        user=users["diemen-viewer"], organisation_id=diemen.pk, year=2025, as_of=date(2025, 3, 31)
    )
    ukrainian = next(x for x in result.lines if x.target_group == "displaced_ukrainian")
    # current = 50,000 + 10,000 (decided by 31 Mar; the June amendment not yet)
    # actuals to date = 20,000 (the booking of 2 April is after the as-of date)
    # still to come: 1 Apr - 31 Dec = 275 days, both units in use on 31 Mar carry on:
    #   (3 + 5) places x 275 days x 50.00 = 110,000.00
    assert (ukrainian.current, ukrainian.actual_to_date, ukrainian.still_to_come) == (
        Decimal("60000.00"),
        Decimal("20000.00"),
        Decimal("110000.00"),
    )
    assert ukrainian.forecast == Decimal("130000.00")
    assert ukrainian.variance == Decimal("70000.00")
    assert ukrainian.light is Light.GREEN  # more income than budgeted
    # depreciation still to come: round(730,000 x 275 / 1,096) = 183,166.06, without budget
    depreciation = next(x for x in result.lines if x.task_field == "8.3")
    assert depreciation.still_to_come == Decimal("183166.06")
    assert depreciation.light is Light.RED
    # reserve: Ukrainian income 130,000 - Ukrainian expenditure 0
    assert [r.amount for r in result.reserve] == [Decimal("130000.00")]
    assert result.has_budget and result.has_actuals
    assert len(result.monthly) == 12
    assert result.monthly[2].actual is not None and result.monthly[3].actual is None
    assert result.monthly[-1].forecast == result.totals["expenditure"].forecast


def test_traffic_lights() -> None:
    hundred = Decimal("100.00")
    assert light_of("expenditure", hundred, Decimal("104.99")) is Light.GREEN
    assert light_of("expenditure", hundred, Decimal("105.00")) is Light.AMBER
    assert light_of("expenditure", hundred, Decimal("110.00")) is Light.RED
    assert light_of("income", hundred, Decimal("94.00")) is Light.AMBER
    assert light_of("income", hundred, Decimal("89.00")) is Light.RED
    assert light_of("income", hundred, Decimal("150.00")) is Light.GREEN


def test_empty_state(users: dict[str, User], organisations: dict[str, Organisation]) -> None:
    result = year_end_forecast(
        user=users["diemen-viewer"],
        organisation_id=organisations["diemen"].pk,
        year=2025,
        as_of=date(2025, 6, 30),
    )
    assert (result.lines, result.reserve, result.has_budget, result.has_actuals) == (
        [],
        [],
        False,
        False,
    )
    client = Client()
    client.login(username="diemen-viewer", password=PASSWORD)
    for name, text in (
        ("finance:forecast", "Niets te voorspellen"),
        ("finance:costs", "Niets afgeleid"),
    ):
        response = client.get(reverse(name), {"jaar": "2025"})
        assert response.status_code == 200
        assert text in response.content.decode()


@pytest.mark.parametrize("who", ["diemen-viewer", "diemen-controller"])
def test_pages_render(
    programme: dict[str, Any], organisations: dict[str, Organisation], who: str
) -> None:
    user_set_membership(
        username="diemen-controller",
        organisation=organisations["diemen"],
        role=Role.CONTROLLER,
        password=PASSWORD,
    )
    client = Client()
    client.login(username=who, password=PASSWORD)
    costs = client.get(reverse("finance:costs"), {"jaar": "2025"})
    assert costs.status_code == 200
    page = costs.content.decode()
    assert "Testdreef" in page and "Elders" not in page
    assert reverse("housing:complex_detail", args=[programme["complex"].pk]) in page
    forecast = client.get(reverse("finance:forecast"), {"jaar": "2025", "peildatum": "2025-03-31"})
    assert forecast.status_code == 200
    assert "Rood" in forecast.content.decode()  # the light as text, not colour only
    export = client.get(reverse("finance:costs"), {"jaar": "2025", "export": "csv"})
    assert export.status_code == 200 and "Testdreef" in export.content.decode("utf-8-sig")
    assert client.get(reverse("finance:forecast"), {"export": "xlsx"}).status_code == 200
    filtered = client.get(reverse("finance:costs"), {"jaar": "2025", "categorie": "care"})
    assert "Testdreef 1" not in filtered.content.decode()


def test_error_reaches_the_page_in_dutch(programme: dict[str, Any], users: dict[str, User]) -> None:
    Rate.objects.filter(organisation=programme["diemen"], valid_from__lt=date(2025, 3, 1)).delete()
    with pytest.raises(FinanceInputError) as caught:
        derived_lines(
            user=users["diemen-viewer"], organisation_id=programme["diemen"].pk, year=2025
        )
    assert caught.value.code == "before_first_rate"
    assert "25-3-2025" in error_message(caught.value)
    client = Client()
    client.login(username="diemen-viewer", password=PASSWORD)
    for name in ("finance:costs", "finance:forecast"):
        response = client.get(reverse(name), {"jaar": "2025", "peildatum": "2025-02-01"})
        assert response.status_code == 200
        assert "Er is geen normbedrag voor" in response.content.decode()


def test_a_region_partner_never_sees_the_money(
    programme: dict[str, Any], users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    # Diemen's viewer reads Uithoorn's shared complex, but not Uithoorn's money
    assert (
        derived_lines(
            user=users["diemen-viewer"], organisation_id=organisations["uithoorn"].pk, year=2025
        )
        == []
    )


def test_subsidy_by_hand(users: dict[str, User], organisations: dict[str, Organisation]) -> None:
    editor = users["diemen-editor"]
    diemen = organisations["diemen"]
    subsidised = housing_services.complex_create(
        actor=editor,
        organisation=diemen,
        name="Subsidiedreef",
        kind="flex_homes",
        permit_start=date(2024, 5, 1),
        permit_end=date(2034, 5, 1),
        subsidy_min_share=0.3,
        subsidy_groups=["status_holder"],
    )
    housing_services.units_add(
        actor=editor, complex=subsidised, count=3, rooms=2, area_m2=38, max_occupants=2
    )
    lines = derived_lines(user=users["diemen-viewer"], organisation_id=diemen.pk, year=2024)
    # SFT: 3 units x 7,800 = 23,400.00 in the year the permit starts, track 2 (status holders)
    assert [(x.quantity, x.amount, x.track, x.direction) for x in _by(lines, "subsidy")] == [
        (3, Decimal("23400.00"), "flex_homes", "income")
    ]
    assert derived_lines(user=users["diemen-viewer"], organisation_id=diemen.pk, year=2025) == []


def test_exchange_and_sites_by_hand(
    monkeypatch: pytest.MonkeyPatch, users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    from types import SimpleNamespace

    diemen = organisations["diemen"]
    own, other = diemen.municipality, organisations["uithoorn"].municipality
    assert own is not None and other is not None

    def agreement(pk: int, approved: date) -> Any:
        return SimpleNamespace(pk=pk, title=f"Afspraak {pk}", approved_on=approved, agreed_on=None)

    lines = [
        SimpleNamespace(  # Diemen hands off 10 places and pays 200,000 on 1 May 2025
            agreement=agreement(1, date(2025, 5, 1)),
            from_municipality_id=own.pk,
            to_municipality=other,
            from_municipality=own,
            places=10,
            compensation=Decimal("200000.00"),
            round=SimpleNamespace(target_group="status_holder"),
        ),
        SimpleNamespace(  # approved in 2024: not in 2025
            agreement=agreement(2, date(2024, 12, 31)),
            from_municipality_id=other.pk,
            to_municipality=own,
            from_municipality=other,
            places=5,
            compensation=Decimal("1.00"),
            round=SimpleNamespace(target_group="status_holder"),
        ),
    ]
    sites = [
        SimpleNamespace(  # one-off 50,000 on 1 Jul 2025; 36,500 a year from then (184 days)
            pk=7,
            name="Veld",
            target_groups=["asylum_seeker"],
            available_from=date(2025, 7, 1),
            available_until=None,
            cost_one_off=Decimal("50000.00"),
            cost_yearly=Decimal("36500.00"),
            get_stage_display=lambda: "Besluit",
        ),
        SimpleNamespace(  # no availability date: left out
            pk=8,
            name="Ooit",
            target_groups=[],
            available_from=None,
            available_until=None,
            cost_one_off=Decimal("1.00"),
            cost_yearly=None,
            get_stage_display=lambda: "Shortlist",
        ),
    ]
    monkeypatch.setattr(
        "onderdak.apps.region.selectors.finance_agreement_lines", lambda **kwargs: lines
    )
    monkeypatch.setattr("onderdak.apps.sites.selectors.finance_sites", lambda **kwargs: sites)
    found = derived_lines(user=users["diemen-viewer"], organisation_id=diemen.pk, year=2025)
    assert [(x.category, x.direction, x.amount, x.month) for x in found] == [
        ("exchange", "expenditure", Decimal("200000.00"), "2025-05"),
        ("site_one_off", "expenditure", Decimal("50000.00"), "2025-07"),
        # 36,500 x 184 / 365 = 18,400.00
        ("site_yearly", "expenditure", Decimal("18400.00"), None),
    ]
    assert {x.source_url for x in found} == {
        reverse("region:agreement_detail", args=[1]),
        reverse("sites:detail", args=[7]),
    }


def test_relocation_by_hand(users: dict[str, User], organisations: dict[str, Organisation]) -> None:
    diemen = organisations["diemen"]
    housing_services.complex_create(
        actor=users["diemen-editor"],
        organisation=diemen,
        name="Nieuwe plek",
        kind="flex_homes",
        relocated_units=18,
        relocated_on=date(2024, 7, 1),
        new_build_cost_per_unit=Decimal("160000.00"),
    )
    lines = derived_lines(user=users["diemen-viewer"], organisation_id=diemen.pk, year=2024)
    # 18 x 160,000 x 30% = 864,000.00 relocating; half of that, 432,000.00, preparing the site
    assert [(x.description, x.amount, x.month) for x in _by(lines, "flex_relocation")] == [
        ("18 wooneenheden verplaatsen", Decimal("864000.00"), "2024-07"),
        ("Nieuwe locatie bouwrijp maken", Decimal("432000.00"), "2024-07"),
    ]


def test_forecast_looks_from_the_last_day_the_actuals_cover(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    """Without a peildatum, a past year is forecast from the end of its imported actuals (Q4
    not booked yet comes from the programme), not from 31 December with nothing still to come."""
    diemen, viewer = organisations["diemen"], users["diemen-viewer"]
    today = date(2026, 12, 2)

    def looks_from(year: int) -> date:
        return default_as_of(user=viewer, organisation_id=diemen.pk, year=year, today=today)

    assert looks_from(2025) == date(2025, 12, 31)  # no actuals: today, within the year
    assert looks_from(2027) == today  # a coming year: everything is still to come
    for start, end in (
        (date(2025, 1, 1), date(2025, 3, 31)),
        (date(2025, 7, 1), date(2025, 9, 30)),
    ):
        ActualImport.objects.create(
            organisation=diemen, period_start=start, period_end=end, filename="fa.csv"
        )
    ActualImport.objects.create(
        organisation=organisations["uithoorn"],
        period_start=date(2025, 1, 1),
        period_end=date(2025, 11, 30),
        filename="other.csv",
    )
    assert looks_from(2025) == date(2025, 9, 30)
    assert looks_from(2024) == date(2024, 12, 31)
    client = Client()
    client.force_login(viewer)
    page = client.get(reverse("finance:forecast"), {"jaar": "2025"}).content.decode()
    assert "30-09-2025" in page


def test_a_target_group_without_its_own_line_counts_on_the_line_for_every_group() -> None:
    from onderdak.apps.finance.forecast import _budget_key, _rolled_up

    budget: dict[tuple[str, str, str, str], Any] = {
        ("6.1", "care", "", "expenditure"): None,
        ("6.1", "care", "status_holder", "expenditure"): None,
    }
    assert _budget_key(("6.1", "care", "status_holder", "expenditure"), budget) == (
        "6.1",
        "care",
        "status_holder",
        "expenditure",
    )
    assert _budget_key(("6.1", "care", "uam", "expenditure"), budget) == (
        "6.1",
        "care",
        "",
        "expenditure",
    )
    # no general line of that direction or task field: the line stays itself (unbudgeted)
    assert _budget_key(("6.1", "care", "uam", "income"), budget)[2] == "uam"
    assert _budget_key(("7.1", "care", "uam", "expenditure"), budget)[0] == "7.1"
    rolled = _rolled_up(
        {
            ("6.1", "care", "uam", "expenditure"): Decimal("10.00"),
            ("6.1", "care", "asylum_seeker", "expenditure"): Decimal("2.50"),
            ("6.1", "care", "status_holder", "expenditure"): Decimal("1.00"),
        },
        budget,
    )
    assert rolled == {
        ("6.1", "care", "", "expenditure"): Decimal("12.50"),
        ("6.1", "care", "status_holder", "expenditure"): Decimal("1.00"),
    }


def test_a_line_the_programme_does_not_derive_goes_on_at_the_pace_of_its_actuals() -> None:
    from onderdak.apps.finance.forecast import at_pace

    # 273,000.00 booked from 1 January to 30 September 2025 (273 days): 1,000 a day, and the
    # 92 days from 1 October to 31 December bring 92,000.00 more
    assert at_pace(Decimal("273000.00"), 2025, date(2025, 9, 30)) == Decimal("92000.00")
    # 100.00 in 31 days, 334 days to come: 1,077.4193... rounded half up to cents
    assert at_pace(Decimal("100.00"), 2025, date(2025, 1, 31)) == Decimal("1077.42")
    assert at_pace(Decimal("100.00"), 2025, date(2025, 12, 31)) == ZERO  # the year is over
    assert at_pace(Decimal("100.00"), 2025, date(2024, 12, 31)) == ZERO  # not begun
    assert at_pace(ZERO, 2025, date(2025, 6, 30)) == ZERO
