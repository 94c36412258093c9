"""Site pages: map and list, detail with stage history, edit, imports, ranking, portfolio, reports."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
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
    writable_organisations,
)
from onderdak.apps.audit.selectors import audit_for_object
from onderdak.common.charts import to_svg
from onderdak.common.forms import UploadForm, submit
from onderdak.common.imports import ImportRejected
from onderdak.common.tables import Column, table_or_export
from onderdak.common.vocabulary import TargetGroup
from onderdak.engines import siting

from . import adapters, charts, reports, selectors, services
from .forms import SiteForm, StageForm
from .models import Site, Stage, WeightSet

#: Map colours per stage (colour-blind safe palette; the legend also names every stage).
STAGE_COLOURS = {
    "longlist": "#6b7280",
    "shortlist": "#2563eb",
    "feasibility": "#7c3aed",
    "decision": "#d97706",
    "realisation": "#059669",
    "in_use": "#065f46",
    "closed": "#374151",
    "rejected": "#b91c1c",
}

COLUMNS = (
    Column("name", gettext_lazy("Site"), lambda s: s.name, "name"),
    Column("stage", gettext_lazy("Stage"), lambda s: s.get_stage_display(), "stage"),
    Column("owner", gettext_lazy("Owner"), lambda s: s.get_owner_display(), "owner"),
    Column(
        "plot_area_m2",
        gettext_lazy("Plot area (m²)"),
        lambda s: s.plot_area_m2,
        "plot_area_m2",
        numeric=True,
    ),
    Column(
        "capacity_places",
        gettext_lazy("Places"),
        lambda s: s.capacity_places,
        "capacity_places",
        numeric=True,
    ),
    Column(
        "available_until",
        gettext_lazy("Available until"),
        lambda s: s.available_until,
        "available_until",
    ),
    Column(
        "neighbourhood", gettext_lazy("Neighbourhood"), lambda s: s.neighbourhood, "neighbourhood"
    ),
)


def _organisation(request: HttpRequest) -> Organisation | None:
    return primary_organisation(request.user)


def _site(request: HttpRequest, pk: int) -> Site:
    try:
        return selectors.site_get(user=request.user, pk=pk)
    except Site.DoesNotExist:
        raise Http404 from None


def _map(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "tileUrl": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "features": features,
    }


def site_feature(
    site: Site, *, color: str | None = None, label: str | None = None
) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": site.geometry,
        "properties": {
            "name": site.name,
            "code": site.get_stage_display(),
            "label": label or f"{site.name} ({site.get_stage_display()})",
            "color": color or STAGE_COLOURS.get(site.stage, "#24578f"),
            "url": reverse("sites:detail", args=[site.pk]),
        },
    }


@login_required
def site_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.site_list(user=request.user)
    stage = request.GET.get("fase", "")
    if stage in Stage.values:
        queryset = queryset.filter(stage=stage)
    state, export = table_or_export(
        request,
        queryset,
        columns=COLUMNS,
        search_fields=("name", "address", "neighbourhood", "current_use"),
        default_sort="name",
        export_name="locaties",
    )
    if export:
        return export
    all_sites = list(selectors.site_list(user=request.user))
    features = [site_feature(s) for s in all_sites if stage in ("", s.stage)]
    counts = selectors.stage_counts(sites=selectors.site_list(user=request.user))
    return render(
        request,
        "sites/site_list.html",
        {
            "table": state,
            "stage": stage,
            "stages": Stage.choices,
            "map": _map(features),
            "legend": [
                (label, STAGE_COLOURS[value], counts.get(value, 0))
                for value, label in Stage.choices
            ],
            "can_create": writable_organisations(request.user).exists(),
        },
    )


@login_required
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    site = _site(request, pk)
    return render(
        request,
        "sites/site_detail.html",
        {
            "site": site,
            "history": selectors.stage_history(site=site),
            "map": _map([site_feature(site)]),
            "can_change": can_change(request.user, site),
            "stage_form": StageForm(initial={"stage": site.stage}),
            "audit": audit_for_object(
                user=request.user, object_type="sites.Site", object_id=str(site.pk)
            )[:20],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def site_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    site = _site(request, pk) if pk is not None else None
    organisation = site.organisation if site else _organisation(request)
    if organisation is None:
        raise PermissionDenied
    if site is not None and not can_change(request.user, site):
        raise PermissionDenied
    if site is None and not may_create_in(request.user, organisation):
        raise PermissionDenied
    form = SiteForm(request.POST or None, instance=_site(request, pk) if pk is not None else None)

    def write(cleaned: dict[str, Any]) -> Site:
        data = {
            k: v for k, v in cleaned.items() if k not in {"longitude", "latitude", "geometry_json"}
        }
        if site is None:
            return services.site_create(actor=request.user, organisation=organisation, **data)
        return services.site_update(actor=request.user, site=site, **data)

    saved = submit(request, form, write, success=_("The site has been saved."))
    if saved is not None:
        return redirect("sites:detail", pk=saved.pk)
    return render(request, "sites/site_form.html", {"form": form, "site": site})


@login_required
@require_POST
def site_stage(request: HttpRequest, pk: int) -> HttpResponse:
    site = _site(request, pk)
    if not can_change(request.user, site):
        raise PermissionDenied
    form = StageForm(request.POST)
    if form.is_valid():
        services.site_set_stage(
            actor=request.user,
            site=site,
            stage=form.cleaned_data["stage"],
            reason=form.cleaned_data["reason"],
            on=form.cleaned_data["on"],
        )
        messages.success(request, _("The stage has been changed."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect(request.POST.get("next") or reverse("sites:detail", args=[site.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def site_delete(request: HttpRequest, pk: int) -> HttpResponse:
    site = _site(request, pk)
    if not can_change(request.user, site):
        raise PermissionDenied
    if request.method == "POST":
        services.site_delete(actor=request.user, site=site)
        messages.success(request, _("The site has been deleted."))
        return redirect("sites:list")
    return render(request, "sites/site_confirm_delete.html", {"site": site})


@login_required
@require_http_methods(["GET", "POST"])
def site_import(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    if organisation is None or not may_create_in(request.user, organisation):
        raise PermissionDenied
    kind = request.POST.get("kind") or request.GET.get("kind") or "sites"
    extensions = (
        (".geojson", ".json") if kind == "amenities" else (".csv", ".xlsx", ".geojson", ".json")
    )
    form = UploadForm(request.POST or None, request.FILES or None, extensions=extensions)
    errors = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if kind == "amenities":
                count = services.amenities_import(
                    actor=request.user, organisation=organisation, content=upload.read()
                )
                messages.success(request, _("%(count)d amenities imported.") % {"count": count})
            else:
                created, updated = services.sites_import(
                    actor=request.user,
                    organisation=organisation,
                    content=upload.read(),
                    filename=upload.name,
                )
                messages.success(
                    request,
                    _("%(created)d sites added, %(updated)d updated.")
                    % {"created": created, "updated": updated},
                )
        except ImportRejected as rejection:
            errors = rejection.errors
        else:
            return redirect("sites:list")
    return render(
        request,
        "sites/import.html",
        {"form": form, "kind": kind, "errors": errors, "organisation": organisation},
    )


@login_required
@require_http_methods(["GET", "POST"])
def weights(request: HttpRequest) -> HttpResponse:
    """Criteria (exclusions with thresholds, directions, active) and the named weight sets."""
    organisation = _organisation(request)
    if organisation is None:
        raise Http404
    criteria = services.criteria_ensure(organisation=organisation)
    weighted = [c for c in criteria if c.kind == "weighted"]
    sets = list(selectors.weight_sets(user=request.user, organisation=organisation))
    editing = next((s for s in sets if str(s.pk) == request.GET.get("set", "")), None)
    errors: list[str] = []
    if request.method == "POST":
        if not may_create_in(request.user, organisation):
            raise PermissionDenied
        values: dict[str, float] = {}
        ranges: dict[str, tuple[float | None, float | None]] = {}
        for criterion in weighted:
            try:
                values[criterion.key] = float(request.POST.get(f"w_{criterion.key}", "0") or 0)
                low = request.POST.get(f"low_{criterion.key}", "").strip()
                high = request.POST.get(f"high_{criterion.key}", "").strip()
                ranges[criterion.key] = (float(low) if low else None, float(high) if high else None)
            except ValueError:
                errors.append(_("%(criterion)s: not a number") % {"criterion": criterion.label})
        name = request.POST.get("name", "").strip()
        if not name:
            errors.append(_("Give the weight set a name."))
        if not errors:
            try:
                saved = services.weight_set_save(
                    actor=request.user,
                    organisation=organisation,
                    name=name,
                    weights=values,
                    ranges=ranges,
                    description=request.POST.get("description", ""),
                    weight_set=editing,
                )
            except ValidationError as error:
                errors += [f"{k}: {'; '.join(v)}" for k, v in error.message_dict.items()]
            else:
                messages.success(request, _("The weight set has been saved."))
                return redirect(f"{reverse('sites:weights')}?set={saved.pk}")
    current = {w.criterion.key: w for w in editing.weights.all()} if editing else {}
    rows = [(c, current.get(c.key)) for c in weighted]
    return render(
        request,
        "sites/weights.html",
        {
            "criteria": criteria,
            "weighted": weighted,
            "sets": sets,
            "editing": editing,
            "rows": rows,
            "errors": errors,
            "can_edit": may_create_in(request.user, organisation),
        },
    )


METHODS = (
    ("topsis", "TOPSIS"),
    ("wsm", gettext_lazy("Weighted sum")),
    ("promethee2", "PROMETHEE II"),
)
NORMALIZATIONS = (("vector", gettext_lazy("Vector")), ("minmax", gettext_lazy("Min-max")))
SMAA_SAMPLES = 2000
SMAA_SEED = 2026


@dataclass
class Analysis:
    """Everything the ranking page and the council report show, computed once."""

    organisation: Organisation
    matrix: adapters.Matrix
    weight_set: WeightSet | None
    weights: dict[str, float]
    method: str
    normalization: str
    shortlist_size: int
    ranked: list[adapters.RankedSite] = field(default_factory=list)
    smaa: Any = None
    shortlist_probability: dict[int, float] = field(default_factory=dict)
    comparison: Any = None
    comparison_ranks: list[tuple[Site, list[int]]] = field(default_factory=list)
    error: str = ""


def _analysis(request: HttpRequest, organisation: Organisation) -> Analysis:
    criteria = services.criteria_ensure(organisation=organisation)
    sets = list(selectors.weight_sets(user=request.user, organisation=organisation))
    weight_set = next(
        (s for s in sets if str(s.pk) == request.GET.get("set")), sets[0] if sets else None
    )
    weights = adapters.weights_of(weight_set)
    for criterion in criteria:
        raw = request.GET.get(f"w_{criterion.key}")
        if raw not in (None, ""):
            with contextlib.suppress(ValueError):
                weights[criterion.key] = max(0.0, float(raw))
    method = request.GET.get("method", "topsis")
    method = method if method in dict(METHODS) else "topsis"
    normalization = request.GET.get("normalization", "vector")
    normalization = normalization if normalization in dict(NORMALIZATIONS) else "vector"
    try:
        size = max(1, int(request.GET.get("k", "5")))
    except ValueError:
        size = 5
    sites = list(selectors.site_list(user=request.user).filter(organisation=organisation))
    matrix = adapters.build_matrix(
        organisation=organisation, sites=sites, criteria=criteria, today=timezone.localdate()
    )
    analysis = Analysis(organisation, matrix, weight_set, weights, method, normalization, size)
    try:
        analysis.ranked = adapters.rank(matrix, weights, method=method, normalization=normalization)
        analysis.smaa = adapters.uncertainty(
            matrix,
            weight_set,
            method=method,
            normalization=normalization,
            samples=SMAA_SAMPLES,
            seed=SMAA_SEED,
        )
        size = min(size, analysis.smaa.max_rank)
        analysis.shortlist_size = size
        probability = analysis.smaa.shortlist_probability(size).tolist()
        analysis.shortlist_probability = {
            int(pk): p for pk, p in zip(analysis.smaa.sites, probability, strict=True)
        }
        if len(sets) >= 2:
            analysis.comparison = adapters.compare(
                matrix, sets, method=method, normalization=normalization
            )
            ranks = [r.ranks().tolist() for r in analysis.comparison.rankings]
            rows = matrix.eligible
            analysis.comparison_ranks = sorted(
                ((matrix.sites[i], [column[k] for column in ranks]) for k, i in enumerate(rows)),
                key=lambda item: item[1][0],
            )
    except siting.SitingInputError as error:
        analysis.error = str(error)
    return analysis


@login_required
def ranking(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    if organisation is None:
        raise Http404
    analysis = _analysis(request, organisation)
    sets = list(selectors.weight_sets(user=request.user, organisation=organisation))
    chart = None
    if analysis.smaa is not None:
        names = {str(s.pk): s.name for s in analysis.matrix.sites}
        spec = charts.acceptability_chart(analysis.smaa, names, top=12)
        chart = to_svg(spec, title=_("Rank acceptability of the best sites"))
    sliders = [(c, analysis.weights.get(c.key, 0.0)) for c in analysis.matrix.criteria]
    features = [
        site_feature(
            r.site,
            color=charts.score_colour(r.rank, len(analysis.ranked)),
            label=f"{r.rank}. {r.site.name}",
        )
        for r in analysis.ranked
    ]
    return render(
        request,
        "sites/ranking.html",
        {
            "analysis": analysis,
            "sets": sets,
            "methods": METHODS,
            "normalizations": NORMALIZATIONS,
            "sliders": sliders,
            "chart": chart,
            "map": _map(features),
            "samples": SMAA_SAMPLES,
            "seed": SMAA_SEED,
            "excluded": [
                (s, analysis.matrix.exclusions[s.pk])
                for s in analysis.matrix.sites
                if s.pk in analysis.matrix.exclusions
            ],
            "incomplete": [
                (s, analysis.matrix.incomplete[s.pk])
                for s in analysis.matrix.sites
                if s.pk in analysis.matrix.incomplete and s.pk not in analysis.matrix.exclusions
            ],
            "can_change": may_create_in(request.user, organisation),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def report(request: HttpRequest, fmt: str) -> HttpResponse:
    """The shortlist report for a council proposal: method, weights, exclusions, ranking,
    sensitivity (SMAA) and the shortlist, as Word or Excel."""
    organisation = _organisation(request)
    if organisation is None or fmt not in ("docx", "xlsx"):
        raise Http404
    analysis = _analysis(request, organisation)
    content = (
        reports.shortlist_docx(analysis) if fmt == "docx" else reports.shortlist_xlsx(analysis)
    )
    kind = (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if fmt == "docx"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = (
        f'attachment; filename="shortlist-locaties-{timezone.localdate().isoformat()}.{fmt}"'
    )
    return response


@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    """The cheapest (or best) set of ranked sites that meets a capacity target per group."""
    organisation = _organisation(request)
    if organisation is None:
        raise Http404
    analysis = _analysis(request, organisation)
    groups = [(value, label) for value, label in TargetGroup.choices[:4]]
    targets: dict[str, int] = {}
    errors: list[str] = []
    for value, label in groups:
        raw = request.GET.get(f"t_{value}", "")
        if raw:
            try:
                number = int(raw)
                if number < 0:
                    raise ValueError
                if number:
                    targets[value] = number
            except ValueError:
                errors.append(_("%(group)s: give a whole number of places") % {"group": label})
    budget = None
    if request.GET.get("budget"):
        try:
            budget = Decimal(request.GET["budget"]).quantize(Decimal("0.01"))
            if budget < 0:
                raise ValueError
        except (ValueError, ArithmeticError):
            errors.append(_("The budget must be an amount of 0 or more."))
    spread = None
    if request.GET.get("spread"):
        try:
            spread = max(1, int(request.GET["spread"]))
        except ValueError:
            errors.append(_("The spread limit must be a whole number."))
    objective = "max_score" if request.GET.get("objective") == "max_score" else "min_cost"
    result = None
    if targets and not errors and analysis.ranked:
        try:
            result = adapters.portfolio(
                analysis.ranked,
                targets,
                budget=budget,
                objective=objective,
                max_sites_per_neighbourhood=spread,
            )
        except siting.SitingInputError as error:
            errors.append(str(error))
    chosen = set(result.selected) if result is not None else set()
    features = [
        site_feature(
            r.site,
            color="#059669" if str(r.site.pk) in chosen else "#9ca3af",
            label=f"{r.site.name}{' ✓' if str(r.site.pk) in chosen else ''}",
        )
        for r in analysis.ranked
    ]
    by_pk = {str(r.site.pk): r.site for r in analysis.ranked}
    return render(
        request,
        "sites/portfolio.html",
        {
            "analysis": analysis,
            "groups": groups,
            "targets": targets,
            "errors": errors,
            "result": result,
            "chosen": [by_pk[pk] for pk in (result.selected if result else ()) if pk in by_pk],
            "placements": [
                (by_pk.get(p.site), TargetGroup(p.group).label, p.places)
                for p in (result.placements if result else ())
            ],
            "map": _map(features),
            "objective": objective,
            "budget": request.GET.get("budget", ""),
            "spread": request.GET.get("spread", ""),
        },
    )
