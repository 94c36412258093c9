"""Costs and income derived from the programme (issue 13): what the units, placements,
contracts, agreements and sites of one organisation cause in money in a year, each line
traceable to the record that caused it (``source_url``, its page).

Read only through the other apps' selectors, scoped to the user and to the one organisation
(money is not shared: another organisation's shared records never appear). Pricing by the
finance engine; exact inside, rounded half up to cents once per line. The rules:

* **reception income** (GOO, 6.1, track 2, displaced persons from Ukraine): a unit counts its
  ``max_occupants`` realised places on every day that it is *in use for Ukrainians* -- its
  status on that day (from its status history) is occupied, vacant or reserved (not
  maintenance or out of use), the day lies within the complex's permit, and the unit is meant
  for Ukrainians (its target groups name them) or a Ukrainian household lives in it that day.
  The place-days are priced at the GOO rate of each day (the Bekostigingsregeling opvang
  ontheemden Oekraine pays per realised place per day), one line per unit and month. The
  persons placed (person-days, from the placements, read as counts) are shown alongside.
* **flex homes** (8.3, track 2 when the complex is for displaced persons or status holders,
  track 3 otherwise): a purchase (contract ``purchase``) is an investment on the balance sheet
  (shown, not counted) depreciated straight-line from its start until the end of the permit or
  of the economic life (the contract's "until"), whichever comes first; lease and management
  fees (amount per year) spread per day over their period; a relocation recorded on the
  complex costs 30 % of new build for moving and 15 % for the site on the day relocated
  (``housing.selectors.relocation_estimate``); a sale is income on its date; the
  SFT subsidy is units x rate (7,800) in the year the permit starts (2023-2026) for a complex
  under the subsidy condition, capped at 5 million per municipality over the complexes in
  order of their permit.
* **care and support**: contracts' amounts per year pro rata per day over their period (task
  field of the service, else 6.1); an ownership's budget per year likewise, unless its
  contract has an amount (then the contract counts, not twice).
* **exchange agreements**: the compensation of approved agreements, paid by the municipality
  that hands places off and received by the one that takes them over, on the day approved.
* **sites** on the shortlist or later (not rejected or closed): the one-off cost on the day the
  site becomes available, the yearly cost per day from then until its "available until".
  A site without an availability date has no date to book on and is left out.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onderdak.apps.accounts.selectors import organisation_named
from onderdak.apps.care import selectors as care_selectors
from onderdak.apps.housing import selectors as housing_selectors
from onderdak.apps.region import selectors as region_selectors
from onderdak.apps.sites import selectors as sites_selectors
from onderdak.common.urls import reverse

from . import selectors
from .models import BudgetLine, Direction

if TYPE_CHECKING:
    from onderdak.engines.finance import FinanceInputError, Presence, RateTable

#: Scheme codes of the rates the derivation uses.
GOO = "goo"
SFT = "sft"
SFT_CAP = "sft_plafond"
#: The SFT parameters used when the organisation's rates do not hold them (DOMAIN.md 4).
NATIONAL_SFT = Decimal("7800.00")
NATIONAL_SFT_CAP = Decimal("5000000.00")
#: Years of the SFT subsidy scheme.
SFT_YEARS = range(2023, 2027)

#: Unit statuses that count as realised places; maintenance and out of use do not.
IN_USE = frozenset({"occupied", "vacant", "reserved"})
UKRAINIAN = "displaced_ukrainian"
#: Target groups whose flex homes belong to track 2 (flex homes for displaced persons).
TRACK2_GROUPS = frozenset({UKRAINIAN, "status_holder", "asylum_seeker", "uam"})

INCOME = "income"
EXPENDITURE = "expenditure"

#: Category codes and their names, in the order of the costs page.
CATEGORIES = {
    "reception": gettext_lazy("Reception income (GOO)"),
    "flex_purchase": gettext_lazy("Purchase of flex homes (investment, not counted)"),
    "flex_depreciation": gettext_lazy("Depreciation of flex homes"),
    "flex_lease": gettext_lazy("Lease of flex homes"),
    "flex_management": gettext_lazy("Management of flex homes"),
    "flex_sale": gettext_lazy("Sale of flex homes"),
    "flex_relocation": gettext_lazy("Relocation of flex homes"),
    "subsidy": gettext_lazy("Flex-home subsidy (SFT)"),
    "care": gettext_lazy("Care and support"),
    "exchange": gettext_lazy("Exchange agreements"),
    "site_one_off": gettext_lazy("Sites: one-off costs"),
    "site_yearly": gettext_lazy("Sites: yearly costs"),
}
#: Categories shown but not counted in totals and the forecast (balance sheet, not P&L).
NOT_COUNTED = frozenset({"flex_purchase"})


@dataclass(frozen=True)
class CostLine:
    """One derived amount: ``category`` (a code of :data:`CATEGORIES`), where it belongs in
    the budget, its month (``YYYY-MM``) or ``None`` for a line of the period, the quantity
    (place-days, units, places; 0 where nothing is counted), the amount in euros (two
    decimals), and the record that caused it (kind, id, name, page)."""

    category: str
    description: str
    task_field: str
    track: str
    target_group: str
    direction: str
    month: str | None
    quantity: int
    amount: Decimal
    source_kind: str
    source_id: int
    source_label: str
    source_url: str
    #: Information only: person-days of the people placed (reception lines).
    persons: int | None = None

    @property
    def category_label(self) -> str:
        return str(CATEGORIES.get(self.category, self.category))

    @property
    def track_label(self) -> str:
        return track_label(self.track)

    @property
    def direction_label(self) -> str:
        return str(dict(Direction.choices).get(self.direction, self.direction))

    @property
    def counted(self) -> bool:
        return self.category not in NOT_COUNTED

    @property
    def signed(self) -> Decimal:
        """The amount with income positive and expenditure negative."""
        return self.amount if self.direction == INCOME else -self.amount


def track_label(code: str) -> str:
    """The name of a track (programme's ``Track``, through the budget line's field)."""
    return str(dict(BudgetLine._meta.get_field("track").choices or []).get(code, code))


@dataclass(frozen=True)
class Window:
    """The days derived: from ``start`` up to but not including ``until``, within one year."""

    start: date
    until: date

    @property
    def year_days(self) -> int:
        return 366 if calendar.isleap(self.start.year) else 365

    def overlap(self, start: date | None, until: date | None) -> int:
        """Days of the window from ``start`` up to (not including) ``until``; None: open."""
        first = max(self.start, start) if start else self.start
        last = min(self.until, until) if until else self.until
        return max(0, (last - first).days)

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day < self.until


def window_of(year: int, *, since: date | None = None, until: date | None = None) -> Window:
    """The days of ``year`` from ``since`` (inclusive) up to and including ``until``."""
    start = date(year, 1, 1)
    end = date(year + 1, 1, 1)
    if since is not None:
        start = min(max(start, since), end)
    if until is not None:
        end = max(min(end, until + timedelta(days=1)), start)
    return Window(start, end)


def derived_lines(
    *,
    user: Any,
    organisation_id: int,
    year: int,
    until: date | None = None,
    since: date | None = None,
    carry_from: date | None = None,
) -> list[CostLine]:
    """The costs and income the programme of organisation ``organisation_id`` causes in
    ``year`` (from ``since``, up to and including ``until``, when given), read as ``user``.
    With ``carry_from``, occupancy on every later day is that of ``carry_from`` (the units in
    use then continue: the forecast). Raises :class:`FinanceInputError` (translate with
    :func:`error_message`) when a day has no rate."""
    if not selectors.may_read_finance(user, organisation_id):
        return []  # money is not shared: only members read an organisation's figures
    window = window_of(year, since=since, until=until)
    lines: list[CostLine] = []
    complexes = housing_selectors.finance_complexes(user=user, organisation_id=organisation_id)
    if window.start < window.until:
        lines += _reception(user, organisation_id, complexes, window, carry_from)
        lines += _flex_homes(complexes, window, year)
        lines += _subsidy(organisation_id, complexes, window)
        lines += _care(user, organisation_id, window)
        lines += _exchange(user, organisation_id, window)
        lines += _sites(user, organisation_id, window)
    order = list(CATEGORIES)
    lines.sort(key=lambda x: (order.index(x.category), x.task_field, x.month or "", x.source_label))
    return lines


def counted_total(lines: Iterable[CostLine], direction: str) -> Decimal:
    return sum((x.amount for x in lines if x.counted and x.direction == direction), Decimal("0.00"))


# --- rates ---------------------------------------------------------------------------------


def goo_table(organisation_id: int) -> RateTable:
    """The organisation's rates (its own, else the national ones) as an engine table."""
    return selectors.rate_table(organisation_id=organisation_id)


def _single_rate(organisation_id: int, scheme: str, on: date, default: Decimal) -> Decimal:
    """A parameter (the SFT amount, its ceiling) on a day; the national value when the
    organisation's rates do not hold the scheme from that day."""
    try:
        return selectors.rate_on(organisation_id, scheme, on)
    except ValidationError:
        return default


# --- reception income ----------------------------------------------------------------------


def _status_on(changes: list[Any], initial: str, day: date) -> str:
    status = initial
    for change in changes:
        if change.date > day:
            break
        status = change.to_status
    return str(status)


def _reception(
    user: Any,
    organisation_id: int,
    complexes: list[Any],
    window: Window,
    carry_from: date | None,
) -> list[CostLine]:
    from onderdak.engines.finance import Presence, price

    units = {u.pk: (c, u) for c in complexes for u in c.units.all()}
    if not units:
        return []
    presences_of: dict[int, list[Any]] = {}
    for p in housing_selectors.unit_presences(
        user=user,
        organisation_id=organisation_id,
        start=min(window.start, carry_from or window.start),
        until=window.until,
    ):
        if p.target_group == UKRAINIAN:
            presences_of.setdefault(p.unit_id, []).append(p)
    presences: list[Presence] = []
    persons: dict[tuple[str, str], int] = {}
    for unit_id, (complex, unit) in units.items():
        changes = sorted(unit.status_changes.all(), key=lambda c: (c.date, c.pk))
        initial = (changes[0].from_status or changes[0].to_status) if changes else unit.status
        meant = UKRAINIAN in (unit.target_groups or [])
        key = f"housing.unit:{unit_id}"
        run_start: date | None = None
        day = window.start
        while day <= window.until:
            counts = False
            if day < window.until:
                state_day = min(day, carry_from) if carry_from else day
                in_permit = (complex.permit_start is None or complex.permit_start <= day) and (
                    complex.permit_end is None or day <= complex.permit_end
                )
                placed = sum(
                    p.persons
                    for p in presences_of.get(unit_id, [])
                    if p.start <= state_day and (p.end is None or state_day < p.end)
                )
                if placed:
                    month = (key, f"{day:%Y-%m}")
                    persons[month] = persons.get(month, 0) + placed
                counts = (
                    in_permit
                    and _status_on(changes, initial, state_day) in IN_USE
                    and (meant or placed > 0)
                )
            if counts and run_start is None:
                run_start = day
            elif not counts and run_start is not None:
                presences.append(Presence(GOO, run_start, day, unit.max_occupants, key))
                run_start = None
            day += timedelta(days=1)
    if not presences:
        return []
    table = goo_table(organisation_id)
    lines = []
    for month_line in price(table, presences, by_key=True):
        complex, unit = units[int(month_line.key.split(":")[1])]
        lines.append(
            CostLine(
                category="reception",
                description=_("Realised places, unit %(unit)s") % {"unit": unit.number},
                task_field="6.1",
                track="flex_homes",
                target_group=UKRAINIAN,
                direction=INCOME,
                month=month_line.month,
                quantity=month_line.quantity,
                amount=month_line.amount,
                source_kind="housing.complex",
                source_id=complex.pk,
                source_label=f"{complex.name} {unit.number}",
                source_url=reverse("housing:complex_detail", args=[complex.pk]),
                persons=persons.get((month_line.key, month_line.month), 0),
            )
        )
    return lines


# --- flex homes ----------------------------------------------------------------------------


def track_of(groups: Iterable[str]) -> str:
    """Track 2 for homes for displaced persons and status holders, track 3 otherwise."""
    return "flex_homes" if TRACK2_GROUPS & set(groups) else "temporary_housing"


def complex_track(complex: Any) -> str:
    groups = set(complex.subsidy_groups or [])
    for unit in complex.units.all():
        groups |= set(unit.target_groups or [])
    return track_of(groups)


def per_day(amount_per_year: Decimal, days: int, window: Window) -> Decimal:
    """An amount per year spread per day: ``days`` of the window's year."""
    from onderdak.engines.finance import round_half_up

    return round_half_up(Fraction(amount_per_year) * days / window.year_days)


def _after(day: date | None) -> date | None:
    """The day after an inclusive "until" date (the first day no longer counted)."""
    return day + timedelta(days=1) if day else None


def _flex_homes(complexes: list[Any], window: Window, year: int) -> list[CostLine]:
    return [line for complex in complexes for line in _flex_complex(complex, window, year)]


def _flex_complex(complex: Any, window: Window, year: int) -> list[CostLine]:
    from onderdak.engines.finance import round_half_up, straight_line

    lines: list[CostLine] = []
    track = complex_track(complex)
    url = reverse("housing:complex_detail", args=[complex.pk])

    def line(
        category: str, description: str, direction: str, amount: Decimal, **extra: Any
    ) -> CostLine:
        return CostLine(
            category=category,
            description=description,
            task_field="8.3",
            track=track,
            target_group="",
            direction=direction,
            month=extra.get("month"),
            quantity=extra.get("quantity", 0),
            amount=amount,
            source_kind="housing.complex",
            source_id=complex.pk,
            source_label=complex.name,
            source_url=url,
        )

    if (
        complex.relocated_units
        and complex.new_build_cost_per_unit is not None
        and window.contains(complex.relocated_on)
    ):
        estimate = housing_selectors.relocation_estimate(
            complex.relocated_units, cost_per_unit=complex.new_build_cost_per_unit
        )
        month = f"{complex.relocated_on:%Y-%m}"
        for description, amount in (
            (_("Relocating %(units)d units") % {"units": estimate.units}, estimate.move),
            (_("Preparing the new site"), estimate.site),
        ):
            lines.append(
                line(
                    "flex_relocation",
                    description,
                    EXPENDITURE,
                    amount.quantize(Decimal("0.01")),
                    month=month,
                    quantity=estimate.units,
                )
            )
    for contract in complex.contracts.all():
        if contract.amount is None:
            continue
        party = contract.party
        if contract.kind == "purchase":
            if window.contains(contract.start):
                lines.append(
                    line(
                        "flex_purchase",
                        _("Purchase from %(party)s") % {"party": party},
                        EXPENDITURE,
                        contract.amount,
                        month=f"{contract.start:%Y-%m}",
                    )
                )
            start = contract.start or complex.permit_start
            ends = [d for d in (_after(complex.permit_end), _after(contract.end)) if d]
            if start is None or not ends or min(ends) <= start:
                continue
            end = min(ends)
            if window.start == date(year, 1, 1) and window.until == date(year + 1, 1, 1):
                amount = straight_line(contract.amount, start, end, year)
            else:
                amount = round_half_up(
                    Fraction(contract.amount) * window.overlap(start, end) / (end - start).days
                )
            if amount:
                lines.append(
                    line(
                        "flex_depreciation",
                        _("Depreciation until %(date)s")
                        % {"date": dutch_date(end - timedelta(days=1))},
                        EXPENDITURE,
                        amount,
                    )
                )
        elif contract.kind in ("lease", "management"):
            days = window.overlap(contract.start, _after(contract.end))
            if days:
                lines.append(
                    line(
                        f"flex_{contract.kind}",
                        _("%(kind)s with %(party)s, %(days)d days")
                        % {"kind": contract.get_kind_display(), "party": party, "days": days},
                        EXPENDITURE,
                        per_day(contract.amount, days, window),
                        quantity=days,
                    )
                )
        elif contract.kind == "sale" and window.contains(contract.start):
            lines.append(
                line(
                    "flex_sale",
                    _("Sale to %(party)s") % {"party": party},
                    INCOME,
                    contract.amount,
                    month=f"{contract.start:%Y-%m}",
                )
            )
    return lines


def _subsidy(organisation_id: int, complexes: list[Any], window: Window) -> list[CostLine]:
    """SFT: units x rate in the year the permit starts, capped per municipality in the order
    of the permits (the cap is used up by earlier complexes, also of earlier years)."""
    from onderdak.engines.finance import subsidy_sft

    lines: list[CostLine] = []
    dated = sorted(
        (c for c in complexes if c.permit_start and c.permit_start.year in SFT_YEARS),
        key=lambda c: (c.permit_start, c.pk),
    )
    if not any(window.contains(c.permit_start) for c in dated):
        return []
    used = Decimal("0.00")
    for complex in dated:
        if not housing_selectors.subsidised(complex, today=complex.permit_start):
            continue
        units = len(complex.units.all())
        rate = _single_rate(organisation_id, SFT, complex.permit_start, NATIONAL_SFT)
        cap = _single_rate(organisation_id, SFT_CAP, complex.permit_start, NATIONAL_SFT_CAP)
        amount = subsidy_sft(units, rate, max(cap - used, Decimal("0.00")))
        used += amount
        if window.contains(complex.permit_start) and amount:
            lines.append(
                CostLine(
                    category="subsidy",
                    description=_("%(units)d units x %(rate)s euro")
                    % {"units": units, "rate": rate},
                    task_field="8.3",
                    track=complex_track(complex),
                    target_group="",
                    direction=INCOME,
                    month=f"{complex.permit_start:%Y-%m}",
                    quantity=units,
                    amount=amount,
                    source_kind="housing.complex",
                    source_id=complex.pk,
                    source_label=complex.name,
                    source_url=reverse("housing:complex_detail", args=[complex.pk]),
                )
            )
    return lines


# --- care ----------------------------------------------------------------------------------


def _care(user: Any, organisation_id: int, window: Window) -> list[CostLine]:
    lines: list[CostLine] = []
    for contract in care_selectors.finance_contracts(user=user, organisation_id=organisation_id):
        days = window.overlap(contract.start, _after(contract.end))
        if not days:
            continue
        service = contract.service
        lines.append(
            CostLine(
                category="care",
                description=_("Contract %(reference)s, %(days)d days")
                % {"reference": contract.reference, "days": days},
                task_field=(service.task_field if service else "") or "6.1",
                track="care",
                target_group="",
                direction=EXPENDITURE,
                month=None,
                quantity=days,
                amount=per_day(contract.amount_per_year or Decimal(0), days, window),
                source_kind="care.contract",
                source_id=contract.pk,
                source_label=str(contract.partner),
                source_url=reverse("care:partner_detail", args=[contract.partner_id]),
            )
        )
    for ownership in care_selectors.finance_ownerships(user=user, organisation_id=organisation_id):
        linked = ownership.contract
        if linked is not None and linked.amount_per_year is not None:
            continue  # the contract counts
        days = (
            window.overlap(linked.start, _after(linked.end))
            if linked is not None
            else window.overlap(None, None)
        )
        if not days:
            continue
        lines.append(
            CostLine(
                category="care",
                description=_("Budget for %(group)s, %(days)d days")
                % {"group": ownership.get_target_group_display(), "days": days},
                task_field=ownership.task_field or ownership.service.task_field or "6.1",
                track="care",
                target_group=ownership.target_group,
                direction=EXPENDITURE,
                month=None,
                quantity=days,
                amount=per_day(ownership.amount_per_year or Decimal(0), days, window),
                source_kind="care.service",
                source_id=ownership.service_id,
                source_label=str(ownership.service),
                source_url=reverse("care:service_detail", args=[ownership.service_id]),
            )
        )
    return lines


# --- exchange agreements -------------------------------------------------------------------


def _exchange(user: Any, organisation_id: int, window: Window) -> list[CostLine]:
    organisation = organisation_named(str(organisation_id))
    municipality_id = getattr(organisation, "municipality_id", None)
    if municipality_id is None:
        return []
    lines: list[CostLine] = []
    for line in region_selectors.finance_agreement_lines(
        user=user, municipality_id=municipality_id
    ):
        agreement = line.agreement
        day = agreement.approved_on or agreement.agreed_on
        if not window.contains(day):
            continue
        pays = line.from_municipality_id == municipality_id
        other = line.to_municipality if pays else line.from_municipality
        lines.append(
            CostLine(
                category="exchange",
                description=(
                    _("%(places)d places handed off to %(other)s")
                    if pays
                    else _("%(places)d places taken over from %(other)s")
                )
                % {"places": line.places, "other": other.name},
                task_field="6.1",
                track="overall",
                target_group=line.round.target_group,
                direction=EXPENDITURE if pays else INCOME,
                month=f"{day:%Y-%m}",
                quantity=line.places,
                amount=line.compensation,
                source_kind="region.agreement",
                source_id=agreement.pk,
                source_label=agreement.title,
                source_url=reverse("region:agreement_detail", args=[agreement.pk]),
            )
        )
    return lines


# --- sites ---------------------------------------------------------------------------------


def _sites(user: Any, organisation_id: int, window: Window) -> list[CostLine]:
    lines: list[CostLine] = []
    for site in sites_selectors.finance_sites(user=user, organisation_id=organisation_id):
        if site.available_from is None:
            continue
        track = track_of(site.target_groups or [])
        base: dict[str, Any] = {
            "task_field": "8.3",
            "track": track,
            "target_group": "",
            "direction": EXPENDITURE,
            "source_kind": "sites.site",
            "source_id": site.pk,
            "source_label": site.name,
            "source_url": reverse("sites:detail", args=[site.pk]),
        }
        if site.cost_one_off and window.contains(site.available_from):
            lines.append(
                CostLine(
                    category="site_one_off",
                    description=_("One-off cost (%(stage)s)") % {"stage": site.get_stage_display()},
                    month=f"{site.available_from:%Y-%m}",
                    quantity=0,
                    amount=site.cost_one_off,
                    **base,
                )
            )
        days = window.overlap(site.available_from, _after(site.available_until))
        if site.cost_yearly and days:
            lines.append(
                CostLine(
                    category="site_yearly",
                    description=_("Yearly cost, %(days)d days (%(stage)s)")
                    % {"days": days, "stage": site.get_stage_display()},
                    month=None,
                    quantity=days,
                    amount=per_day(site.cost_yearly, days, window),
                    **base,
                )
            )
    return lines


# --- errors --------------------------------------------------------------------------------


def dutch_date(day: date) -> str:
    """A date as dd-mm-jjjj."""
    return day.strftime("%d-%m-%Y")


def error_message(error: FinanceInputError) -> str:
    """The engine's error in the user's language (``selectors.finance_error_message``, the one
    place the finance codes become text)."""
    return selectors.finance_error_message(error)
