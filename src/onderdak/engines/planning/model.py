"""Input and result types of the planning engine: frozen dataclasses, and its error.

A plan is a set of :class:`Task` s (a duration in whole days; 0 is a milestone) and
:class:`Link` s between them (finish-to-start, start-to-start, finish-to-finish,
start-to-finish, each with a lag that may be negative). Times are whole day offsets from the
project start 0; a task that starts at offset ``es`` finishes at ``es + duration``. The
calendar that turns offsets into dates is :class:`onderdak.engines.planning.WorkCalendar`.

Every validation error is a :class:`PlanningInputError` with a ``code`` and ``params`` so an
app can word it in Dutch.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from onderdak.engines.errors import RecordInputError


class PlanningInputError(RecordInputError):
    """The input of a planning computation is malformed.

    ``code`` says what is wrong, ``params`` the values to word it with:

    * ``duplicate_task`` (``task``), ``empty_id`` (``index``), ``negative_duration``
      (``task``, ``value``), ``not_integer`` (``value``): a task's field;
    * ``invalid_estimate`` (``task``): a three-point estimate that is incomplete, negative or
      not optimistic <= most likely <= pessimistic;
    * ``unknown_task`` (``index``, ``task``): a link's ``predecessor`` or ``successor`` is not
      a task (``index`` is the link's 0-based position);
    * ``unknown_link_type`` (``index``, ``value``);
    * ``cycle`` (``cycle``: the ids of one cycle in order, the first repeated at the end);
    * ``negative_deadline`` (``value``), ``invalid_runs`` (``value``),
      ``unknown_distribution`` (``value``), ``unknown_milestone`` (``task``);
    * readiness (:func:`onderdak.engines.planning.readiness`): ``unknown_delivery``
      (``task``), ``invalid_places`` (``value``; ``field`` says which count).

    ``kind`` is the record (``task``, ``link``, ``plan``, ``simulation``), ``id`` its id and
    ``field`` the offending field, as for every engine.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str,
        kind: str,
        id: str | None = None,
        field: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message, kind=kind, id=id, field=field)
        self.code = code
        self.params: dict[str, object] = dict(params or {})


class LinkType(StrEnum):
    """The four dependency types (PMBOK; MS Project's FS/SS/FF/SF)."""

    FS = "FS"
    """Finish-to-start: the successor starts no earlier than the predecessor's finish + lag."""
    SS = "SS"
    """Start-to-start: ES(s) >= ES(p) + lag."""
    FF = "FF"
    """Finish-to-finish: EF(s) >= EF(p) + lag."""
    SF = "SF"
    """Start-to-finish: EF(s) >= ES(p) + lag."""


@dataclass(frozen=True, slots=True)
class Task:
    """One task or milestone (``duration`` 0) of a plan.

    ``optimistic`` / ``most_likely`` / ``pessimistic`` are the optional three-point estimate
    used by :func:`onderdak.engines.planning.simulate` (all three or none, whole days,
    0 <= optimistic <= most_likely <= pessimistic); :func:`schedule` uses ``duration``.
    ``earliest_start`` is a "start no earlier than" constraint (raises the early start) and
    ``latest_finish`` a "finish no later than" constraint (lowers the late finish; a missed
    one shows as negative float), both as day offsets.
    """

    id: str
    duration: int
    optimistic: int | None = None
    most_likely: int | None = None
    pessimistic: int | None = None
    earliest_start: int | None = None
    latest_finish: int | None = None

    @property
    def has_estimate(self) -> bool:
        """Whether the task has a three-point estimate."""
        return self.optimistic is not None


@dataclass(frozen=True, slots=True)
class Link:
    """A dependency ``predecessor`` -> ``successor`` of ``type`` with ``lag`` days (may be
    negative: a lead)."""

    predecessor: str
    successor: str
    type: LinkType = LinkType.FS
    lag: int = 0


@dataclass(frozen=True, slots=True)
class TaskSchedule:
    """The dates of one task after the critical path method: early and late start and finish,
    total float (``ls - es``), free float and whether it is critical (total float <= 0)."""

    id: str
    es: int
    ef: int
    ls: int
    lf: int
    total_float: int
    free_float: int
    critical: bool


@dataclass(frozen=True, slots=True)
class Schedule:
    """The result of :func:`onderdak.engines.planning.schedule`.

    The per-task values are tuples in the order of the input tasks (``ids``); ``schedule[id]``
    and iteration give :class:`TaskSchedule` s. ``finish`` is the project finish the backward
    pass started from (the largest early finish, or the deadline when one was given) and
    ``early_finish`` the largest early finish. ``critical_paths`` are the chains of critical
    tasks along driving links (slack 0 at the early dates), from a critical task without a
    driving critical predecessor to one without a driving critical successor; at most
    :data:`MAX_CRITICAL_PATHS` of them, in the order of the input tasks
    (``critical_paths_truncated`` says whether there were more).
    """

    ids: tuple[str, ...]
    es: tuple[int, ...]
    ef: tuple[int, ...]
    ls: tuple[int, ...]
    lf: tuple[int, ...]
    total_float: tuple[int, ...]
    free_float: tuple[int, ...]
    critical: tuple[bool, ...]
    finish: int
    early_finish: int
    critical_paths: tuple[tuple[str, ...], ...]
    critical_paths_truncated: bool = False
    _index: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._index.update({id: i for i, id in enumerate(self.ids)})

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, id: str) -> TaskSchedule:
        return self._row(self._index[id])

    def __iter__(self) -> Iterator[TaskSchedule]:
        return (self._row(i) for i in range(len(self.ids)))

    def _row(self, i: int) -> TaskSchedule:
        return TaskSchedule(
            self.ids[i],
            self.es[i],
            self.ef[i],
            self.ls[i],
            self.lf[i],
            self.total_float[i],
            self.free_float[i],
            self.critical[i],
        )

    @property
    def critical_count(self) -> int:
        """The number of critical tasks."""
        return sum(self.critical)


#: At most this many critical paths are listed (a network can have exponentially many).
MAX_CRITICAL_PATHS = 10


@dataclass(frozen=True, slots=True)
class FinishRisk:
    """The simulated finish of a milestone (or of the project, ``id`` None): percentiles P50,
    P80 and P90 (day offsets: the smallest finish reached in at least that share of runs),
    the mean, the ``target`` offset and the share of runs finishing by it (``probability``,
    ``None`` without a target)."""

    id: str | None
    p50: int
    p80: int
    p90: int
    mean: float
    target: int | None
    probability: float | None
    counts: tuple[tuple[int, int], ...] = ()
    """(finish, number of runs) for every finish that occurred, ascending: the histogram."""


@dataclass(frozen=True, slots=True)
class RiskResult:
    """The result of :func:`onderdak.engines.planning.simulate`: the project finish, each
    requested milestone's finish (in the order asked) and the criticality index of every task
    (the share of runs in which its total float, against that run's own finish, is <= 0), in
    the order of the input tasks."""

    runs: int
    seed: int
    distribution: str
    finish: FinishRisk
    milestones: tuple[FinishRisk, ...]
    criticality: Mapping[str, float]
