"""The care and support API: the catalogue, ownership, the coverage matrix, demand against
capacity, partners and contracts, and integration cases (reads logged with the API purpose);
the same access rules as the pages (404 for what the user may not see, 403 for read-only)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

import pytest

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.audit.models import AccessLog, AuditEntry
from onderdak.apps.care import selectors, services
from onderdak.apps.care.catalogue import template
from onderdak.apps.care.models import (
    Contract,
    CoverageStatus,
    IntegrationCase,
    Ownership,
    Partner,
    Service,
)
from onderdak.apps.housing import services as housing_services
from onderdak.apps.housing.models import Household
from onderdak.engines.care import SEVERITY, add_weeks, first_of_next_month
from onderdak.engines.care import CoverageStatus as EngineStatus

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def api(user: User | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def invalid(response: Any) -> set[str]:
    """The names of the invalid parameters of a 400 problem response."""
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    return {param["name"] for param in response.json()["invalidParams"]}


@pytest.fixture
def adopted(editor: User, diemen: Organisation) -> list[Service]:
    services.catalogue_adopt(actor=editor, organisation=diemen)
    return list(Service.objects.filter(organisation=diemen))


@pytest.fixture
def partner(editor: User, diemen: Organisation) -> Partner:
    return services.partner_create(
        actor=editor, organisation=diemen, name="Taalhuis Amstel", kind="language_provider"
    )


@pytest.fixture
def outsider_partner(users: dict[str, User], organisations: dict[str, Organisation]) -> Partner:
    return services.partner_create(
        actor=users["uithoorn-editor"],
        organisation=organisations["uithoorn"],
        name="Taalschool Uithoorn",
        kind="language_provider",
    )


def own_service(editor: User, organisation: Organisation, **extra: Any) -> Service:
    fields: dict[str, Any] = {
        "code": "newcomer_class",
        "category": "education",
        "name": "Nieuwkomersklas",
        "target_groups": ["status_holder", "displaced_ukrainian"],
        "basis": "children_4_11",
    }
    fields.update(extra)
    return services.service_create(actor=editor, organisation=organisation, **fields)


def case(editor: User, organisation: Organisation, code: str, **extra: Any) -> IntegrationCase:
    fields: dict[str, Any] = {"linked_on": timezone.localdate() - timedelta(days=20)}
    fields.update(extra)
    return services.integration_case_create(
        actor=editor, organisation=organisation, code=code, **fields
    )


# --- the catalogue ----------------------------------------------------------------------------


def test_adopt_through_the_api_then_list(editor: User, diemen: Organisation) -> None:
    client = api(editor)
    total = len(template().services)
    first = client.post("/api/v1/care/catalogue/adopt", {"organisation": diemen.pk}, format="json")
    assert first.status_code == 200
    cells = Ownership.objects.filter(service__organisation=diemen).count()
    assert first.json() == {"created": total, "already": 0, "cells": cells}
    assert cells == sum(len(entry.target_groups) for entry in template().services)
    again = client.post("/api/v1/care/catalogue/adopt", {"organisation": diemen.pk}, format="json")
    assert again.json() == {"created": 0, "already": total, "cells": 0}
    listing = client.get(
        "/api/v1/care/services", {"organisation": diemen.pk, "page_size": 500}
    ).json()
    assert listing["count"] == total
    codes = {row["code"] for row in listing["results"]}
    assert codes == {entry.code for entry in template().services}
    row = listing["results"][0]
    assert row["organisation"] == diemen.pk and row["active"] is True
    assert row["template_code"] == row["code"]
    page = client.get("/api/v1/care/services", {"page_size": 10}).json()
    assert page["count"] == total and len(page["results"]) == 10


def test_retire_hides_a_service_until_it_is_reinstated(
    editor: User, diemen: Organisation, adopted: list[Service]
) -> None:
    client = api(editor)
    service = adopted[0]
    refused = client.post(f"/api/v1/care/services/{service.pk}/retire", {}, format="json")
    assert invalid(refused) == {"reason"}
    retired = client.post(
        f"/api/v1/care/services/{service.pk}/retire",
        {"on": "2025-06-30", "reason": "Overgenomen door de regio"},
        format="json",
    )
    assert retired.status_code == 200
    assert retired.json()["active"] is False and retired.json()["retired_on"] == "2025-06-30"
    active = client.get("/api/v1/care/services", {"organisation": diemen.pk, "page_size": 500})
    assert service.pk not in {row["id"] for row in active.json()["results"]}
    everything = client.get(
        "/api/v1/care/services",
        {"organisation": str(diemen.pk), "include_retired": "true", "page_size": "500"},
    )
    assert service.pk in {row["id"] for row in everything.json()["results"]}
    back = client.post(f"/api/v1/care/services/{service.pk}/reinstate")
    assert back.status_code == 200 and back.json()["active"] is True
    service.refresh_from_db()
    assert service.retired_on is None and service.retired_reason == ""


def test_own_service_gets_a_cell_per_target_group_and_follows_changes(
    editor: User, diemen: Organisation
) -> None:
    client = api(editor)
    body = {
        "organisation": diemen.pk,
        "code": "buddy_project",
        "category": "social",
        "name": "Maatjesproject",
        "target_groups": ["status_holder", "displaced_ukrainian"],
        "basis": "households",
        "task_field": "6.1",
    }
    created = client.post("/api/v1/care/services", body, format="json")
    assert created.status_code == 201
    service = created.json()
    assert service["template_code"] == "" and service["basis"] == "households"
    cells = client.get(f"/api/v1/care/services/{service['id']}/ownerships").json()
    assert cells["count"] == 2
    assert {c["target_group"] for c in cells["results"]} == {"status_holder", "displaced_ukrainian"}
    assert {c["status"] for c in cells["results"]} == {"missing"}
    assert {c["task_field"] for c in cells["results"]} == {"6.1"}
    assert invalid(client.post("/api/v1/care/services", body, format="json")) == {"code"}
    assert invalid(
        client.post("/api/v1/care/services", {**body, "code": "Met Hoofdletters"}, format="json")
    ) == {"code"}
    assert invalid(
        client.post(
            "/api/v1/care/services", {**body, "code": "x", "target_groups": []}, format="json"
        )
    ) == {"target_groups"}
    changed = client.patch(
        f"/api/v1/care/services/{service['id']}",
        {"target_groups": ["status_holder", "asylum_seeker"], "name": "Maatjes"},
        format="json",
    )
    assert changed.status_code == 200 and changed.json()["name"] == "Maatjes"
    groups = Ownership.objects.filter(service_id=service["id"]).values_list(
        "target_group", flat=True
    )
    assert set(groups) == {"status_holder", "asylum_seeker"}


# --- ownership ------------------------------------------------------------------------------


def test_patch_ownership_sets_owner_contract_and_amount(
    editor: User, adopted: list[Service], partner: Partner
) -> None:
    service = next(s for s in adopted if s.code == "integration_route_b1")
    contract = services.contract_create(
        actor=editor, partner=partner, service=service, reference="B1 2025", capacity=15
    )
    ownership = service.ownerships.get(target_group="status_holder")
    response = api(editor).patch(
        f"/api/v1/care/ownerships/{ownership.pk}",
        {
            "status": "structural",
            "partner": partner.pk,
            "team": "Team Inburgering",
            "alderman": "Wethouder Werk en inkomen",
            "contract": contract.pk,
            "amount_per_year": "150000.00",
            "review_date": "2026-01-01",
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["owner"] == "Taalhuis Amstel / Team Inburgering"
    assert (body["partner"], body["contract"]) == (partner.pk, contract.pk)
    assert body["amount_per_year"] == "150000.00"
    ownership.refresh_from_db()
    assert ownership.status == "structural" and ownership.amount_per_year == Decimal(150000)
    assert api(editor).get(f"/api/v1/care/ownerships/{ownership.pk}").json() == body


def test_structural_without_owner_is_refused_and_nothing_changes(
    editor: User, adopted: list[Service]
) -> None:
    ownership = adopted[0].ownerships.first()
    assert ownership is not None
    audits = AuditEntry.objects.count()
    response = api(editor).patch(
        f"/api/v1/care/ownerships/{ownership.pk}",
        {"status": "structural", "alderman": "Wethouder Zorg", "evidence": "Begroting"},
        format="json",
    )
    assert invalid(response) == {"partner"}
    ownership.refresh_from_db()
    assert (ownership.status, ownership.alderman, ownership.evidence) == ("missing", "", "")
    assert AuditEntry.objects.count() == audits


def test_partner_or_contract_of_another_organisation_is_refused(
    editor: User,
    users: dict[str, User],
    organisations: dict[str, Organisation],
    adopted: list[Service],
    outsider_partner: Partner,
) -> None:
    ownership = adopted[0].ownerships.first()
    assert ownership is not None
    url = f"/api/v1/care/ownerships/{ownership.pk}"
    fields = {"status": "structural", "alderman": "Wethouder Zorg"}
    client = api(editor)
    # not visible to Diemen: unknown (its existence is not revealed)
    hidden = client.patch(url, {**fields, "partner": outsider_partner.pk}, format="json")
    assert invalid(hidden) == {"partner"}
    assert hidden.json()["invalidParams"][0]["reason"] == "Onbekende partner."
    # shared in Duo+ and so visible to Diemen, but still Uithoorn's: the model refuses it
    services.partner_update(actor=users["uithoorn-editor"], partner=outsider_partner, shared=True)
    visible = client.patch(url, {**fields, "partner": outsider_partner.pk}, format="json")
    assert invalid(visible) == {"partner"}
    assert "andere organisatie" in visible.json()["invalidParams"][0]["reason"]
    contract = services.contract_create(
        actor=users["uithoorn-editor"], partner=outsider_partner, reference="U-1"
    )
    foreign = client.patch(url, {**fields, "team": "Team", "contract": contract.pk}, format="json")
    assert invalid(foreign) == {"contract"}
    ownership.refresh_from_db()
    assert ownership.status == "missing" and ownership.partner_id is None
    assert ownership.contract_id is None


# --- coverage -------------------------------------------------------------------------------


def test_coverage_matches_the_database(
    editor: User, diemen: Organisation, adopted: list[Service]
) -> None:
    client = api(editor)
    cells = list(Ownership.objects.filter(service__organisation=diemen).order_by("pk"))
    changes = [
        {
            "status": "structural",
            "team": "Team Onderwijs",
            "alderman": "W1",
            "amount_per_year": 1000.5,
        },
        {"status": "temporary", "alderman": "W2", "amount_per_year": "250.00"},
        {"status": "not_applicable", "amount_per_year": "999.00"},
    ]
    for cell, change in zip(cells, changes, strict=False):
        assert (
            client.patch(f"/api/v1/care/ownerships/{cell.pk}", change, format="json").status_code
            == 200
        )
    patched = {cell.service_id for cell in cells[: len(changes)]}
    retired = next(service for service in adopted if service.pk not in patched)
    services.service_retire(actor=editor, service=retired, on=date(2025, 1, 1), reason="weg")

    response = client.get("/api/v1/care/coverage", {"organisation": diemen.pk})
    assert response.status_code == 200
    body = response.json()
    active = Ownership.objects.filter(service__organisation=diemen, service__retired_on=None)
    counts = {status: active.filter(status=status).count() for status in CoverageStatus.values}
    assert counts["structural"] == counts["temporary"] == counts["not_applicable"] == 1
    summary = body["summary"]
    assert summary["counts"] == counts
    applicable = active.count() - counts["not_applicable"]
    assert summary["applicable"] == applicable
    assert summary["structural_share"] == pytest.approx(float(Fraction(1, applicable)))
    assert Decimal(summary["amount_per_year"]) == Decimal("1250.50")  # n/a not counted
    assert body["organisation"] == diemen.pk
    assert (
        len(body["services"])
        == Service.objects.filter(organisation=diemen, retired_on=None).count()
    )
    assert retired.pk not in {row["id"] for row in body["services"]}
    group_codes = [g["code"] for g in body["groups"]]
    assert set(group_codes) == set(active.values_list("target_group", flat=True))
    for row in body["services"]:
        assert set(row["cells"]) == set(group_codes)
        filled = {group: cell["id"] for group, cell in row["cells"].items() if cell}
        assert filled == dict(active.filter(service_id=row["id"]).values_list("target_group", "pk"))
        worst = max(
            (cell["status"] for cell in row["cells"].values() if cell),
            key=lambda status: SEVERITY[EngineStatus(status)],
        )
        assert row["status"] == worst
    changed = {row["id"]: row for row in body["services"]}[cells[0].service_id]
    assert changed["cells"][cells[0].target_group]["owner"] == "Team Onderwijs"
    assert changed["cells"][cells[0].target_group]["alderman"] == "W1"
    gaps = body["gaps"]
    assert len(gaps) == counts["missing"] + counts["temporary"]
    assert [g["status"] for g in gaps][-1] == "temporary"
    assert {g["ownership"] for g in gaps} == set(
        active.filter(status__in=["missing", "temporary"]).values_list("pk", flat=True)
    )
    # no contract records capacity: demand is given, capacity and shortage are not claimed
    assert summary["shortages"] == 0
    for row in body["services"]:
        assert row["capacity"] is None
        assert row["shortage"] is None


def test_coverage_of_an_empty_catalogue(editor: User, diemen: Organisation) -> None:
    body = api(editor).get("/api/v1/care/coverage").json()  # default: the user's organisation
    assert body["organisation"] == diemen.pk
    assert body["services"] == [] and body["gaps"] == [] and body["groups"] == []
    assert body["summary"]["structural_share"] is None
    assert body["summary"]["applicable"] == 0


def test_invalid_service_change_writes_nothing(editor: User, adopted: list[Service]) -> None:
    service = adopted[0]
    audits = AuditEntry.objects.count()
    response = api(editor).patch(
        f"/api/v1/care/services/{service.pk}",
        {"name": "Nieuwe naam", "task_field": "zes"},
        format="json",
    )
    assert invalid(response) == {"task_field"}
    unknown = api(editor).patch(
        f"/api/v1/care/services/{service.pk}", {"task_field": "9.9"}, format="json"
    )
    assert invalid(unknown) == {"task_field"}  # the right form, but not a BBV task field
    service.refresh_from_db()
    assert service.name != "Nieuwe naam"
    assert AuditEntry.objects.count() == audits


# --- demand ---------------------------------------------------------------------------------


def test_demand_against_capacity_for_a_worked_example(
    users: dict[str, User], organisations: dict[str, Organisation], editor: User, partner: Partner
) -> None:
    diemen = organisations["diemen"]
    today = timezone.localdate()
    next_month = first_of_next_month(today)
    month_after = first_of_next_month(next_month)
    classes = own_service(editor, diemen)
    own_service(editor, diemen, code="interpreters", basis="none", name="Tolken")
    closed = own_service(editor, diemen, code="old_class", name="Oude klas")
    services.service_retire(actor=editor, service=closed, on=today, reason="gesloten")
    services.contract_create(
        actor=editor, partner=partner, service=classes, reference="Klas A", capacity=3
    )
    services.contract_create(
        actor=editor,
        partner=partner,
        service=classes,
        reference="Klas B",
        capacity=2,
        start=month_after,
    )
    complex = housing_services.complex_create(
        actor=editor, organisation=diemen, name="Diemerdreef", kind="flex_homes"
    )
    units = housing_services.units_add(
        actor=editor, complex=complex, count=2, rooms=3, area_m2=50, max_occupants=5
    )

    def household(organisation: Organisation, actor: User, **fields: Any) -> Household:
        return housing_services.household_create(
            actor=actor, organisation=organisation, waiting_since=date(2025, 1, 1), **fields
        )

    placed = household(diemen, editor, target_group="status_holder", adults=2, minors_4_11=2)
    housing_services.placement_create(actor=editor, household=placed, unit=units[0])
    # waiting: counts from the first of next month
    household(diemen, editor, target_group="displaced_ukrainian", adults=1, minors_4_11=2)
    # left today: no longer counted
    gone = household(diemen, editor, target_group="status_holder", adults=1, minors_4_11=3)
    stay = housing_services.placement_create(actor=editor, household=gone, unit=units[1])
    housing_services.placement_end(actor=editor, placement=stay, end=today)
    # another municipality's household never counts
    household(
        organisations["uithoorn"],
        users["uithoorn-editor"],
        target_group="status_holder",
        adults=1,
        minors_4_11=4,
    )

    response = api(editor).get("/api/v1/care/demand", {"organisation": diemen.pk, "months": 2})
    assert response.status_code == 200
    lines = response.json()
    assert {line["code"] for line in lines} == {"newcomer_class"}  # basis none, retired: out
    assert [
        (line["date"], line["demand"], line["capacity"], line["shortage"], line["by_target_group"])
        for line in lines
    ] == [
        (today.isoformat(), 2, 3, 0, {"status_holder": 2}),
        (next_month.isoformat(), 4, 3, 1, {"displaced_ukrainian": 2, "status_holder": 2}),
        (month_after.isoformat(), 4, 5, 0, {"displaced_ukrainian": 2, "status_holder": 2}),
    ]
    assert {line["service"] for line in lines} == {classes.pk}
    log = AccessLog.objects.filter(object_type="housing.Household").latest("pk")
    assert log.purpose == selectors.PURPOSE_DEMAND and log.action == "aggregate"

    coverage = api(editor).get("/api/v1/care/coverage").json()
    row = next(r for r in coverage["services"] if r["code"] == "newcomer_class")
    assert (row["demand"], row["capacity"], row["shortage"]) == (2, 3, 0)
    tolken = next(r for r in coverage["services"] if r["code"] == "interpreters")
    assert tolken["demand"] is None  # no demand derived for basis "none"


def test_demand_horizon_is_checked_and_defaults_to_the_setting(
    editor: User, diemen: Organisation
) -> None:
    own_service(editor, diemen)
    client = api(editor)
    default = client.get("/api/v1/care/demand").json()
    assert len(default) == settings.CARE_DEMAND_HORIZON_MONTHS + 1
    assert all(line["demand"] == 0 for line in default)
    assert len(client.get("/api/v1/care/demand", {"months": 0}).json()) == 1
    assert invalid(client.get("/api/v1/care/demand", {"months": 25})) == {"months"}
    assert invalid(client.get("/api/v1/care/demand", {"months": "veel"})) == {"months"}


def test_demand_without_counted_services_reads_no_households(
    editor: User, diemen: Organisation
) -> None:
    own_service(editor, diemen, code="interpreters", basis="none", name="Tolken")
    housing_services.household_create(
        actor=editor,
        organisation=diemen,
        target_group="status_holder",
        adults=1,
        waiting_since=date(2025, 1, 1),
    )
    assert api(editor).get("/api/v1/care/demand").json() == []
    assert not AccessLog.objects.filter(object_type="housing.Household").exists()


# --- partners and contracts -----------------------------------------------------------------


def test_partners_and_contracts_through_the_api(
    editor: User,
    diemen: Organisation,
    organisations: dict[str, Organisation],
    users: dict[str, User],
) -> None:
    client = api(editor)
    body = {"organisation": diemen.pk, "name": "GGD Amsterdam-Amstelland", "kind": "ggd"}
    created = client.post("/api/v1/care/partners", body, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert invalid(client.post("/api/v1/care/partners", body, format="json")) == {"__all__"}
    changed = client.patch(f"/api/v1/care/partners/{pk}", {"notes": "GGZ"}, format="json")
    assert changed.status_code == 200 and changed.json()["notes"] == "GGZ"
    listing = client.get("/api/v1/care/partners", {"organisation": diemen.pk}).json()
    assert [p["id"] for p in listing["results"]] == [pk]

    service = own_service(editor, diemen)
    contract_url = f"/api/v1/care/partners/{pk}/contracts"
    terms = {"reference": "GGZ 2025", "service": service.pk, "capacity": 10}
    backwards = client.post(
        contract_url, {**terms, "start": "2025-06-01", "end": "2025-01-01"}, format="json"
    )
    assert invalid(backwards) == {"end"}
    foreign = own_service(users["uithoorn-editor"], organisations["uithoorn"])
    assert invalid(client.post(contract_url, {**terms, "service": foreign.pk}, format="json")) == {
        "service"
    }
    made = client.post(contract_url, {**terms, "amount_per_year": "25000"}, format="json")
    assert made.status_code == 201
    contract = made.json()
    assert (contract["service"], contract["amount_per_year"]) == (service.pk, "25000.00")
    assert client.get(contract_url).json()["count"] == 1
    patched = client.patch(
        f"/api/v1/care/contracts/{contract['id']}", {"capacity": 12}, format="json"
    )
    assert patched.status_code == 200 and patched.json()["capacity"] == 12
    assert client.delete(f"/api/v1/care/contracts/{contract['id']}").status_code == 204
    assert not Contract.objects.exists()
    assert client.delete(f"/api/v1/care/partners/{pk}").status_code == 204
    assert not Partner.objects.filter(pk=pk).exists()
    assert client.get(f"/api/v1/care/partners/{pk}").status_code == 404


def test_shared_partner_is_visible_and_changeable_for_the_regional_coordinator(
    users: dict[str, User], partner: Partner, editor: User
) -> None:
    coordinator = api(users["duo-coordinator"])
    url = f"/api/v1/care/partners/{partner.pk}"
    assert coordinator.get(url).status_code == 404
    services.partner_update(actor=editor, partner=partner, shared=True)
    assert coordinator.get(url).status_code == 200
    assert coordinator.patch(url, {"notes": "regionaal"}, format="json").status_code == 200
    # not a member of Diemen: the region view shows only what Diemen shares (no service yet)
    coverage = coordinator.get("/api/v1/care/coverage", {"organisation": partner.organisation_id})
    assert coverage.status_code == 200
    assert coverage.json()["services"] == []


# --- integration cases ----------------------------------------------------------------------


def test_integration_case_reads_are_logged_with_the_api_purpose(
    editor: User, diemen: Organisation, users: dict[str, User]
) -> None:
    first = case(editor, diemen, "INB-001")
    second = case(editor, diemen, "INB-002")
    client = api(users["diemen-viewer"])
    listing = client.get("/api/v1/care/integration-cases", {"organisation": diemen.pk})
    assert listing.status_code == 200
    assert [c["code"] for c in listing.json()] == ["INB-001", "INB-002"]
    detail = client.get(f"/api/v1/care/integration-cases/{first.pk}")
    assert detail.status_code == 200
    logs = list(AccessLog.objects.filter(object_type="care.IntegrationCase").order_by("pk"))
    assert [(log.action, log.purpose) for log in logs] == [
        ("list", selectors.PURPOSE_CASES_API),
        ("read", selectors.PURPOSE_CASES_API),
    ]
    assert set(logs[0].object_ids.split(",")) == {str(first.pk), str(second.pk)}
    assert logs[1].object_ids == str(first.pk)
    assert logs[1].actor == users["diemen-viewer"]
    assert logs[1].organisation_id == diemen.pk


def test_integration_case_deadlines_and_state(editor: User, diemen: Organisation) -> None:
    today = timezone.localdate()
    linked = today - timedelta(days=100)
    late = case(editor, diemen, "INB-001", linked_on=linked)
    body = api(editor).get(f"/api/v1/care/integration-cases/{late.pk}").json()
    deadlines = {d["kind"]: d for d in body["deadlines"]}
    assert set(deadlines) == {"broad_intake", "pip", "term"}  # no relief start: no relief_end
    intake_due = add_weeks(linked, settings.CARE_BROAD_INTAKE_WEEKS)
    assert deadlines["broad_intake"]["due"] == intake_due.isoformat()
    assert deadlines["broad_intake"]["days_left"] == (intake_due - today).days
    assert deadlines["broad_intake"]["done_on"] is None
    assert deadlines["broad_intake"]["state"] == "overdue"
    assert body["state"] == "overdue"


def test_integration_case_create_change_and_delete(
    editor: User,
    diemen: Organisation,
    organisations: dict[str, Organisation],
    users: dict[str, User],
) -> None:
    client = api(editor)
    family = housing_services.household_create(
        actor=editor,
        organisation=diemen,
        target_group="status_holder",
        adults=2,
        waiting_since=date(2025, 1, 1),
    )
    elsewhere = housing_services.household_create(
        actor=users["uithoorn-editor"],
        organisation=organisations["uithoorn"],
        target_group="status_holder",
        adults=1,
        waiting_since=date(2025, 1, 1),
    )
    linked = timezone.localdate() - timedelta(days=30)
    body = {
        "organisation": diemen.pk,
        "code": "INB-010",
        "household": family.pk,
        "linked_on": linked.isoformat(),
        "modules": ["knm", "pvt"],
    }
    refused = client.post(
        "/api/v1/care/integration-cases", {**body, "household": elsewhere.pk}, format="json"
    )
    assert invalid(refused) == {"household"}
    created = client.post("/api/v1/care/integration-cases", body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["household"], data["household_code"]) == (family.pk, family.code)
    assert data["status"] == "intake" and data["modules"] == ["knm", "pvt"]
    url = f"/api/v1/care/integration-cases/{data['id']}"
    incomplete = client.patch(url, {"status": "completed"}, format="json")
    assert invalid(incomplete) == {"completed_on"}
    intake = (linked + timedelta(days=7)).isoformat()
    changed = client.patch(url, {"broad_intake_on": intake, "status": "plan"}, format="json")
    assert changed.status_code == 200
    deadlines = {d["kind"]: d for d in changed.json()["deadlines"]}
    assert deadlines["broad_intake"]["state"] == "done"
    assert deadlines["broad_intake"]["done_on"] == intake
    assert client.delete(url).status_code == 204
    assert not IntegrationCase.objects.exists()
    assert client.get(url).status_code == 404


def test_integration_case_validation_error_writes_nothing(
    editor: User, diemen: Organisation
) -> None:
    linked = timezone.localdate() - timedelta(days=30)
    response = api(editor).post(
        "/api/v1/care/integration-cases",
        {
            "organisation": diemen.pk,
            "code": "INB-020",
            "linked_on": linked.isoformat(),
            "pip_on": (linked + timedelta(days=10)).isoformat(),
        },
        format="json",
    )
    assert invalid(response) == {"pip_on"}
    assert not IntegrationCase.objects.exists()
    assert not AuditEntry.objects.filter(object_type="care.IntegrationCase").exists()
    assert not AccessLog.objects.filter(object_type="care.IntegrationCase").exists()


def test_integration_cases_per_organisation_with_relief_and_closed_cases(
    editor: User,
    diemen: Organisation,
    users: dict[str, User],
    organisations: dict[str, Organisation],
) -> None:
    today = timezone.localdate()
    linked = today - timedelta(days=10)
    case(editor, diemen, "INB-001", linked_on=linked, relief_start=linked)
    case(editor, diemen, "INB-002", linked_on=linked, status="moved")
    case(users["uithoorn-editor"], organisations["uithoorn"], "INB-001")
    client = api(users["diemen-admin"])
    rows = {c["code"]: c for c in client.get("/api/v1/care/integration-cases").json()}
    assert set(rows) == {"INB-001", "INB-002"}  # Uithoorn's case with the same code: not seen
    relief = {d["kind"]: d for d in rows["INB-001"]["deadlines"]}["relief_end"]
    assert relief["state"] == "open" and relief["done_on"] is None
    assert rows["INB-001"]["state"] == "open"
    assert rows["INB-001"]["household"] is None and rows["INB-001"]["household_code"] is None
    assert {d["state"] for d in rows["INB-002"]["deadlines"]} == {"not_applicable"}
    assert rows["INB-002"]["state"] == "not_applicable"
    other = client.get(
        "/api/v1/care/integration-cases", {"organisation": organisations["uithoorn"].pk}
    )
    assert other.json() == []


# --- access ---------------------------------------------------------------------------------


def test_another_municipality_sees_nothing(
    users: dict[str, User],
    editor: User,
    diemen: Organisation,
    adopted: list[Service],
    partner: Partner,
) -> None:
    service = adopted[0]
    ownership = service.ownerships.first()
    assert ownership is not None
    contract = services.contract_create(actor=editor, partner=partner, reference="A")
    late = case(editor, diemen, "INB-001")
    client = api(users["uithoorn-editor"])
    details = {
        f"/api/v1/care/services/{service.pk}": {"name": "gekaapt"},
        f"/api/v1/care/ownerships/{ownership.pk}": {"alderman": "gekaapt"},
        f"/api/v1/care/partners/{partner.pk}": {"name": "gekaapt"},
        f"/api/v1/care/contracts/{contract.pk}": {"reference": "gekaapt"},
        f"/api/v1/care/integration-cases/{late.pk}": {"route": "b1"},
    }
    lists = [
        f"/api/v1/care/services/{service.pk}/ownerships",
        f"/api/v1/care/partners/{partner.pk}/contracts",
    ]
    for url in [*details, *lists]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == PROBLEM
    for url, change in details.items():
        assert client.patch(url, change, format="json").status_code == 404, url
    assert client.delete(f"/api/v1/care/integration-cases/{late.pk}").status_code == 404
    assert (
        client.post(f"/api/v1/care/services/{service.pk}/retire", {"reason": "x"}).status_code
        == 404
    )
    for url in ("/api/v1/care/coverage", "/api/v1/care/demand"):
        assert client.get(url, {"organisation": diemen.pk}).status_code == 404
    for url in ("/api/v1/care/services", "/api/v1/care/partners"):
        assert client.get(url, {"organisation": diemen.pk}).json()["count"] == 0
        assert client.get(url).json()["count"] == 0
    assert client.get("/api/v1/care/integration-cases", {"organisation": diemen.pk}).json() == []
    assert client.get("/api/v1/care/integration-cases").json() == []
    assert not AccessLog.objects.filter(actor=users["uithoorn-editor"]).exists()
    adopt = client.post("/api/v1/care/catalogue/adopt", {"organisation": diemen.pk}, format="json")
    assert invalid(adopt) == {"organisation"}
    ownership.refresh_from_db()
    assert ownership.alderman == ""
    assert IntegrationCase.objects.filter(pk=late.pk).exists()


def test_a_viewer_cannot_write(
    users: dict[str, User], diemen: Organisation, adopted: list[Service], partner: Partner
) -> None:
    viewer = api(users["diemen-viewer"])
    service = adopted[0]
    ownership = service.ownerships.first()
    assert ownership is not None
    late = case(users["diemen-editor"], diemen, "INB-001")
    audits = AuditEntry.objects.count()
    attempts = [
        viewer.post("/api/v1/care/catalogue/adopt", {"organisation": diemen.pk}, format="json"),
        viewer.post(
            "/api/v1/care/services",
            {
                "organisation": diemen.pk,
                "code": "x",
                "category": "social",
                "name": "X",
                "target_groups": ["status_holder"],
            },
            format="json",
        ),
        viewer.patch(f"/api/v1/care/services/{service.pk}", {"name": "Y"}, format="json"),
        viewer.post(f"/api/v1/care/services/{service.pk}/retire", {"reason": "x"}, format="json"),
        viewer.patch(f"/api/v1/care/ownerships/{ownership.pk}", {"alderman": "W"}, format="json"),
        viewer.post(
            "/api/v1/care/partners",
            {"organisation": diemen.pk, "name": "P", "kind": "other"},
            format="json",
        ),
        viewer.delete(f"/api/v1/care/partners/{partner.pk}"),
        viewer.post(
            f"/api/v1/care/partners/{partner.pk}/contracts", {"reference": "C"}, format="json"
        ),
        viewer.post(
            "/api/v1/care/integration-cases",
            {"organisation": diemen.pk, "code": "INB-002", "linked_on": "2025-01-01"},
            format="json",
        ),
        viewer.patch(f"/api/v1/care/integration-cases/{late.pk}", {"route": "b1"}, format="json"),
    ]
    for response in attempts:
        assert response.status_code == 403, response.content
        assert response["Content-Type"] == PROBLEM
        assert response.json()["status"] == 403
    assert AuditEntry.objects.count() == audits
    assert viewer.get(f"/api/v1/care/services/{service.pk}").status_code == 200
    assert viewer.get("/api/v1/care/coverage").status_code == 200


def test_unknown_ids_in_the_body_are_refused(
    editor: User, diemen: Organisation, adopted: list[Service], partner: Partner
) -> None:
    client = api(editor)
    missing = 999_999
    service = client.post(
        "/api/v1/care/services",
        {
            "organisation": missing,
            "code": "x",
            "category": "social",
            "name": "X",
            "target_groups": ["status_holder"],
        },
        format="json",
    )
    assert invalid(service) == {"organisation"}
    ownership = adopted[0].ownerships.first()
    assert ownership is not None
    for name in ("partner", "contract"):
        response = client.patch(
            f"/api/v1/care/ownerships/{ownership.pk}", {name: missing}, format="json"
        )
        assert invalid(response) == {name}
    contract = client.post(
        f"/api/v1/care/partners/{partner.pk}/contracts",
        {"reference": "C", "service": missing},
        format="json",
    )
    assert invalid(contract) == {"service"}
    created = client.post(
        "/api/v1/care/integration-cases",
        {
            "organisation": diemen.pk,
            "code": "INB-1",
            "linked_on": "2025-01-01",
            "provider": missing,
        },
        format="json",
    )
    assert invalid(created) == {"provider"}
    assert not IntegrationCase.objects.exists() and not Contract.objects.exists()


def test_errors_are_problem_json(editor: User) -> None:
    client = api(editor)
    missing = client.get("/api/v1/care/services/999999")
    assert missing.status_code == 404 and missing["Content-Type"] == PROBLEM
    assert missing.json()["instance"] == "/api/v1/care/services/999999"
    bad_query = client.get("/api/v1/care/services", {"organisation": "diemen"})
    assert invalid(bad_query) == {"organisation"}
    anonymous = api().get("/api/v1/care/coverage")
    assert anonymous.status_code == 401 and anonymous["Content-Type"] == PROBLEM
    assert api(editor).get("/api/v1/care/coverage")["API-Version"] == "1.0.0"


# --- issue 11: the regressions ----------------------------------------------------------------


def test_deleting_a_partner_that_owns_cells_is_a_409_in_dutch_and_writes_nothing(
    editor: User, adopted: list[Service], partner: Partner
) -> None:
    ownership = Ownership.objects.filter(service__in=adopted).first()
    assert ownership is not None
    services.ownership_update(
        actor=editor, ownership=ownership, status="structural", partner=partner, alderman="W"
    )
    before = AuditEntry.objects.count()
    response = api(editor).delete(f"/api/v1/care/partners/{partner.pk}")
    assert response.status_code == 409, response.content
    assert response["Content-Type"] == PROBLEM
    assert "is nog eigenaar van" in response.json()["detail"]
    assert Partner.objects.filter(pk=partner.pk).exists()
    assert AuditEntry.objects.count() == before


def test_the_coordinator_cannot_link_an_unshared_household_and_ids_do_not_leak(
    editor: User, diemen: Organisation, users: dict[str, User]
) -> None:
    hidden = housing_services.household_create(
        actor=editor,
        organisation=diemen,
        target_group="status_holder",
        adults=1,
        waiting_since=date(2025, 1, 1),
    )
    visible = housing_services.household_create(
        actor=editor,
        organisation=diemen,
        target_group="status_holder",
        adults=1,
        shared=True,
        waiting_since=date(2025, 1, 1),
    )
    shared = case(editor, diemen, "INB-001", shared=True)
    client = api(users["duo-coordinator"])
    url = f"/api/v1/care/integration-cases/{shared.pk}"
    unseen = client.patch(url, {"household": hidden.pk}, format="json")
    missing = client.patch(url, {"household": 99_999_999}, format="json")
    assert invalid(unseen) == invalid(missing) == {"household"}
    assert unseen.json()["invalidParams"] == missing.json()["invalidParams"]
    shared.refresh_from_db()
    assert shared.household_id is None
    before = AccessLog.objects.filter(object_type="housing.Household").count()
    linked = client.patch(url, {"household": visible.pk}, format="json")
    assert linked.status_code == 200, linked.content
    assert linked.json()["household_code"] == visible.code
    logs = AccessLog.objects.filter(object_type="housing.Household").order_by("pk")
    assert logs.count() == before + 1
    assert logs.last().object_ids == str(visible.pk)  # type: ignore[union-attr]
    assert logs.last().purpose == selectors.PURPOSE_HOUSEHOLD_CHOICE  # type: ignore[union-attr]


def test_the_editor_may_still_link_any_household_of_the_municipality(
    editor: User, diemen: Organisation
) -> None:
    household = housing_services.household_create(
        actor=editor,
        organisation=diemen,
        target_group="status_holder",
        adults=1,
        waiting_since=date(2025, 1, 1),
    )
    created = case(editor, diemen, "INB-001")
    response = api(editor).patch(
        f"/api/v1/care/integration-cases/{created.pk}", {"household": household.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["household"] == household.pk


def test_coverage_and_demand_api_render_the_same_read_model_as_the_page(
    editor: User, adopted: list[Service], diemen: Organisation
) -> None:
    overview = selectors.coverage(user=editor, organisation=diemen, today=timezone.localdate())
    body = api(editor).get("/api/v1/care/coverage").json()
    assert [s["code"] for s in body["services"]] == [r.service.code for r in overview.rows]
    assert body["summary"]["applicable"] == overview.coverage.applicable
    assert [s["demand"] for s in body["services"]] == [r.demand_today for r in overview.rows]
    demand = selectors.demand(
        user=editor, organisation=diemen, today=timezone.localdate(), months=1
    )
    lines = api(editor).get("/api/v1/care/demand", {"months": 1}).json()
    assert len(lines) == sum(len(row.cells) for row in demand.rows)


def test_a_shared_case_does_not_show_an_unshared_household_to_the_region(
    editor: User, diemen: Organisation, users: dict[str, User]
) -> None:
    hidden = housing_services.household_create(
        actor=editor,
        organisation=diemen,
        target_group="status_holder",
        adults=1,
        waiting_since=date(2025, 1, 1),
    )
    shared = case(editor, diemen, "INB-001", shared=True, household=hidden)
    mine = api(editor).get(f"/api/v1/care/integration-cases/{shared.pk}").json()
    assert (mine["household"], mine["household_code"]) == (hidden.pk, hidden.code)
    theirs = api(users["duo-coordinator"]).get(f"/api/v1/care/integration-cases/{shared.pk}")
    assert theirs.status_code == 200
    assert (theirs.json()["household"], theirs.json()["household_code"]) == (None, None)
    assert hidden.code not in theirs.content.decode()


def test_residence_status_and_the_first_pip_through_the_api(
    editor: User, diemen: Organisation
) -> None:
    client = api(editor)
    body = {
        "organisation": diemen.pk,
        "code": "INB-030",
        "residence_status": "family_migrant",
        "linked_on": "2024-03-01",
        "duo_notified_on": "2024-03-01",
        "brp_registered_on": "2024-03-11",
        "broad_intake_on": "2024-04-02",
        "pip_on": "2024-05-15",
    }
    created = client.post("/api/v1/care/integration-cases", body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["residence_status"], data["integration_duty"]) == ("family_migrant", True)
    assert (data["unburdening"], data["counts_for_quota"]) == (False, False)
    # art. 11 Wet inburgering 2021: from the day after the first PIP; last day 15 May 2027
    assert data["term_starts"] == "2024-05-16"
    deadlines = {d["kind"]: d for d in data["deadlines"]}
    assert deadlines["term"]["due"] == "2027-05-15"
    # 10 weeks after the BRP registration (later than DUO's notice): 20 May 2024, met
    assert (deadlines["pip"]["due"], deadlines["pip"]["state"]) == ("2024-05-20", "done")
    url = f"/api/v1/care/integration-cases/{data['id']}"
    assert invalid(client.patch(url, {"pip_on": "2024-09-01"}, format="json")) == {"pip_on"}
    revised = client.patch(url, {"pip_revised_on": "2024-09-01"}, format="json")
    assert revised.status_code == 200
    assert revised.json()["term_starts"] == "2024-05-16"
    corrected = client.patch(
        url, {"pip_on": "2024-05-14", "correct_first_pip": True}, format="json"
    )
    assert corrected.status_code == 200
    assert corrected.json()["term_starts"] == "2024-05-15"
    refused = client.patch(url, {"relief_start": "2024-04-01"}, format="json")
    assert invalid(refused) == {"relief_start"}  # no unburdening for a family migrant
    assert invalid(client.patch(url, {"residence_status": "tourist"}, format="json")) == {
        "residence_status"
    }
    case(editor, diemen, "INB-031")
    listed = client.get("/api/v1/care/integration-cases", {"residence_status": "family_migrant"})
    assert [row["code"] for row in listed.json()] == ["INB-030"]
    everyone = client.get("/api/v1/care/integration-cases").json()
    assert {row["residence_status"] for row in everyone} == {"family_migrant", "asylum_permit"}
    assert (
        client.get("/api/v1/care/integration-cases", {"residence_status": "x"}).status_code == 400
    )
