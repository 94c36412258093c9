"""Site pages: map and list, detail with stage history, edit, imports, ranking, portfolio, reports."""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from onderdak.apps.accounts.selectors import (
    can_change,
    may_create_in,
    primary_organisation,
)
from onderdak.apps.communication import selectors as communication
from onderdak.common.charts import chart_svg
from onderdak.common.exports import download
from onderdak.common.forms import UploadForm, object_id, submit
from onderdak.common.geometry import is_usable
from onderdak.common.imports import ImportRejected
from onderdak.common.memo import array_key
from onderdak.common.tables import Column, table_or_export
from onderdak.common.urls import reverse
from onderdak.common.validation import messages_by_field
from onderdak.common.vocabulary import TargetGroup

from . import adapters, charts, columns, reports, selectors, services
from .forms import SiteForm, StageForm
from .messages import binding_label, portfolio_reason, siting_error
from .models import Site, Stage

if TYPE_CHECKING:
    from onderdak.apps.accounts.models import Organisation

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


def _may_write(request: HttpRequest) -> bool:
    """May the user add and import sites (for the links on every sites page)?"""
    return may_create_in(request.user, _organisation(request))


def _ranked_organisation(request: HttpRequest) -> tuple[Organisation | None, list[Organisation]]:
    """The organisation whose sites are ranked (``?organisatie=`` for a regional coordinator),
    and the organisations the user may choose from."""
    try:
        organisation = selectors.ranked_organisation(
            user=request.user, asked=request.GET.get("organisatie", "")
        )
    except LookupError:
        raise Http404 from None
    return organisation, selectors.site_organisations(user=request.user)


def _site(request: HttpRequest, pk: int) -> Site:
    try:
        return selectors.site_get(user=request.user, pk=pk)
    except Site.DoesNotExist:
        raise Http404 from None


def _map(features: list[dict[str, Any] | None], **extra: Any) -> dict[str, Any]:
    return {
        "tileUrl": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "features": [f for f in features if f is not None],
        **extra,
    }


def site_feature(
    site: Site, *, color: str | None = None, label: str | None = None
) -> dict[str, Any] | None:
    """The site on a map; ``None`` for a stored geometry that cannot be drawn."""
    if not is_usable(site.geometry):
        return None
    stage = site.get_stage_display()
    return {
        "type": "Feature",
        "geometry": site.geometry,
        "properties": {
            "name": site.name,
            "code": stage,
            "label": label or f"{site.name} ({stage})",
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
            "may_write": _may_write(request),
            "regional": _organisation(request)
            not in selectors.site_organisations(user=request.user)
            and bool(all_sites),
        },
    )


@login_required
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    site = _site(request, pk)
    chosen = object_id(request.GET.get("straal"))
    radius = chosen if chosen in communication.RADII else communication.DEFAULT_RADIUS
    writes = may_create_in(request.user, site.organisation)
    return render(
        request,
        "sites/site_detail.html",
        {
            "site": site,
            "related": communication.related_to(
                user=request.user, today=timezone.localdate(), site=site
            ),
            "nearby": communication.neighbourhoods_near(
                user=request.user, site=site, radius=radius
            ),
            "radius": radius,
            "radii": communication.RADII,
            "may_add_stakeholder": writes,
            "plan_moment_url": (
                reverse("communication:moment_create") + f"?locatie={site.pk}" if writes else ""
            ),
            "history": selectors.stage_history(site=site),
            "map": _map([site_feature(site)]),
            "located": is_usable(site.geometry),
            "can_change": can_change(request.user, site),
            "may_write": _may_write(request),
            "stage_form": StageForm(initial={"stage": site.stage}),
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
    feature = site_feature(site) if site is not None else None
    return render(
        request,
        "sites/site_form.html",
        {
            "form": form,
            "site": site,
            "may_write": True,
            "map": _map([feature], pick={"longitude": "id_longitude", "latitude": "id_latitude"}),
            "map_label": _("Map: click to set the point of the site"),
        },
    )


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
    return redirect(_safe_next(request) or reverse("sites:detail", args=[site.pk]))


def _safe_next(request: HttpRequest) -> str | None:
    """``next`` when it is a path on this site (no open redirect to another host)."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


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
    return render(
        request, "sites/site_confirm_delete.html", {"site": site, "may_write": _may_write(request)}
    )


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
        {
            "form": form,
            "kind": kind,
            "errors": errors,
            "organisation": organisation,
            "columns": columns.COLUMNS,
            "may_write": True,
        },
    )


@login_required
def site_import_template(request: HttpRequest) -> HttpResponse:
    """The longlist template: Dutch column names and one example row (``?format=csv``, else
    Excel with an explanation sheet)."""
    organisation = _organisation(request)
    if organisation is None or not may_create_in(request.user, organisation):
        raise PermissionDenied
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    return columns.SITE_COLUMNS.template_response(fmt)


@login_required
@require_http_methods(["GET", "POST"])
def weights(request: HttpRequest) -> HttpResponse:
    """Criteria (exclusions with thresholds, directions, active) and the named weight sets."""
    organisation = _organisation(request)
    if organisation is None:
        raise Http404
    criteria = selectors.criteria_of(organisation=organisation)
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
                errors += [text for texts in messages_by_field(error).values() for text in texts]
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
            "may_write": _may_write(request),
        },
    )


METHODS = (
    ("topsis", "TOPSIS"),
    ("wsm", gettext_lazy("Weighted sum")),
    ("promethee2", "PROMETHEE II"),
)
NORMALIZATIONS = (("vector", gettext_lazy("Vector")), ("minmax", gettext_lazy("Min-max")))


def _analysis(request: HttpRequest, organisation: Organisation) -> selectors.Analysis:
    """The ranking read model for the query string of the ranking page (and its reports)."""
    overrides: dict[str, float] = {}
    for key in request.GET:
        raw = request.GET.get(key, "")
        if key.startswith("w_") and raw:
            with contextlib.suppress(ValueError):
                overrides[key[2:]] = float(raw)
    try:
        size = int(request.GET.get("k", "5"))
    except ValueError:
        size = 5
    query = selectors.RankingQuery(
        weight_set=request.GET.get("set") or None,
        weights=overrides,
        method=request.GET.get("method", "topsis"),
        normalization=request.GET.get("normalization", "vector"),
        shortlist_size=size,
    )
    return selectors.ranking(
        user=request.user, organisation=organisation, query=query, today=timezone.localdate()
    )


@login_required
def ranking(request: HttpRequest) -> HttpResponse:
    organisation, organisations = _ranked_organisation(request)
    if organisation is None:
        raise Http404
    analysis = _analysis(request, organisation)
    chart = None
    if analysis.smaa is not None:
        smaa = analysis.smaa
        names = {str(s.pk): s.name for s in analysis.matrix.sites}
        chart = chart_svg(
            (
                "acceptability",
                array_key(smaa.acceptability),
                smaa.sites,
                12,
                *map(names.get, smaa.sites),
            ),
            lambda: charts.acceptability_chart(smaa, names, top=12),
            title=_("Rank acceptability of the best sites"),
        )
    sliders = [(c, analysis.weights.get(c.key, 0.0)) for c in analysis.matrix.criteria]
    changeable = {r.site.pk for r in analysis.ranked if can_change(request.user, r.site)}
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
            "sets": analysis.weight_sets,
            "organisations": organisations,
            "methods": METHODS,
            "normalizations": NORMALIZATIONS,
            "sliders": sliders,
            "chart": chart,
            "map": _map(features),
            "samples": selectors.SMAA_SAMPLES,
            "seed": selectors.SMAA_SEED,
            "excluded": analysis.excluded,
            "incomplete": analysis.incomplete,
            # per site: a regional coordinator may change the shared sites of the members
            "changeable": changeable,
            "can_change": bool(changeable),
            "may_write": _may_write(request),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def report(request: HttpRequest, fmt: str) -> HttpResponse:
    """The shortlist report for a council proposal: method, weights, exclusions, ranking,
    sensitivity (SMAA) and the shortlist, as Word or Excel."""
    organisation, _organisations = _ranked_organisation(request)
    if organisation is None or fmt not in ("docx", "xlsx"):
        raise Http404
    analysis = _analysis(request, organisation)
    content = (
        reports.shortlist_docx(analysis) if fmt == "docx" else reports.shortlist_xlsx(analysis)
    )
    return download(content, f"shortlist-locaties-{timezone.localdate().isoformat()}.{fmt}")


@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    """The cheapest (or best) set of ranked sites that meets a capacity target per group."""
    from onderdak.engines import siting

    organisation, organisations = _ranked_organisation(request)
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
            errors.append(siting_error(error))
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
            "reason": portfolio_reason(result) if result is not None else "",
            "binding": [binding_label(code) for code in (result.binding if result else ())],
            "organisations": organisations,
            "organisation": organisation,
            "may_write": _may_write(request),
            "objective": objective,
            "budget": request.GET.get("budget", ""),
            "spread": request.GET.get("spread", ""),
        },
    )
