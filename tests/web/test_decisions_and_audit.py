"""The decision log through the web forms, and the audit trail of every change."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

import pytest

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.audit.models import AuditEntry
from onderdak.apps.programme.models import Decision
from tests.fixtures import PASSWORD

pytestmark = pytest.mark.django_db


def login(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_create_change_delete_is_audited_with_before_and_after(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    client = login(users["diemen-editor"])
    form = {
        "organisation": organisations["diemen"].pk,
        "decided_on": "2023-04-04",
        "body": "college",
        "track": "overall",
        "title": "Structurele inbedding",
        "summary": "",
        "reference": "",
    }
    response = client.post(reverse("programme:decision_create"), form)
    assert response.status_code == 302
    decision = Decision.objects.get(title="Structurele inbedding")
    client.post(
        reverse("programme:decision_update", args=[decision.pk]),
        {**form, "title": "Structurele inbedding opvang"},
    )
    client.post(reverse("programme:decision_delete", args=[decision.pk]))
    assert not Decision.objects.filter(pk=decision.pk).exists()

    entries = list(
        AuditEntry.objects.filter(
            object_type="programme.Decision", object_id=str(decision.pk)
        ).order_by("pk")
    )
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert all(
        e.actor == users["diemen-editor"] and e.organisation == organisations["diemen"]
        for e in entries
    )
    assert entries[0].before is None and entries[0].after["title"] == "Structurele inbedding"
    assert entries[1].changes() == [
        ("title", "Structurele inbedding", "Structurele inbedding opvang")
    ]
    assert entries[2].before["title"] == "Structurele inbedding opvang" and entries[2].after is None


def test_invalid_form_writes_nothing_and_names_the_field(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    client = login(users["diemen-editor"])
    response = client.post(
        reverse("programme:decision_create"),
        {
            "organisation": organisations["diemen"].pk,
            "decided_on": "geen datum",
            "body": "college",
            "title": "",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"decided_on", "title", "track"}
    assert Decision.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_delete_asks_for_confirmation_first(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    decision = Decision.objects.create(
        organisation=organisations["diemen"],
        decided_on="2024-01-01",
        body="college",
        title="Te verwijderen",
    )
    client = login(users["diemen-editor"])
    page = client.get(reverse("programme:decision_delete", args=[decision.pk]))
    assert page.status_code == 200
    assert b"Te verwijderen" in page.content
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_audit_trail_is_for_administrators_and_limited_to_their_organisation(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    for user, key, title in (
        (users["diemen-editor"], "diemen", "D"),
        (users["uithoorn-editor"], "uithoorn", "U"),
    ):
        login(user).post(
            reverse("programme:decision_create"),
            {
                "organisation": organisations[key].pk,
                "decided_on": "2024-01-01",
                "body": "college",
                "track": "overall",
                "title": title,
            },
        )
    assert login(users["diemen-editor"]).get(reverse("audit:list")).status_code == 403
    admin = login(users["diemen-admin"])
    page = admin.get(reverse("audit:list")).content.decode()
    assert "D" in page and "diemen-editor" in page and "uithoorn-editor" not in page
    uithoorn_entry = AuditEntry.objects.get(actor_name="uithoorn-editor")
    assert admin.get(reverse("audit:detail", args=[uithoorn_entry.pk])).status_code == 404
    export = admin.get(reverse("audit:list") + "?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_admin_site_changes_are_audited(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    superuser = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    client = login(superuser)
    decision = Decision.objects.create(
        organisation=organisations["diemen"],
        decided_on="2024-01-01",
        body="college",
        title="Via beheer",
    )
    response = client.post(
        reverse("admin:programme_decision_change", args=[decision.pk]),
        {
            "organisation": organisations["diemen"].pk,
            "decided_on": "2024-01-02",
            "body": "college",
            "track": "overall",
            "title": "Via beheer gewijzigd",
            "summary": "",
            "reference": "",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    entry = AuditEntry.objects.get(object_type="programme.Decision", action="update")
    assert entry.actor == superuser
    assert ("title", "Via beheer", "Via beheer gewijzigd") in entry.changes()


def test_list_search_sort_and_pagination(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    for number in range(30):
        Decision.objects.create(
            organisation=organisations["diemen"],
            decided_on=f"2024-01-{number % 28 + 1:02d}",
            body="college",
            title=f"Besluit {number:02d}",
        )
    client = login(users["diemen-viewer"])
    first = client.get(reverse("programme:decision_list") + "?sort=title")
    assert first.context["table"].total == 30
    assert [d.title for d in first.context["table"].page.object_list][:2] == [
        "Besluit 00",
        "Besluit 01",
    ]
    assert len(first.context["table"].page.object_list) == 25
    second = client.get(reverse("programme:decision_list") + "?sort=-title&page=2")
    assert [d.title for d in second.context["table"].page.object_list] == [
        f"Besluit {n:02d}" for n in range(4, -1, -1)
    ]
    found = client.get(reverse("programme:decision_list") + "?q=besluit+07")
    assert [d.title for d in found.context["table"].page.object_list] == ["Besluit 07"]


def test_unchanged_update_is_not_audited_and_unknown_fields_are_refused(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    from onderdak.apps.programme import services

    decision = services.decision_create(
        actor=users["diemen-editor"],
        organisation=organisations["diemen"],
        decided_on="2024-01-01",
        body="college",
        title="Ongewijzigd",
    )
    services.decision_update(actor=users["diemen-editor"], decision=decision, title="Ongewijzigd")
    assert AuditEntry.objects.filter(object_id=str(decision.pk)).count() == 1
    with pytest.raises(ValueError, match="not editable: organisation"):
        services.decision_update(
            actor=users["diemen-editor"], decision=decision, organisation=organisations["uithoorn"]
        )
