"""API for the decision log; the same access rules as the web pages (accounts.selectors)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from onderdak.apps.accounts.selectors import (
    MAX_ID,
    can_change,
    organisation_exists,
    writable_organisations,
)
from onderdak.apps.programme import selectors, services
from onderdak.apps.programme.models import Decision, DecisionBody, Track
from onderdak.common.api import RuleViolation, model_validation_as_400, validated


class DecisionOutput(serializers.Serializer[Decision]):
    id = serializers.IntegerField()
    organisation = serializers.CharField(source="organisation.name")
    decided_on = serializers.DateField()
    body = serializers.ChoiceField(choices=DecisionBody.choices)
    track = serializers.ChoiceField(choices=Track.choices)
    title = serializers.CharField()
    summary = serializers.CharField()
    reference = serializers.CharField()
    shared = serializers.BooleanField()


class DecisionInput(serializers.Serializer[Any]):
    organisation = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Id of the organisation the decision belongs to."
    )
    decided_on = serializers.DateField()
    body = serializers.ChoiceField(choices=DecisionBody.choices)
    track = serializers.ChoiceField(choices=Track.choices, default=Track.OVERALL)
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(allow_blank=True, default="")
    reference = serializers.CharField(allow_blank=True, default="", max_length=300)
    shared = serializers.BooleanField(default=False)


class DecisionUpdateInput(serializers.Serializer[Any]):
    decided_on = serializers.DateField(required=False)
    body = serializers.ChoiceField(choices=DecisionBody.choices, required=False)
    track = serializers.ChoiceField(choices=Track.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    summary = serializers.CharField(allow_blank=True, required=False)
    reference = serializers.CharField(allow_blank=True, max_length=300, required=False)
    shared = serializers.BooleanField(required=False)


class DecisionListApi(ListAPIView[Decision]):
    serializer_class = DecisionOutput

    def get_queryset(self) -> Any:
        return selectors.decision_list(user=self.request.user).order_by("-decided_on", "pk")

    @extend_schema(summary="Decisions the user may see")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=DecisionInput, responses={201: DecisionOutput}, summary="Record a decision"
    )
    def post(self, request: Request) -> Response:
        values = validated(DecisionInput, request.data)
        organisation_id = values.pop("organisation")
        organisation = writable_organisations(request.user).filter(pk=organisation_id).first()
        if organisation is None:
            exists = organisation_exists(organisation_id)
            raise RuleViolation(
                {
                    "organisation": [
                        _("You may not record decisions for this organisation.")
                        if exists
                        else _("Unknown organisation.")
                    ]
                }
            )
        with model_validation_as_400():
            decision = services.decision_create(
                actor=request.user, organisation=organisation, **values
            )
        return Response(DecisionOutput(decision).data, status=status.HTTP_201_CREATED)


class DecisionDetailApi(APIView):
    def _get(self, request: Request, pk: int) -> Decision:
        try:
            return selectors.decision_get(user=request.user, pk=pk)
        except Decision.DoesNotExist:
            raise Http404 from None

    @extend_schema(responses=DecisionOutput, summary="One decision")
    def get(self, request: Request, pk: int) -> Response:
        return Response(DecisionOutput(self._get(request, pk)).data)

    @extend_schema(
        request=DecisionUpdateInput, responses=DecisionOutput, summary="Change a decision"
    )
    def patch(self, request: Request, pk: int) -> Response:
        decision = self._get(request, pk)
        if not can_change(request.user, decision):
            self.permission_denied(request, message=_("You may not change this decision."))
        data = validated(DecisionUpdateInput, request.data, partial=True)
        with model_validation_as_400():
            services.decision_update(actor=request.user, decision=decision, **data)
        return Response(DecisionOutput(decision).data)

    @extend_schema(responses={204: None}, summary="Delete a decision")
    def delete(self, request: Request, pk: int) -> Response:
        decision = self._get(request, pk)
        if not can_change(request.user, decision):
            self.permission_denied(request, message=_("You may not delete this decision."))
        services.decision_delete(actor=request.user, decision=decision)
        return Response(status=status.HTTP_204_NO_CONTENT)
