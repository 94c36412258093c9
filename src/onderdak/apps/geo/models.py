"""Reference data: provinces, municipalities, their population and regional groupings (CBS)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    code = models.CharField(
        _("CBS code"), max_length=4, unique=True, help_text=_("For example PV27.")
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    code = models.CharField(
        _("CBS code"), max_length=6, unique=True, help_text=_("For example GM0384.")
    )
    name = models.CharField(_("name"), max_length=100)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("province"),
    )
    boundary: models.JSONField[Any] = models.JSONField(
        _("boundary"),
        null=True,
        blank=True,
        help_text=_("GeoJSON geometry in WGS84 (CBS / Kadaster, via PDOK)."),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^GM[0-9]{4}$"), name="geo_municipality_code_format"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PopulationCount(models.Model):
    """Registered population on a reference date (CBS, on the 2024 municipal division)."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="population_counts",
        verbose_name=_("municipality"),
    )
    reference_date = models.DateField(_("reference date"))
    population = models.PositiveIntegerField(_("population"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("population count")
        verbose_name_plural = _("population counts")
        ordering = ["municipality__name", "reference_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "reference_date"], name="geo_population_unique_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.reference_date}: {self.population}"


class RegionType(models.TextChoices):
    PROVINCE = "province", _("Province")
    SAFETY_REGION = "safety_region", _("Safety region")
    LABOUR_MARKET_REGION = "labour_market_region", _("Labour-market region")
    GGD_REGION = "ggd_region", _("GGD region")
    COROP = "corop", _("COROP area")
    YOUTH_CARE_REGION = "youth_care_region", _("Youth-care region")
    MRA = "mra", _("Amsterdam Metropolitan Area")
    USER_DEFINED = "user_defined", _("User-defined region")


class Region(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=150)
    region_type = models.CharField(_("region type"), max_length=30, choices=RegionType.choices)
    source = models.CharField(_("source"), max_length=300, blank=True)
    municipalities = models.ManyToManyField(
        Municipality,
        through="RegionMembership",
        related_name="regions",
        verbose_name=_("municipalities"),
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["region_type", "name"]

    def __str__(self) -> str:
        return self.name


class RegionMembership(models.Model):
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("region")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="region_memberships",
        verbose_name=_("municipality"),
    )
    inferred = models.BooleanField(
        _("inferred"),
        default=False,
        help_text=_("Membership inferred, not read verbatim from the source."),
    )

    class Meta:
        verbose_name = _("region membership")
        verbose_name_plural = _("region memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "municipality"], name="geo_region_membership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} in {self.region}"
