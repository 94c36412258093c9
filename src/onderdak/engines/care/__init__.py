"""Care engine: demand for care and support services, integration deadlines, coverage.

The care and support module (zorg en ondersteuning) of a municipal reception programme.
Pure computation (no Django, no I/O, no settings, no clock: "today" is an argument). Three
parts:

* demand: :func:`derive_demand` and :func:`demand_over_time` count what each service needs
  (persons, households, adults, children per school age band, adults who must integrate)
  among the households present on a day (:class:`HouseholdProfile`, :class:`ServiceRule`,
  :class:`Basis`) and set it against the capacity active that day (:class:`Capacity`):
  :class:`DemandLine` with shortage, surplus and ratio;
* deadlines: :func:`integration_deadlines` gives the broad intake, PIP, integration term and
  end of financial relief of one person under the Wet inburgering 2021 with their state on a
  day (:class:`IntegrationDates`, :class:`IntegrationNorms`, :class:`Deadline`,
  :class:`DeadlineState`, :func:`worst_state`), the PIP's due date :func:`pip_due_date` and
  the term's last day :func:`integration_term_last_day`, with calendar arithmetic
  :func:`add_months` and :func:`add_weeks`;
* pipeline: :func:`pipeline_profiles` turns the recorded households (waiting, placed, left,
  with expected family reunification; :class:`PipelineHousehold`, :class:`Stage`) into the
  profiles counted, and :func:`integration_term_start` says when the integration term starts;
* coverage: :func:`rollup` summarises a services x target groups matrix of
  :class:`Cell` s (:class:`CoverageStatus`, :data:`SEVERITY`) into a :class:`Coverage`.

Invalid input raises :class:`CareInputError` naming the record and field. The rules and a
worked example are in ``docs/engines/care.md``.
"""

from onderdak.engines.care.coverage import SEVERITY, Cell, Coverage, CoverageStatus, rollup
from onderdak.engines.care.deadlines import (
    Deadline,
    DeadlineState,
    IntegrationDates,
    IntegrationNorms,
    add_months,
    add_weeks,
    integration_deadlines,
    integration_term_last_day,
    pip_due_date,
    worst_state,
)
from onderdak.engines.care.demand import DemandLine, demand_over_time, derive_demand
from onderdak.engines.care.model import (
    INTEGRATION_GROUPS,
    RESIDENCE_RULES,
    Basis,
    Capacity,
    CareInputError,
    HouseholdProfile,
    ResidenceRule,
    ResidenceStatus,
    ServiceRule,
)
from onderdak.engines.care.pipeline import (
    PipelineHousehold,
    Stage,
    first_of_next_month,
    integration_term_start,
    pipeline_profiles,
)

__all__ = [
    "INTEGRATION_GROUPS",
    "RESIDENCE_RULES",
    "SEVERITY",
    "Basis",
    "Capacity",
    "CareInputError",
    "Cell",
    "Coverage",
    "CoverageStatus",
    "Deadline",
    "DeadlineState",
    "DemandLine",
    "HouseholdProfile",
    "IntegrationDates",
    "IntegrationNorms",
    "PipelineHousehold",
    "ResidenceRule",
    "ResidenceStatus",
    "ServiceRule",
    "Stage",
    "add_months",
    "add_weeks",
    "demand_over_time",
    "derive_demand",
    "first_of_next_month",
    "integration_deadlines",
    "integration_term_last_day",
    "integration_term_start",
    "pip_due_date",
    "pipeline_profiles",
    "rollup",
    "worst_state",
]
