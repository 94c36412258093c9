"""Recording changes. Every service that writes a user's change calls :func:`audit_record`
(usually through :func:`audited_create`, :func:`audited_update` or :func:`audited_delete`).

Every entry belongs to an organisation, whose administrators see it (:func:`audit_organisation`):

1. the record's own hook: a model may define a property ``audit_organisation`` returning the
   owning ``Organisation`` (or its id), e.g. ``Placement`` -> its household's organisation;
2. else the record's ``organisation_id`` (``OrganisationScoped`` records and properties such as
   ``care.Ownership.organisation_id``); an ``Organisation`` belongs to itself;
3. else the organisation of a record it points to (its foreign keys in field order, two steps
   deep; a municipality's organisation counts), e.g. a quota figure -> its municipality;
4. else the acting user's organisation (their first municipality), e.g. a new quota round.

Further organisations an entry concerns (every party of a regional agreement) come from the
model's ``audit_organisations`` property (an iterable of organisations or ids) and from the
``organisations`` argument of :func:`audit_record`; their administrators see the entry too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeAlias, cast

from django.contrib.admin.utils import NestedObjects
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, router
from django.forms.models import model_to_dict

from onderdak.apps.accounts.selectors import primary_organisation

from .models import AccessLog, AuditAction, AuditEntry

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onderdak.apps.accounts.models import User
    from onderdak.apps.accounts.selectors import Operator

#: Who writes: a user (``request.user``), the platform operator of a server command, or nobody
#: (``None``: the system itself); the last two are recorded as "systeem".
Actor: TypeAlias = "AbstractBaseUser | AnonymousUser | Operator | None"

__all__ = [
    "Actor",
    "AuditAction",
    "access_record",
    "access_record_for",
    "audit_organisation",
    "audit_record",
    "audited_create",
    "audited_delete",
    "audited_update",
    "require_editable",
    "snapshot",
]

#: Records a delete takes with it that are kept in its entry (beyond: counted, not kept).
MAX_DELETED_KEPT = 50_000


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The stored field values of ``instance`` as JSON-safe data (for before/after)."""
    data = model_to_dict(instance)
    data["id"] = instance.pk
    result: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder, default=str))
    return result


def _user(actor: Actor) -> User | None:
    """The signed-in user behind ``actor``; ``None`` for the operator and the system."""
    if isinstance(actor, AbstractBaseUser) and actor.is_authenticated:
        return cast("User", actor)
    return None


def _organisation_pk(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    pk = getattr(value, "pk", None)
    return pk if isinstance(pk, int) else None


def _own_organisation(instance: models.Model) -> int | None:
    if hasattr(type(instance), "audit_organisation"):
        return _organisation_pk(instance.audit_organisation)  # type: ignore[attr-defined]
    if instance._meta.label == "accounts.Organisation":
        return _organisation_pk(instance.pk)
    try:
        return _organisation_pk(getattr(instance, "organisation_id", None))
    except ObjectDoesNotExist:
        return None


def _pointed_organisation(instance: models.Model, depth: int) -> int | None:
    """The organisation of a record ``instance`` points to (or of the municipality it is)."""
    try:
        linked = getattr(instance, "organisation", None)  # a municipality's organisation
    except ObjectDoesNotExist:
        linked = None
    if isinstance(linked, models.Model) and linked._meta.label == "accounts.Organisation":
        return _organisation_pk(linked.pk)
    if depth == 0:
        return None
    for field in instance._meta.concrete_fields:
        if not (field.many_to_one or field.one_to_one) or getattr(instance, field.attname) is None:
            continue
        try:
            target = getattr(instance, field.name)
        except ObjectDoesNotExist:
            continue
        found = _own_organisation(target) or _pointed_organisation(target, depth - 1)
        if found is not None:
            return found
    return None


def audit_organisation(instance: models.Model, actor: Actor = None) -> int | None:
    """The id of the organisation an entry about ``instance`` belongs to (rules in the module
    docstring); ``None`` only when neither the record nor the actor has one."""
    found = _own_organisation(instance) or _pointed_organisation(instance, depth=2)
    if found is None and getattr(actor, "is_authenticated", False):
        organisation = primary_organisation(actor)
        found = organisation.pk if organisation is not None else None
    return found


def _concerned(instance: models.Model, organisations: Iterable[Any]) -> set[int]:
    found = {_organisation_pk(o) for o in organisations}
    if hasattr(type(instance), "audit_organisations"):
        found |= {_organisation_pk(o) for o in instance.audit_organisations}  # type: ignore[attr-defined]
    return {pk for pk in found if pk is not None}


def audit_record(
    *,
    actor: Actor,
    action: AuditAction | str,
    instance: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    organisations: Iterable[Any] = (),
) -> AuditEntry:
    """Add an entry. Call it inside the writing service's transaction, so both land or neither.

    ``organisations``: further organisations (or ids) the change concerns, whose administrators
    see the entry too (e.g. every party of an agreement whose status changes)."""
    organisation_id = audit_organisation(instance, actor)
    user = _user(actor)
    entry = AuditEntry.objects.create(
        actor=user,
        actor_name=user.get_username() if user is not None else "systeem",
        organisation_id=organisation_id,
        action=str(action),
        object_type=instance._meta.label,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        before=before,
        after=after,
    )
    concerned = _concerned(instance, organisations) - {organisation_id}
    if concerned:
        entry.organisations.set(concerned)
    return entry


def access_record(
    *,
    actor: Actor,
    action: str,
    object_type: str,
    ids: list[Any],
    purpose: str,
    organisation_id: int | None = None,
) -> AccessLog:
    """Log a read of personal data with its purpose (privacy by design: every read, also lists)."""
    user = _user(actor)
    return AccessLog.objects.create(
        actor=user,
        actor_name=user.get_username() if user is not None else "systeem",
        organisation_id=organisation_id,
        action=action,
        object_type=object_type,
        object_ids=",".join(str(i) for i in ids)[:20000],
        purpose=purpose,
    )


def access_record_for(*, actor: Actor, action: str, records: list[Any], purpose: str) -> None:
    """Log a read of personal-data records with its purpose: one entry per organisation (every
    record has an ``organisation_id``); nothing when nothing was read."""
    by_organisation: dict[int, list[Any]] = {}
    for record in records:
        by_organisation.setdefault(record.organisation_id, []).append(record.pk)
    for organisation_id, ids in by_organisation.items():
        access_record(
            actor=actor,
            action=action,
            object_type=records[0]._meta.label,
            ids=ids,
            purpose=purpose,
            organisation_id=organisation_id,
        )


def require_editable(values: Any, allowed: tuple[str, ...] | frozenset[str]) -> None:
    """Raise ``ValueError`` naming the fields of ``values`` a service does not let callers set
    (a programming error, not a user's: forms and the API only offer editable fields)."""
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")


def audited_update(
    *,
    actor: Actor,
    instance: models.Model,
    changes: dict[str, Any],
    allowed: tuple[str, ...] | frozenset[str],
) -> models.Model:
    """Set ``changes`` on ``instance``, validate, save and audit (only when something changed).

    The one implementation of "change a record" for every app's services; the caller checks
    permission first and runs it inside its own transaction. Unknown fields raise ``ValueError``.
    "Before" is read from the database, so ``instance`` may already carry edits (a bound form's
    instance): the entry still shows what was stored.
    """
    require_editable(changes, allowed)
    stored = type(instance)._default_manager.filter(pk=instance.pk).first()
    before = snapshot(stored if stored is not None else instance)
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    after = snapshot(instance)
    if after != before:
        audit_record(
            actor=actor, action=AuditAction.UPDATE, instance=instance, before=before, after=after
        )
    return instance


def audited_create(*, actor: Actor, instance: models.Model) -> models.Model:
    """Validate, save and audit a new record (the caller checks permission, inside its transaction)."""
    instance.full_clean()
    instance.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, instance=instance, after=snapshot(instance)
    )
    return instance


def cascade_of(instance: models.Model) -> list[dict[str, Any]]:
    """Every record that deleting ``instance`` deletes with it (Django's cascade), serialised:
    ``{"object_type", "object_id", "object_repr", "fields"}`` (at most :data:`MAX_DELETED_KEPT`)."""
    collector = NestedObjects(using=router.db_for_write(type(instance), instance=instance))
    collector.collect([instance])
    result: list[dict[str, Any]] = []
    for model, objects in collector.data.items():
        for obj in sorted(objects, key=lambda o: str(o.pk)):
            if (model is type(instance) and obj.pk == instance.pk) or len(
                result
            ) >= MAX_DELETED_KEPT:
                continue
            result.append(
                {
                    "object_type": obj._meta.label,
                    "object_id": str(obj.pk),
                    "object_repr": str(obj)[:300],
                    "fields": snapshot(obj),
                }
            )
    return result


def audited_delete(*, actor: Actor, instance: models.Model) -> None:
    """Audit a record's last state and that of every record its delete cascades to (kept under
    ``before["deleted"]``, so what was deleted can be seen and restored), then delete it
    (permission checked by the caller)."""
    before = snapshot(instance)
    deleted = cascade_of(instance)
    if deleted:
        before["deleted"] = deleted
    audit_record(actor=actor, action=AuditAction.DELETE, instance=instance, before=before)
    instance.delete()
