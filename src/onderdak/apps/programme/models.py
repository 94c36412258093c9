"""The programme: its decision log (which body decided what, for which track, when) and its
plan (tracks, tasks and milestones, dependencies, baselines, risk runs and readiness checks)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onderdak.apps.accounts.models import OrganisationScoped
from onderdak.common.vocabulary import TargetGroup, validate_target_groups

#: The years a plan's dates may fall in: the calendar computes working days between them (a
#: date like 31-12-9999 would overflow it and no reception programme plans that far).
PLAN_YEARS = (2000, 2099)


def validate_plan_date(value: date) -> None:
    if not PLAN_YEARS[0] <= value.year <= PLAN_YEARS[1]:
        raise ValidationError(
            _("Choose a date between %(first)s and %(last)s."),
            code="plan_date",
            params={"first": PLAN_YEARS[0], "last": PLAN_YEARS[1]},
        )


PLAN_DATE = [validate_plan_date]


class Track(models.TextChoices):
    """The three tracks (sporen) of the programme, after the Diemen letter of 4 April 2023."""

    OVERALL = "overall", _("Overall programme")
    CARE = "care", _("Track 1: care and support")
    FLEX_HOMES = "flex_homes", _("Track 2: flex homes for displaced persons")
    TEMPORARY_HOUSING = "temporary_housing", _("Track 3: structural temporary housing need")


class DecisionBody(models.TextChoices):
    COUNCIL = "council", _("Municipal council")
    COLLEGE = "college", _("Executive board (college)")
    MAYOR = "mayor", _("Mayor")
    ALDERMAN = "alderman", _("Alderman")
    REGION = "region", _("Regional body")
    OTHER = "other", _("Other")


class Decision(OrganisationScoped):
    decided_on = models.DateField(_("decided on"))
    body = models.CharField(_("decided by"), max_length=20, choices=DecisionBody.choices)
    track = models.CharField(
        _("track"), max_length=20, choices=Track.choices, default=Track.OVERALL
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    reference = models.CharField(
        _("reference"),
        max_length=300,
        blank=True,
        help_text=_("Document number or web address of the decision."),
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_on", "title"]
        indexes = [
            models.Index(fields=["organisation", "decided_on"], name="programme_decision_org_date")
        ]

    def __str__(self) -> str:
        return f"{self.decided_on:%d-%m-%Y} {self.title}"


# --- the programme plan (issue 14) ------------------------------------------------------------


class CalendarKind(models.TextChoices):
    WORKING_DAYS = "working_days", _("Working days (Monday to Friday, Dutch public holidays)")
    CALENDAR_DAYS = "calendar_days", _("Calendar days")


class TrackStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    DELAYED = "delayed", _("Delayed")
    COMPLETED = "completed", _("Completed")


class LinkType(models.TextChoices):
    """The four dependency types; the codes are the engine's (``engines.planning.LinkType``)."""

    FS = "FS", _("Finish-to-start")
    SS = "SS", _("Start-to-start")
    FF = "FF", _("Finish-to-finish")
    SF = "SF", _("Start-to-finish")


class Programme(OrganisationScoped):
    """An organisation's programme: the project alderman over the whole, the start of the plan
    (day offset 0), the target date (for Diemen: ready before the summer recess 2023) and the
    calendar every duration of the plan counts in."""

    name = models.CharField(_("name"), max_length=200)
    project_alderman = models.CharField(_("project alderman"), max_length=150, blank=True)
    start_date = models.DateField(_("start of the plan"), validators=PLAN_DATE)
    target_date = models.DateField(_("target date"), null=True, blank=True, validators=PLAN_DATE)
    target_label = models.CharField(
        _("target"),
        max_length=150,
        blank=True,
        help_text=_("What the target date stands for, for example: before the summer recess."),
    )
    calendar = models.CharField(
        _("durations in"),
        max_length=20,
        choices=CalendarKind.choices,
        default=CalendarKind.WORKING_DAYS,
    )

    calendar_token = models.CharField(
        _("calendar link key"),
        max_length=64,
        blank=True,
        default="",
        db_index=True,
        help_text=_("The secret part of the milestone calendar's address; empty: no link."),
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="programme_one_per_organisation")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.target_date and self.start_date and self.target_date < self.start_date:
            raise ValidationError(
                {"target_date": _("The target date cannot be before the start of the plan.")}
            )


class ProgrammeTrack(models.Model):
    """One track of a programme with its goal, the portfolio alderman responsible for it, the
    civil-servant lead and its status. ``kind`` is the track code every other record (decision,
    budget line) uses."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="tracks", verbose_name=_("programme")
    )
    kind = models.CharField(_("track"), max_length=20, choices=Track.choices)
    goal = models.TextField(_("goal"), blank=True)
    alderman = models.CharField(_("portfolio alderman"), max_length=150, blank=True)
    lead = models.CharField(_("lead (civil servant)"), max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TrackStatus.choices, default=TrackStatus.NOT_STARTED
    )

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        ordering = ["programme", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind"], name="programme_track_unique")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def organisation(self) -> Any:
        return self.programme.organisation

    @property
    def audit_organisation(self) -> Any:
        return self.programme.organisation


class PlanTask(models.Model):
    """A task or milestone (duration 0) of a track's plan.

    ``duration`` counts in the programme's calendar; ``optimistic`` / ``most_likely`` /
    ``pessimistic`` is the optional three-point estimate of the schedule risk analysis. An
    actual start fixes the start, an actual finish the duration. ``site`` and ``complex`` with
    ``units`` are the records the task produces (a site reaching the shortlist, a complex
    delivered with N units): the directive readiness check counts those units."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("programme")
    )
    track = models.ForeignKey(
        ProgrammeTrack, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("track")
    )
    code = models.CharField(
        _("code"),
        max_length=20,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
                _("A code has letters, digits, dots, hyphens and underscores only."),
            )
        ],
        help_text=_("Short and unique in the programme, for example 2.3."),
    )
    name = models.CharField(_("name"), max_length=200)
    duration = models.PositiveIntegerField(
        _("duration (days)"),
        help_text=_("0 for a milestone."),
        validators=[MaxValueValidator(5000)],
    )
    optimistic = models.PositiveIntegerField(_("optimistic"), null=True, blank=True)
    most_likely = models.PositiveIntegerField(_("most likely"), null=True, blank=True)
    pessimistic = models.PositiveIntegerField(
        _("pessimistic"), null=True, blank=True, validators=[MaxValueValidator(5000)]
    )
    owner = models.CharField(_("owner"), max_length=150, blank=True)
    percent_complete = models.PositiveSmallIntegerField(
        _("% complete"), default=0, validators=[MaxValueValidator(100)]
    )
    actual_start = models.DateField(_("actual start"), null=True, blank=True, validators=PLAN_DATE)
    actual_finish = models.DateField(
        _("actual finish"), null=True, blank=True, validators=PLAN_DATE
    )
    start_no_earlier_than = models.DateField(
        _("start no earlier than"), null=True, blank=True, validators=PLAN_DATE
    )
    finish_no_later_than = models.DateField(
        _("finish no later than"), null=True, blank=True, validators=PLAN_DATE
    )
    site = models.ForeignKey(
        "sites.Site",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
    )
    complex = models.ForeignKey(
        "housing.Complex",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("complex"),
    )
    units = models.PositiveIntegerField(
        _("places delivered"),
        null=True,
        blank=True,
        help_text=_("For a delivery milestone: the number of places ready when it is reached."),
    )
    target_groups: models.JSONField[Any] = models.JSONField(
        _("places for target groups"), default=list, blank=True, help_text=_("Empty: every group.")
    )
    notes = models.TextField(_("notes"), blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["programme", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"],
                name="programme_task_code_unique",
                violation_error_message=_("Another task of this programme already has this code."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_milestone(self) -> bool:
        return self.duration == 0

    @property
    def has_estimate(self) -> bool:
        return self.optimistic is not None

    @property
    def organisation(self) -> Any:
        return self.programme.organisation

    @property
    def audit_organisation(self) -> Any:
        return self.programme.organisation

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.track_id and self.programme_id and self.track.programme_id != self.programme_id:
            errors["track"] = _("The track belongs to another programme.")
        estimate = (self.optimistic, self.most_likely, self.pessimistic)
        given = [value is not None for value in estimate]
        if any(given) and not all(given):
            errors["optimistic"] = _(
                "Give all three of optimistic, most likely and pessimistic, or none."
            )
        elif all(given) and not (
            self.optimistic <= self.most_likely <= self.pessimistic  # type: ignore[operator]
        ):
            errors["optimistic"] = _("Optimistic <= most likely <= pessimistic, please.")
        if self.actual_finish and not self.actual_start and self.duration:
            errors["actual_start"] = _("A task with an actual finish needs its actual start.")
        if self.actual_start and self.actual_finish and self.actual_finish < self.actual_start:
            errors["actual_finish"] = _("The actual finish cannot be before the actual start.")
        if self.units is not None and not self.units:
            errors["units"] = _("Leave empty, or give at least one place.")
        if self.target_groups:
            try:
                validate_target_groups(self.target_groups)
            except ValidationError as error:
                errors["target_groups"] = error.messages
        organisation_id = self.programme.organisation_id if self.programme_id else None
        if self.complex is not None and self.complex.organisation_id != organisation_id:
            errors["complex"] = _("The complex belongs to another organisation.")
        if self.site is not None and self.site.organisation_id != organisation_id:
            errors["site"] = _("The site belongs to another organisation.")
        if errors:
            raise ValidationError(errors)


class PlanLink(models.Model):
    """A dependency between two tasks of a programme, within a track or across tracks, with a
    lag in days (negative: a lead)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="links", verbose_name=_("programme")
    )
    predecessor = models.ForeignKey(
        PlanTask, on_delete=models.CASCADE, related_name="outgoing", verbose_name=_("predecessor")
    )
    successor = models.ForeignKey(
        PlanTask, on_delete=models.CASCADE, related_name="incoming", verbose_name=_("successor")
    )
    type = models.CharField(_("type"), max_length=2, choices=LinkType.choices, default="FS")
    lag = models.IntegerField(
        _("lag (days)"),
        default=0,
        validators=[MinValueValidator(-5000), MaxValueValidator(5000)],
        help_text=_("Negative: the successor may overlap (a lead)."),
    )

    class Meta:
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        ordering = ["programme", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="programme_link_unique",
                violation_error_message=_("These two tasks already have a dependency."),
            ),
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("successor")),
                name="programme_link_not_to_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor.code} -> {self.successor.code} ({self.type} {self.lag:+d})"

    @property
    def organisation(self) -> Any:
        return self.programme.organisation

    @property
    def audit_organisation(self) -> Any:
        return self.programme.organisation

    def clean(self) -> None:
        if self.predecessor_id and self.predecessor_id == self.successor_id:
            raise ValidationError({"successor": _("A task cannot depend on itself.")})
        for name in ("predecessor", "successor"):
            task = getattr(self, name) if getattr(self, f"{name}_id") else None
            if task is not None and self.programme_id and task.programme_id != self.programme_id:
                raise ValidationError({name: _("The task belongs to another programme.")})


class Baseline(models.Model):
    """The plan as adopted: every task's planned start and finish dates on that day, frozen.
    ``tasks`` maps a task code to ``{"name", "start", "finish"}`` (ISO dates)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="baselines", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=150)
    adopted_on = models.DateField(_("adopted on"), validators=PLAN_DATE)
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    finish = models.DateField(_("planned finish"))
    tasks: models.JSONField[Any] = models.JSONField(_("tasks"), default=dict)

    class Meta:
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        ordering = ["programme", "-adopted_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.adopted_on:%d-%m-%Y})"

    @property
    def organisation(self) -> Any:
        return self.programme.organisation

    @property
    def audit_organisation(self) -> Any:
        return self.programme.organisation


class RiskRun(models.Model):
    """One schedule risk analysis, stored with its inputs (the plan as simulated) and result
    (finish percentiles as dates, probability of meeting the target, criticality per task)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="risk_runs", verbose_name=_("programme")
    )
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("run by"),
    )
    runs = models.PositiveIntegerField(
        _("runs"), default=10000, validators=[MinValueValidator(100), MaxValueValidator(100000)]
    )
    seed = models.PositiveIntegerField(_("seed"), default=1)
    distribution = models.CharField(
        _("distribution"),
        max_length=20,
        choices=[("triangular", _("Triangular")), ("pert", _("PERT (beta)"))],
        default="triangular",
    )
    target_date = models.DateField(_("target date"), null=True, blank=True, validators=PLAN_DATE)
    inputs: models.JSONField[Any] = models.JSONField(_("inputs"), default=dict)
    result: models.JSONField[Any] = models.JSONField(_("result"), default=dict)

    class Meta:
        verbose_name = _("risk run")
        verbose_name_plural = _("risk runs")
        ordering = ["programme", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.programme} {self.created_at:%d-%m-%Y %H:%M}"

    @property
    def organisation(self) -> Any:
        return self.programme.organisation

    @property
    def audit_organisation(self) -> Any:
        return self.programme.organisation


class ReadinessCheck(models.Model):
    """ "A directive for N additional places for target group G by date D": the places expected
    by D from the pipeline with their probability, the gap and the tasks to accelerate, stored
    with the inputs it was computed from so a college letter can cite it."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="readiness_checks",
        verbose_name=_("programme"),
    )
    created_at = models.DateTimeField(_("checked at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    places = models.PositiveIntegerField(
        _("additional places"), validators=[MinValueValidator(1), MaxValueValidator(100000)]
    )
    target_group = models.CharField(_("target group"), max_length=30, choices=TargetGroup.choices)
    by_date = models.DateField(_("by date"), validators=PLAN_DATE)
    runs = models.PositiveIntegerField(
        _("runs"), default=10000, validators=[MinValueValidator(100), MaxValueValidator(100000)]
    )
    seed = models.PositiveIntegerField(_("seed"), default=1)
    inputs: models.JSONField[Any] = models.JSONField(_("inputs"), default=dict)
    result: models.JSONField[Any] = models.JSONField(_("result"), default=dict)

    class Meta:
        verbose_name = _("readiness check")
        verbose_name_plural = _("readiness checks")
        ordering = ["programme", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.places} {self.get_target_group_display()} {self.by_date:%d-%m-%Y}"

    @property
    def organisation(self) -> Any:
        return self.programme.organisation

    @property
    def audit_organisation(self) -> Any:
        return self.programme.organisation
