"""Read-only API for reference data: municipalities, regions and population counts."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from onderdak.apps.geo import selectors
from onderdak.apps.geo.models import Municipality, PopulationCount, Region


class MunicipalityOutput(serializers.Serializer[Municipality]):
    code = serializers.CharField()
    name = serializers.CharField()
    province_code = serializers.CharField(source="province.code")
    province = serializers.CharField(source="province.name")
    population = serializers.IntegerField(
        allow_null=True, help_text="Population on the reference date."
    )


class MunicipalityDetailOutput(MunicipalityOutput):
    boundary = serializers.JSONField(allow_null=True, help_text="GeoJSON geometry, WGS84.")


class RegionMemberOutput(serializers.Serializer[Any]):
    code = serializers.CharField(source="municipality.code")
    name = serializers.CharField(source="municipality.name")
    inferred = serializers.BooleanField()


class RegionOutput(serializers.Serializer[Region]):
    code = serializers.CharField()
    name = serializers.CharField()
    region_type = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]  # the API field is called "source"
    members = RegionMemberOutput(source="memberships", many=True)


class PopulationOutput(serializers.Serializer[PopulationCount]):
    municipality = serializers.CharField(source="municipality.code")
    reference_date = serializers.DateField()
    population = serializers.IntegerField()
    source = serializers.CharField()  # type: ignore[assignment]  # the API field is called "source"


REFERENCE_DATE = OpenApiParameter(
    "reference_date",
    OpenApiTypes.DATE,
    description="Population reference date (default 2024-01-01).",
)


def _reference_date(request: Request) -> date:
    raw = request.query_params.get("reference_date")
    if raw is None:
        return selectors.LATEST_REFERENCE_DATE
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise serializers.ValidationError(
            {"reference_date": [_("Use a date as YYYY-MM-DD.")]}
        ) from None


class MunicipalityListApi(ListAPIView[Municipality]):
    serializer_class = MunicipalityOutput

    @extend_schema(parameters=[REFERENCE_DATE], summary="List municipalities")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return selectors.municipality_list(reference_date=_reference_date(self.request)).order_by(
            "code"
        )


class MunicipalityDetailApi(APIView):
    @extend_schema(
        parameters=[REFERENCE_DATE], responses=MunicipalityDetailOutput, summary="One municipality"
    )
    def get(self, request: Request, code: str) -> Response:
        queryset = selectors.municipality_list(reference_date=_reference_date(request)).defer(None)
        try:
            municipality = queryset.get(code=code)
        except Municipality.DoesNotExist:
            raise Http404 from None
        return Response(MunicipalityDetailOutput(municipality).data)


class RegionListApi(ListAPIView[Region]):
    serializer_class = RegionOutput

    @extend_schema(
        parameters=[
            OpenApiParameter("region_type", OpenApiTypes.STR, description="Filter on region type.")
        ],
        summary="List regions with their members",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        queryset = selectors.region_list().order_by("code")
        region_type = self.request.query_params.get("region_type")
        return queryset.filter(region_type=region_type) if region_type else queryset


class RegionDetailApi(APIView):
    @extend_schema(responses=RegionOutput, summary="One region")
    def get(self, request: Request, code: str) -> Response:
        try:
            region = selectors.region_get(code=code)
        except Region.DoesNotExist:
            raise Http404 from None
        return Response(RegionOutput(region).data)


class PopulationListApi(ListAPIView[PopulationCount]):
    serializer_class = PopulationOutput

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "municipality", OpenApiTypes.STR, description="CBS code, e.g. GM0384."
            ),
            OpenApiParameter("reference_date", OpenApiTypes.DATE, description="Reference date."),
        ],
        summary="Population counts per municipality and reference date",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        queryset = selectors.population_list().order_by("municipality__code", "reference_date")
        code = self.request.query_params.get("municipality")
        if code:
            queryset = queryset.filter(municipality__code=code)
        if "reference_date" in self.request.query_params:
            queryset = queryset.filter(reference_date=_reference_date(self.request))
        return queryset
