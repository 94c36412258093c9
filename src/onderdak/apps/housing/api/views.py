"""API for complexes, units, households (permission-checked and purpose-logged), placements
and proposals."""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from onderdak.apps.housing import selectors
from onderdak.apps.housing.models import Complex, Household, Placement, Unit


class UnitOutput(serializers.Serializer[Unit]):
    id = serializers.IntegerField()
    number = serializers.CharField()
    rooms = serializers.IntegerField()
    area_m2 = serializers.IntegerField()
    max_occupants = serializers.IntegerField()
    max_households = serializers.IntegerField()
    accessible = serializers.BooleanField()
    floor = serializers.IntegerField()
    status = serializers.CharField()
    target_groups = serializers.ListField(child=serializers.CharField())


class ComplexOutput(serializers.Serializer[Complex]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    manager = serializers.CharField()
    permit_end = serializers.DateField(allow_null=True)
    unit_count = serializers.IntegerField()
    occupied_count = serializers.IntegerField()
    vacant_count = serializers.IntegerField()


class ComplexDetailOutput(ComplexOutput):
    units = UnitOutput(many=True)


class CoaTermOutput(serializers.Serializer[Any]):
    """A status holder's dates under COA's norms (10 weeks to find a home after the link, then
    2 weeks for the move; coa.nl) and its state on the day of the request."""

    linked_on = serializers.DateField(help_text="The link to the municipality (waiting_since).")
    home_found_by = serializers.DateField(source="home_by")
    moved_in_by = serializers.DateField(source="moved_by")
    placed_on = serializers.DateField(
        allow_null=True, help_text="Start of the first placement (the move-in); null: waiting."
    )
    # plain text, not an enum: a second enum named "state" would rename the care API's
    # StateEnum in the schema (drf-spectacular's enum naming)
    state = serializers.CharField(
        help_text="running, due_soon (within 14 days of the date to find a home), overdue "
        "(waiting past a date), on_time or late (placed on or before / after the moving date)."
    )
    step = serializers.CharField(help_text="home or move: which deadline the state is about.")
    days = serializers.IntegerField(
        help_text="running/due_soon: days left; overdue: days past the deadline; on_time: days "
        "before the moving date; late: days after it."
    )
    warning = serializers.BooleanField()


class HouseholdOutput(serializers.Serializer[Household]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    target_group = serializers.CharField()
    adults = serializers.IntegerField()
    minors_0_3 = serializers.IntegerField()
    minors_4_11 = serializers.IntegerField()
    minors_12_17 = serializers.IntegerField()
    needs_accessible = serializers.BooleanField()
    needs_ground_floor = serializers.BooleanField()
    status = serializers.CharField()
    waiting_since = serializers.DateField()
    coa_term = serializers.SerializerMethodField()

    @extend_schema_field(CoaTermOutput(allow_null=True))
    def get_coa_term(self, household: Household) -> dict[str, Any] | None:
        """Status holders only (COA links status holders); null for others and for a household
        that left without a placement."""
        term = self.context.get("coa", {}).get(household.pk)
        return None if term is None else dict(CoaTermOutput(term).data)


class PlacementOutput(serializers.Serializer[Placement]):
    id = serializers.IntegerField()
    household = serializers.CharField(source="household.code")
    unit = serializers.IntegerField(source="unit.pk")
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True)


class ComplexListApi(ListAPIView[Complex]):
    serializer_class = ComplexOutput

    def get_queryset(self) -> Any:
        return selectors.complex_list(user=self.request.user).order_by("name", "pk")

    @extend_schema(summary="Complexes with occupancy")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ComplexDetailApi(APIView):
    @extend_schema(responses=ComplexDetailOutput, summary="One complex with its units")
    def get(self, request: Request, pk: int) -> Response:
        try:
            return Response(
                ComplexDetailOutput(selectors.complex_get(user=request.user, pk=pk)).data
            )
        except Complex.DoesNotExist:
            raise Http404 from None


class HouseholdListApi(APIView):
    @extend_schema(
        responses=HouseholdOutput(many=True),
        summary="Households (every read is logged with its purpose)",
    )
    def get(self, request: Request) -> Response:
        households = selectors.households_read(
            user=request.user, purpose=selectors.PURPOSE_API, action="api"
        )
        terms = selectors.coa_terms(households, today=timezone.localdate())
        return Response(
            HouseholdOutput(cast(Any, households), many=True, context={"coa": terms}).data
        )


class PlacementListApi(APIView):
    @extend_schema(responses=PlacementOutput(many=True), summary="Current and past placements")
    def get(self, request: Request) -> Response:
        households = selectors.households_read(
            user=request.user, purpose=selectors.PURPOSE_API, action="api"
        )
        placements = Placement.objects.filter(household__in=households).select_related(
            "household", "unit"
        )
        return Response(
            PlacementOutput(cast(Any, placements.order_by("-start", "pk")), many=True).data
        )


class ProposalLineOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    household = serializers.CharField(source="household.code")
    unit = serializers.IntegerField(source="unit.pk")
    score = serializers.FloatField()
    decision = serializers.CharField()
    explanation = serializers.JSONField()


class ProposalOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    status = serializers.CharField()
    objective = serializers.FloatField()
    fairness = serializers.JSONField()
    unplaced = serializers.JSONField()
    lines = ProposalLineOutput(many=True)


class ProposalListApi(APIView):
    @extend_schema(
        responses=ProposalOutput(many=True), summary="Placement proposals (reads are logged)"
    )
    def get(self, request: Request) -> Response:
        proposals = selectors.proposals_read(user=request.user, limit=20)
        return Response(ProposalOutput(proposals, many=True).data)


class ProposalDetailApi(APIView):
    @extend_schema(
        responses=ProposalOutput, summary="One placement proposal with explanations (logged)"
    )
    def get(self, request: Request, pk: int) -> Response:
        from onderdak.apps.housing.models import Proposal

        try:
            return Response(ProposalOutput(selectors.proposal_get(user=request.user, pk=pk)).data)
        except Proposal.DoesNotExist:
            raise Http404 from None
