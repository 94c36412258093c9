"""Fixtures of the communication tests."""

from __future__ import annotations

from django.utils import timezone

import pytest

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.programme import services as programme_services
from onderdak.apps.programme.models import Programme


@pytest.fixture
def programme(users: dict[str, User], organisations: dict[str, Organisation]) -> Programme:
    """1.1 (10 working days) -> 1.2, a milestone."""
    admin = users["diemen-admin"]
    programme = programme_services.programme_create(
        actor=admin,
        organisation=organisations["diemen"],
        name="Programma C",
        start_date=timezone.localdate(),
    )
    track = programme.tracks.get(kind="temporary_housing")
    work = programme_services.task_create(
        actor=admin, programme=programme, track=track, code="3.1", name="Werk", duration=10
    )
    milestone = programme_services.task_create(
        actor=admin, programme=programme, track=track, code="3.2", name="Shortlist", duration=0
    )
    programme_services.link_create(
        actor=admin, programme=programme, predecessor=work, successor=milestone
    )
    return programme
