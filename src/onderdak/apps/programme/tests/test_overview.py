"""The programme overview page for the college."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

import pytest
from tests.fixtures import logged_in

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.programme import services

pytestmark = pytest.mark.django_db


def test_without_a_programme_the_page_explains(users: dict[str, User]) -> None:
    response = logged_in(users["diemen-viewer"]).get("/planning/")
    assert response.status_code == 200
    assert "nog geen programmaplanning" in response.content.decode()


def test_overview_shows_tracks_critical_path_and_missed_target(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    admin = users["diemen-admin"]
    today = timezone.localdate()
    programme = services.programme_create(
        actor=admin,
        organisation=organisations["diemen"],
        name="Programma X",
        start_date=today,
        target_date=today + timedelta(days=7),
    )
    care = programme.tracks.get(kind="care")
    services.track_update(actor=admin, track=care, goal="Alle zorg belegd", alderman="Wethouder Z")
    a = services.task_create(
        actor=admin, programme=programme, track=care, code="1.1", name="Catalogus", duration=30
    )
    m = services.task_create(
        actor=admin, programme=programme, track=care, code="1.2", name="Vastgesteld", duration=0
    )
    services.link_create(actor=admin, programme=programme, predecessor=a, successor=m)
    page = logged_in(users["diemen-viewer"]).get("/planning/").content.decode()
    assert "Programma X" in page
    assert "Alle zorg belegd" in page and "Wethouder Z" in page
    assert "te laat" in page  # 30 working days cannot fit in a week
    assert "Kritiek pad" in page and "1.1 Catalogus" in page
    assert "Volgende mijlpalen" in page and "1.2 Vastgesteld" in page
    # another municipality sees its own (empty) state, nothing of Diemen's
    other = logged_in(users["uithoorn-editor"]).get("/planning/").content.decode()
    assert "Programma X" not in other and "Catalogus" not in other


def test_navigation_leads_to_the_overview(users: dict[str, User]) -> None:
    response = logged_in(users["diemen-viewer"]).get("/gebied/planning/")
    assert response.status_code == 302 and response["Location"] == "/planning/"
