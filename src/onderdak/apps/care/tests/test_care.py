"""Care and support at service and web level: the national template and its adoption, the edit
history, demand derived from the housing households against contracted capacity, the coverage
roll-up and its exports, access per municipality, integration deadlines, all-or-nothing imports
and edits, logged reads of personal data, and the demo seed."""

from __future__ import annotations

import csv
import io
import os
import re
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
import yaml
from docx import Document
from openpyxl import load_workbook

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.audit.models import AccessLog, AuditEntry
from onderdak.apps.care import catalogue, selectors, services
from onderdak.apps.care import demo as care_demo
from onderdak.apps.care.models import (
    CoverageStatus,
    DemandBasis,
    IntegrationCase,
    Ownership,
    Partner,
    Service,
)
from onderdak.apps.housing import services as housing
from onderdak.apps.housing.models import Household
from onderdak.common import vocabulary
from onderdak.common.imports import ImportRejected
from onderdak.common.vocabulary import TargetGroup
from onderdak.engines.care import CoverageStatus as EngineStatus
from onderdak.engines.care import first_of_next_month

pytestmark = pytest.mark.django_db

SH = "status_holder"
UA = "displaced_ukrainian"
AS = "asylum_seeker"

#: A small template: three services, six cells (2 + 3 + 1).
SMALL_TEMPLATE = """
version: "test"
source: "test"
services:
  - code: svc_school
    category: education
    name: "Testschool"
    target_groups: [status_holder, displaced_ukrainian]
    basis: children_4_11
    capacity_unit: places
    task_field: "4.2"
  - code: svc_health
    category: health
    name: "Testzorg"
    target_groups: [asylum_seeker, status_holder, displaced_ukrainian]
    basis: persons
    capacity_unit: persons
    task_field: "7.1"
  - code: svc_legal
    category: legal
    name: "Testrechtshulp"
    target_groups: [status_holder]
    basis: none
    capacity_unit: hours
"""


def raw_history(instance: Any) -> Any:
    """The stored audit entries of a record, newest first (what the history pages label)."""
    return AuditEntry.objects.filter(
        object_type=instance._meta.label, object_id=str(instance.pk)
    ).order_by("-timestamp", "-pk")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def cell(service: Service, group: str) -> Ownership:
    return Ownership.objects.get(service=service, target_group=group)


def entries(instance: Any) -> int:
    return AuditEntry.objects.filter(
        object_type=instance._meta.label, object_id=str(instance.pk)
    ).count()


def placed(editor: User, organisation: Organisation, **fields: Any) -> Household:
    """A household placed in a (new) flex home since 100 days ago."""
    made = housing.household_create(
        actor=editor, organisation=organisation, waiting_since=date(2024, 1, 1), **fields
    )
    complex = housing.complex_create(
        actor=editor, organisation=organisation, name=f"Complex {made.code}", kind="flex_homes"
    )
    [unit] = housing.units_add(
        actor=editor, complex=complex, count=1, rooms=3, area_m2=60, max_occupants=8
    )
    housing.placement_create(
        actor=editor, household=made, unit=unit, start=timezone.localdate() - timedelta(100)
    )
    made.refresh_from_db()
    return made


@pytest.fixture
def small(
    monkeypatch: pytest.MonkeyPatch, editor: User, diemen: Organisation
) -> dict[str, Service]:
    """Diemen adopted the small template (every cell missing)."""
    small_template = catalogue.parse_template(SMALL_TEMPLATE)
    monkeypatch.setattr(services, "template", lambda: small_template)
    services.catalogue_adopt(actor=editor, organisation=diemen)
    return {s.code: s for s in Service.objects.filter(organisation=diemen)}


@pytest.fixture
def arranged(small: dict[str, Service], editor: User, diemen: Organisation) -> dict[str, Any]:
    """The small catalogue with cells set: school temporary (SH structural, UA temporary),
    health structural (AS not applicable), legal missing."""
    ggd = services.partner_create(actor=editor, organisation=diemen, name="GGD test", kind="ggd")
    school, health, legal = small["svc_school"], small["svc_health"], small["svc_legal"]
    update = services.ownership_update
    update(
        actor=editor,
        ownership=cell(school, SH),
        status="structural",
        partner=ggd,
        alderman="Wethouder Onderwijs",
        amount_per_year=Decimal(1000),
    )
    update(
        actor=editor,
        ownership=cell(school, UA),
        status="temporary",
        team="Projectteam opvang",
        alderman="Wethouder Onderwijs",
        amount_per_year=Decimal(500),
        review_date=date(2025, 6, 30),
    )
    update(
        actor=editor,
        ownership=cell(health, AS),
        status="not_applicable",
        amount_per_year=Decimal(9999),  # not applicable: not counted
    )
    update(
        actor=editor,
        ownership=cell(health, SH),
        status="structural",
        partner=ggd,
        alderman="Wethouder Zorg",
        amount_per_year=Decimal(2000),
    )
    update(
        actor=editor,
        ownership=cell(health, UA),
        status="structural",
        team="Team Zorg",
        alderman="Wethouder Zorg",
        amount_per_year=Decimal(3000),
    )
    update(actor=editor, ownership=cell(legal, SH), review_date=date(2025, 3, 31))
    return {"ggd": ggd, **small}


# --- 1. the template ------------------------------------------------------------------------


def test_shipped_template_parses_with_unique_codes_and_known_task_fields() -> None:
    shipped = catalogue.template()
    codes = [s.code for s in shipped.services]
    assert len(codes) >= 30
    assert len(codes) == len(set(codes))
    assert {"interpreters", "transport", "primary_education"} <= set(codes)
    fields = vocabulary.task_fields()
    for entry in shipped.services:
        assert entry.task_field in fields, entry.code
        assert entry.target_groups, entry.code
        assert set(entry.target_groups) <= set(TargetGroup.values), entry.code
        assert entry.basis in DemandBasis.values, entry.code
    assert shipped.version


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            lambda s: s[4].update(code=s[1]["code"]),
            "entry 5 (secondary_newcomer_education): code 'secondary_newcomer_education' occurs twice",
        ),
        (
            lambda s: s[2].update(basis="pupils"),
            "entry 3 (compulsory_education_enforcement): unknown basis 'pupils'",
        ),
        (
            lambda s: s[0]["target_groups"].append("tourist"),
            "entry 1 (primary_education): unknown target group ['tourist']",
        ),
    ],
    ids=["duplicate-code", "unknown-basis", "unknown-target-group"],
)
def test_a_damaged_template_is_rejected_naming_the_entry(damage: Any, message: str) -> None:
    data = yaml.safe_load(catalogue._read("services.yaml"))
    assert [s["code"] for s in data["services"][:5]] == [
        "primary_education",
        "secondary_newcomer_education",
        "compulsory_education_enforcement",
        "early_childhood_education",
        "child_care",
    ]
    damage(data["services"])
    with pytest.raises(ValueError, match=r"services\.yaml") as raised:
        catalogue.parse_template(yaml.safe_dump(data, allow_unicode=True))
    assert message in str(raised.value)


# --- 2. adoption and the edit history --------------------------------------------------------


def test_adoption_creates_every_template_service_with_missing_cells_once(
    editor: User, diemen: Organisation
) -> None:
    shipped = catalogue.template()
    expected_cells = sum(len(s.target_groups) for s in shipped.services)
    result = services.catalogue_adopt(actor=editor, organisation=diemen)
    assert (result.created, result.already, result.cells) == (
        len(shipped.services),
        0,
        expected_cells,
    )
    adopted = {s.code: s for s in Service.objects.filter(organisation=diemen)}
    assert set(adopted) == {s.code for s in shipped.services}
    for entry in shipped.services:
        service = adopted[entry.code]
        assert service.template_code == entry.code
        assert service.target_groups == list(entry.target_groups)
        ownerships = list(service.ownerships.all())
        assert sorted(o.target_group for o in ownerships) == sorted(entry.target_groups)
        assert {o.status for o in ownerships} == {"missing"}
        assert {o.task_field for o in ownerships} == {entry.task_field}
    assert Ownership.objects.filter(service__organisation=diemen).count() == expected_cells

    again = services.catalogue_adopt(actor=editor, organisation=diemen)
    assert (again.created, again.already, again.cells) == (0, len(shipped.services), 0)
    assert Service.objects.filter(organisation=diemen).count() == len(shipped.services)
    assert Ownership.objects.filter(service__organisation=diemen).count() == expected_cells


def test_a_retired_service_is_not_brought_back_and_a_template_update_adds_only_new_services(
    monkeypatch: pytest.MonkeyPatch, editor: User, diemen: Organisation
) -> None:
    services.catalogue_adopt(actor=editor, organisation=diemen)
    interpreters = Service.objects.get(organisation=diemen, code="interpreters")
    services.service_retire(
        actor=editor, service=interpreters, on=date(2025, 1, 1), reason="Via Duo+ geregeld"
    )
    count = Service.objects.filter(organisation=diemen).count()
    result = services.catalogue_adopt(actor=editor, organisation=diemen)
    assert result.created == 0
    assert Service.objects.filter(organisation=diemen).count() == count
    interpreters.refresh_from_db()
    assert interpreters.retired_on == date(2025, 1, 1)

    shipped = catalogue.template()
    extra = catalogue.parse_template(SMALL_TEMPLATE).services[0]
    updated = catalogue.Template(version="next", source="", services=(*shipped.services, extra))
    monkeypatch.setattr(services, "template", lambda: updated)
    result = services.catalogue_adopt(actor=editor, organisation=diemen)
    assert (result.created, result.cells) == (1, 2)
    assert Service.objects.get(organisation=diemen, code="svc_school").ownerships.count() == 2


def test_service_update_adds_and_removes_cells_and_the_history_has_before_and_after(
    small: dict[str, Service], editor: User
) -> None:
    service = small["svc_school"]
    removed = cell(service, UA)
    removed_pk = removed.pk
    services.service_update(
        actor=editor, service=service, name="Nieuwkomersschool", target_groups=[SH, AS]
    )
    service.refresh_from_db()
    assert {o.target_group: o.status for o in service.ownerships.all()} == {
        SH: "missing",
        AS: "missing",
    }
    assert not Ownership.objects.filter(pk=removed_pk).exists()

    latest = raw_history(service).first()
    assert latest is not None
    assert latest.action == "update"
    assert latest.actor == editor
    assert (latest.before["name"], latest.after["name"]) == ("Testschool", "Nieuwkomersschool")
    assert (latest.before["target_groups"], latest.after["target_groups"]) == ([SH, UA], [SH, AS])

    added = cell(service, AS)
    [created] = raw_history(added)
    assert created.action == "create"
    assert created.after["status"] == "missing"
    deleted = AuditEntry.objects.get(
        object_type="care.Ownership", object_id=str(removed_pk), action="delete"
    )
    assert deleted.before["target_group"] == UA
    assert deleted.after is None


def test_retire_and_reinstate_are_recorded_and_the_detail_page_shows_the_history(
    small: dict[str, Service], editor: User, users: dict[str, User]
) -> None:
    service = small["svc_school"]
    services.service_update(actor=editor, service=service, name="Nieuwkomersschool")
    with pytest.raises(ValidationError):
        services.service_retire(actor=editor, service=service, on=date(2025, 1, 1), reason=" ")
    services.service_retire(
        actor=editor, service=service, on=date(2025, 1, 1), reason="Ondergebracht bij Duo+"
    )
    retired = raw_history(service).first()
    assert retired is not None
    assert (retired.before["retired_on"], retired.after["retired_on"]) == (None, "2025-01-01")
    assert retired.after["retired_reason"] == "Ondergebracht bij Duo+"
    services.service_reinstate(actor=editor, service=service)
    history = list(raw_history(service))
    assert [e.action for e in history] == ["update", "update", "update", "create"]
    assert (history[0].before["retired_on"], history[0].after["retired_on"]) == ("2025-01-01", None)
    service.refresh_from_db()
    assert service.active

    response = client_for(users["diemen-viewer"]).get(
        reverse("care:service_detail", args=[service.pk])
    )
    assert response.status_code == 200
    assert response.context["editable"] is False
    shown = response.context["history"]
    assert len(shown) >= len(history)  # with the cells' entries
    html = response.content.decode()
    # in words: the field's Dutch label and Dutch dates, never field names (issue 11)
    assert "Naam “Testschool” → “Nieuwkomersschool”" in html
    assert "Beëindigd op “1 januari 2025” → “\u2013”" in html  # en dash: empty
    assert "retired_on" not in html
    assert editor.username in html


def test_an_editor_adopts_the_template_from_the_empty_overview(
    users: dict[str, User], editor: User, diemen: Organisation
) -> None:
    client = client_for(editor)
    overview = client.get(reverse("care:overview"))
    assert overview.status_code == 200
    assert overview.context["data"].empty
    adopt_url = reverse("care:catalogue_adopt")
    assert adopt_url in overview.content.decode()
    assert (
        adopt_url
        not in client_for(users["diemen-viewer"]).get(reverse("care:overview")).content.decode()
    )

    page = client.get(adopt_url, {"organisatie": diemen.pk})
    assert page.status_code == 200
    assert catalogue.template().services[0].name in page.content.decode()
    response = client.post(f"{adopt_url}?organisatie={diemen.pk}")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('care:catalogue')}?organisatie={diemen.pk}"
    assert Service.objects.filter(organisation=diemen).count() == len(catalogue.template().services)
    listing = client.get(reverse("care:catalogue"))
    assert listing.status_code == 200
    assert listing.context["table"].total == len(catalogue.template().services)
    assert "Tolkdiensten" in listing.content.decode()


def test_service_detail_shows_demand_against_capacity_and_the_cells_history(
    small: dict[str, Service], users: dict[str, User], editor: User, diemen: Organisation
) -> None:
    placed(editor, diemen, target_group=SH, adults=1, minors_4_11=2)
    school = small["svc_school"]
    team = services.partner_create(
        actor=editor, organisation=diemen, name="Team", kind="internal_team"
    )
    services.contract_create(
        actor=editor, partner=team, service=school, reference="Groep", capacity=1
    )
    services.ownership_update(
        actor=editor,
        ownership=cell(school, SH),
        status="temporary",
        team="Projectteam",
        alderman="Wethouder Onderwijs",
    )
    response = client_for(users["diemen-viewer"]).get(
        reverse("care:service_detail", args=[school.pk])
    )
    assert response.status_code == 200
    demand = response.context["demand"]
    assert (demand.demand, demand.capacity, demand.shortage) == (2, 1, 1)
    history = response.context["history"]
    assert any(
        any(c.label == "Status" and c.after == "Tijdelijk (crisisorganisatie)" for c in e.changes)
        for e in history
    )
    html = response.content.decode()
    # choices by their Dutch label, not their codes (issue 11: "missing" -> "structural")
    assert "Status “Ontbreekt” → “Tijdelijk (crisisorganisatie)”" in html
    assert "“missing”" not in html
    overview = client_for(users["diemen-viewer"]).get(reverse("care:overview"))
    # the school is 1 place short; health care (3 persons) has no contract with capacity,
    # so its demand is shown but no shortage is claimed
    rows = {row.service.code: row for row in overview.context["data"].rows}
    assert rows["svc_school"].demand.shortage == 1
    assert rows["svc_health"].demand.shortage == 3
    assert not rows["svc_health"].capacity_contracted
    assert rows["svc_school"].capacity_contracted
    assert overview.context["data"].shortages == 1


def test_a_service_code_is_unique_within_the_catalogue(
    small: dict[str, Service], editor: User, diemen: Organisation
) -> None:
    with pytest.raises(ValidationError) as raised:
        services.service_create(
            actor=editor,
            organisation=diemen,
            code="svc_school",
            category="education",
            name="Nog een school",
            target_groups=[SH],
        )
    assert "code" in raised.value.message_dict
    assert Service.objects.filter(organisation=diemen).count() == 3
    with pytest.raises(ValueError, match="not editable"):
        services.service_update(actor=editor, service=small["svc_school"], code="anders")


def test_editing_a_service_and_a_cell_on_the_web_is_recorded_in_the_history(
    small: dict[str, Service], editor: User
) -> None:
    service = small["svc_school"]
    client = client_for(editor)
    response = client.post(
        reverse("care:service_update", args=[service.pk]),
        {
            "code": service.code,
            "category": service.category,
            "name": "Nieuwkomersschool",
            "target_groups": [SH, UA],
            "basis": service.basis,
            "share": "1",
            "capacity_unit": service.capacity_unit,
            "task_field": service.task_field,
        },
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.name == "Nieuwkomersschool"
    ownership = cell(service, SH)
    response = client.post(
        reverse("care:ownership_update", args=[ownership.pk]),
        {"status": "not_applicable", "evidence": "Geen kinderen in deze groep"},
    )
    assert response.status_code == 302
    assert cell(service, SH).status == "not_applicable"
    latest = raw_history(service).first()
    assert latest is not None and latest.action == "update"
    assert latest.before["name"] == "Testschool"
    latest = raw_history(ownership).first()
    assert latest is not None
    assert latest.action == "update"


# --- 3. demand derived from the households ---------------------------------------------------


def test_demand_lines_worked_example_from_housing_households(
    users: dict[str, User], diemen: Organisation, editor: User
) -> None:
    today = timezone.localdate()
    next_month = first_of_next_month(today)
    month_after = first_of_next_month(next_month)
    complex = housing.complex_create(
        actor=editor, organisation=diemen, name="Testcomplex", kind="flex_homes"
    )
    units = housing.units_add(
        actor=editor, complex=complex, count=5, rooms=3, area_m2=60, max_occupants=6
    )

    def make(placed_from: date | None = None, left_on: date | None = None, **fields: Any) -> Any:
        made = housing.household_create(
            actor=editor, organisation=diemen, waiting_since=date(2024, 1, 1), **fields
        )
        if placed_from is not None:
            unit = units[Household.objects.filter(organisation=diemen).count() - 1]
            placement = housing.placement_create(
                actor=editor, household=made, unit=unit, start=placed_from
            )
            if left_on is not None:
                housing.placement_end(actor=editor, placement=placement, end=left_on)
        return made

    # A: status holders, placed: 2 adults, children 0-3: 1, 4-11: 2 (5 persons)
    make(target_group=SH, adults=2, minors_0_3=1, minors_4_11=2, placed_from=today - timedelta(100))
    # B: Ukrainian, placed: 1 adult, 4-11: 1, 12-17: 1 (3 persons)
    make(
        target_group=UA, adults=1, minors_4_11=1, minors_12_17=1, placed_from=today - timedelta(100)
    )
    # C: status holder, waiting (counts from the first of next month): 1 adult, 4-11: 1,
    #    12-17: 1, and 2 persons by family reunification expected on the first of the month after
    #    (counted as adults from that date)
    make(
        target_group=SH,
        adults=1,
        minors_4_11=1,
        minors_12_17=1,
        reunification_persons=2,
        reunification_date=month_after,
    )
    # D: Ukrainian, left 30 days ago: counts nowhere
    make(
        target_group=UA,
        adults=2,
        minors_4_11=1,
        placed_from=today - timedelta(60),
        left_on=today - timedelta(30),
    )
    # E: status holder leaving two weeks into next month: 1 adult, 0-3: 1 (today and next month)
    make(
        target_group=SH,
        adults=1,
        minors_0_3=1,
        placed_from=today - timedelta(20),
        left_on=next_month + timedelta(14),
    )
    assert sorted(Household.objects.values_list("status", flat=True)) == [
        "left",
        "left",
        "placed",
        "placed",
        "waiting",
    ]

    services.catalogue_adopt(actor=editor, organisation=diemen)
    adopted = {s.code: s for s in Service.objects.filter(organisation=diemen)}
    team = services.partner_create(
        actor=editor, organisation=diemen, name="Team", kind="internal_team"
    )
    # primary education: 3 places until the first of next month (inclusive), 2 from the month after
    services.contract_create(
        actor=editor,
        partner=team,
        service=adopted["primary_education"],
        reference="Nieuwkomersgroep",
        start=today - timedelta(365),
        end=next_month,
        capacity=3,
    )
    services.contract_create(
        actor=editor,
        partner=team,
        service=adopted["primary_education"],
        reference="Nieuwkomersgroep 2",
        start=month_after,
        capacity=2,
    )
    # broad intake: 4 persons, open ended
    services.contract_create(
        actor=editor,
        partner=team,
        service=adopted["integration_broad_intake"],
        reference="Brede intake",
        capacity=4,
        capacity_unit="persons",
    )

    codes = [
        "primary_education",  # 4-11, every group
        "secondary_newcomer_education",  # 12-17, every group
        "early_childhood_education",  # 0-3, AS/SH/UA
        "integration_broad_intake",  # adults of status holders
        "living_allowance_ukrainians",  # persons, Ukrainians
        "language_courses_ukrainians",  # adults, Ukrainians
        "gp_registration",  # persons, SH and UA
        "legal_aid",  # no derived demand
    ]
    dates = [today, next_month, month_after]
    lines = selectors.demand_lines(
        user=users["diemen-viewer"],
        organisation=diemen,
        dates=dates,
        services=[adopted[c] for c in codes],
    )
    got = {(line.service_code, line.on): (line.demand, line.capacity) for line in lines}
    table = {code: [got[(code, day)] for day in dates] for code in codes}
    # present today: A, B, E; next month: A, B, C, E; the month after: A, B, C, C's reunion
    assert table == {
        # A 2 + B 1 | + C 1 | same; capacity 3 | 3 (end inclusive) | 2
        "primary_education": [(3, 3), (4, 3), (4, 2)],
        # B 1 | + C 1 | same
        "secondary_newcomer_education": [(1, 0), (2, 0), (2, 0)],
        # A 1 + E 1 | same | E gone: A 1
        "early_childhood_education": [(2, 0), (2, 0), (1, 0)],
        # A 2 + E 1 + C 1 (waiting, but linked to the municipality: integration follows the
        # link) | same | A 2 + C 1 + reunion 2; capacity 4 throughout
        "integration_broad_intake": [(4, 4), (4, 4), (5, 4)],
        # B 3 persons throughout (D has left)
        "living_allowance_ukrainians": [(3, 0), (3, 0), (3, 0)],
        "language_courses_ukrainians": [(1, 0), (1, 0), (1, 0)],
        # A 5 + B 3 + E 2 | + C 3 | A 5 + B 3 + C 3 + reunion 2
        "gp_registration": [(10, 0), (13, 0), (13, 0)],
        "legal_aid": [(0, 0), (0, 0), (0, 0)],
    }
    by_group = {(line.service_code, line.on): dict(line.by_target_group) for line in lines}
    assert by_group[("gp_registration", month_after)] == {SH: 10, UA: 3}
    shortage = {(line.service_code, line.on): line.shortage for line in lines}
    assert shortage[("primary_education", next_month)] == 1
    assert shortage[("primary_education", month_after)] == 2
    assert shortage[("integration_broad_intake", month_after)] == 1

    assert selectors.month_starts(today, 2) == dates


def test_family_reunification_adds_persons_not_a_household(
    users: dict[str, User], editor: User, diemen: Organisation, small: dict[str, Service]
) -> None:
    today = timezone.localdate()
    housing.household_create(
        actor=editor,
        organisation=diemen,
        target_group=SH,
        adults=1,
        reunification_persons=3,
        reunification_date=today - timedelta(days=1),
        waiting_since=date(2024, 1, 1),
    )
    legal = small["svc_legal"]
    services.service_update(actor=editor, service=legal, basis="households")
    # (demand_lines takes its first date as today: waiting households count from the month after)
    _now, line = selectors.demand_lines(
        user=users["diemen-viewer"],
        organisation=diemen,
        dates=[today, first_of_next_month(today)],
        services=[legal],
    )
    assert line.demand == 1  # one family, now of four persons


# --- 4. coverage roll-up and exports --------------------------------------------------------


def test_coverage_rolls_up_to_the_worst_status_with_counts_share_amounts_and_gaps(
    arranged: dict[str, Any], users: dict[str, User], diemen: Organisation
) -> None:
    data = selectors.coverage(
        user=users["diemen-viewer"], organisation=diemen, today=timezone.localdate()
    )
    assert data.groups == [
        (AS, str(TargetGroup.ASYLUM_SEEKER.label)),
        (SH, str(TargetGroup.STATUS_HOLDER.label)),
        (UA, str(TargetGroup.DISPLACED_UKRAINIAN.label)),
    ]
    rows = {row.service.code: row for row in data.rows}
    assert [row.service.code for row in data.rows] == ["svc_school", "svc_health", "svc_legal"]
    assert {code: row.status for code, row in rows.items()} == {
        "svc_school": "temporary",  # structural + temporary -> temporary
        "svc_health": "structural",  # not applicable does not count
        "svc_legal": "missing",
    }
    assert rows["svc_school"].cells[AS] is None  # not entitled
    assert rows["svc_school"].owners == ["GGD test", "Projectteam opvang"]
    assert rows["svc_health"].aldermen == ["Wethouder Zorg"]
    assert {code: row.amount_per_year for code, row in rows.items()} == {
        "svc_school": Decimal(1500),
        "svc_health": Decimal(5000),  # the 9999 of the not-applicable cell is left out
        "svc_legal": Decimal(0),
    }
    coverage = data.coverage
    assert dict(coverage.counts) == {
        "structural": 3,
        "temporary": 1,
        "missing": 1,
        "not_applicable": 1,
    }
    assert coverage.applicable == 5
    assert coverage.structural_share == Fraction(3, 5)
    assert coverage.amount_per_year == Decimal(6500)
    assert [(g.service.code, g.target_group, g.status) for g in data.gaps] == [
        ("svc_legal", SH, "missing"),
        ("svc_school", UA, "temporary"),
    ]

    # retiring a service takes it out of the roll-up
    services.service_retire(
        actor=users["diemen-editor"], service=arranged["svc_legal"], on=date(2025, 1, 1), reason="x"
    )
    data = selectors.coverage(
        user=users["diemen-viewer"], organisation=diemen, today=timezone.localdate()
    )
    assert [row.service.code for row in data.rows] == ["svc_school", "svc_health"]
    assert data.coverage.counts[EngineStatus.MISSING] == 0


def test_gap_list_puts_missing_cells_first(
    arranged: dict[str, Any], users: dict[str, User], diemen: Organisation
) -> None:
    gaps = selectors.gap_list(user=users["diemen-viewer"], organisation=diemen)
    assert [(g.service.code, g.target_group, g.status) for g in gaps] == [
        ("svc_legal", SH, "missing"),
        ("svc_school", UA, "temporary"),
    ]


def test_gap_list_holds_only_temporary_and_missing_cells_of_active_services(
    arranged: dict[str, Any], users: dict[str, User], diemen: Organisation
) -> None:
    gaps = selectors.gap_list(user=users["diemen-viewer"], organisation=diemen)
    assert {(g.service.code, g.target_group, g.status) for g in gaps} == {
        ("svc_legal", SH, "missing"),
        ("svc_school", UA, "temporary"),
    }
    assert selectors.gap_list(user=users["uithoorn-editor"], organisation=diemen).count() == 0
    page = client_for(users["diemen-viewer"]).get(reverse("care:gaps"))
    assert page.status_code == 200
    assert "Testrechtshulp" in page.content.decode()
    # both review dates (2025) have passed: the export says so per row
    export = client_for(users["diemen-viewer"]).get(reverse("care:gaps"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    column = rows[0].index("Herijkdatum verstreken")
    assert [row[column] for row in rows[1:]] == ["ja", "ja"]


def test_word_and_excel_exports_of_the_overview_hold_services_and_statuses(
    arranged: dict[str, Any], users: dict[str, User], diemen: Organisation
) -> None:
    client = client_for(users["diemen-viewer"])
    page = client.get(reverse("care:overview"))
    assert page.status_code == 200
    assert "Testschool" in page.content.decode()

    word = client.get(reverse("care:overview"), {"export": "docx"})
    assert word.status_code == 200
    assert word["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="dekking-zorg-en-ondersteuning-' in word["Content-Disposition"]
    labels = dict(CoverageStatus.choices)
    document = Document(io.BytesIO(word.content))
    texts = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {"Testschool", "Testzorg", "Testrechtshulp"} <= texts
    assert {str(labels[s]) for s in CoverageStatus.values} <= texts
    assert "€ 6.500" in texts

    excel = client.get(reverse("care:overview"), {"export": "xlsx"})
    assert excel.status_code == 200
    workbook = load_workbook(io.BytesIO(excel.content))
    coverage_rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    by_name = {row[0]: row for row in coverage_rows[1:]}
    assert set(by_name) == {"Testschool", "Testzorg", "Testrechtshulp"}
    assert by_name["Testschool"][2] == str(labels["temporary"])
    assert by_name["Testzorg"][2] == str(labels["structural"])
    assert by_name["Testzorg"][3] == str(labels["not_applicable"])  # the asylum-seeker cell
    assert by_name["Testrechtshulp"][2] == str(labels["missing"])
    assert by_name["Testzorg"][8] == 5000  # budget per year
    gap_rows = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert [(r[0], r[2]) for r in gap_rows[1:]] == [
        ("Testrechtshulp", str(labels["missing"])),
        ("Testschool", str(labels["temporary"])),
    ]


# --- 5. access ------------------------------------------------------------------------------


def test_another_municipality_sees_nothing_of_diemen(
    arranged: dict[str, Any], users: dict[str, User], diemen: Organisation, editor: User
) -> None:
    case = services.integration_case_create(
        actor=editor, organisation=diemen, code="INB-1", linked_on=date(2024, 1, 31)
    )
    service = arranged["svc_school"]
    ownership = cell(service, SH)
    outsider = client_for(users["uithoorn-editor"])
    for url in (
        reverse("care:service_detail", args=[service.pk]),
        reverse("care:service_update", args=[service.pk]),
        reverse("care:ownership_update", args=[ownership.pk]),
        reverse("care:partner_detail", args=[arranged["ggd"].pk]),
        reverse("care:case_detail", args=[case.pk]),
    ):
        assert outsider.get(url).status_code == 404, url
    response = outsider.post(
        reverse("care:ownership_update", args=[ownership.pk]), {"status": "not_applicable"}
    )
    assert response.status_code == 404
    assert cell(service, SH).status == "structural"

    # asking for Diemen explicitly is refused; without the parameter: its own, empty overview
    for name in ("care:overview", "care:caseload", "care:gaps", "care:demand", "care:catalogue"):
        assert outsider.get(reverse(name), {"organisatie": diemen.pk}).status_code == 404
    overview = outsider.get(reverse("care:overview"))
    assert overview.status_code == 200
    assert overview.context["organisation"].name != diemen.name
    assert overview.context["data"].empty
    assert "Testschool" not in overview.content.decode()
    caseload = outsider.get(reverse("care:caseload"))
    assert "INB-1" not in caseload.content.decode()
    assert (
        not AccessLog.objects.filter(
            actor=users["uithoorn-editor"], object_type="care.IntegrationCase"
        )
        .exclude(object_ids="")
        .exists()
    )
    with pytest.raises(PermissionDenied):
        services.service_update(actor=users["uithoorn-editor"], service=service, name="Weg")


def test_a_viewer_may_not_post_edits_or_adopt(
    arranged: dict[str, Any], users: dict[str, User], diemen: Organisation
) -> None:
    viewer = client_for(users["diemen-viewer"])
    service = arranged["svc_school"]
    ownership = cell(service, SH)
    before = AuditEntry.objects.count()
    posts = [
        (reverse("care:catalogue_adopt") + f"?organisatie={diemen.pk}", {}),
        (
            reverse("care:service_create") + f"?organisatie={diemen.pk}",
            {"code": "eigen", "category": "social", "name": "Eigen", "target_groups": [SH]},
        ),
        (reverse("care:service_update", args=[service.pk]), {"name": "Weg"}),
        (reverse("care:service_retire", args=[service.pk]), {"on": "2025-01-01", "reason": "x"}),
        (reverse("care:ownership_update", args=[ownership.pk]), {"status": "not_applicable"}),
        (
            reverse("care:partner_create") + f"?organisatie={diemen.pk}",
            {"name": "X", "kind": "other"},
        ),
        (reverse("care:case_create") + f"?organisatie={diemen.pk}", {"code": "INB-9"}),
    ]
    for url, data in posts:
        assert viewer.post(url, data).status_code == 403, url
    assert viewer.get(reverse("care:catalogue_adopt")).status_code == 403
    assert AuditEntry.objects.count() == before
    assert cell(service, SH).status == "structural"
    assert Service.objects.filter(organisation=diemen).count() == 3
    with pytest.raises(PermissionDenied):
        services.catalogue_adopt(actor=users["diemen-viewer"], organisation=diemen)
    with pytest.raises(PermissionDenied):
        services.ownership_update(
            actor=users["diemen-viewer"], ownership=ownership, status="missing"
        )


def test_an_ownership_with_a_partner_of_another_organisation_is_rejected(
    small: dict[str, Service], users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    foreign = services.partner_create(
        actor=users["uithoorn-editor"],
        organisation=organisations["uithoorn"],
        name="Elders",
        kind="other",
    )
    ownership = cell(small["svc_school"], SH)
    before = entries(ownership)
    with pytest.raises(ValidationError) as raised:
        services.ownership_update(
            actor=users["diemen-editor"],
            ownership=ownership,
            status="structural",
            partner=foreign,
            alderman="Wethouder",
        )
    assert "partner" in raised.value.message_dict
    ownership.refresh_from_db()
    assert (ownership.status, ownership.partner_id) == ("missing", None)
    assert entries(ownership) == before

    response = client_for(users["diemen-editor"]).post(
        reverse("care:ownership_update", args=[ownership.pk]),
        {"status": "structural", "partner": foreign.pk, "alderman": "Wethouder"},
    )
    assert response.status_code == 200
    assert "partner" in response.context["form"].errors
    ownership.refresh_from_db()
    assert (ownership.status, ownership.partner_id) == ("missing", None)


def test_contracts_and_cases_may_not_point_to_another_organisation(
    small: dict[str, Service], users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    editor, outsider = users["diemen-editor"], users["uithoorn-editor"]
    uithoorn = organisations["uithoorn"]
    foreign_partner = services.partner_create(
        actor=outsider, organisation=uithoorn, name="Elders", kind="other"
    )
    with pytest.raises(ValidationError) as raised:
        services.contract_create(
            actor=outsider, partner=foreign_partner, service=small["svc_school"], reference="X"
        )
    assert "service" in raised.value.message_dict
    foreign_contract = services.contract_create(
        actor=outsider, partner=foreign_partner, reference="Eigen contract Uithoorn"
    )
    ownership = cell(small["svc_school"], SH)
    with pytest.raises(ValidationError) as raised:
        services.ownership_update(actor=editor, ownership=ownership, contract=foreign_contract)
    assert "contract" in raised.value.message_dict
    foreign_household = housing.household_create(
        actor=outsider, organisation=uithoorn, target_group=SH, waiting_since=date(2024, 1, 1)
    )
    with pytest.raises(ValidationError) as raised:
        services.integration_case_create(
            actor=editor,
            organisation=organisations["diemen"],
            code="INB-1",
            linked_on=date(2024, 1, 31),
            household=foreign_household,
        )
    assert "household" in raised.value.message_dict
    assert not IntegrationCase.objects.exists()
    ownership.refresh_from_db()
    assert ownership.contract_id is None


# --- 6. deadlines ---------------------------------------------------------------------------


def _deadlines(case: IntegrationCase, today: date) -> dict[str, tuple[date, str]]:
    return {d.kind: (d.due, str(d.state)) for d in selectors.deadlines_of(case, today=today)}


def test_deadlines_follow_the_norms_in_the_settings(
    settings: Any, editor: User, diemen: Organisation
) -> None:
    case = services.integration_case_create(
        actor=editor, organisation=diemen, code="INB-1", linked_on=date(2024, 1, 31)
    )
    # intake: 31 Jan 2024 + 10 weeks = 10 Apr; PIP: 10 weeks after DUO's notice (none
    # recorded: the link) = 10 Apr; term: provisionally from the day after the PIP's due date,
    # 11 Apr 2024, last day 10 Apr 2027 (regression: it used to start at the link)
    assert _deadlines(case, date(2024, 3, 1)) == {
        "broad_intake": (date(2024, 4, 10), "open"),
        "pip": (date(2024, 4, 10), "open"),
        "term": (date(2027, 4, 10), "open"),
    }
    assert _deadlines(case, date(2024, 3, 20))["broad_intake"] == (date(2024, 4, 10), "due_soon")
    assert _deadlines(case, date(2024, 4, 11))["broad_intake"] == (date(2024, 4, 10), "overdue")

    settings.CARE_BROAD_INTAKE_WEEKS = 4
    settings.CARE_PIP_WEEKS = 2
    settings.CARE_INTEGRATION_TERM_MONTHS = 12
    settings.CARE_DUE_SOON_DAYS = 0
    found = _deadlines(case, date(2024, 2, 28))
    assert found["broad_intake"] == (date(2024, 2, 28), "due_soon")  # 31 Jan + 4 weeks
    assert found["pip"] == (date(2024, 2, 14), "overdue")  # 31 Jan + 2 weeks
    assert found["term"] == (date(2025, 2, 14), "open")  # from 15 Feb 2024, 12 months
    assert _deadlines(case, date(2024, 2, 29))["broad_intake"][1] == "overdue"

    # month end: a term entered as starting on 31 January 2024 runs one month: 31 February
    # does not exist, so 29 February, and the last day is the day before
    settings.CARE_INTEGRATION_TERM_MONTHS = 1
    services.integration_case_update(actor=editor, case=case, term_start=date(2024, 1, 31))
    assert _deadlines(case, date(2024, 2, 1))["term"] == (date(2024, 2, 28), "open")


def test_the_pip_is_due_ten_weeks_after_duo_s_notice_or_the_later_brp_registration(
    editor: User, diemen: Organisation
) -> None:
    case = services.integration_case_create(
        actor=editor,
        organisation=diemen,
        code="INB-9",
        linked_on=date(2024, 1, 31),
        duo_notified_on=date(2024, 2, 5),
    )
    assert _deadlines(case, date(2024, 3, 1))["pip"] == (date(2024, 4, 15), "open")
    services.integration_case_update(actor=editor, case=case, brp_registered_on=date(2024, 2, 1))
    assert _deadlines(case, date(2024, 3, 1))["pip"] == (date(2024, 4, 15), "open")
    services.integration_case_update(actor=editor, case=case, brp_registered_on=date(2024, 3, 4))
    assert _deadlines(case, date(2024, 3, 1))["pip"] == (date(2024, 5, 13), "open")


def test_the_term_starts_the_day_after_the_first_pip_unless_a_start_is_entered(
    editor: User, diemen: Organisation
) -> None:
    case = services.integration_case_create(
        actor=editor,
        organisation=diemen,
        code="INB-2",
        linked_on=date(2024, 3, 1),
        broad_intake_on=date(2024, 4, 2),
        pip_on=date(2024, 5, 15),
        status="plan",
    )
    found = _deadlines(case, date(2024, 6, 1))
    assert found["broad_intake"] == (date(2024, 5, 10), "done")
    assert found["pip"] == (date(2024, 5, 10), "done_late")  # 1 March + 10 weeks
    # DOMAIN.md 4b, art. 11 Wet inburgering 2021: PIP dated 15 May 2024 -> the term starts on
    # 16 May 2024, its last day is 15 May 2027
    assert found["term"] == (date(2027, 5, 15), "open")
    row = selectors.caseload([case], today=date(2024, 6, 1))[0]
    assert (row.term_start, row.term_provisional) == (date(2024, 5, 16), False)
    # a revised PIP does not move the start (art. 11(3))
    services.integration_case_update(actor=editor, case=case, pip_revised_on=date(2024, 9, 1))
    assert _deadlines(case, date(2024, 9, 2))["term"] == (date(2027, 5, 15), "open")
    # regression: re-entering the PIP date used to move the start; now it is refused ...
    with pytest.raises(ValidationError) as refused:
        services.integration_case_update(actor=editor, case=case, pip_on=date(2024, 9, 1))
    assert "pip_on" in refused.value.message_dict
    case.refresh_from_db()
    assert case.pip_on == date(2024, 5, 15)
    # ... the same date is no change, and a mistyped date can be corrected explicitly
    services.integration_case_update(actor=editor, case=case, pip_on=date(2024, 5, 15))
    services.integration_case_update(
        actor=editor, case=case, pip_on=date(2024, 5, 14), correct_first_pip=True
    )
    assert _deadlines(case, date(2024, 9, 2))["term"] == (date(2027, 5, 14), "open")
    # an entered start wins: from 31 May 2024 the last day is 30 May 2027
    services.integration_case_update(actor=editor, case=case, term_start=date(2024, 5, 31))
    assert _deadlines(case, date(2024, 6, 1))["term"] == (date(2027, 5, 30), "open")
    # an extension is added to the term in one step: 31 June 2027 does not exist, so 30 June,
    # and the last day is the day before
    services.integration_case_update(actor=editor, case=case, term_extension_months=1)
    assert _deadlines(case, date(2024, 6, 1))["term"] == (date(2027, 6, 29), "open")
    # without a PIP: provisionally the day after the PIP's due date (31 Jan + 10 weeks = 10 Apr)
    other = services.integration_case_create(
        actor=editor,
        organisation=diemen,
        code="INB-3",
        linked_on=date(2024, 1, 31),
        broad_intake_on=date(2024, 2, 15),
    )
    assert _deadlines(other, date(2024, 3, 1))["term"] == (date(2027, 4, 10), "open")
    row = selectors.caseload([other], today=date(2024, 3, 1))[0]
    assert (row.term_start, row.term_provisional) == (date(2024, 4, 11), True)


def test_a_revision_needs_a_first_pip(editor: User, diemen: Organisation) -> None:
    with pytest.raises(ValidationError) as refused:
        services.integration_case_create(
            actor=editor,
            organisation=diemen,
            code="INB-4",
            linked_on=date(2024, 1, 31),
            pip_revised_on=date(2024, 6, 1),
        )
    assert "pip_revised_on" in refused.value.message_dict


def test_the_residence_status_decides_duty_unburdening_and_quota(
    editor: User, diemen: Organisation
) -> None:
    expected = {
        "asylum_permit": (True, True, True),
        "family_reunification": (True, True, True),
        "family_migrant": (True, False, False),
        "temporary_protection": (False, False, False),
    }
    for number, (status, rule) in enumerate(expected.items()):
        case = services.integration_case_create(
            actor=editor,
            organisation=diemen,
            code=f"RS-{number}",
            residence_status=status,
            linked_on=date(2024, 1, 31),
        )
        found = case.residence_rule
        assert (found.integration_duty, found.unburdening, found.counts_for_quota) == rule
    # temporary protection brings no integration duty: no deadline applies
    protected = IntegrationCase.objects.get(code="RS-3")
    assert {state for _due, state in _deadlines(protected, date(2024, 6, 1)).values()} == {
        "not_applicable"
    }
    assert selectors.caseload([protected], today=date(2024, 6, 1))[0].term_start is None
    # a family migrant is required to integrate: the deadlines run
    migrant = IntegrationCase.objects.get(code="RS-2")
    assert _deadlines(migrant, date(2024, 6, 1))["broad_intake"][1] == "overdue"
    # unburdening (Participatiewet art. 56a) is for asylum status holders only
    with pytest.raises(ValidationError) as refused:
        services.integration_case_update(actor=editor, case=migrant, relief_start=date(2024, 2, 1))
    assert "relief_start" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.integration_case_create(
            actor=editor,
            organisation=diemen,
            code="RS-9",
            residence_status="student",
            linked_on=date(2024, 1, 31),
        )


def test_financial_relief_ends_six_months_after_its_start_at_the_month_end(
    editor: User, diemen: Organisation
) -> None:
    case = services.integration_case_create(
        actor=editor,
        organisation=diemen,
        code="INB-3",
        linked_on=date(2023, 8, 31),
        relief_start=date(2023, 8, 31),
    )
    assert _deadlines(case, date(2024, 2, 28))["relief_end"] == (date(2024, 2, 29), "due_soon")
    assert _deadlines(case, date(2024, 2, 29))["relief_end"] == (date(2024, 2, 29), "done")
    services.integration_case_update(actor=editor, case=case, status="exempted")
    found = _deadlines(case, date(2024, 3, 1))
    assert found["broad_intake"][1] == "not_applicable"  # closed: nothing is overdue
    assert found["relief_end"][1] == "done"


def test_a_completed_case_without_intake_dates_is_not_overdue(
    editor: User, diemen: Organisation
) -> None:
    today = timezone.localdate()
    case = services.integration_case_create(
        actor=editor,
        organisation=diemen,
        code="OUD-1",
        linked_on=today - timedelta(days=400),
        status="completed",
        completed_on=today - timedelta(days=10),
    )
    [row] = selectors.caseload([case], today=today)
    term = row.deadline("term")
    assert term is not None
    assert term.state == "done"
    assert str(row.state) not in {"overdue", "due_soon"}


def test_caseload_page_puts_overdue_first_and_uses_the_settings(
    settings: Any, users: dict[str, User], editor: User, diemen: Organisation
) -> None:
    today = timezone.localdate()

    def make(code: str, days_ago: int, **fields: Any) -> IntegrationCase:
        return services.integration_case_create(
            actor=editor,
            organisation=diemen,
            code=code,
            linked_on=today - timedelta(days=days_ago),
            **fields,
        )

    make("FINE", 10)  # intake due in 60 days: open
    make("SOON", 60)  # intake due in 10 days: due soon
    make("LATE", 80)  # intake due 10 days ago: overdue
    make("GONE", 200, status="exempted")
    make(
        "DONE",
        200,
        broad_intake_on=today - timedelta(190),
        pip_on=today - timedelta(150),
        status="completed",
        completed_on=today - timedelta(5),
    )
    client = client_for(users["diemen-viewer"])
    response = client.get(reverse("care:caseload"))
    assert response.status_code == 200
    assert [(r.case.code, str(r.state)) for r in response.context["rows"]] == [
        ("LATE", "overdue"),
        ("SOON", "due_soon"),
        ("FINE", "open"),
        ("DONE", "done"),
        ("GONE", "not_applicable"),
    ]
    assert response.context["counts"] == {
        "overdue": 1,
        "due_soon": 1,
        "open": 1,
        "done_late": 0,
        "done": 1,
        "not_applicable": 1,
    }
    html = response.content.decode()
    assert html.index("LATE") < html.index("SOON") < html.index("FINE")
    assert "od-light--red" in html and "od-light--amber" in html

    filtered = client.get(reverse("care:caseload"), {"signaal": "overdue"})
    assert [r.case.code for r in filtered.context["rows"]] == ["LATE"]

    settings.CARE_DUE_SOON_DAYS = 5
    response = client.get(reverse("care:caseload"))
    states = {r.case.code: str(r.state) for r in response.context["rows"]}
    assert states["SOON"] == "open"


def test_the_caseload_shows_residence_status_late_steps_and_the_term(
    editor: User, diemen: Organisation, users: dict[str, User]
) -> None:
    today = timezone.localdate()
    linked = today - timedelta(days=200)
    services.integration_case_create(
        actor=editor,
        organisation=diemen,
        code="LATE-PIP",
        linked_on=linked,
        broad_intake_on=linked + timedelta(weeks=11),  # a week late
        pip_on=linked + timedelta(weeks=12),  # two weeks late
        status="plan",
    )
    services.integration_case_create(
        actor=editor,
        organisation=diemen,
        code="GEZIN",
        residence_status="family_migrant",
        linked_on=today - timedelta(days=10),
    )
    services.integration_case_create(
        actor=editor,
        organisation=diemen,
        code="OEKR",
        residence_status="temporary_protection",
        linked_on=today - timedelta(days=200),
    )
    client = client_for(users["diemen-viewer"])
    response = client.get(reverse("care:caseload"))
    states = {r.case.code: str(r.state) for r in response.context["rows"]}
    # late steps show as late, not as done; temporary protection brings no deadlines
    assert states == {"LATE-PIP": "done_late", "GEZIN": "open", "OEKR": "not_applicable"}
    html = response.content.decode()
    assert "Reguliere gezinsmigrant" in html and "te laat afgerond" in html
    assert "verblijfsstatus=family_migrant" in html
    migrants = client.get(reverse("care:caseload"), {"verblijfsstatus": "family_migrant"})
    assert [r.case.code for r in migrants.context["rows"]] == ["GEZIN"]
    unknown = client.get(reverse("care:caseload"), {"verblijfsstatus": "toerist"})
    assert len(unknown.context["rows"]) == 3  # an unknown value filters nothing
    export = client.get(reverse("care:caseload"), {"export": "csv"})
    lines = export.content.decode("utf-8-sig").splitlines()
    assert "Verblijfsstatus" in lines[0].split(";")
    assert "Laatste dag van de inburgeringstermijn" in lines[0].split(";")
    late = next(line for line in lines if line.startswith("LATE-PIP"))
    assert "te laat afgerond" in late
    case = IntegrationCase.objects.get(code="OEKR")
    detail = client.get(reverse("care:case_detail", args=[case.pk])).content.decode()
    assert "Niet inburgeringsplichtig" in detail and "Geen ontzorgen" in detail
    assert "Telt niet mee voor de taakstelling statushouders" in detail
    pip_case = IntegrationCase.objects.get(code="LATE-PIP")
    detail = client.get(reverse("care:case_detail", args=[pip_case.pk])).content.decode()
    assert "Inburgeringsplichtig" in detail and "Inburgeringstermijn begint" in detail


def test_the_form_keeps_the_first_pip_unless_a_typo_is_corrected(
    editor: User, diemen: Organisation
) -> None:
    record = services.integration_case_create(
        actor=editor,
        organisation=diemen,
        code="INB-P",
        linked_on=date(2024, 3, 1),
        broad_intake_on=date(2024, 4, 2),
        pip_on=date(2024, 5, 15),
        status="plan",
    )
    client = client_for(editor)
    url = reverse("care:case_update", args=[record.pk])
    assert "correct_first_pip" in client.get(url).content.decode()
    form = {
        "linked_on": "2024-03-01",
        "residence_status": "asylum_permit",
        "broad_intake_on": "2024-04-02",
        "pip_on": "2024-09-01",
        "route": record.route,
        "status": "plan",
        "term_extension_months": 0,
    }
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "De datum van het eerste persoonlijk plan blijft staan" in refused.content.decode()
    record.refresh_from_db()
    assert record.pip_on == date(2024, 5, 15)
    assert client.post(url, {**form, "correct_first_pip": "on"}).status_code == 302
    record.refresh_from_db()
    assert record.pip_on == date(2024, 9, 1)
    assert "correct_first_pip" not in client.get(reverse("care:case_create")).content.decode()


def test_the_import_takes_the_residence_status_and_keeps_the_first_pip(
    editor: User, diemen: Organisation
) -> None:
    content = _csv(
        "Code;Gekoppeld aan de gemeente op;Verblijfsstatus;Brede intake op;"
        "Datum eerste persoonlijk plan (PIP)",
        "INB-7;01-03-2024;family_migrant;02-04-2024;15-05-2024",
    )
    assert services.integration_import(
        actor=editor, organisation=diemen, content=content, filename="cases.csv"
    ) == (1, 0)
    assert IntegrationCase.objects.get(code="INB-7").residence_status == "family_migrant"
    moved = _csv(
        "Code;Gekoppeld aan de gemeente op;Datum eerste persoonlijk plan (PIP)",
        "INB-7;01-03-2024;01-09-2024",
    )
    with pytest.raises(ImportRejected) as rejected:
        services.integration_import(
            actor=editor, organisation=diemen, content=moved, filename="cases.csv"
        )
    label = services.CASE_IMPORT.label
    assert [error.field for error in rejected.value.errors] == [label("pip_on")]
    wrong = _csv("Code;Gekoppeld aan de gemeente op;Verblijfsstatus", "INB-8;01-03-2024;toerist")
    with pytest.raises(ImportRejected) as rejected:
        services.integration_import(
            actor=editor, organisation=diemen, content=wrong, filename="cases.csv"
        )
    assert [error.field for error in rejected.value.errors] == [label("residence_status")]


# --- 7. a failing import or edit writes nothing ----------------------------------------------


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_import_with_bad_rows_is_rejected_naming_row_and_column_and_writes_nothing(
    editor: User, diemen: Organisation
) -> None:
    household = housing.household_create(
        actor=editor, organisation=diemen, target_group=SH, waiting_since=date(2024, 1, 1)
    )
    content = _csv(
        "code,household,linked_on,broad_intake_on,pip_on,route",
        f"INB-1,{household.code},2024-01-31,2024-02-15,2024-03-01,b1",
        "INB-2,,31-02-2024,,,",
        "INB-3,HH-NOPE,2024-02-01,,,",
        "INB-4,,2024-02-01,,,c2",
        "INB-1,,2024-02-01,,,",
        "INB-5,,2024-02-01,,,education",
    )
    with pytest.raises(ImportRejected) as raised:
        services.integration_import(
            actor=editor, organisation=diemen, content=content, filename="cases.csv"
        )
    found = {(e.row, e.field): e.message for e in raised.value.errors}
    # columns named by their Dutch labels, messages in Dutch (issue 11)
    linked, household_, route = (
        "Gekoppeld aan de gemeente op",
        "Huishouden",
        "Route",
    )
    assert set(found) == {(3, linked), (4, household_), (5, route), (6, "Code")}
    assert "HH-NOPE" in found[(4, household_)]
    assert "'c2'" in found[(5, route)]
    assert "rij 2" in found[(6, "Code")]
    assert f"rij 3, kolom '{linked}'" in str(raised.value)
    assert not IntegrationCase.objects.exists()
    assert not AuditEntry.objects.filter(object_type="care.IntegrationCase").exists()


def test_import_rolls_back_good_rows_when_a_pip_precedes_the_intake(
    editor: User, diemen: Organisation
) -> None:
    content = _csv(
        "code,linked_on,broad_intake_on,pip_on,modules",
        "INB-1,2024-01-31,,,knm;pvt",
        "INB-2,31-01-2024,2024-03-01,2024-02-15,",
    )
    with pytest.raises(ImportRejected) as raised:
        services.integration_import(
            actor=editor, organisation=diemen, content=content, filename="cases.csv"
        )
    assert [(e.row, e.field) for e in raised.value.errors] == [
        (3, services.CASE_IMPORT.label("pip_on"))
    ]
    assert not IntegrationCase.objects.exists()

    fixed = content.replace(b"2024-03-01,2024-02-15", b"2024-02-15,2024-03-01")
    assert services.integration_import(
        actor=editor, organisation=diemen, content=fixed, filename="cases.csv"
    ) == (2, 0)
    assert IntegrationCase.objects.get(code="INB-1").modules == ["knm", "pvt"]
    again = fixed.replace(b",,,knm;pvt", b",2024-02-01,,knm")
    assert services.integration_import(
        actor=editor, organisation=diemen, content=again, filename="cases.csv"
    ) == (0, 2)
    assert IntegrationCase.objects.get(code="INB-1").broad_intake_on == date(2024, 2, 1)


def test_import_lists_every_problem_of_the_file(editor: User, diemen: Organisation) -> None:
    content = _csv(
        "code,linked_on,broad_intake_on,pip_on",
        "INB-1,2024-01-31,2024-03-01,2024-02-15",
        "INB-2,2024-01-31,2023-12-01,",
        "INB-3,2024-13-01,,",
    )
    with pytest.raises(ImportRejected) as raised:
        services.integration_import(
            actor=editor, organisation=diemen, content=content, filename="cases.csv"
        )
    label = services.CASE_IMPORT.label
    assert {(e.row, e.field) for e in raised.value.errors} == {
        (2, label("pip_on")),
        (3, label("broad_intake_on")),
        (4, label("linked_on")),
    }


def test_the_import_page_shows_the_errors_and_imports_nothing(
    editor: User, diemen: Organisation
) -> None:
    client = client_for(editor)
    url = reverse("care:case_import") + f"?organisatie={diemen.pk}"
    upload = SimpleUploadedFile(
        "cases.csv", _csv("code,linked_on,route", "INB-1,2024-01-31,b1", "INB-2,morgen,")
    )
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    linked = services.CASE_IMPORT.label("linked_on")
    assert [(e.row, e.field) for e in response.context["errors"]] == [(3, linked)]
    html = response.content.decode()
    assert "rij 3" in html
    assert "Gekoppeld aan de gemeente op" in html
    assert "linked_on" not in html
    assert not IntegrationCase.objects.exists()

    good = SimpleUploadedFile("cases.csv", _csv("code,linked_on,route", "INB-1,2024-01-31,b1"))
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    assert IntegrationCase.objects.get(code="INB-1").route == "b1"


def test_an_invalid_ownership_edit_changes_nothing(small: dict[str, Service], editor: User) -> None:
    ownership = cell(small["svc_school"], SH)
    before = entries(ownership)
    with pytest.raises(ValidationError) as raised:
        services.ownership_update(actor=editor, ownership=ownership, status="structural")
    assert {"partner", "alderman"} <= set(raised.value.message_dict)
    with pytest.raises(ValidationError) as raised:
        services.ownership_update(
            actor=editor, ownership=cell(small["svc_school"], SH), status="temporary", team="X"
        )
    assert set(raised.value.message_dict) == {"alderman"}
    ownership.refresh_from_db()
    assert (ownership.status, ownership.team, ownership.alderman) == ("missing", "", "")
    assert entries(ownership) == before

    response = client_for(editor).post(
        reverse("care:ownership_update", args=[ownership.pk]), {"status": "structural"}
    )
    assert response.status_code == 200
    assert {"partner", "alderman"} <= set(response.context["form"].errors)
    ownership.refresh_from_db()
    assert ownership.status == "missing"
    assert entries(ownership) == before


def test_a_service_form_without_target_groups_shows_an_error_and_creates_nothing(
    editor: User, diemen: Organisation
) -> None:
    client = client_for(editor)
    url = reverse("care:service_create") + f"?organisatie={diemen.pk}"
    data = {
        "code": "buddy",
        "category": "social",
        "name": "Buddyproject",
        "basis": "households",
        "share": "1",
        "capacity_unit": "households",
        "task_field": "6.1",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "target_groups" in response.context["form"].errors
    assert not Service.objects.exists()
    assert not AuditEntry.objects.filter(object_type="care.Service").exists()
    with pytest.raises(ValidationError):
        services.service_create(
            actor=editor, organisation=diemen, code="buddy", category="social", name="Buddy"
        )
    assert not Service.objects.exists()

    response = client.post(url, {**data, "target_groups": [SH, UA]})
    assert response.status_code == 302
    created = Service.objects.get(code="buddy")
    assert created.template_code == ""
    assert sorted(o.target_group for o in created.ownerships.all()) == [UA, SH]
    assert set(created.ownerships.values_list("status", flat=True)) == {"missing"}


# --- 8. privacy -----------------------------------------------------------------------------


def test_caseload_and_case_detail_reads_are_logged_with_their_purpose(
    users: dict[str, User], editor: User, diemen: Organisation
) -> None:
    first = services.integration_case_create(
        actor=editor, organisation=diemen, code="INB-1", linked_on=date(2024, 1, 31)
    )
    second = services.integration_case_create(
        actor=editor, organisation=diemen, code="INB-2", linked_on=date(2024, 2, 1)
    )
    viewer = users["diemen-viewer"]
    client = client_for(viewer)
    assert client.get(reverse("care:caseload")).status_code == 200
    assert client.get(reverse("care:case_detail", args=[first.pk])).status_code == 200
    logs = list(AccessLog.objects.filter(object_type="care.IntegrationCase").order_by("pk"))
    assert [(log.action, log.purpose) for log in logs] == [
        ("list", selectors.PURPOSE_CASES),
        ("read", selectors.PURPOSE_CASE),
    ]
    assert set(logs[0].object_ids.split(",")) == {str(first.pk), str(second.pk)}
    assert logs[1].object_ids == str(first.pk)
    assert {log.actor for log in logs} == {viewer}
    assert {log.organisation_id for log in logs} == {diemen.pk}


def test_a_caseload_export_is_logged_with_the_export_purpose(
    users: dict[str, User], editor: User, diemen: Organisation
) -> None:
    case = services.integration_case_create(
        actor=editor, organisation=diemen, code="INB-7", linked_on=date(2024, 1, 31)
    )
    response = client_for(users["diemen-viewer"]).get(reverse("care:caseload"), {"export": "csv"})
    assert response.status_code == 200
    assert "INB-7" in response.content.decode("utf-8-sig")
    log = AccessLog.objects.get(object_type="care.IntegrationCase")
    assert (log.purpose, log.object_ids) == (selectors.PURPOSE_CASES_EXPORT, str(case.pk))


def test_the_demand_page_logs_the_household_read(
    small: dict[str, Service], users: dict[str, User], editor: User, diemen: Organisation
) -> None:
    family = housing.household_create(
        actor=editor,
        organisation=diemen,
        target_group=SH,
        adults=1,
        minors_4_11=2,
        waiting_since=date(2024, 1, 1),
    )
    response = client_for(users["diemen-viewer"]).get(reverse("care:demand"))
    assert response.status_code == 200
    rows = {row.service.code: row.cells for row in response.context["data"].rows}
    assert set(rows) == {"svc_school", "svc_health"}  # legal aid has no derived demand
    assert [cell.demand for cell in rows["svc_school"]][1] == 2  # waiting: from next month
    assert response.context["data"].households == 1
    log = AccessLog.objects.get(object_type="housing.Household")
    assert log.purpose == selectors.PURPOSE_DEMAND
    assert log.action == "aggregate"
    assert log.object_ids == str(family.pk)
    assert log.actor == users["diemen-viewer"]


# --- 9. the demo ----------------------------------------------------------------------------


def test_demo_seed_leaves_two_gaps_some_temporary_cells_and_an_overdue_case(
    users: dict[str, User], diemen: Organisation
) -> None:
    admin = users["diemen-admin"]
    housing.demo_seed(actor=admin, organisation=diemen)
    adopted = care_demo.demo_seed(actor=admin, organisation=diemen)
    assert adopted == len(catalogue.template().services)
    today = timezone.localdate()
    data = selectors.coverage(user=users["diemen-viewer"], organisation=diemen, today=today)
    statuses = {row.service.code: row.status for row in data.rows}
    assert {code for code, s in statuses.items() if s == "missing"} == {"interpreters", "transport"}
    assert {code for code, s in statuses.items() if s == "temporary"} == set(
        care_demo.DEMO_TEMPORARY
    )
    counts = data.coverage.counts
    assert counts[EngineStatus.STRUCTURAL] > data.coverage.applicable / 2
    assert counts[EngineStatus.TEMPORARY] > 0
    assert Partner.objects.filter(organisation=diemen).count() >= 10

    cases = selectors.integration_cases_read(
        user=users["diemen-viewer"],
        purpose=selectors.PURPOSE_CASES,
        queryset=IntegrationCase.objects.filter(organisation=diemen),
    )
    rows = selectors.caseload(cases, today=today)
    assert len(rows) == 7
    assert any(str(r.state) == "overdue" for r in rows)
    assert {str(r.state) for r in rows if r.case.code == "INB-001"} == {"overdue"}
    housed = [r for r in rows if r.case.code != "INB-GM1"]
    assert all(r.case.household is not None and r.case.household.target_group == SH for r in housed)
    # every demo case has a residence status; a family migrant is in the caseload too
    assert {r.case.residence_status for r in rows} == {
        "asylum_permit",
        "family_reunification",
        "family_migrant",
    }
    migrant = next(r for r in rows if r.case.code == "INB-GM1")
    assert migrant.case.household is None and migrant.case.relief_start is None

    assert care_demo.demo_seed(actor=admin, organisation=diemen) == 0
    assert Service.objects.filter(organisation=diemen).count() == adopted


# --- partners: deleting ----------------------------------------------------------------------


def test_a_partner_that_still_owns_cells_cannot_be_deleted(
    arranged: dict[str, Any], editor: User
) -> None:
    ggd = arranged["ggd"]
    with pytest.raises(ValidationError) as error:
        services.partner_delete(actor=editor, partner=ggd)
    assert "GGD test" in str(error.value)
    assert Partner.objects.filter(pk=ggd.pk).exists()
    response = client_for(editor).post(reverse("care:partner_delete", args=[ggd.pk]))
    assert response.status_code == 302
    assert Partner.objects.filter(pk=ggd.pk).exists()


def test_deleting_a_partner_audits_its_contracts_and_contacts(
    diemen: Organisation, editor: User
) -> None:
    partner = services.partner_create(
        actor=editor, organisation=diemen, name="Tolkenbureau", kind="other"
    )
    contract = services.contract_create(
        actor=editor, partner=partner, reference="Tolken 2027", capacity=100, capacity_unit="hours"
    )
    services.contact_create(actor=editor, partner=partner, name="Planner", role="planning")
    partner_id, contract_id = partner.pk, contract.pk
    services.partner_delete(actor=editor, partner=partner)
    assert not Partner.objects.filter(pk=partner_id).exists()
    assert AuditEntry.objects.filter(
        object_type="care.Contract", object_id=str(contract_id), action="delete"
    ).exists()
    assert AuditEntry.objects.filter(
        object_type="care.Partner", object_id=str(partner_id), action="delete"
    ).exists()


def test_the_history_keeps_a_cell_whose_target_group_was_removed(
    small: dict[str, Service], editor: User
) -> None:
    school = small["svc_school"]
    services.service_update(actor=editor, service=school, target_groups=[SH])
    history = list(selectors.service_history(service=school))
    deleted = [e for e in history if e.object_type == "care.Ownership" and e.action == "delete"]
    assert deleted
    kept = AuditEntry.objects.filter(pk__in=[e.pk for e in deleted])
    assert all(e.before and e.before["service"] == school.pk for e in kept)


def test_the_overview_warns_about_contracts_that_end_soon(
    small: dict[str, Service], editor: User, diemen: Organisation, settings: Any
) -> None:
    settings.CARE_CONTRACT_WARNING_MONTHS = 3
    partner = services.partner_create(actor=editor, organisation=diemen, name="ISK", kind="school")
    today = timezone.localdate()
    for reference, end in (
        ("Loopt bijna af", today + timedelta(days=40)),
        ("Loopt nog lang", today + timedelta(days=400)),
        ("Al afgelopen", today - timedelta(days=10)),
    ):
        services.contract_create(
            actor=editor, partner=partner, service=small["svc_school"], reference=reference, end=end
        )
    ending = selectors.contracts_ending(user=editor, organisation=diemen, today=today, months=3)
    assert [c.reference for c in ending] == ["Loopt bijna af"]
    page = client_for(editor).get(reverse("care:overview")).content.decode()
    assert "Loopt bijna af" in page
    assert "Loopt nog lang" not in page


def test_a_services_share_reaches_the_engine_exactly(
    small: dict[str, Service], editor: User, diemen: Organisation
) -> None:
    from fractions import Fraction

    from onderdak.apps.care import adapters

    school = small["svc_school"]
    services.service_update(actor=editor, service=school, share=Decimal("0.55"))
    school.refresh_from_db()
    (rule,) = adapters.service_rules([school])
    assert rule.share == Fraction(11, 20)
    with pytest.raises(ValidationError):
        services.service_update(actor=editor, service=school, share=Decimal("1.5"))


def test_the_case_form_lists_household_codes_through_a_logged_read(
    diemen: Organisation, editor: User
) -> None:
    household = placed(editor, diemen, target_group=SH, adults=1)
    response = client_for(editor).get(reverse("care:case_create"))
    assert household.code in response.content.decode()
    assert AccessLog.objects.filter(
        actor=editor,
        object_type="housing.Household",
        purpose=selectors.PURPOSE_HOUSEHOLD_CHOICE,
        object_ids__contains=str(household.pk),
    ).exists()


# --- issue 11: the regressions ----------------------------------------------------------------


def test_the_coordinators_case_form_offers_only_what_the_region_shares(
    editor: User, diemen: Organisation, users: dict[str, User]
) -> None:
    hidden = services.partner_create(
        actor=editor, organisation=diemen, name="Intern taalteam", kind="language_provider"
    )
    shared = services.partner_create(
        actor=editor, organisation=diemen, name="Taalhuis", kind="language_provider", shared=True
    )
    unshared_household = housing.household_create(
        actor=editor, organisation=diemen, target_group=SH, adults=1, waiting_since=date(2025, 1, 1)
    )
    shared_household = housing.household_create(
        actor=editor,
        organisation=diemen,
        target_group=SH,
        adults=1,
        shared=True,
        waiting_since=date(2025, 1, 1),
    )
    record = services.integration_case_create(
        actor=editor,
        organisation=diemen,
        code="INB-1",
        linked_on=timezone.localdate(),
        shared=True,
    )
    response = client_for(users["duo-coordinator"]).get(
        reverse("care:case_update", args=[record.pk])
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["provider"].queryset) == [shared]
    offered = {value for value, _label in form.fields["household"].choices if value}
    assert offered == {shared_household.pk}
    html = response.content.decode()
    assert hidden.name not in html and unshared_household.code not in html
    # a forged POST with the unshared household is a form error, nothing is written
    posted = client_for(users["duo-coordinator"]).post(
        reverse("care:case_update", args=[record.pk]),
        {
            "household": unshared_household.pk,
            "linked_on": record.linked_on.isoformat(),
            "route": record.route,
            "status": record.status,
            "term_extension_months": 0,
            "shared": "on",
        },
    )
    assert posted.status_code == 200
    record.refresh_from_db()
    assert record.household_id is None


def test_the_region_view_shows_the_coordinator_what_members_share(
    small: dict[str, Service], editor: User, users: dict[str, User], diemen: Organisation
) -> None:
    services.service_update(actor=editor, service=small["svc_school"], shared=True)
    response = client_for(users["duo-coordinator"]).get(reverse("care:overview"))
    assert response.status_code == 200
    assert response.context["organisation"] == diemen
    assert [r.service.code for r in response.context["data"].rows] == ["svc_school"]
    assert response.context["can_edit"] is False
    assert "Regioweergave" in response.content.decode()
    # no demand from the few households the region may see: not derived, not read
    assert response.context["data"].rows[0].demand_today is None
    demand = client_for(users["duo-coordinator"]).get(reverse("care:demand"))
    assert demand.context["data"].region_view and demand.context["data"].rows == []
    assert not AccessLog.objects.filter(
        object_type="housing.Household", actor=users["duo-coordinator"]
    ).exists()


def test_the_service_page_names_the_template_service_not_its_code(
    editor: User, diemen: Organisation, users: dict[str, User]
) -> None:
    services.catalogue_adopt(actor=editor, organisation=diemen)
    service = Service.objects.get(organisation=diemen, code="compulsory_education_enforcement")
    services.service_update(actor=editor, service=service, name="Leerplicht (eigen naam)")
    html = (
        client_for(users["diemen-viewer"])
        .get(reverse("care:service_detail", args=[service.pk]))
        .content.decode()
    )
    facts = html[html.index('<dl class="od-facts">') : html.index("</dl>")]
    assert "compulsory_education_enforcement" not in facts
    assert "landelijk sjabloon (Leerplicht en leerlingzaken voor nieuwkomers)" in facts


def test_deleting_a_partner_that_owns_cells_on_the_web_says_why_in_dutch(
    arranged: dict[str, Any], editor: User
) -> None:
    owner = Partner.objects.filter(ownerships__status="structural", ownerships__team="").first()
    assert owner is not None
    response = client_for(editor).post(reverse("care:partner_delete", args=[owner.pk]), follow=True)
    assert response.status_code == 200
    assert "is nog eigenaar van" in response.content.decode()
    assert Partner.objects.filter(pk=owner.pk).exists()


def test_the_import_takes_dutch_column_names_and_offers_a_template(
    editor: User, diemen: Organisation
) -> None:
    client = client_for(editor)
    template = client.get(reverse("care:case_import_template"), {"format": "csv"})
    assert template.status_code == 200
    header = template.content.decode("utf-8-sig").splitlines()[0].split(";")
    assert header[:3] == ["Code", "Huishouden", "Gekoppeld aan de gemeente op"]
    content = _csv("Code;Gekoppeld aan de gemeente op;Route", "INB-9;05-01-2026;b1")
    assert services.integration_import(
        actor=editor, organisation=diemen, content=content, filename="cases.csv"
    ) == (1, 0)
    assert IntegrationCase.objects.get(code="INB-9").linked_on == date(2026, 1, 5)


def test_the_college_exports_neutralise_formulas_and_survive_control_characters(
    arranged: dict[str, Any], users: dict[str, User], editor: User
) -> None:
    school = Service.objects.get(code="svc_school")
    nul = (
        "" if "postgres" in os.environ.get("DATABASE_URL", "") else "\x00"
    )  # PostgreSQL refuses NUL
    services.service_update(actor=editor, service=school, name='=HYPERLINK("x")' + nul + "\x0b")
    client = client_for(users["diemen-viewer"])
    excel = client.get(reverse("care:overview"), {"export": "xlsx"})
    assert excel.status_code == 200
    workbook = load_workbook(io.BytesIO(excel.content))
    names = [row[0].value for row in workbook.worksheets[0].iter_rows(min_row=2)]
    assert '\'=HYPERLINK("x")' in names
    assert all(cell.data_type != "f" for row in workbook.worksheets[0].iter_rows() for cell in row)
    word = client.get(reverse("care:overview"), {"export": "docx"})
    assert word.status_code == 200
    document = Document(io.BytesIO(word.content))
    texts = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert '=HYPERLINK("x")' in texts  # Word does not run formulas; the control characters go


def test_the_coordinator_edits_a_shared_case_without_seeing_or_losing_its_household(
    editor: User, diemen: Organisation, users: dict[str, User]
) -> None:
    hidden = housing.household_create(
        actor=editor, organisation=diemen, target_group=SH, adults=1, waiting_since=date(2025, 1, 1)
    )
    record = services.integration_case_create(
        actor=editor,
        organisation=diemen,
        code="INB-1",
        linked_on=timezone.localdate(),
        household=hidden,
        shared=True,
    )
    client = client_for(users["duo-coordinator"])
    url = reverse("care:case_update", args=[record.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert hidden.code not in page.content.decode()
    assert (
        hidden.code
        not in client.get(reverse("care:case_detail", args=[record.pk])).content.decode()
    )
    posted = client.post(
        url,
        {
            "linked_on": record.linked_on.isoformat(),
            "residence_status": record.residence_status,
            "route": record.route,
            "status": record.status,
            "term_extension_months": 2,
            "shared": "on",
        },
    )
    assert posted.status_code == 302, posted.content.decode()[:2000]
    record.refresh_from_db()
    assert (record.household_id, record.term_extension_months) == (hidden.pk, 2)


def test_one_month_of_extension_is_singular(
    editor: User, diemen: Organisation, users: dict[str, User]
) -> None:
    record = services.integration_case_create(
        actor=editor,
        organisation=diemen,
        code="INB-1",
        linked_on=timezone.localdate(),
        term_extension_months=1,
    )
    html = client_for(editor).get(reverse("care:case_detail", args=[record.pk])).content.decode()
    assert "1 maand<" in html and "1 maanden" not in html


def test_a_viewer_is_offered_no_edit_or_import_links(
    arranged: dict[str, Any], users: dict[str, User], editor: User, diemen: Organisation
) -> None:
    record = services.integration_case_create(
        actor=editor, organisation=diemen, code="INB-1", linked_on=timezone.localdate()
    )
    partner = Partner.objects.filter(organisation=diemen).first()
    assert partner is not None
    service = Service.objects.get(code="svc_school")
    client = client_for(users["diemen-viewer"])
    pages = [
        reverse(name)
        for name in ("care:overview", "care:catalogue", "care:gaps", "care:partner_list")
    ] + [
        reverse("care:caseload"),
        reverse("care:case_detail", args=[record.pk]),
        reverse("care:partner_detail", args=[partner.pk]),
        reverse("care:service_detail", args=[service.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        hrefs = re.findall(r'href="([^"]+)"', html)
        writes = [
            h
            for h in hrefs
            if h.startswith("/zorg/")
            and re.search(r"/(wijzigen|nieuw|importeren|verwijderen|overnemen|beeindigen)/", h)
        ]
        assert writes == [], (url, writes)
        assert 'method="post"' not in html.split("<main", 1)[1], url
