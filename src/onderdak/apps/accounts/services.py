"""Writes for organisations, users and memberships (used by the demo and the admin)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from rest_framework.authtoken.models import Token

from .models import Membership, Organisation, OrganisationKind, User

if TYPE_CHECKING:
    from onderdak.apps.geo.models import Municipality, Region


@transaction.atomic
def organisation_for_municipality(*, municipality: Municipality) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(
        municipality=municipality,
        defaults={"name": f"Gemeente {municipality.name}", "kind": OrganisationKind.MUNICIPALITY},
    )
    organisation.full_clean()
    return organisation


@transaction.atomic
def organisation_for_region(*, region: Region, name: str) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(
        name=name, defaults={"kind": OrganisationKind.REGIONAL_BODY, "region": region}
    )
    organisation.full_clean()
    return organisation


@transaction.atomic
def user_set_membership(
    *,
    username: str,
    organisation: Organisation,
    role: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    """Create or update a user and give them ``role`` in ``organisation``."""
    user, _ = User.objects.get_or_create(username=username)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    if password is not None:
        user.set_password(password)
    user.full_clean()
    user.save()
    membership, _ = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    membership.full_clean()
    return user


@transaction.atomic
def api_token_for(*, user: User) -> str:
    """The user's API token (created on first use)."""
    token, _ = Token.objects.get_or_create(user=user)
    return str(token.key)
