"""API of the programme plan: programmes, tracks, tasks, dependencies, baselines and the
computed schedule. The same access rules as the pages: every list comes from the app's scoped
selectors, every write goes through its services (a refused change is a 400 problem)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from onderdak.apps.accounts.selectors import MAX_ID, can_change
from onderdak.apps.housing.selectors import complex_list
from onderdak.apps.programme import selectors, services
from onderdak.apps.programme.models import (
    Baseline,
    CalendarKind,
    LinkType,
    PlanLink,
    PlanTask,
    Programme,
    ProgrammeTrack,
    Track,
    TrackStatus,
)
from onderdak.apps.sites.selectors import site_list
from onderdak.common.api import RuleViolation, model_validation_as_400, validated
from onderdak.common.vocabulary import TargetGroup


class ProgrammeFilter(serializers.Serializer[Any]):
    """The query of the plan's lists (documented as query parameters)."""

    programme = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text="Only the records of this programme (its id).",
    )


def filtered(queryset: QuerySet[Any], request: Request) -> QuerySet[Any]:
    """``queryset`` (already scoped) limited to ``?programme=`` when given."""
    values = validated(ProgrammeFilter, request.query_params)
    if "programme" in values:
        queryset = queryset.filter(programme_id=values["programme"])
    return queryset


def writable_programme(request: Request, pk: int) -> Programme:
    """The programme ``pk`` that the user may change; a 400 naming the field otherwise."""
    programme = selectors.programme_list(user=request.user).filter(pk=pk).first()
    if programme is None or not can_change(request.user, programme):
        raise RuleViolation({"programme": [_("Unknown programme, or you may not change it.")]})
    return programme


def refuse_change(view: APIView, request: Request, record: Any) -> None:
    programme = record if isinstance(record, Programme) else record.programme
    if not can_change(request.user, programme):
        view.permission_denied(request, message=_("You may not change this programme's plan."))


def one(queryset: QuerySet[Any], pk: int) -> Any:
    record = queryset.filter(pk=pk).first()
    if record is None:
        raise Http404
    return record


# --- programmes and tracks -----------------------------------------------------------------


class TrackOutput(serializers.Serializer[ProgrammeTrack]):
    id = serializers.IntegerField()
    programme = serializers.IntegerField(source="programme_id")
    kind = serializers.ChoiceField(choices=Track.choices)
    goal = serializers.CharField()
    alderman = serializers.CharField()
    lead = serializers.CharField()
    status = serializers.ChoiceField(choices=TrackStatus.choices)


class ProgrammeOutput(serializers.Serializer[Programme]):
    id = serializers.IntegerField()
    organisation = serializers.CharField(source="organisation.name")
    name = serializers.CharField()
    project_alderman = serializers.CharField()
    start_date = serializers.DateField()
    target_date = serializers.DateField(allow_null=True)
    target_label = serializers.CharField()
    calendar = serializers.ChoiceField(choices=CalendarKind.choices)
    shared = serializers.BooleanField()
    tracks = TrackOutput(many=True, source="tracks.all")


class TrackInput(serializers.Serializer[Any]):
    goal = serializers.CharField(allow_blank=True, required=False)
    alderman = serializers.CharField(allow_blank=True, max_length=150, required=False)
    lead = serializers.CharField(allow_blank=True, max_length=150, required=False)
    status = serializers.ChoiceField(choices=TrackStatus.choices, required=False)


class ProgrammeListApi(ListAPIView[Programme]):
    serializer_class = ProgrammeOutput

    def get_queryset(self) -> Any:
        return (
            selectors.programme_list(user=self.request.user)
            .select_related("organisation")
            .prefetch_related("tracks")
            .order_by("pk")
        )

    @extend_schema(summary="Programmes the user may see, with their tracks")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ProgrammeDetailApi(APIView):
    @extend_schema(responses=ProgrammeOutput, summary="One programme with its tracks")
    def get(self, request: Request, pk: int) -> Response:
        programme = one(selectors.programme_list(user=request.user), pk)
        return Response(ProgrammeOutput(programme).data)


class TrackDetailApi(APIView):
    def _get(self, request: Request, pk: int) -> ProgrammeTrack:
        return one(selectors.track_list(user=request.user), pk)  # type: ignore[no-any-return]

    @extend_schema(responses=TrackOutput, summary="One track")
    def get(self, request: Request, pk: int) -> Response:
        return Response(TrackOutput(self._get(request, pk)).data)

    @extend_schema(request=TrackInput, responses=TrackOutput, summary="Change a track")
    def patch(self, request: Request, pk: int) -> Response:
        track = self._get(request, pk)
        refuse_change(self, request, track)
        data = validated(TrackInput, request.data, partial=True)
        with model_validation_as_400():
            services.track_update(actor=request.user, track=track, **data)
        return Response(TrackOutput(track).data)


# --- tasks ---------------------------------------------------------------------------------


class TaskOutput(serializers.Serializer[PlanTask]):
    id = serializers.IntegerField()
    programme = serializers.IntegerField(source="programme_id")
    track = serializers.ChoiceField(choices=Track.choices, source="track.kind")
    code = serializers.CharField()
    name = serializers.CharField()
    duration = serializers.IntegerField()
    optimistic = serializers.IntegerField(allow_null=True)
    most_likely = serializers.IntegerField(allow_null=True)
    pessimistic = serializers.IntegerField(allow_null=True)
    owner = serializers.CharField()
    percent_complete = serializers.IntegerField()
    actual_start = serializers.DateField(allow_null=True)
    actual_finish = serializers.DateField(allow_null=True)
    start_no_earlier_than = serializers.DateField(allow_null=True)
    finish_no_later_than = serializers.DateField(allow_null=True)
    site = serializers.IntegerField(source="site_id", allow_null=True)
    complex = serializers.IntegerField(source="complex_id", allow_null=True)
    units = serializers.IntegerField(allow_null=True)
    target_groups = serializers.ListField(child=serializers.ChoiceField(TargetGroup.choices))
    notes = serializers.CharField()
    position = serializers.IntegerField()


def _days(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, max_value=5000, **kwargs)


class TaskUpdateInput(serializers.Serializer[Any]):
    track = serializers.ChoiceField(choices=Track.choices, required=False)
    code = serializers.CharField(max_length=20, required=False)
    name = serializers.CharField(max_length=200, required=False)
    duration = _days(required=False)
    optimistic = _days(required=False, allow_null=True)
    most_likely = _days(required=False, allow_null=True)
    pessimistic = _days(required=False, allow_null=True)
    owner = serializers.CharField(allow_blank=True, max_length=150, required=False)
    percent_complete = serializers.IntegerField(min_value=0, max_value=100, required=False)
    actual_start = serializers.DateField(required=False, allow_null=True)
    actual_finish = serializers.DateField(required=False, allow_null=True)
    start_no_earlier_than = serializers.DateField(required=False, allow_null=True)
    finish_no_later_than = serializers.DateField(required=False, allow_null=True)
    site = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)
    complex = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )
    units = serializers.IntegerField(min_value=0, max_value=100000, required=False, allow_null=True)
    target_groups = serializers.ListField(
        child=serializers.ChoiceField(TargetGroup.choices), required=False, max_length=20
    )
    notes = serializers.CharField(allow_blank=True, required=False, max_length=5000)
    position = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False)


class TaskInput(TaskUpdateInput):
    programme = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    track = serializers.ChoiceField(choices=Track.choices)
    code = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=200)
    duration = _days()


def _task_values(request: Request, programme: Programme, data: dict[str, Any]) -> dict[str, Any]:
    """The API's ids and codes as the records the service takes (scoped; a 400 otherwise)."""
    values = dict(data)
    if "track" in values:
        values["track"] = programme.tracks.get(kind=values["track"])
    if values.get("site") is not None:
        site = site_list(user=request.user).filter(pk=values["site"]).first()
        if site is None:
            raise RuleViolation({"site": [_("Unknown site.")]})
        values["site"] = site
    if values.get("complex") is not None:
        found = complex_list(user=request.user).filter(pk=values["complex"]).first()
        if found is None:
            raise RuleViolation({"complex": [_("Unknown complex.")]})
        values["complex"] = found
    return values


def _tasks(request: Request) -> QuerySet[PlanTask]:
    return selectors.task_list(user=request.user).select_related("track")


class TaskListApi(ListAPIView[PlanTask]):
    serializer_class = TaskOutput

    def get_queryset(self) -> Any:
        return filtered(_tasks(self.request), self.request).order_by(
            "programme_id", "position", "pk"
        )

    @extend_schema(parameters=[ProgrammeFilter], summary="Tasks and milestones of the plans")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=TaskInput, responses={201: TaskOutput}, summary="Add a task")
    def post(self, request: Request) -> Response:
        data = validated(TaskInput, request.data)
        programme = writable_programme(request, data.pop("programme"))
        with model_validation_as_400():
            task = services.task_create(
                actor=request.user, programme=programme, **_task_values(request, programme, data)
            )
        return Response(TaskOutput(task).data, status=status.HTTP_201_CREATED)


class TaskDetailApi(APIView):
    @extend_schema(responses=TaskOutput, summary="One task")
    def get(self, request: Request, pk: int) -> Response:
        return Response(TaskOutput(one(_tasks(request), pk)).data)

    @extend_schema(request=TaskUpdateInput, responses=TaskOutput, summary="Change a task")
    def patch(self, request: Request, pk: int) -> Response:
        task = one(_tasks(request), pk)
        refuse_change(self, request, task)
        data = validated(TaskUpdateInput, request.data, partial=True)
        with model_validation_as_400():
            services.task_update(
                actor=request.user,
                task=task,
                **_task_values(request, task.programme, data),
            )
        return Response(TaskOutput(one(_tasks(request), pk)).data)

    @extend_schema(responses={204: None}, summary="Delete a task and its dependencies")
    def delete(self, request: Request, pk: int) -> Response:
        task = one(_tasks(request), pk)
        refuse_change(self, request, task)
        services.task_delete(actor=request.user, task=task)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- dependencies --------------------------------------------------------------------------


class LinkOutput(serializers.Serializer[PlanLink]):
    id = serializers.IntegerField()
    programme = serializers.IntegerField(source="programme_id")
    predecessor = serializers.IntegerField(source="predecessor_id")
    successor = serializers.IntegerField(source="successor_id")
    type = serializers.ChoiceField(choices=LinkType.choices)
    lag = serializers.IntegerField()


class LinkUpdateInput(serializers.Serializer[Any]):
    predecessor = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    successor = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    type = serializers.ChoiceField(choices=LinkType.choices, required=False)
    lag = serializers.IntegerField(min_value=-5000, max_value=5000, required=False)


class LinkInput(LinkUpdateInput):
    programme = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    predecessor = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    successor = serializers.IntegerField(min_value=1, max_value=MAX_ID)


def _link_values(programme: Programme, data: dict[str, Any]) -> dict[str, Any]:
    values = dict(data)
    for field in ("predecessor", "successor"):
        if field in values:
            task = PlanTask.objects.filter(programme=programme, pk=values[field]).first()
            if task is None:
                raise RuleViolation({field: [_("No task of this programme has this id.")]})
            values[field] = task
    return values


def _links(request: Request) -> QuerySet[PlanLink]:
    return selectors.link_list(user=request.user)


class LinkListApi(ListAPIView[PlanLink]):
    serializer_class = LinkOutput

    def get_queryset(self) -> Any:
        return filtered(_links(self.request), self.request).order_by("programme_id", "pk")

    @extend_schema(parameters=[ProgrammeFilter], summary="Dependencies between tasks")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=LinkInput, responses={201: LinkOutput}, summary="Add a dependency")
    def post(self, request: Request) -> Response:
        data = validated(LinkInput, request.data)
        programme = writable_programme(request, data.pop("programme"))
        with model_validation_as_400():
            link = services.link_create(
                actor=request.user, programme=programme, **_link_values(programme, data)
            )
        return Response(LinkOutput(link).data, status=status.HTTP_201_CREATED)


class LinkDetailApi(APIView):
    @extend_schema(responses=LinkOutput, summary="One dependency")
    def get(self, request: Request, pk: int) -> Response:
        return Response(LinkOutput(one(_links(request), pk)).data)

    @extend_schema(request=LinkUpdateInput, responses=LinkOutput, summary="Change a dependency")
    def patch(self, request: Request, pk: int) -> Response:
        link = one(_links(request), pk)
        refuse_change(self, request, link)
        data = validated(LinkUpdateInput, request.data, partial=True)
        with model_validation_as_400():
            services.link_update(
                actor=request.user, link=link, **_link_values(link.programme, data)
            )
        return Response(LinkOutput(one(_links(request), pk)).data)

    @extend_schema(responses={204: None}, summary="Delete a dependency")
    def delete(self, request: Request, pk: int) -> Response:
        link = one(_links(request), pk)
        refuse_change(self, request, link)
        services.link_delete(actor=request.user, link=link)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- baselines and the schedule ------------------------------------------------------------


class BaselineOutput(serializers.Serializer[Baseline]):
    id = serializers.IntegerField()
    programme = serializers.IntegerField(source="programme_id")
    name = serializers.CharField()
    adopted_on = serializers.DateField()
    created_at = serializers.DateTimeField()
    finish = serializers.DateField()
    tasks = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text="Per task code its name, start and finish as saved.",
    )


class BaselineInput(serializers.Serializer[Any]):
    programme = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    name = serializers.CharField(max_length=150)
    adopted_on = serializers.DateField()


def _baselines(request: Request) -> QuerySet[Baseline]:
    return selectors.baseline_list(user=request.user)


class BaselineListApi(ListAPIView[Baseline]):
    serializer_class = BaselineOutput

    def get_queryset(self) -> Any:
        return filtered(_baselines(self.request), self.request).order_by("programme_id", "-pk")

    @extend_schema(parameters=[ProgrammeFilter], summary="Saved baselines")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=BaselineInput,
        responses={201: BaselineOutput},
        summary="Save the plan as scheduled now as a baseline",
    )
    def post(self, request: Request) -> Response:
        data = validated(BaselineInput, request.data)
        programme = writable_programme(request, data.pop("programme"))
        with model_validation_as_400():
            baseline = services.baseline_save(
                actor=request.user, programme=programme, today=timezone.localdate(), **data
            )
        return Response(BaselineOutput(baseline).data, status=status.HTTP_201_CREATED)


class BaselineDetailApi(APIView):
    @extend_schema(responses=BaselineOutput, summary="One baseline")
    def get(self, request: Request, pk: int) -> Response:
        return Response(BaselineOutput(one(_baselines(request), pk)).data)

    @extend_schema(responses={204: None}, summary="Delete a baseline")
    def delete(self, request: Request, pk: int) -> Response:
        baseline = one(_baselines(request), pk)
        refuse_change(self, request, baseline)
        services.baseline_delete(actor=request.user, baseline=baseline)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ScheduledTaskOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="task.pk")
    code = serializers.CharField(source="task.code")
    name = serializers.CharField(source="task.name")
    track = serializers.ChoiceField(choices=Track.choices, source="task.track.kind")
    start = serializers.DateField()
    finish = serializers.DateField()
    late_start = serializers.DateField()
    late_finish = serializers.DateField()
    total_float = serializers.IntegerField(help_text="Working (or calendar) days.")
    free_float = serializers.IntegerField()
    critical = serializers.BooleanField()
    baseline_finish = serializers.DateField(allow_null=True)
    slip = serializers.IntegerField(
        allow_null=True, help_text="Calendar days the finish moved against the baseline."
    )
    late = serializers.BooleanField(help_text="Should have started or finished by today.")


class ScheduleOutput(serializers.Serializer[Any]):
    programme = serializers.IntegerField(source="programme.pk")
    start = serializers.DateField()
    finish = serializers.DateField(allow_null=True)
    target_date = serializers.DateField(allow_null=True)
    target_float = serializers.IntegerField(
        allow_null=True, help_text="Days to spare against the target date (negative: missed)."
    )
    critical_paths = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Task codes of each critical path.",
    )
    baseline = serializers.IntegerField(source="baseline.pk", allow_null=True)
    tasks = ScheduledTaskOutput(many=True, source="rows")


class ScheduleApi(APIView):
    @extend_schema(
        responses=ScheduleOutput,
        summary="The programme's plan scheduled by the critical path method",
    )
    def get(self, request: Request, pk: int) -> Response:
        programme = one(selectors.programme_list(user=request.user), pk)
        view = selectors.plan_view(programme=programme, today=timezone.localdate())
        if view.error:
            raise RuleViolation([view.error])
        return Response(ScheduleOutput(view).data)
