"""Communication and participation (issue 15): the stakeholders of the programme, a plan per
track and one overarching, and the moments (information evenings, letters, council letters,
press releases) tied to the site, complex, milestone or decision they are about.

Stakeholders are groups and organisations, never private persons: a contact *role*, no names,
addresses or telephone numbers of residents (this is not a CRM)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onderdak.apps.accounts.models import OrganisationScoped
from onderdak.apps.programme.models import PLAN_DATE, Track
from onderdak.common.geometry import validate_geometry

__all__ = [  # Track too: this app's forms and views name the programme's tracks through it
    "CommunicationPlan",
    "FollowUp",
    "LogEntry",
    "Moment",
    "MomentAudience",
    "MomentKind",
    "MomentStatus",
    "ParticipationLevel",
    "PlanAudience",
    "PlanStatus",
    "Sentiment",
    "Stakeholder",
    "StakeholderComplex",
    "StakeholderKind",
    "StakeholderSite",
    "Track",
    "validate_tracks",
]


class StakeholderKind(models.TextChoices):
    RESIDENTS = "residents", _("Residents near a site")
    NEIGHBOURHOOD_COUNCIL = "neighbourhood_council", _("Neighbourhood council")
    SCHOOL = "school", _("School")
    HOUSING_CORPORATION = "housing_corporation", _("Housing corporation")
    COA = "coa", _("COA")
    SAFETY_REGION = "safety_region", _("Safety region")
    PARTNER_MUNICIPALITY = "partner_municipality", _("Partner municipality")
    COUNCIL = "council", _("Municipal council")
    PRESS = "press", _("Press")
    FLEX_RESIDENTS = "flex_residents", _("People living in the flex homes")
    ENTREPRENEURS = "entrepreneurs", _("Local businesses")
    OTHER = "other", _("Other")


def validate_tracks(value: Any) -> None:
    """A list of known track codes (may be empty)."""
    if (
        not isinstance(value, list)
        or any(item not in Track.values for item in value)
        or len(set(value)) != len(value)
    ):
        raise ValidationError(_("Choose tracks from the list, each once."))


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class Quadrant(models.TextChoices):
    """The approach a place on the power-interest grid asks for."""

    MANAGE = "manage", _("Manage closely")
    SATISFY = "satisfy", _("Keep satisfied")
    INFORM = "inform", _("Keep informed")
    MONITOR = "monitor", _("Monitor")


class Stakeholder(OrganisationScoped):
    """A group or organisation with a stake in the programme, placed on the power-interest
    grid by its influence and interest (1 low .. 5 high)."""

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=30, choices=StakeholderKind.choices)
    interest = models.PositiveSmallIntegerField(
        _("interest"), default=3, validators=SCORE, help_text=_("1 (low) to 5 (high).")
    )
    influence = models.PositiveSmallIntegerField(
        _("influence"), default=3, validators=SCORE, help_text=_("1 (low) to 5 (high).")
    )
    contact_role = models.CharField(
        _("contact role"),
        max_length=150,
        blank=True,
        help_text=_(
            "A role, for example the chair of the neighbourhood council; no names or contact "
            "details of residents."
        ),
    )
    tracks: models.JSONField[Any] = models.JSONField(
        _("tracks"), default=list, blank=True, validators=[validate_tracks]
    )
    # explicit through models: their rows keep their ids in a backup and restore
    sites = models.ManyToManyField(
        "sites.Site",
        blank=True,
        related_name="+",
        through="StakeholderSite",
        verbose_name=_("sites"),
    )
    complexes = models.ManyToManyField(
        "housing.Complex",
        blank=True,
        related_name="+",
        through="StakeholderComplex",
        verbose_name=_("complexes"),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="communication_stakeholder_unique_name",
                violation_error_message=_(
                    "The organisation already has a stakeholder of this name."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def quadrant_label(self) -> str:
        return str(Quadrant(self.quadrant).label)

    @property
    def quadrant(self) -> str:
        """The power-interest quadrant: manage closely, keep satisfied, keep informed, monitor."""
        high_power, high_interest = self.influence >= 3, self.interest >= 3
        if high_power and high_interest:
            return "manage"
        if high_power:
            return "satisfy"
        if high_interest:
            return "inform"
        return "monitor"


class StakeholderSite(models.Model):
    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["stakeholder", "site"], name="communication_stakeholder_site_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder_id} - {self.site_id}"


class StakeholderComplex(models.Model):
    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="+")
    complex = models.ForeignKey("housing.Complex", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["stakeholder", "complex"], name="communication_stakeholder_complex_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder_id} - {self.complex_id}"


class Neighbourhood(OrganisationScoped):
    """A neighbourhood of the municipality (a CBS buurt, or the municipality's own division)
    with its outline or centre: the neighbourhoods near a site suggest its stakeholders."""

    name = models.CharField(_("name"), max_length=150)
    code = models.CharField(
        _("code"), max_length=20, blank=True, help_text=_("The CBS code, such as BU03840101.")
    )
    geometry: models.JSONField[Any] = models.JSONField(
        _("geometry"), help_text=_("GeoJSON Point, Polygon or MultiPolygon in WGS84.")
    )

    class Meta:
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="communication_neighbourhood_unique_name",
                violation_error_message=_(
                    "The organisation already has a neighbourhood of this name."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        validate_geometry(self.geometry)


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class CommunicationPlan(OrganisationScoped):
    """The communication and participation plan of one track, or the overarching plan."""

    track = models.CharField(_("track"), max_length=20, choices=Track.choices)
    goals = models.TextField(_("goals"), blank=True)
    key_messages = models.TextField(_("key messages"), blank=True)
    owner = models.CharField(_("owner"), max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )

    class Meta:
        verbose_name = _("communication plan")
        verbose_name_plural = _("communication plans")
        ordering = ["organisation", "track"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "track"],
                name="communication_plan_one_per_track",
                violation_error_message=_("This track already has a communication plan."),
            )
        ]

    def __str__(self) -> str:
        return str(self.get_track_display())


class ParticipationLevel(models.TextChoices):
    """The participation ladder."""

    INFORM = "inform", _("Inform")
    CONSULT = "consult", _("Consult")
    ADVISE = "advise", _("Advise")
    COPRODUCE = "coproduce", _("Co-produce")
    DECIDE = "decide", _("Decide")


class PlanAudience(models.Model):
    """The participation level a plan gives one stakeholder."""

    plan = models.ForeignKey(
        CommunicationPlan,
        on_delete=models.CASCADE,
        related_name="audiences",
        verbose_name=_("plan"),
    )
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="+", verbose_name=_("stakeholder")
    )
    level = models.CharField(
        _("participation level"), max_length=20, choices=ParticipationLevel.choices
    )

    class Meta:
        verbose_name = _("participation level")
        verbose_name_plural = _("participation levels")
        ordering = ["plan", "stakeholder__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "stakeholder"],
                name="communication_audience_once",
                violation_error_message=_("This stakeholder already has a level in the plan."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder}: {self.get_level_display()}"

    @property
    def organisation(self) -> Any:
        return self.plan.organisation

    @property
    def audit_organisation(self) -> Any:
        return self.plan.organisation


class MomentKind(models.TextChoices):
    INFORMATION_EVENING = "information_evening", _("Information evening")
    RESIDENTS_LETTER = "residents_letter", _("Letter to residents")
    COUNCIL_LETTER = "council_letter", _("Council information letter")
    PRESS_RELEASE = "press_release", _("Press release")
    SOCIAL_MEDIA = "social_media", _("Social media")
    CONSULTATION = "consultation", _("Consultation")
    MEETING = "meeting", _("Meeting")
    OTHER = "other", _("Other")


class MomentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Moment(OrganisationScoped):
    """A communication or participation moment. Tied to a milestone of the plan, its date is
    the milestone's date plus ``days_from_milestone`` (calendar days, negative: before), and
    it moves when the milestone moves; ``date`` then keeps the date it had when it was last
    saved, so the page can say that and by how much it moved."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=MomentKind.choices)
    date = models.DateField(_("date"), validators=PLAN_DATE)
    channel = models.CharField(_("channel"), max_length=150, blank=True)
    message = models.TextField(_("message"), blank=True)
    owner = models.CharField(_("owner"), max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MomentStatus.choices, default=MomentStatus.PLANNED
    )
    track = models.CharField(
        _("track"), max_length=20, choices=Track.choices, default=Track.OVERALL
    )
    audience = models.ManyToManyField(
        Stakeholder,
        blank=True,
        related_name="moments",
        through="MomentAudience",
        verbose_name=_("audience"),
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
    milestone = models.ForeignKey(
        "programme.PlanTask",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("milestone"),
    )
    days_from_milestone = models.IntegerField(
        _("days from the milestone"),
        default=0,
        validators=[MinValueValidator(-365), MaxValueValidator(365)],
        help_text=_("Calendar days after the milestone (negative: before it)."),
    )
    decision = models.ForeignKey(
        "programme.Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision"),
    )

    class Meta:
        verbose_name = _("moment")
        verbose_name_plural = _("moments")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return self.title


class MomentAudience(models.Model):
    moment = models.ForeignKey(Moment, on_delete=models.CASCADE, related_name="+")
    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["moment", "stakeholder"], name="communication_audience_member_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.moment_id} - {self.stakeholder_id}"


class Sentiment(models.TextChoices):
    POSITIVE = "positive", _("Mostly positive")
    MIXED = "mixed", _("Mixed")
    CONCERNED = "concerned", _("Concerned")
    NEGATIVE = "negative", _("Mostly negative")


class LogEntry(models.Model):
    """What was heard at a moment, and what is done with it ("you said, we did")."""

    moment = models.ForeignKey(
        Moment, on_delete=models.CASCADE, related_name="log_entries", verbose_name=_("moment")
    )
    summary = models.TextField(_("what was heard"))
    participants = models.PositiveIntegerField(
        _("participants"), null=True, blank=True, validators=[MaxValueValidator(100000)]
    )
    themes = models.CharField(
        _("themes"), max_length=300, blank=True, help_text=_("For example: safety, parking.")
    )
    sentiment = models.CharField(_("sentiment"), max_length=20, choices=Sentiment.choices)
    response = models.TextField(
        _("what we do with it"), blank=True, help_text=_("The feedback: you said, we did.")
    )

    class Meta:
        verbose_name = _("participation log entry")
        verbose_name_plural = _("participation log entries")
        ordering = ["moment", "pk"]

    def __str__(self) -> str:
        return f"{self.moment}: {self.get_sentiment_display()}"

    @property
    def organisation(self) -> Any:
        return self.moment.organisation

    @property
    def audit_organisation(self) -> Any:
        return self.moment.organisation


class FollowUp(models.Model):
    """An action that follows from what was heard, with its owner and due date."""

    entry = models.ForeignKey(
        LogEntry, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("log entry")
    )
    action = models.CharField(_("action"), max_length=300)
    owner = models.CharField(_("owner"), max_length=150)
    due = models.DateField(_("due"), validators=PLAN_DATE)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.action

    @property
    def organisation(self) -> Any:
        return self.entry.moment.organisation

    @property
    def audit_organisation(self) -> Any:
        return self.entry.moment.organisation
