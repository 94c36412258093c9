"""Organisations, users and the role a user has in each organisation."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in. What they may see follows from their memberships."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    REGIONAL_BODY = "regional_body", _("Regional body")


class Organisation(models.Model):
    """A municipality, or a regional body (Duo+, a provincial table) that coordinates a region."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    municipality = models.OneToOneField(
        "geo.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisation",
        verbose_name=_("municipality"),
    )
    region = models.ForeignKey(
        "geo.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("region"),
        help_text=_("For a regional body: the region whose shared data it coordinates."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="municipality", municipality__isnull=False)
                    | models.Q(
                        kind="regional_body", region__isnull=False, municipality__isnull=True
                    )
                ),
                name="accounts_organisation_kind_matches_link",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == OrganisationKind.MUNICIPALITY and self.municipality_id is None:
            raise ValidationError(
                {"municipality": _("A municipality organisation needs its municipality.")}
            )
        if self.kind == OrganisationKind.REGIONAL_BODY:
            if self.region_id is None:
                raise ValidationError(
                    {"region": _("A regional body needs the region it coordinates.")}
                )
            if self.municipality_id is not None:
                raise ValidationError({"municipality": _("A regional body is not a municipality.")})


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    EDITOR = "editor", _("Editor")
    COORDINATOR = "coordinator", _("Coordinator")
    CONTROLLER = "controller", _("Controller")
    ADMINISTRATOR = "administrator", _("Administrator")


#: Roles that may change an organisation's records.
WRITE_ROLES = frozenset({Role.EDITOR, Role.COORDINATOR, Role.ADMINISTRATOR})

#: Roles that may change an organisation's money: budget, amendments, actuals, rates and the
#: quarterly letter. A controller reads everything of the organisation and changes only these.
FINANCE_ROLES = frozenset({Role.CONTROLLER, Role.ADMINISTRATOR})


class Membership(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="accounts_membership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.organisation})"


class OrganisationScoped(models.Model):
    """Abstract base for records that belong to one organisation.

    ``shared`` records are also visible to the organisation's regional partners (organisations
    of municipalities in a common user-defined region such as Duo+) and may be worked on by the
    coordinators of a regional body for that region. Access is decided in
    ``accounts.selectors``, in one place.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    shared = models.BooleanField(
        _("shared with the region"),
        default=False,
        help_text=_("Shared records are visible to regional partners and their coordinators."),
    )

    class Meta:
        abstract = True
