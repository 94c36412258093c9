"""Region scenarios keep asylum places within their province (Spreidingswet), issue 12 §3.

Asylum seekers and unaccompanied minors are ``within_province`` in every scenario built here;
status holders may move between any municipalities (art. 29(2) Huisvestingswet 2014). Duo+
lies in Noord-Holland; for these tests Uithoorn is put in Utrecht so the region spans the
border, as 14 of the shipped regions do.
"""

from __future__ import annotations

from decimal import Decimal

from django.test import Client
from django.urls import reverse

import pytest

from onderdak.apps.accounts.models import User
from onderdak.apps.geo.models import Municipality, Province
from onderdak.apps.region import adapters, services
from onderdak.apps.region.models import Scenario
from onderdak.apps.region.tests.test_region import rounds, scenario  # noqa: F401 (fixtures)
from onderdak.data.reference import read_reference_data

pytestmark = pytest.mark.django_db


def _across(chosen: Scenario) -> Scenario:
    uithoorn = Municipality.objects.get(code="GM0451")
    uithoorn.province = Province.objects.exclude(pk=uithoorn.province_id).get(name="Utrecht")
    uithoorn.save()
    chosen.mode = "compensation"
    chosen.save()
    return chosen


def test_the_input_marks_asylum_groups_and_gives_provinces(scenario: Scenario) -> None:  # noqa: F811
    data = adapters.scenario_as_input(scenario)
    assert data["groups"]["asylum_seeker"] == {"points": 1, "within_province": True}
    assert "within_province" not in data["groups"]["status_holder"]
    assert {m["code"]: m["province"] for m in data["municipalities"]} == {
        "GM0384": "Noord-Holland",
        "GM0437": "Noord-Holland",
        "GM0451": "Noord-Holland",
    }


def test_asylum_places_do_not_cross_the_border_and_the_page_says_why(
    users: dict[str, User],
    scenario: Scenario,  # noqa: F811
) -> None:
    coordinator = users["duo-coordinator"]
    _across(scenario)
    result = services.scenario_solve(actor=coordinator, scenario=scenario)
    assert result.status == "optimal", result.reason
    provinces = {m["code"]: m["province"] for m in result.input["municipalities"]}
    assert provinces["GM0451"] == "Utrecht"
    for transfer in result.solution["transfers"]:
        if transfer["group"] == "asylum_seeker":
            assert provinces[transfer["from"]] == provinces[transfer["to"]]
    provided = result.solution["provided"]
    entries = list(scenario.entries.select_related("municipality"))
    for label in ("Noord-Holland", "Utrecht"):
        owed = sum(
            e.obligation
            for e in entries
            if e.target_group == "asylum_seeker" and provinces[e.municipality.code] == label
        )
        assert owed == sum(
            provided[code]["asylum_seeker"] for code in provided if provinces[code] == label
        )
    prices = result.solution["prices"]["asylum_seeker"]
    assert set(prices) == {"Noord-Holland", "Utrecht"}

    client = Client()
    client.force_login(coordinator)
    page = client.get(reverse("region:result_detail", args=[result.pk])).content.decode()
    assert "Totalen per provincie" in page
    assert "gaan niet over de provinciegrens" in page
    assert "Asielzoekers in Utrecht" in page

    agreement = services.agreement_create_from_result(
        actor=coordinator, result=result, title="Over de grens"
    )
    for line in agreement.lines.select_related("round", "from_municipality"):
        group = line.round.target_group
        price = result.solution["prices"][group]
        if isinstance(price, dict):
            price = price[provinces[line.from_municipality.code]]
        assert line.compensation == (Decimal(str(price)) * line.places).quantize(Decimal("0.01"))


def test_a_province_short_of_capacity_is_named_in_dutch(
    users: dict[str, User],
    scenario: Scenario,  # noqa: F811
) -> None:
    coordinator = users["duo-coordinator"]
    _across(scenario)
    entry = scenario.entries.get(municipality__code="GM0451", target_group="asylum_seeker")
    # one place short in Utrecht while Noord-Holland has room: the region as a whole would do
    changes = {entry.pk: {"capacity": entry.obligation - 1}}
    services.scenario_entries_update(actor=coordinator, scenario=scenario, changes=changes)
    result = services.scenario_solve(actor=coordinator, scenario=scenario)
    assert result.status == "infeasible"
    assert result.solution["conflicts"][0]["kind"] == "province_capacity"
    assert result.solution["conflicts"][0]["province"] == "Utrecht"
    client = Client()
    client.force_login(coordinator)
    page = client.get(reverse("region:result_detail", args=[result.pk])).content.decode()
    assert "De provincie Utrecht heeft te weinig capaciteit voor Asielzoekers" in page


def test_fourteen_shipped_regions_span_more_than_one_province() -> None:
    """The regions for which the result page shows totals per province (issue 12 §3)."""
    data = read_reference_data()
    province = {m.code: m.province_code for m in data.municipalities}
    spanning = {
        region.code
        for region in data.regions
        if region.region_type != "country"
        and len({province[m.municipality_code] for m in region.members}) > 1
    }
    assert len(spanning) == 14
    assert "MRA" in spanning
