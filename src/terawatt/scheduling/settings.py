"""Settings of the engine: which solver runs on which part, and the heuristic's sizes.

The values live in the assumptions registry only (``scheduling.auto.*`` and
``scheduling.heuristic.*`` in ``assumptions/data/scheduling.toml``, with their sources);
:meth:`SolveSettings.from_registry` reads them, and every solver entry point takes the result
as a required argument, so a scenario or ``--set`` changes what the engine does.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from terawatt.errors import UserError

if TYPE_CHECKING:
    from terawatt.assumptions import Registry

#: Assumption key of each :class:`SolveSettings` field.
SETTING_KEYS: dict[str, str] = {
    "cpsat_max_activities": "scheduling.auto.cpsat_max_activities",
    "warm_max_activities": "scheduling.auto.warm_max_activities",
    "parallel_sgs_max_activities": "scheduling.heuristic.parallel_sgs_max_activities",
    "crew_candidates": "scheduling.heuristic.crew_candidates",
}


@dataclass(frozen=True, slots=True)
class SolveSettings:
    """Solver-selection thresholds and heuristic sizes (counts, all >= 1).

    Attributes
    ----------
    cpsat_max_activities : int
        ``solve(solver="auto")`` runs CP-SAT first (warm-started from a short heuristic run) on
        parts of at most this many activities [activity].
    warm_max_activities : int
        Larger parts get the heuristic, then CP-SAT warm-started from it while time remains, up
        to this many activities [activity].
    parallel_sgs_max_activities : int
        The heuristic also tries the parallel schedule-generation scheme up to this many
        activities [activity].
    crew_candidates : int
        Crew sizes tried per work-content activity by the serial schedule-generation scheme
        [dimensionless].
    """

    cpsat_max_activities: int
    warm_max_activities: int
    parallel_sgs_max_activities: int
    crew_candidates: int

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ValueError(f"SolveSettings.{f.name} = {v!r}; allowed: an integer >= 1")

    @classmethod
    def from_registry(cls, reg: Registry) -> SolveSettings:
        """Read the settings from ``scheduling.*`` (scenario and ``--set`` overrides included)."""
        values: dict[str, int] = {}
        for name, key in SETTING_KEYS.items():
            v = reg.value(key, "dimensionless")
            if not (float(v).is_integer() and v >= 1):
                raise UserError(f"key {key!r}: value {v:g}; allowed: a whole number >= 1")
            values[name] = int(v)
        return cls(**values)
