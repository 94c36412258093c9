"""Shared fixtures: reference data loaded once per test database, demo organisations and users."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.test import Client

import pytest

from onderdak.apps.accounts.models import Organisation, Role, User
from onderdak.apps.accounts.services import (
    organisation_for_municipality,
    organisation_for_region,
    user_set_membership,
)
from onderdak.apps.geo.models import Municipality, Region
from onderdak.apps.geo.services import reference_load
from onderdak.data.reference import read_reference_data

PASSWORD = "test-wachtwoord-123"


@pytest.fixture(scope="session")
def reference_records() -> Any:
    return read_reference_data()


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None, django_db_blocker: Any, reference_records: Any
) -> Iterator[None]:
    with django_db_blocker.unblock():
        reference_load(data=reference_records)
    yield


@pytest.fixture
def reference(db: None, reference_records: Any) -> None:
    """Reference data present (tests with a flushed database reload it; the load is idempotent)."""
    if not Municipality.objects.exists():
        reference_load(data=reference_records)


@pytest.fixture
def organisations(reference: None) -> dict[str, Organisation]:
    return {
        "diemen": organisation_for_municipality(
            municipality=Municipality.objects.get(code="GM0384")
        ),
        "ouder-amstel": organisation_for_municipality(
            municipality=Municipality.objects.get(code="GM0437")
        ),
        "uithoorn": organisation_for_municipality(
            municipality=Municipality.objects.get(code="GM0451")
        ),
        "amsterdam": organisation_for_municipality(
            municipality=Municipality.objects.get(code="GM0363")
        ),
        "duoplus": organisation_for_region(region=Region.objects.get(code="DUOPLUS"), name="Duo+"),
    }


@pytest.fixture
def users(organisations: dict[str, Organisation]) -> dict[str, User]:
    spec = {
        "diemen-viewer": ("diemen", Role.VIEWER),
        "diemen-editor": ("diemen", Role.EDITOR),
        "diemen-admin": ("diemen", Role.ADMINISTRATOR),
        "uithoorn-editor": ("uithoorn", Role.EDITOR),
        "amsterdam-editor": ("amsterdam", Role.EDITOR),
        "duo-coordinator": ("duoplus", Role.COORDINATOR),
        "duo-viewer": ("duoplus", Role.VIEWER),
    }
    return {
        name: user_set_membership(
            username=name, organisation=organisations[key], role=role, password=PASSWORD
        )
        for name, (key, role) in spec.items()
    }


def logged_in(user: User | None) -> Client:
    """A Django test client signed in as ``user`` (anonymous for ``None``)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
