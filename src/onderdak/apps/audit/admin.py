"""The audit trail in Django's admin (read-only), and how the admin of every app records its
changes in the audit trail (:class:`AdminAuditor`, for ``common.admin.AuditedModelAdmin``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from .models import AuditAction, AuditEntry
from .services import audit_record, audited_delete, snapshot


class AdminAuditor:
    """What ``common.admin.AuditedModelAdmin`` calls (registered in ``AuditConfig.ready``)."""

    def state(self, instance: models.Model) -> Any:
        stored = type(instance)._default_manager.filter(pk=instance.pk).first()
        return snapshot(stored) if stored is not None else None

    def saved(self, *, actor: Any, instance: models.Model, created: bool, before: Any) -> None:
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            instance=instance,
            before=before,
            after=snapshot(instance),
        )

    def delete(self, *, actor: Any, instance: models.Model) -> None:
        audited_delete(actor=actor, instance=instance)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Read-only: the audit trail is never edited."""

    list_display = ["timestamp", "actor_name", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_repr"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
