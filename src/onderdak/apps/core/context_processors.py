"""Values every page needs: the navigation, the user's organisation, the version."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from onderdak import __version__
from onderdak.apps.accounts.selectors import is_administrator, primary_organisation

from .navigation import AREAS

#: Which navigation item is current for the pages of an app (core pages say it themselves).
APP_AREAS = {
    "geo": "reference",
    "audit": "audit",
    "programme": "planning",
    "quotas": "quotas",
    "region": "region",
    "sites": "sites",
    "housing": "housing",
    "care": "care",
    "communication": "communication",
}


def _active_area(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.app_name == "core":
        return str(match.kwargs.get("slug", "dashboard"))
    return APP_AREAS.get(match.app_name, "")


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return {
        "active_area": _active_area(request),
        "nav_areas": AREAS,
        "current_organisation": primary_organisation(user) if signed_in else None,
        "is_administrator": is_administrator(user) if signed_in else False,
        "onderdak_version": __version__,
    }
