"""Input and result types of the quota engine: frozen dataclasses, NumPy arrays read-only.

The quota engine turns a national number (status holders to house, reception places to offer)
into whole numbers per municipality or province. Every result carries the figures needed to
explain it: the weight, the share, the exact (fractional) quota, the integer quota and the
rounding adjustment per unit, and for the divisor methods the divisor that reproduces it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from numbers import Integral
from typing import Any, Literal, TypeAlias, TypeVar

import numpy as np
import numpy.typing as npt

from onderdak.engines.errors import RecordInputError

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]


class QuotaInputError(RecordInputError):
    """The input of a quota computation is invalid or admits no solution.

    ``unit`` names the unit (municipality code, row or column) and ``field`` the input field
    (``weight``, ``floor``, ``cap``, ``total``, ...) when the problem is local to one of them.
    """

    def __init__(
        self,
        message: str,
        *,
        unit: str | None = None,
        field: str | None = None,
        code: str = "invalid",
    ) -> None:
        # a RecordInputError (kind "quota", id the unit) whose text stays the command line's
        self.message = message
        self.unit = unit
        self.field = field
        self.kind = "quota"
        self.id = unit
        #: what is wrong, for the apps to say in their language (``no_population_date``, ...)
        self.code = code
        where = ""
        if unit is not None and field is not None:
            where = f"{field} of {unit}: "
        elif unit is not None:
            where = f"{unit}: "
        elif field is not None:
            where = f"{field}: "
        ValueError.__init__(self, f"{where}{message}")


class Method(StrEnum):
    """Apportionment methods (Balinski & Young, *Fair Representation*, 2nd ed. 2001).

    ``HAMILTON`` is the largest remainder method (Hare quota); the other three are divisor
    methods with signposts s(n) = n + 1 (``DHONDT``, Jefferson), s(n) = n + 1/2
    (``SAINTE_LAGUE``, Webster) and s(n) = sqrt(n (n + 1)) (``HUNTINGTON_HILL``, the method of
    equal proportions used for the US House since 1941).
    """

    HAMILTON = "hamilton"
    DHONDT = "dhondt"
    SAINTE_LAGUE = "sainte-lague"
    HUNTINGTON_HILL = "huntington-hill"

    @property
    def is_divisor_method(self) -> bool:
        return self is not Method.HAMILTON


Bound: TypeAlias = Literal["floor", "cap"]


@dataclass(frozen=True, slots=True)
class UnitQuota:
    """One unit's line of an apportionment: the explanation of its integer quota."""

    index: int
    code: str
    weight: float
    share: float
    #: total * share: the quota before rounding (without floors and caps).
    exact: float
    quota: int
    #: quota - exact: positive when the unit was rounded up.
    adjustment: float
    floor: int
    cap: int | None
    #: ``"floor"`` or ``"cap"`` when the unit ends on a floor (> 0) or cap it was given.
    bound: Bound | None


@dataclass(frozen=True, slots=True, eq=False)
class Apportionment:
    """Result of :func:`onderdak.engines.quota.apportion`; arrays are read-only, in input order.

    ``rounded`` is the fractional value the method actually rounded: for Hamilton the exact
    quota, or with binding floors/caps the bounded exact quota (the values clip(lambda * weight,
    floor, cap) that sum to the total); for a divisor method weight / divisor. ``tied`` lists the
    units among which the documented tie rule decided the last seat (empty when no tie).
    """

    method: Method
    total: int
    codes: tuple[str, ...]
    weights: FloatArray
    shares: FloatArray
    exact: FloatArray
    quotas: IntArray
    rounded: FloatArray
    floors: IntArray
    #: ``None`` when no caps were given; a unit without its own cap has cap = total.
    caps: IntArray | None
    #: For divisor methods a divisor d with quota = round(weight / d) for every unit not held
    #: by a floor or cap (up to the tie rule); ``None`` for Hamilton.
    divisor: float | None
    tied: tuple[str, ...]

    @property
    def adjustments(self) -> FloatArray:
        """quota - exact per unit."""
        return self.quotas - self.exact

    @property
    def units(self) -> tuple[UnitQuota, ...]:
        """Per-unit explanation lines, in input order."""
        lines = []
        caps = self.caps.tolist() if self.caps is not None else [None] * len(self.codes)
        for index, (code, weight, share, exact, quota, floor, cap) in enumerate(
            zip(
                self.codes,
                self.weights.tolist(),
                self.shares.tolist(),
                self.exact.tolist(),
                self.quotas.tolist(),
                self.floors.tolist(),
                caps,
                strict=True,
            )
        ):
            bound: Bound | None = None
            if floor > 0 and quota == floor:
                bound = "floor"
            elif cap is not None and quota == cap:
                bound = "cap"
            lines.append(
                UnitQuota(
                    index=index,
                    code=code,
                    weight=weight,
                    share=share,
                    exact=exact,
                    quota=quota,
                    adjustment=quota - exact,
                    floor=floor,
                    cap=cap,
                    bound=bound,
                )
            )
        return tuple(lines)

    def quota_of(self, code: str) -> int:
        """The integer quota of the unit with this code; ``KeyError`` when unknown."""
        try:
            return int(self.quotas[self.codes.index(code)])
        except ValueError:
            raise KeyError(code) from None

    def as_dict(self) -> dict[str, int]:
        """code -> integer quota, in input order."""
        return dict(zip(self.codes, self.quotas.tolist(), strict=True))


@dataclass(frozen=True, slots=True, eq=False)
class TwoStageApportionment:
    """Result of :func:`onderdak.engines.quota.apportion_in_two_stages`.

    First the total is apportioned over the groups (provinces) by their summed weights, then
    each group's quota over its units. ``difference`` is two-stage minus direct (one-stage)
    quota per unit, in input order.
    """

    codes: tuple[str, ...]
    groups: Apportionment
    within: Mapping[str, Apportionment]
    quotas: IntArray
    direct: Apportionment
    difference: IntArray

    @property
    def total_abs_difference(self) -> int:
        """Sum over units of |two-stage - direct|: how much the two-stage route moves."""
        return int(np.abs(self.difference).sum())

    def as_dict(self) -> dict[str, int]:
        return dict(zip(self.codes, self.quotas.tolist(), strict=True))


@dataclass(frozen=True, slots=True, eq=False)
class BiproportionalApportionment:
    """Result of :func:`onderdak.engines.quota.apportion_biproportional`.

    ``seats`` has exactly the requested row and column totals. ``fitted`` is the fractional
    iterative-proportional-fitting solution (same margins). With ``rounding="divisor"`` the
    seats are the biproportional divisor apportionment: seats = round(weight / (row_divisor *
    column_divisor)) per cell (Balinski & Demange 1989); ``outside_fit`` counts the cells that
    are not the floor or ceiling of ``fitted`` (usually zero).
    """

    method: Method
    rounding: Literal["divisor", "fit"]
    row_codes: tuple[str, ...]
    column_codes: tuple[str, ...]
    weights: FloatArray
    row_totals: IntArray
    column_totals: IntArray
    seats: IntArray
    fitted: FloatArray
    row_divisors: FloatArray
    column_divisors: FloatArray
    fit_iterations: int
    fit_converged: bool
    outside_fit: int
    #: Unit transfers (augmenting paths and cancelled cycles) the exact phase needed.
    transfers: int


def as_whole_number(value: object) -> int | None:
    """``value`` as an ``int`` when it is a whole-number type (not ``bool``), else ``None``."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        return None
    return int(value)


ArrayT = TypeVar("ArrayT", bound="np.ndarray[Any, Any]")


def readonly(array: ArrayT) -> ArrayT:
    """Mark an array read-only (results are immutable) and return it."""
    array.flags.writeable = False
    return array
