"""The audit trail: every write belongs to an organisation, entries in Dutch, deletes keep what
they take with them, "before" from the database."""

from __future__ import annotations

import importlib
from datetime import date

from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse
from django.utils import translation

import pytest
from tests.fixtures import PASSWORD

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.audit.labels import changes_of, type_label, value_label
from onderdak.apps.audit.models import AuditAction, AuditEntry
from onderdak.apps.audit.selectors import audit_list, history, history_of
from onderdak.apps.audit.services import (
    audit_organisation,
    audit_record,
    audited_create,
    audited_delete,
    audited_update,
    snapshot,
)
from onderdak.apps.care.models import IntegrationCase
from onderdak.apps.geo.models import Municipality
from onderdak.apps.housing.models import Complex, Household, Placement, Unit
from onderdak.apps.programme.models import Decision
from onderdak.apps.quotas.models import MunicipalQuota, QuotaRound
from onderdak.common.admin import auditor

pytestmark = pytest.mark.django_db


def login(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def a_placement(organisation: Organisation) -> Placement:
    complex = Complex.objects.create(organisation=organisation, name="Flexwoningen Noord")
    unit = Unit.objects.create(complex=complex, number="1", rooms=2, area_m2=40, max_occupants=3)
    household = Household.objects.create(
        organisation=organisation,
        code="HH-1",
        target_group="status_holder",
        adults=1,
        waiting_since=date(2024, 1, 1),
    )
    return Placement.objects.create(household=household, unit=unit, start=date(2024, 3, 1))


def a_round() -> QuotaRound:
    return QuotaRound.objects.create(
        target_group="status_holder",
        name="Taakstelling 2024-1",
        period_start=date(2024, 1, 1),
        period_end=date(2024, 6, 30),
    )


def test_a_placement_entry_belongs_to_its_households_organisation_and_admins_see_it(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    placement = a_placement(organisations["diemen"])
    entry = audit_record(
        actor=users["diemen-editor"],
        action=AuditAction.CREATE,
        instance=placement,
        after=snapshot(placement),
    )
    assert entry.organisation_id == organisations["diemen"].pk
    page = login(users["diemen-admin"]).get(reverse("audit:list")).content.decode()
    assert placement.household.code in page or str(placement) in page
    assert audit_list(user=users["diemen-admin"]).filter(pk=entry.pk).exists()


def test_a_record_without_an_organisation_falls_back_to_the_actors(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    round = audited_create(actor=users["diemen-editor"], instance=a_round())
    entry = AuditEntry.objects.get(object_type="quotas.QuotaRound", object_id=str(round.pk))
    assert entry.organisation_id == organisations["diemen"].pk


def test_a_figure_belongs_to_its_municipalitys_organisation(
    organisations: dict[str, Organisation],
) -> None:
    quota = MunicipalQuota(round=a_round(), municipality=organisations["uithoorn"].municipality)
    assert audit_organisation(quota) == organisations["uithoorn"].pk


def test_the_model_hook_and_further_organisations_are_used(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    round = a_round()
    entry = audit_record(
        actor=None,
        action=AuditAction.UPDATE,
        instance=round,
        organisations=[organisations["uithoorn"], organisations["diemen"].pk],
    )
    assert {o.pk for o in entry.organisations.all()} == {
        organisations["uithoorn"].pk,
        organisations["diemen"].pk,
    }
    assert audit_list(user=users["diemen-admin"]).filter(pk=entry.pk).count() == 1


def test_labels_are_dutch_model_field_and_choice_names_and_dates() -> None:
    with translation.override("nl"):
        assert type_label("care.IntegrationCase") != "care.IntegrationCase"
        changes = {
            c.field: c
            for c in changes_of(
                "care.IntegrationCase",
                {"id": 1, "route": "undecided", "broad_intake_on": None},
                {"id": 1, "route": "z_route", "broad_intake_on": "2024-03-01"},
            )
        }
        route = IntegrationCase._meta.get_field("route")
        assert changes["route"].label == str(route.verbose_name).capitalize()
        assert changes["route"].after == str(dict(route.flatchoices)["z_route"])
        assert "z_route" not in changes["route"].after
        assert changes["broad_intake_on"].label != "broad_intake_on"
        assert changes["broad_intake_on"].after == "1 maart 2024"
        assert changes["broad_intake_on"].before == "\u2013"
        assert "id" not in changes
        status = value_label(django_apps.get_model("care", "Ownership"), "status", "missing")
        assert status != "missing"
        assert value_label(None, "target_groups", ["status_holder"]) == "Statushouders"


def test_history_of_returns_labelled_snapshots(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    decision = Decision.objects.create(
        organisation=organisations["diemen"],
        decided_on=date(2023, 4, 4),
        body="college",
        track="overall",
        title="Inbedding",
    )
    audited_update(
        actor=users["diemen-editor"],
        instance=decision,
        changes={"decided_on": date(2023, 5, 1)},
        allowed=("decided_on",),
    )
    with translation.override("nl"):
        (entry,) = history_of(instance=decision)
        assert entry.get_action_display() == "Gewijzigd"
        (change,) = entry.changes
        assert (change.before, change.after) == ("4 april 2023", "1 mei 2023")
        assert entry.after is not None
        assert "decided_on" not in entry.after
        assert "1 mei 2023" in entry.after.values()
        assert history(objects=[("programme.Decision", decision.pk)])[0].pk == entry.pk


def test_audited_update_takes_before_from_the_database(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    decision = Decision.objects.create(
        organisation=organisations["diemen"],
        decided_on=date(2023, 4, 4),
        body="college",
        track="overall",
        title="Oud",
    )
    decision.title = "Nieuw"  # a bound form's instance already carries the edit
    audited_update(actor=users["diemen-editor"], instance=decision, changes={}, allowed=("title",))
    entry = AuditEntry.objects.get(object_type="programme.Decision", action="update")
    assert (entry.before["title"], entry.after["title"]) == ("Oud", "Nieuw")


def test_deleting_a_round_keeps_every_figure_it_deletes(
    users: dict[str, User], organisations: dict[str, Organisation], client: Client
) -> None:
    round = a_round()
    municipalities = list(Municipality.objects.order_by("code")[:342])
    MunicipalQuota.objects.bulk_create(
        MunicipalQuota(round=round, municipality=m, official=i)
        for i, m in enumerate(municipalities)
    )
    pk = round.pk
    audited_delete(actor=users["diemen-editor"], instance=round)
    assert not MunicipalQuota.objects.filter(round_id=pk).exists()
    entry = AuditEntry.objects.get(object_type="quotas.QuotaRound", action="delete")
    deleted = entry.before["deleted"]
    assert len(deleted) == len(municipalities) > 300
    assert {d["object_type"] for d in deleted} == {"quotas.MunicipalQuota"}
    assert sorted(d["fields"]["official"] for d in deleted) == list(range(len(municipalities)))
    assert entry.deleted_count == len(municipalities)
    with translation.override("nl"):
        page = login(users["diemen-admin"]).get(reverse("audit:detail", args=[entry.pk]))
        text = page.content.decode()
        assert f"Mee verwijderd: {len(municipalities)} records" in text
        assert municipalities[0].name in text
        listing = login(users["diemen-admin"]).get(reverse("audit:list")).content.decode()
        assert f"{len(municipalities)} records mee verwijderd" in listing


def test_the_audit_page_and_export_speak_dutch(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    placement = a_placement(organisations["diemen"])
    audited_update(
        actor=users["diemen-editor"],
        instance=placement,
        changes={"end": date(2024, 6, 1)},
        allowed=("end",),
    )
    admin = login(users["diemen-admin"])
    listing = admin.get(reverse("audit:list")).content.decode()
    assert "housing.Placement" not in listing
    assert "Plaatsing" in listing
    entry = AuditEntry.objects.get(object_type="housing.Placement")
    detail = admin.get(reverse("audit:detail", args=[entry.pk])).content.decode()
    assert "1 juni 2024" in detail and ">end<" not in detail
    export = admin.get(reverse("audit:list"), {"export": "csv"}).content.decode("utf-8-sig")
    assert "housing.Placement" not in export and "Plaatsing" in export


def test_the_backfill_migration_gives_old_entries_their_organisation(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    placement = a_placement(organisations["diemen"])
    gone = AuditEntry.objects.create(
        actor_name="x",
        action="delete",
        object_type="housing.Placement",
        object_id="999999",
        object_repr="weg",
        before={"household": placement.household_id, "unit": placement.unit_id},
    )
    alive = AuditEntry.objects.create(
        actor_name="x",
        action="create",
        object_type="housing.Placement",
        object_id=str(placement.pk),
        object_repr=str(placement),
    )
    by_actor = AuditEntry.objects.create(
        actor=users["uithoorn-editor"],
        actor_name="uithoorn-editor",
        action="create",
        object_type="quotas.QuotaRound",
        object_id="12345",
        object_repr="ronde",
    )
    migration = importlib.import_module(
        "onderdak.apps.audit.migrations.0004_backfill_entry_organisation"
    )
    migration.backfill(django_apps, None)
    assert AuditEntry.objects.get(pk=gone.pk).organisation_id == organisations["diemen"].pk
    assert AuditEntry.objects.get(pk=alive.pk).organisation_id == organisations["diemen"].pk
    assert AuditEntry.objects.get(pk=by_actor.pk).organisation_id == organisations["uithoorn"].pk


def test_the_admin_records_through_the_audit_app() -> None:
    assert type(auditor()).__name__ == "AdminAuditor"


def test_a_code_that_lives_in_data_is_shown_by_its_name() -> None:
    """The care catalogue's history showed the raw template code (browser walkthrough)."""
    from onderdak.apps.care.models import Service

    shown = value_label(Service, "template_code", "compulsory_education_enforcement")
    assert shown == "Leerplicht en leerlingzaken voor nieuwkomers"
    assert value_label(Service, "template_code", "no_such_entry") == "no_such_entry"
    assert value_label(Service, "code", "compulsory_education_enforcement") == (
        "compulsory_education_enforcement"  # an editable code stays as typed
    )
