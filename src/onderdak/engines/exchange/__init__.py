"""Exchange engine: the cheapest regional exchange of quotas between municipalities.

Municipalities in a region (Duo+, a province, the whole country) may take over part of each
other's quota or swap (one takes more asylum seekers, the other more status holders) as long
as the regional total per group holds (Spreidingswet; the Commissaris van de Koning may shift
places within a province on the same condition). Pure computation (no Django, no I/O, no
settings, no clock). The public API:

* :func:`optimise`: validate a :class:`Scenario` and return an :class:`ExchangeResult`
  (a mixed-integer programme solved with HiGHS; prices from its LP relaxation; bilateral
  transfers; per-municipality explanation; reasons when infeasible);
* :func:`scenario_from_mapping`: a :class:`Scenario` from parsed JSON (the contract of
  ``onderdak exchange solve``); :func:`scenario_to_mapping`, :func:`result_to_mapping` and
  :func:`explanation_to_mapping` write the same documents (shared by the command line and the
  web application).

Invalid input raises :class:`ExchangeInputError` whose ``field`` is the JSON path of the value
(``municipalities[2].capacity.asylum_seeker``). The model, the prices, the transfers, the
infeasibility reasons and the command-line contract are described in
``docs/engines/exchange.md``.
"""

from onderdak.engines.exchange.contract import (
    explanation_to_mapping,
    result_to_mapping,
    scenario_to_mapping,
)
from onderdak.engines.exchange.model import (
    Binding,
    BindingKind,
    Conflict,
    ConflictKind,
    ExchangeInputError,
    ExchangeResult,
    ExchangeSolverError,
    Fairness,
    Group,
    Mode,
    Municipality,
    MunicipalityExplanation,
    Scenario,
    SolveStats,
    Status,
    Transfer,
)
from onderdak.engines.exchange.optimise import optimise
from onderdak.engines.exchange.validate import scenario_from_mapping

__all__ = [
    "Binding",
    "BindingKind",
    "Conflict",
    "ConflictKind",
    "ExchangeInputError",
    "ExchangeResult",
    "ExchangeSolverError",
    "Fairness",
    "Group",
    "Mode",
    "Municipality",
    "MunicipalityExplanation",
    "Scenario",
    "SolveStats",
    "Status",
    "Transfer",
    "explanation_to_mapping",
    "optimise",
    "result_to_mapping",
    "scenario_from_mapping",
    "scenario_to_mapping",
]
