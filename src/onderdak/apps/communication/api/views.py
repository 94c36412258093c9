"""API of communication and participation: stakeholders, plans, moments and log entries, with
the same scoped selectors and services as the pages (a refused change is a 400 problem)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from onderdak.apps.accounts.selectors import MAX_ID, can_change, writable_organisations
from onderdak.apps.communication import selectors, services
from onderdak.apps.communication.models import (
    CommunicationPlan,
    LogEntry,
    Moment,
    MomentKind,
    MomentStatus,
    ParticipationLevel,
    PlanStatus,
    Sentiment,
    Stakeholder,
    StakeholderKind,
    Track,
)
from onderdak.apps.housing.selectors import complex_list
from onderdak.apps.programme.selectors import decision_list, milestone_choices
from onderdak.apps.sites.selectors import site_list
from onderdak.common.api import RuleViolation, model_validation_as_400, validated


def _one(queryset: QuerySet[Any], pk: int) -> Any:
    record = queryset.filter(pk=pk).first()
    if record is None:
        raise Http404
    return record


def _organisation(request: Request, pk: int) -> Any:
    organisation = writable_organisations(request.user).filter(pk=pk).first()
    if organisation is None:
        raise RuleViolation(
            {"organisation": [_("Unknown organisation, or you may not write for it.")]}
        )
    return organisation


def _refuse(view: APIView, request: Request, record: Any) -> None:
    if not can_change(request.user, record):
        view.permission_denied(request, message=_("You may not change this record."))


def _records(queryset: QuerySet[Any], ids: list[int], field: str) -> list[Any]:
    found = list(queryset.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise RuleViolation({field: [_("Unknown id.")]})
    return found


def _record(queryset: QuerySet[Any], pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise RuleViolation({field: [_("Unknown id.")]})
    return found


def _id(*, required: bool = True, allow_null: bool = False) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=required, allow_null=allow_null
    )


#: A list of record ids, as the schema documents it.
IDS = serializers.ListField(child=serializers.IntegerField())


# --- stakeholders ----------------------------------------------------------------------------


class StakeholderOutput(serializers.Serializer[Stakeholder]):
    id = serializers.IntegerField()
    organisation = serializers.CharField(source="organisation.name")
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=StakeholderKind.choices)
    influence = serializers.IntegerField()
    interest = serializers.IntegerField()
    quadrant = serializers.CharField(help_text="manage, satisfy, inform or monitor.")
    contact_role = serializers.CharField()
    tracks = serializers.ListField(child=serializers.ChoiceField(choices=Track.choices))
    sites = serializers.SerializerMethodField()
    complexes = serializers.SerializerMethodField()
    notes = serializers.CharField()
    shared = serializers.BooleanField()

    @extend_schema_field(IDS)
    def get_sites(self, stakeholder: Stakeholder) -> list[int]:
        return [site.pk for site in stakeholder.sites.all()]

    @extend_schema_field(IDS)
    def get_complexes(self, stakeholder: Stakeholder) -> list[int]:
        return [item.pk for item in stakeholder.complexes.all()]


class StakeholderUpdateInput(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=150, required=False)
    kind = serializers.ChoiceField(choices=StakeholderKind.choices, required=False)
    influence = serializers.IntegerField(min_value=1, max_value=5, required=False)
    interest = serializers.IntegerField(min_value=1, max_value=5, required=False)
    contact_role = serializers.CharField(max_length=150, allow_blank=True, required=False)
    tracks = serializers.ListField(
        child=serializers.ChoiceField(choices=Track.choices), required=False, max_length=4
    )
    sites = serializers.ListField(child=_id(), required=False, max_length=200)
    complexes = serializers.ListField(child=_id(), required=False, max_length=200)
    notes = serializers.CharField(allow_blank=True, max_length=5000, required=False)
    shared = serializers.BooleanField(required=False)


class StakeholderInput(StakeholderUpdateInput):
    organisation = _id()
    name = serializers.CharField(max_length=150)
    kind = serializers.ChoiceField(choices=StakeholderKind.choices)


def _stakeholder_values(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    values = dict(data)
    if "sites" in values:
        values["sites"] = _records(site_list(user=request.user), values["sites"], "sites")
    if "complexes" in values:
        values["complexes"] = _records(
            complex_list(user=request.user), values["complexes"], "complexes"
        )
    return values


class StakeholderListApi(ListAPIView[Stakeholder]):
    serializer_class = StakeholderOutput

    def get_queryset(self) -> Any:
        return (
            selectors.stakeholder_list(user=self.request.user)
            .prefetch_related("sites", "complexes")
            .order_by("pk")
        )

    @extend_schema(summary="Stakeholders the user may see")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=StakeholderInput, responses={201: StakeholderOutput}, summary="Add a stakeholder"
    )
    def post(self, request: Request) -> Response:
        data = validated(StakeholderInput, request.data)
        organisation = _organisation(request, data.pop("organisation"))
        with model_validation_as_400():
            stakeholder = services.stakeholder_create(
                actor=request.user, organisation=organisation, **_stakeholder_values(request, data)
            )
        return Response(StakeholderOutput(stakeholder).data, status=status.HTTP_201_CREATED)


class StakeholderDetailApi(APIView):
    def _get(self, request: Request, pk: int) -> Stakeholder:
        return _one(selectors.stakeholder_list(user=request.user), pk)  # type: ignore[no-any-return]

    @extend_schema(responses=StakeholderOutput, summary="One stakeholder")
    def get(self, request: Request, pk: int) -> Response:
        return Response(StakeholderOutput(self._get(request, pk)).data)

    @extend_schema(
        request=StakeholderUpdateInput, responses=StakeholderOutput, summary="Change a stakeholder"
    )
    def patch(self, request: Request, pk: int) -> Response:
        stakeholder = self._get(request, pk)
        _refuse(self, request, stakeholder)
        data = validated(StakeholderUpdateInput, request.data, partial=True)
        with model_validation_as_400():
            services.stakeholder_update(
                actor=request.user, stakeholder=stakeholder, **_stakeholder_values(request, data)
            )
        return Response(StakeholderOutput(self._get(request, pk)).data)

    @extend_schema(responses={204: None}, summary="Delete a stakeholder")
    def delete(self, request: Request, pk: int) -> Response:
        stakeholder = self._get(request, pk)
        _refuse(self, request, stakeholder)
        services.stakeholder_delete(actor=request.user, stakeholder=stakeholder)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- plans -----------------------------------------------------------------------------------


class AudienceOutput(serializers.Serializer[Any]):
    stakeholder = serializers.IntegerField(source="stakeholder_id")
    level = serializers.ChoiceField(choices=ParticipationLevel.choices)


class PlanOutput(serializers.Serializer[CommunicationPlan]):
    id = serializers.IntegerField()
    organisation = serializers.CharField(source="organisation.name")
    track = serializers.ChoiceField(choices=Track.choices)
    goals = serializers.CharField()
    key_messages = serializers.CharField()
    owner = serializers.CharField()
    status = serializers.ChoiceField(choices=PlanStatus.choices)
    shared = serializers.BooleanField()
    audiences = AudienceOutput(many=True, source="audiences.all")


class PlanInput(serializers.Serializer[Any]):
    organisation = _id()
    track = serializers.ChoiceField(choices=Track.choices)
    goals = serializers.CharField(allow_blank=True, max_length=10000, default="")
    key_messages = serializers.CharField(allow_blank=True, max_length=10000, default="")
    owner = serializers.CharField(allow_blank=True, max_length=150, default="")
    status = serializers.ChoiceField(choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    shared = serializers.BooleanField(default=False)


class PlanListApi(ListAPIView[CommunicationPlan]):
    serializer_class = PlanOutput

    def get_queryset(self) -> Any:
        return (
            selectors.plan_list(user=self.request.user)
            .prefetch_related("audiences")
            .order_by("organisation_id", "track")
        )

    @extend_schema(summary="Communication plans per track")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=PlanInput,
        responses={200: PlanOutput},
        summary="Save the plan of a track (created the first time, changed after)",
    )
    def post(self, request: Request) -> Response:
        data = validated(PlanInput, request.data)
        organisation = _organisation(request, data.pop("organisation"))
        with model_validation_as_400():
            plan = services.plan_save(actor=request.user, organisation=organisation, **data)
        return Response(PlanOutput(plan).data)


# --- moments and their log -------------------------------------------------------------------


class MomentOutput(serializers.Serializer[Moment]):
    id = serializers.IntegerField()
    organisation = serializers.CharField(source="organisation.name")
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=MomentKind.choices)
    date = serializers.DateField(help_text="As last saved; see the page for a moved milestone.")
    status = serializers.ChoiceField(choices=MomentStatus.choices)
    track = serializers.ChoiceField(choices=Track.choices)
    audience = serializers.SerializerMethodField()
    site = serializers.IntegerField(source="site_id", allow_null=True)
    complex = serializers.IntegerField(source="complex_id", allow_null=True)
    milestone = serializers.IntegerField(source="milestone_id", allow_null=True)
    days_from_milestone = serializers.IntegerField()
    decision = serializers.IntegerField(source="decision_id", allow_null=True)
    channel = serializers.CharField()
    owner = serializers.CharField()
    message = serializers.CharField()
    shared = serializers.BooleanField()

    @extend_schema_field(IDS)
    def get_audience(self, moment: Moment) -> list[int]:
        return [stakeholder.pk for stakeholder in moment.audience.all()]


class MomentUpdateInput(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=MomentKind.choices, required=False)
    date = serializers.DateField(required=False)
    status = serializers.ChoiceField(choices=MomentStatus.choices, required=False)
    track = serializers.ChoiceField(choices=Track.choices, required=False)
    audience = serializers.ListField(child=_id(), required=False, max_length=200)
    site = _id(required=False, allow_null=True)
    complex = _id(required=False, allow_null=True)
    milestone = _id(required=False, allow_null=True)
    days_from_milestone = serializers.IntegerField(min_value=-365, max_value=365, required=False)
    decision = _id(required=False, allow_null=True)
    channel = serializers.CharField(max_length=150, allow_blank=True, required=False)
    owner = serializers.CharField(max_length=150, allow_blank=True, required=False)
    message = serializers.CharField(max_length=10000, allow_blank=True, required=False)
    shared = serializers.BooleanField(required=False)


class MomentInput(MomentUpdateInput):
    organisation = _id()
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=MomentKind.choices)


def _moment_values(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    user = request.user
    values = dict(data)
    sources = {
        "site": site_list(user=user),
        "complex": complex_list(user=user),
        "milestone": milestone_choices(user=user),
        "decision": decision_list(user=user),
    }
    for field, queryset in sources.items():
        if field in values:
            values[field] = _record(queryset, values[field], field)
    if "audience" in values:
        values["audience"] = _records(
            selectors.stakeholder_list(user=user), values["audience"], "audience"
        )
    return values


class MomentListApi(ListAPIView[Moment]):
    serializer_class = MomentOutput

    def get_queryset(self) -> Any:
        return (
            selectors.moment_list(user=self.request.user)
            .prefetch_related("audience")
            .order_by("date", "pk")
        )

    @extend_schema(summary="Communication and participation moments")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=MomentInput, responses={201: MomentOutput}, summary="Plan a moment")
    def post(self, request: Request) -> Response:
        data = validated(MomentInput, request.data)
        organisation = _organisation(request, data.pop("organisation"))
        values = _moment_values(request, data)
        if not values.get("milestone") and not values.get("date"):
            raise RuleViolation(
                {"date": [_("Give a date, or choose a milestone for it to follow.")]}
            )
        with model_validation_as_400():
            moment = services.moment_create(actor=request.user, organisation=organisation, **values)
        return Response(MomentOutput(moment).data, status=status.HTTP_201_CREATED)


class MomentDetailApi(APIView):
    def _get(self, request: Request, pk: int) -> Moment:
        return _one(selectors.moment_list(user=request.user), pk)  # type: ignore[no-any-return]

    @extend_schema(responses=MomentOutput, summary="One moment")
    def get(self, request: Request, pk: int) -> Response:
        return Response(MomentOutput(self._get(request, pk)).data)

    @extend_schema(request=MomentUpdateInput, responses=MomentOutput, summary="Change a moment")
    def patch(self, request: Request, pk: int) -> Response:
        moment = self._get(request, pk)
        _refuse(self, request, moment)
        data = validated(MomentUpdateInput, request.data, partial=True)
        with model_validation_as_400():
            services.moment_update(
                actor=request.user, moment=moment, **_moment_values(request, data)
            )
        return Response(MomentOutput(self._get(request, pk)).data)

    @extend_schema(responses={204: None}, summary="Delete a moment")
    def delete(self, request: Request, pk: int) -> Response:
        moment = self._get(request, pk)
        _refuse(self, request, moment)
        services.moment_delete(actor=request.user, moment=moment)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FollowUpSerializer(serializers.Serializer[Any]):
    action = serializers.CharField(max_length=300)
    owner = serializers.CharField(max_length=150)
    due = serializers.DateField()
    done = serializers.BooleanField(read_only=True)


class LogEntryOutput(serializers.Serializer[LogEntry]):
    id = serializers.IntegerField()
    moment = serializers.IntegerField(source="moment_id")
    summary = serializers.CharField()
    participants = serializers.IntegerField(allow_null=True)
    themes = serializers.CharField()
    sentiment = serializers.ChoiceField(choices=Sentiment.choices)
    response = serializers.CharField()
    follow_ups = FollowUpSerializer(many=True, source="follow_ups.all")


class LogEntryInput(serializers.Serializer[Any]):
    summary = serializers.CharField(max_length=10000)
    participants = serializers.IntegerField(
        min_value=0, max_value=100000, required=False, allow_null=True
    )
    themes = serializers.CharField(max_length=300, allow_blank=True, default="")
    sentiment = serializers.ChoiceField(choices=Sentiment.choices)
    response = serializers.CharField(max_length=10000, allow_blank=True, default="")
    follow_ups = FollowUpSerializer(many=True, required=False)


class LogEntryListApi(APIView):
    @extend_schema(responses=LogEntryOutput(many=True), summary="The participation log of a moment")
    def get(self, request: Request, pk: int) -> Response:
        moment = _one(selectors.moment_list(user=request.user), pk)
        entries = list(selectors.log_entries(moment=moment))
        return Response(LogEntryOutput(entries, many=True).data)  # type: ignore[arg-type]

    @extend_schema(
        request=LogEntryInput,
        responses={201: LogEntryOutput},
        summary="Log what was heard at a moment, with its follow-up actions",
    )
    def post(self, request: Request, pk: int) -> Response:
        moment = _one(selectors.moment_list(user=request.user), pk)
        _refuse(self, request, moment)
        data = validated(LogEntryInput, request.data)
        follow_ups = [dict(item) for item in data.pop("follow_ups", [])]
        with model_validation_as_400():
            entry = services.log_entry_create(
                actor=request.user, moment=moment, follow_ups=follow_ups, **data
            )
        return Response(LogEntryOutput(entry).data, status=status.HTTP_201_CREATED)
