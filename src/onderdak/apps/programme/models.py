"""The programme's decision log: which body decided what, for which track, when."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from onderdak.apps.accounts.models import OrganisationScoped


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
