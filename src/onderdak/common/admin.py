"""Django admin that records every change in the audit trail, like the services do.

``common`` imports no app: the audit app registers how changes are recorded
(:func:`set_auditor`, called from ``AuditConfig.ready``); every app's admin derives from
:class:`AuditedModelAdmin`. Without a registered auditor the admin refuses to write rather than
write without a trace.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.forms import ModelForm
from django.http import HttpRequest


class Auditor(Protocol):
    """How the admin records its writes (implemented by ``onderdak.apps.audit.admin``)."""

    def saved(self, *, actor: Any, instance: models.Model, created: bool, before: Any) -> None:
        """Record a create (``before`` is ``None``) or a change after ``instance`` was saved."""

    def state(self, instance: models.Model) -> Any:
        """The stored state of ``instance`` before a change (read from the database)."""

    def delete(self, *, actor: Any, instance: models.Model) -> None:
        """Record and delete ``instance`` (with what its delete cascades to)."""


_auditor: Auditor | None = None


def set_auditor(auditor: Auditor) -> None:
    global _auditor  # noqa: PLW0603 - one registration at start-up
    _auditor = auditor


def auditor() -> Auditor:
    if _auditor is None:
        raise ImproperlyConfigured("the audit app is not installed: admin writes are refused")
    return _auditor


class AuditedModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def save_model(
        self, request: HttpRequest, obj: models.Model, form: ModelForm[Any], change: bool
    ) -> None:
        recorder = auditor()
        with transaction.atomic():
            before = recorder.state(obj) if change and obj.pk is not None else None
            super().save_model(request, obj, form, change)
            recorder.saved(actor=request.user, instance=obj, created=not change, before=before)

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        recorder = auditor()
        with transaction.atomic():
            recorder.delete(actor=request.user, instance=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        recorder = auditor()
        with transaction.atomic():
            for obj in queryset:
                recorder.delete(actor=request.user, instance=obj)
