"""Flex homes and placement: complexes with warnings, unit grids, households (purpose-logged),
relocation scenarios and placement proposals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from onderdak.apps.accounts.models import Organisation
from onderdak.apps.accounts.selectors import (
    can_change,
    may_create_in,
    primary_organisation,
)
from onderdak.common.forms import submit
from onderdak.common.tables import (
    Column,
    export_response,
    requested_export,
    table_or_export,
    table_state,
)

from . import selectors, services
from .forms import ComplexForm, HouseholdForm, UnitsForm
from .models import Complex, Household, Placement, UnitStatus

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
    organisation = _organisation(request)
    return organisation if may_create_in(request.user, organisation) else None


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


@login_required
def complex_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.complex_list(user=request.user)
    state, export = table_or_export(
        request,
        queryset,
        columns=COMPLEX_COLUMNS,
        search_fields=("name", "address", "manager", "owner"),
        default_sort="name",
        export_name="complexen",
    )
    if export:
        return export
    today = timezone.localdate()
    complexes = list(queryset)
    warnings = [(c, selectors.warnings_for(c, today=today)) for c in complexes]
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
            "map": {
                "tileUrl": settings.MAP_TILE_URL,
                "attribution": settings.MAP_TILE_ATTRIBUTION,
                "features": features,
            },
            "can_create": _writable(request) is not None,
        },
    )


def relocation(units: int, *, cost_per_unit: Decimal) -> dict[str, Decimal]:
    """Relocating flex homes costs a share of new build, preparing the new site a share of that
    (DOMAIN.md section 5: about 30% and about half of that again); both are settings."""
    move = (cost_per_unit * Decimal(str(settings.HOUSING_RELOCATION_SHARE)) * units).quantize(
        Decimal("1")
    )
    site = (move * Decimal(str(settings.HOUSING_SITE_PREPARATION_SHARE))).quantize(Decimal("1"))
    return {
        "move": move,
        "site": site,
        "total": move + site,
        "new_build": (cost_per_unit * units).quantize(Decimal("1")),
    }


@login_required
@require_http_methods(["GET", "POST"])
def complex_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complex = _complex(request, pk)
    editable = can_change(request.user, complex)
    form = UnitsForm(request.POST or None)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            services.units_add(actor=request.user, complex=complex, **form.cleaned_data)
            messages.success(request, _("The units have been added."))
            return redirect("housing:complex_detail", pk=complex.pk)
    units = list(selectors.units_of(complex=complex))
    grid = [
        {
            "unit": u,
            "colour": UNIT_COLOURS.get(u.status, "#6b7280"),
            "households": [p.household for p in u.placements.all() if p.end is None],
        }
        for u in units
    ]
    scenario = None
    try:
        moved = int(request.GET.get("verplaatsen", "") or 0)
        cost = Decimal(
            request.GET.get("kosten", "") or str(settings.HOUSING_NEW_BUILD_COST_PER_UNIT)
        )
    except (ValueError, ArithmeticError):
        moved, cost = 0, Decimal(str(settings.HOUSING_NEW_BUILD_COST_PER_UNIT))
        messages.error(request, _("Give whole numbers for the relocation scenario."))
    if moved > 0:
        scenario = {
            "units": moved,
            "target": request.GET.get("naar", ""),
            "cost_per_unit": cost,
            **relocation(moved, cost_per_unit=cost),
        }
    return render(
        request,
        "housing/complex_detail.html",
        {
            "complex": complex,
            "grid": grid,
            "warnings": selectors.warnings_for(complex, today=timezone.localdate()),
            "contracts": complex.contracts.all(),
            "form": form,
            "editable": editable,
            "scenario": scenario,
            "legend": [(UnitStatus(value).label, colour) for value, colour in UNIT_COLOURS.items()],
            "default_cost": settings.HOUSING_NEW_BUILD_COST_PER_UNIT,
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


HOUSEHOLD_COLUMNS = (
    Column("code", gettext_lazy("Code"), lambda h: h.code, "code"),
    Column(
        "target_group",
        gettext_lazy("Target group"),
        lambda h: h.get_target_group_display(),
        "target_group",
    ),
    Column("persons", gettext_lazy("Persons"), lambda h: h.persons, None, numeric=True),
    Column(
        "waiting_since", gettext_lazy("Waiting since"), lambda h: h.waiting_since, "waiting_since"
    ),
    Column("status", gettext_lazy("Status"), lambda h: h.get_status_display(), "status"),
    Column("urgency", gettext_lazy("Urgency"), lambda h: h.urgency, "urgency", numeric=True),
)


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "waiting")
    base = Household.objects.all()
    if status in ("waiting", "placed", "left"):
        base = base.filter(status=status)
    fmt = requested_export(request)
    state = table_state(
        request,
        base,
        columns=HOUSEHOLD_COLUMNS,
        search_fields=("code",),
        default_sort="waiting_since",
        page_size=100_000 if fmt else 25,
    )
    ids = [h.pk for h in state.page.object_list]
    purpose = selectors.PURPOSE_EXPORT if fmt else selectors.PURPOSE_LIST
    visible = selectors.households_read(
        user=request.user,
        purpose=purpose,
        action="export" if fmt else "list",
        queryset=Household.objects.filter(pk__in=ids),
    )
    allowed = {h.pk for h in visible}
    rows = [h for h in state.page.object_list if h.pk in allowed]
    if fmt:
        return export_response("huishoudens", HOUSEHOLD_COLUMNS, rows, fmt)
    today = timezone.localdate()
    return render(
        request,
        "housing/household_list.html",
        {
            "rows": [(h, selectors.waiting_days(h, today=today)) for h in rows],
            "table": state,
            "status": status,
            "can_create": _writable(request) is not None,
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
    form = HouseholdForm(
        request.POST or None, instance=_household(request, pk) if pk is not None else None
    )
    if request.method == "POST" and form.is_valid():
        if household is None:
            household = services.household_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
            messages.success(
                request, _("Household %(code)s has been registered.") % {"code": household.code}
            )
        else:
            services.household_update(actor=request.user, household=household, **form.cleaned_data)
            messages.success(request, _("The household has been saved."))
        return redirect("housing:household_detail", pk=household.pk)
    return render(request, "housing/household_form.html", {"form": form, "household": household})


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    return render(
        request,
        "housing/household_detail.html",
        {
            "household": household,
            "placements": selectors.placements_of(household=household),
            "editable": can_change(request.user, household),
            "waiting_days": selectors.waiting_days(household, today=timezone.localdate()),
        },
    )


@login_required
@require_POST
def placement_end(request: HttpRequest, pk: int) -> HttpResponse:
    placement = Placement.objects.select_related("household", "unit").filter(pk=pk).first()
    if placement is None:
        raise Http404
    household = _household(request, placement.household_id)
    try:
        services.placement_end(actor=request.user, placement=placement)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("The placement has ended; the unit is free again."))
    return redirect("housing:household_detail", pk=household.pk)


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
        complex = _complex(request, int(request.POST["complex"]))
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
    from .models import Proposal

    try:
        proposal = selectors.proposal_get(user=request.user, pk=pk)
    except Proposal.DoesNotExist:
        raise Http404 from None
    if request.method == "POST":
        accepted = {int(v) for v in request.POST.getlist("accept") if v.isdigit()}
        line_ids = set(proposal.lines.values_list("pk", flat=True))
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
                request, _("%(count)d households placed.") % {"count": len(placements)}
            )
            return redirect("housing:proposal_detail", pk=proposal.pk)
    lines = list(proposal.lines.select_related("household", "unit__complex"))
    return render(
        request,
        "housing/proposal_detail.html",
        {
            "proposal": proposal,
            "lines": lines,
            "editable": can_change(request.user, proposal),
        },
    )
