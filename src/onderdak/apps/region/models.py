"""Regional cooperation: exchange scenarios, their solutions, and the agreements that follow.

A *scenario* holds, for the members of a region, each municipality's obligation, capacity and
cost per place per target group (built from the quotas, editable); solving it with the exchange
engine gives a *result* (who provides what, prices, compensation, bilateral transfers). An
*agreement* records what the colleges agreed; once agreed, it changes both parties' effective
obligations in the quotas app (``quotas.services.adjustments_replace``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onderdak.common.models import user_reference
from onderdak.common.vocabulary import TargetGroup


class ExchangeMode(models.TextChoices):
    SWAP = "swap", _("Swap: each provides as many points as it owes, no money")
    COMPENSATION = (
        "compensation",
        _("Compensation: fewer points are paid for at the clearing price"),
    )


class Scenario(models.Model):
    region = models.ForeignKey(
        "geo.Region", on_delete=models.PROTECT, related_name="scenarios", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    mode = models.CharField(
        _("mode"), max_length=20, choices=ExchangeMode.choices, default=ExchangeMode.SWAP
    )
    fairness_min_ratio = models.FloatField(
        _("minimum load (times the regional average)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0)],
        help_text=_(
            "Points provided per inhabitant, relative to the regional average. Empty: no bound."
        ),
    )
    fairness_max_ratio = models.FloatField(
        _("maximum load (times the regional average)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0)],
    )
    created_by = user_reference(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("exchange scenario")
        verbose_name_plural = _("exchange scenarios")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        low, high = self.fairness_min_ratio, self.fairness_max_ratio
        if low is not None and high is not None and low > high:
            raise ValidationError(
                {"fairness_max_ratio": _("The maximum must be at least the minimum.")}
            )


class ScenarioGroup(models.Model):
    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="groups", verbose_name=_("scenario")
    )
    target_group = models.CharField(_("target group"), max_length=30, choices=TargetGroup.choices)
    round = models.ForeignKey(
        "quotas.QuotaRound",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quota round"),
    )
    points = models.FloatField(
        _("points per place"),
        default=1.0,
        validators=[MinValueValidator(0.0)],
        help_text=_(
            "Exchange weight: for example an unaccompanied minor's place may count for more than one."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("scenario target group")
        verbose_name_plural = _("scenario target groups")
        ordering = ["scenario", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "target_group"], name="region_group_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_target_group_display()} ({self.points:g})"


class ScenarioMember(models.Model):
    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="members", verbose_name=_("scenario")
    )
    municipality = models.ForeignKey(
        "geo.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    population = models.PositiveIntegerField(_("population"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("scenario member")
        verbose_name_plural = _("scenario members")
        ordering = ["scenario", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "municipality"], name="region_member_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.municipality)


class ScenarioEntry(models.Model):
    """One municipality and target group in a scenario: what it owes, can do, and costs."""

    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="entries", verbose_name=_("scenario")
    )
    municipality = models.ForeignKey(
        "geo.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    target_group = models.CharField(_("target group"), max_length=30, choices=TargetGroup.choices)
    obligation = models.PositiveIntegerField(_("obligation"))
    capacity = models.PositiveIntegerField(
        _("capacity"), help_text=_("The most places it can realise.")
    )
    cost_per_place = models.DecimalField(
        _("cost per place (euro)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    max_take_over = models.PositiveIntegerField(_("takes over at most"), null=True, blank=True)
    max_hand_off = models.PositiveIntegerField(_("hands off at most"), null=True, blank=True)

    class Meta:
        verbose_name = _("scenario entry")
        verbose_name_plural = _("scenario entries")
        ordering = ["scenario", "municipality__name", "target_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "municipality", "target_group"], name="region_entry_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.get_target_group_display()}"


class ScenarioResult(models.Model):
    """A solved scenario, kept as it was so results can be compared later."""

    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="results", verbose_name=_("scenario")
    )
    solved_at = models.DateTimeField(_("solved at"), auto_now_add=True)
    solved_by = user_reference(_("solved by"))
    status = models.CharField(_("status"), max_length=20)
    reason = models.TextField(_("reason"), blank=True)
    total_cost = models.DecimalField(
        _("total cost"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    baseline_cost = models.DecimalField(
        _("cost without exchange"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    solution: models.JSONField[Any] = models.JSONField(_("solution"), default=dict)
    input: models.JSONField[Any] = models.JSONField(_("input"), default=dict)
    seconds = models.FloatField(_("computing time (s)"), default=0)

    class Meta:
        verbose_name = _("scenario result")
        verbose_name_plural = _("scenario results")
        ordering = ["-solved_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.scenario} {self.solved_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def saving(self) -> Any:
        if self.total_cost is None or self.baseline_cost is None:
            return None
        return self.baseline_cost - self.total_cost


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREED = "agreed", _("Agreed by the colleges")
    APPROVED = "approved", _("Approved by the province")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: Statuses in which an agreement changes the parties' effective obligations.
BINDING_STATUSES = frozenset({AgreementStatus.AGREED, AgreementStatus.APPROVED})


class Agreement(models.Model):
    region = models.ForeignKey(
        "geo.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("region"),
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    approved_on = models.DateField(_("approved by the province on"), null=True, blank=True)
    documents = models.TextField(
        _("documents"), blank=True, help_text=_("References or links, one per line.")
    )
    notes = models.TextField(_("notes"), blank=True)
    from_result = models.ForeignKey(
        ScenarioResult,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("from scenario result"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def binding(self) -> bool:
        return self.status in BINDING_STATUSES


class AgreementLine(models.Model):
    """``places`` of ``round`` move from one municipality (hands off) to another (takes over);
    the first pays the second ``compensation`` euros for it (0 in a pure swap)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="lines", verbose_name=_("agreement")
    )
    round = models.ForeignKey(
        "quotas.QuotaRound",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("quota round"),
    )
    from_municipality = models.ForeignKey(
        "geo.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("hands off")
    )
    to_municipality = models.ForeignKey(
        "geo.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("takes over")
    )
    places = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    compensation = models.DecimalField(
        _("compensation (euro)"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("agreement line")
        verbose_name_plural = _("agreement lines")
        ordering = ["agreement", "round", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_municipality=models.F("to_municipality")),
                name="region_line_two_parties",
            ),
            models.CheckConstraint(
                condition=models.Q(places__gt=0), name="region_line_places_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.places} {self.round.get_target_group_display()}: {self.from_municipality} → {self.to_municipality}"


class AgreementApproval(models.Model):
    """One party's consent to an agreement becoming binding.

    A party is a municipality on either side of the agreement's lines. Its editor or
    administrator records the approval (the college decided on ``decided_on``), or the region's
    coordinator records it on the party's behalf. An agreement becomes binding only when every
    party has approved (``region.services.agreement_set_status``); leaving the binding statuses
    clears the approvals, so binding it again asks every party again.
    """

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("agreement")
    )
    municipality = models.ForeignKey(
        "geo.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("party")
    )
    decided_on = models.DateField(_("decided on"))
    on_behalf = models.BooleanField(_("recorded by the region's coordinator"), default=False)
    recorded_by = user_reference(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("approval of an agreement")
        verbose_name_plural = _("approvals of agreements")
        ordering = ["agreement", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "municipality"], name="region_approval_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} ({self.decided_on:%d-%m-%Y})"
