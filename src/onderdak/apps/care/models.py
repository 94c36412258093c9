"""Care and support (track 1 of the letter): partners and their contracts, the municipality's
service catalogue (adopted from the national template), structural ownership per service and
target group, and the civic-integration follow-up per person.

Integration cases are personal data: a pseudonymous code, a link to a (pseudonymous) household,
dates and the route; no names, no birth dates. Every read is logged with its purpose.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onderdak.apps.accounts.models import OrganisationScoped
from onderdak.common.vocabulary import (
    TargetGroup,
    task_field_validator,
    validate_target_groups,
)

if TYPE_CHECKING:
    from onderdak.engines.care import ResidenceRule


class PartnerKind(models.TextChoices):
    COA = "coa", _("COA (central reception agency)")
    GGD = "ggd", _("GGD (public health service)")
    SCHOOL = "school", _("School or newcomer education")
    LANGUAGE_PROVIDER = "language_provider", _("Language or integration provider")
    REFUGEE_COUNCIL = "refugee_council", _("VluchtelingenWerk or social guidance")
    UWV = "uwv", _("UWV (employee insurance agency)")
    SHARED_SERVICES = "shared_services", _("Shared-services body (e.g. Duo+)")
    INTERNAL_TEAM = "internal_team", _("Internal team")
    HEALTH_PROVIDER = "health_provider", _("Health care provider")
    YOUTH_CARE_PROVIDER = "youth_care_provider", _("Youth care provider")
    LEGAL_AID = "legal_aid", _("Legal aid")
    OTHER = "other", _("Other")


class Partner(OrganisationScoped):
    """An organisation or internal team that delivers or owns services."""

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=30, choices=PartnerKind.choices)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="care_partner_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A contact person at a partner, in their professional role."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("partner")
    )
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["partner", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.partner})"


class CapacityUnit(models.TextChoices):
    PLACES = "places", _("places")
    PERSONS = "persons", _("persons")
    HOUSEHOLDS = "households", _("households")
    HOURS = "hours", _("hours")
    TRAJECTORIES = "trajectories", _("trajectories")


class ServiceCategory(models.TextChoices):
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health")
    INCOME = "income", _("Income")
    INTEGRATION = "integration", _("Civic integration")
    WORK = "work", _("Work and participation")
    SOCIAL = "social", _("Social guidance")
    LEGAL = "legal", _("Legal aid")
    REGISTRATION = "registration", _("Registration")
    YOUTH = "youth", _("Youth and families")
    PRACTICAL = "practical", _("Practical support")


class DemandBasis(models.TextChoices):
    """What a service's demand is counted in (``engines.care.Basis``)."""

    NONE = "none", _("no derived demand")
    PERSONS = "persons", _("every person")
    HOUSEHOLDS = "households", _("every household")
    ADULTS = "adults", _("adults")
    CHILDREN_0_3 = "children_0_3", _("children 0-3")
    CHILDREN_4_11 = "children_4_11", _("children 4-11 (primary school)")
    CHILDREN_12_17 = "children_12_17", _("children 12-17 (secondary school)")
    MINORS = "minors", _("minors 0-17")
    INTEGRATION = "integration", _("adults required to integrate")


code_validator = RegexValidator(
    r"^[a-z0-9_]+$", _("Use lower-case letters, digits and underscores only.")
)


def template_service_names() -> list[tuple[str, str]]:
    """The national template's services as (code, name): the audit trail shows the name."""
    from .catalogue import template  # the catalogue reads these models' choices

    return [(entry.code, entry.name) for entry in template().services]


class Service(OrganisationScoped):
    """One service in a municipality's catalogue (adopted from the template or added)."""

    audit_choices: ClassVar[dict[str, Any]] = {"template_code": template_service_names}

    code = models.CharField(_("code"), max_length=60, validators=[code_validator])
    template_code = models.CharField(
        _("template service"),
        max_length=60,
        blank=True,
        help_text=_("The national template entry it was adopted from; empty for own additions."),
    )
    category = models.CharField(_("category"), max_length=20, choices=ServiceCategory.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    target_groups: models.JSONField[Any] = models.JSONField(
        _("entitled target groups"), default=list, validators=[validate_target_groups]
    )
    rule = models.TextField(_("entitlement rule"), blank=True)
    basis = models.CharField(
        _("demand counted in"), max_length=20, choices=DemandBasis.choices, default="none"
    )
    share = models.DecimalField(
        _("share that needs it"),
        max_digits=4,
        decimal_places=3,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal(1))],
        help_text=_(
            "Planning assumption: the part of those counted that needs this service, e.g. 0.55 "
            "of the adults required to integrate for the B1 route. 1: everyone."
        ),
    )
    capacity_unit = models.CharField(
        _("capacity unit"), max_length=20, choices=CapacityUnit.choices, default="places"
    )
    task_field = models.CharField(
        _("BBV task field"), max_length=5, blank=True, validators=[task_field_validator]
    )
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    retired_reason = models.CharField(_("reason for retiring"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="care_service_unique_code"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def active(self) -> bool:
        return self.retired_on is None


class Contract(models.Model):
    """A contract with a partner: period, amount per year and capacity (places, hours, ...)."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="contracts", verbose_name=_("partner")
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name=_("service"),
    )
    reference = models.CharField(_("reference"), max_length=150)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)
    amount_per_year = models.DecimalField(
        _("amount per year (euro)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    capacity_unit = models.CharField(
        _("capacity unit"), max_length=20, choices=CapacityUnit.choices, default="places"
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["partner", "reference"]

    def __str__(self) -> str:
        return f"{self.partner}: {self.reference}"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The contract must end after it starts.")})
        if (
            self.service is not None
            and self.service.organisation_id != self.partner.organisation_id
        ):
            raise ValidationError({"service": _("The service belongs to another organisation.")})


class CoverageStatus(models.TextChoices):
    STRUCTURAL = "structural", _("Structural")
    TEMPORARY = "temporary", _("Temporary (crisis organisation)")
    MISSING = "missing", _("Missing")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class Ownership(models.Model):
    """Who owns a service for one target group, who is accountable, and what it costs."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="ownerships", verbose_name=_("service")
    )
    target_group = models.CharField(_("target group"), max_length=30, choices=TargetGroup.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=CoverageStatus.choices, default="missing"
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ownerships",
        verbose_name=_("responsible organisation"),
    )
    team = models.CharField(
        _("responsible team or officer"),
        max_length=150,
        blank=True,
        help_text=_("For example the policy officer or internal team (a role, not a name)."),
    )
    alderman = models.CharField(_("accountable alderman (portfolio)"), max_length=150, blank=True)
    consulted = models.CharField(_("consulted"), max_length=300, blank=True)
    informed = models.CharField(_("informed"), max_length=300, blank=True)
    contract = models.ForeignKey(
        Contract,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ownerships",
        verbose_name=_("contract"),
    )
    task_field = models.CharField(
        _("BBV task field"), max_length=5, blank=True, validators=[task_field_validator]
    )
    amount_per_year = models.DecimalField(
        _("budget per year (euro)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    evidence = models.TextField(
        _("evidence"),
        blank=True,
        help_text=_("The decision, contract or budget line that shows the arrangement."),
    )
    review_date = models.DateField(_("review by"), null=True, blank=True)

    class Meta:
        verbose_name = _("ownership")
        verbose_name_plural = _("ownerships")
        ordering = ["service", "target_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "target_group"], name="care_ownership_unique_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} / {self.get_target_group_display()}"

    @property
    def organisation_id(self) -> int:
        """The owning organisation (of the service), for the audit trail and access checks."""
        return int(self.service.organisation_id)

    @property
    def shared(self) -> bool:
        return bool(self.service.shared)

    @property
    def owner_label(self) -> str:
        parts = [str(self.partner) if self.partner_id else "", self.team]
        return " / ".join(p for p in parts if p)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.status == CoverageStatus.STRUCTURAL and not (self.partner_id or self.team):
            errors["partner"] = _(
                "A structural arrangement needs a responsible organisation or team."
            )
        if (
            self.status in (CoverageStatus.STRUCTURAL, CoverageStatus.TEMPORARY)
            and not self.alderman
        ):
            errors["alderman"] = _("Name the accountable alderman (portfolio).")
        if self.service_id and self.target_group not in (self.service.target_groups or []):
            errors["target_group"] = _("This target group is not entitled to the service.")
        service_organisation = self.service.organisation_id if self.service_id else None
        if self.partner is not None and self.partner.organisation_id != service_organisation:
            errors["partner"] = _("The partner belongs to another organisation.")
        if (
            self.contract is not None
            and self.contract.partner.organisation_id != service_organisation
        ):
            errors["contract"] = _("The contract belongs to another organisation.")
        if errors:
            raise ValidationError(errors)


class IntegrationRoute(models.TextChoices):
    UNDECIDED = "undecided", _("Not chosen yet")
    B1 = "b1", _("B1 route")
    EDUCATION = "education", _("Education route")
    Z_ROUTE = "z_route", _("Z route (self-reliance)")


class IntegrationStatus(models.TextChoices):
    INTAKE = "intake", _("Broad intake")
    PLAN = "plan", _("Personal plan (PIP)")
    ROUTE = "route", _("In a route")
    COMPLETED = "completed", _("Completed")
    EXEMPTED = "exempted", _("Exempted")
    MOVED = "moved", _("Moved away")
    STOPPED = "stopped", _("Stopped")


#: Statuses after which no more deadlines apply.
CLOSED_STATUSES = frozenset({"completed", "exempted", "moved", "stopped"})


class ResidenceStatus(models.TextChoices):
    """The residence-status category of a person required to integrate
    (``engines.care.ResidenceStatus``; what each implies: ``engines.care.RESIDENCE_RULES``)."""

    ASYLUM_PERMIT = "asylum_permit", _("Asylum residence permit (status holder)")
    FAMILY_REUNIFICATION = (
        "family_reunification",
        _("Derived permit, later-arriving family (nareiziger)"),
    )
    FAMILY_MIGRANT = "family_migrant", _("Regular family migrant (gezinsmigrant)")
    TEMPORARY_PROTECTION = (
        "temporary_protection",
        _("Temporary protection (displaced from Ukraine)"),
    )


class IntegrationModule(models.TextChoices):
    KNM = "knm", _("Knowledge of Dutch society (KNM)")
    MAP = "map", _("Labour-market module (MAP)")
    PVT = "pvt", _("Participation statement (PVT)")
    LANGUAGE = "language", _("Language course")
    DUAL = "dual", _("Dual route (language and work)")


def _validate_modules(value: Any) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Give a list of modules."))
    unknown = [m for m in value if m not in IntegrationModule.values]
    if unknown:
        raise ValidationError(
            _("Unknown module: %(modules)s") % {"modules": ", ".join(map(str, unknown))}
        )


class IntegrationCase(OrganisationScoped):
    """The civic-integration follow-up of one person required to integrate (pseudonymous)."""

    code = models.CharField(
        _("code"), max_length=20, help_text=_("Pseudonymous; no names are stored.")
    )
    household = models.ForeignKey(
        "housing.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household"),
    )
    residence_status = models.CharField(
        _("residence status"),
        max_length=30,
        choices=ResidenceStatus.choices,
        default=ResidenceStatus.ASYLUM_PERMIT,
        help_text=_(
            "Decides the integration duty, the unburdening and whether the person counts for "
            "the quota."
        ),
    )
    linked_on = models.DateField(_("linked to the municipality on"))
    duo_notified_on = models.DateField(
        _("DUO's notice to the municipality on"),
        null=True,
        blank=True,
        help_text=_("Empty: the date of linking. The PIP is due 10 weeks after this notice."),
    )
    brp_registered_on = models.DateField(
        _("registered in the BRP on"),
        null=True,
        blank=True,
        help_text=_("When later than DUO's notice, the PIP is due 10 weeks after this date."),
    )
    term_start = models.DateField(
        _("integration term starts"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: the day after the first PIP (art. 11 Wet inburgering 2021); without a PIP "
            "yet, provisionally the day after its due date."
        ),
    )
    term_extension_months = models.PositiveSmallIntegerField(
        _("term extension (months)"), default=0
    )
    broad_intake_on = models.DateField(_("broad intake on"), null=True, blank=True)
    pip_on = models.DateField(
        _("first personal plan (PIP) dated"),
        null=True,
        blank=True,
        help_text=_("The integration term starts the day after; a revision does not move it."),
    )
    pip_revised_on = models.DateField(
        _("PIP last revised or set again on"),
        null=True,
        blank=True,
        help_text=_("Does not move the integration term (art. 11(3) Wet inburgering 2021)."),
    )
    route = models.CharField(
        _("route"), max_length=20, choices=IntegrationRoute.choices, default="undecided"
    )
    provider = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider"),
    )
    modules: models.JSONField[Any] = models.JSONField(
        _("modules"), default=list, blank=True, validators=[_validate_modules]
    )
    relief_start = models.DateField(
        _("financial relief from"),
        null=True,
        blank=True,
        help_text=_("Start of the first benefit; relief runs for the first months (a setting)."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=IntegrationStatus.choices, default="intake"
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("integration case")
        verbose_name_plural = _("integration cases")
        ordering = ["linked_on", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="care_integration_unique_code"
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def residence_rule(self) -> ResidenceRule:
        """What the residence status implies: duty, unburdening, counts for the quota."""
        # Imported here: the care engine loads NumPy, which the server does not need to start.
        from onderdak.engines.care import RESIDENCE_RULES
        from onderdak.engines.care import ResidenceStatus as EngineResidenceStatus

        return RESIDENCE_RULES[EngineResidenceStatus(self.residence_status)]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        for field in (
            "broad_intake_on",
            "pip_on",
            "pip_revised_on",
            "completed_on",
            "term_start",
        ):
            value = getattr(self, field)
            if value and self.linked_on and value < self.linked_on:
                errors[field] = _("This date lies before the date of linking.")
        if self.pip_on and not self.broad_intake_on:
            errors["pip_on"] = _(
                "The personal plan follows the broad intake: give that date first."
            )
        elif self.pip_on and self.broad_intake_on and self.pip_on < self.broad_intake_on:
            errors["pip_on"] = _("The personal plan cannot be set before the broad intake.")
        if self.pip_revised_on and not self.pip_on and "pip_revised_on" not in errors:
            errors["pip_revised_on"] = _(
                "A revision follows the first personal plan: give that date first."
            )
        if (
            self.relief_start
            and self.residence_status in ResidenceStatus.values
            and not self.residence_rule.unburdening
        ):
            errors["relief_start"] = _(
                "Unburdening (Participatiewet art. 56a) applies to asylum status holders only, "
                "not to this residence status."
            )
        if self.status == IntegrationStatus.COMPLETED and not self.completed_on:
            errors["completed_on"] = _("Give the date the obligation was met.")
        if self.completed_on and self.status != IntegrationStatus.COMPLETED:
            errors["status"] = _("A completion date needs the status 'Completed'.")
        if self.household is not None and self.household.organisation_id != self.organisation_id:
            errors["household"] = _("The household belongs to another organisation.")
        if self.provider is not None and self.provider.organisation_id != self.organisation_id:
            errors["provider"] = _("The provider belongs to another organisation.")
        if errors:
            raise ValidationError(errors)
