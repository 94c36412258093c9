"""Flex homes and placement (track 2 of the letter): complexes, units, households, placements.

Households are personal data of vulnerable people: only a pseudonymous code, composition by age
band, needs as yes/no, and one tie location as coordinates; no names, no birth dates, no
nationality. Every read is logged with its purpose (``audit.services.access_record``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from onderdak.apps.accounts.models import OrganisationScoped
from onderdak.common.models import user_reference
from onderdak.common.vocabulary import TargetGroup


class ComplexKind(models.TextChoices):
    FLEX_HOMES = "flex_homes", _("Flex-home complex")
    RECEPTION = "reception", _("Reception location")
    HOTEL = "hotel", _("Hotel")
    REGULAR = "regular", _("Contingent of regular homes")


class Complex(OrganisationScoped):
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ComplexKind.choices, default=ComplexKind.FLEX_HOMES
    )
    site = models.ForeignKey(
        "sites.Site",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complexes",
        verbose_name=_("site"),
    )
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    owner = models.CharField(_("owner"), max_length=150, blank=True)
    manager = models.CharField(
        _("manager"), max_length=150, blank=True, help_text=_("The property manager (beheerder).")
    )
    permit_kind = models.CharField(_("permit"), max_length=150, blank=True)
    permit_start = models.DateField(_("permit from"), null=True, blank=True)
    permit_end = models.DateField(_("permit until"), null=True, blank=True)
    subsidy_min_share = models.FloatField(
        _("subsidy: minimum share of units"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_(
            "For example 0.30: at least 30% of the units for the groups below (SFT condition)."
        ),
    )
    subsidy_groups: models.JSONField[Any] = models.JSONField(
        _("subsidy: target groups"), default=list, blank=True
    )
    subsidy_until = models.DateField(_("subsidy conditions until"), null=True, blank=True)
    planned_relocation = models.TextField(_("planned relocation"), blank=True)
    relocated_units = models.PositiveIntegerField(
        _("units relocated here"),
        null=True,
        blank=True,
        help_text=_("Flex homes moved to this complex from another site (for the costs)."),
    )
    relocated_on = models.DateField(_("relocated on"), null=True, blank=True)
    new_build_cost_per_unit = models.DecimalField(
        _("new-build cost per unit (euro)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "What a new unit would cost: relocating costs about 30% of it, preparing the site "
            "half of that again."
        ),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("complex")
        verbose_name_plural = _("complexes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="housing_complex_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.permit_start and self.permit_end and self.permit_end < self.permit_start:
            raise ValidationError({"permit_end": _("The permit must end after it starts.")})


class ContractKind(models.TextChoices):
    MANAGEMENT = "management", _("Management")
    LEASE = "lease", _("Lease")
    SALE = "sale", _("Sale")
    TRANSFER = "transfer", _("Transfer to a housing corporation")
    PURCHASE = "purchase", _("Purchase (until: end of the economic life)")


class Contract(models.Model):
    complex = models.ForeignKey(
        Complex, on_delete=models.CASCADE, related_name="contracts", verbose_name=_("complex")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ContractKind.choices)
    party = models.CharField(_("party"), max_length=150)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)
    amount = models.DecimalField(
        _("amount (euro)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["complex", "start"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.party}"


class UnitStatus(models.TextChoices):
    VACANT = "vacant", _("Vacant")
    OCCUPIED = "occupied", _("Occupied")
    RESERVED = "reserved", _("Reserved")
    MAINTENANCE = "maintenance", _("Maintenance")
    OUT_OF_USE = "out_of_use", _("Out of use")


class Unit(models.Model):
    complex = models.ForeignKey(
        Complex, on_delete=models.CASCADE, related_name="units", verbose_name=_("complex")
    )
    number = models.CharField(pgettext_lazy("unit", "number"), max_length=20)
    rooms = models.PositiveSmallIntegerField(_("rooms"), validators=[MinValueValidator(1)])
    area_m2 = models.PositiveIntegerField(_("floor area (m²)"))
    max_occupants = models.PositiveSmallIntegerField(
        _("maximum occupants"), validators=[MinValueValidator(1)]
    )
    max_households = models.PositiveSmallIntegerField(
        _("maximum households"), default=1, validators=[MinValueValidator(1)]
    )
    accessible = models.BooleanField(_("accessible"), default=False)
    floor = models.SmallIntegerField(_("floor"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=UnitStatus.choices, default=UnitStatus.VACANT
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    target_groups: models.JSONField[Any] = models.JSONField(
        _("for target groups"), default=list, blank=True, help_text=_("Empty: every group.")
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["complex", "number"]
        constraints = [
            models.UniqueConstraint(fields=["complex", "number"], name="housing_unit_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.complex} {self.number}"

    @property
    def audit_organisation(self) -> Any:
        """The organisation an audit entry of this unit belongs to (its complex's)."""
        return self.complex.organisation


class UnitStatusChange(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("unit")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=UnitStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=UnitStatus.choices)
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    user = user_reference(_("by"))

    class Meta:
        verbose_name = _("unit status change")
        verbose_name_plural = _("unit status changes")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.unit}: {self.from_status} → {self.to_status}"


class HouseholdStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    PLACED = "placed", _("Placed")
    LEFT = "left", _("Left")


class Household(OrganisationScoped):
    """A household, pseudonymous: the code is the only identifier Onderdak keeps."""

    code = models.CharField(
        _("code"), max_length=20, help_text=_("Pseudonymous; no names are stored.")
    )
    target_group = models.CharField(_("target group"), max_length=30, choices=TargetGroup.choices)
    adults = models.PositiveSmallIntegerField(
        _("adults"), default=1, validators=[MinValueValidator(1)]
    )
    minors_0_3 = models.PositiveSmallIntegerField(_("children 0-3"), default=0)
    minors_4_11 = models.PositiveSmallIntegerField(_("children 4-11"), default=0)
    minors_12_17 = models.PositiveSmallIntegerField(_("children 12-17"), default=0)
    needs_accessible = models.BooleanField(_("needs an accessible home"), default=False)
    needs_ground_floor = models.BooleanField(_("needs the ground floor"), default=False)
    needs_medical = models.BooleanField(
        _("medical need"),
        default=False,
        help_text=_("Only yes/no; details stay with the care provider."),
    )
    urgency = models.PositiveSmallIntegerField(
        _("urgency (0-3)"), default=0, validators=[MaxValueValidator(3)]
    )
    tie_x = models.FloatField(
        _("tie location x (RD)"), null=True, blank=True, help_text=_("School or work, RD New.")
    )
    tie_y = models.FloatField(_("tie location y (RD)"), null=True, blank=True)
    reunification_persons = models.PositiveSmallIntegerField(
        _("expected family reunification (persons)"), default=0
    )
    reunification_date = models.DateField(_("expected reunification date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=HouseholdStatus.choices, default=HouseholdStatus.WAITING
    )
    waiting_since = models.DateField(_("waiting since"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["waiting_since", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="housing_household_unique_code"
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def minors(self) -> int:
        return self.minors_0_3 + self.minors_4_11 + self.minors_12_17

    @property
    def persons(self) -> int:
        return self.adults + self.minors


class Placement(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="placements", verbose_name=_("household")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="placements", verbose_name=_("unit")
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    realisation_id = models.PositiveIntegerField(_("quota realisation"), null=True, blank=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start", "-pk"]

    def __str__(self) -> str:
        return f"{self.household} → {self.unit}"

    @property
    def audit_organisation(self) -> Any:
        """The organisation an audit entry of this placement belongs to (its household's)."""
        return self.household.organisation


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DECIDED = "decided", _("Decided")


class Proposal(OrganisationScoped):
    """A placement proposal made by the engine, to be accepted or rejected line by line."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = user_reference(_("by"))
    complex = models.ForeignKey(
        Complex,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("complex"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    objective = models.FloatField(_("total score"), default=0)
    fairness: models.JSONField[Any] = models.JSONField(_("fairness report"), default=dict)
    unplaced: models.JSONField[Any] = models.JSONField(_("not placed"), default=list)

    class Meta:
        verbose_name = _("placement proposal")
        verbose_name_plural = _("placement proposals")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}"


class LineDecision(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", pgettext_lazy("proposal decision", "Rejected")


class ProposalLine(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="lines", verbose_name=_("proposal")
    )
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="+", verbose_name=_("household")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    score = models.FloatField(_("score"))
    explanation: models.JSONField[Any] = models.JSONField(_("explanation"), default=dict)
    decision = models.CharField(
        _("decision"), max_length=10, choices=LineDecision.choices, default=LineDecision.PENDING
    )

    class Meta:
        verbose_name = _("proposal line")
        verbose_name_plural = _("proposal lines")
        ordering = ["proposal", "-score"]

    def __str__(self) -> str:
        return f"{self.household} → {self.unit} ({self.score:.2f})"
