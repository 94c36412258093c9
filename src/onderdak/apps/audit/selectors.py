"""Reads of the audit trail: administrators see their organisations' entries, superusers all."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

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
