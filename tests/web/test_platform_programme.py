"""The decision log shows change links only to those who may change (issue 11: viewers are
shown no edit links that answer 403)."""

from __future__ import annotations

from datetime import date

from django.test import Client

import pytest

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.programme import services

pytestmark = pytest.mark.django_db


def test_viewer_sees_no_change_links_editor_does(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    decision = services.decision_create(
        actor=users["diemen-editor"],
        organisation=organisations["diemen"],
        decided_on=date(2026, 2, 1),
        body="college",
        title="Besluit opvang",
    )
    pages = ("/planning/besluiten/", f"/planning/besluiten/{decision.pk}/")
    change_links = (
        "/planning/besluiten/nieuw/",
        f"/planning/besluiten/{decision.pk}/wijzigen/",
        f"/planning/besluiten/{decision.pk}/verwijderen/",
    )
    viewer, editor = Client(), Client()
    viewer.force_login(users["diemen-viewer"])
    editor.force_login(users["diemen-editor"])
    seen_by_viewer = "".join(viewer.get(page).content.decode() for page in pages)
    seen_by_editor = "".join(editor.get(page).content.decode() for page in pages)
    for link in change_links:
        assert link not in seen_by_viewer
        assert link in seen_by_editor
        assert viewer.get(link).status_code == 403
