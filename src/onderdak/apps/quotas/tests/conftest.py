"""Fixtures shared by the quota tests (the organisations and users come from tests/fixtures.py)."""

from __future__ import annotations

import pytest

from onderdak.apps.accounts.models import User


@pytest.fixture
def staff(users: dict[str, User]) -> User:
    """Diemen's administrator as staff: national quota rounds are maintained by staff."""
    user = users["diemen-admin"]
    user.is_staff = True
    user.save()
    return user
