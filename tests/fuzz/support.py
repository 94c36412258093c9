"""The demo as every role sees it: shared by the API fuzzing, the crawl and the access matrix.

``onderdak demo`` prepares Diemen with its Duo+ partners and one user per role; a user of an
unrelated municipality (Amsterdam, not a Duo+ member) is added, who must see none of it.
"""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

import pytest

from onderdak.apps.accounts.models import Role, User
from onderdak.apps.accounts.services import organisation_for_municipality, user_set_membership
from onderdak.apps.geo.models import Municipality

DEMO_PASSWORD = "ci-demo-wachtwoord-123"
UNRELATED = "amsterdam-editor"
#: every demo role, then the unrelated municipality's editor
USERS = (
    "demo-viewer",
    "demo-editor",
    "demo-coordinator",
    "demo-admin",
    "demo-uithoorn",
    UNRELATED,
)


def prepare_demo(monkeypatch: pytest.MonkeyPatch) -> dict[str, User]:
    """The demo data with known passwords, and the unrelated user; the users by name."""
    monkeypatch.setenv("ONDERDAK_DEMO_PASSWORD", DEMO_PASSWORD)
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    amsterdam = organisation_for_municipality(municipality=Municipality.objects.get(code="GM0363"))
    user_set_membership(
        username=UNRELATED, organisation=amsterdam, role=Role.EDITOR, password=DEMO_PASSWORD
    )
    return {user.username: user for user in User.objects.filter(username__in=USERS)}
