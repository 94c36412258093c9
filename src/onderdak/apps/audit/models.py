"""The audit trail: who changed what, when, with the state before and after."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from onderdak.common.models import user_reference

from .labels import (
    Change,
    DeletedObject,
    changes_of,
    deleted_objects,
    field_label,
    model_for,
    type_label,
)


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")


class AuditEntry(models.Model):
    """One change by a user. Entries are only ever added, never changed."""

    timestamp = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = user_reference(_("user"))
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    organisations = models.ManyToManyField(
        "accounts.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("also concerns"),
        help_text=_(
            "Further organisations whose administrators see the entry (agreement parties)."
        ),
    )
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    before: models.JSONField[Any] = models.JSONField(_("before"), null=True, blank=True)
    after: models.JSONField[Any] = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-timestamp", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    @property
    def type_label(self) -> str:
        """The kind of record in the user's words (the model's ``verbose_name``)."""
        return type_label(self.object_type)

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) as stored, for every field that differs (for code; people
        read :meth:`labelled_changes`)."""
        before = self.before or {}
        after = self.after or {}
        return [
            (name, before.get(name), after.get(name))
            for name in sorted(set(before) | set(after))
            if before.get(name) != after.get(name)
        ]

    def labelled_changes(self) -> list[Change]:
        """Every field that differs (all fields of a create or delete), labelled in Dutch."""
        return changes_of(self.object_type, self.before, self.after)

    def changed_fields(self) -> list[str]:
        """The labels of the fields that differ (no database reads: for lists)."""
        before = self.before or {}
        after = self.after or {}
        if not before or not after:
            return []
        model = model_for(self.object_type)
        return [
            field_label(model, name)
            for name in {**before, **after}
            if name not in {"id", "deleted"} and before.get(name) != after.get(name)
        ]

    def deleted_objects(self) -> list[DeletedObject]:
        """The records this delete took with it (cascade), labelled."""
        return deleted_objects(self.before)

    @property
    def deleted_count(self) -> int:
        deleted = (self.before or {}).get("deleted")
        return len(deleted) if isinstance(deleted, list) else 0


class AccessLog(models.Model):
    """A read of personal data (households, integration cases): who, when, what, and why."""

    timestamp = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = user_reference(_("user"))
    actor_name = models.CharField(_("user name"), max_length=150)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    action = models.CharField(_("action"), max_length=20)  # list, read, export, api
    object_type = models.CharField(_("object type"), max_length=100)
    object_ids = models.TextField(
        _("objects"), blank=True, help_text=_("Ids read, comma separated.")
    )
    purpose = models.CharField(_("purpose"), max_length=200)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-timestamp", "-pk"]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type} ({self.purpose})"
