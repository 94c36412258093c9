"""Finance pages (budget part): the index, standard rates, the budget with its amendments,
actuals and the ledger mapping. Everyone in the organisation reads; controllers and
administrators change (a POST by anyone else answers 403)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from onderdak.apps.accounts.selectors import may_manage_finance
from onderdak.common.forms import UploadForm, submit
from onderdak.common.imports import ImportRejected
from onderdak.common.tables import Column, table_or_export
from onderdak.common.urls import reverse
from onderdak.common.vocabulary import target_group_label

from . import selectors, services
from .forms import ActualsUploadForm, AmendmentForm, BudgetLineForm, MappingForm, RateForm
from .models import BudgetAmendment, BudgetLine, LedgerMapping, Rate

if TYPE_CHECKING:
    from onderdak.apps.accounts.models import Organisation


def _today() -> date:
    return timezone.localdate()


def _organisation(request: HttpRequest) -> Organisation:
    requested = request.GET.get("organisatie") or request.POST.get("organisatie")
    organisation = selectors.organisation_for(request.user, requested)
    if organisation is None:
        raise Http404 if requested else PermissionDenied
    return organisation


def _require_manage(request: HttpRequest, organisation_id: int) -> None:
    if not may_manage_finance(request.user, organisation_id):
        raise PermissionDenied


def _context(
    request: HttpRequest, organisation: Organisation, tab: str, **extra: Any
) -> dict[str, Any]:
    return {
        "organisation": organisation,
        "organisations": selectors.organisations_for(request.user),
        "tab": tab,
        "can_manage": may_manage_finance(request.user, organisation.pk),
        **extra,
    }


def _back(name: str, organisation_id: int, **query: Any) -> str:
    extra = "".join(f"&{key}={value}" for key, value in query.items())
    return f"{reverse(name)}?organisatie={organisation_id}{extra}"


def _get(getter: Any, request: HttpRequest, pk: int) -> Any:
    try:
        return getter(user=request.user, pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None


# --- index ---------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    return render(request, "finance/index.html", _context(request, organisation, "index"))


# --- rates ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rates(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    if request.method == "POST":
        _require_manage(request, organisation.pk)
        created = services.adopt_national_rates(actor=request.user, organisation=organisation)
        messages.success(
            request,
            ngettext(
                "%(count)d national rate adopted.", "%(count)d national rates adopted.", created
            )
            % {"count": created},
        )
        return redirect(_back("finance:rates", organisation.pk))
    schemes = selectors.rates_by_scheme(user=request.user, organisation_id=organisation.pk)
    return render(
        request,
        "finance/rates.html",
        _context(request, organisation, "rates", schemes=schemes),
    )


@login_required
@require_http_methods(["GET", "POST"])
def rate_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    rate: Rate | None = _get(selectors.rate_get, request, pk) if pk else None
    organisation = rate.organisation if rate else _organisation(request)
    _require_manage(request, organisation.pk)
    form = RateForm(request.POST or None, instance=rate)

    def write(data: dict[str, Any]) -> Rate:
        if rate is None:
            return services.rate_create(actor=request.user, organisation=organisation, **data)
        return services.rate_update(actor=request.user, rate=rate, **data)

    if submit(request, form, write, success=_("The standard rate has been saved.")):
        return redirect(_back("finance:rates", organisation.pk))
    history = selectors.rate_history(rate=rate) if rate else []
    return render(
        request,
        "finance/rates_form.html",
        _context(request, organisation, "rates", form=form, rate=rate, history=history),
    )


@login_required
def rate_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The history of one rate row (for everyone who reads the rates): the scheme's dated
    rows and the row's audit trail."""
    rate: Rate = _get(selectors.rate_get, request, pk)
    scheme = next(
        (
            s
            for s in selectors.rates_by_scheme(
                user=request.user, organisation_id=rate.organisation_id
            )
            if s.scheme == rate.scheme
        ),
        None,
    )
    return render(
        request,
        "finance/rates_history.html",
        _context(
            request,
            rate.organisation,
            "rates",
            rate=rate,
            scheme=scheme,
            history=selectors.rate_history(rate=rate),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def rate_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rate: Rate = _get(selectors.rate_get, request, pk)
    _require_manage(request, rate.organisation_id)
    if request.method == "POST":
        services.rate_delete(actor=request.user, rate=rate)
        messages.success(request, _("The standard rate has been deleted."))
        return redirect(_back("finance:rates", rate.organisation_id))
    return render(
        request,
        "finance/index_confirm_delete.html",
        _context(
            request,
            rate.organisation,
            "rates",
            object=rate,
            back=_back("finance:rates", rate.organisation_id),
            warning=_("Costs computed with this scheme then use the previous rate."),
        ),
    )


# --- budget --------------------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("jaar", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return _today().year


@login_required
def budget(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    year = _year(request)
    on = min(_today(), date(year, 12, 31))
    rows = selectors.budget_rows(
        user=request.user, organisation_id=organisation.pk, year=year, on=date(year, 12, 31)
    )
    groups = selectors.budget_groups(rows)
    return render(
        request,
        "finance/budget.html",
        _context(
            request,
            organisation,
            "budget",
            year=year,
            years=range(year - 2, year + 3),
            on=on,
            groups=groups,
            amendments=selectors.amendment_list(
                user=request.user, organisation_id=organisation.pk
            ).filter(line__year=year),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def budget_line_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    line: BudgetLine | None = _get(selectors.budget_line_get, request, pk) if pk else None
    organisation = line.organisation if line else _organisation(request)
    _require_manage(request, organisation.pk)
    form = BudgetLineForm(
        request.POST or None, instance=line, initial={"year": _year(request)} if not line else None
    )

    def write(data: dict[str, Any]) -> BudgetLine:
        if line is None:
            return services.budget_line_create(
                actor=request.user, organisation=organisation, **data
            )
        return services.budget_line_update(actor=request.user, line=line, **data)

    saved = submit(request, form, write, success=_("The budget line has been saved."))
    if saved is not None:
        return redirect(_back("finance:budget", organisation.pk, jaar=saved.year))
    return render(
        request,
        "finance/budget_form.html",
        _context(request, organisation, "budget", form=form, line=line),
    )


@login_required
@require_http_methods(["GET", "POST"])
def budget_line_delete(request: HttpRequest, pk: int) -> HttpResponse:
    line: BudgetLine = _get(selectors.budget_line_get, request, pk)
    _require_manage(request, line.organisation_id)
    back = _back("finance:budget", line.organisation_id, jaar=line.year)
    if request.method == "POST":
        services.budget_line_delete(actor=request.user, line=line)
        messages.success(request, _("The budget line has been deleted."))
        return redirect(back)
    current = selectors.current_amount(line, date(line.year, 12, 31))
    count = line.amendments.count()
    return render(
        request,
        "finance/index_confirm_delete.html",
        _context(
            request,
            line.organisation,
            "budget",
            object=line,
            back=back,
            warning=ngettext(
                "The %(direction)s budget of task field %(task_field)s falls by %(amount)s; "
                "its %(count)d amendment is deleted too.",
                "The %(direction)s budget of task field %(task_field)s falls by %(amount)s; "
                "its %(count)d amendments are deleted too.",
                count,
            )
            % {
                "direction": line.get_direction_display().lower(),
                "task_field": line.task_field,
                "amount": _money(current),
                "count": count,
            },
        ),
    )


def _money(value: Any) -> str:
    from onderdak.common.exports import format_money

    return format_money(value)


@login_required
@require_http_methods(["GET", "POST"])
def amendment_edit(request: HttpRequest, line_pk: int, pk: int | None = None) -> HttpResponse:
    line: BudgetLine = _get(selectors.budget_line_get, request, line_pk)
    _require_manage(request, line.organisation_id)
    amendment: BudgetAmendment | None = line.amendments.filter(pk=pk).first() if pk else None
    if pk and amendment is None:
        raise Http404
    form = AmendmentForm(request.POST or None, instance=amendment)

    def write(data: dict[str, Any]) -> BudgetAmendment:
        if amendment is None:
            return services.amendment_create(actor=request.user, line=line, **data)
        return services.amendment_update(actor=request.user, amendment=amendment, **data)

    if submit(request, form, write, success=_("The budget amendment has been saved.")):
        return redirect(_back("finance:budget", line.organisation_id, jaar=line.year))
    return render(
        request,
        "finance/budget_amendment_form.html",
        _context(request, line.organisation, "budget", form=form, line=line, amendment=amendment),
    )


@login_required
@require_http_methods(["GET", "POST"])
def amendment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    amendment: BudgetAmendment = _get(selectors.amendment_get, request, pk)
    line = amendment.line
    _require_manage(request, line.organisation_id)
    back = _back("finance:budget", line.organisation_id, jaar=line.year)
    if request.method == "POST":
        services.amendment_delete(actor=request.user, amendment=amendment)
        messages.success(request, _("The budget amendment has been deleted."))
        return redirect(back)
    return render(
        request,
        "finance/index_confirm_delete.html",
        _context(
            request,
            line.organisation,
            "budget",
            object=amendment,
            back=back,
            warning=_("The current budget of “%(line)s” changes by %(amount)s.")
            % {"line": line.description, "amount": _money(-amendment.amount)},
        ),
    )


# --- actuals -------------------------------------------------------------------------------

ACTUAL_COLUMNS = (
    Column("date", gettext_lazy("Booking date"), lambda a: a.booking_date, "booking_date"),
    Column("account", gettext_lazy("Ledger account"), lambda a: a.account, "account"),
    Column("task_field", gettext_lazy("Task field"), lambda a: a.task_field, "task_field"),
    Column("track", gettext_lazy("Track"), lambda a: a.get_track_display(), "track"),
    Column(
        "target_group",
        gettext_lazy("Target group"),
        lambda a: target_group_label(a.target_group) if a.target_group else "",
        "target_group",
    ),
    Column(
        "direction",
        gettext_lazy("Income or expenditure"),
        lambda a: a.get_direction_display(),
        "direction",
    ),
    Column("amount", gettext_lazy("Amount (euro)"), lambda a: a.amount, "amount", numeric=True),
    Column("description", gettext_lazy("Description"), lambda a: a.description, "description"),
    Column("cost_centre", gettext_lazy("Cost centre"), lambda a: a.cost_centre, "cost_centre"),
)


@login_required
@require_http_methods(["GET", "POST"])
def actuals(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = ActualsUploadForm(
        request.POST or None, request.FILES or None, extensions=(".csv", ".xlsx")
    )
    errors = None
    if request.method == "POST":
        _require_manage(request, organisation.pk)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services.actuals_import(
                    actor=request.user,
                    organisation=organisation,
                    content=upload.read(),
                    filename=upload.name,
                    period_start=form.cleaned_data["period_start"],
                    period_end=form.cleaned_data["period_end"],
                )
            except ImportRejected as rejection:
                errors = rejection.errors
            else:
                text = ngettext(
                    "%(count)d booking imported.", "%(count)d bookings imported.", result.rows
                ) % {"count": result.rows}
                if result.replaced:
                    text += " " + _("The import %(what)s.") % {
                        "what": "; ".join(str(r) for r in result.replaced)
                    }
                messages.success(request, text)
                return redirect(_back("finance:actuals", organisation.pk))
    return render(
        request,
        "finance/actuals.html",
        _context(
            request,
            organisation,
            "actuals",
            form=form,
            errors=errors,
            imports=selectors.actual_imports(user=request.user, organisation_id=organisation.pk)[
                :100
            ],
            columns=[str(column.label) for column in services.ACTUALS_IMPORT.columns],
        ),
    )


@login_required
def actual_list(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    state, export = table_or_export(
        request,
        selectors.actual_list(user=request.user, organisation_id=organisation.pk),
        columns=ACTUAL_COLUMNS,
        search_fields=("account", "task_field", "description", "cost_centre"),
        default_sort="-date",
        export_name=_("actuals"),
        page_size=50,
    )
    if export:
        return export
    return render(
        request,
        "finance/actuals_list.html",
        _context(request, organisation, "actuals", table=state),
    )


@login_required
@require_http_methods(["GET", "POST"])
def actual_import_delete(request: HttpRequest, pk: int) -> HttpResponse:
    batch = (
        selectors.actual_imports(user=request.user).select_related("organisation").filter(pk=pk)
    ).first()
    if batch is None:
        raise Http404
    _require_manage(request, batch.organisation_id)
    back = _back("finance:actuals", batch.organisation_id)
    if request.method == "POST":
        services.actual_import_delete(actor=request.user, batch=batch)
        messages.success(request, _("The import has been deleted."))
        return redirect(back)
    return render(
        request,
        "finance/index_confirm_delete.html",
        _context(
            request,
            batch.organisation,
            "actuals",
            object=batch,
            back=back,
            warning=ngettext(
                "Its %(count)d booking is deleted.",
                "Its %(count)d bookings are deleted.",
                batch.rows,
            )
            % {"count": batch.rows},
        ),
    )


# --- ledger mapping ------------------------------------------------------------------------

MAPPING_COLUMNS = (
    Column("account", gettext_lazy("Ledger account"), lambda m: m.account, "account"),
    Column("task_field", gettext_lazy("Task field"), lambda m: m.task_field, "task_field"),
    Column("track", gettext_lazy("Track"), lambda m: m.get_track_display(), "track"),
    Column(
        "target_group",
        gettext_lazy("Target group"),
        lambda m: target_group_label(m.target_group) if m.target_group else "",
        "target_group",
    ),
    Column(
        "direction",
        gettext_lazy("Income or expenditure"),
        lambda m: m.get_direction_display(),
        "direction",
    ),
    Column("description", gettext_lazy("Description"), lambda m: m.description, "description"),
)


@login_required
@require_http_methods(["GET", "POST"])
def mapping(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    upload = UploadForm(request.POST or None, request.FILES or None, extensions=(".csv", ".xlsx"))
    errors = None
    if request.method == "POST":
        _require_manage(request, organisation.pk)
        if upload.is_valid():
            file = upload.cleaned_data["file"]
            try:
                created, updated = services.mapping_import(
                    actor=request.user,
                    organisation=organisation,
                    content=file.read(),
                    filename=file.name,
                )
            except ImportRejected as rejection:
                errors = rejection.errors
            else:
                messages.success(
                    request,
                    _("%(created)d mappings added, %(updated)d updated.")
                    % {"created": created, "updated": updated},
                )
                return redirect(_back("finance:mapping", organisation.pk))
    state, export = table_or_export(
        request,
        selectors.mapping_list(user=request.user, organisation_id=organisation.pk),
        columns=MAPPING_COLUMNS,
        search_fields=("account", "task_field", "description"),
        default_sort="account",
        export_name=_("ledger-mapping"),
        page_size=50,
    )
    if export:
        return export
    return render(
        request,
        "finance/mapping.html",
        _context(
            request,
            organisation,
            "mapping",
            table=state,
            form=upload,
            errors=errors,
            columns=[str(column.label) for column in services.MAPPING_IMPORT.columns],
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def mapping_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    record: LedgerMapping | None = _get(selectors.mapping_get, request, pk) if pk else None
    organisation = record.organisation if record else _organisation(request)
    _require_manage(request, organisation.pk)
    form = MappingForm(request.POST or None, instance=record)

    def write(data: dict[str, Any]) -> LedgerMapping:
        if record is None:
            return services.mapping_create(actor=request.user, organisation=organisation, **data)
        return services.mapping_update(actor=request.user, mapping=record, **data)

    if submit(request, form, write, success=_("The mapping has been saved.")):
        return redirect(_back("finance:mapping", organisation.pk))
    return render(
        request,
        "finance/mapping_form.html",
        _context(request, organisation, "mapping", form=form, record=record),
    )


@login_required
@require_http_methods(["GET", "POST"])
def mapping_delete(request: HttpRequest, pk: int) -> HttpResponse:
    record: LedgerMapping = _get(selectors.mapping_get, request, pk)
    _require_manage(request, record.organisation_id)
    back = _back("finance:mapping", record.organisation_id)
    if request.method == "POST":
        try:
            services.mapping_delete(actor=request.user, mapping=record)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The mapping has been deleted."))
        return redirect(back)
    return render(
        request,
        "finance/index_confirm_delete.html",
        _context(
            request,
            record.organisation,
            "mapping",
            object=record,
            back=back,
            warning=_(
                "Imported bookings keep their place; a new import of this account is refused "
                "until it has a mapping again."
            ),
        ),
    )
