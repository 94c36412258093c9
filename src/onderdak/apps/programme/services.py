"""Writes for the decision log; every change is validated, audited and atomic."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction

from onderdak.apps.accounts.selectors import (
    require_change,
    require_create_in,
)
from onderdak.apps.audit.services import (
    audited_create,
    audited_delete,
    audited_update,
)

from .models import Decision

if TYPE_CHECKING:
    from onderdak.apps.accounts.models import Organisation

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
    require_create_in(actor, organisation)
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
    require_change(actor, decision)
    audited_update(actor=actor, instance=decision, changes=changes, allowed=EDITABLE_FIELDS)
    return decision


@transaction.atomic
def decision_delete(*, actor: Any, decision: Decision) -> None:
    require_change(actor, decision)
    audited_delete(actor=actor, instance=decision)
