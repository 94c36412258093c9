"""The shell: dashboard, the programme's areas, health check and error pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from onderdak.apps.accounts.selectors import primary_organisation
from onderdak.apps.geo import selectors as geo_selectors

from .navigation import AREAS_BY_SLUG


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    organisation = primary_organisation(request.user)
    context: dict[str, Any] = {"organisation": organisation, "area": AREAS_BY_SLUG["dashboard"]}
    municipality = organisation.municipality if organisation else None
    if organisation is not None and municipality is None and organisation.region is not None:
        region = geo_selectors.region_get(code=organisation.region.code)
        context["region"] = region
        members = [m.municipality for m in region.memberships.all()]
        context["map_features"] = _features(members)
    elif municipality is not None:
        context["municipality"] = municipality
        context["populations"] = municipality.population_counts.order_by("reference_date")
        context["regions"] = municipality.regions.order_by("region_type", "name")
        context["map_features"] = _features([municipality])
    context["map"] = {
        "tileUrl": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "features": context.get("map_features", []),
    }
    return render(request, "core/dashboard.html", context)


def _features(municipalities: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "type": "Feature",
            "geometry": m.boundary,
            "properties": {"code": m.code, "name": m.name},
        }
        for m in municipalities
        if m.boundary
    ]


@login_required
def area(request: HttpRequest, slug: str) -> HttpResponse:
    area = AREAS_BY_SLUG.get(slug)
    if area is None:
        raise Http404
    if area.built:
        return redirect(area.url)
    return render(request, "core/area.html", {"area": area})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database reachability and unapplied migrations; 503 when either is wrong."""
    result: dict[str, Any] = {"status": "ok", "database": "ok", "unappliedMigrations": []}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        result["unappliedMigrations"] = [f"{m.app_label}.{m.name}" for m, _backwards in plan]
    except DatabaseError as error:
        result.update(status="error", database=f"unreachable: {error.__class__.__name__}")
        return JsonResponse(result, status=503)
    if result["unappliedMigrations"]:
        result["status"] = "error"
        return JsonResponse(result, status=503)
    return JsonResponse(result)


def _problem(request: HttpRequest, status: int, title: str) -> JsonResponse:
    return JsonResponse(
        {
            "type": f"https://httpstatuses.io/{status}",
            "title": title,
            "status": status,
            "detail": title,
            "instance": request.get_full_path(),
        },
        status=status,
        content_type="application/problem+json",
    )


def _error(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return _problem(request, status, title)
    return render(
        request, "core/error.html", {"status": status, "title": title, "text": text}, status=status
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        # a form with very long texts (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB): say what to do
        return _error(
            request,
            400,
            _("Too much data"),
            _(
                "The form contains more text than Onderdak accepts at once. Shorten the longest texts and send the form again."
            ),
        )
    return _error(request, 400, _("Bad request"), _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        403,
        _("No access"),
        _(
            "You do not have access to this page or record. Ask an administrator of your organisation if you need it."
        ),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        _("Page not found"),
        _("This page does not exist, or you do not have access to it."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        _("Something went wrong"),
        _("An unexpected error occurred. It has been logged; nothing has been saved half-way."),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        _("Session expired"),
        _("Your session or form has expired. Go back, reload the page and try again."),
    )
