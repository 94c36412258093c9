"""The organisation's money: standard rates with their history, the budget by task field, track
and target group with its amendments, the actuals from the financial administration and the
quarterly letters.

Money is ``Decimal`` (``DecimalField``, two decimals) from the database to the engine and back.
Derived costs and the forecast are computed (``derivation``, ``forecast``), never stored, except
as the frozen figures of an adopted quarterly letter.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from onderdak.apps.accounts.models import OrganisationScoped
from onderdak.apps.programme.models import Track
from onderdak.common.vocabulary import TargetGroup, validate_task_field

scheme_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{0,39}$",
    _("Use lower-case letters, digits and underscores, starting with a letter."),
)


class RateUnit(models.TextChoices):
    PLACE_DAY = "place_day", _("per place per day")
    PERSON_MONTH = "person_month", _("per person per month")
    UNIT = "unit", _("per home (once)")
    PLACE_YEAR = "place_year", _("per place per year")
    PLACE = "place", _("per place (once)")
    MUNICIPALITY = "municipality", _("per municipality (ceiling)")


class Rate(OrganisationScoped):
    """A standard rate (normbedrag) of one scheme, valid from its date until the next one.

    The national rates ship with Onderdak (``onderdak/data/finance/rates.csv``, with source) and
    are adopted per organisation; an organisation may change or add rates (audited)."""

    scheme = models.CharField(_("scheme"), max_length=40, validators=[scheme_validator])
    name = models.CharField(_("name"), max_length=150)
    valid_from = models.DateField(_("valid from"))
    amount = models.DecimalField(_("amount (euro)"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, choices=RateUnit.choices)
    source = models.CharField(_("source"), max_length=300)
    national = models.BooleanField(
        _("national rate"),
        default=True,
        help_text=_("Adopted unchanged from the rates that ship with Onderdak."),
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("standard rate")
        verbose_name_plural = _("standard rates")
        ordering = ["organisation", "scheme", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "scheme", "valid_from"], name="finance_rate_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.valid_from:%Y-%m-%d}"


class Direction(models.TextChoices):
    EXPENDITURE = "expenditure", pgettext_lazy("money", "Expenditure")
    INCOME = "income", pgettext_lazy("money", "Income")


class BudgetLine(OrganisationScoped):
    """One line of the programme budget of a year: task field (BBV), track, target group and
    direction, with the originally adopted amount. The current budget is the original amount
    plus the amendments decided up to a date."""

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    task_field = models.CharField(_("task field"), max_length=10, validators=[validate_task_field])
    track = models.CharField(
        _("track"), max_length=20, choices=Track.choices, default=Track.OVERALL
    )
    target_group = models.CharField(
        _("target group"), max_length=30, choices=TargetGroup.choices, blank=True
    )
    direction = models.CharField(
        _("income or expenditure"), max_length=12, choices=Direction.choices
    )
    description = models.CharField(_("description"), max_length=200)
    amount = models.DecimalField(
        _("original budget (euro)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["organisation", "year", "task_field", "track", "direction", "description"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "task_field", "track", "target_group", "direction"],
                name="finance_budgetline_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.task_field} {self.description}"


class BudgetAmendment(models.Model):
    """A budget amendment (begrotingswijziging): a change of one budget line, decided on a date
    (a negative amount lowers the line)."""

    line = models.ForeignKey(
        BudgetLine,
        on_delete=models.CASCADE,
        related_name="amendments",
        verbose_name=_("budget line"),
    )
    decided_on = models.DateField(_("decided on"))
    amount = models.DecimalField(_("change (euro)"), max_digits=14, decimal_places=2)
    reference = models.CharField(_("decision reference"), max_length=150)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("budget amendment")
        verbose_name_plural = _("budget amendments")
        ordering = ["line", "decided_on", "pk"]

    def __str__(self) -> str:
        return f"{self.reference} ({self.decided_on:%Y-%m-%d})"


class LedgerMapping(OrganisationScoped):
    """Where the bookings on one ledger account of the financial administration belong."""

    account = models.CharField(_("ledger account"), max_length=40)
    task_field = models.CharField(_("task field"), max_length=10, validators=[validate_task_field])
    track = models.CharField(
        _("track"), max_length=20, choices=Track.choices, default=Track.OVERALL
    )
    target_group = models.CharField(
        _("target group"), max_length=30, choices=TargetGroup.choices, blank=True
    )
    direction = models.CharField(
        _("income or expenditure"), max_length=12, choices=Direction.choices
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ledger account mapping")
        verbose_name_plural = _("ledger account mappings")
        ordering = ["organisation", "account"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "account"], name="finance_ledgermapping_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.account


class ActualImport(OrganisationScoped):
    """One import of actuals for a period; importing the same period again replaces it."""

    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until (inclusive)"))
    filename = models.CharField(_("file"), max_length=255)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    replaced_rows = models.PositiveIntegerField(_("rows replaced"), default=0)

    class Meta:
        verbose_name = _("actuals import")
        verbose_name_plural = _("actuals imports")
        ordering = ["organisation", "-period_start", "-imported_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.period_start:%Y-%m-%d} - {self.period_end:%Y-%m-%d})"


class Actual(models.Model):
    """One booking from the financial administration, placed by its ledger account mapping."""

    batch = models.ForeignKey(
        ActualImport, on_delete=models.CASCADE, related_name="actuals", verbose_name=_("import")
    )
    booking_date = models.DateField(_("booking date"))
    account = models.CharField(_("ledger account"), max_length=40)
    task_field = models.CharField(_("task field"), max_length=10, validators=[validate_task_field])
    track = models.CharField(_("track"), max_length=20, choices=Track.choices)
    target_group = models.CharField(
        _("target group"), max_length=30, choices=TargetGroup.choices, blank=True
    )
    direction = models.CharField(
        _("income or expenditure"), max_length=12, choices=Direction.choices
    )
    amount = models.DecimalField(_("amount (euro)"), max_digits=14, decimal_places=2)
    description = models.CharField(_("description"), max_length=300, blank=True)
    cost_centre = models.CharField(_("cost centre"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("actual")
        verbose_name_plural = _("actuals")
        ordering = ["batch", "booking_date", "pk"]
        indexes = [models.Index(fields=["batch", "booking_date"])]

    def __str__(self) -> str:
        return f"{self.booking_date:%Y-%m-%d} {self.account} {self.amount}"


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")


class QuarterlyLetter(OrganisationScoped):
    """The quarterly letter (kwartaalbrief) of one quarter. Once adopted it is frozen: its
    figures are kept in ``figures`` and later changes show as differences against them."""

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), choices=[(1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adopted by"),
    )
    figures: models.JSONField[object] = models.JSONField(
        _("figures as adopted"), default=dict, blank=True
    )

    class Meta:
        verbose_name = _("quarterly letter")
        verbose_name_plural = _("quarterly letters")
        ordering = ["organisation", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "quarter"], name="finance_letter_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}"


class LetterCommentary(models.Model):
    """The short commentary of one track in a quarterly letter (editable until adopted)."""

    letter = models.ForeignKey(
        QuarterlyLetter,
        on_delete=models.CASCADE,
        related_name="commentaries",
        verbose_name=_("quarterly letter"),
    )
    track = models.CharField(_("track"), max_length=20, choices=Track.choices)
    text = models.TextField(_("commentary"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("commentary")
        verbose_name_plural = _("commentaries")
        ordering = ["letter", "track"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "track"], name="finance_commentary_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.letter} {self.get_track_display()}"
