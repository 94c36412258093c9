"""API for care and support: the service catalogue, ownership per service and target group, the
coverage matrix, demand against capacity, partners and contracts, and the civic-integration
cases (personal data: every read goes through the selectors and is logged with its purpose).

The same access rules as the web pages: records the user may not see answer 404, writes the user
may not make answer 403 (the services decide), and model validation answers 400."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.drainage import set_override
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from onderdak.apps.accounts.selectors import can_change, writable_organisations
from onderdak.apps.care import selectors, services
from onderdak.apps.care.models import (
    CapacityUnit,
    Contract,
    CoverageStatus,
    DemandBasis,
    IntegrationCase,
    IntegrationModule,
    IntegrationRoute,
    IntegrationStatus,
    Ownership,
    Partner,
    PartnerKind,
    ResidenceStatus,
    Service,
    ServiceCategory,
)
from onderdak.common.api import Conflict, RuleViolation, model_validation_as_400, validated
from onderdak.common.vocabulary import TargetGroup, task_fields

if TYPE_CHECKING:
    from onderdak.apps.accounts.models import Organisation

#: The care engine's deadline states (``engines.care.DeadlineState``, in its order), written
#: out: importing the engine here would load NumPy when the server starts (issue 11).
DEADLINE_STATES = ("done", "done_late", "overdue", "due_soon", "open", "not_applicable")


ORGANISATION_PARAMETER = OpenApiParameter(
    "organisation",
    {"type": "integer", "minimum": 1},
    description="Only records of this organisation (id).",
)
MEMBER_ORGANISATION_PARAMETER = OpenApiParameter(
    "organisation",
    {"type": "integer", "minimum": 1},
    description="Id of an organisation the user is a member of (default: the user's first).",
)


@extend_schema_field(OpenApiTypes.STR)
class CodeField(serializers.ChoiceField):
    """A choice documented as a string that lists its values.

    The schema generator names an enum component after its field: "status" already names the
    agreements' statuses, and the target groups already have their enum as "target_group", so
    as enums these would collide (an ``ENUM_NAME_OVERRIDES`` entry in the settings would be the
    alternative).
    """

    def __init__(self, choices: type[models.TextChoices], **kwargs: Any) -> None:
        values = "One of: " + ", ".join(choices.values) + "."
        kwargs["help_text"] = f"{kwargs['help_text']} {values}" if "help_text" in kwargs else values
        super().__init__(choices=choices.choices, **kwargs)
        # the values as a pattern, so that clients (and the API fuzzing) know them
        pattern = "^(?:" + "|".join(re.escape(value) for value in choices.values) + ")$"
        set_override(self, "field", {"type": "string", "pattern": pattern})


def _known_task_field(value: str) -> None:
    """Like the web form: a BBV task field from the shipped list (the model checks the form)."""
    if value and value not in task_fields():
        raise serializers.ValidationError(_("Unknown BBV task field: %(code)s") % {"code": value})


class TaskFieldCode(serializers.CharField):
    """A BBV task field from the shipped list (or blank: the schema adds the blank alternative),
    documented with the list as a pattern."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_blank=True, max_length=5, validators=[_known_task_field], **kwargs)
        codes = "|".join(re.escape(code) for code in task_fields())
        set_override(self, "field", {"type": "string", "pattern": f"^(?:{codes})$"})


class ShareField(serializers.DecimalField):
    """A share from 0.001 to 1 with three decimals, sent as a string: the range as a pattern."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            max_digits=4,
            decimal_places=3,
            min_value=Decimal("0.001"),
            max_value=Decimal(1),
            **kwargs,
        )
        pattern = r"^(?:1(?:\.0{0,3})?|0?\.(?:[1-9]\d{0,2}|0[1-9]\d?|00[1-9]))$"
        set_override(self, "field", {"type": "string", "format": "decimal", "pattern": pattern})


# --- serializers: the catalogue -------------------------------------------------------------


class ServiceOutput(serializers.Serializer[Service]):
    id = serializers.IntegerField()
    organisation = serializers.IntegerField(source="organisation_id")
    code = serializers.CharField()
    template_code = serializers.CharField(help_text="Empty for own additions.")
    category = serializers.ChoiceField(choices=ServiceCategory.choices)
    name = serializers.CharField()
    description = serializers.CharField()
    target_groups = serializers.ListField(child=CodeField(TargetGroup))
    rule = serializers.CharField()
    basis = serializers.ChoiceField(choices=DemandBasis.choices)
    share = serializers.DecimalField(
        max_digits=4,
        decimal_places=3,
        help_text="Planning assumption: the part of those counted that needs the service.",
    )
    capacity_unit = serializers.ChoiceField(choices=CapacityUnit.choices)
    task_field = serializers.CharField()
    active = serializers.BooleanField()
    retired_on = serializers.DateField(allow_null=True)
    retired_reason = serializers.CharField()
    shared = serializers.BooleanField()


class ServiceInput(serializers.Serializer[Any]):
    organisation = serializers.IntegerField(help_text="Id of the organisation of the catalogue.")
    code = serializers.CharField(max_length=60, help_text="Lower-case letters, digits, _.")
    category = serializers.ChoiceField(choices=ServiceCategory.choices)
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, default="")
    target_groups = serializers.ListField(child=CodeField(TargetGroup), allow_empty=False)
    rule = serializers.CharField(allow_blank=True, default="")
    basis = serializers.ChoiceField(choices=DemandBasis.choices, default=DemandBasis.NONE)
    share = ShareField(
        default=Decimal(1),
        help_text="Planning assumption: the part of those counted that needs the service.",
    )
    capacity_unit = serializers.ChoiceField(
        choices=CapacityUnit.choices, default=CapacityUnit.PLACES
    )
    task_field = TaskFieldCode(default="", help_text="BBV task field, e.g. 6.1.")
    shared = serializers.BooleanField(default=False)


class ServiceUpdateInput(serializers.Serializer[Any]):
    category = serializers.ChoiceField(choices=ServiceCategory.choices, required=False)
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(allow_blank=True, required=False)
    target_groups = serializers.ListField(
        child=CodeField(TargetGroup),
        allow_empty=False,
        required=False,
        help_text="Groups added get an ownership cell (missing); cells of removed groups go.",
    )
    rule = serializers.CharField(allow_blank=True, required=False)
    basis = serializers.ChoiceField(choices=DemandBasis.choices, required=False)
    share = ShareField(
        required=False,
        help_text="Planning assumption: the part of those counted that needs the service.",
    )
    capacity_unit = serializers.ChoiceField(choices=CapacityUnit.choices, required=False)
    task_field = TaskFieldCode(required=False)
    shared = serializers.BooleanField(required=False)


class RetireInput(serializers.Serializer[Any]):
    on = serializers.DateField(required=False, help_text="Default: today.")
    reason = serializers.CharField(max_length=300)


class AdoptInput(serializers.Serializer[Any]):
    organisation = serializers.IntegerField(help_text="Id of the adopting organisation.")


class AdoptionOutput(serializers.Serializer[Any]):
    created = serializers.IntegerField(help_text="Template services added.")
    already = serializers.IntegerField(help_text="Template services already in the catalogue.")
    cells = serializers.IntegerField(help_text="Ownership cells created (status missing).")


class OwnershipOutput(serializers.Serializer[Ownership]):
    id = serializers.IntegerField()
    service = serializers.IntegerField(source="service_id")
    target_group = serializers.ChoiceField(choices=TargetGroup.choices)
    status = CodeField(CoverageStatus)
    partner = serializers.IntegerField(source="partner_id", allow_null=True)
    team = serializers.CharField()
    owner = serializers.CharField(source="owner_label", help_text="Partner / team.")
    alderman = serializers.CharField()
    consulted = serializers.CharField()
    informed = serializers.CharField()
    contract = serializers.IntegerField(source="contract_id", allow_null=True)
    task_field = serializers.CharField()
    amount_per_year = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    evidence = serializers.CharField()
    review_date = serializers.DateField(allow_null=True)


class OwnershipUpdateInput(serializers.Serializer[Any]):
    status = CodeField(CoverageStatus, required=False)
    partner = serializers.IntegerField(
        allow_null=True, required=False, help_text="Id of a partner of the same organisation."
    )
    team = serializers.CharField(allow_blank=True, max_length=150, required=False)
    alderman = serializers.CharField(allow_blank=True, max_length=150, required=False)
    consulted = serializers.CharField(allow_blank=True, max_length=300, required=False)
    informed = serializers.CharField(allow_blank=True, max_length=300, required=False)
    contract = serializers.IntegerField(
        allow_null=True, required=False, help_text="Id of a contract of the same organisation."
    )
    task_field = TaskFieldCode(required=False)
    amount_per_year = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, min_value=0, required=False
    )
    evidence = serializers.CharField(allow_blank=True, required=False)
    review_date = serializers.DateField(allow_null=True, required=False)


# --- serializers: coverage and demand -------------------------------------------------------


class GroupOutput(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="Target group.")
    label = serializers.CharField()  # type: ignore[assignment]  # the API field is called "label"


class CellOutput(serializers.Serializer[Ownership]):
    id = serializers.IntegerField()
    status = CodeField(CoverageStatus)
    owner = serializers.CharField(source="owner_label")
    alderman = serializers.CharField()
    amount_per_year = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class CoverageServiceOutput(serializers.Serializer[Any]):
    """A ``selectors.ServiceRow``."""

    id = serializers.IntegerField(source="service.pk")
    code = serializers.CharField(source="service.code")
    name = serializers.CharField(source="service.name")
    status = CodeField(CoverageStatus, help_text="The most severe status of its cells.")
    cells = serializers.DictField(
        child=CellOutput(allow_null=True),
        help_text="Per target group of the matrix: the ownership cell, null when not entitled.",
    )
    amount_per_year = serializers.DecimalField(max_digits=16, decimal_places=2)
    demand = serializers.IntegerField(
        source="demand_today",
        allow_null=True,
        help_text="Demand today; null when the service derives no demand.",
    )
    capacity = serializers.IntegerField(
        source="capacity_today",
        allow_null=True,
        help_text="Null when no contract records capacity for the service.",
    )
    shortage = serializers.IntegerField(source="shortage_today", allow_null=True)


class CoverageSummaryOutput(serializers.Serializer[Any]):
    """The summary of a ``selectors.CoverageOverview``."""

    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Cells per status.")
    applicable = serializers.IntegerField(
        source="coverage.applicable", help_text="Cells that are not 'not applicable'."
    )
    structural_share = serializers.FloatField(
        allow_null=True, help_text="Structural / applicable; null when nothing applies."
    )
    amount_per_year = serializers.DecimalField(
        source="coverage.amount_per_year", max_digits=16, decimal_places=2
    )
    shortages = serializers.IntegerField(help_text="Services with a capacity shortage today.")


class GapOutput(serializers.Serializer[Ownership]):
    ownership = serializers.IntegerField(source="pk")
    service = serializers.IntegerField(source="service_id")
    service_name = serializers.CharField(source="service.name")
    target_group = serializers.ChoiceField(choices=TargetGroup.choices)
    status = CodeField(CoverageStatus)
    owner = serializers.CharField(source="owner_label")
    alderman = serializers.CharField()
    review_date = serializers.DateField(allow_null=True)


class CoverageOutput(serializers.Serializer[Any]):
    """A ``selectors.CoverageOverview`` (the read model of the coverage page and exports)."""

    organisation = serializers.IntegerField(source="organisation.pk")
    groups = serializers.SerializerMethodField()
    services = CoverageServiceOutput(source="rows", many=True)
    summary = CoverageSummaryOutput(source="*")
    gaps = GapOutput(many=True, help_text="Missing cells first, then temporary ones.")

    @extend_schema_field(GroupOutput(many=True))
    def get_groups(self, overview: Any) -> list[dict[str, str]]:
        return [{"code": code, "label": label} for code, label in overview.groups]


class DemandOutput(serializers.Serializer[Any]):
    """One ``selectors.DemandCell`` of a ``selectors.DemandRow`` (the demand page's model)."""

    service = serializers.IntegerField(source="service.pk")
    code = serializers.CharField(source="service.code")
    date = serializers.DateField(source="cell.on")
    demand = serializers.IntegerField(source="cell.demand")
    capacity = serializers.IntegerField(
        source="cell.capacity",
        allow_null=True,
        help_text="Null when no contract records capacity for the service.",
    )
    shortage = serializers.IntegerField(source="cell.shortage", allow_null=True)
    by_target_group = serializers.DictField(
        source="cell.by_target_group", child=serializers.IntegerField()
    )


# --- serializers: partners and contracts ----------------------------------------------------


class PartnerOutput(serializers.Serializer[Partner]):
    id = serializers.IntegerField()
    organisation = serializers.IntegerField(source="organisation_id")
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=PartnerKind.choices)
    notes = serializers.CharField()
    shared = serializers.BooleanField()


class PartnerInput(serializers.Serializer[Any]):
    organisation = serializers.IntegerField(help_text="Id of the organisation.")
    name = serializers.CharField(max_length=150)
    kind = serializers.ChoiceField(choices=PartnerKind.choices)
    notes = serializers.CharField(allow_blank=True, default="")
    shared = serializers.BooleanField(default=False)


class PartnerUpdateInput(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=150, required=False)
    kind = serializers.ChoiceField(choices=PartnerKind.choices, required=False)
    notes = serializers.CharField(allow_blank=True, required=False)
    shared = serializers.BooleanField(required=False)


class ContractOutput(serializers.Serializer[Contract]):
    id = serializers.IntegerField()
    partner = serializers.IntegerField(source="partner_id")
    service = serializers.IntegerField(source="service_id", allow_null=True)
    reference = serializers.CharField()
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    amount_per_year = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    capacity = serializers.IntegerField(allow_null=True)
    capacity_unit = serializers.ChoiceField(choices=CapacityUnit.choices)
    notes = serializers.CharField()


class ContractUpdateInput(serializers.Serializer[Any]):
    service = serializers.IntegerField(
        allow_null=True, required=False, help_text="Id of a service of the same organisation."
    )
    reference = serializers.CharField(max_length=150, required=False)
    start = serializers.DateField(allow_null=True, required=False)
    end = serializers.DateField(allow_null=True, required=False)
    amount_per_year = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, min_value=0, required=False
    )
    capacity = serializers.IntegerField(allow_null=True, min_value=0, required=False)
    capacity_unit = serializers.ChoiceField(choices=CapacityUnit.choices, required=False)
    notes = serializers.CharField(allow_blank=True, max_length=300, required=False)


class ContractInput(ContractUpdateInput):
    reference = serializers.CharField(max_length=150)


# --- serializers: civic integration ---------------------------------------------------------


class DeadlineOutput(serializers.Serializer[Any]):
    kind = serializers.CharField(help_text="broad_intake, pip, term or relief_end.")
    due = serializers.DateField()
    done_on = serializers.DateField(allow_null=True)
    state = serializers.ChoiceField(choices=list(DEADLINE_STATES))
    days_left = serializers.IntegerField(help_text="Negative when past due.")


class IntegrationCaseOutput(serializers.Serializer[Any]):
    """A case with its deadlines today (from ``selectors.CaseRow``)."""

    id = serializers.IntegerField(source="case.pk")
    organisation = serializers.IntegerField(source="case.organisation_id")
    code = serializers.CharField(source="case.code")
    household = serializers.SerializerMethodField()
    household_code = serializers.SerializerMethodField()
    residence_status = serializers.ChoiceField(
        source="case.residence_status", choices=ResidenceStatus.choices
    )
    integration_duty = serializers.BooleanField(
        source="case.residence_rule.integration_duty",
        help_text="Whether the residence status brings the integration duty (no: no deadlines).",
    )
    unburdening = serializers.BooleanField(
        source="case.residence_rule.unburdening",
        help_text="Whether unburdening (Participatiewet art. 56a) applies.",
    )
    counts_for_quota = serializers.BooleanField(
        source="case.residence_rule.counts_for_quota",
        help_text="Whether the person counts for the status-holder quota.",
    )
    linked_on = serializers.DateField(source="case.linked_on")
    duo_notified_on = serializers.DateField(source="case.duo_notified_on", allow_null=True)
    brp_registered_on = serializers.DateField(source="case.brp_registered_on", allow_null=True)
    term_start = serializers.DateField(
        source="case.term_start", allow_null=True, help_text="A start recorded by hand."
    )
    term_starts = serializers.DateField(
        source="term_start",
        allow_null=True,
        help_text=(
            "The start of the integration term: the day after the first PIP (art. 11 Wet "
            "inburgering 2021), provisionally the day after the PIP's due date; null without "
            "an integration duty."
        ),
    )
    term_extension_months = serializers.IntegerField(source="case.term_extension_months")
    broad_intake_on = serializers.DateField(source="case.broad_intake_on", allow_null=True)
    pip_on = serializers.DateField(
        source="case.pip_on", allow_null=True, help_text="The date of the first PIP."
    )
    pip_revised_on = serializers.DateField(source="case.pip_revised_on", allow_null=True)
    route = serializers.ChoiceField(source="case.route", choices=IntegrationRoute.choices)
    provider = serializers.IntegerField(source="case.provider_id", allow_null=True)
    modules = serializers.ListField(
        source="case.modules", child=serializers.ChoiceField(IntegrationModule.choices)
    )
    relief_start = serializers.DateField(source="case.relief_start", allow_null=True)
    status = CodeField(IntegrationStatus, source="case.status")
    completed_on = serializers.DateField(source="case.completed_on", allow_null=True)
    shared = serializers.BooleanField(source="case.shared")
    deadlines = DeadlineOutput(many=True)
    state = serializers.ChoiceField(
        choices=list(DEADLINE_STATES), help_text="The deadline state most urgent."
    )

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_household(self, row: Any) -> int | None:
        """The household's id; null when none, or when the reader may not see it."""
        return row.case.household_id if selectors.household_code(row.case) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_household_code(self, row: Any) -> str | None:
        return selectors.household_code(row.case)


class IntegrationCaseUpdateInput(serializers.Serializer[Any]):
    household = serializers.IntegerField(
        allow_null=True, required=False, help_text="Id of a household of the same organisation."
    )
    residence_status = serializers.ChoiceField(choices=ResidenceStatus.choices, required=False)
    linked_on = serializers.DateField(required=False)
    duo_notified_on = serializers.DateField(allow_null=True, required=False)
    brp_registered_on = serializers.DateField(allow_null=True, required=False)
    term_start = serializers.DateField(allow_null=True, required=False)
    term_extension_months = serializers.IntegerField(min_value=0, max_value=120, required=False)
    broad_intake_on = serializers.DateField(allow_null=True, required=False)
    pip_on = serializers.DateField(
        allow_null=True,
        required=False,
        help_text=(
            "The date of the first PIP; once set it stays (a revision goes to pip_revised_on) "
            "unless correct_first_pip is true."
        ),
    )
    pip_revised_on = serializers.DateField(
        allow_null=True, required=False, help_text="Never moves the integration term."
    )
    route = serializers.ChoiceField(choices=IntegrationRoute.choices, required=False)
    provider = serializers.IntegerField(
        allow_null=True, required=False, help_text="Id of a partner of the same organisation."
    )
    modules = serializers.ListField(
        child=serializers.ChoiceField(IntegrationModule.choices), required=False
    )
    relief_start = serializers.DateField(allow_null=True, required=False)
    status = CodeField(IntegrationStatus, required=False)
    completed_on = serializers.DateField(allow_null=True, required=False)
    shared = serializers.BooleanField(required=False)


class IntegrationCaseChangeInput(IntegrationCaseUpdateInput):
    correct_first_pip = serializers.BooleanField(
        required=False,
        default=False,
        help_text="True to correct a mistyped date of the first PIP (pip_on).",
    )


class IntegrationCaseInput(IntegrationCaseUpdateInput):
    organisation = serializers.IntegerField(help_text="Id of the organisation.")
    code = serializers.CharField(max_length=20, help_text="Pseudonymous; never a name.")
    linked_on = serializers.DateField()


# --- query parameters -----------------------------------------------------------------------


class OrganisationQuery(serializers.Serializer[Any]):
    organisation = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


class ServiceQuery(OrganisationQuery):
    include_retired = serializers.BooleanField(default=False)


class CaseQuery(OrganisationQuery):
    residence_status = serializers.ChoiceField(choices=ResidenceStatus.choices, required=False)


class DemandQuery(OrganisationQuery):
    months = serializers.IntegerField(required=False, min_value=0, max_value=24)


# --- helpers --------------------------------------------------------------------------------


def _organisation_for_write(user: Any, pk: int) -> Organisation:
    """The organisation named in a request body: one the user belongs to or may write for.
    Whether the user may write is the service's decision (403); an organisation the user has
    nothing to do with is unknown (400), so its existence is not revealed."""
    organisation = next((o for o in selectors.organisations_for(user) if o.pk == pk), None)
    if organisation is None:
        organisation = writable_organisations(user).filter(pk=pk).first()
    if organisation is None:
        raise RuleViolation({"organisation": [_("Unknown organisation.")]})
    return organisation


def _member_organisation(user: Any, requested: int | None) -> Organisation:
    """The organisation of an overview: the requested one when the user is a member (else
    404), the user's first without a request."""
    organisation = selectors.organisation_for(user, requested)
    if organisation is None or (requested is not None and organisation.pk != requested):
        raise Http404
    return organisation


def _resolve(values: dict[str, Any], name: str, queryset: QuerySet[Any], unknown: str) -> None:
    """Replace the id in ``values[name]`` by the record from ``queryset`` (what the user may
    see); an unknown id is a 400 with the (translated) message ``unknown``. Whether it fits
    (same organisation) is the model's check."""
    if values.get(name) is None:
        return
    found = queryset.filter(pk=values[name]).first()
    if found is None:
        raise RuleViolation({name: [unknown]})
    values[name] = found


def _service(request: Request, pk: int) -> Service:
    try:
        return selectors.service_get(user=request.user, pk=pk)
    except Service.DoesNotExist:
        raise Http404 from None


def _partner(request: Request, pk: int) -> Partner:
    try:
        return selectors.partner_get(user=request.user, pk=pk)
    except Partner.DoesNotExist:
        raise Http404 from None


def _case(request: Request, pk: int) -> IntegrationCase:
    """One case the user may see, read through the selector (logged with the API purpose)."""
    try:
        return selectors.integration_case_get(
            user=request.user, pk=pk, purpose=selectors.PURPOSE_CASES_API
        )
    except IntegrationCase.DoesNotExist:
        raise Http404 from None


def _row(case: IntegrationCase) -> selectors.CaseRow:
    return selectors.caseload([case], today=timezone.localdate())[0]


# --- the catalogue --------------------------------------------------------------------------


class ServiceListApi(ListAPIView[Service]):
    serializer_class = ServiceOutput

    def get_queryset(self) -> Any:
        query = validated(ServiceQuery, self.request.query_params)
        queryset = selectors.service_list(
            user=self.request.user, include_retired=query["include_retired"]
        )
        if "organisation" in query:
            queryset = queryset.filter(organisation_id=query["organisation"])
        return queryset.order_by("category", "name", "pk")

    @extend_schema(
        summary="Services in the catalogues the user may see (active ones by default)",
        parameters=[
            ORGANISATION_PARAMETER,
            OpenApiParameter(
                "include_retired", OpenApiTypes.BOOL, description="Also retired services."
            ),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=ServiceInput,
        responses={201: ServiceOutput},
        summary="Add an own service (with an ownership cell per entitled target group)",
    )
    def post(self, request: Request) -> Response:
        values = validated(ServiceInput, request.data)
        organisation = _organisation_for_write(request.user, values.pop("organisation"))
        with model_validation_as_400():
            service = services.service_create(
                actor=request.user, organisation=organisation, **values
            )
        return Response(ServiceOutput(service).data, status=status.HTTP_201_CREATED)


class ServiceDetailApi(APIView):
    @extend_schema(responses=ServiceOutput, summary="One service")
    def get(self, request: Request, pk: int) -> Response:
        return Response(ServiceOutput(_service(request, pk)).data)

    @extend_schema(request=ServiceUpdateInput, responses=ServiceOutput, summary="Change a service")
    def patch(self, request: Request, pk: int) -> Response:
        service = _service(request, pk)
        if not can_change(request.user, service):
            self.permission_denied(request, message=_("You may not change this service."))
        data = validated(ServiceUpdateInput, request.data, partial=True)
        with model_validation_as_400():
            services.service_update(actor=request.user, service=service, **data)
        return Response(ServiceOutput(service).data)


class ServiceRetireApi(APIView):
    @extend_schema(
        request=RetireInput,
        responses=ServiceOutput,
        summary="Retire a service (it leaves the overview; its history is kept)",
    )
    def post(self, request: Request, pk: int) -> Response:
        service = _service(request, pk)
        if not can_change(request.user, service):
            self.permission_denied(request, message=_("You may not retire this service."))
        data = validated(RetireInput, request.data)
        with model_validation_as_400():
            services.service_retire(
                actor=request.user,
                service=service,
                on=data.get("on") or timezone.localdate(),
                reason=data["reason"],
            )
        return Response(ServiceOutput(service).data)


class ServiceReinstateApi(APIView):
    @extend_schema(request=None, responses=ServiceOutput, summary="Bring a retired service back")
    def post(self, request: Request, pk: int) -> Response:
        service = _service(request, pk)
        if not can_change(request.user, service):
            self.permission_denied(request, message=_("You may not reinstate this service."))
        services.service_reinstate(actor=request.user, service=service)
        return Response(ServiceOutput(service).data)


class CatalogueAdoptApi(APIView):
    @extend_schema(
        request=AdoptInput,
        responses=AdoptionOutput,
        summary="Adopt the national template (only services not in the catalogue yet)",
    )
    def post(self, request: Request) -> Response:
        data = validated(AdoptInput, request.data)
        organisation = _organisation_for_write(request.user, data["organisation"])
        adoption = services.catalogue_adopt(actor=request.user, organisation=organisation)
        return Response(AdoptionOutput(adoption).data)


class ServiceOwnershipListApi(ListAPIView[Ownership]):
    serializer_class = OwnershipOutput

    def get_queryset(self) -> Any:
        service = _service(self.request, self.kwargs["pk"])
        return selectors.ownerships_of(service=service).order_by("target_group", "pk")

    @extend_schema(summary="The ownership cells of a service, one per entitled target group")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class OwnershipDetailApi(APIView):
    def _get(self, request: Request, pk: int) -> Ownership:
        try:
            return selectors.ownership_get(user=request.user, pk=pk)
        except Ownership.DoesNotExist:
            raise Http404 from None

    @extend_schema(responses=OwnershipOutput, summary="One ownership cell")
    def get(self, request: Request, pk: int) -> Response:
        return Response(OwnershipOutput(self._get(request, pk)).data)

    @extend_schema(
        request=OwnershipUpdateInput,
        responses=OwnershipOutput,
        summary="Change who owns a service for a target group, and how",
    )
    def patch(self, request: Request, pk: int) -> Response:
        ownership = self._get(request, pk)
        if not can_change(request.user, ownership):
            self.permission_denied(request, message=_("You may not change this ownership."))
        values = validated(OwnershipUpdateInput, request.data, partial=True)
        _resolve(
            values,
            "partner",
            selectors.partner_list(user=request.user),
            unknown=_("Unknown partner."),
        )
        _resolve(
            values,
            "contract",
            selectors.contract_list(user=request.user),
            unknown=_("Unknown contract."),
        )
        with model_validation_as_400():
            services.ownership_update(actor=request.user, ownership=ownership, **values)
        return Response(OwnershipOutput(ownership).data)


# --- coverage and demand --------------------------------------------------------------------


class CoverageApi(APIView):
    @extend_schema(
        summary="The coverage matrix: services x target groups, roll-up, cost and gaps",
        parameters=[MEMBER_ORGANISATION_PARAMETER],
        responses=CoverageOutput,
    )
    def get(self, request: Request) -> Response:
        query = validated(OrganisationQuery, request.query_params)
        organisation = _member_organisation(request.user, query.get("organisation"))
        overview = selectors.coverage(
            user=request.user, organisation=organisation, today=timezone.localdate()
        )
        return Response(CoverageOutput(overview).data)


class DemandApi(APIView):
    @extend_schema(
        summary="Demand against contracted capacity per service, today and per coming month",
        parameters=[
            MEMBER_ORGANISATION_PARAMETER,
            OpenApiParameter(
                "months",
                {"type": "integer", "minimum": 0, "maximum": 24},
                description="Months ahead, 0-24 (default: the configured horizon).",
            ),
        ],
        responses=DemandOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        query = validated(DemandQuery, request.query_params)
        organisation = _member_organisation(request.user, query.get("organisation"))
        months = query.get("months", settings.CARE_DEMAND_HORIZON_MONTHS)
        overview = selectors.demand(
            user=request.user, organisation=organisation, today=timezone.localdate(), months=months
        )
        body = [
            {"service": row.service, "cell": cell} for row in overview.rows for cell in row.cells
        ]
        return Response(DemandOutput(body, many=True).data)


# --- partners and contracts -----------------------------------------------------------------


class PartnerListApi(ListAPIView[Partner]):
    serializer_class = PartnerOutput

    def get_queryset(self) -> Any:
        query = validated(OrganisationQuery, self.request.query_params)
        queryset = selectors.partner_list(user=self.request.user)
        if "organisation" in query:
            queryset = queryset.filter(organisation_id=query["organisation"])
        return queryset.order_by("name", "pk")

    @extend_schema(summary="Partners the user may see", parameters=[ORGANISATION_PARAMETER])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=PartnerInput, responses={201: PartnerOutput}, summary="Add a partner")
    def post(self, request: Request) -> Response:
        values = validated(PartnerInput, request.data)
        organisation = _organisation_for_write(request.user, values.pop("organisation"))
        with model_validation_as_400():
            partner = services.partner_create(
                actor=request.user, organisation=organisation, **values
            )
        return Response(PartnerOutput(partner).data, status=status.HTTP_201_CREATED)


class PartnerDetailApi(APIView):
    @extend_schema(responses=PartnerOutput, summary="One partner")
    def get(self, request: Request, pk: int) -> Response:
        return Response(PartnerOutput(_partner(request, pk)).data)

    @extend_schema(request=PartnerUpdateInput, responses=PartnerOutput, summary="Change a partner")
    def patch(self, request: Request, pk: int) -> Response:
        partner = _partner(request, pk)
        if not can_change(request.user, partner):
            self.permission_denied(request, message=_("You may not change this partner."))
        data = validated(PartnerUpdateInput, request.data, partial=True)
        with model_validation_as_400():
            services.partner_update(actor=request.user, partner=partner, **data)
        return Response(PartnerOutput(partner).data)

    @extend_schema(
        responses={
            204: None,
            409: OpenApiResponse(description="The partner still owns cells (problem+json)."),
        },
        summary="Delete a partner (its contracts too; ownerships lose the link)",
    )
    def delete(self, request: Request, pk: int) -> Response:
        partner = _partner(request, pk)
        if not can_change(request.user, partner):
            self.permission_denied(request, message=_("You may not delete this partner."))
        try:
            services.partner_delete(actor=request.user, partner=partner)
        except DjangoValidationError as error:
            raise Conflict(" ".join(error.messages)) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class PartnerContractListApi(ListAPIView[Contract]):
    serializer_class = ContractOutput

    def get_queryset(self) -> Any:
        partner = _partner(self.request, self.kwargs["pk"])
        return (
            selectors.contract_list(user=self.request.user)
            .filter(partner=partner)
            .order_by("reference", "pk")
        )

    @extend_schema(summary="The contracts of a partner")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ContractInput, responses={201: ContractOutput}, summary="Add a contract")
    def post(self, request: Request, pk: int) -> Response:
        partner = _partner(request, pk)
        if not can_change(request.user, partner):
            self.permission_denied(request, message=_("You may not add contracts to this partner."))
        values = validated(ContractInput, request.data)
        _resolve(
            values,
            "service",
            selectors.service_list(user=request.user),
            unknown=_("Unknown service."),
        )
        with model_validation_as_400():
            contract = services.contract_create(actor=request.user, partner=partner, **values)
        return Response(ContractOutput(contract).data, status=status.HTTP_201_CREATED)


class ContractDetailApi(APIView):
    def _get(self, request: Request, pk: int) -> Contract:
        try:
            return selectors.contract_get(user=request.user, pk=pk)
        except Contract.DoesNotExist:
            raise Http404 from None

    @extend_schema(responses=ContractOutput, summary="One contract")
    def get(self, request: Request, pk: int) -> Response:
        return Response(ContractOutput(self._get(request, pk)).data)

    @extend_schema(
        request=ContractUpdateInput, responses=ContractOutput, summary="Change a contract"
    )
    def patch(self, request: Request, pk: int) -> Response:
        contract = self._get(request, pk)
        if not can_change(request.user, contract.partner):
            self.permission_denied(request, message=_("You may not change this contract."))
        values = validated(ContractUpdateInput, request.data, partial=True)
        _resolve(
            values,
            "service",
            selectors.service_list(user=request.user),
            unknown=_("Unknown service."),
        )
        with model_validation_as_400():
            services.contract_update(actor=request.user, contract=contract, **values)
        return Response(ContractOutput(contract).data)

    @extend_schema(responses={204: None}, summary="Delete a contract (ownerships lose the link)")
    def delete(self, request: Request, pk: int) -> Response:
        contract = self._get(request, pk)
        if not can_change(request.user, contract.partner):
            self.permission_denied(request, message=_("You may not delete this contract."))
        services.contract_delete(actor=request.user, contract=contract)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- civic integration ----------------------------------------------------------------------


class IntegrationCaseListApi(APIView):
    """Not paginated, like the households: every case read is logged, so the response holds
    exactly what was read and logged."""

    @extend_schema(
        summary="Integration cases with their deadlines (every read is logged)",
        parameters=[
            ORGANISATION_PARAMETER,
            OpenApiParameter(
                "residence_status",
                {"type": "string", "enum": ResidenceStatus.values},
                description="Only cases with this residence status.",
            ),
        ],
        responses=IntegrationCaseOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        query = validated(CaseQuery, request.query_params)
        narrowed = IntegrationCase.objects.order_by("linked_on", "code", "pk")
        if "organisation" in query:
            narrowed = narrowed.filter(organisation_id=query["organisation"])
        if "residence_status" in query:
            narrowed = narrowed.filter(residence_status=query["residence_status"])
        cases = selectors.integration_cases_read(
            user=request.user, purpose=selectors.PURPOSE_CASES_API, queryset=narrowed
        )
        rows = selectors.caseload(cases, today=timezone.localdate())
        return Response(IntegrationCaseOutput(rows, many=True).data)

    @extend_schema(
        request=IntegrationCaseInput,
        responses={201: IntegrationCaseOutput},
        summary="Register a person required to integrate (pseudonymous)",
    )
    def post(self, request: Request) -> Response:
        values = validated(IntegrationCaseInput, request.data)
        organisation = _organisation_for_write(request.user, values.pop("organisation"))
        # the household id goes to the service, which applies the one rule (forms, API)
        _resolve(
            values,
            "provider",
            selectors.provider_choices(user=request.user, organisation=organisation),
            unknown=_("Unknown partner."),
        )
        with model_validation_as_400():
            case = services.integration_case_create(
                actor=request.user, organisation=organisation, **values
            )
        created = _row(_case(request, case.pk))
        return Response(IntegrationCaseOutput(created).data, status=status.HTTP_201_CREATED)


class IntegrationCaseDetailApi(APIView):
    @extend_schema(
        responses=IntegrationCaseOutput, summary="One integration case (the read is logged)"
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(IntegrationCaseOutput(_row(_case(request, pk))).data)

    @extend_schema(
        request=IntegrationCaseChangeInput,
        responses=IntegrationCaseOutput,
        summary="Change an integration case",
    )
    def patch(self, request: Request, pk: int) -> Response:
        case = _case(request, pk)
        if not can_change(request.user, case):
            self.permission_denied(request, message=_("You may not change this case."))
        values = validated(IntegrationCaseChangeInput, request.data, partial=True)
        correct = bool(values.pop("correct_first_pip", False))
        # the household id goes to the service, which applies the one rule (forms, API)
        _resolve(
            values,
            "provider",
            selectors.provider_choices(user=request.user, organisation=case.organisation),
            unknown=_("Unknown partner."),
        )
        with model_validation_as_400():
            services.integration_case_update(
                actor=request.user, case=case, correct_first_pip=correct, **values
            )
        return Response(IntegrationCaseOutput(_row(case)).data)

    @extend_schema(responses={204: None}, summary="Delete an integration case")
    def delete(self, request: Request, pk: int) -> Response:
        case = _case(request, pk)
        if not can_change(request.user, case):
            self.permission_denied(request, message=_("You may not delete this case."))
        services.integration_case_delete(actor=request.user, case=case)
        return Response(status=status.HTTP_204_NO_CONTENT)
