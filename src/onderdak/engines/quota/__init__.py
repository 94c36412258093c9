"""Quota engine: apportion a national number over municipalities or provinces.

Pure computation (no Django, no I/O, no clock). The public API:

* :func:`apportion`: largest remainder (Hamilton) or a divisor method (D'Hondt, Sainte-Lague,
  Huntington-Hill), with optional per-unit floors and caps;
* :func:`apportion_in_two_stages`: first over groups (provinces), then within each group;
* :func:`apportion_biproportional`: an integer matrix with exact row and column totals;
* distribution keys: :func:`population_key`, :func:`corrected_key`, :func:`composite_key`;
* the half-yearly carry-over ledger: :func:`run_ledger` and :func:`expected_realised`;
* the province's supervision ladder: :func:`supervision_standing` (art. 124 Gemeentewet);
* the Spreidingswet cycle: :func:`spreidingswet_cycle` and :func:`next_deadline`.
* the statutory status-holder quota, Huisvestingswet 2014 art. 29(1): :func:`statutory_quotas`
  (ceil(vg x iG / iN) per municipality, populations of 1 January of the year before).

Invalid input raises :class:`QuotaInputError` naming the unit and field. The methods, the tie
rule and the command-line contract are described in ``docs/engines/quota.md``.
"""

from onderdak.engines.quota.apportion import apportion, parse_method
from onderdak.engines.quota.biproportional import apportion_biproportional
from onderdak.engines.quota.cycle import (
    CycleDeadline,
    CycleRules,
    SpreidingswetCycle,
    next_deadline,
    spreidingswet_cycle,
)
from onderdak.engines.quota.keys import (
    EU_RELOCATION_2015_WEIGHTS,
    Key,
    composite_key,
    corrected_key,
    population_key,
)
from onderdak.engines.quota.ledger import (
    HalfYear,
    Ledger,
    LedgerLine,
    PeriodQuota,
    expected_realised,
    run_ledger,
)
from onderdak.engines.quota.levels import apportion_in_two_stages
from onderdak.engines.quota.model import (
    Apportionment,
    BiproportionalApportionment,
    Method,
    QuotaInputError,
    TwoStageApportionment,
    UnitQuota,
)
from onderdak.engines.quota.statutory import (
    StatutoryQuota,
    ceil_share,
    statutory_quotas,
    statutory_reference_date,
)
from onderdak.engines.quota.supervision import (
    LadderStep,
    SupervisionLadder,
    SupervisionStanding,
    SupervisionStatus,
    TriggerKind,
    ladder_for,
    supervision_standing,
)

__all__ = [
    "EU_RELOCATION_2015_WEIGHTS",
    "Apportionment",
    "BiproportionalApportionment",
    "CycleDeadline",
    "CycleRules",
    "HalfYear",
    "Key",
    "LadderStep",
    "Ledger",
    "LedgerLine",
    "Method",
    "PeriodQuota",
    "QuotaInputError",
    "SpreidingswetCycle",
    "StatutoryQuota",
    "SupervisionLadder",
    "SupervisionStanding",
    "SupervisionStatus",
    "TriggerKind",
    "TwoStageApportionment",
    "UnitQuota",
    "apportion",
    "apportion_biproportional",
    "apportion_in_two_stages",
    "ceil_share",
    "composite_key",
    "corrected_key",
    "expected_realised",
    "ladder_for",
    "next_deadline",
    "parse_method",
    "population_key",
    "run_ledger",
    "spreidingswet_cycle",
    "statutory_quotas",
    "statutory_reference_date",
    "supervision_standing",
]
