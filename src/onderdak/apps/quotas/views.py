"""Quota pages: the municipality's obligations, the region side by side, rounds and realisations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from onderdak.apps.accounts.selectors import (
    can_change,
    primary_organisation,
    writable_organisations,
)
from onderdak.apps.geo import selectors as geo_selectors
from onderdak.apps.housing import selectors as housing_selectors
from onderdak.common.charts import chart_svg
from onderdak.common.imports import ImportRejected
from onderdak.common.tables import Column, export_response, requested_export, table_or_export
from onderdak.common.urls import reverse

from . import charts, selectors, services
from .forms import OfficialTableForm, QuotaRoundForm, RealisationForm
from .models import Method, QuotaRound, Realisation

if TYPE_CHECKING:
    from onderdak.engines.quota import QuotaInputError


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Render with what every quota page shows: the tabs to the user's partner regions."""
    context.setdefault("regions", selectors.partner_regions(user=request.user))
    return render(request, template, context)


def _round(pk: int) -> QuotaRound:
    try:
        return selectors.round_get(pk=pk)
    except QuotaRound.DoesNotExist:
        raise Http404 from None


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    organisation = primary_organisation(request.user)
    municipality = organisation.municipality if organisation else None
    context: dict[str, Any] = {"organisation": organisation, "municipality": municipality}
    if municipality is not None:
        segments = selectors.ledger(municipality=municipality)
        context.update(
            balances=selectors.balances(municipality=municipality),
            supervision=selectors.supervision(municipality=municipality, segments=segments),
            segments=segments,
            # cached by the chart's inputs, before Altair builds it (issue 11)
            chart=chart_svg(
                (
                    "ledger",
                    *(
                        (str(line.period), line.corrected, line.realised, line.carry_out)
                        for segment in segments
                        for line in segment.ledger.lines
                    ),
                ),
                lambda: charts.ledger_chart(segments),
                title=_("Status holders: corrected quota, realised and backlog per half-year"),
            ),
        )
    elif organisation is not None and organisation.region_id is not None:
        # a regional body's coordinator: the members of the coordinated region side by side
        context["region_tables"] = [
            (region, table.labels, table.rows)
            for region in selectors.partner_regions(user=request.user).filter(
                pk=organisation.region_id
            )
            for table in [selectors.region_table(region=region)]
        ]
    context["has_rounds"] = selectors.round_list().exists()
    return _render(request, "quotas/overview.html", context)


@login_required
def region_view(request: HttpRequest, code: str) -> HttpResponse:
    region = selectors.partner_regions(user=request.user).filter(code=code).first()
    if region is None:
        raise Http404
    table = selectors.region_table(region=region)
    return _render(
        request,
        "quotas/region.html",
        {"region": region, "labels": table.labels, "table": table.rows},
    )


ROUND_COLUMNS = (
    Column("name", gettext_lazy("Round"), lambda r: r.name, "name"),
    Column(
        "target_group",
        gettext_lazy("Target group"),
        lambda r: r.get_target_group_display(),
        "target_group",
    ),
    Column("period_start", gettext_lazy("From"), lambda r: r.period_start, "period_start"),
    Column("period_end", gettext_lazy("Until"), lambda r: r.period_end, "period_end"),
    Column(
        "national",
        gettext_lazy("National number"),
        lambda r: r.national_total,
        "national_total_initial",
        numeric=True,
    ),
)


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    state, export = table_or_export(
        request,
        selectors.round_list(),
        columns=ROUND_COLUMNS,
        search_fields=("name", "source_title"),
        default_sort="-period_start",
        export_name="taakstellingsrondes",
    )
    if export:
        return export
    return render(
        request,
        "quotas/round_list.html",
        {"table": state, "can_manage": services.can_manage_rounds(request.user)},
    )


QUOTA_COLUMNS = (
    Column("code", gettext_lazy("CBS code"), lambda q: q.municipality.code, "municipality__code"),
    Column(
        "name", gettext_lazy("Municipality"), lambda q: q.municipality.name, "municipality__name"
    ),
    Column(
        "province",
        gettext_lazy("Province"),
        lambda q: q.municipality.province.name,
        "municipality__province__name",
    ),
    Column("weight", gettext_lazy("Weight"), lambda q: q.weight, "weight", numeric=True),
    Column("factor", gettext_lazy("Correction factor"), lambda q: q.factor, "factor", numeric=True),
    Column("exact", gettext_lazy("Exact quota"), lambda q: q.exact, "exact", numeric=True),
    Column(
        "computed",
        gettext_lazy("Computed by Onderdak"),
        lambda q: q.computed,
        "computed",
        numeric=True,
    ),
    Column(
        "official", gettext_lazy("Official figure"), lambda q: q.official, "official", numeric=True
    ),
    Column("difference", gettext_lazy("Difference"), lambda q: q.difference, None, numeric=True),
    Column("effective", gettext_lazy("Counts"), lambda q: q.effective, None, numeric=True),
)


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(pk)
    queryset = selectors.round_quotas(round=round)
    province = request.GET.get("provincie", "")
    if province:
        queryset = queryset.filter(municipality__province__code=province)
    state, export = table_or_export(
        request,
        queryset,
        columns=QUOTA_COLUMNS,
        search_fields=("municipality__name", "municipality__code", "municipality__province__name"),
        default_sort="name",
        export_name=f"taakstelling-{round.name}",
        page_size=50,
        source=round.source_title,
    )
    if export:
        return export
    totals = {
        "computed": sum(q.computed or 0 for q in round.quotas.all()),
        "official": sum(q.official or 0 for q in round.quotas.all()),
        "count": round.quotas.count(),
    }
    provinces = sorted(
        {
            (q.municipality.province.code, q.municipality.province.name)
            for q in selectors.round_quotas(round=round)
        },
        key=lambda p: p[1],
    )
    return _render(
        request,
        "quotas/round_detail.html",
        {
            "round": round,
            "table": state,
            "totals": totals,
            "province": province,
            "provinces": provinces,
            "can_manage": services.can_manage_rounds(request.user),
            "cycle": selectors.round_cycle(round=round),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not services.can_manage_rounds(request.user):
        raise PermissionDenied
    round = _round(pk) if pk is not None else None
    form = QuotaRoundForm(request.POST or None, instance=_round(pk) if pk is not None else None)
    if request.method == "POST" and form.is_valid():
        if round is None:
            round = services.quota_round_create(actor=request.user, **form.cleaned_data)
            messages.success(
                request, _("The round has been created. Compute it or import the official table.")
            )
        else:
            services.quota_round_update(actor=request.user, round=round, **form.cleaned_data)
            messages.success(request, _("The round has been changed."))
        return redirect("quotas:round_detail", pk=round.pk)
    return _render(request, "quotas/round_form.html", {"form": form, "round": round})


@login_required
@require_http_methods(["GET", "POST"])
def round_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not services.can_manage_rounds(request.user):
        raise PermissionDenied
    round = _round(pk)
    error = None
    if request.method == "POST":
        try:
            services.quota_round_delete(actor=request.user, round=round)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("The round has been deleted."))
            return redirect("quotas:round_list")
    return _render(
        request,
        "quotas/round_confirm_delete.html",
        {
            "round": round,
            "error": error,
            "figures": selectors.round_quotas(round=round).order_by("municipality__name"),
            "adjustments": selectors.round_adjustments(round=round),
        },
    )


def _reason(error: QuotaInputError) -> str:
    """The quota engine's input error in the interface language (the CLI keeps its text)."""
    texts = {
        "no_population_date": _("choose the population reference date first"),
        "no_total": _("the round has no national number"),
        "no_population": _("there are no population figures on the reference date"),
        "statutory_needs_half_year": _(
            "the rule of Huisvestingswet 2014 art. 29 needs a half-year as its period"
        ),
    }
    return texts.get(error.code) or _("the value of %(field)s is not valid") % {
        "field": error.field or error.unit or "?"
    }


@login_required
@require_POST
def round_compute(request: HttpRequest, pk: int) -> HttpResponse:
    from onderdak.engines.quota import QuotaInputError

    if not services.can_manage_rounds(request.user):
        raise PermissionDenied
    round = _round(pk)
    try:
        result = services.quota_round_compute(actor=request.user, round=round)
    except QuotaInputError as error:
        messages.error(
            request, _("The round cannot be computed: %(reason)s") % {"reason": _reason(error)}
        )
    else:
        text = _("Computed for %(count)d municipalities.") % {"count": len(result.quotas)}
        if result.two_stage_difference is not None:
            text += " " + _(
                "The route via the provinces differs from the national route by %(n)d in total."
            ) % {"n": result.two_stage_difference}
        messages.success(request, text)
    return redirect("quotas:round_detail", pk=round.pk)


@login_required
@require_http_methods(["GET", "POST"])
def round_import(request: HttpRequest, pk: int) -> HttpResponse:
    if not services.can_manage_rounds(request.user):
        raise PermissionDenied
    round = _round(pk)
    form = OfficialTableForm(request.POST or None, request.FILES or None)
    errors = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = services.quota_round_import_official(
                actor=request.user,
                round=round,
                content=upload.read(),
                filename=upload.name,
                source=form.cleaned_data["source"],
            )
        except ImportRejected as rejection:
            errors = rejection.errors
        else:
            messages.success(request, _("%(count)d official figures imported.") % {"count": count})
            return redirect("quotas:round_detail", pk=round.pk)
    return _render(
        request, "quotas/round_import.html", {"form": form, "round": round, "errors": errors}
    )


REALISATION_COLUMNS = (
    Column("date", gettext_lazy("Date"), lambda r: r.date, "date"),
    Column(
        "target_group",
        gettext_lazy("Target group"),
        lambda r: r.get_target_group_display(),
        "target_group",
    ),
    Column("amount", gettext_lazy("Number"), lambda r: r.amount, "amount", numeric=True),
    Column("unit", gettext_lazy("Counted in"), lambda r: r.get_unit_display(), "unit"),
    Column("reference", gettext_lazy("Reference"), lambda r: r.reference, "reference"),
    Column(
        "organisation",
        gettext_lazy("Organisation"),
        lambda r: r.organisation.name,
        "organisation__name",
    ),
)


@login_required
def realisation_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.realisation_list(user=request.user)
    state, export = table_or_export(
        request,
        queryset,
        columns=REALISATION_COLUMNS,
        search_fields=("reference", "note", "organisation__name"),
        default_sort="-date",
        export_name="realisaties",
    )
    if export:
        return export
    return _render(
        request,
        "quotas/realisation_list.html",
        {
            "table": state,
            "can_create": _realisation_organisations(request).exists(),
        },
    )


def _realisation_organisations(request: HttpRequest) -> Any:
    return writable_organisations(request.user).exclude(municipality=None)


def _realisation(request: HttpRequest, pk: int) -> Realisation:
    try:
        return selectors.realisation_get(user=request.user, pk=pk)
    except Realisation.DoesNotExist:
        raise Http404 from None


def _placement_link(request: HttpRequest, realisation: Realisation) -> str | None:
    """A link to the place (complex) of the realisation's placement, never the household."""
    placement = selectors.placement_of(realisation)
    if placement is None:
        return None
    complexes = housing_selectors.placement_complexes(user=request.user, placement_ids=[placement])
    if placement not in complexes:
        return None
    return reverse("housing:complex_detail", args=[complexes[placement]])


@login_required
@require_http_methods(["GET", "POST"])
def realisation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    realisation = _realisation(request, pk) if pk is not None else None
    if realisation is not None and not can_change(request.user, realisation):
        if request.method == "POST":
            raise PermissionDenied
        return _render(
            request,
            "quotas/realisation_detail.html",
            {"realisation": realisation, "placement_url": _placement_link(request, realisation)},
        )
    organisations = _realisation_organisations(request)
    if realisation is None and not organisations.exists():
        raise PermissionDenied
    form = RealisationForm(
        request.POST or None,
        instance=_realisation(request, pk) if pk is not None else None,
        organisations=organisations
        if realisation is None
        else type(realisation.organisation).objects.filter(pk=realisation.organisation_id),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if realisation is None:
            services.realisation_create(actor=request.user, **data)
            messages.success(request, _("The realisation has been recorded."))
        else:
            data.pop("organisation")
            services.realisation_update(actor=request.user, realisation=realisation, **data)
            messages.success(request, _("The realisation has been changed."))
        return redirect("quotas:realisation_list")
    return _render(
        request,
        "quotas/realisation_form.html",
        {
            "form": form,
            "realisation": realisation,
            "placement_url": _placement_link(request, realisation) if realisation else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def realisation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    realisation = _realisation(request, pk)
    if not can_change(request.user, realisation):
        raise PermissionDenied
    if request.method == "POST":
        services.realisation_delete(actor=request.user, realisation=realisation)
        messages.success(request, _("The realisation has been deleted."))
        return redirect("quotas:realisation_list")
    return _render(request, "quotas/realisation_confirm_delete.html", {"realisation": realisation})


#: What-if methods beside the statutory figure: the apportionments with a fixed total.
WHAT_IF_METHODS = tuple(choice for choice in Method.choices if choice[0] != Method.STATUTORY)

STATUTORY_COLUMNS = (
    Column("round", gettext_lazy("Half-year"), lambda r: r.round.name, None),
    Column(
        "reference_date",
        gettext_lazy("Population reference date"),
        lambda r: r.reference_date,
        None,
    ),
    Column("population", gettext_lazy("Population"), lambda r: r.population, None, numeric=True),
    Column(
        "statutory",
        gettext_lazy("Statutory quota (art. 29 Huisvestingswet 2014)"),
        lambda r: r.statutory,
        None,
        numeric=True,
    ),
    Column(
        "what_if", gettext_lazy("What-if apportionment"), lambda r: r.what_if, None, numeric=True
    ),
    Column("difference", gettext_lazy("Difference"), lambda r: r.difference, None, numeric=True),
    Column("official", gettext_lazy("Official figure"), lambda r: r.official, None, numeric=True),
)


@login_required
def municipality_statutory(request: HttpRequest) -> HttpResponse:
    """A municipality's statutory status-holder figures (Huisvestingswet 2014 art. 29) beside a
    what-if apportionment of the same national number (fixed total, chosen method). The
    municipality is ``?gemeente=GM....`` (default: the user's own); the figures are public."""
    method = request.GET.get("methode", Method.HAMILTON)
    if method not in {value for value, _label in WHAT_IF_METHODS}:
        method = Method.HAMILTON
    code = request.GET.get("gemeente", "").strip().upper()
    if not code:
        organisation = primary_organisation(request.user)
        own = organisation.municipality if organisation else None
        code = own.code if own is not None else ""
    municipalities = geo_selectors.municipality_list()
    if not code:
        return _render(
            request,
            "quotas/statutory.html",
            {
                "municipality": None,
                "methods": WHAT_IF_METHODS,
                "method": method,
                "municipalities": municipalities,
            },
        )
    try:
        municipality = geo_selectors.municipality_get(code=code)
    except ObjectDoesNotExist:
        raise Http404 from None
    rows = selectors.statutory_comparison(municipality=municipality, method=method)
    fmt = requested_export(request)
    if fmt:
        return export_response(
            f"wettelijke-taakstelling-{municipality.name}",
            STATUTORY_COLUMNS,
            rows,
            fmt,
            source=_("Huisvestingswet 2014 art. 29; population: Bron: CBS"),
        )
    return _render(
        request,
        "quotas/statutory.html",
        {
            "municipality": municipality,
            "rows": rows,
            "method": method,
            "method_label": dict(WHAT_IF_METHODS)[method],
            "methods": WHAT_IF_METHODS,
            "municipalities": municipalities,
        },
    )
