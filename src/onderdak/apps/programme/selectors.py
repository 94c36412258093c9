"""Reads of the decision log, limited to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from onderdak.apps.accounts.selectors import scope

from .models import Decision


def decision_list(*, user: Any) -> QuerySet[Decision]:
    return scope(Decision.objects.select_related("organisation"), user)


def decision_get(*, user: Any, pk: int) -> Decision:
    """Raises ``Decision.DoesNotExist`` for records the user may not see (no existence leak)."""
    return decision_list(user=user).get(pk=pk)
