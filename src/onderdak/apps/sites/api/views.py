"""API for sites, criteria, weight sets and rankings (same access rules as the pages)."""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from onderdak.apps.accounts.selectors import primary_organisation
from onderdak.apps.sites import selectors
from onderdak.apps.sites.models import Criterion, Site, WeightSet


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
        criteria = selectors.criteria_of(organisation=organisation)
        return Response(CriterionOutput(cast(Any, criteria), many=True).data)


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
            OpenApiParameter(
                "organisation",
                OpenApiTypes.INT,
                description="Organisation id (default: the user's own; a regional "
                "coordinator: a member municipality that shares sites).",
            ),
        ],
        responses=RankingOutput,
    )
    def get(self, request: Request) -> Response:
        try:
            organisation = selectors.ranked_organisation(
                user=request.user, asked=request.query_params.get("organisation", "")
            )
        except LookupError:
            raise Http404 from None
        if organisation is None:
            raise Http404
        method = request.query_params.get("method", "topsis")
        normalization = request.query_params.get("normalization", "vector")
        if method not in selectors.METHODS:
            raise serializers.ValidationError({"method": [_("Use wsm, topsis or promethee2.")]})
        if normalization not in selectors.NORMALIZATIONS:
            raise serializers.ValidationError({"normalization": [_("Use vector or minmax.")]})
        analysis = selectors.ranking(
            user=request.user,
            organisation=organisation,
            query=selectors.RankingQuery(
                weight_set=request.query_params.get("weight_set") or None,
                method=method,
                normalization=normalization,
                uncertainty=False,
                comparison=False,
            ),
            today=timezone.localdate(),
        )
        if analysis.weight_set_missing:
            raise Http404
        if analysis.error:
            raise serializers.ValidationError({analysis.error_field or "ranking": [analysis.error]})
        matrix = analysis.matrix
        return Response(
            RankingOutput(
                {
                    "method": analysis.method,
                    "normalization": analysis.normalization,
                    "weight_set": analysis.weight_set.pk if analysis.weight_set else None,
                    "ranking": analysis.ranked,
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
