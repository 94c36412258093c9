"""Writes of communication and participation; every change is validated, audited and atomic.
A moment tied to a milestone takes the milestone's date plus its offset when it is saved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onderdak.apps.accounts.selectors import require_change, require_create_in
from onderdak.apps.audit.services import audited_create, audited_delete, audited_update
from onderdak.common.exports import format_number
from onderdak.common.geometry import clean_geometry, feature_rows, geometry_problem
from onderdak.common.imports import ImportRejected, RowError, row_errors

from .models import (
    CommunicationPlan,
    FollowUp,
    LogEntry,
    Moment,
    Neighbourhood,
    PlanAudience,
    Stakeholder,
)

if TYPE_CHECKING:
    from onderdak.apps.accounts.models import Organisation

STAKEHOLDER_FIELDS = (
    "name",
    "kind",
    "interest",
    "influence",
    "contact_role",
    "tracks",
    "notes",
    "shared",
)
PLAN_FIELDS = ("goals", "key_messages", "owner", "status", "shared")
MOMENT_FIELDS = (
    "title",
    "kind",
    "date",
    "channel",
    "message",
    "owner",
    "status",
    "track",
    "site",
    "complex",
    "milestone",
    "days_from_milestone",
    "decision",
    "shared",
)


def _same_organisation(organisation_id: int, records: Any, field: str) -> None:
    """Refuse related records of another organisation (a form offers only the user's)."""
    if any(getattr(r, "organisation_id", organisation_id) != organisation_id for r in records):
        raise ValidationError({field: _("Choose records of the same organisation.")})


@transaction.atomic
def stakeholder_create(
    *, actor: Any, organisation: Organisation, sites: Any = (), complexes: Any = (), **values: Any
) -> Stakeholder:
    require_create_in(actor, organisation)
    _same_organisation(organisation.pk, sites, "sites")
    _same_organisation(organisation.pk, complexes, "complexes")
    stakeholder = Stakeholder(organisation=organisation, **values)
    audited_create(actor=actor, instance=stakeholder)
    stakeholder.sites.set(sites)
    stakeholder.complexes.set(complexes)
    return stakeholder


@transaction.atomic
def stakeholder_update(
    *,
    actor: Any,
    stakeholder: Stakeholder,
    sites: Any = None,
    complexes: Any = None,
    **changes: Any,
) -> Stakeholder:
    require_change(actor, stakeholder)
    audited_update(actor=actor, instance=stakeholder, changes=changes, allowed=STAKEHOLDER_FIELDS)
    if sites is not None:
        _same_organisation(stakeholder.organisation_id, sites, "sites")
        stakeholder.sites.set(sites)
    if complexes is not None:
        _same_organisation(stakeholder.organisation_id, complexes, "complexes")
        stakeholder.complexes.set(complexes)
    return stakeholder


@transaction.atomic
def stakeholder_delete(*, actor: Any, stakeholder: Stakeholder) -> None:
    require_change(actor, stakeholder)
    audited_delete(actor=actor, instance=stakeholder)


@transaction.atomic
def plan_save(
    *, actor: Any, organisation: Organisation, track: str, **values: Any
) -> CommunicationPlan:
    """The plan of ``track`` for ``organisation``: created the first time, changed after."""
    plan = CommunicationPlan.objects.filter(organisation=organisation, track=track).first()
    if plan is None:
        require_create_in(actor, organisation)
        plan = CommunicationPlan(organisation=organisation, track=track, **values)
        audited_create(actor=actor, instance=plan)
        return plan
    require_change(actor, plan)
    audited_update(actor=actor, instance=plan, changes=values, allowed=PLAN_FIELDS)
    return plan


def _follow_milestone(actor: Any, organisation_id: int, values: dict[str, Any]) -> None:
    """A moment tied to a milestone gets the milestone's date plus its offset."""
    from onderdak.apps.programme.selectors import milestone_dates

    milestone = values.get("milestone")
    if milestone is None:
        return
    dates = milestone_dates(user=actor, task_ids={milestone.pk}, today=timezone.localdate())
    if milestone.pk not in dates or milestone.programme.organisation_id != organisation_id:
        raise ValidationError({"milestone": _("Choose a milestone of your programme.")})
    values["date"] = dates[milestone.pk] + timedelta(days=values.get("days_from_milestone") or 0)


@transaction.atomic
def moment_create(
    *, actor: Any, organisation: Organisation, audience: Any = (), **values: Any
) -> Moment:
    require_create_in(actor, organisation)
    _same_organisation(organisation.pk, audience, "audience")
    for field in ("site", "complex", "decision"):
        if values.get(field) is not None:
            _same_organisation(organisation.pk, [values[field]], field)
    _follow_milestone(actor, organisation.pk, values)
    moment = Moment(organisation=organisation, **values)
    audited_create(actor=actor, instance=moment)
    moment.audience.set(audience)
    return moment


@transaction.atomic
def moment_update(*, actor: Any, moment: Moment, audience: Any = None, **changes: Any) -> Moment:
    require_change(actor, moment)
    for field in ("site", "complex", "decision"):
        if changes.get(field) is not None:
            _same_organisation(moment.organisation_id, [changes[field]], field)
    values = {
        "milestone": changes.get("milestone", moment.milestone),
        "days_from_milestone": changes.get("days_from_milestone", moment.days_from_milestone),
    }
    _follow_milestone(actor, moment.organisation_id, values)
    if "date" in values:
        changes["date"] = values["date"]
    audited_update(actor=actor, instance=moment, changes=changes, allowed=MOMENT_FIELDS)
    if audience is not None:
        _same_organisation(moment.organisation_id, audience, "audience")
        moment.audience.set(audience)
    return moment


@transaction.atomic
def moment_delete(*, actor: Any, moment: Moment) -> None:
    require_change(actor, moment)
    audited_delete(actor=actor, instance=moment)


@transaction.atomic
def plan_audiences_set(
    *, actor: Any, plan: CommunicationPlan, levels: dict[Stakeholder, str | None]
) -> None:
    """The participation level of each stakeholder in ``plan`` (``None``: not in the plan)."""
    require_change(actor, plan)
    _same_organisation(plan.organisation_id, levels, "levels")
    current = {a.stakeholder_id: a for a in PlanAudience.objects.filter(plan=plan)}
    for stakeholder, level in levels.items():
        audience = current.get(stakeholder.pk)
        if level is None:
            if audience is not None:
                audited_delete(actor=actor, instance=audience)
        elif audience is None:
            audited_create(
                actor=actor,
                instance=PlanAudience(plan=plan, stakeholder=stakeholder, level=level),
            )
        elif audience.level != level:
            audited_update(
                actor=actor, instance=audience, changes={"level": level}, allowed=("level",)
            )


@transaction.atomic
def log_entry_create(
    *, actor: Any, moment: Moment, follow_ups: Sequence[dict[str, Any]] = (), **values: Any
) -> LogEntry:
    """What was heard at ``moment``, with its follow-up actions, in one transaction."""
    require_change(actor, moment)
    entry = LogEntry(moment=moment, **values)
    audited_create(actor=actor, instance=entry)
    for number, action in enumerate(follow_ups, start=1):
        try:
            audited_create(actor=actor, instance=FollowUp(entry=entry, **action))
        except ValidationError as error:
            raise ValidationError(
                _("Follow-up %(number)s: %(errors)s")
                % {"number": number, "errors": "; ".join(error.messages)}
            ) from error
    return entry


@transaction.atomic
def follow_up_set_done(*, actor: Any, follow_up: FollowUp, done: bool) -> FollowUp:
    require_change(actor, follow_up.entry.moment)
    audited_update(actor=actor, instance=follow_up, changes={"done": done}, allowed=("done",))
    return follow_up


@transaction.atomic
def log_entry_delete(*, actor: Any, entry: LogEntry) -> None:
    require_change(actor, entry.moment)
    audited_delete(actor=actor, instance=entry)


NAME_KEYS = ("naam", "name", "buurtnaam", "wijknaam", "statnaam")
CODE_KEYS = ("code", "buurtcode", "wijkcode", "statcode")


def _property(properties: dict[str, Any], keys: Sequence[str]) -> str:
    lowered = {str(k).strip().lower(): v for k, v in properties.items()}
    for key in keys:
        value = lowered.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and value != "":
            return str(value).strip()
    return ""


#: More neighbourhoods than any municipality has (Amsterdam: about 500 CBS buurten).
MAX_NEIGHBOURHOODS = 2000


@dataclass(frozen=True)
class NeighbourhoodImport:
    created: int
    updated: int


@transaction.atomic
def neighbourhoods_import(
    *, actor: Any, organisation: Organisation, content: bytes
) -> NeighbourhoodImport:
    """Import the municipality's neighbourhoods from a GeoJSON FeatureCollection (the CBS
    buurten from PDOK, or the municipality's own): per feature a name (``buurtnaam``, ``naam``
    or ``name``), an optional code (``buurtcode``, ``code``) and its outline or centre. Known
    names are updated, new ones created; any problem: :class:`ImportRejected` (row = feature
    number), nothing written."""
    require_create_in(actor, organisation)
    errors: list[RowError] = []
    parsed: list[tuple[int, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    features = feature_rows(content)
    if len(features) > MAX_NEIGHBOURHOODS:
        raise ImportRejected(
            [
                RowError(
                    None,
                    None,
                    _(
                        "the file holds %(count)s features; a municipality has at most "
                        "%(limit)s neighbourhoods (import the municipality's own)"
                    )
                    % {
                        "count": format_number(len(features)),
                        "limit": format_number(MAX_NEIGHBOURHOODS),
                    },
                )
            ]
        )
    for number, properties, geometry in features:
        name = _property(properties, NAME_KEYS)
        code = _property(properties, CODE_KEYS)
        problem = geometry_problem(geometry)
        if not name:
            errors.append(RowError(number, _("name"), _("the feature has no name (buurtnaam)")))
        elif len(name) > 150:
            errors.append(RowError(number, _("name"), _("longer than 150 characters")))
        elif name in seen:
            errors.append(
                RowError(
                    number,
                    _("name"),
                    _("'%(name)s' is also feature %(row)d") % {"name": name, "row": seen[name]},
                )
            )
        if len(code) > 20:
            errors.append(RowError(number, _("code"), _("longer than 20 characters")))
        if problem is not None:
            errors.append(RowError(number, _("geometry"), problem))
        if name and name not in seen and problem is None:
            parsed.append((number, {"name": name, "code": code, "geometry": geometry}))
        seen.setdefault(name, number)
    if not parsed and not errors:
        errors.append(RowError(None, None, _("the file holds no neighbourhoods")))
    if errors:
        raise ImportRejected(errors)
    existing = {n.name: n for n in Neighbourhood.objects.filter(organisation=organisation)}
    created = updated = 0
    for number, values in parsed:
        values["geometry"] = clean_geometry(values["geometry"])
        try:
            if values["name"] in existing:
                audited_update(
                    actor=actor,
                    instance=existing[values["name"]],
                    changes=values,
                    allowed=("name", "code", "geometry"),
                )
                updated += 1
            else:
                audited_create(
                    actor=actor, instance=Neighbourhood(organisation=organisation, **values)
                )
                created += 1
        except ValidationError as error:
            raise ImportRejected(row_errors(number, error)) from None
    return NeighbourhoodImport(created, updated)


@transaction.atomic
def neighbourhoods_remove(*, actor: Any, organisation: Organisation) -> int:
    """Remove the organisation's whole list of neighbourhoods (before importing a new one);
    returns how many there were. Stakeholders made from them stay."""
    require_create_in(actor, organisation)
    found = list(Neighbourhood.objects.filter(organisation=organisation))
    for item in found:
        audited_delete(actor=actor, instance=item)
    return len(found)
