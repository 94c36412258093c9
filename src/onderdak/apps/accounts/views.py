"""What a locked-out sign-in sees (django-axes calls :func:`locked_out`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from axes.helpers import get_cool_off


def _minutes(request: HttpRequest) -> int:
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    return max(1, -(-seconds // 60))


def lockout_message(minutes: int) -> str:
    return ngettext(
        "Too many failed sign-in attempts. This account or address is locked for %(minutes)d "
        "minute. Try again later, or ask an administrator of your organisation for help.",
        "Too many failed sign-in attempts. This account or address is locked for %(minutes)d "
        "minutes. Try again later, or ask an administrator of your organisation for help.",
        minutes,
    ) % {"minutes": minutes}


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """429 with a Dutch explanation: problem+json for the API, the error page otherwise."""
    minutes = _minutes(request)
    title = _("Sign-in locked")
    text = lockout_message(minutes)
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "type": "https://httpstatuses.io/429",
                "title": title,
                "status": 429,
                "detail": text,
                "instance": request.get_full_path(),
            },
            status=429,
            content_type="application/problem+json",
        )
        response["API-Version"] = str(settings.REST_FRAMEWORK.get("DEFAULT_VERSION", "1.0.0"))
    else:
        response = render(
            request, "core/error.html", {"status": 429, "title": title, "text": text}, status=429
        )
    response["Retry-After"] = str(minutes * 60)
    return response
