"""Fixtures shared by the care tests (the organisations and users come from tests/fixtures.py)."""

from __future__ import annotations

import pytest

from onderdak.apps.accounts.models import Organisation, User


@pytest.fixture
def diemen(organisations: dict[str, Organisation]) -> Organisation:
    return organisations["diemen"]


@pytest.fixture
def editor(users: dict[str, User]) -> User:
    return users["diemen-editor"]
