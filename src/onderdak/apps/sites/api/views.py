"""API for sites, criteria, weight sets and rankings (same access rules as the pages)."""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from onderdak.apps.accounts.selectors import primary_organisation
from onderdak.apps.sites import adapters, selectors, services
from onderdak.apps.sites.models import Criterion, Site, WeightSet
from onderdak.engines.siting import SitingInputError


class SiteOutput(serializers.Serializer[Site]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    stage = serializers.CharField()
    geometry = serializers.JSONField(help_text="GeoJSON geometry, WGS84.")
    owner = serializers.CharField()
    plot_area_m2 = serializers.IntegerField(allow_null=True)
    capacity_places = serializers.IntegerField(allow_null=True)
    available_from = serializers.DateField(allow_null=True)
    available_until = serializers.DateField(allow_null=True)
    neighbourhood = serializers.CharField()
    target_groups = serializers.ListField(child=serializers.CharField())


class CriterionOutput(serializers.Serializer[Criterion]):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # the API field is called "label"
    kind = serializers.CharField()
    direction = serializers.CharField()
    threshold = serializers.FloatField(allow_null=True)
    active = serializers.BooleanField()


class WeightOutput(serializers.Serializer[Any]):
    criterion = serializers.CharField(source="criterion.key")
    weight = serializers.FloatField()
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)


class WeightSetOutput(serializers.Serializer[WeightSet]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    weights = WeightOutput(many=True)


class RankedOutput(serializers.Serializer[Any]):
    site = serializers.IntegerField(source="site.pk")
    name = serializers.CharField(source="site.name")
    rank = serializers.IntegerField()
    score = serializers.FloatField()


class ExcludedOutput(serializers.Serializer[Any]):
    site = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())


class RankingOutput(serializers.Serializer[Any]):
    method = serializers.CharField()
    normalization = serializers.CharField()
    weight_set = serializers.IntegerField(allow_null=True)
    ranking = RankedOutput(many=True)
    excluded = ExcludedOutput(many=True)
    incomplete = ExcludedOutput(many=True)


class SiteListApi(ListAPIView[Site]):
    serializer_class = SiteOutput

    def get_queryset(self) -> Any:
        queryset = selectors.site_list(user=self.request.user).order_by("name", "pk")
        stage = self.request.query_params.get("stage")
        return queryset.filter(stage=stage) if stage else queryset

    @extend_schema(
        summary="Sites the user may see",
        parameters=[OpenApiParameter("stage", OpenApiTypes.STR, description="Filter on stage.")],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class SiteDetailApi(APIView):
    @extend_schema(responses=SiteOutput, summary="One site")
    def get(self, request: Request, pk: int) -> Response:
        try:
            return Response(SiteOutput(selectors.site_get(user=request.user, pk=pk)).data)
        except Site.DoesNotExist:
            raise Http404 from None


class CriterionListApi(APIView):
    @extend_schema(
        responses=CriterionOutput(many=True), summary="The criteria of the user's organisation"
    )
    def get(self, request: Request) -> Response:
        organisation = primary_organisation(request.user)
        if organisation is None:
            return Response([])
        return Response(
            CriterionOutput(
                cast(Any, services.criteria_ensure(organisation=organisation)), many=True
            ).data
        )


class WeightSetListApi(APIView):
    @extend_schema(
        responses=WeightSetOutput(many=True), summary="The weight sets of the user's organisation"
    )
    def get(self, request: Request) -> Response:
        organisation = primary_organisation(request.user)
        if organisation is None:
            return Response([])
        sets = selectors.weight_sets(user=request.user, organisation=organisation)
        return Response(WeightSetOutput(cast(Any, sets), many=True).data)


class RankingApi(APIView):
    @extend_schema(
        summary="Rank the organisation's sites",
        parameters=[
            OpenApiParameter(
                "weight_set", OpenApiTypes.INT, description="Weight set id (default: the first)."
            ),
            OpenApiParameter(
                "method",
                OpenApiTypes.STR,
                enum=["wsm", "topsis", "promethee2"],
                description="wsm, topsis (default) or promethee2.",
            ),
            OpenApiParameter(
                "normalization",
                OpenApiTypes.STR,
                enum=["vector", "minmax"],
                description="vector (default) or minmax.",
            ),
        ],
        responses=RankingOutput,
    )
    def get(self, request: Request) -> Response:
        organisation = primary_organisation(request.user)
        if organisation is None:
            raise Http404
        method = request.query_params.get("method", "topsis")
        normalization = request.query_params.get("normalization", "vector")
        if method not in {"wsm", "topsis", "promethee2"}:
            raise serializers.ValidationError({"method": ["Use wsm, topsis or promethee2."]})
        if normalization not in {"vector", "minmax"}:
            raise serializers.ValidationError({"normalization": ["Use vector or minmax."]})
        sets = list(selectors.weight_sets(user=request.user, organisation=organisation))
        chosen = request.query_params.get("weight_set")
        weight_set = (
            next((s for s in sets if str(s.pk) == chosen), None)
            if chosen is not None
            else (sets[0] if sets else None)
        )
        if chosen is not None and weight_set is None:
            raise Http404
        criteria = services.criteria_ensure(organisation=organisation)
        sites = list(selectors.site_list(user=request.user).filter(organisation=organisation))
        matrix = adapters.build_matrix(
            organisation=organisation, sites=sites, criteria=criteria, today=timezone.localdate()
        )
        try:
            ranked = adapters.rank(
                matrix, adapters.weights_of(weight_set), method=method, normalization=normalization
            )
        except SitingInputError as error:
            raise serializers.ValidationError({error.field or "ranking": [str(error)]}) from None
        return Response(
            RankingOutput(
                {
                    "method": method,
                    "normalization": normalization,
                    "weight_set": weight_set.pk if weight_set else None,
                    "ranking": ranked,
                    "excluded": [
                        {"site": pk, "reasons": reasons}
                        for pk, reasons in matrix.exclusions.items()
                    ],
                    "incomplete": [
                        {"site": pk, "reasons": missing}
                        for pk, missing in matrix.incomplete.items()
                    ],
                }
            ).data
        )
