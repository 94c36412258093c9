"""Finance engine: standard rates, pricing of presences per month, and the small money
helpers of the planning and control (P&C) cycle (issue 13, DOMAIN.md 4).

Pure computation (no Django, no I/O, no settings, no clock). Parts:

* rates: :class:`Rate` (:class:`Unit` ``place_day`` or ``person_month``) in a validated
  :class:`RateTable`, whose :meth:`RateTable.rate_on` gives a scheme's rate on a day: the one
  with the latest ``valid_from`` on or before it; a day before the first rate is an error;
* pricing: :func:`price` turns :class:`Presence` s (count places or persons present from a
  day up to but not including another) into :class:`MonthLine` s, one per calendar month
  and scheme (or scheme and source key), exact in integer cents and rounded half up once per
  line (:func:`round_half_up`); :func:`line_total` adds the rounded lines;
* helpers: :func:`straight_line` depreciation,
  :func:`subsidy_sft`, :func:`traffic_light` (:class:`Light`), :func:`quarter_of` and
  :func:`quarter_bounds`.

Invalid input raises :class:`FinanceInputError` with a ``code`` and ``params`` for the app's
Dutch message. The rules, decisions and a worked example are in ``docs/engines/finance.md``.
"""

from onderdak.engines.finance.model import (
    FinanceInputError,
    Light,
    MonthLine,
    Presence,
    Rate,
    Unit,
)
from onderdak.engines.finance.money import (
    AMBER,
    RED,
    cents_to_decimal,
    quarter_bounds,
    quarter_of,
    round_half_up,
    straight_line,
    subsidy_sft,
    traffic_light,
)
from onderdak.engines.finance.pricing import line_total, price
from onderdak.engines.finance.rates import RateTable

__all__ = [
    "AMBER",
    "RED",
    "FinanceInputError",
    "Light",
    "MonthLine",
    "Presence",
    "Rate",
    "RateTable",
    "Unit",
    "cents_to_decimal",
    "line_total",
    "price",
    "quarter_bounds",
    "quarter_of",
    "round_half_up",
    "straight_line",
    "subsidy_sft",
    "traffic_light",
]
