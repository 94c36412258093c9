"""Recording changes. Every service that writes a user's change calls :func:`audit_record`."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.forms.models import model_to_dict

from .models import AccessLog, AuditAction, AuditEntry


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The stored field values of ``instance`` as JSON-safe data (for before/after)."""
    data = model_to_dict(instance)
    data["id"] = instance.pk
    result: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder, default=str))
    return result


def audit_record(
    *,
    actor: Any,
    action: AuditAction | str,
    instance: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an entry. Call it inside the writing service's transaction, so both land or neither."""
    organisation_id = getattr(instance, "organisation_id", None)
    if organisation_id is None and instance._meta.label == "accounts.Organisation":
        organisation_id = instance.pk
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
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


def access_record(
    *,
    actor: Any,
    action: str,
    object_type: str,
    ids: list[Any],
    purpose: str,
    organisation_id: int | None = None,
) -> AccessLog:
    """Log a read of personal data with its purpose (privacy by design: every read, also lists)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AccessLog.objects.create(
        actor=user,
        actor_name=user.get_username() if user is not None else "systeem",
        organisation_id=organisation_id,
        action=action,
        object_type=object_type,
        object_ids=",".join(str(i) for i in ids)[:20000],
        purpose=purpose,
    )


def access_record_for(*, actor: Any, action: str, records: list[Any], purpose: str) -> None:
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
    actor: Any,
    instance: models.Model,
    changes: dict[str, Any],
    allowed: tuple[str, ...] | frozenset[str],
) -> models.Model:
    """Set ``changes`` on ``instance``, validate, save and audit (only when something changed).

    The one implementation of "change a record" for every app's services; the caller checks
    permission first and runs it inside its own transaction. Unknown fields raise ``ValueError``.
    """
    require_editable(changes, allowed)
    before = snapshot(instance)
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


def audited_create(*, actor: Any, instance: models.Model) -> models.Model:
    """Validate, save and audit a new record (the caller checks permission, inside its transaction)."""
    instance.full_clean()
    instance.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, instance=instance, after=snapshot(instance)
    )
    return instance


def audited_delete(*, actor: Any, instance: models.Model) -> None:
    """Audit a record's last state, then delete it (permission checked by the caller)."""
    audit_record(
        actor=actor, action=AuditAction.DELETE, instance=instance, before=snapshot(instance)
    )
    instance.delete()
