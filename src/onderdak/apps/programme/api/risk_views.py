"""API of schedule risk runs and directive readiness checks: list, run (stored with its
inputs), read and delete; the same access rules and services as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from onderdak.apps.accounts.selectors import MAX_ID
from onderdak.apps.programme import selectors, services
from onderdak.apps.programme.models import ReadinessCheck, RiskRun
from onderdak.common.api import model_validation_as_400, validated
from onderdak.common.vocabulary import TargetGroup

from .plan_views import ProgrammeFilter, filtered, one, refuse_change, writable_programme


def _runs_field() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=100, max_value=100000, default=10000)


def _seed_field() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, max_value=2**31 - 1, default=1)


class RiskRunOutput(serializers.Serializer[RiskRun]):
    id = serializers.IntegerField()
    programme = serializers.IntegerField(source="programme_id")
    created_at = serializers.DateTimeField()
    runs = serializers.IntegerField()
    seed = serializers.IntegerField()
    distribution = serializers.ChoiceField(choices=[("triangular", "triangular"), ("pert", "pert")])
    target_date = serializers.DateField(allow_null=True)
    result = serializers.JSONField(
        help_text="finish (p50, p80, p90, target, planned as dates; probability), histogram "
        "([date, runs]), milestones (per milestone the same with code, name, track), "
        "criticality ([{code, name, index}], highest first)."
    )
    inputs = serializers.JSONField(help_text="The plan as simulated (day offsets).")


class RiskRunInput(serializers.Serializer[Any]):
    programme = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    runs = _runs_field()
    seed = _seed_field()
    distribution = serializers.ChoiceField(
        choices=[("triangular", "triangular"), ("pert", "pert")], default="triangular"
    )
    target_date = serializers.DateField(
        required=False, allow_null=True, help_text="Default: the programme's target date."
    )


def _runs(request: Request) -> QuerySet[RiskRun]:
    return selectors.risk_run_list(user=request.user)


class RiskRunListApi(ListAPIView[RiskRun]):
    serializer_class = RiskRunOutput

    def get_queryset(self) -> Any:
        return filtered(_runs(self.request), self.request).order_by("programme_id", "-pk")

    @extend_schema(parameters=[ProgrammeFilter], summary="Stored schedule risk analyses")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=RiskRunInput,
        responses={201: RiskRunOutput},
        summary="Run a schedule risk analysis (Monte Carlo) and store it",
    )
    def post(self, request: Request) -> Response:
        data = validated(RiskRunInput, request.data)
        programme = writable_programme(request, data.pop("programme"))
        data.setdefault("target_date", None)
        with model_validation_as_400():
            run = services.risk_run_create(
                actor=request.user, programme=programme, today=timezone.localdate(), **data
            )
        return Response(RiskRunOutput(run).data, status=status.HTTP_201_CREATED)


class RiskRunDetailApi(APIView):
    @extend_schema(responses=RiskRunOutput, summary="One schedule risk analysis")
    def get(self, request: Request, pk: int) -> Response:
        return Response(RiskRunOutput(one(_runs(request), pk)).data)

    @extend_schema(responses={204: None}, summary="Delete a schedule risk analysis")
    def delete(self, request: Request, pk: int) -> Response:
        run = one(_runs(request), pk)
        refuse_change(self, request, run)
        services.risk_run_delete(actor=request.user, run=run)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReadinessOutput(serializers.Serializer[ReadinessCheck]):
    id = serializers.IntegerField()
    programme = serializers.IntegerField(source="programme_id")
    created_at = serializers.DateTimeField()
    title = serializers.CharField()
    places = serializers.IntegerField()
    target_group = serializers.ChoiceField(choices=TargetGroup.choices)
    by_date = serializers.DateField()
    runs = serializers.IntegerField()
    seed = serializers.IntegerField()
    result = serializers.JSONField(
        help_text="expected, probability, reached and gap per certainty (50, 80, 90), "
        "deliveries (code, name, places, probability, p50/p80/p90) and accelerate "
        "([{code, name, owner, index}])."
    )
    inputs = serializers.JSONField(
        help_text="The plan (day offsets) and the counts: free, waiting, lost, ending permits, "
        "deliveries."
    )


class ReadinessInput(serializers.Serializer[Any]):
    programme = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    title = serializers.CharField(max_length=200, allow_blank=True, default="")
    places = serializers.IntegerField(min_value=1, max_value=100000)
    target_group = serializers.ChoiceField(choices=TargetGroup.choices)
    by_date = serializers.DateField()
    runs = _runs_field()
    seed = _seed_field()


def _checks(request: Request) -> QuerySet[ReadinessCheck]:
    return selectors.readiness_check_list(user=request.user)


class ReadinessListApi(ListAPIView[ReadinessCheck]):
    serializer_class = ReadinessOutput

    def get_queryset(self) -> Any:
        return filtered(_checks(self.request), self.request).order_by("programme_id", "-pk")

    @extend_schema(parameters=[ProgrammeFilter], summary="Stored directive readiness checks")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=ReadinessInput,
        responses={201: ReadinessOutput},
        summary="Check readiness for a directive (N places for a group by a date) and store it",
    )
    def post(self, request: Request) -> Response:
        data = validated(ReadinessInput, request.data)
        programme = writable_programme(request, data.pop("programme"))
        with model_validation_as_400():
            check = services.readiness_check_create(
                actor=request.user, programme=programme, today=timezone.localdate(), **data
            )
        return Response(ReadinessOutput(check).data, status=status.HTTP_201_CREATED)


class ReadinessDetailApi(APIView):
    @extend_schema(responses=ReadinessOutput, summary="One directive readiness check")
    def get(self, request: Request, pk: int) -> Response:
        return Response(ReadinessOutput(one(_checks(request), pk)).data)

    @extend_schema(responses={204: None}, summary="Delete a directive readiness check")
    def delete(self, request: Request, pk: int) -> Response:
        check = one(_checks(request), pk)
        refuse_change(self, request, check)
        services.readiness_check_delete(actor=request.user, check=check)
        return Response(status=status.HTTP_204_NO_CONTENT)
