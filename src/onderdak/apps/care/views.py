"""Care and support pages: the coverage overview (the alderman's page), the catalogue, gaps,
demand against capacity, partners and contracts, and the civic-integration caseload."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from onderdak.apps.accounts.selectors import can_change, may_create_in
from onderdak.common.forms import UploadForm, add_model_errors, submit
from onderdak.common.imports import ImportRejected
from onderdak.common.tables import Column, export_response, requested_export, table_or_export

from . import charts, reports, selectors, services
from .forms import (
    ContactForm,
    ContractForm,
    IntegrationCaseForm,
    OwnershipForm,
    PartnerForm,
    RetireForm,
    ServiceForm,
)
from .models import (
    Contract,
    IntegrationCase,
    Ownership,
    Partner,
    ResidenceStatus,
    Service,
)

if TYPE_CHECKING:
    from onderdak.apps.accounts.models import Organisation

STATUS_LIGHT = {
    "structural": "green",
    "temporary": "amber",
    "missing": "red",
    "not_applicable": "grey",
}


def _today() -> date:
    return timezone.localdate()


def _organisation(request: HttpRequest) -> Organisation:
    """The organisation asked for (``?organisatie=``), when the user is a member; else 404.
    Without the parameter: the user's own (first) organisation."""
    requested = request.GET.get("organisatie")
    organisation = selectors.organisation_for(request.user, requested)
    if organisation is None:
        raise PermissionDenied
    if requested and str(organisation.pk) != requested:
        raise Http404
    return organisation


def _editable_organisation(request: HttpRequest, record: Any) -> Organisation:
    """The organisation of a record to change (or, for a new one, the page's organisation),
    after checking that the user may change it or create in it."""
    organisation: Organisation = record.organisation if record else _organisation(request)
    if (record and not can_change(request.user, record)) or (
        not record and not may_create_in(request.user, organisation)
    ):
        raise PermissionDenied
    return organisation


def _context(
    request: HttpRequest, organisation: Organisation, tab: str, **extra: Any
) -> dict[str, Any]:
    return {
        "organisation": organisation,
        "organisations": selectors.organisations_for(request.user),
        "tab": tab,
        "can_edit": may_create_in(request.user, organisation),
        "region_view": selectors.is_region_view(request.user, organisation),
        **extra,
    }


# --- overview ------------------------------------------------------------------------------


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    data = selectors.coverage(user=request.user, organisation=organisation, today=_today())
    fmt = request.GET.get("export")
    if fmt == "docx":
        return reports.docx_response(data, today=_today())
    if fmt == "xlsx":
        return reports.xlsx_response(data, today=_today())
    return render(
        request,
        "care/overview.html",
        _context(
            request,
            organisation,
            "overview",
            data=data,
            lights=STATUS_LIGHT,
            chart=charts.coverage_chart(data) if not data.empty else "",
            ending=selectors.contracts_ending(
                user=request.user,
                organisation=organisation,
                today=_today(),
                months=settings.CARE_CONTRACT_WARNING_MONTHS,
            ),
            warning_months=settings.CARE_CONTRACT_WARNING_MONTHS,
        ),
    )


# --- catalogue -----------------------------------------------------------------------------

SERVICE_COLUMNS = (
    Column("name", gettext_lazy("Service"), lambda s: s.name, "name"),
    Column("category", gettext_lazy("Category"), lambda s: s.get_category_display(), "category"),
    Column("basis", gettext_lazy("Demand counted in"), lambda s: s.get_basis_display(), "basis"),
    Column("task_field", gettext_lazy("BBV task field"), lambda s: s.task_field, "task_field"),
    Column(
        "origin",
        gettext_lazy("Origin"),
        lambda s: _("national template") if s.template_code else _("own addition"),
        "template_code",
    ),
    Column(
        "retired_on",
        gettext_lazy("Retired on"),
        lambda s: s.retired_on,
        "retired_on",
    ),
)


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    queryset = selectors.service_list(user=request.user, organisation=organisation)
    show = request.GET.get("toon", "actief")
    if show == "actief":
        queryset = queryset.filter(retired_on__isnull=True)
    elif show == "beeindigd":
        queryset = queryset.filter(retired_on__isnull=False)
    state, export = table_or_export(
        request,
        queryset,
        columns=SERVICE_COLUMNS,
        search_fields=("name", "description", "rule", "code"),
        default_sort="name",
        export_name="dienstencatalogus",
        page_size=50,
    )
    if export:
        return export
    has_services = selectors.service_list(user=request.user, organisation=organisation).exists()
    return render(
        request,
        "care/catalogue.html",
        _context(
            request, organisation, "catalogue", table=state, show=show, has_services=has_services
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def catalogue_adopt(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    if not may_create_in(request.user, organisation):
        raise PermissionDenied
    from .catalogue import template

    if request.method == "POST":
        result = services.catalogue_adopt(actor=request.user, organisation=organisation)
        messages.success(
            request,
            ngettext(
                "%(created)d service adopted from the national template.",
                "%(created)d services adopted from the national template.",
                result.created,
            )
            % {"created": result.created},
        )
        return redirect(f"{_url('care:catalogue')}?organisatie={organisation.pk}")
    return render(
        request,
        "care/adopt.html",
        _context(request, organisation, "catalogue", template=template()),
    )


def _url(name: str, *args: Any) -> str:
    from onderdak.common.urls import reverse

    return reverse(name, args=args)


def _service(request: HttpRequest, pk: int) -> Service:
    try:
        return selectors.service_get(user=request.user, pk=pk)
    except Service.DoesNotExist:
        raise Http404 from None


@login_required
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = _service(request, pk)
    ownerships = list(selectors.ownerships_of(service=service))
    history = selectors.service_history(service=service, limit=50)
    demand = None
    if service.basis != "none" and service.active:
        lines = selectors.demand_lines(
            user=request.user,
            organisation=service.organisation,
            dates=[_today()],
            services=[service],
        )
        demand = lines[0] if lines else None
    return render(
        request,
        "care/service_detail.html",
        _context(
            request,
            service.organisation,
            "catalogue",
            service=service,
            ownerships=ownerships,
            contracts=selectors.contracts_of_service(service=service),
            history=history,
            template_name=_template_name(service),
            demand=demand,
            capacity_contracted=service.code
            in selectors.capacity_contracted(user=request.user, organisation=service.organisation),
            lights=STATUS_LIGHT,
            editable=can_change(request.user, service),
        ),
    )


def _template_name(service: Service) -> str:
    """The name of the template service this one was adopted from (shown, never its code)."""
    from .catalogue import template

    entry = template().get(service.template_code) if service.template_code else None
    return entry.name if entry is not None else ""


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    service = _service(request, pk) if pk else None
    organisation = _editable_organisation(request, service)
    # the form works on its own copy, so the service keeps its state for the audit's "before"
    form = ServiceForm(request.POST or None, instance=_service(request, pk) if pk else None)

    def write(data: dict[str, Any]) -> Service:
        code = data.pop("code")
        if service is None:
            return services.service_create(
                actor=request.user, organisation=organisation, code=code, **data
            )
        return services.service_update(actor=request.user, service=service, **data)

    saved = submit(request, form, write, success=_("The service has been saved."))
    if saved is not None:
        return redirect("care:service_detail", pk=saved.pk)
    return render(
        request,
        "care/service_form.html",
        _context(request, organisation, "catalogue", form=form, service=service),
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_retire(request: HttpRequest, pk: int) -> HttpResponse:
    service = _service(request, pk)
    if not can_change(request.user, service):
        raise PermissionDenied
    if not service.active:
        if request.method == "POST":
            services.service_reinstate(actor=request.user, service=service)
            messages.success(request, _("The service is back in the catalogue."))
        return redirect("care:service_detail", pk=service.pk)
    form = RetireForm(request.POST or None, initial={"on": _today()})
    if submit(
        request,
        form,
        lambda data: services.service_retire(actor=request.user, service=service, **data),
        success=_("The service has been retired; its history is kept."),
    ):
        return redirect("care:service_detail", pk=service.pk)
    return render(
        request,
        "care/service_retire.html",
        _context(request, service.organisation, "catalogue", form=form, service=service),
    )


@login_required
@require_http_methods(["GET", "POST"])
def ownership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        ownership = selectors.ownership_get(user=request.user, pk=pk)
    except Ownership.DoesNotExist:
        raise Http404 from None
    if not can_change(request.user, ownership):
        raise PermissionDenied
    organisation = ownership.service.organisation
    form = OwnershipForm(
        request.POST or None,
        instance=selectors.ownership_get(user=request.user, pk=pk),
        partners=selectors.provider_choices(user=request.user, organisation=organisation),
        contracts=selectors.contract_choices(user=request.user, organisation=organisation),
    )
    if submit(
        request,
        form,
        lambda data: services.ownership_update(actor=request.user, ownership=ownership, **data),
        success=_("The ownership has been saved."),
    ):
        return redirect("care:service_detail", pk=ownership.service_id)
    return render(
        request,
        "care/ownership_form.html",
        _context(
            request, ownership.service.organisation, "catalogue", form=form, ownership=ownership
        ),
    )


# --- gaps ----------------------------------------------------------------------------------

GAP_COLUMNS = (
    Column("service", gettext_lazy("Service"), lambda o: o.service.name, "service__name"),
    Column(
        "target_group",
        gettext_lazy("Target group"),
        lambda o: o.get_target_group_display(),
        "target_group",
    ),
    Column("status", gettext_lazy("Status"), lambda o: o.get_status_display(), "status"),
    Column("owner", gettext_lazy("Owner now"), lambda o: o.owner_label or _("nobody"), None),
    Column("alderman", gettext_lazy("Accountable alderman"), lambda o: o.alderman, "alderman"),
    Column("review_date", gettext_lazy("Review by"), lambda o: o.review_date, "review_date"),
    Column(
        "review_passed",
        gettext_lazy("Review date passed"),
        lambda o: _("yes") if o.review_date and o.review_date < _today() else "",
        None,
    ),
    Column("evidence", gettext_lazy("Notes"), lambda o: o.evidence, None),
)


@login_required
def gaps(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    queryset = selectors.gap_list(user=request.user, organisation=organisation)
    state, export = table_or_export(
        request,
        queryset,
        columns=GAP_COLUMNS,
        search_fields=("service__name", "alderman", "team", "partner__name", "evidence"),
        default_sort="status",
        export_name="knelpunten-zorg",
        page_size=50,
    )
    if export:
        return export
    return render(request, "care/gaps.html", _context(request, organisation, "gaps", table=state))


# --- demand --------------------------------------------------------------------------------


@login_required
def demand(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    data = selectors.demand(
        user=request.user,
        organisation=organisation,
        today=_today(),
        months=settings.CARE_DEMAND_HORIZON_MONTHS,
    )
    return render(
        request,
        "care/demand.html",
        _context(
            request,
            organisation,
            "demand",
            data=data,
            chart=charts.demand_chart(data) if data.rows else "",
        ),
    )


# --- partners ------------------------------------------------------------------------------

PARTNER_COLUMNS = (
    Column("name", gettext_lazy("Name"), lambda p: p.name, "name"),
    Column("kind", gettext_lazy("Kind"), lambda p: p.get_kind_display(), "kind"),
    Column("shared", gettext_lazy("Shared"), lambda p: _("yes") if p.shared else _("no"), "shared"),
)


@login_required
def partner_list(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    queryset = selectors.partner_list(user=request.user, organisation=organisation)
    state, export = table_or_export(
        request,
        queryset,
        columns=PARTNER_COLUMNS,
        search_fields=("name", "notes"),
        default_sort="name",
        export_name="partners",
        page_size=50,
    )
    if export:
        return export
    return render(
        request, "care/partner_list.html", _context(request, organisation, "partners", table=state)
    )


def _partner(request: HttpRequest, pk: int) -> Partner:
    try:
        return selectors.partner_get(user=request.user, pk=pk)
    except Partner.DoesNotExist:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partner = _partner(request, pk)
    editable = can_change(request.user, partner)
    contact_form = ContactForm(request.POST if request.POST.get("form") == "contact" else None)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if request.POST.get("form") == "contact" and contact_form.is_valid():
            try:
                services.contact_create(
                    actor=request.user, partner=partner, **contact_form.cleaned_data
                )
            except ValidationError as error:
                add_model_errors(contact_form, error)
            else:
                messages.success(request, _("The contact has been added."))
                return redirect("care:partner_detail", pk=partner.pk)
        elif request.POST.get("form") == "contact_delete":
            contact = partner.contacts.filter(pk=request.POST.get("contact") or 0).first()
            if contact is None:
                raise Http404
            services.contact_delete(actor=request.user, contact=contact)
            messages.success(request, _("The contact has been removed."))
            return redirect("care:partner_detail", pk=partner.pk)
    return render(
        request,
        "care/partner_detail.html",
        _context(
            request,
            partner.organisation,
            "partners",
            partner=partner,
            editable=editable,
            contact_form=contact_form,
            ownerships=partner.ownerships.select_related("service"),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    partner = _partner(request, pk) if pk else None
    organisation = _editable_organisation(request, partner)
    form = PartnerForm(request.POST or None, instance=_partner(request, pk) if pk else None)

    def write(data: dict[str, Any]) -> Partner:
        if partner is None:
            return services.partner_create(actor=request.user, organisation=organisation, **data)
        return services.partner_update(actor=request.user, partner=partner, **data)

    saved = submit(request, form, write, success=_("The partner has been saved."))
    if saved is not None:
        return redirect("care:partner_detail", pk=saved.pk)
    return render(
        request,
        "care/partner_form.html",
        _context(request, organisation, "partners", form=form, partner=partner),
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_delete(request: HttpRequest, pk: int) -> HttpResponse:
    partner = _partner(request, pk)
    if not can_change(request.user, partner):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.partner_delete(actor=request.user, partner=partner)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("care:partner_detail", pk=partner.pk)
        messages.success(request, _("The partner has been deleted."))
        return redirect(f"{_url('care:partner_list')}?organisatie={partner.organisation_id}")
    return render(
        request,
        "care/confirm_delete.html",
        _context(
            request,
            partner.organisation,
            "partners",
            object=partner,
            back=_url("care:partner_detail", partner.pk),
            warning=_(
                "Its contacts and contracts are deleted too; ownerships lose their link to it."
            ),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_edit(request: HttpRequest, partner_pk: int, pk: int | None = None) -> HttpResponse:
    partner = _partner(request, partner_pk)
    if not can_change(request.user, partner):
        raise PermissionDenied
    contract = partner.contracts.filter(pk=pk).first() if pk else None
    if pk and contract is None:
        raise Http404
    form = ContractForm(
        request.POST or None,
        instance=partner.contracts.get(pk=pk) if pk else None,
        services=selectors.service_choices(user=request.user, organisation=partner.organisation),
    )

    def write(data: dict[str, Any]) -> Contract:
        if contract is None:
            return services.contract_create(actor=request.user, partner=partner, **data)
        return services.contract_update(actor=request.user, contract=contract, **data)

    if submit(request, form, write, success=_("The contract has been saved.")):
        return redirect("care:partner_detail", pk=partner.pk)
    return render(
        request,
        "care/contract_form.html",
        _context(
            request, partner.organisation, "partners", form=form, partner=partner, contract=contract
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_delete(request: HttpRequest, partner_pk: int, pk: int) -> HttpResponse:
    partner = _partner(request, partner_pk)
    if not can_change(request.user, partner):
        raise PermissionDenied
    contract: Contract | None = partner.contracts.filter(pk=pk).first()
    if contract is None:
        raise Http404
    if request.method == "POST":
        services.contract_delete(actor=request.user, contract=contract)
        messages.success(request, _("The contract has been deleted."))
        return redirect("care:partner_detail", pk=partner.pk)
    return render(
        request,
        "care/confirm_delete.html",
        _context(
            request,
            partner.organisation,
            "partners",
            object=contract,
            back=_url("care:partner_detail", partner.pk),
            warning=_("Ownerships that refer to this contract lose the link."),
        ),
    )


# --- civic integration ---------------------------------------------------------------------

STATE_LABELS = {
    "overdue": gettext_lazy("overdue"),
    "due_soon": gettext_lazy("due soon"),
    "open": gettext_lazy("on schedule"),
    "done": gettext_lazy("done"),
    "done_late": gettext_lazy("done late"),
    "not_applicable": gettext_lazy("closed"),
}
STATE_LIGHT = {
    "overdue": "red",
    "due_soon": "amber",
    "open": "green",
    "done": "green",
    "done_late": "amber",
    "not_applicable": "grey",
}
CASE_COLUMNS = (
    Column("code", gettext_lazy("Code"), lambda r: r.case.code, None),
    Column(
        "household",
        gettext_lazy("Household"),
        lambda r: selectors.household_code(r.case) or "",
        None,
    ),
    Column(
        "residence_status",
        gettext_lazy("Residence status"),
        lambda r: r.case.get_residence_status_display(),
        None,
    ),
    Column("status", gettext_lazy("Status"), lambda r: r.case.get_status_display(), None),
    Column("route", gettext_lazy("Route"), lambda r: r.case.get_route_display(), None),
    Column("linked_on", gettext_lazy("Linked on"), lambda r: r.case.linked_on, None),
    Column("intake_due", gettext_lazy("Broad intake due"), lambda r: _due(r, "broad_intake"), None),
    Column(
        "intake_state",
        gettext_lazy("Broad intake"),
        lambda r: _state(r, "broad_intake"),
        None,
    ),
    Column("pip_due", gettext_lazy("PIP due"), lambda r: _due(r, "pip"), None),
    Column("pip_state", gettext_lazy("PIP"), lambda r: _state(r, "pip"), None),
    Column("term_start", gettext_lazy("Integration term starts"), lambda r: r.term_start, None),
    Column(
        "term_due",
        gettext_lazy("Last day of the integration term"),
        lambda r: _due(r, "term"),
        None,
    ),
    Column(
        "relief_end", gettext_lazy("Financial relief until"), lambda r: _due(r, "relief_end"), None
    ),
    Column(
        "state",
        gettext_lazy("Warning"),
        lambda r: STATE_LABELS.get(str(r.state), str(r.state)),
        None,
    ),
)


def _due(row: Any, kind: str) -> Any:
    deadline = row.deadline(kind)
    return deadline.due if deadline else None


def _state(row: Any, kind: str) -> str:
    deadline = row.deadline(kind)
    return str(STATE_LABELS[deadline.state]) if deadline else ""


#: The caseload's filter on residence status (query parameter ``verblijfsstatus``).
RESIDENCE_PARAMETER = "verblijfsstatus"


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    fmt = requested_export(request)
    cases = selectors.integration_cases_read(
        user=request.user,
        purpose=selectors.PURPOSE_CASES_EXPORT if fmt else selectors.PURPOSE_CASES,
        queryset=IntegrationCase.objects.filter(organisation=organisation),
    )
    residence = request.GET.get(RESIDENCE_PARAMETER, "")
    if residence not in ResidenceStatus.values:
        residence = ""
    all_rows = selectors.caseload(cases, today=_today())
    rows = [r for r in all_rows if not residence or r.case.residence_status == residence]
    warning = request.GET.get("signaal", "")
    if warning:
        rows = [r for r in rows if str(r.state) == warning]
    order = {"overdue": 0, "due_soon": 1, "done_late": 2, "open": 3, "done": 4, "not_applicable": 5}
    rows.sort(key=lambda r: (order.get(str(r.state), 9), r.case.linked_on, r.case.code))
    if fmt:
        return export_response("inburgering", CASE_COLUMNS, rows, fmt)
    counts = {
        state: sum(
            1
            for r in all_rows
            if str(r.state) == state and (not residence or r.case.residence_status == residence)
        )
        for state in order
    }
    residences = [
        (value, label, sum(1 for r in all_rows if r.case.residence_status == value))
        for value, label in ResidenceStatus.choices
    ]
    return render(
        request,
        "care/caseload.html",
        _context(
            request,
            organisation,
            "integration",
            rows=rows,
            counts=counts,
            labels=STATE_LABELS,
            state_light=STATE_LIGHT,
            warning=warning,
            residence=residence,
            residences=residences,
        ),
    )


def _case(request: HttpRequest, pk: int) -> IntegrationCase:
    try:
        return selectors.integration_case_get(user=request.user, pk=pk)
    except IntegrationCase.DoesNotExist:
        raise Http404 from None


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    row = selectors.caseload([case], today=_today())[0]
    return render(
        request,
        "care/case_detail.html",
        _context(
            request,
            case.organisation,
            "integration",
            case=case,
            row=row,
            rule=case.residence_rule,
            deadlines=row.deadlines,
            labels=STATE_LABELS,
            state_light=STATE_LIGHT,
            editable=can_change(request.user, case),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    case = _case(request, pk) if pk else None
    organisation = _editable_organisation(request, case)
    households = selectors.household_choices(
        user=request.user, organisation=organisation, keep=case.household_id if case else None
    )
    form = IntegrationCaseForm(
        request.POST or None,
        instance=IntegrationCase.objects.get(pk=case.pk) if case else None,
        households=households,
        providers=selectors.provider_choices(user=request.user, organisation=organisation),
    )
    if case is not None and getattr(case, "household_hidden", False):
        # linked to a household the user may not see: kept as it is, not offered, not shown
        field = form.fields["household"]
        assert isinstance(field, forms.TypedChoiceField)
        field.disabled = True
        field.choices = [(case.household_id, _("linked (not shared with you)"))]

    def write(data: dict[str, Any]) -> IntegrationCase:
        code = data.pop("code")
        correct = bool(data.pop("correct_first_pip", False))
        if case is None:
            return services.integration_case_create(
                actor=request.user, organisation=organisation, code=code, **data
            )
        return services.integration_case_update(
            actor=request.user, case=case, correct_first_pip=correct, **data
        )

    saved = submit(request, form, write, success=_("The integration case has been saved."))
    if saved is not None:
        return redirect("care:case_detail", pk=saved.pk)
    return render(
        request,
        "care/case_form.html",
        _context(request, organisation, "integration", form=form, case=case),
    )


@login_required
@require_POST
def case_delete(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if not can_change(request.user, case):
        raise PermissionDenied
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "care/confirm_delete.html",
            _context(
                request,
                case.organisation,
                "integration",
                object=case,
                back=_url("care:case_detail", case.pk),
                warning=_(
                    "Delete only a case registered by mistake; close a real case with a status instead."
                ),
                confirm_field=True,
            ),
        )
    services.integration_case_delete(actor=request.user, case=case)
    messages.success(request, _("The integration case has been deleted."))
    return redirect(f"{_url('care:caseload')}?organisatie={case.organisation_id}")


@login_required
@require_http_methods(["GET", "POST"])
def case_import(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    if not may_create_in(request.user, organisation):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, extensions=(".csv", ".xlsx"))
    errors = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created, updated = services.integration_import(
                actor=request.user,
                organisation=organisation,
                content=upload.read(),
                filename=upload.name,
            )
        except ImportRejected as rejection:
            errors = rejection.errors
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d integration case imported.",
                    "%(count)d integration cases imported.",
                    created + updated,
                )
                % {"count": created + updated},
            )
            return redirect(f"{_url('care:caseload')}?organisatie={organisation.pk}")
    return render(
        request,
        "care/case_import.html",
        _context(
            request,
            organisation,
            "integration",
            form=form,
            errors=errors,
            columns=[str(column.label) for column in services.CASE_IMPORT.columns],
        ),
    )
