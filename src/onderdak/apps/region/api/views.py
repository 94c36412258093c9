"""API for exchange scenarios, their results and agreements (same access rules as the pages)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from onderdak.apps.region import reasons, selectors, services
from onderdak.apps.region.models import Agreement, AgreementStatus, Scenario, ScenarioResult
from onderdak.common.api import Conflict, RuleViolation, model_validation_as_400, validated


class ScenarioEntryOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    municipality = serializers.CharField(source="municipality.code")
    target_group = serializers.CharField()
    obligation = serializers.IntegerField()
    capacity = serializers.IntegerField()
    cost_per_place = serializers.DecimalField(max_digits=12, decimal_places=2)
    max_take_over = serializers.IntegerField(allow_null=True)
    max_hand_off = serializers.IntegerField(allow_null=True)


class ScenarioOutput(serializers.Serializer[Scenario]):
    id = serializers.IntegerField()
    region = serializers.CharField(source="region.code")
    name = serializers.CharField()
    mode = serializers.CharField()
    fairness_min_ratio = serializers.FloatField(allow_null=True)
    fairness_max_ratio = serializers.FloatField(allow_null=True)
    created_at = serializers.DateTimeField()


class ScenarioDetailOutput(ScenarioOutput):
    entries = ScenarioEntryOutput(many=True)
    results = serializers.SerializerMethodField(
        help_text="Ids of the stored results, newest first."
    )

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_results(self, scenario: Scenario) -> list[int]:
        return list(scenario.results.values_list("pk", flat=True))


class ResultOutput(serializers.Serializer[ScenarioResult]):
    id = serializers.IntegerField()
    scenario = serializers.IntegerField(source="scenario.pk")
    solved_at = serializers.DateTimeField()
    status = serializers.CharField()
    reason = serializers.CharField()
    total_cost = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    baseline_cost = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    solution = serializers.JSONField(
        help_text="As in the 'onderdak exchange solve' output, plus an explanation."
    )
    input = serializers.JSONField(help_text="As in the 'onderdak exchange solve' input.")


class AgreementLineOutput(serializers.Serializer[Any]):
    round = serializers.IntegerField(source="round.pk")
    target_group = serializers.CharField(source="round.target_group")
    from_municipality = serializers.CharField(source="from_municipality.code")
    to_municipality = serializers.CharField(source="to_municipality.code")
    places = serializers.IntegerField()
    compensation = serializers.DecimalField(max_digits=14, decimal_places=2)


class ApprovalOutput(serializers.Serializer[Any]):
    municipality = serializers.CharField(source="municipality.code")
    decided_on = serializers.DateField()
    on_behalf = serializers.BooleanField(
        help_text="Recorded by the region's coordinator on the party's behalf."
    )


class AgreementOutput(serializers.Serializer[Agreement]):
    id = serializers.IntegerField()
    region = serializers.CharField(source="region.code", allow_null=True)
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=AgreementStatus.choices)
    agreed_on = serializers.DateField(allow_null=True)
    approved_on = serializers.DateField(allow_null=True)
    lines = AgreementLineOutput(many=True)
    approvals = ApprovalOutput(many=True)


class ApprovalInput(serializers.Serializer[Any]):
    municipality = serializers.CharField(help_text="CBS code of the party, e.g. GM0451.")
    decided_on = serializers.DateField(help_text="Date of the party's decision.")


#: Service error codes that are a conflict with the state, not invalid input.
CONFLICT_CODES = frozenset({"consent_missing", "binding", "approved"})


def _codes(error: ValidationError) -> set[str | None]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


@contextmanager
def conflicts_as_409() -> Iterator[None]:
    """Run a service: a conflict with the agreement's state (missing consent, already binding)
    is a 409 problem, any other validation error a 400 with the messages per field."""
    with model_validation_as_400():
        try:
            yield
        except ValidationError as error:
            if _codes(error) & CONFLICT_CODES:
                raise Conflict("; ".join(error.messages)) from None
            raise


class StatusInput(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=AgreementStatus.choices)
    on = serializers.DateField(required=False, allow_null=True)


class ScenarioListApi(ListAPIView[Scenario]):
    serializer_class = ScenarioOutput

    def get_queryset(self) -> Any:
        return selectors.scenario_list(user=self.request.user).order_by("-created_at", "pk")

    @extend_schema(summary="Exchange scenarios of the regions the user works in")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ScenarioDetailApi(APIView):
    @extend_schema(responses=ScenarioDetailOutput, summary="One exchange scenario with its entries")
    def get(self, request: Request, pk: int) -> Response:
        try:
            scenario = selectors.scenario_get(user=request.user, pk=pk)
        except Scenario.DoesNotExist:
            raise Http404 from None
        return Response(ScenarioDetailOutput(scenario).data)


class ScenarioSolveApi(APIView):
    @extend_schema(
        request=None, responses={201: ResultOutput}, summary="Solve a scenario and store the result"
    )
    def post(self, request: Request, pk: int) -> Response:
        from onderdak.engines.exchange import ExchangeInputError

        try:
            scenario = selectors.scenario_get(user=request.user, pk=pk)
        except Scenario.DoesNotExist:
            raise Http404 from None
        if not selectors.can_work_on(request.user, scenario.region):
            self.permission_denied(request, message=_("You may not solve this scenario."))
        try:
            result = services.scenario_solve(actor=request.user, scenario=scenario)
        except ExchangeInputError as error:
            raise serializers.ValidationError(
                {error.field or "scenario": [reasons.input_error(error)]}
            ) from None
        return Response(ResultOutput(result).data, status=status.HTTP_201_CREATED)


class ResultDetailApi(APIView):
    @extend_schema(responses=ResultOutput, summary="One scenario result")
    def get(self, request: Request, pk: int) -> Response:
        try:
            return Response(ResultOutput(selectors.result_get(user=request.user, pk=pk)).data)
        except ScenarioResult.DoesNotExist:
            raise Http404 from None


class AgreementListApi(ListAPIView[Agreement]):
    serializer_class = AgreementOutput

    def get_queryset(self) -> Any:
        return (
            selectors.agreement_list(user=self.request.user)
            .prefetch_related(
                "lines__round",
                "lines__from_municipality",
                "lines__to_municipality",
                "approvals__municipality",
            )
            .order_by("-created_at", "pk")
        )

    @extend_schema(summary="Agreements the user may see")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class AgreementDetailApi(APIView):
    @extend_schema(responses=AgreementOutput, summary="One agreement")
    def get(self, request: Request, pk: int) -> Response:
        try:
            return Response(AgreementOutput(selectors.agreement_get(user=request.user, pk=pk)).data)
        except Agreement.DoesNotExist:
            raise Http404 from None


class AgreementStatusApi(APIView):
    @extend_schema(
        request=StatusInput,
        responses={
            200: AgreementOutput,
            409: OpenApiResponse(description="Not every party has approved."),
        },
        summary="Change the status of an agreement (binding needs every party's approval)",
    )
    def post(self, request: Request, pk: int) -> Response:
        try:
            agreement = selectors.agreement_get(user=request.user, pk=pk)
        except Agreement.DoesNotExist:
            raise Http404 from None
        if not selectors.can_change_agreement(request.user, agreement):
            self.permission_denied(request, message=_("You may not change this agreement."))
        data = validated(StatusInput, request.data)
        with conflicts_as_409():
            services.agreement_set_status(
                actor=request.user,
                agreement=agreement,
                status=data["status"],
                on=data.get("on"),
            )
        return Response(AgreementOutput(selectors.agreement_get(user=request.user, pk=pk)).data)


class AgreementApprovalApi(APIView):
    @extend_schema(
        request=ApprovalInput,
        responses={
            201: AgreementOutput,
            409: OpenApiResponse(description="Already binding, or the party already approved."),
        },
        summary="Record a party's approval of an agreement",
    )
    def post(self, request: Request, pk: int) -> Response:
        try:
            agreement = selectors.agreement_get(user=request.user, pk=pk)
        except Agreement.DoesNotExist:
            raise Http404 from None
        parties = selectors.approvable_parties(request.user, agreement)
        if not parties:
            self.permission_denied(request, message=_("You may not approve this agreement."))
        data = validated(ApprovalInput, request.data)
        party = next((m for m in parties if m.code == data["municipality"]), None)
        if party is None:
            raise RuleViolation({"municipality": [_("Not a party for which you may approve.")]})
        with conflicts_as_409():
            services.agreement_approve(
                actor=request.user,
                agreement=agreement,
                municipality=party,
                decided_on=data["decided_on"],
            )
        return Response(
            AgreementOutput(selectors.agreement_get(user=request.user, pk=pk)).data,
            status=status.HTTP_201_CREATED,
        )
