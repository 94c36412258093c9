"""Regional cooperation: scenarios from the quotas, solving, agreements changing obligations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

import pytest

from onderdak.apps.accounts.models import User
from onderdak.apps.audit.models import AuditEntry
from onderdak.apps.geo.models import Municipality, Region
from onderdak.apps.quotas import selectors as quota_selectors
from onderdak.apps.quotas import services as quota_services
from onderdak.apps.quotas.models import QuotaRound
from onderdak.apps.region import selectors, services
from onderdak.apps.region.models import Agreement, Scenario

pytestmark = pytest.mark.django_db

#: made-up capacities and costs: Diemen is short of asylum places, Uithoorn has room
CAPACITY = {
    ("GM0384", "asylum_seeker"): (150, Decimal(30_000)),
    ("GM0384", "status_holder"): (60, Decimal(20_000)),
    ("GM0437", "asylum_seeker"): (120, Decimal(26_000)),
    ("GM0437", "status_holder"): (20, Decimal(24_000)),
    ("GM0451", "asylum_seeker"): (260, Decimal(24_000)),
    ("GM0451", "status_holder"): (60, Decimal(22_000)),
}


@pytest.fixture
def rounds(users: dict[str, User]) -> list[QuotaRound]:
    staff = users["diemen-admin"]
    staff.is_staff = True
    staff.save()
    asylum = quota_services.quota_round_create(
        actor=staff,
        target_group="asylum_seeker",
        name="Spreidingswet",
        period_start=date(2024, 2, 1),
        period_end=date(2025, 6, 30),
        unit="places",
        national_total_initial=96_000,
        population_date=date(2024, 1, 1),
    )
    status = quota_services.quota_round_create(
        actor=staff,
        target_group="status_holder",
        name="2025-H2",
        period_start=date(2025, 7, 1),
        period_end=date(2025, 12, 31),
        national_total_initial=13_000,
        population_date=date(2024, 1, 1),
    )
    for round in (asylum, status):
        quota_services.quota_round_compute(actor=staff, round=round)
    return [asylum, status]


@pytest.fixture
def scenario(users: dict[str, User], rounds: list[QuotaRound]) -> Scenario:
    coordinator = users["duo-coordinator"]
    scenario = services.scenario_create_from_quotas(
        actor=coordinator,
        region=Region.objects.get(code="DUOPLUS"),
        name="Duo+ ruil",
        mode="swap",
        rounds=rounds,
    )
    changes = {
        e.pk: {
            "capacity": CAPACITY[(e.municipality.code, e.target_group)][0],
            "cost_per_place": CAPACITY[(e.municipality.code, e.target_group)][1],
        }
        for e in scenario.entries.select_related("municipality")
    }
    services.scenario_entries_update(actor=coordinator, scenario=scenario, changes=changes)
    return scenario


def approve_all(actor: User, agreement: Agreement, on: date = date(2025, 1, 28)) -> None:
    """Every party's approval, recorded by ``actor`` (the region's coordinator)."""
    for party in selectors.agreement_parties(agreement):
        services.agreement_approve(
            actor=actor, agreement=agreement, municipality=party, decided_on=on
        )


def test_scenario_takes_obligations_and_populations_from_the_data(scenario: Scenario) -> None:
    members = {
        m.municipality.code: m.population for m in scenario.members.select_related("municipality")
    }
    assert members == {"GM0384": 32_977, "GM0437": 14_447, "GM0451": 31_685}
    obligations = {
        (e.municipality.code, e.target_group): e.obligation
        for e in scenario.entries.select_related("municipality")
    }
    # population shares of 96,000 and 13,000 (Hamilton): Diemen 176 and 24
    assert obligations[("GM0384", "asylum_seeker")] == 176
    assert obligations[("GM0384", "status_holder")] == 24
    assert len(obligations) == 6


def test_swap_result_keeps_group_totals_and_each_municipality_s_points(
    users: dict[str, User], scenario: Scenario
) -> None:
    result = services.scenario_solve(actor=users["duo-coordinator"], scenario=scenario)
    assert result.status == "optimal", result.reason
    provided = result.solution["provided"]
    entries = list(scenario.entries.select_related("municipality"))
    for group in ("asylum_seeker", "status_holder"):
        owed = sum(e.obligation for e in entries if e.target_group == group)
        assert sum(provided[code][group] for code in provided) == owed
    for code in provided:
        owed_points = sum(e.obligation for e in entries if e.municipality.code == code)
        assert sum(provided[code].values()) == owed_points
    for e in entries:
        assert provided[e.municipality.code][e.target_group] <= e.capacity
    assert result.total_cost is not None
    assert result.total_cost == sum(
        CAPACITY[(code, g)][1] * n for code, groups in provided.items() for g, n in groups.items()
    )
    # Diemen cannot realise its 176 asylum places (capacity 150): it hands off, so there are transfers
    assert any(
        t["from"] == "GM0384" and t["group"] == "asylum_seeker"
        for t in result.solution["transfers"]
    )
    assert result.baseline_cost is None  # without exchange Diemen's obligation exceeds its capacity


def test_infeasible_scenario_is_a_normal_answer_with_a_reason(
    users: dict[str, User], scenario: Scenario
) -> None:
    changes = {e.pk: {"capacity": 0} for e in scenario.entries.filter(target_group="asylum_seeker")}
    services.scenario_entries_update(
        actor=users["duo-coordinator"], scenario=scenario, changes=changes
    )
    result = services.scenario_solve(actor=users["duo-coordinator"], scenario=scenario)
    assert result.status == "infeasible"
    assert "asylum_seeker" in result.reason


def test_bad_entries_are_refused_and_nothing_is_saved(
    users: dict[str, User], scenario: Scenario
) -> None:
    entry = scenario.entries.first()
    assert entry is not None
    capacity = entry.capacity
    client = Client()
    client.force_login(users["duo-coordinator"])
    data = {
        f"e{e.pk}-{f}": getattr(e, f) if getattr(e, f) is not None else ""
        for e in scenario.entries.all()
        for f in ("obligation", "capacity", "cost_per_place", "max_take_over", "max_hand_off")
    }
    data[f"e{entry.pk}-capacity"] = "-5"
    response = client.post(reverse("region:scenario_detail", args=[scenario.pk]), data)
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.capacity == capacity


def test_agreement_changes_both_obligations_when_agreed_and_back_when_withdrawn(
    users: dict[str, User], scenario: Scenario
) -> None:
    coordinator = users["duo-coordinator"]
    result = services.scenario_solve(actor=coordinator, scenario=scenario)
    agreement = services.agreement_create_from_result(
        actor=coordinator, result=result, title="Ruil Duo+"
    )
    assert agreement.status == "draft"
    diemen = Municipality.objects.get(code="GM0384")

    def asylum_obligation() -> int | None:
        [balance] = [
            b
            for b in quota_selectors.balances(municipality=diemen, today=date(2025, 3, 1))
            if b.target_group == "asylum_seeker"
        ]
        return balance.obligation

    before = asylum_obligation()
    handed_off = sum(
        line.places
        for line in agreement.lines.filter(
            from_municipality=diemen, round__target_group="asylum_seeker"
        )
    )
    assert handed_off > 0
    approve_all(coordinator, agreement)
    services.agreement_set_status(
        actor=coordinator, agreement=agreement, status="agreed", on=date(2025, 2, 1)
    )
    assert asylum_obligation() == (before or 0) - handed_off
    positions = {p.municipality.code: p for p in selectors.netting(region=scenario.region)}
    assert sum(p.places for p in positions.values()) == 0
    with pytest.raises(ValidationError):
        services.agreement_delete(actor=coordinator, agreement=agreement)
    services.agreement_set_status(actor=coordinator, agreement=agreement, status="withdrawn")
    assert asylum_obligation() == before
    assert AuditEntry.objects.filter(object_type="region.Agreement").count() >= 3


def test_access_to_scenarios_and_agreements(users: dict[str, User], scenario: Scenario) -> None:
    result = services.scenario_solve(actor=users["duo-coordinator"], scenario=scenario)
    agreement = services.agreement_create_from_result(
        actor=users["duo-coordinator"], result=result, title="Ruil"
    )
    outsider = Client()
    outsider.force_login(users["amsterdam-editor"])
    assert outsider.get(reverse("region:scenario_detail", args=[scenario.pk])).status_code == 404
    assert outsider.get(reverse("region:result_detail", args=[result.pk])).status_code == 404
    assert outsider.get(reverse("region:agreement_detail", args=[agreement.pk])).status_code == 404
    assert outsider.get(reverse("region:dashboard", args=["DUOPLUS"])).status_code == 404
    viewer = Client()
    viewer.force_login(users["diemen-viewer"])
    assert viewer.get(reverse("region:scenario_detail", args=[scenario.pk])).status_code == 200
    assert viewer.post(reverse("region:scenario_solve", args=[scenario.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.agreement_set_status(
            actor=users["diemen-viewer"], agreement=agreement, status="agreed"
        )
    editor = Client()
    editor.force_login(users["diemen-editor"])
    page = editor.get(reverse("region:dashboard", args=["DUOPLUS"])).content.decode()
    assert "Duo+ ruil" in page


def test_pages_render(users: dict[str, User], scenario: Scenario) -> None:
    result = services.scenario_solve(actor=users["duo-coordinator"], scenario=scenario)
    client = Client()
    client.force_login(users["duo-coordinator"])
    assert client.get(reverse("region:index")).status_code == 302  # one region: straight to it
    assert client.get(reverse("region:dashboard", args=["DUOPLUS"])).status_code == 200
    page = client.get(reverse("region:result_detail", args=[result.pk])).content.decode()
    assert "<svg" in page
    response = client.post(
        reverse("region:result_detail", args=[result.pk]), {"title": "Ruil via de pagina"}
    )
    agreement = Agreement.objects.get(title="Ruil via de pagina")
    assert response.status_code == 302
    assert client.get(reverse("region:agreement_detail", args=[agreement.pk])).status_code == 200
    assert client.get(reverse("region:agreement_list")).status_code == 200


def test_api(users: dict[str, User], scenario: Scenario) -> None:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=users["duo-coordinator"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/exchange-scenarios").json()["count"] == 1
    detail: dict[str, Any] = client.get(f"/api/v1/exchange-scenarios/{scenario.pk}").json()
    assert len(detail["entries"]) == 6
    solved = client.post(f"/api/v1/exchange-scenarios/{scenario.pk}/solve")
    assert solved.status_code == 201
    assert solved.json()["status"] == "optimal"
    result = scenario.results.get()
    agreement = services.agreement_create_from_result(
        actor=users["duo-coordinator"], result=result, title="Ruil"
    )
    refused = client.post(
        f"/api/v1/agreements/{agreement.pk}/status",
        {"status": "agreed", "on": "2025-02-01"},
        format="json",
    )
    assert refused.status_code == 409
    assert refused["Content-Type"] == "application/problem+json"
    assert "Uithoorn" in refused.json()["detail"]
    for party in selectors.agreement_parties(agreement):
        approved = client.post(
            f"/api/v1/agreements/{agreement.pk}/approvals",
            {"municipality": party.code, "decided_on": "2025-01-28"},
            format="json",
        )
        assert approved.status_code == 201
    again = client.post(
        f"/api/v1/agreements/{agreement.pk}/approvals",
        {"municipality": party.code, "decided_on": "2025-01-28"},
        format="json",
    )
    assert again.status_code == 409
    changed = client.post(
        f"/api/v1/agreements/{agreement.pk}/status",
        {"status": "agreed", "on": "2025-02-01"},
        format="json",
    )
    assert changed.status_code == 200
    assert changed.json()["status"] == "agreed"
    outsider = APIClient()
    token, _ = Token.objects.get_or_create(user=users["amsterdam-editor"])
    outsider.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert outsider.get(f"/api/v1/agreements/{agreement.pk}").status_code == 404
    assert outsider.post(f"/api/v1/exchange-scenarios/{scenario.pk}/solve").status_code == 404


def _agreement(users: dict[str, User], scenario: Scenario) -> Agreement:
    result = services.scenario_solve(actor=users["duo-coordinator"], scenario=scenario)
    return services.agreement_create_from_result(
        actor=users["duo-coordinator"], result=result, title="Ruil Duo+"
    )


def _asylum_obligation(code: str) -> int | None:
    [balance] = [
        b
        for b in quota_selectors.balances(
            municipality=Municipality.objects.get(code=code), today=date(2025, 3, 1)
        )
        if b.target_group == "asylum_seeker"
    ]
    return balance.obligation


def test_one_party_cannot_bind_the_others_without_their_approval(
    users: dict[str, User], scenario: Scenario
) -> None:
    """Issue 11: Diemen's editor made the agreement binding and changed Uithoorn's quota."""
    agreement = _agreement(users, scenario)
    editor = users["diemen-editor"]
    uithoorn_before = _asylum_obligation("GM0451")
    with pytest.raises(ValidationError) as refused:
        services.agreement_set_status(actor=editor, agreement=agreement, status="agreed")
    assert "Uithoorn" in " ".join(refused.value.messages)
    assert _asylum_obligation("GM0451") == uithoorn_before
    # Diemen's editor approves for Diemen only, not for Uithoorn
    diemen = Municipality.objects.get(code="GM0384")
    uithoorn = Municipality.objects.get(code="GM0451")
    assert [m.code for m in selectors.approvable_parties(editor, agreement)] == ["GM0384"]
    services.agreement_approve(
        actor=editor, agreement=agreement, municipality=diemen, decided_on=date(2025, 1, 20)
    )
    with pytest.raises(PermissionDenied):
        services.agreement_approve(
            actor=editor, agreement=agreement, municipality=uithoorn, decided_on=date(2025, 1, 20)
        )
    with pytest.raises(ValidationError):
        services.agreement_set_status(actor=editor, agreement=agreement, status="agreed")
    # Uithoorn's own editor approves; the remaining parties by the coordinator with the date
    services.agreement_approve(
        actor=users["uithoorn-editor"],
        agreement=agreement,
        municipality=uithoorn,
        decided_on=date(2025, 1, 27),
    )
    approve_rest = [
        p for p in selectors.agreement_consent(agreement=agreement).parties if p.approval is None
    ]
    for party in approve_rest:
        services.agreement_approve(
            actor=users["duo-coordinator"],
            agreement=agreement,
            municipality=party.municipality,
            decided_on=date(2025, 1, 28),
        )
    consent = selectors.agreement_consent(agreement=agreement, status="agreed")
    assert consent.missing == []
    effect = {
        (p.municipality.code, c.round.target_group): (c.before, c.after)
        for p in consent.parties
        for c in p.changes
    }
    services.agreement_set_status(actor=editor, agreement=agreement, status="agreed")
    agreement.refresh_from_db()
    assert agreement.agreed_on == date(2025, 1, 28)  # the last party's decision
    before, after = effect[("GM0451", "asylum_seeker")]
    assert before == uithoorn_before
    assert _asylum_obligation("GM0451") == after != before
    # the status change is in every party's audit trail
    entries = AuditEntry.objects.filter(
        object_type="region.Agreement", object_id=str(agreement.pk), action="update"
    )
    organisations = set(entries.values_list("organisation__municipality__code", flat=True))
    assert {p.municipality.code for p in consent.parties} <= organisations
    # withdrawing clears the approvals: binding again needs them again
    services.agreement_set_status(actor=editor, agreement=agreement, status="withdrawn")
    assert _asylum_obligation("GM0451") == uithoorn_before
    assert not agreement.approvals.exists()
    with pytest.raises(ValidationError):
        services.agreement_set_status(actor=editor, agreement=agreement, status="agreed")


def test_status_change_page_confirms_and_shows_the_effect_on_every_party(
    users: dict[str, User], scenario: Scenario
) -> None:
    agreement = _agreement(users, scenario)
    client = Client()
    client.force_login(users["duo-coordinator"])
    url = reverse("region:agreement_status", args=[agreement.pk])
    # unapproved: the confirmation page refuses and names the parties, nothing changes
    page = client.get(url, {"status": "agreed"}).content.decode()
    assert "Uithoorn" in page and "confirmed" not in page
    response = client.post(url, {"status": "agreed", "confirmed": "1"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == "draft"
    # the coordinator records each party's approval with the decision date
    for party in selectors.agreement_parties(agreement):
        response = client.post(
            reverse("region:agreement_approve", args=[agreement.pk]),
            {"party": party.pk, "decided_on": "2025-01-28"},
        )
        assert response.status_code == 302
    assert agreement.approvals.count() == len(selectors.agreement_parties(agreement))
    uithoorn_before = _asylum_obligation("GM0451")
    page = client.get(url, {"status": "agreed"}).content.decode()
    consent = selectors.agreement_consent(agreement=agreement, status="agreed")
    [change] = [
        c
        for p in consent.parties
        if p.municipality.code == "GM0451"
        for c in p.changes
        if c.round.target_group == "asylum_seeker"
    ]
    assert f">{change.before}<" in page and f">{change.after}<" in page
    # without the confirmation nothing happens
    client.post(url, {"status": "agreed"})
    agreement.refresh_from_db()
    assert agreement.status == "draft"
    client.post(url, {"status": "agreed", "confirmed": "1"})
    agreement.refresh_from_db()
    assert agreement.status == "agreed"
    assert _asylum_obligation("GM0451") == change.after != uithoorn_before
    # withdrawing shows the way back and asks too
    page = client.get(url, {"status": "withdrawn"}).content.decode()
    assert f">{change.after}<" in page and f">{change.before}<" in page
    assert 'name="confirmed"' in page


def test_deleting_a_round_that_an_agreement_uses_is_refused_in_dutch(
    users: dict[str, User], scenario: Scenario, rounds: list[QuotaRound]
) -> None:
    """Issue 11: deleting a quota round that an agreement uses was a 500 (ProtectedError)."""
    agreement = _agreement(users, scenario)
    used = agreement.lines.first()
    assert used is not None
    round = used.round
    staff = users["diemen-admin"]
    with pytest.raises(ValidationError) as refused:
        quota_services.quota_round_delete(actor=staff, round=round)
    assert refused.value.code == "in_use"
    client = Client()
    client.force_login(staff)
    response = client.post(reverse("quotas:round_delete", args=[round.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "kan niet worden verwijderd" in page and "Ruil Duo+" in page
    assert QuotaRound.objects.filter(pk=round.pk).exists()


def test_region_dashboard_stays_within_30_queries(
    users: dict[str, User], scenario: Scenario, django_assert_max_num_queries: Any
) -> None:
    """Issue 11: /regio/ made 51 queries and computed the balances once per member."""
    agreement = _agreement(users, scenario)
    approve_all(users["duo-coordinator"], agreement)
    services.agreement_set_status(
        actor=users["duo-coordinator"], agreement=agreement, status="agreed"
    )
    client = Client()
    client.force_login(users["diemen-editor"])
    url = reverse("region:dashboard", args=["DUOPLUS"])
    client.get(url)  # warm caches that are per process (translations, templates)
    with django_assert_max_num_queries(30) as queries:
        page = client.get(url)
    assert page.status_code == 200
    assert len(queries.captured_queries) <= 30


def _entries_form(scenario: Scenario, **changes: Any) -> dict[str, Any]:
    """The scenario page's table as posted, with ``changes`` ({"e<pk>-<field>": value})."""
    fields = ("obligation", "capacity", "cost_per_place", "max_take_over", "max_hand_off")
    data: dict[str, Any] = {
        f"e{e.pk}-{f}": getattr(e, f) if getattr(e, f) is not None else ""
        for e in scenario.entries.all()
        for f in fields
    }
    data.update(changes)
    return data


def test_solving_from_the_scenario_page_saves_the_edits_first(
    users: dict[str, User], scenario: Scenario
) -> None:
    """Issue 11: "Doorrekenen" above the table threw away unsaved edits silently."""
    client = Client()
    client.force_login(users["duo-coordinator"])
    url = reverse("region:scenario_detail", args=[scenario.pk])
    page = client.get(url).content.decode()
    # the solve button submits the table's form (no separate form that drops the edits)
    assert 'form="od-entries" name="then" value="solve"' in page
    assert 'id="od-entries"' in page
    entry = scenario.entries.get(municipality__code="GM0451", target_group="asylum_seeker")
    response = client.post(
        url, _entries_form(scenario, **{f"e{entry.pk}-capacity": 300, "then": "solve"})
    )
    entry.refresh_from_db()
    assert entry.capacity == 300
    result = scenario.results.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("region:result_detail", args=[result.pk])
    assert result.input["municipalities"][2]["capacity"]["asylum_seeker"] == 300


def test_a_new_scenario_with_trivial_inputs_says_so(
    users: dict[str, User], rounds: list[QuotaRound]
) -> None:
    """Issue 11: capacity = obligation and cost 0 solved to "€ 0,00, geen overdrachten" silently."""
    coordinator = users["duo-coordinator"]
    scenario = services.scenario_create_from_quotas(
        actor=coordinator,
        region=Region.objects.get(code="DUOPLUS"),
        name="Nieuw",
        mode="swap",
        rounds=rounds,
    )
    from onderdak.apps.region import adapters

    notes = selectors.input_notes(adapters.scenario_as_input(scenario))
    assert notes == [selectors.InputNote.NO_SPARE_CAPACITY, selectors.InputNote.NO_COSTS]
    client = Client()
    client.force_login(coordinator)
    page = client.get(reverse("region:scenario_detail", args=[scenario.pk])).content.decode()
    assert "Geen gemeente heeft meer capaciteit dan haar taakstelling" in page
    assert "Alle kosten per plaats zijn 0" in page
    result = services.scenario_solve(actor=coordinator, scenario=scenario)
    page = client.get(reverse("region:result_detail", args=[result.pk])).content.decode()
    assert "De invoer laat niets te ruilen over" in page
    # a scenario with real inputs has no notes
    assert selectors.input_notes(adapters.scenario_as_input(_filled(scenario, users))) == []


def _filled(scenario: Scenario, users: dict[str, User]) -> Scenario:
    changes = {
        e.pk: {
            "capacity": CAPACITY[(e.municipality.code, e.target_group)][0],
            "cost_per_place": CAPACITY[(e.municipality.code, e.target_group)][1],
        }
        for e in scenario.entries.select_related("municipality")
    }
    services.scenario_entries_update(
        actor=users["duo-coordinator"], scenario=scenario, changes=changes
    )
    return scenario


def test_an_infeasible_result_is_explained_in_dutch(
    users: dict[str, User], scenario: Scenario
) -> None:
    """Issue 11: the exchange engine's English reason was shown on the Dutch page."""
    changes = {e.pk: {"capacity": 0} for e in scenario.entries.filter(target_group="asylum_seeker")}
    services.scenario_entries_update(
        actor=users["duo-coordinator"], scenario=scenario, changes=changes
    )
    result = services.scenario_solve(actor=users["duo-coordinator"], scenario=scenario)
    assert result.solution["conflicts"][0]["kind"] == "group_capacity"
    client = Client()
    client.force_login(users["diemen-viewer"])
    page = client.get(reverse("region:result_detail", args=[result.pk])).content.decode()
    from django.utils import translation

    from onderdak.common.vocabulary import target_group_label

    with translation.override("nl"):
        label = target_group_label("asylum_seeker")
    assert f"De regio heeft te weinig capaciteit voor {label}: " in page
    assert result.reason not in page  # the English sentence stays the CLI's
    assert "asylum_seeker" not in page


def test_flow_diagram_numbers_of_crossing_transfers_do_not_overlap() -> None:
    """Issue 11: the flow diagram's labels overlapped (a swap's two lines cross in the middle)."""
    from onderdak.apps.region import charts

    transfers = [
        {"from": "GM0384", "to": "GM0437", "group": "asylum_seeker", "places": 10},
        {"from": "GM0384", "to": "GM0451", "group": "asylum_seeker", "places": 23},
        {"from": "GM0437", "to": "GM0384", "group": "status_holder", "places": 10},
        {"from": "GM0451", "to": "GM0384", "group": "status_holder", "places": 23},
        {"from": "GM0451", "to": "GM0384", "group": "asylum_seeker", "places": 5},
    ]
    names = {"GM0384": "Diemen", "GM0437": "Ouder-Amstel", "GM0451": "Uithoorn"}
    spec = charts.transfer_chart(transfers, names)
    assert spec is not None

    def values(node: Any) -> list[dict[str, Any]]:
        if isinstance(node, dict):
            found = [r for r in node.get("values", []) if isinstance(r, dict)]
            return found + [r for key, v in node.items() if key != "values" for r in values(v)]
        if isinstance(node, list):
            return [r for item in node for r in values(item)]
        return []

    rows = list({row["id"]: row for row in values(spec) if "mx" in row}.values())
    positions = {(round(row["mx"], 3), round(row["my"], 3)) for row in rows}
    assert len(rows) == len(transfers) == len(positions)


def test_an_invalid_scenario_is_refused_in_the_users_language_through_the_api(
    users: dict[str, User], scenario: Scenario
) -> None:
    """The engine's input error reaches an API client as the page says it, not the engine's
    English text (issue 11: engines return codes, the apps translate)."""
    Scenario.objects.filter(pk=scenario.pk).update(fairness_min_ratio=-1.0)
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=users["duo-coordinator"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    refused = client.post(
        f"/api/v1/exchange-scenarios/{scenario.pk}/solve", HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "De waarde bij fairness.min_ratio is ongeldig." in body and "must be" not in body
    assert not scenario.results.exists()
