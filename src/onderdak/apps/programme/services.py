"""Writes for the decision log; every change is validated, audited and atomic."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from onderdak.apps.accounts.models import Organisation
from onderdak.apps.accounts.selectors import can_change, writable_organisations
from onderdak.apps.audit.services import (
    audited_create,
    audited_delete,
    audited_update,
)

from .models import Decision

EDITABLE_FIELDS = ("decided_on", "body", "track", "title", "summary", "reference", "shared")


@transaction.atomic
def decision_create(
    *,
    actor: Any,
    organisation: Organisation,
    decided_on: date,
    body: str,
    title: str,
    track: str = "overall",
    summary: str = "",
    reference: str = "",
    shared: bool = False,
) -> Decision:
    if not writable_organisations(actor).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    decision = Decision(
        organisation=organisation,
        decided_on=decided_on,
        body=body,
        title=title,
        track=track,
        summary=summary,
        reference=reference,
        shared=shared,
    )
    audited_create(actor=actor, instance=decision)
    return decision


@transaction.atomic
def decision_update(*, actor: Any, decision: Decision, **changes: Any) -> Decision:
    if not can_change(actor, decision):
        raise PermissionDenied
    audited_update(actor=actor, instance=decision, changes=changes, allowed=EDITABLE_FIELDS)
    return decision


@transaction.atomic
def decision_delete(*, actor: Any, decision: Decision) -> None:
    if not can_change(actor, decision):
        raise PermissionDenied
    audited_delete(actor=actor, instance=decision)
