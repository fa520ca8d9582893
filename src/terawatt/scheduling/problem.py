"""The scheduling problem and its result: array-based, validated on construction.

A :class:`Problem` is a resource-constrained project (RCPSP) with finish-to-start
precedences carrying non-negative integer lags, renewable resources, optional release dates,
deadlines, fixed start times (re-planning) and optional *work-content* activities whose
duration depends on the crew size assigned to them::

    duration(c) = ceil(work / c ** e),   crew_min <= c <= crew_max

where the crew occupies ``c`` units of the crew resource (e.g. the robot pool) and ``e`` is the
crew-efficiency exponent (assumption ``scheduling.crew_efficiency_exponent``).

Everything is held in numpy arrays so that a project of 1,000,000 activities costs a few
hundred megabytes, not one Python object per activity.  Time is integer *periods*; a period
lasts ``time_unit_s`` seconds.

Build a problem with :meth:`Problem.from_arrays` (0-based indices, fast) or with
:class:`ProblemBuilder` (external ids, convenient for small projects and readers).
"""

from __future__ import annotations

import dataclasses
import enum
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numba
import numpy as np

from terawatt.errors import UserError

__all__ = [
    "Problem",
    "ProblemBuilder",
    "Result",
    "Status",
    "crew_durations",
]

_I = np.int64


# --------------------------------------------------------------------------- graph kernels
@numba.njit(cache=True, nogil=True)
def _topo_order(n: int, ptr: np.ndarray, idx: np.ndarray) -> np.ndarray:  # pragma: no cover
    """Kahn's algorithm; returns the order (length < n if there is a cycle)."""
    indeg = np.zeros(n, np.int64)
    for k in range(idx.shape[0]):
        indeg[idx[k]] += 1
    order = np.empty(n, np.int64)
    head = 0
    tail = 0
    for i in range(n):
        if indeg[i] == 0:
            order[tail] = i
            tail += 1
    while head < tail:
        i = order[head]
        head += 1
        for k in range(ptr[i], ptr[i + 1]):
            j = idx[k]
            indeg[j] -= 1
            if indeg[j] == 0:
                order[tail] = j
                tail += 1
    return order[:tail]


@numba.njit(cache=True, nogil=True)
def _forward_pass(
    order: np.ndarray,
    ptr: np.ndarray,
    idx: np.ndarray,
    lag: np.ndarray,
    dur: np.ndarray,
    release: np.ndarray,
) -> np.ndarray:  # pragma: no cover
    """Earliest starts ignoring resources (critical-path method)."""
    es = release.copy()
    for t in range(order.shape[0]):
        i = order[t]
        fi = es[i] + dur[i]
        for k in range(ptr[i], ptr[i + 1]):
            j = idx[k]
            v = fi + lag[k]
            if v > es[j]:
                es[j] = v
    return es


def crew_durations(work: np.ndarray, crews: np.ndarray, exponent: float) -> np.ndarray:
    """Duration of work-content activities for a crew size.

    Parameters
    ----------
    work : array [robot-period]
        Work content at crew size 1.
    crews : array [robot]
        Crew sizes (>= 1).
    exponent : float [-]
        Crew-efficiency exponent ``e``; ``duration = ceil(work / crew**e)``.

    Returns
    -------
    array of int64 [period]
    """
    w = np.asarray(work, dtype=np.float64)
    c = np.maximum(np.asarray(crews, dtype=np.float64), 1.0)
    # tolerance keeps exact quotients (e.g. 12 / 3**1) from rounding up
    return np.ceil(w / c**exponent - 1e-9).astype(_I)


def _csr(n: int, src: np.ndarray, dst: np.ndarray, lag: np.ndarray) -> tuple[np.ndarray, ...]:
    order = np.lexsort((dst, src))
    src, dst, lag = src[order], dst[order], lag[order]
    ptr = np.zeros(n + 1, _I)
    np.cumsum(np.bincount(src, minlength=n), out=ptr[1:])
    return ptr, dst.astype(_I), lag.astype(_I)


def _int_array(name: str, a: Any, shape: tuple[int, ...] | None = None) -> np.ndarray:
    arr = np.asarray(a)
    if arr.dtype.kind == "f":
        if arr.size and not np.all(np.isfinite(arr)):
            raise UserError(f"problem: {name}: non-finite value; allowed: integers")
        if arr.size and not np.all(arr == np.round(arr)):
            raise UserError(f"problem: {name}: non-integer value; allowed: integer periods")
    elif arr.size and arr.dtype.kind not in "iub":
        raise UserError(f"problem: {name}: dtype {arr.dtype}; allowed: integers")
    arr = np.ascontiguousarray(arr, dtype=_I)
    if shape is not None and arr.shape != shape:
        raise UserError(f"problem: {name}: shape {arr.shape}; expected {shape}")
    return arr


# --------------------------------------------------------------------------- Problem
@dataclass(frozen=True, slots=True, eq=False)
class Problem:
    """A resource-constrained project; validated on construction.

    Attributes
    ----------
    durations : (n,) int64 [period]
        Fixed durations. For work-content activities: the duration at ``crew_max``.
    demands : (n, r) int64 [resource units]
        Demand per activity and resource while it runs. For work-content activities the
        entry of the crew resource is ignored (the crew size is used instead).
    capacities : (r,) int64 [resource units]
    resource_names : tuple of str, length r
    activity_ids : (n,) array
        External ids (strings or 1-based ints), used in messages and output files.
    succ_ptr, succ_idx, succ_lag : CSR successor lists
        ``succ_idx[succ_ptr[i]:succ_ptr[i+1]]`` are the successors of ``i``; each arc means
        ``start[j] >= start[i] + duration[i] + lag`` with ``lag >= 0`` [period].
    time_unit_s : float [s]
        Length of one period.
    release : (n,) int64 [period] or None
        Earliest start.
    deadline : (n,) int64 [period] or None
        Latest finish; ``-1`` (or any negative) means none.
    fixed_starts : (n,) int64 [period] or None
        Fixed start time, ``-1`` means free (re-planning: activities already started).
    work : (n,) float64 [robot-period] or None
        Work content; ``NaN`` for fixed-duration activities.
    crew_min, crew_max : (n,) int64 [robot] or None
        Crew-size range of work-content activities (0 for fixed-duration ones).
    crew_resource : int or None
        Index of the resource the crew occupies.
    crew_exponent : float [-]
        ``duration = ceil(work / crew**crew_exponent)``.
    name : str
        Used in error messages (file name of an instance).

    Derived (computed on construction): ``topo_order`` (n,), ``pred_ptr``, ``pred_idx``,
    ``pred_lag`` (CSR predecessor lists), ``earliest_start`` (n,) [period] (critical-path
    forward pass with the shortest durations, release dates and fixed starts).
    """

    durations: np.ndarray
    demands: np.ndarray
    capacities: np.ndarray
    resource_names: tuple[str, ...]
    activity_ids: np.ndarray
    succ_ptr: np.ndarray
    succ_idx: np.ndarray
    succ_lag: np.ndarray
    time_unit_s: float
    release: np.ndarray | None = None
    deadline: np.ndarray | None = None
    fixed_starts: np.ndarray | None = None
    work: np.ndarray | None = None
    crew_min: np.ndarray | None = None
    crew_max: np.ndarray | None = None
    crew_resource: int | None = None
    crew_exponent: float = 1.0
    name: str = "problem"
    topo_order: np.ndarray = field(init=False, repr=False)
    pred_ptr: np.ndarray = field(init=False, repr=False)
    pred_idx: np.ndarray = field(init=False, repr=False)
    pred_lag: np.ndarray = field(init=False, repr=False)
    earliest_start: np.ndarray = field(init=False, repr=False)

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_arrays(
        cls,
        durations: Any,
        demands: Any,
        capacities: Any,
        *,
        pred: Any = (),
        succ: Any = (),
        lag: Any = None,
        time_unit_s: float,
        resource_names: Sequence[str] | None = None,
        activity_ids: Any = None,
        release: Any = None,
        deadline: Any = None,
        fixed_starts: Any = None,
        work: Any = None,
        crew_min: Any = None,
        crew_max: Any = None,
        crew_resource: int | None = None,
        crew_exponent: float = 1.0,
        name: str = "problem",
    ) -> Problem:
        """Build from arrays; precedence given as arc lists of 0-based indices.

        Parameters
        ----------
        durations : (n,) [period]
        demands : (n, r) [resource units]
        capacities : (r,) [resource units]
        pred, succ : (m,) int
            Arc ``pred[k] -> succ[k]`` (0-based activity indices).
        lag : (m,) int [period], optional
            Finish-to-start lag of each arc (default 0).
        time_unit_s : float [s]
            Seconds per period (required: time is never unitless).
        activity_ids : (n,), optional
            External ids; default 1..n.
        work, crew_min, crew_max, crew_resource, crew_exponent
            Work-content activities (see class docstring); ``durations`` of those activities
            is recomputed as the duration at ``crew_max``.
        """
        dur = _int_array("durations", durations)
        n = dur.shape[0]
        dem = _int_array("demands", demands)
        if dem.ndim == 1 and n and dem.shape[0] == n:
            dem = dem.reshape(n, 1)
        cap = _int_array("capacities", capacities)
        if cap.ndim != 1:
            raise UserError(f"problem: capacities: shape {cap.shape}; expected (r,)")
        r = cap.shape[0]
        if dem.shape != (n, r):
            raise UserError(f"problem: demands: shape {dem.shape}; expected ({n}, {r})")
        src = _int_array("pred", pred).ravel()
        dst = _int_array("succ", succ).ravel()
        if src.shape != dst.shape:
            raise UserError(f"problem: pred/succ: lengths {src.size} and {dst.size} differ")
        lg = np.zeros(src.shape, _I) if lag is None else _int_array("lag", lag).ravel()
        if lg.shape != src.shape:
            raise UserError(f"problem: lag: length {lg.size}; expected {src.size}")
        for nm, a in (("pred", src), ("succ", dst)):
            if a.size and (a.min() < 0 or a.max() >= n):
                bad = int(a[(a < 0) | (a >= n)][0])
                raise UserError(f"problem: {nm}: activity index {bad}; allowed 0..{n - 1}")
        ptr, idx, lgs = _csr(n, src, dst, lg)
        ids = np.arange(1, n + 1) if activity_ids is None else np.asarray(activity_ids)
        names = tuple(resource_names) if resource_names is not None else tuple(
            f"R{k + 1}" for k in range(r)
        )
        return cls(
            durations=dur,
            demands=dem,
            capacities=cap,
            resource_names=names,
            activity_ids=ids,
            succ_ptr=ptr,
            succ_idx=idx,
            succ_lag=lgs,
            time_unit_s=time_unit_s,
            release=None if release is None else _int_array("release", release),
            deadline=None if deadline is None else _int_array("deadline", deadline),
            fixed_starts=None if fixed_starts is None else _int_array("fixed_starts", fixed_starts),
            work=None if work is None else np.asarray(work, dtype=np.float64),
            crew_min=None if crew_min is None else _int_array("crew_min", crew_min),
            crew_max=None if crew_max is None else _int_array("crew_max", crew_max),
            crew_resource=crew_resource,
            crew_exponent=float(crew_exponent),
            name=name,
        )

    def __post_init__(self) -> None:  # noqa: C901 - one validation pass, in order
        nm = self.name
        s = object.__setattr__
        n = self.durations.shape[0]
        r = self.capacities.shape[0]
        if not (isinstance(self.time_unit_s, int | float) and math.isfinite(self.time_unit_s)
                and self.time_unit_s > 0):
            raise UserError(f"{nm}: time_unit_s {self.time_unit_s!r}; allowed: > 0 seconds")
        if len(self.resource_names) != r:
            raise UserError(f"{nm}: {len(self.resource_names)} resource names for {r} resources")
        if self.activity_ids.shape != (n,):
            raise UserError(f"{nm}: activity_ids shape {self.activity_ids.shape}; expected ({n},)")
        if self.succ_ptr.shape != (n + 1,) or self.succ_idx.shape != self.succ_lag.shape:
            raise UserError(f"{nm}: malformed successor CSR arrays")
        if n:
            try:
                n_unique = int(np.unique(self.activity_ids).shape[0])
            except TypeError:  # mixed id types (object array): compare as Python objects
                n_unique = len(set(self.activity_ids.tolist()))
            if n_unique != n:
                raise UserError(f"{nm}: duplicate activity ids; allowed: unique ids")
        if np.any(self.capacities < 0):
            k = int(np.argmax(self.capacities < 0))
            raise UserError(
                f"{nm}: resource {self.resource_names[k]!r}: capacity "
                f"{int(self.capacities[k])}; allowed >= 0"
            )
        if n and np.any(self.durations < 0):
            i = int(np.argmax(self.durations < 0))
            raise UserError(
                f"{nm}: activity {self._id(i)}: duration {int(self.durations[i])}; allowed >= 0"
            )
        if n and np.any(self.demands < 0):
            i, k = np.argwhere(self.demands < 0)[0]
            raise UserError(
                f"{nm}: activity {self._id(int(i))}: demand {int(self.demands[i, k])} of "
                f"{self.resource_names[k]!r}; allowed >= 0"
            )
        if self.succ_lag.size and np.any(self.succ_lag < 0):
            k = int(np.argmax(self.succ_lag < 0))
            i = int(np.searchsorted(self.succ_ptr, k, side="right") - 1)
            raise UserError(
                f"{nm}: precedence {self._id(i)} -> {self._id(int(self.succ_idx[k]))}: lag "
                f"{int(self.succ_lag[k])}; allowed >= 0"
            )
        if self.succ_idx.size and (self.succ_idx.min() < 0 or self.succ_idx.max() >= n):
            raise UserError(f"{nm}: successor index out of range 0..{n - 1}")
        for fname in ("release", "deadline", "fixed_starts"):
            a = getattr(self, fname)
            if a is not None and a.shape != (n,):
                raise UserError(f"{nm}: {fname}: shape {a.shape}; expected ({n},)")
        if self.release is not None and n and np.any(self.release < 0):
            i = int(np.argmax(self.release < 0))
            raise UserError(f"{nm}: activity {self._id(i)}: release {int(self.release[i])}; "
                            "allowed >= 0")
        # ---- crews
        crew = self.crew_max is not None
        if crew:
            if self.work is None or self.crew_min is None or self.crew_resource is None:
                raise UserError(f"{nm}: crews need work, crew_min, crew_max and crew_resource")
            if not 0 <= self.crew_resource < r:
                raise UserError(f"{nm}: crew_resource {self.crew_resource}; allowed 0..{r - 1}")
            if not (math.isfinite(self.crew_exponent) and 0 < self.crew_exponent <= 1):
                raise UserError(f"{nm}: crew_exponent {self.crew_exponent}; allowed (0, 1]")
            for fname in ("work", "crew_min", "crew_max"):
                if getattr(self, fname).shape != (n,):
                    raise UserError(f"{nm}: {fname}: shape mismatch; expected ({n},)")
            m = self.crew_max > 0
            bad = m & ~((self.crew_min >= 1) & (self.crew_min <= self.crew_max)
                        & np.isfinite(self.work) & (self.work >= 0))
            if np.any(bad):
                i = int(np.argmax(bad))
                raise UserError(
                    f"{nm}: activity {self._id(i)}: crew range {int(self.crew_min[i])}.."
                    f"{int(self.crew_max[i])}, work {self.work[i]}; allowed 1 <= crew_min <= "
                    "crew_max, work >= 0"
                )
            if np.any(m):
                d = self.durations.copy()
                d[m] = crew_durations(self.work[m], self.crew_max[m], self.crew_exponent)
                s(self, "durations", d)
        # ---- demand above capacity
        if n:
            dem = self.demands
            if crew:
                dem = dem.copy()
                m = self.crew_max > 0
                dem[m, self.crew_resource] = self.crew_min[m]
            over = dem > self.capacities[None, :]
            if np.any(over):
                i, k = np.argwhere(over)[0]
                raise UserError(
                    f"{nm}: activity {self._id(int(i))}: demand {int(dem[i, k])} of resource "
                    f"{self.resource_names[k]!r} exceeds its capacity {int(self.capacities[k])}"
                )
        # ---- cycles and topological order
        order = _topo_order(n, self.succ_ptr, self.succ_idx)
        if order.shape[0] < n:
            raise UserError(f"{nm}: precedence cycle {self._cycle(order)}; allowed: acyclic")
        s(self, "topo_order", order)
        src = np.repeat(np.arange(n, dtype=_I), np.diff(self.succ_ptr))
        o = np.argsort(self.succ_idx, kind="stable")
        pptr = np.zeros(n + 1, _I)
        np.cumsum(np.bincount(self.succ_idx, minlength=n), out=pptr[1:])
        s(self, "pred_ptr", pptr)
        s(self, "pred_idx", src[o])
        s(self, "pred_lag", self.succ_lag[o])
        # ---- fixed starts and deadlines
        rel = np.zeros(n, _I) if self.release is None else self.release.copy()
        if self.fixed_starts is not None:
            f = self.fixed_starts >= 0
            if np.any(f & (self.fixed_starts < rel)):
                i = int(np.argmax(f & (self.fixed_starts < rel)))
                raise UserError(f"{nm}: activity {self._id(i)}: fixed start "
                                f"{int(self.fixed_starts[i])} before its release {int(rel[i])}")
            rel[f] = self.fixed_starts[f]
        es = _forward_pass(order, self.succ_ptr, self.succ_idx, self.succ_lag, self.durations,
                           rel)
        if self.fixed_starts is not None:
            f = self.fixed_starts >= 0
            late = f & (es > self.fixed_starts)
            if np.any(late):
                i = int(np.argmax(late))
                raise UserError(
                    f"{nm}: activity {self._id(i)}: fixed start {int(self.fixed_starts[i])} is "
                    f"impossible; its predecessors allow {int(es[i])} at the earliest"
                )
        s(self, "earliest_start", es)
        if self.deadline is not None:
            ef = es + self.durations
            late = (self.deadline >= 0) & (ef > self.deadline)
            if np.any(late):
                i = int(np.argmax(late))
                raise UserError(
                    f"{nm}: activity {self._id(i)}: deadline {int(self.deadline[i])} is "
                    f"impossible; earliest feasible finish {int(ef[i])}"
                )

    # ------------------------------------------------------------------ helpers
    def _id(self, i: int) -> str:
        v = self.activity_ids[i]
        return str(v.item() if isinstance(v, np.generic) else v)

    def _cycle(self, order: np.ndarray) -> str:
        n = self.n
        done = np.zeros(n, bool)
        done[order] = True
        # every node left by Kahn keeps a left-over predecessor: walk predecessors until one
        # repeats, then reverse the walk to name the cycle in precedence order
        src = np.repeat(np.arange(n, dtype=_I), np.diff(self.succ_ptr))
        m = ~done[src] & ~done[self.succ_idx]
        pred_of = dict(zip(self.succ_idx[m].tolist(), src[m].tolist(), strict=True))
        seen: dict[int, int] = {}
        path: list[int] = []
        i = int(np.flatnonzero(~done)[0])
        while i not in seen:
            seen[i] = len(path)
            path.append(i)
            i = pred_of[i]
        cyc = path[seen[i]:] + [i]
        cyc.reverse()
        return " -> ".join(self._id(k) for k in cyc)

    @property
    def n(self) -> int:
        """Number of activities."""
        return int(self.durations.shape[0])

    @property
    def n_resources(self) -> int:
        return int(self.capacities.shape[0])

    @property
    def n_arcs(self) -> int:
        return int(self.succ_idx.shape[0])

    @property
    def has_crews(self) -> bool:
        return self.crew_max is not None and bool(np.any(self.crew_max > 0))

    def index_of(self, activity_id: Hashable) -> int:
        """0-based index of an external id (linear scan; use for a few look-ups only)."""
        hits = np.flatnonzero(self.activity_ids == activity_id)
        if hits.size == 0:
            raise UserError(f"{self.name}: unknown activity id {activity_id!r}")
        return int(hits[0])

    def arcs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Precedence arcs as (pred, succ, lag) arrays of 0-based indices."""
        src = np.repeat(np.arange(self.n, dtype=_I), np.diff(self.succ_ptr))
        return src, self.succ_idx, self.succ_lag

    def durations_for(self, crews: np.ndarray | None) -> np.ndarray:
        """Durations [period] for a crew assignment (``None``: fixed durations / crew_max)."""
        if crews is None or not self.has_crews:
            return self.durations
        assert self.crew_max is not None and self.work is not None
        m = self.crew_max > 0
        d = self.durations.copy()
        d[m] = crew_durations(self.work[m], crews[m], self.crew_exponent)
        return d

    def demands_for(self, crews: np.ndarray | None) -> np.ndarray:
        """Demands (n, r) with the crew size written into the crew resource column."""
        if not self.has_crews:
            return self.demands
        assert self.crew_max is not None and self.crew_min is not None
        m = self.crew_max > 0
        dem = self.demands.copy()
        c = self.crew_max if crews is None else np.asarray(crews)
        dem[m, self.crew_resource] = c[m]
        return dem

    def with_fixed_starts(self, fixed_starts: np.ndarray) -> Problem:
        """Copy with some start times fixed (``-1`` = free), e.g. for re-planning."""
        return dataclasses.replace(self, fixed_starts=_int_array("fixed_starts", fixed_starts))

    def subset(self, keep: np.ndarray) -> Problem:
        """The sub-project of activities ``keep`` (bool mask or indices); arcs inside it only."""
        keep_idx = np.flatnonzero(keep) if np.asarray(keep).dtype == bool else np.asarray(keep)
        new = np.full(self.n, -1, _I)
        new[keep_idx] = np.arange(keep_idx.size)
        src, dst, lag = self.arcs()
        m = (new[src] >= 0) & (new[dst] >= 0)

        def pick(a: np.ndarray | None) -> np.ndarray | None:
            return None if a is None else a[keep_idx]

        return Problem.from_arrays(
            self.durations[keep_idx] if not self.has_crews else self.durations[keep_idx],
            self.demands[keep_idx],
            self.capacities,
            pred=new[src[m]],
            succ=new[dst[m]],
            lag=lag[m],
            time_unit_s=self.time_unit_s,
            resource_names=self.resource_names,
            activity_ids=self.activity_ids[keep_idx],
            release=pick(self.release),
            deadline=pick(self.deadline),
            fixed_starts=pick(self.fixed_starts),
            work=pick(self.work),
            crew_min=pick(self.crew_min),
            crew_max=pick(self.crew_max),
            crew_resource=self.crew_resource,
            crew_exponent=self.crew_exponent,
            name=self.name,
        )


# --------------------------------------------------------------------------- builder
class ProblemBuilder:
    """Incremental construction by external id (for small projects and file readers).

    Examples
    --------
    >>> b = ProblemBuilder(time_unit_s=3600.0)
    >>> b.add_resource("robots", 10)
    >>> b.add_activity("dig", duration=3, demands={"robots": 4})
    >>> b.add_activity("pour", duration=2, demands={"robots": 6})
    >>> b.add_precedence("dig", "pour", lag=1)
    >>> p = b.build()
    """

    def __init__(self, *, time_unit_s: float, name: str = "problem",
                 crew_exponent: float = 1.0) -> None:
        self.time_unit_s = time_unit_s
        self.name = name
        self.crew_exponent = crew_exponent
        self._res: dict[str, int] = {}
        self._ids: dict[Hashable, int] = {}
        self._dur: list[int] = []
        self._dem: list[dict[str, int]] = []
        self._rel: list[int] = []
        self._dl: list[int] = []
        self._work: list[float] = []
        self._cmin: list[int] = []
        self._cmax: list[int] = []
        self._crew_res: str | None = None
        self._arcs: list[tuple[Hashable, Hashable, int]] = []

    def add_resource(self, name: str, capacity: int) -> None:
        if name in self._res:
            raise UserError(f"{self.name}: resource {name!r} defined twice")
        self._res[name] = int(capacity)

    def add_activity(
        self,
        activity_id: Hashable,
        duration: int = 0,
        demands: dict[str, int] | None = None,
        *,
        release: int = 0,
        deadline: int = -1,
        work: float | None = None,
        crew: tuple[int, int] | None = None,
        crew_resource: str | None = None,
    ) -> None:
        """Add one activity; ``work`` with ``crew=(min, max)`` makes it a work-content one."""
        if activity_id in self._ids:
            raise UserError(f"{self.name}: activity {activity_id!r} defined twice")
        dem = dict(demands or {})
        for k in dem:
            if k not in self._res:
                raise UserError(f"{self.name}: activity {activity_id!r}: unknown resource {k!r};"
                                f" allowed: {sorted(self._res)}")
        self._ids[activity_id] = len(self._dur)
        self._dur.append(int(duration))
        self._dem.append(dem)
        self._rel.append(int(release))
        self._dl.append(int(deadline))
        if work is not None:
            if crew is None or crew_resource is None:
                raise UserError(f"{self.name}: activity {activity_id!r}: work needs crew=(min,"
                                " max) and crew_resource")
            if crew_resource not in self._res:
                raise UserError(f"{self.name}: unknown crew resource {crew_resource!r}")
            if self._crew_res not in (None, crew_resource):
                raise UserError(f"{self.name}: one crew resource per problem; got "
                                f"{crew_resource!r} and {self._crew_res!r}")
            self._crew_res = crew_resource
            self._work.append(float(work))
            self._cmin.append(int(crew[0]))
            self._cmax.append(int(crew[1]))
        else:
            self._work.append(float("nan"))
            self._cmin.append(0)
            self._cmax.append(0)

    def add_precedence(self, before: Hashable, after: Hashable, lag: int = 0) -> None:
        """``after`` starts at least ``lag`` periods after ``before`` finishes."""
        self._arcs.append((before, after, int(lag)))

    def build(self) -> Problem:
        names = list(self._res)
        n = len(self._dur)
        dem = np.zeros((n, len(names)), _I)
        col = {k: c for c, k in enumerate(names)}
        for i, d in enumerate(self._dem):
            for k, v in d.items():
                dem[i, col[k]] = v
        src, dst, lag = [], [], []
        for a, b, lg in self._arcs:
            for x in (a, b):
                if x not in self._ids:
                    raise UserError(f"{self.name}: precedence {a!r} -> {b!r}: unknown activity "
                                    f"id {x!r}")
            src.append(self._ids[a])
            dst.append(self._ids[b])
            lag.append(lg)
        crew = self._crew_res is not None
        ids = np.empty(n, dtype=object)
        ids[:] = list(self._ids)
        if all(isinstance(x, int) for x in self._ids):
            ids = ids.astype(_I)
        return Problem.from_arrays(
            np.array(self._dur, _I),
            dem,
            np.array([self._res[k] for k in names], _I),
            pred=np.array(src, _I),
            succ=np.array(dst, _I),
            lag=np.array(lag, _I),
            time_unit_s=self.time_unit_s,
            resource_names=names,
            activity_ids=ids,
            release=np.array(self._rel, _I) if any(self._rel) else None,
            deadline=np.array(self._dl, _I) if any(x >= 0 for x in self._dl) else None,
            work=np.array(self._work) if crew else None,
            crew_min=np.array(self._cmin, _I) if crew else None,
            crew_max=np.array(self._cmax, _I) if crew else None,
            crew_resource=col[self._crew_res] if self._crew_res is not None else None,
            crew_exponent=self.crew_exponent,
            name=self.name,
        )


# --------------------------------------------------------------------------- Result
class Status(enum.Enum):
    """Outcome of a solve."""

    OPTIMAL = "optimal"  # makespan proven minimal
    FEASIBLE = "feasible"  # a schedule, optimality not proven
    INFEASIBLE = "infeasible"  # proven: no schedule exists
    UNKNOWN = "unknown"  # no schedule found within the limits


@dataclass(frozen=True, slots=True, eq=False)
class Result:
    """A schedule and what is known about its quality.

    Attributes
    ----------
    status : Status
    makespan : int [period] or None (no schedule)
    lower_bound : int [period]
        Best lower bound known (max of critical-path, resource and the solver's proven bound).
    runtime_s : float [s]
        Wall-clock time of the solve.
    starts : (n,) int64 [period] or None
    crews : (n,) int64 [robot] or None
        Crew size of each activity (0 for fixed-duration ones); None if the problem has none.
    solver : str
    n_schedules : int
        Schedules generated (heuristic) or solutions found (CP-SAT).
    time_unit_s : float [s]
    bounds : dict of str to int [period]
        Each lower bound by name (``critical_path``, ``resource``, ``cpsat``, ...).
    """

    status: Status
    makespan: int | None
    lower_bound: int
    runtime_s: float
    starts: np.ndarray | None
    crews: np.ndarray | None
    solver: str
    n_schedules: int
    time_unit_s: float = 1.0
    bounds: dict[str, int] = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        """Relative gap (makespan - lower_bound) / makespan [-]; None without a schedule."""
        if self.makespan is None:
            return None
        return 0.0 if self.makespan == 0 else (self.makespan - self.lower_bound) / self.makespan

    @property
    def makespan_s(self) -> float | None:
        """Makespan in seconds [s]."""
        return None if self.makespan is None else self.makespan * self.time_unit_s

    def finishes(self, problem: Problem) -> np.ndarray:
        """Finish times [period] of every activity."""
        if self.starts is None:
            raise ValueError("no schedule")
        return self.starts + problem.durations_for(self.crews)
