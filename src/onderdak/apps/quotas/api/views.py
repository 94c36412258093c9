"""API for quota rounds, the figures per municipality, realisations and balances."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from onderdak.apps.accounts.selectors import (
    can_change,
    organisation_exists,
    writable_organisations,
)
from onderdak.apps.quotas import selectors, services
from onderdak.apps.quotas.models import MunicipalQuota, QuotaRound, Realisation, Unit
from onderdak.common.api import RuleViolation, model_validation_as_400, validated
from onderdak.common.vocabulary import TargetGroup


class QuotaRoundOutput(serializers.Serializer[QuotaRound]):
    id = serializers.IntegerField()
    target_group = serializers.ChoiceField(choices=TargetGroup.choices)
    name = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    unit = serializers.ChoiceField(choices=Unit.choices)
    national_total_initial = serializers.IntegerField(allow_null=True)
    national_total_final = serializers.IntegerField(allow_null=True)
    method = serializers.CharField()
    level = serializers.CharField()
    population_date = serializers.DateField(allow_null=True)
    source_title = serializers.CharField()
    source_date = serializers.DateField(allow_null=True)
    source_url = serializers.CharField()
    computed_at = serializers.DateTimeField(allow_null=True)


class MunicipalQuotaOutput(serializers.Serializer[MunicipalQuota]):
    municipality = serializers.CharField(source="municipality.code")
    name = serializers.CharField(source="municipality.name")
    province = serializers.CharField(source="municipality.province.name")
    weight = serializers.FloatField(allow_null=True)
    exact = serializers.FloatField(allow_null=True)
    computed = serializers.IntegerField(allow_null=True, help_text="Computed by Onderdak.")
    official = serializers.IntegerField(allow_null=True)
    difference = serializers.IntegerField(allow_null=True, help_text="Official minus computed.")
    effective = serializers.IntegerField(allow_null=True, help_text="The figure that counts.")
    opening_carry = serializers.IntegerField(allow_null=True)


class RealisationOutput(serializers.Serializer[Realisation]):
    id = serializers.IntegerField()
    organisation = serializers.CharField(source="organisation.name")
    target_group = serializers.ChoiceField(choices=TargetGroup.choices)
    date = serializers.DateField()
    amount = serializers.IntegerField()
    unit = serializers.ChoiceField(choices=Unit.choices)
    reference = serializers.CharField()
    placement = serializers.SerializerMethodField(
        help_text="The placement the realisation was recorded for (housing), if any."
    )
    note = serializers.CharField()
    shared = serializers.BooleanField()

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_placement(self, realisation: Realisation) -> int | None:
        return selectors.placement_of(realisation)


class RealisationInput(serializers.Serializer[Any]):
    organisation = serializers.IntegerField()
    target_group = serializers.ChoiceField(choices=TargetGroup.choices)
    date = serializers.DateField()
    amount = serializers.IntegerField(min_value=1)
    unit = serializers.ChoiceField(choices=Unit.choices, default=Unit.PERSONS)
    reference = serializers.CharField(allow_blank=True, default="", max_length=200)
    note = serializers.CharField(allow_blank=True, default="", max_length=500)
    shared = serializers.BooleanField(default=False)


class RealisationUpdateInput(serializers.Serializer[Any]):
    target_group = serializers.ChoiceField(choices=TargetGroup.choices, required=False)
    date = serializers.DateField(required=False)
    amount = serializers.IntegerField(min_value=1, required=False)
    unit = serializers.ChoiceField(choices=Unit.choices, required=False)
    reference = serializers.CharField(allow_blank=True, max_length=200, required=False)
    note = serializers.CharField(allow_blank=True, max_length=500, required=False)
    shared = serializers.BooleanField(required=False)


class PaceOutput(serializers.Serializer[Any]):
    on = serializers.DateField()
    expected = serializers.FloatField()
    realised = serializers.IntegerField()
    light = serializers.ChoiceField(choices=["green", "amber", "red"])


class BalanceOutput(serializers.Serializer[Any]):
    target_group = serializers.CharField()
    round = serializers.IntegerField(source="round.pk")
    period_start = serializers.DateField(source="round.period_start")
    period_end = serializers.DateField(source="round.period_end")
    obligation = serializers.IntegerField(allow_null=True)
    carry_in = serializers.IntegerField()
    corrected = serializers.IntegerField(allow_null=True)
    realised = serializers.IntegerField()
    remaining = serializers.IntegerField(allow_null=True)
    pace = PaceOutput(allow_null=True)
    behind_streak = serializers.IntegerField()
    period = serializers.ChoiceField(
        choices=["current", "ended", "upcoming"],
        help_text="The round's period against today (ended: no later round is known yet).",
    )


class QuotaRoundListApi(ListAPIView[QuotaRound]):
    serializer_class = QuotaRoundOutput

    def get_queryset(self) -> Any:
        queryset = selectors.round_list().order_by("period_start", "pk")
        group = self.request.query_params.get("target_group")
        return queryset.filter(target_group=group) if group else queryset

    @extend_schema(
        summary="Quota rounds",
        parameters=[
            OpenApiParameter(
                "target_group", OpenApiTypes.STR, description="Filter on target group."
            )
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class QuotaRoundDetailApi(APIView):
    @extend_schema(responses=QuotaRoundOutput, summary="One quota round")
    def get(self, request: Request, pk: int) -> Response:
        try:
            return Response(QuotaRoundOutput(selectors.round_get(pk=pk)).data)
        except QuotaRound.DoesNotExist:
            raise Http404 from None


class MunicipalQuotaListApi(ListAPIView[MunicipalQuota]):
    serializer_class = MunicipalQuotaOutput

    def get_queryset(self) -> Any:
        try:
            round = selectors.round_get(pk=self.kwargs["pk"])
        except QuotaRound.DoesNotExist:
            raise Http404 from None
        queryset = selectors.round_quotas(round=round).order_by("municipality__code")
        province = self.request.query_params.get("province")
        if province:
            queryset = queryset.filter(municipality__province__code=province)
        return queryset

    @extend_schema(
        summary="The figure per municipality in a round",
        parameters=[
            OpenApiParameter("province", OpenApiTypes.STR, description="Province code, e.g. PV27.")
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class RealisationListApi(ListAPIView[Realisation]):
    serializer_class = RealisationOutput

    def get_queryset(self) -> Any:
        return selectors.realisation_list(user=self.request.user).order_by("-date", "pk")

    @extend_schema(summary="Realisations the user may see")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=RealisationInput, responses={201: RealisationOutput}, summary="Record a realisation"
    )
    def post(self, request: Request) -> Response:
        values = validated(RealisationInput, request.data)
        organisation_id = values.pop("organisation")
        organisation = (
            writable_organisations(request.user)
            .exclude(municipality=None)
            .filter(pk=organisation_id)
            .first()
        )
        if organisation is None:
            exists = organisation_exists(organisation_id)
            raise RuleViolation(
                {
                    "organisation": [
                        _("You may not record realisations for this organisation.")
                        if exists
                        else _("Unknown organisation.")
                    ]
                }
            )
        with model_validation_as_400():
            realisation = services.realisation_create(
                actor=request.user, organisation=organisation, **values
            )
        return Response(RealisationOutput(realisation).data, status=status.HTTP_201_CREATED)


class RealisationDetailApi(APIView):
    def _get(self, request: Request, pk: int) -> Realisation:
        try:
            return selectors.realisation_get(user=request.user, pk=pk)
        except Realisation.DoesNotExist:
            raise Http404 from None

    @extend_schema(responses=RealisationOutput, summary="One realisation")
    def get(self, request: Request, pk: int) -> Response:
        return Response(RealisationOutput(self._get(request, pk)).data)

    @extend_schema(
        request=RealisationUpdateInput, responses=RealisationOutput, summary="Change a realisation"
    )
    def patch(self, request: Request, pk: int) -> Response:
        realisation = self._get(request, pk)
        if not can_change(request.user, realisation):
            self.permission_denied(request, message=_("You may not change this realisation."))
        data = validated(RealisationUpdateInput, request.data, partial=True)
        with model_validation_as_400():
            services.realisation_update(actor=request.user, realisation=realisation, **data)
        return Response(RealisationOutput(realisation).data)

    @extend_schema(responses={204: None}, summary="Delete a realisation")
    def delete(self, request: Request, pk: int) -> Response:
        realisation = self._get(request, pk)
        if not can_change(request.user, realisation):
            self.permission_denied(request, message=_("You may not delete this realisation."))
        services.realisation_delete(actor=request.user, realisation=realisation)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BalanceApi(APIView):
    @extend_schema(
        summary="Balance and pace per target group for a municipality",
        parameters=[
            OpenApiParameter(
                "municipality", OpenApiTypes.STR, required=True, description="CBS code."
            )
        ],
        responses=BalanceOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        code = request.query_params.get("municipality", "")
        visible = selectors.visible_balance_municipalities(user=request.user)
        try:
            municipality = visible.get(code=code)
        except ObjectDoesNotExist:
            raise Http404 from None
        return Response(
            BalanceOutput(selectors.balances(municipality=municipality), many=True).data
        )
