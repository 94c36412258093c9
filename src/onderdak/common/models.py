"""Model fields shared by the apps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

if TYPE_CHECKING:  # the stubs' type of a lazy translation
    from django.utils.functional import _StrPromise


def user_reference(verbose_name: str | _StrPromise) -> models.ForeignKey[Any, Any]:
    """Who did something (recorded a change, created a proposal): optional, kept when the user
    account is removed (then empty), no reverse accessor on the user."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )
