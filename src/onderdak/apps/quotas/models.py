"""Quotas (taakstellingen): rounds, the figure per municipality, and what has been realised.

A *round* is one national number for one target group and period (for status holders a
half-year, Huisvestingswet 2014 art. 28; for asylum reception the Spreidingswet round). A
status-holder round uses the statutory rule of art. 29(1) (method ``statutory``: vg x iG / iN
rounded up, populations of 1 January of the year before); the apportionment methods stay for
the Spreidingswet and what-if work. :class:`PopulationOverride` holds the population a province
fixed after a re-division (art. 30). The
figure per municipality is computed by the quota engine (``computed``) and/or imported from the
official table (``official``); where both exist the official figure counts and the difference is
shown. *Realisations* are dated entries of persons housed or places realised.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onderdak.apps.accounts.models import OrganisationScoped
from onderdak.common.models import user_reference
from onderdak.common.vocabulary import TargetGroup


class Unit(models.TextChoices):
    PERSONS = "persons", _("persons housed")
    PLACES = "places", _("places realised")


class Method(models.TextChoices):
    #: Huisvestingswet 2014 art. 29(1): the status-holder rule (rounded up, no fixed total)
    STATUTORY = "statutory", _("Huisvestingswet 2014 art. 29: rounded up per municipality")
    HAMILTON = "hamilton", _("Largest remainder (Hamilton)")
    DHONDT = "dhondt", _("D'Hondt (Jefferson)")
    SAINTE_LAGUE = "sainte-lague", _("Sainte-Laguë (Webster)")
    HUNTINGTON_HILL = "huntington-hill", _("Huntington-Hill")


class KeyKind(models.TextChoices):
    POPULATION = "population", _("Population")
    CORRECTED = "corrected", _("Population times a correction factor per municipality")


class Level(models.TextChoices):
    MUNICIPALITY = "municipality", _("Nationally, straight to municipalities")
    PROVINCE = "province", _("First to provinces, then within each province")


class QuotaRound(models.Model):
    target_group = models.CharField(_("target group"), max_length=30, choices=TargetGroup.choices)
    name = models.CharField(_("name"), max_length=150)
    period_start = models.DateField(_("start of period"))
    period_end = models.DateField(_("end of period"))
    unit = models.CharField(
        _("counted in"), max_length=10, choices=Unit.choices, default=Unit.PERSONS
    )
    national_total_initial = models.PositiveIntegerField(
        _("national number (initial)"),
        null=True,
        blank=True,
        help_text=_("Empty when only an official table per municipality is known."),
    )
    national_total_final = models.PositiveIntegerField(
        _("national number (final)"),
        null=True,
        blank=True,
        help_text=_("When the national number was changed during the period."),
    )
    key = models.CharField(
        _("distribution key"),
        max_length=20,
        choices=KeyKind.choices,
        default=KeyKind.POPULATION,
        help_text=_(
            "With a correction factor (for example the Spreidingswet's SES-WOA correction, whose "
            "formula is not published) import the factors per municipality in the column 'factor'."
        ),
    )
    method = models.CharField(
        _("method"), max_length=20, choices=Method.choices, default=Method.HAMILTON
    )
    level = models.CharField(
        _("route"), max_length=20, choices=Level.choices, default=Level.MUNICIPALITY
    )
    population_date = models.DateField(
        _("population reference date"),
        null=True,
        blank=True,
        help_text=_(
            "The population on this date is the key. For the rule of Huisvestingswet 2014 art. 29 "
            "it is 1 January of the year before, set when the round is computed; otherwise say which."
        ),
    )
    source_title = models.CharField(_("source"), max_length=300, blank=True)
    source_date = models.DateField(_("source date"), null=True, blank=True)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    created_by = user_reference(_("created by"))

    class Meta:
        verbose_name = _("quota round")
        verbose_name_plural = _("quota rounds")
        ordering = ["target_group", "period_start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")),
                name="quotas_round_period_order",
            ),
            models.UniqueConstraint(
                fields=["target_group", "period_start", "period_end", "name"],
                name="quotas_round_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end <= self.period_start:
            raise ValidationError({"period_end": _("The period must end after it starts.")})
        if self.method == Method.STATUTORY:
            if self.target_group != TargetGroup.STATUS_HOLDER:
                raise ValidationError(
                    {
                        "method": _(
                            "The rule of Huisvestingswet 2014 art. 29 is for status holders only."
                        )
                    }
                )
            if self.period_start and self.period_end and self.half_year is None:
                raise ValidationError(
                    {
                        "method": _(
                            "The rule of Huisvestingswet 2014 art. 29 needs a half-year "
                            "(1 January-30 June or 1 July-31 December)."
                        )
                    }
                )

    @property
    def national_total(self) -> int | None:
        """The number that counts: the final one when it was changed, else the initial one."""
        return (
            self.national_total_final
            if self.national_total_final is not None
            else self.national_total_initial
        )

    @property
    def half_year(self) -> tuple[int, int] | None:
        """(year, 1|2) when the period is exactly a half-year, else ``None``."""
        start, end = self.period_start, self.period_end
        if start == date(start.year, 1, 1) and end == date(start.year, 6, 30):
            return (start.year, 1)
        if start == date(start.year, 7, 1) and end == date(start.year, 12, 31):
            return (start.year, 2)
        return None


class MunicipalQuota(models.Model):
    """One municipality's figure in a round: computed by Onderdak and/or official."""

    round = models.ForeignKey(
        QuotaRound, on_delete=models.CASCADE, related_name="quotas", verbose_name=_("round")
    )
    municipality = models.ForeignKey(
        "geo.Municipality",
        on_delete=models.PROTECT,
        related_name="quotas",
        verbose_name=_("municipality"),
    )
    weight = models.FloatField(_("weight"), null=True, blank=True)
    exact = models.FloatField(_("exact quota"), null=True, blank=True)
    computed = models.PositiveIntegerField(_("computed by Onderdak"), null=True, blank=True)
    computed_initial = models.PositiveIntegerField(
        _("computed from the initial number"), null=True, blank=True
    )
    factor = models.FloatField(
        _("correction factor"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0)],
        help_text=_("Multiplies the population in a round with a corrected key."),
    )
    official = models.PositiveIntegerField(_("official figure"), null=True, blank=True)
    official_source = models.CharField(
        _("source of the official figure"), max_length=300, blank=True
    )
    opening_carry = models.IntegerField(
        _("backlog at the start (official)"),
        null=True,
        blank=True,
        help_text=_(
            "Backlog (positive) or surplus (negative) at the start of the period, as reported by the province."
        ),
    )

    class Meta:
        verbose_name = _("municipal quota")
        verbose_name_plural = _("municipal quotas")
        ordering = ["round", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "municipality"], name="quotas_municipal_quota_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.effective} ({self.round})"

    @property
    def effective(self) -> int | None:
        """The figure that counts: official where known, else computed."""
        return self.official if self.official is not None else self.computed

    @property
    def difference(self) -> int | None:
        """Official minus computed, when both exist."""
        if self.official is None or self.computed is None:
            return None
        return self.official - self.computed


class Realisation(OrganisationScoped):
    """Persons housed or places realised on a date, for one target group."""

    target_group = models.CharField(_("target group"), max_length=30, choices=TargetGroup.choices)
    date = models.DateField(_("date"))
    amount = models.PositiveIntegerField(_("number"), validators=[MinValueValidator(1)])
    unit = models.CharField(
        _("counted in"), max_length=10, choices=Unit.choices, default=Unit.PERSONS
    )
    reference = models.CharField(
        _("reference"),
        max_length=200,
        blank=True,
        help_text=_("For example a placement, a complex or a COA link number (no names)."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("realisation")
        verbose_name_plural = _("realisations")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(
                fields=["organisation", "target_group", "date"], name="quotas_realisation_lookup"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="quotas_realisation_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.amount} {self.get_target_group_display()}"


class Adjustment(models.Model):
    """A change of one municipality's obligation in a round, from an agreed regional exchange.

    Written only by ``quotas.services.adjustments_replace`` on behalf of the agreement (the
    regional app); positive = the municipality takes over places, negative = it hands them off.
    """

    round = models.ForeignKey(
        QuotaRound, on_delete=models.CASCADE, related_name="adjustments", verbose_name=_("round")
    )
    municipality = models.ForeignKey(
        "geo.Municipality",
        on_delete=models.PROTECT,
        related_name="quota_adjustments",
        verbose_name=_("municipality"),
    )
    places = models.IntegerField(_("places"))
    source = models.CharField(_("source"), max_length=50, help_text=_("For example agreement:12."))
    label = models.CharField(_("description"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("quota adjustment")
        verbose_name_plural = _("quota adjustments")
        ordering = ["round", "municipality__name"]
        indexes = [models.Index(fields=["source"], name="quotas_adjustment_source")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(places=0), name="quotas_adjustment_not_zero")
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.places:+d} ({self.label})"


class PopulationOverride(models.Model):
    """Huisvestingswet 2014 art. 30: after a municipal re-division the province (gedeputeerde
    staten) fixes the population of the new municipality for the taakstelling. Replaces the
    CBS figure of that municipality and reference date in statutory rounds; the national
    population (iN) stays the CBS figure."""

    municipality = models.ForeignKey(
        "geo.Municipality",
        on_delete=models.PROTECT,
        related_name="population_overrides",
        verbose_name=_("municipality"),
    )
    reference_date = models.DateField(
        _("population reference date"),
        help_text=_("1 January of the year before the half-year (Huisvestingswet 2014 art. 29)."),
    )
    population = models.PositiveIntegerField(_("population fixed by the province"))
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("The province's decision (art. 30 Huisvestingswet 2014), with its date."),
    )
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("population fixed by the province (art. 30)")
        verbose_name_plural = _("populations fixed by the province (art. 30)")
        ordering = ["reference_date", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "reference_date"],
                name="quotas_population_override_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.population} ({self.reference_date:%d-%m-%Y})"

    def clean(self) -> None:
        if self.reference_date and (self.reference_date.month, self.reference_date.day) != (1, 1):
            raise ValidationError({"reference_date": _("The reference date is a 1 January.")})
        if not (self.source or "").strip():
            raise ValidationError({"source": _("Give the province's decision as the source.")})
