"""The quarterly letter (kwartaalbrief, issue 13): services and reads.

A letter of one quarter holds, per track, a short commentary (editable by controllers and
administrators until adopted), the budget use with the year-end forecast
(``forecast.year_end_forecast`` on the quarter's last day, or today if that is earlier), the
amendments decided in the quarter and the proposed amendments.

* **Proposed amendment**: for every line whose forecast light is amber or red, the forecast
  minus the current budget, rounded half up to whole euros (council decisions are taken in
  whole euros; the exact variance stays in the figures).
* **Adopt** freezes the figures into ``QuarterlyLetter.figures`` (JSON, Decimals as strings).
  After adoption the letter is read-only; :func:`letter_differences` compares the frozen
  figures with today's, per line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onderdak.apps.accounts.selectors import may_manage_finance, require_finance
from onderdak.apps.audit.services import Actor, audit_record, audited_create
from onderdak.apps.programme.selectors import track_signals
from onderdak.common.vocabulary import target_group_label

from . import selectors
from .forecast import Forecast, year_end_forecast
from .models import Direction, LetterCommentary, LetterStatus, QuarterlyLetter

if TYPE_CHECKING:
    from onderdak.apps.accounts.models import Organisation

ZERO = Decimal("0.00")
#: The tracks of a letter, in the order of the letter.
TRACKS = ("overall", "care", "flex_homes", "temporary_housing")
MONEY_FIELDS = ("original", "current", "actual_to_date", "still_to_come", "forecast", "variance")
#: The fields compared between the frozen and today's figures.
COMPARED = ("current", "actual_to_date", "forecast", "variance")


def quarter_end(year: int, quarter: int) -> date:
    """The last day of the quarter."""
    from onderdak.engines.finance import quarter_bounds

    return date.fromordinal(quarter_bounds(year, quarter)[1].toordinal() - 1)


def letter_as_of(year: int, quarter: int, today: date | None = None) -> date:
    """The as-of date of a letter: the quarter's last day, or today if that is earlier."""
    return min(quarter_end(year, quarter), today or timezone.localdate())


def propose(line: dict[str, str]) -> Decimal | None:
    """The proposed amendment of a line (see the module): ``None`` for a green line."""
    if line["light"] not in ("amber", "red"):
        return None
    change = Decimal(line["forecast"]) - Decimal(line["current"])
    return change.quantize(Decimal(1), rounding=ROUND_HALF_UP)


# --- reads ---------------------------------------------------------------------------------


def letter_list(*, user: Any, organisation_id: int) -> list[QuarterlyLetter]:
    if not selectors.may_read_finance(user, organisation_id):
        return []
    return list(
        QuarterlyLetter.objects.filter(organisation_id=organisation_id).order_by(
            "-year", "-quarter"
        )
    )


def letter_get(*, user: Any, organisation_id: int, year: int, quarter: int) -> QuarterlyLetter:
    """The letter, or ``QuarterlyLetter.DoesNotExist`` (also when the user may not read it)."""
    if not selectors.may_read_finance(user, organisation_id):
        raise QuarterlyLetter.DoesNotExist
    return QuarterlyLetter.objects.select_related("organisation", "adopted_by").get(
        organisation_id=organisation_id, year=year, quarter=quarter
    )


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def figures_of(forecast: Forecast, amendments: list[dict[str, str]]) -> dict[str, Any]:
    """The figures of a letter as JSON-ready data (Decimals as strings)."""
    lines = []
    for x in forecast.lines:
        line: dict[str, str] = {
            "task_field": x.task_field,
            "track": x.track,
            "target_group": x.target_group,
            "direction": x.direction,
            "description": x.description,
            **{name: _money(getattr(x, name)) for name in MONEY_FIELDS},
            "light": str(x.light),
        }
        proposal = propose(line)
        line["proposed"] = "" if proposal is None else str(proposal)
        lines.append(line)
    return {
        "year": forecast.year,
        "as_of": forecast.as_of.isoformat(),
        "lines": lines,
        "totals": {
            direction: {name: _money(getattr(t, name)) for name in MONEY_FIELDS}
            for direction, t in forecast.totals.items()
        },
        "monthly": [
            {
                "month": p.month,
                "budget": _money(p.budget),
                "actual": None if p.actual is None else _money(p.actual),
                "forecast": _money(p.forecast),
            }
            for p in forecast.monthly
        ],
        "amendments": amendments,
        "reserve": [
            {"target_group": r.target_group, "amount": _money(r.amount)} for r in forecast.reserve
        ],
    }


def live_figures(
    *, user: Any, letter: QuarterlyLetter, today: date | None = None
) -> dict[str, Any]:
    """Today's figures of the letter's quarter (the forecast raises the engine's
    ``FinanceInputError`` when a day has no rate)."""
    from onderdak.engines.finance import quarter_bounds

    as_of = letter_as_of(letter.year, letter.quarter, today)
    start, _after = quarter_bounds(letter.year, letter.quarter)
    forecast = year_end_forecast(
        user=user, organisation_id=letter.organisation_id, year=letter.year, as_of=as_of
    )
    amendments = [
        {
            "decided_on": a.decided_on.isoformat(),
            "reference": a.reference,
            "task_field": a.line.task_field,
            "track": a.line.track,
            "description": a.description or a.line.description,
            "amount": _money(a.amount),
        }
        for a in selectors.amendments_between(
            user=user,
            organisation_id=letter.organisation_id,
            start=start,
            end=quarter_end(letter.year, letter.quarter),
        )
    ]
    figures = figures_of(forecast, amendments)
    figures["signals"] = [
        {
            "track": x.track,
            "goal": str(x.goal),
            "light": x.light,
            "summary": str(x.summary),
            "url": x.url,
        }
        for x in track_signals(user=user, organisation_id=letter.organisation_id, on=as_of)
    ]
    return figures


def _key(line: dict[str, str]) -> tuple[str, str, str, str]:
    return (line["task_field"], line["track"], line["target_group"], line["direction"])


@dataclass(frozen=True)
class Difference:
    """A line whose figures today differ from the adopted ones (``None``: line absent)."""

    task_field: str
    track: str
    target_group: str
    direction: str
    description: str
    field: str
    adopted: Decimal | None
    now: Decimal | None

    @property
    def difference(self) -> Decimal:
        return (self.now or ZERO) - (self.adopted or ZERO)


def letter_differences(frozen: dict[str, Any], now: dict[str, Any]) -> list[Difference]:
    """Per line and compared field, where today's figures differ from the frozen ones."""
    before = {_key(x): x for x in frozen.get("lines", [])}
    after = {_key(x): x for x in now.get("lines", [])}
    result = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        for name in COMPARED:
            a = Decimal(old[name]) if old else None
            b = Decimal(new[name]) if new else None
            if a != b:
                result.append(
                    Difference(*key, (old or new or {}).get("description", ""), name, a, b)
                )
    return result


@dataclass(frozen=True)
class Commentary:
    track: str
    label: str
    text: str


@dataclass(frozen=True)
class TrackSection:
    """One track of the letter: commentary, its lines and the proposals."""

    track: str
    label: str
    commentary: str
    signals: list[dict[str, str]]
    lines: list[dict[str, Any]]
    proposals: list[dict[str, Any]]


@dataclass(frozen=True)
class LetterView:
    """The letter as shown (page, Word, Excel and API read this one model)."""

    letter: QuarterlyLetter
    figures: dict[str, Any]
    sections: list[TrackSection]
    differences: list[Difference]
    editable: bool
    error: str


def track_label(code: str) -> str:
    return str(dict(LetterCommentary._meta.get_field("track").choices or []).get(code, code))


def _decimalise(line: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = dict(line)
    for name in (*MONEY_FIELDS, "proposed"):
        if out.get(name):
            out[name] = Decimal(out[name])
    directions = dict(Direction.choices)
    out["label"] = " · ".join(
        part
        for part in (
            str(line.get("description", "")),
            target_group_label(line["target_group"]) if line.get("target_group") else "",
            str(directions.get(line["direction"], line["direction"])),
        )
        if part
    )
    return out


def letter_view(*, user: Any, letter: QuarterlyLetter, today: date | None = None) -> LetterView:
    """The read model of one letter: frozen figures (with differences) once adopted, today's
    figures while a draft."""
    from onderdak.engines.finance import FinanceInputError

    from .derivation import error_message

    error = ""
    try:
        live: dict[str, Any] | None = live_figures(user=user, letter=letter, today=today)
    except FinanceInputError as exc:
        live, error = None, error_message(exc)
    adopted = letter.status == LetterStatus.ADOPTED
    figures: dict[str, Any] = dict(letter.figures) if adopted else (live or {})
    differences = letter_differences(figures, live) if adopted and live is not None else []
    texts = {c.track: c.text for c in letter.commentaries.all()}
    lines = [_decimalise(x) for x in figures.get("lines", [])]
    sections = [
        TrackSection(
            track=str(track),
            label=track_label(track),
            commentary=texts.get(str(track), ""),
            signals=[x for x in figures.get("signals", []) if x["track"] == track],
            lines=[x for x in lines if x["track"] == track],
            proposals=[x for x in lines if x["track"] == track and x.get("proposed")],
        )
        for track in TRACKS
    ]
    return LetterView(
        letter=letter,
        figures=figures,
        sections=sections,
        differences=differences,
        editable=not adopted and may_manage_finance(user, letter.organisation_id),
        error=error,
    )


# --- services ------------------------------------------------------------------------------


@transaction.atomic
def letter_create(
    *, actor: Actor, organisation: Organisation, year: int, quarter: int
) -> QuarterlyLetter:
    """A draft letter with an empty commentary per track."""
    require_finance(actor, organisation.pk)
    if QuarterlyLetter.objects.filter(
        organisation=organisation, year=year, quarter=quarter
    ).exists():
        raise ValidationError(_("There is already a quarterly letter for this quarter."))
    letter = QuarterlyLetter(organisation=organisation, year=year, quarter=quarter)
    audited_create(actor=actor, instance=letter)
    for track in TRACKS:
        LetterCommentary.objects.create(letter=letter, track=track, text="")
    return letter


def _require_draft(letter: QuarterlyLetter) -> None:
    if letter.status == LetterStatus.ADOPTED:
        raise ValidationError(_("This quarterly letter has been adopted and can no longer change."))


@transaction.atomic
def commentary_update(
    *, actor: Actor, letter: QuarterlyLetter, texts: dict[str, str]
) -> QuarterlyLetter:
    """Set the commentary per track (``texts``: track code -> text) of a draft letter."""
    require_finance(actor, letter.organisation_id)
    _require_draft(letter)
    for track, text in texts.items():
        if track not in {str(t) for t in TRACKS}:
            raise ValueError(f"unknown track: {track}")
        commentary, _created = LetterCommentary.objects.get_or_create(letter=letter, track=track)
        before = {"text": commentary.text}
        commentary.text = text
        commentary.full_clean()
        commentary.save()
        audit_record(
            actor=actor,
            action="update",
            instance=commentary,
            before=before,
            after={"text": text},
        )
    return letter


@transaction.atomic
def letter_adopt(
    *, actor: Actor, letter: QuarterlyLetter, today: date | None = None
) -> QuarterlyLetter:
    """Adopt the letter: freeze today's figures, the date and the user; read-only from now."""
    require_finance(actor, letter.organisation_id)
    letter = QuarterlyLetter.objects.select_for_update().get(pk=letter.pk)
    _require_draft(letter)
    day = today or timezone.localdate()
    figures = live_figures(user=actor, letter=letter, today=day)
    figures["commentary"] = {c.track: c.text for c in letter.commentaries.all()}
    letter.figures = figures
    letter.status = LetterStatus.ADOPTED
    letter.adopted_on = day
    letter.adopted_by = actor if getattr(actor, "pk", None) else None  # type: ignore[assignment]
    letter.full_clean()
    letter.save()
    audit_record(
        actor=actor,
        action="update",
        instance=letter,
        before={"status": LetterStatus.DRAFT},
        after={"status": LetterStatus.ADOPTED, "adopted_on": day.isoformat()},
    )
    return letter


def require_letter_manager(user: Any, letter: QuarterlyLetter) -> None:
    if not may_manage_finance(user, letter.organisation_id):
        raise PermissionDenied


# --- demo ----------------------------------------------------------------------------------


DEMO_COMMENTARY = {
    "overall": "[Demo, verzonnen] Het programma ligt op koers; de opvang van ontheemden uit "
    "Oekraïne kost minder dan begroot door de lagere normvergoeding.",
    "care": "[Demo, verzonnen] De zorgcontracten lopen volgens plan; één leemte in de "
    "begeleiding van alleenstaande minderjarigen.",
    "flex_homes": "[Demo, verzonnen] De 30 flexwoningen zijn bewoond; de bezetting is stabiel.",
    "temporary_housing": "[Demo, verzonnen] Twee locaties zijn in onderzoek.",
}


def seed_letters(*, actor: Actor, organisation: Organisation) -> QuarterlyLetter:
    """The Q3 2025 letter of the demo (draft, commentary per track, made up and labelled)."""
    existing = QuarterlyLetter.objects.filter(organisation=organisation, year=2025, quarter=3)
    letter = existing.first() or letter_create(
        actor=actor, organisation=organisation, year=2025, quarter=3
    )
    if letter.status == LetterStatus.DRAFT:
        commentary_update(
            actor=actor,
            letter=letter,
            texts={str(track): text for track, text in DEMO_COMMENTARY.items()},
        )
    return letter
