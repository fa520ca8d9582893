"""A general resource-constrained project scheduling engine (RCPSP with crews).

It knows nothing of robots: a :class:`Problem` (activities with work and crew ranges,
precedences with lags, renewable resources, zones, release dates and deadlines), readers for
PSPLIB and Patterson instances, lower bounds, an independent schedule checker, a CP-SAT adapter
(:mod:`terawatt.scheduling.cpsat`), a compiled heuristic (:mod:`terawatt.scheduling.heuristic`),
a project generator and :func:`solve`, which picks and combines them with the
:class:`SolveSettings` read from the assumptions registry. See docs/scheduling.md.
The robot-fleet orchestrator (:mod:`terawatt.fleet`) builds on it.
"""

from terawatt.scheduling.bounds import critical_path_bound, lower_bounds, resource_bound
from terawatt.scheduling.checker import check_schedule
from terawatt.scheduling.cpsat import solve_cpsat
from terawatt.scheduling.generator import generate_project
from terawatt.scheduling.heuristic import search
from terawatt.scheduling.problem import Problem, ProblemBuilder, Result, Status, crew_durations
from terawatt.scheduling.readers import read_instance, read_patterson, read_psplib
from terawatt.scheduling.settings import SolveSettings
from terawatt.scheduling.solve import (
    SOLVERS,
    components,
    schedule_json,
    solve,
    solve_instance,
    write_schedule,
)

__all__ = [
    "SOLVERS",
    "Problem",
    "ProblemBuilder",
    "Result",
    "SolveSettings",
    "Status",
    "check_schedule",
    "components",
    "critical_path_bound",
    "crew_durations",
    "generate_project",
    "lower_bounds",
    "read_instance",
    "read_patterson",
    "read_psplib",
    "resource_bound",
    "schedule_json",
    "search",
    "solve",
    "solve_cpsat",
    "solve_instance",
    "write_schedule",
]
