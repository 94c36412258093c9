"""Reads of the audit trail: administrators see their organisations' entries, superusers all."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from onderdak.apps.accounts.selectors import administered_organisations

from .models import AccessLog, AuditEntry


def audit_list(*, user: Any) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("organisation")
    organisations = administered_organisations(user)
    if organisations is None:
        return entries
    return entries.filter(organisation_id__in=organisations)


def audit_for_object(*, user: Any, object_type: str, object_id: str) -> QuerySet[AuditEntry]:
    return audit_list(user=user).filter(object_type=object_type, object_id=object_id)


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
