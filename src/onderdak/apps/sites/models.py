"""Sites for temporary housing: from longlist to shortlist (track 3 of the letter).

A *site* is a plot or building with its geometry (GeoJSON, WGS84), facts, hard-criteria flags
and a stage with history. *Amenities* (schools, GPs, supermarkets, public-transport stops) give
the distance criteria. *Criteria* and named *weight sets* are data per organisation.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onderdak.apps.accounts.models import OrganisationScoped
from onderdak.common.geometry import validate_geometry
from onderdak.common.models import user_reference


class Stage(models.TextChoices):
    LONGLIST = "longlist", _("Longlist")
    SHORTLIST = "shortlist", _("Shortlist")
    FEASIBILITY = "feasibility", _("Feasibility study")
    DECISION = "decision", _("Decision")
    REALISATION = "realisation", _("Realisation")
    IN_USE = "in_use", _("In use")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")


class Owner(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    HOUSING_CORPORATION = "housing_corporation", _("Housing corporation")
    OTHER_GOVERNMENT = "other_government", _("Other government")
    PRIVATE = "private", _("Private")


class Site(OrganisationScoped):
    name = models.CharField(_("name"), max_length=150)
    geometry: models.JSONField[Any] = models.JSONField(
        _("geometry"), help_text=_("GeoJSON Point or Polygon in WGS84 (longitude, latitude).")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    bag_id = models.CharField(_("BAG identifier"), max_length=16, blank=True)
    owner = models.CharField(
        _("owner"), max_length=30, choices=Owner.choices, default=Owner.MUNICIPALITY
    )
    plot_area_m2 = models.PositiveIntegerField(_("plot area (m²)"), null=True, blank=True)
    floor_area_m2 = models.PositiveIntegerField(_("gross floor area (m²)"), null=True, blank=True)
    current_use = models.CharField(_("current use"), max_length=150, blank=True)
    zoning = models.CharField(_("zoning"), max_length=150, blank=True)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    capacity_units = models.PositiveIntegerField(_("capacity (units)"), null=True, blank=True)
    capacity_places = models.PositiveIntegerField(_("capacity (places)"), null=True, blank=True)
    target_groups: models.JSONField[Any] = models.JSONField(
        _("suits target groups"), default=list, blank=True
    )
    cost_one_off = models.DecimalField(
        _("one-off cost (euro)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    cost_yearly = models.DecimalField(
        _("yearly cost (euro)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    neighbourhood = models.CharField(_("neighbourhood"), max_length=100, blank=True)
    local_support = models.PositiveSmallIntegerField(
        _("local support (1-5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    participation_notes = models.TextField(_("participation and local support"), blank=True)
    flood_risk = models.BooleanField(_("in a flood risk zone"), default=False)
    noise_contour = models.BooleanField(_("inside a noise contour"), default=False)
    natura2000 = models.BooleanField(_("in or next to Natura 2000"), default=False)
    zoning_conflict = models.BooleanField(_("conflicts with zoning"), default=False)
    soil_contamination = models.BooleanField(_("soil contamination"), default=False)
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.LONGLIST
    )

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="sites_site_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.available_from
            and self.available_until
            and self.available_until < self.available_from
        ):
            raise ValidationError(
                {
                    "available_until": _(
                        "The site must be available until after it is available from."
                    )
                }
            )
        validate_geometry(self.geometry)


class StageChange(models.Model):
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("site")
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    date = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)
    user = user_reference(_("by"))

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.site}: {self.from_stage} → {self.to_stage}"


class AmenityKind(models.TextChoices):
    PRIMARY_SCHOOL = "primary_school", _("Primary school")
    GP = "gp", _("GP practice")
    SUPERMARKET = "supermarket", _("Supermarket")
    PUBLIC_TRANSPORT = "public_transport", _("Public-transport stop")


class Amenity(OrganisationScoped):
    kind = models.CharField(_("kind"), max_length=30, choices=AmenityKind.choices)
    name = models.CharField(_("name"), max_length=150, blank=True)
    longitude = models.FloatField(_("longitude"))
    latitude = models.FloatField(_("latitude"))

    class Meta:
        verbose_name = _("amenity")
        verbose_name_plural = _("amenities")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}".strip()


class CriterionKind(models.TextChoices):
    HARD = "hard", _("Exclusion (hard criterion)")
    WEIGHTED = "weighted", _("Weighted criterion")


class Direction(models.TextChoices):
    BENEFIT = "benefit", _("More is better")
    COST = "cost", _("Less is better")


class Criterion(OrganisationScoped):
    """A criterion of the organisation; ``key`` names what Onderdak computes for it."""

    key = models.CharField(_("key"), max_length=40)
    label = models.CharField(_("label"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=CriterionKind.choices)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.BENEFIT
    )
    threshold = models.FloatField(
        _("threshold"),
        null=True,
        blank=True,
        help_text=_("For a minimum-size or minimum-years exclusion: the minimum."),
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["organisation", "kind", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], name="sites_criterion_unique_key"
            )
        ]

    def __str__(self) -> str:
        return self.label


class WeightSet(OrganisationScoped):
    """A named set of weights (for example council, residents, professionals)."""

    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("weight set")
        verbose_name_plural = _("weight sets")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="sites_weightset_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Weight(models.Model):
    weight_set = models.ForeignKey(
        WeightSet, on_delete=models.CASCADE, related_name="weights", verbose_name=_("weight set")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="weights", verbose_name=_("criterion")
    )
    weight = models.FloatField(_("weight"), validators=[MinValueValidator(0.0)])
    low = models.FloatField(
        _("lowest plausible weight"), null=True, blank=True, validators=[MinValueValidator(0.0)]
    )
    high = models.FloatField(
        _("highest plausible weight"), null=True, blank=True, validators=[MinValueValidator(0.0)]
    )

    class Meta:
        verbose_name = _("weight")
        verbose_name_plural = _("weights")
        ordering = ["weight_set", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["weight_set", "criterion"], name="sites_weight_unique")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.weight:g}"

    def clean(self) -> None:
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValidationError({"high": _("The highest weight must be at least the lowest.")})
