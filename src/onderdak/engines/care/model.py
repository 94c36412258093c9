"""Input types of the care engine and its error: frozen dataclasses and enumerations.

The care and support module (zorg en ondersteuning) of a municipal reception programme plans
the services the reception population needs: primary and newcomer education, child care,
civic integration, living allowances, youth care. Demand follows from the households present
on a day (:class:`HouseholdProfile`), counted in the unit of each service
(:class:`ServiceRule`, :class:`Basis`), and is set against the contracted capacity
(:class:`Capacity`). Which group needs which service is data, never code: every rule lists its
target groups, and :data:`INTEGRATION_GROUPS` is only the default of
:attr:`HouseholdProfile.integration_required`.

Every validation error is a :class:`CareInputError` naming the record (``kind`` and ``id``)
and the ``field``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction

from onderdak.engines.errors import RecordInputError


class CareInputError(RecordInputError):
    """The input of a care computation is malformed.

    ``kind`` is the kind of record (``household``, ``rule``, ``capacity``, ``dates``,
    ``norms``, ``integration``, ``cell``, ``months``, ``weeks``), ``id`` its code (``None``
    when the record has none) and ``field`` the offending field. The message reads
    ``household 'H3', field 'adults': must be a whole number >= 0, not -1``.
    """


class Basis(StrEnum):
    """What a service's demand is counted in, per household present.

    The age bands follow the Dutch school system: 0-3 before school (child care, early
    childhood education), 4-11 primary school (newcomer classes), 12-17 secondary school
    (international transition classes, ISK). ``INTEGRATION`` counts the adults with a civic
    integration obligation (inburgeringsplicht, Wet inburgering 2021).
    """

    NONE = "none"
    PERSONS = "persons"
    HOUSEHOLDS = "households"
    ADULTS = "adults"
    CHILDREN_0_3 = "children_0_3"
    CHILDREN_4_11 = "children_4_11"
    CHILDREN_12_17 = "children_12_17"
    MINORS = "minors"
    INTEGRATION = "integration"


class ResidenceStatus(StrEnum):
    """The residence-status category of a person, which decides the integration duty, the
    unburdening and whether the person counts for the taakstelling (DOMAIN.md 4b):

    * ``ASYLUM_PERMIT``: a temporary asylum residence permit (asielstatushouder, art. 13(1)
      Wet inburgering 2021);
    * ``FAMILY_REUNIFICATION``: later-arriving family (nareiziger) with a permit derived from
      a status holder's asylum permit;
    * ``FAMILY_MIGRANT``: a regular family migrant (gezinsmigrant) with a temporary regular
      permit: required to integrate (art. 3 Wet inburgering 2021), no unburdening, not in the
      taakstelling;
    * ``TEMPORARY_PROTECTION``: displaced persons from Ukraine under the Temporary Protection
      Directive (2001/55/EC): not required to integrate.
    """

    ASYLUM_PERMIT = "asylum_permit"
    FAMILY_REUNIFICATION = "family_reunification"
    FAMILY_MIGRANT = "family_migrant"
    TEMPORARY_PROTECTION = "temporary_protection"


@dataclass(frozen=True, slots=True)
class ResidenceRule:
    """What a residence-status category implies.

    ``integration_duty``: required to integrate (inburgeringsplichtig, art. 3 Wet inburgering
    2021); ``unburdening``: the municipality pays the fixed costs from the benefit for the
    first six months (ontzorgen, Participatiewet art. 56a, for asylum status holders in the
    sense of art. 13(1) Wet inburgering 2021); ``counts_for_quota``: the person counts for the
    status-holder taakstelling (art. 28-29 Huisvestingswet 2014; for later-arriving family
    this follows the half-year circular, so it is a default a municipality may see changed).
    """

    integration_duty: bool
    unburdening: bool
    counts_for_quota: bool


#: The rules per residence-status category (data, not code spread over the apps).
RESIDENCE_RULES: dict[ResidenceStatus, ResidenceRule] = {
    ResidenceStatus.ASYLUM_PERMIT: ResidenceRule(
        integration_duty=True, unburdening=True, counts_for_quota=True
    ),
    ResidenceStatus.FAMILY_REUNIFICATION: ResidenceRule(
        integration_duty=True, unburdening=True, counts_for_quota=True
    ),
    ResidenceStatus.FAMILY_MIGRANT: ResidenceRule(
        integration_duty=True, unburdening=False, counts_for_quota=False
    ),
    ResidenceStatus.TEMPORARY_PROTECTION: ResidenceRule(
        integration_duty=False, unburdening=False, counts_for_quota=False
    ),
}


#: Target groups whose adults must integrate unless the household says otherwise: status
#: holders (a temporary asylum residence permit brings the obligation of the Wet inburgering
#: 2021). Displaced persons from Ukraine (temporary protection) have no such obligation.
INTEGRATION_GROUPS: frozenset[str] = frozenset({"status_holder"})


@dataclass(frozen=True, slots=True)
class HouseholdProfile:
    """A household of the reception population, as far as services are concerned.

    ``integration_required`` is the number of adults with an integration obligation; ``None``
    means all adults when ``target_group`` is in :data:`INTEGRATION_GROUPS`, else none.
    The household is present on day d when ``present_from`` <= d (``None``: since ever) and
    d < ``present_until`` (exclusive; ``None``: open ended).

    ``linked_from`` is the day from which the municipality is responsible for the household's
    civic integration: the COA links status holders to a municipality (koppeling) before they
    move in, and the broad intake follows the link, not the move. Only ``Basis.INTEGRATION``
    uses it: those adults count when ``linked_from`` <= d < ``present_until``. ``None``: the
    same as ``present_from``.
    """

    code: str
    target_group: str
    adults: int
    minors_0_3: int = 0
    minors_4_11: int = 0
    minors_12_17: int = 0
    integration_required: int | None = None
    present_from: date | None = None
    present_until: date | None = None
    linked_from: date | None = None

    @property
    def minors(self) -> int:
        return self.minors_0_3 + self.minors_4_11 + self.minors_12_17

    @property
    def persons(self) -> int:
        return self.adults + self.minors

    @property
    def integrating(self) -> int:
        """Adults required to integrate (the default of ``integration_required`` applied)."""
        if self.integration_required is not None:
            return self.integration_required
        return self.adults if self.target_group in INTEGRATION_GROUPS else 0

    def linked_on(self, day: date) -> bool:
        """Whether the household counts for civic integration on ``day`` (linked, not left)."""
        start = self.linked_from if self.linked_from is not None else self.present_from
        return (start is None or start <= day) and (
            self.present_until is None or day < self.present_until
        )

    def present_on(self, day: date) -> bool:
        """Whether the household is present on ``day`` (from inclusive, until exclusive)."""
        return (self.present_from is None or self.present_from <= day) and (
            self.present_until is None or day < self.present_until
        )


@dataclass(frozen=True, slots=True)
class ServiceRule:
    """A service and who needs it: its demand is ``basis`` summed over the households present
    whose target group is in ``target_groups`` (empty: every target group).

    ``share`` (0 < share <= 1, a ``Fraction`` or 1; exact, no floats) is the planning
    assumption of which part of those counted needs this service, for example the part of the
    adults required to integrate that follows the B1 route: the demand of a target group is
    then ceil(share x count), rounded up per target group.
    """

    code: str
    basis: Basis
    target_groups: frozenset[str]
    share: Fraction | int = 1


@dataclass(frozen=True, slots=True)
class Capacity:
    """Capacity contracted for a service, in the unit of its basis (places, persons,
    households, hours), active from ``start`` to ``end`` inclusive (``None``: open). Several
    capacities of one service that are active on the same day add up."""

    service_code: str
    amount: int
    start: date | None = None
    end: date | None = None

    def active_on(self, day: date) -> bool:
        """Whether the capacity counts on ``day`` (start and end inclusive)."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)
