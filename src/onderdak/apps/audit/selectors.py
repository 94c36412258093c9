"""Reads of the audit trail: administrators see their organisations' entries, superusers all.

An entry belongs to the organisation of the record it is about (see ``audit.services``) and to
any further organisations it concerns (``AuditEntry.organisations``, e.g. every party of a
regional agreement); the administrators of each of them see it.

Apps show the history of a record through :func:`history_of` / :func:`history`: entries in the
user's words (:class:`HistoryEntry`, labels from ``audit.labels``), never raw codes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from onderdak.apps.accounts.selectors import administered_organisations

from .labels import Change, DeletedObject, RelatedNames, changes_of, labelled
from .models import AccessLog, AuditAction, AuditEntry


def audit_list(*, user: Any) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("organisation")
    organisations = administered_organisations(user)
    if organisations is None:
        return entries
    concerned = AuditEntry.organisations.through.objects.filter(
        organisation_id__in=organisations
    ).values("auditentry_id")
    return entries.filter(Q(organisation_id__in=organisations) | Q(pk__in=concerned))


@dataclass(frozen=True)
class HistoryEntry:
    """One audit entry as a person reads it. ``before``/``after`` are labelled snapshots (field
    label -> value label), so templates that show them show Dutch; ``changes`` the fields that
    differ; ``deleted`` what a delete took with it."""

    pk: int
    timestamp: datetime
    actor_name: str
    action: str
    action_label: str
    object_type: str
    type_label: str
    object_id: str
    object_repr: str
    organisation_name: str
    changes: list[Change]
    before: dict[str, str] | None
    after: dict[str, str] | None
    deleted: list[DeletedObject]

    def get_action_display(self) -> str:
        """Like the model's, so templates written for ``AuditEntry`` keep working."""
        return self.action_label


def describe(entry: AuditEntry, *, related: RelatedNames | None = None) -> HistoryEntry:
    """One stored entry in the user's words."""
    related = related or RelatedNames()
    return HistoryEntry(
        pk=entry.pk,
        timestamp=entry.timestamp,
        actor_name=entry.actor_name,
        action=entry.action,
        action_label=str(dict(AuditAction.choices).get(entry.action, entry.action)),
        object_type=entry.object_type,
        type_label=entry.type_label,
        object_id=entry.object_id,
        object_repr=entry.object_repr,
        organisation_name=entry.organisation.name if entry.organisation is not None else "",
        changes=changes_of(entry.object_type, entry.before, entry.after, related=related),
        before=labelled(entry.object_type, entry.before),
        after=labelled(entry.object_type, entry.after),
        deleted=entry.deleted_objects(),
    )


def _described(entries: QuerySet[AuditEntry], limit: int | None) -> list[HistoryEntry]:
    entries = entries.select_related("organisation").order_by("-timestamp", "-pk")
    if limit is not None:
        entries = entries[:limit]
    related = RelatedNames()
    return [describe(entry, related=related) for entry in entries]


def audit_for_object(
    *, user: Any, object_type: str, object_id: str, limit: int | None = None
) -> list[HistoryEntry]:
    """The entries about one record that ``user`` administers, newest first, labelled."""
    return _described(
        audit_list(user=user).filter(object_type=object_type, object_id=object_id), limit
    )


def history(
    *,
    objects: Iterable[tuple[str, Any]] = (),
    referring: Iterable[tuple[str, str, Any]] = (),
    limit: int | None = None,
) -> list[HistoryEntry]:
    """The change history of records, newest first, in the user's words.

    ``objects``: ``(object_type, pk)`` pairs, e.g. ``("care.Service", 12)``. ``referring``:
    ``(object_type, field, pk)``: entries of that type whose state before or after had
    ``field == pk`` (records deleted since included), e.g. ``("care.Ownership", "service", 12)``.
    No access check: for records without personal data whose reading the caller has checked.
    """
    condition = Q(pk__in=[])
    for object_type, pk in objects:
        condition |= Q(object_type=object_type, object_id=str(pk))
    for object_type, name, pk in referring:
        condition |= Q(object_type=object_type) & (
            Q(**{f"before__{name}": pk}) | Q(**{f"after__{name}": pk})
        )
    return _described(AuditEntry.objects.filter(condition), limit)


def history_of(*, instance: models.Model, limit: int | None = None) -> list[HistoryEntry]:
    """The change history of one record (see :func:`history`)."""
    return history(objects=[(instance._meta.label, instance.pk)], limit=limit)


def access_list(*, user: Any) -> QuerySet[AccessLog]:
    """Personal-data reads, for the administrators of the organisation (all for superusers)."""
    entries = AccessLog.objects.select_related("organisation")
    organisations = administered_organisations(user)
    if organisations is None:
        return entries
    return entries.filter(organisation_id__in=organisations)


def record_history(
    *,
    object_type: str,
    object_id: str,
    related_type: str | None = None,
    related_field: str | None = None,
) -> QuerySet[AuditEntry]:
    """The change history of one record, newest first, with (``related_type``) the entries of
    the records whose ``related_field`` named it before or after the change, also of records
    deleted since. No access check: for records without personal data, shown to every reader
    of the record (the caller has checked read access)."""
    condition = Q(object_type=object_type, object_id=object_id)
    if related_type is not None and related_field is not None:
        key = int(object_id) if object_id.isdigit() else object_id
        condition |= Q(object_type=related_type) & (
            Q(**{f"before__{related_field}": key}) | Q(**{f"after__{related_field}": key})
        )
    return AuditEntry.objects.filter(condition).order_by("-timestamp", "-pk")
