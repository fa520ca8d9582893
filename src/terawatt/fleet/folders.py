"""Reading plan and simulation run folders back, with every file checked on open.

A plan folder (``terawatt fleet plan``) holds ``summary.json``, ``plan.parquet``,
``arcs.parquet`` and ``assignments.parquet``; a simulation folder inside it
(``<plan>/<time>-simulation-seed<k>/``, ``terawatt fleet simulate``) holds ``summary.json``,
``activities.parquet``, ``events.parquet`` and ``production.parquet``. On open each file must
be present and readable, ``summary.json`` must carry the keys the readers use (typed, finite),
each table the expected columns and column types, the tables must agree in size with each
other and with the summary, and every index must point inside its table or name list. Any
damage is one :class:`~terawatt.errors.UserError` naming the file, the key or column, the
value and what is allowed, so ``simulate`` and ``explain`` never fail half-way on a damaged
folder.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from terawatt.errors import UserError
from terawatt.fleet.plan import PlanData
from terawatt.io.runfolder import read_json, read_parquet

PLAN_FILES = ("summary.json", "plan.parquet", "arcs.parquet", "assignments.parquet")
SIMULATION_FILES = ("summary.json", "activities.parquet", "events.parquet",
                    "production.parquet")
#: Columns of plan.parquet (name -> kind), as written by :func:`terawatt.fleet.plan.save_plan`.
PLAN_COLUMNS = {
    "kind": "int", "phase": "int", "task": "int", "building": "int", "bay": "int", "cell": "int",
    "unit": "int", "step": "int", "zone": "int", "equipment": "int", "delivery": "bool",
    "work_rh": "float", "work_sched": "float", "crew_min": "int", "crew_max": "int",
    "crew": "int", "start_h": "int", "finish_h": "int"}
ARC_COLUMNS = {"pred": "int", "succ": "int"}
ASSIGNMENT_COLUMNS = {"activity": "int", "robot": "int"}
ACTIVITY_COLUMNS = {"start_s": "float", "finish_s": "float", "crew": "int", "executions": "int"}
EVENT_COLUMNS = {"time_s": "float", "event": "str", "activity": "int", "count": "int",
                 "value": "float"}
PRODUCTION_COLUMNS = {"day": "int", "time_s": "float", "output": "float", "cumulative": "float",
                      "fleet": "int"}
_SIM_NAME = re.compile(r"^(\d{8}T\d{6})-simulation-seed(\d+)(?:-(\d+))?$")

_MAKE_PLAN = "what 'terawatt fleet plan' writes; plan again to replace it"
_MAKE_SIM = "what 'terawatt fleet simulate' writes; simulate again to replace it"

Positive = Annotated[float, Field(gt=0)]
Count = Annotated[int, Field(ge=1)]
Name = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, allow_inf_nan=False, extra="ignore")


class _Model(_Strict):
    """``summary.json`` ``model``: how the plan's schedule was built."""

    crew_exponent: Positive
    stretch: Positive
    battery: Annotated[list[Annotated[float, Field(ge=0)]], Field(min_length=3, max_length=3)]
    availability: Annotated[float, Field(gt=0, le=1)]
    equipment_capacity: list[Annotated[int, Field(ge=0)]]
    pool: Count
    robots: Count
    line_output_per_day: Positive
    lines_per_building: Count
    n_lines: Count
    n_buildings: Count
    units_per_line: Count
    cells_per_line: Count
    joins_fleet: bool
    unit: str
    start: str


class _Names(_Strict):
    kinds: Annotated[list[Name], Field(min_length=1)]
    tasks: Annotated[list[Name], Field(min_length=1)]
    phases: Annotated[list[Name], Field(min_length=1)]
    equipment_kinds: list[Name]
    step_names: list[Name]
    resources: Annotated[list[Name], Field(min_length=1)]


class _CurvePoint(_Strict):
    robots: Count
    makespan_h: Annotated[int, Field(ge=0)]
    raw_makespan_h: Annotated[int, Field(ge=0)]
    completion: str
    lower_bound_h: Annotated[int, Field(ge=0)]
    energy_bound_h: Annotated[int, Field(ge=0)]


class _PlanSummary(_Strict):
    """The keys of a plan's ``summary.json`` that simulate, explain and the report read."""

    goal: str
    start: str
    completion: str
    makespan_h: Annotated[int, Field(ge=0)]
    activities: Annotated[int, Field(ge=0)]
    precedences: Annotated[int, Field(ge=0)]
    crew_slots: Annotated[int, Field(ge=0)]
    model: _Model
    names: _Names
    curve: list[_CurvePoint] = []


class _SimSummary(_Strict):
    """The keys of a simulation's ``summary.json`` that explain and the report read."""

    activities: Annotated[int, Field(ge=0)]
    run_folder: str


def _refuse(path: Path, what: str, allowed: str) -> UserError:
    return UserError(f"{path}: {what}; allowed: {allowed}")


def _date(path: Path, key: str, text: str) -> None:
    import datetime as dt

    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise _refuse(path, f"key '{key}': value {text!r}", "a date YYYY-MM-DD") from None


def _in_range(path: Path, col: str, x: np.ndarray, lo: float, hi: float, what: str) -> None:
    """Refuse the first value of column ``col`` outside ``[lo, hi]`` (or not finite)."""
    bad = ~((x >= lo) & (x <= hi))
    if bad.any():
        r = int(np.argmax(bad))
        raise _refuse(path, f"column '{col}': value {x[r].item()!r} in row {r}",
                      f"{what} ({_MAKE_PLAN})")


def _kind_of(folder: Path) -> str | None:
    """What kind of run folder ``folder`` looks like, from its name and files."""
    if (folder / "timeseries.parquet").exists():
        return "a stack run folder (made by 'terawatt run')"
    if _SIM_NAME.match(folder.name) or (folder / "events.parquet").exists():
        return f"a fleet simulation folder (its plan folder is {folder.parent})"
    if (folder / "plan.parquet").exists():
        return "a fleet plan folder"
    return None


def _check_folder(folder: Path, files: tuple[str, ...], what: str) -> None:
    """``folder`` is a directory of the kind ``what`` with all ``files`` present."""
    allowed = f"{what} (holds {', '.join(files)})"
    if not folder.exists():
        raise _refuse(folder, "no such folder", allowed)
    if not folder.is_dir():
        raise _refuse(folder, "not a folder", allowed)
    missing = [f for f in files if not (folder / f).is_file()]
    if not missing:
        return
    kind = _kind_of(folder)
    expected = "plan" if files == PLAN_FILES else "simulation"
    if kind is not None and f"fleet {expected} folder" not in kind:
        raise _refuse(folder, f"{kind}, not a fleet {expected} folder", allowed)
    if len(missing) == len(files):
        raise _refuse(folder, f"not a fleet {expected} folder (none of its files)", allowed)
    first = folder / missing[0]
    raise _refuse(first, "a folder, not a file" if first.is_dir() else "missing",
                  f"{allowed}; make it again")


def read_plan(folder: Any) -> PlanData:
    """Read and check a plan folder written by :func:`terawatt.fleet.plan.save_plan`."""
    folder = Path(folder)
    _check_folder(folder, PLAN_FILES, "a plan folder made by 'terawatt fleet plan'")
    spath = folder / "summary.json"
    summary = read_json(spath, _MAKE_PLAN, _PlanSummary)
    m, names = summary["model"], summary["names"]
    for key in ("start", "completion"):
        _date(spath, key, summary[key])
    _date(spath, "model.start", m["start"])
    n_eq = len(names["equipment_kinds"])
    if len(m["equipment_capacity"]) != n_eq:
        raise _refuse(spath, f"key 'model.equipment_capacity': value {m['equipment_capacity']}",
                      f"one count per names.equipment_kinds ({n_eq}) ({_MAKE_PLAN})")
    if names["resources"] != ["robots", *names["equipment_kinds"]]:
        raise _refuse(spath, f"key 'names.resources': value {names['resources']}",
                      f"robots then names.equipment_kinds ({_MAKE_PLAN})")
    if m["pool"] > m["robots"]:
        raise _refuse(spath, f"key 'model.pool': value {m['pool']}",
                      f"at most model.robots = {m['robots']} ({_MAKE_PLAN})")
    if "building_handover" not in names["kinds"]:
        raise _refuse(spath, "key 'names.kinds': no 'building_handover'",
                      f"the construction recipe's activity kinds ({_MAKE_PLAN})")

    tpath = folder / "plan.parquet"
    tbl = read_parquet(tpath, PLAN_COLUMNS, _MAKE_PLAN)
    n = len(tbl)
    if n != summary["activities"]:
        raise _refuse(tpath, f"{n:,} rows but summary.json has activities = "
                             f"{summary['activities']:,}", f"the same count ({_MAKE_PLAN})")
    _check_plan_table(tpath, tbl, m, names, summary["makespan_h"])

    apath = folder / "arcs.parquet"
    arcs = read_parquet(apath, ARC_COLUMNS, _MAKE_PLAN)
    if len(arcs) != summary["precedences"]:
        raise _refuse(apath, f"{len(arcs):,} rows but summary.json has precedences = "
                             f"{summary['precedences']:,}", f"the same count ({_MAKE_PLAN})")
    pred, succ = arcs["pred"].to_numpy(np.int64), arcs["succ"].to_numpy(np.int64)
    for col, x in (("pred", pred), ("succ", succ)):
        _in_range(apath, col, x, 0, n - 1, f"an activity index 0..{n - 1}")

    gpath = folder / "assignments.parquet"
    asg = read_parquet(gpath, ASSIGNMENT_COLUMNS, _MAKE_PLAN)
    if len(asg) != summary["crew_slots"]:
        raise _refuse(gpath, f"{len(asg):,} rows but summary.json has crew_slots = "
                             f"{summary['crew_slots']:,}", f"the same count ({_MAKE_PLAN})")
    act, robot = asg["activity"].to_numpy(np.int64), asg["robot"].to_numpy()
    _in_range(gpath, "activity", act, 0, n - 1, f"an activity index 0..{n - 1}")
    _in_range(gpath, "robot", robot, 0, m["pool"] - 1, f"a robot 0..{m['pool'] - 1}")
    if act.size and np.any(np.diff(act) < 0):
        raise _refuse(gpath, "column 'activity' is not sorted", f"rows in activity order "
                             f"({_MAKE_PLAN})")
    per = np.bincount(act, minlength=n)
    crew = tbl["crew"].to_numpy()
    if not np.array_equal(per, crew):
        i = int(np.argmax(per != crew))
        raise _refuse(gpath, f"{int(per[i])} robots for activity {i}",
                      f"its crew in plan.parquet ({int(crew[i])}) ({_MAKE_PLAN})")
    ptr = np.zeros(n + 1, np.int64)
    np.cumsum(per, out=ptr[1:])
    summary = dict(summary)
    names = summary.pop("names")
    return PlanData(tbl, pred, succ, ptr, robot.astype(np.int32, copy=False), names, summary)


def _check_plan_table(path: Path, tbl: Any, m: dict[str, Any], names: dict[str, Any],
                      makespan_h: int) -> None:
    """Every index of plan.parquet points into its name list or the plant, every figure is
    finite, every crew lies within its range and every activity within the makespan."""
    lines, cpl, blds = m["n_lines"], m["cells_per_line"], m["n_buildings"]
    zones = 1 + blds + lines + lines * cpl
    ranges = {
        "kind": (0, len(names["kinds"]) - 1, "an index into summary.json names.kinds"),
        "phase": (0, len(names["phases"]) - 1, "an index into summary.json names.phases"),
        "task": (0, len(names["tasks"]) - 1, "an index into summary.json names.tasks"),
        "step": (-1, len(names["step_names"]) - 1, "-1 or an index into names.step_names"),
        "equipment": (-1, len(names["equipment_kinds"]) - 1,
                      "-1 or an index into names.equipment_kinds"),
        "building": (-1, blds - 1, "-1 or a building of the plant"),
        "bay": (-1, lines - 1, "-1 or a line of the plant"),
        "cell": (-1, cpl - 1, "-1 or a work cell of a line"),
        "unit": (-1, np.inf, "-1 or a tool number"),
        "zone": (0, zones - 1, "a work zone of the plant"),
        "work_rh": (0, np.inf, "a finite number >= 0"),
        "work_sched": (0, np.inf, "a finite number >= 0"),
        "crew_min": (1, np.inf, "a crew >= 1"),
        "start_h": (0, makespan_h, "an hour within summary.json makespan_h"),
        "finish_h": (0, makespan_h, "an hour within summary.json makespan_h"),
    }
    for col, (lo, hi, what) in ranges.items():
        x = tbl[col].to_numpy()
        _in_range(path, col, x, lo, hi, f"{lo}..{hi} ({what})" if np.isfinite(hi) else what)
    cmin, cmax, crew = (tbl[c].to_numpy() for c in ("crew_min", "crew_max", "crew"))
    _in_range(path, "crew_max", cmax - cmin, 0, np.inf, "crew_max >= crew_min")
    bad = (crew < cmin) | (crew > cmax)
    if bad.any():
        r = int(np.argmax(bad))
        raise _refuse(path, f"column 'crew': value {int(crew[r])} in row {r}",
                      f"crew_min..crew_max ({int(cmin[r])}..{int(cmax[r])}) ({_MAKE_PLAN})")
    s, f = tbl["start_h"].to_numpy(), tbl["finish_h"].to_numpy()
    _in_range(path, "finish_h", f - s, 0, np.inf, "finish_h >= start_h")


def simulation_folders(folder: Any) -> list[Path]:
    """The finished simulation folders inside a plan folder, oldest first (by time stamp, then
    the ``-2``, ``-3`` suffix of runs started in the same second). Empty folders are names
    still reserved by a simulation that is running, and are skipped."""
    found = []
    for p in Path(folder).iterdir():
        mt = _SIM_NAME.match(p.name)
        if mt and p.is_dir() and any(p.iterdir()):
            found.append(((mt[1], int(mt[3] or 1)), p))
    return [p for _, p in sorted(found)]


def read_simulation(folder: Any, plan: PlanData) -> tuple[Any, Any, dict[str, Any]] | None:
    """The latest simulation of the plan folder ``folder``: (activities, events, summary), or
    None if it has none; every file is checked against ``plan``."""
    sims = simulation_folders(folder)
    if not sims:
        return None
    s = sims[-1]
    _check_folder(s, SIMULATION_FILES, "a simulation folder made by 'terawatt fleet simulate'")
    spath = s / "summary.json"
    summary = read_json(spath, _MAKE_SIM, _SimSummary)
    acts = read_parquet(s / "activities.parquet", ACTIVITY_COLUMNS, _MAKE_SIM)
    if len(acts) != plan.n or summary["activities"] != plan.n:
        raise _refuse(s / "activities.parquet", f"{len(acts):,} rows (summary.json: "
                      f"{summary['activities']:,}) for a plan of {plan.n:,} activities",
                      f"one row per activity of the plan ({_MAKE_SIM})")
    events = read_parquet(s / "events.parquet", EVENT_COLUMNS, _MAKE_SIM)
    if len(events):
        a = events["activity"].to_numpy()
        bad = (a < -1) | (a >= plan.n)
        if bad.any():
            r = int(np.argmax(bad))
            raise _refuse(s / "events.parquet", f"column 'activity': value {int(a[r])} in row "
                          f"{r}", f"-1 or an activity index 0..{plan.n - 1} ({_MAKE_SIM})")
    read_parquet(s / "production.parquet", PRODUCTION_COLUMNS, _MAKE_SIM)
    return acts, events, summary
