"""Reference data pages: municipalities and regions, with search, sorting and export."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from onderdak.common.tables import (
    Column,
    export_response,
    requested_export,
    table_or_export,
    table_state,
)
from onderdak.data.reference import ATTRIBUTION

from . import selectors
from .models import Municipality, Region

MUNICIPALITY_COLUMNS = (
    Column("code", _("CBS code"), lambda m: m.code, "code"),
    Column("name", _("Municipality"), lambda m: m.name, "name"),
    Column("province", _("Province"), lambda m: m.province.name, "province__name"),
    Column("population", _("Population"), lambda m: m.population, "population", numeric=True),
)

REGION_COLUMNS = (
    Column("code", _("Code"), lambda r: r.code, "code"),
    Column("name", _("Region"), lambda r: r.name, "name"),
    Column("type", _("Region type"), lambda r: r.get_region_type_display(), "region_type"),
    Column("members", _("Municipalities"), lambda r: len(r.memberships.all()), None, numeric=True),
)


def _reference_date(request: HttpRequest) -> date:
    dates = selectors.reference_dates() or [selectors.LATEST_REFERENCE_DATE]
    try:
        chosen = date.fromisoformat(request.GET.get("peildatum", ""))
    except ValueError:
        return dates[-1]
    return chosen if chosen in dates else dates[-1]


@login_required
def municipality_list(request: HttpRequest) -> HttpResponse:
    reference_date = _reference_date(request)
    queryset = selectors.municipality_list(reference_date=reference_date)
    fmt = requested_export(request)
    if fmt:
        state = table_state(
            request,
            queryset,
            columns=MUNICIPALITY_COLUMNS,
            search_fields=("name", "code", "province__name"),
            default_sort="name",
            page_size=10_000,
        )
        return export_response(
            f"gemeenten-{reference_date:%Y}",
            MUNICIPALITY_COLUMNS,
            state.page.object_list,
            fmt,
            source=ATTRIBUTION,
        )
    state = table_state(
        request,
        queryset,
        columns=MUNICIPALITY_COLUMNS,
        search_fields=("name", "code", "province__name"),
        default_sort="name",
    )
    return render(
        request,
        "geo/municipality_list.html",
        {
            "table": state,
            "reference_date": reference_date,
            "reference_dates": selectors.reference_dates(),
            "attribution": ATTRIBUTION,
        },
    )


@login_required
def municipality_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        municipality = selectors.municipality_get(code=code)
    except Municipality.DoesNotExist:
        raise Http404 from None
    features: list[dict[str, Any]] = []
    if municipality.boundary:
        features.append(
            {
                "type": "Feature",
                "geometry": municipality.boundary,
                "properties": {"code": municipality.code, "name": municipality.name},
            }
        )
    return render(
        request,
        "geo/municipality_detail.html",
        {
            "municipality": municipality,
            "populations": municipality.population_counts.order_by("reference_date"),
            "memberships": municipality.region_memberships.select_related("region").order_by(
                "region__region_type", "region__name"
            ),
            "map": {
                "tileUrl": settings.MAP_TILE_URL,
                "attribution": settings.MAP_TILE_ATTRIBUTION,
                "features": features,
            },
            "attribution": ATTRIBUTION,
        },
    )


@login_required
def region_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.region_list()
    region_type = request.GET.get("type", "")
    if region_type:
        queryset = queryset.filter(region_type=region_type)
    state, export = table_or_export(
        request,
        queryset,
        columns=REGION_COLUMNS,
        search_fields=("name", "code"),
        default_sort="name",
        export_name="regios",
        source=ATTRIBUTION,
    )
    if export:
        return export
    return render(
        request,
        "geo/region_list.html",
        {
            "table": state,
            "region_type": region_type,
            "region_types": Region._meta.get_field("region_type").choices,
        },
    )


@login_required
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        region = selectors.region_get(code=code)
    except Region.DoesNotExist:
        raise Http404 from None
    memberships = sorted(region.memberships.all(), key=lambda m: m.municipality.name)
    features = [
        {
            "type": "Feature",
            "geometry": m.municipality.boundary,
            "properties": {"code": m.municipality.code, "name": m.municipality.name},
        }
        for m in memberships
        if m.municipality.boundary
    ]
    return render(
        request,
        "geo/region_detail.html",
        {
            "region": region,
            "memberships": memberships,
            "map": {
                "tileUrl": settings.MAP_TILE_URL,
                "attribution": settings.MAP_TILE_ATTRIBUTION,
                "features": features,
            },
            "attribution": ATTRIBUTION,
        },
    )
