"""Flex homes and placement: complexes with warnings, unit grids, households (purpose-logged),
relocation scenarios and placement proposals."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

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

from onderdak.apps.accounts.selectors import (
    can_change,
    may_create_in,
    primary_organisation,
)
from onderdak.apps.communication import selectors as communication
from onderdak.common.forms import add_model_errors, object_id, submit
from onderdak.common.tables import (
    Column,
    export_response,
    requested_export,
    table_or_export,
    table_state,
)
from onderdak.common.urls import reverse
from onderdak.common.vocabulary import TargetGroup, target_group_label

from . import selectors, services
from .forms import ComplexForm, HouseholdForm, MoveOutForm, UnitsForm
from .models import Complex, Household, HouseholdStatus, Proposal, ProposalStatus, UnitStatus

if TYPE_CHECKING:
    from onderdak.apps.accounts.models import Organisation

UNIT_COLOURS = {
    "vacant": "#059669",
    "occupied": "#24578f",
    "reserved": "#d97706",
    "maintenance": "#6b7280",
    "out_of_use": "#374151",
}


def _organisation(request: HttpRequest) -> Organisation | None:
    return primary_organisation(request.user)


def _writable(request: HttpRequest) -> Organisation | None:
    """The municipality the user registers complexes and households for (``None``: the user
    may not, such as a viewer, or a regional body's coordinator, who reads what members share)."""
    organisation = _organisation(request)
    if organisation is None or organisation.municipality_id is None:
        return None
    return organisation if may_create_in(request.user, organisation) else None


def _regional(request: HttpRequest) -> bool:
    """Whether the user works for a regional body (the region view of what members share)."""
    organisation = _organisation(request)
    return organisation is not None and organisation.municipality_id is None


def _complex(request: HttpRequest, pk: int) -> Complex:
    try:
        return selectors.complex_get(user=request.user, pk=pk)
    except Complex.DoesNotExist:
        raise Http404 from None


COMPLEX_COLUMNS = (
    Column("name", gettext_lazy("Complex"), lambda c: c.name, "name"),
    Column("kind", gettext_lazy("Kind"), lambda c: c.get_kind_display(), "kind"),
    Column("units", gettext_lazy("Units"), lambda c: c.unit_count, "unit_count", numeric=True),
    Column(
        "occupied",
        gettext_lazy("Occupied"),
        lambda c: c.occupied_count,
        "occupied_count",
        numeric=True,
    ),
    Column(
        "vacant", gettext_lazy("Vacant"), lambda c: c.vacant_count, "vacant_count", numeric=True
    ),
    Column("permit_end", gettext_lazy("Permit until"), lambda c: c.permit_end, "permit_end"),
    Column("manager", gettext_lazy("Manager"), lambda c: c.manager, "manager"),
)


ORGANISATION_COLUMN = Column(
    "organisation",
    gettext_lazy("Municipality"),
    lambda c: c.organisation.name,
    "organisation__name",
)


@login_required
def complex_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.complex_list(user=request.user)
    several = _regional(request) or selectors.spans_organisations(queryset)
    columns = (
        (COMPLEX_COLUMNS[0], ORGANISATION_COLUMN, *COMPLEX_COLUMNS[1:])
        if several
        else COMPLEX_COLUMNS
    )
    state, export = table_or_export(
        request,
        queryset,
        columns=columns,
        search_fields=("name", "address", "manager", "owner"),
        default_sort="name",
        export_name="complexen",
    )
    if export:
        return export
    today = timezone.localdate()
    complexes = list(queryset)
    warnings = [(c, selectors.warnings_for(c, today=today)) for c in complexes]
    subsidy = selectors.subsidy_totals(user=request.user, today=today)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [c.longitude, c.latitude]},
            "properties": {
                "name": c.name,
                "label": f"{c.name}: {getattr(c, 'occupied_count', 0)}/{getattr(c, 'unit_count', 0)}",
                "color": "#b91c1c" if w else "#24578f",
                "url": reverse("housing:complex_detail", args=[c.pk]),
            },
        }
        for c, w in warnings
        if c.longitude is not None and c.latitude is not None
    ]
    return render(
        request,
        "housing/complex_list.html",
        {
            "table": state,
            "warnings": [(c, w) for c, w in warnings if w],
            "subsidy": subsidy,
            "subsidy_warnings": [t.warning for t in subsidy if t.warning],
            "coa_counts": selectors.coa_counts(user=request.user, today=today),
            "coa_warning_days": selectors.coa_norms().warning_days,
            "map": {
                "tileUrl": settings.MAP_TILE_URL,
                "attribution": settings.MAP_TILE_ATTRIBUTION,
                "features": features,
            },
            "can_create": _writable(request) is not None,
            "regional": _regional(request),
        },
    )


#: Largest relocation scenario the page computes (units; a region has a few hundred).
RELOCATION_MAX_UNITS = 10_000
#: Largest new-build cost per unit the scenario accepts (euro).
RELOCATION_MAX_COST_PER_UNIT = Decimal("100000000")


def _relocation_scenario(request: HttpRequest) -> dict[str, Any] | None:
    """The relocation scenario asked for in the query (``verplaatsen``, ``kosten``, ``naar``)."""
    default = Decimal(str(settings.HOUSING_NEW_BUILD_COST_PER_UNIT))
    try:
        moved = int(request.GET.get("verplaatsen", "") or 0)
        cost = Decimal(request.GET.get("kosten", "") or default)
    except (ValueError, ArithmeticError, InvalidOperation):
        messages.error(request, _("Give whole numbers for the relocation scenario."))
        return None
    if moved <= 0:
        return None
    if (
        moved > RELOCATION_MAX_UNITS
        or not cost.is_finite()
        or not 0 <= cost <= RELOCATION_MAX_COST_PER_UNIT
    ):
        messages.error(request, _("Give whole numbers for the relocation scenario."))
        return None
    estimate = selectors.relocation_estimate(moved, cost_per_unit=cost)
    return {"target": request.GET.get("naar", "")[:200], "estimate": estimate}


def _complex_subsidy(request: HttpRequest, complex: Complex, *, today: date) -> dict[str, Any]:
    """The complex's own share and its municipality's total (the SFT condition is checked on
    the total: a complex below 30% is not by itself a breach, BWBR0048657 art. 2)."""
    if not selectors.subsidised(complex, today=today):
        return {}
    totals = selectors.subsidy_totals(
        user=request.user, today=today, organisation_id=complex.organisation_id
    )
    if not totals:
        return {}
    total = totals[0]
    own = next((row for row in total.complexes if row.complex.pk == complex.pk), None)
    return {"total": total, "own": own, "warning": total.warning}


@login_required
@require_http_methods(["GET", "POST"])
def complex_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complex = _complex(request, pk)
    editable = can_change(request.user, complex)
    form = UnitsForm(
        request.POST or None, initial={"first_number": selectors.next_unit_number(complex=complex)}
    )
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.units_add(actor=request.user, complex=complex, **form.cleaned_data)
            except ValidationError as error:
                add_model_errors(form, error)
            else:
                messages.success(request, _("The units have been added."))
                return redirect("housing:complex_detail", pk=complex.pk)
    today = timezone.localdate()
    grid = [
        {
            "unit": cell.unit,
            "colour": UNIT_COLOURS.get(cell.unit.status, "#6b7280"),
            "households": cell.households,
            "hidden": cell.hidden,
            "groups": [target_group_label(g) for g in cell.unit.target_groups],
        }
        for cell in selectors.unit_grid(user=request.user, complex=complex)
    ]
    return render(
        request,
        "housing/complex_detail.html",
        {
            "complex": complex,
            "subsidy_groups": [target_group_label(g) for g in complex.subsidy_groups],
            "grid": grid,
            "warnings": selectors.warnings_for(complex, today=today),
            "subsidy": _complex_subsidy(request, complex, today=today),
            "contracts": complex.contracts.all(),
            "form": form,
            "editable": editable,
            # proposals are made for the user's own municipality's households and units
            "can_propose": _writable(request) == complex.organisation,
            "scenario": _relocation_scenario(request),
            "legend": [(UnitStatus(value).label, colour) for value, colour in UNIT_COLOURS.items()],
            "default_cost": settings.HOUSING_NEW_BUILD_COST_PER_UNIT,
            "related": communication.related_to(user=request.user, today=today, complex=complex),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def complex_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    complex = _complex(request, pk) if pk is not None else None
    organisation = complex.organisation if complex else _writable(request)
    if organisation is None or (complex is not None and not can_change(request.user, complex)):
        raise PermissionDenied
    form = ComplexForm(
        request.POST or None, instance=_complex(request, pk) if pk is not None else None
    )

    def write(data: dict[str, Any]) -> Complex:
        if complex is None:
            return services.complex_create(actor=request.user, organisation=organisation, **data)
        return services.complex_update(actor=request.user, complex=complex, **data)

    saved = submit(request, form, write, success=_("The complex has been saved."))
    if saved is not None:
        return redirect("housing:complex_detail", pk=saved.pk)
    return render(request, "housing/complex_form.html", {"form": form, "complex": complex})


def _needs(household: Household) -> str:
    needs = []
    if household.needs_accessible:
        needs.append(_("accessible"))
    if household.needs_ground_floor:
        needs.append(_("ground floor"))
    if household.needs_medical:
        needs.append(_("medical"))
    return ", ".join(needs)


def _coa(household: Household) -> str:
    """The list's COA cell: a status holder's term and state (other target groups: empty)."""
    term = selectors.coa_term_of(
        household,
        today=timezone.localdate(),
        placed_on=getattr(household, "first_placed", None),
    )
    return selectors.coa_text(term) if term is not None else ""


HOUSEHOLD_COLUMNS = (
    Column("code", gettext_lazy("Code"), lambda h: h.code, "code"),
    Column(
        "target_group",
        gettext_lazy("Target group"),
        lambda h: h.get_target_group_display(),
        "target_group",
    ),
    Column("persons", gettext_lazy("Persons"), lambda h: h.persons, "persons_total", numeric=True),
    Column("needs", gettext_lazy("Needs"), _needs, None),
    Column(
        "waiting_since", gettext_lazy("Waiting since"), lambda h: h.waiting_since, "waiting_since"
    ),
    Column("status", gettext_lazy("Status"), lambda h: h.get_status_display(), "status"),
    # sorted by the link date, which orders the COA dates (both follow it by fixed weeks)
    Column("coa", gettext_lazy("COA term"), _coa, "coa_linked"),
    Column("urgency", gettext_lazy("Urgency"), lambda h: h.urgency, "urgency", numeric=True),
)


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    """Households the user may read: scoped before counting and paging, searchable, sortable;
    the rows shown (or exported) are logged with their purpose."""
    coa = request.GET.get("coa", "")
    # the COA filter looks at waiting and placed households alike (placed late is past a norm)
    status = request.GET.get("status", "all" if coa else HouseholdStatus.WAITING)
    target_group = request.GET.get("target_group", "")
    queryset = selectors.coa_filter(
        selectors.household_queryset(
            user=request.user,
            status=status,
            target_group=target_group,
            query=request.GET.get("q", "").strip()[:200],
        ),
        coa,
        today=timezone.localdate(),
    )
    columns = (
        (HOUSEHOLD_COLUMNS[0], ORGANISATION_COLUMN, *HOUSEHOLD_COLUMNS[1:])
        if _regional(request) or selectors.spans_organisations(queryset)
        else HOUSEHOLD_COLUMNS
    )
    fmt = requested_export(request)
    state = table_state(
        request,
        queryset,
        columns=columns,
        search_fields=(),  # the selector searches (code, target group, status)
        default_sort="waiting_since",
        page_size=100_000 if fmt else 25,
    )
    rows = selectors.households_shown(
        user=request.user,
        households=list(state.page.object_list),
        purpose=selectors.PURPOSE_EXPORT if fmt else selectors.PURPOSE_LIST,
        action="export" if fmt else "list",
    )
    if fmt:
        return export_response("huishoudens", columns, rows, fmt)
    return render(
        request,
        "housing/household_list.html",
        {
            "table": state,
            "status": status,
            "statuses": [*HouseholdStatus.choices, ("all", _("All"))],
            "target_group": target_group,
            "target_groups": TargetGroup.choices,
            "coa": coa,
            "coa_choices": [
                (selectors.COA_OVERDUE, _("Exceeded or housed late")),
                (
                    selectors.COA_DUE_SOON,
                    _("Due within %(days)d days") % {"days": selectors.coa_norms().warning_days},
                ),
            ],
            "can_create": _writable(request) is not None,
            "regional": _regional(request),
        },
    )


def _household(request: HttpRequest, pk: int) -> Household:
    try:
        return selectors.household_get(user=request.user, pk=pk)
    except Household.DoesNotExist:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def household_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    household = _household(request, pk) if pk is not None else None
    organisation = household.organisation if household else _writable(request)
    if organisation is None or (household is not None and not can_change(request.user, household)):
        raise PermissionDenied
    # one read, logged once: the form edits a copy, so a rejected change leaves ``household``
    # as stored (the form's instance is changed by validation)
    instance = Household.objects.get(pk=household.pk) if household is not None else None
    form = HouseholdForm(request.POST or None, instance=instance)

    if request.method == "POST" and form.is_valid():
        try:
            if household is None:
                saved = services.household_create(
                    actor=request.user, organisation=organisation, **form.cleaned_data
                )
                text = _("Household %(code)s has been registered.") % {"code": saved.code}
            else:
                saved = services.household_update(
                    actor=request.user, household=household, **form.cleaned_data
                )
                text = _("The household has been saved.")
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(request, text)
            return redirect("housing:household_detail", pk=saved.pk)
    return render(request, "housing/household_form.html", {"form": form, "household": household})


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    today = timezone.localdate()
    placements = list(selectors.placements_of(household=household))
    coa = selectors.coa_term_of(
        household, today=today, placed_on=min((p.start for p in placements), default=None)
    )
    return render(
        request,
        "housing/household_detail.html",
        {
            "household": household,
            "placements": placements,
            "coa": coa,
            "coa_text": selectors.coa_text(coa) if coa else "",
            "coa_level": selectors.coa_level(coa) if coa else "",
            "editable": can_change(request.user, household),
            "waiting_days": selectors.waiting_days(household, today=today),
            "needs": _needs(household),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def placement_end(request: HttpRequest, pk: int) -> HttpResponse:
    """Register a move-out: ask the date, show what will happen, then end the placement."""
    placement = selectors.placement_get(user=request.user, pk=pk)
    if placement is None:
        raise Http404
    household = placement.household
    if not can_change(request.user, household):
        raise PermissionDenied
    if placement.end is not None:
        messages.error(request, _("This placement has already ended."))
        return redirect("housing:household_detail", pk=household.pk)
    today = timezone.localdate()
    form = MoveOutForm(
        request.POST or None,
        initial={"end": today},
        start=placement.start,
        latest=today + timedelta(days=services.MOVE_OUT_MAX_DAYS_AHEAD),
    )
    others = placement.unit.placements.filter(end=None).exclude(pk=placement.pk).count()
    if request.method == "POST" and request.POST.get("confirm") == "1" and form.is_valid():
        end: date = form.cleaned_data["end"]
        try:
            services.placement_end(actor=request.user, placement=placement, end=end)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(
                request,
                _("The placement has ended; the unit is free again.")
                if not others
                else _("The placement has ended."),
            )
            return redirect("housing:household_detail", pk=household.pk)
    return render(
        request,
        "housing/placement_end.html",
        {
            "placement": placement,
            "household": household,
            "form": form,
            "unit_freed": others == 0,
            "counted": placement.realisation_id is not None,
        },
    )


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    proposals = selectors.proposal_list(user=request.user)[:50]
    return render(
        request,
        "housing/proposal_list.html",
        {"proposals": proposals, "can_create": _writable(request) is not None},
    )


@login_required
@require_POST
def proposal_create(request: HttpRequest) -> HttpResponse:
    organisation = _writable(request)
    if organisation is None:
        raise PermissionDenied
    complex = None
    if request.POST.get("complex"):
        chosen = object_id(request.POST["complex"])
        if chosen is None:
            messages.error(request, _("Choose an existing complex for the proposal."))
            return redirect("housing:proposal_list")
        complex = _complex(request, chosen)
    try:
        proposal = services.proposal_make(
            actor=request.user, organisation=organisation, complex=complex
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return (
            redirect("housing:complex_detail", pk=complex.pk)
            if complex
            else redirect("housing:household_list")
        )
    return redirect("housing:proposal_detail", pk=proposal.pk)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A proposal: nothing is ticked in advance; the ticked lines are shown on a confirmation
    page that lists exactly what will be written; confirming places them in one transaction."""
    try:
        screen = selectors.proposal_screen(user=request.user, pk=pk)
    except Proposal.DoesNotExist:
        raise Http404 from None
    proposal = screen.proposal
    editable = can_change(request.user, proposal)
    lines = [row.line for row in screen.lines]
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if proposal.status != ProposalStatus.OPEN:
            messages.error(request, _("This proposal has already been decided."))
            return redirect("housing:proposal_detail", pk=proposal.pk)
        line_ids = {line.pk for line in lines}
        accepted = {int(v) for v in request.POST.getlist("accept") if v.isdigit()} & line_ids
        if request.POST.get("confirm") == "1":
            try:
                placements = services.proposal_decide(
                    actor=request.user,
                    proposal=proposal,
                    accepted=accepted,
                    rejected=line_ids - accepted,
                )
            except ValidationError as error:
                for text in error.messages:
                    messages.error(request, text)
                messages.error(request, _("Nothing has been placed."))
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d household placed.",
                        "%(count)d households placed.",
                        len(placements),
                    )
                    % {"count": len(placements)},
                )
                return redirect("housing:proposal_detail", pk=proposal.pk)
        else:
            chosen = [line for line in lines if line.pk in accepted]
            return render(
                request,
                "housing/proposal_confirm.html",
                {
                    "proposal": proposal,
                    "accepted": chosen,
                    "rejected": [line for line in lines if line.pk not in accepted],
                    "realisations": [
                        line
                        for line in chosen
                        if line.household.target_group in services.QUOTA_GROUPS
                    ],
                },
            )
    return render(
        request,
        "housing/proposal_detail.html",
        {
            "proposal": proposal,
            "lines": screen.lines,
            "unplaced": screen.unplaced,
            "fairness": screen.fairness,
            "editable": editable,
        },
    )
