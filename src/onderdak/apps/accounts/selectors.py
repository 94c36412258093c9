"""Who may see and change what. Every app filters its querysets through :func:`scope`.

Rules (one place, tested in ``accounts/tests/test_access.py``):

* members of an organisation (any role) read all its records; editors, coordinators and
  administrators change them;
* records marked ``shared`` are also readable by the organisation's regional partners: the
  organisations of municipalities that share a user-defined region (such as Duo+) with it, and
  regional bodies whose region contains its municipality;
* coordinators and administrators of such a regional body also change those shared records;
* controllers and administrators change the organisation's money (``finance``): budget,
  amendments, actuals, rates and the quarterly letter; editors and coordinators read it;
* superusers (platform operators) read and change everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

from onderdak.apps.geo import selectors as geo_selectors

from .models import (
    FINANCE_ROLES,
    WRITE_ROLES,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
)

M = TypeVar("M", bound=Model)

#: The largest id a record can have (a 64-bit ``BigAutoField``). An id read from a request that
#: is larger (``?organisation=99999999999999999999``) cannot name a record: parsers refuse it
#: before it reaches the database, where it would overflow.
MAX_ID = 2**63 - 1

_CACHE_ATTRIBUTE = "_onderdak_access"
_PRIMARY_ATTRIBUTE = "_onderdak_primary_organisation"


@dataclass(frozen=True)
class Access:
    superuser: bool
    member_of: frozenset[int]
    writes: frozenset[int]
    shared_reads: frozenset[int]
    shared_writes: frozenset[int]
    administers: frozenset[int]
    finance_writes: frozenset[int] = frozenset()


NO_ACCESS = Access(False, frozenset(), frozenset(), frozenset(), frozenset(), frozenset())
OPERATOR_ACCESS = Access(True, frozenset(), frozenset(), frozenset(), frozenset(), frozenset())


class Operator:
    """The platform operator running a command on the server (``onderdak care coverage``):
    reads everything, like a superuser, but is no user; the audit trail records "systeem"."""

    is_operator = True
    is_authenticated = False
    is_active = True
    is_superuser = True
    pk = None


OPERATOR = Operator()


def _organisations_of_municipalities(municipality_ids: set[int]) -> set[int]:
    return set(
        Organisation.objects.filter(municipality_id__in=municipality_ids).values_list(
            "pk", flat=True
        )
    )


def access_for(user: User | AnonymousUser | Any) -> Access:
    """The user's access, computed once per request (cached on the user object)."""
    if getattr(user, "is_operator", False):
        return OPERATOR_ACCESS
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return NO_ACCESS
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if isinstance(cached, Access):
        return cached
    memberships = list(
        Membership.objects.filter(user_id=cast(int, user.pk)).select_related("organisation")
    )
    member_of = {m.organisation_id for m in memberships}
    writes = {m.organisation_id for m in memberships if m.role in WRITE_ROLES}
    administers = {m.organisation_id for m in memberships if m.role == Role.ADMINISTRATOR}
    finance_writes = {m.organisation_id for m in memberships if m.role in FINANCE_ROLES}
    shared_reads: set[int] = set()
    shared_writes: set[int] = set()

    own_municipalities = {
        m.organisation.municipality_id
        for m in memberships
        if m.organisation.municipality_id is not None
    }
    if own_municipalities:
        partners = geo_selectors.partner_municipalities(municipality_ids=own_municipalities)
        shared_reads |= _organisations_of_municipalities(partners)

    for membership in memberships:
        organisation = membership.organisation
        if organisation.kind != OrganisationKind.REGIONAL_BODY or organisation.region_id is None:
            continue
        members = geo_selectors.region_municipalities(region_id=organisation.region_id)
        covered = _organisations_of_municipalities(members)
        shared_reads |= covered
        if membership.role in {Role.COORDINATOR, Role.ADMINISTRATOR}:
            shared_writes |= covered

    access = Access(
        superuser=bool(getattr(user, "is_superuser", False)),
        member_of=frozenset(member_of),
        writes=frozenset(writes),
        shared_reads=frozenset(shared_reads),
        shared_writes=frozenset(shared_writes),
        administers=frozenset(administers),
        finance_writes=frozenset(finance_writes),
    )
    setattr(user, _CACHE_ATTRIBUTE, access)
    return access


def scope(
    queryset: QuerySet[M], user: Any, *, organisation_field: str = "organisation"
) -> QuerySet[M]:
    """``queryset`` limited to the records ``user`` may read."""
    access = access_for(user)
    if access.superuser:
        return queryset
    condition = Q(**{f"{organisation_field}__in": access.member_of})
    if access.shared_reads:
        condition |= Q(shared=True, **{f"{organisation_field}__in": access.shared_reads})
    return queryset.filter(condition)


def can_change(user: Any, record: Any) -> bool:
    """May ``user`` change or delete ``record`` (an ``OrganisationScoped`` instance)?"""
    access = access_for(user)
    if access.superuser:
        return True
    organisation_id = record.organisation_id
    return organisation_id in access.writes or (
        bool(getattr(record, "shared", False)) and organisation_id in access.shared_writes
    )


def writable_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations in whose name ``user`` may create records."""
    access = access_for(user)
    if access.superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=access.writes)


def may_create_in(user: Any, organisation: Organisation | None) -> bool:
    """May ``user`` create records in the name of ``organisation``?"""
    return (
        organisation is not None
        and writable_organisations(user).filter(pk=organisation.pk).exists()
    )


def require_create_in(user: Any, organisation: Organisation) -> None:
    """Raise ``PermissionDenied`` unless :func:`may_create_in` (the guard of create services)."""
    if not may_create_in(user, organisation):
        raise PermissionDenied


def require_change(user: Any, *records: Any) -> None:
    """Raise ``PermissionDenied`` unless :func:`can_change` holds for every record."""
    if not all(can_change(user, record) for record in records):
        raise PermissionDenied


def finance_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations whose money (budget, actuals, rates, quarterly letter) ``user`` may change:
    as controller or administrator; never through a region (money is not shared)."""
    access = access_for(user)
    if access.superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=access.finance_writes)


def may_manage_finance(user: Any, organisation_id: int | None) -> bool:
    """May ``user`` change the money of the organisation with this id?"""
    if organisation_id is None:
        return False
    access = access_for(user)
    return access.superuser or organisation_id in access.finance_writes


def require_finance(user: Any, organisation_id: int | None) -> None:
    """Raise ``PermissionDenied`` unless :func:`may_manage_finance` (the guard of finance
    services)."""
    if not may_manage_finance(user, organisation_id):
        raise PermissionDenied


def user_organisations(user: Any) -> QuerySet[Organisation]:
    access = access_for(user)
    return Organisation.objects.filter(pk__in=access.member_of).select_related(
        "municipality", "region"
    )


def primary_organisation(user: Any) -> Organisation | None:
    """The organisation shown by default: the user's first municipality, else any. Computed
    once per request, like :func:`access_for` (the page shell and the view both ask)."""
    cached = getattr(user, _PRIMARY_ATTRIBUTE, False)
    if cached is not False:
        return cast("Organisation | None", cached)
    organisations = list(user_organisations(user).select_related("municipality__province"))
    organisations.sort(key=lambda o: (o.kind != OrganisationKind.MUNICIPALITY, o.name))
    primary = organisations[0] if organisations else None
    if getattr(user, "is_authenticated", False):
        setattr(user, _PRIMARY_ATTRIBUTE, primary)
    return primary


def administered_organisations(user: Any) -> frozenset[int] | None:
    """Organisation ids the user administers; ``None`` means all (superuser)."""
    access = access_for(user)
    return None if access.superuser else access.administers


def is_administrator(user: Any) -> bool:
    access = access_for(user)
    return access.superuser or bool(access.administers)


def role_in(user: Any, organisation: Organisation) -> str | None:
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    return membership.role if membership else None


def users_of(organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(memberships__organisation=organisation).distinct()


def organisation_exists(pk: int) -> bool:
    """Is there an organisation with this id (any, readable or not)?"""
    return 0 < pk <= MAX_ID and Organisation.objects.filter(pk=pk).exists()


def organisation_id(raw: object) -> int | None:
    """``raw`` (a query-string value) as an organisation id, or ``None`` when it cannot be one
    (not a whole number, zero or less, larger than :data:`MAX_ID`)."""
    try:
        value = int(str(raw).strip())
    except ValueError:
        return None
    return value if 0 < value <= MAX_ID else None


def shared_with(user: Any) -> QuerySet[Organisation]:
    """Organisations whose shared records ``user`` reads without being a member (through a
    region: the region view of what the members share)."""
    access = access_for(user)
    return Organisation.objects.filter(
        pk__in=access.shared_reads - access.member_of
    ).select_related("municipality", "region")


def organisation_named(key: str) -> Organisation | None:
    """An organisation by the CBS code of its municipality (GM0384) or its id, for commands
    run by the platform operator."""
    found = Organisation.objects.filter(municipality__code=key.upper()).first()
    if found is None and key.isdigit():
        found = Organisation.objects.filter(pk=int(key)).first()
    return found


def organisations_with_ids(*ids: int) -> QuerySet[Organisation]:
    """The organisations with these ids (to offer an existing record's own organisation on its
    form, where the record fixes it)."""
    return Organisation.objects.filter(pk__in=ids)
