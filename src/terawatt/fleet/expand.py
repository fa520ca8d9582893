"""Goal -> project: product template -> lines and tools -> construction activities.

The expansion is hierarchical and vectorised (numpy, no Python object per activity):

* lines ``L = ceil(rate / line_output)``; buildings ``B = ceil(L / lines_per_building)``;
  one bay (work zone) per line; ``U`` production tools per line from the process steps;
* each bay is split into work cells of ``fleet.construction.work_area`` (takt areas);
* every activity of the shared construction recipe (``templates/_construction.toml``) is
  instantiated once per instance of its *scope* (site, building, bay, cell, equipment = tool);
* a precedence ``p -> k`` links each instance of ``k`` to the instance(s) of ``p`` in the same
  part of the plant: a coarser-or-equal-scope predecessor is the successor's own ancestor,
  a finer-scope one is every predecessor instance inside the successor's instance.

Work content is in robot-hours at the fleet's skill level for the activity's task type
(``fleet.robot.human_hours_per_robot_hour``, ``fleet.skill.level*_efficiency``). Crew ranges are
capped by the zone's workspace (``zone area / fleet.crew.workspace_per_robot``): zone capacity is
enforced per activity, not summed over concurrent activities in a zone (the scheduling engine's
dense resource matrix cannot hold one resource per bay at 15,000 bays).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from terawatt.assumptions import Registry
from terawatt.assumptions.schema import Assumption
from terawatt.constants import SECONDS_PER_HOUR
from terawatt.errors import UserError
from terawatt.fleet.goal import Goal

SCOPES = ("site", "building", "bay", "cell", "equipment")
_PARENT = {"site": "", "building": "site", "bay": "building", "cell": "bay", "equipment": "bay"}
_BASES = ("site", "floor", "equipment", "line")


def _ancestors(scope: str) -> list[str]:
    """``scope`` and every scope above it, nearest first."""
    out = [scope]
    while _PARENT[out[-1]]:
        out.append(_PARENT[out[-1]])
    return out
_FIGURES = ("line_output", "line_floor_area", "lines_per_building", "line_capex",
            "line_commissioning_work")


# --------------------------------------------------------------------------- templates
@dataclass(frozen=True, slots=True)
class Step:
    """One process step: ``units_per_line`` tools of kind ``equipment``."""

    name: str
    equipment: str
    units_per_line: int
    install_factor: float


@dataclass(frozen=True, slots=True)
class ActivityKind:
    """One activity of the construction recipe, instantiated per instance of ``scope``."""

    id: str
    scope: str
    phase: str
    task: str
    basis: str
    share: float
    crew_min: int
    crew_max: int
    equipment: str
    after: tuple[str, ...]
    delivery: bool


@dataclass(frozen=True, slots=True)
class Template:
    """A product template with its figures (validated as assumptions: value, unit, source)."""

    product: str
    name: str
    unit: str
    figures: dict[str, Assumption]
    steps: tuple[Step, ...]
    joins_fleet: bool

    def si(self, key: str) -> float:
        return self.figures[key].si


@dataclass(frozen=True, slots=True)
class Recipe:
    """The shared construction recipe."""

    phases: tuple[str, ...]
    kinds: tuple[ActivityKind, ...]
    min_level: dict[str, int]
    equipment_per_building: dict[str, int]

    @property
    def tasks(self) -> tuple[str, ...]:
        return tuple(sorted({k.task for k in self.kinds}))


def _templates_dir() -> Any:
    return resources.files("terawatt.fleet") / "templates"


@lru_cache(maxsize=1)
def load_recipe() -> Recipe:
    data = tomllib.loads((_templates_dir() / "_construction.toml").read_text(encoding="utf-8"))
    kinds = []
    for a in data["activity"]:
        kinds.append(ActivityKind(
            id=a["id"], scope=a["scope"], phase=a["phase"], task=a["task"], basis=a["basis"],
            share=float(a["share"]), crew_min=int(a["crew"][0]), crew_max=int(a["crew"][1]),
            equipment=a.get("equipment", ""), after=tuple(a.get("after", ())),
            delivery=bool(a.get("delivery", False))))
    ids = {k.id for k in kinds}
    for k in kinds:
        assert k.scope in _PARENT and k.basis in _BASES and k.phase in data["phases"], k
        assert all(p in ids for p in k.after), k
        for p in k.after:  # linked scopes must be nested (siblings go through a milestone)
            ps = next(x.scope for x in kinds if x.id == p)
            assert ps in _ancestors(k.scope) or k.scope in _ancestors(ps), (p, k.id)
    return Recipe(tuple(data["phases"]), tuple(kinds), dict(data["min_level"]),
                  dict(data["equipment_per_building"]))


@lru_cache(maxsize=8)
def load_template(product: str) -> Template:
    """The packaged template of ``product`` (an id such as ``solar_module``)."""
    path = _templates_dir() / f"{product}.toml"
    if not path.is_file() or product.startswith("_"):
        from terawatt.fleet.goal import resolve_product
        product = resolve_product(product)
        path = _templates_dir() / f"{product}.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    figs = {f: Assumption(key=f"template.{product}.{f}", **data[f]) for f in _FIGURES}
    steps = tuple(Step(s["name"], s["equipment"], int(s["units_per_line"]),
                       float(s["install_factor"])) for s in data["step"])
    return Template(product, data["name"], data["unit"], figs, steps,
                    bool(data.get("joins_fleet", False)))


def templates_index() -> list[dict[str, Any]]:
    """Every packaged product template (id, name, unit, line output per day)."""
    out = []
    for entry in sorted(_templates_dir().iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".toml") and not entry.name.startswith("_"):
            t = load_template(entry.name[:-5])
            out.append({"product": t.product, "name": t.name, "unit": t.unit,
                        "line_output_per_day": t.figures["line_output"].value})
    return out


# --------------------------------------------------------------------------- project
@dataclass(frozen=True, slots=True, eq=False)
class Project:
    """The expanded project: one row per activity, plain arrays (index = activity).

    Attributes
    ----------
    kind : (n,) int16 -- index into ``kinds``
    building, bay, cell, unit : (n,) int32 -- -1 where not applicable (e.g. site scope);
        ``cell`` counts work cells inside the bay (0..cells_per_line-1)
    step : (n,) int16 -- process step of a tool activity, -1 otherwise
    work_rh : (n,) float64 [robot-hour] -- at the fleet's skill level for the task type
    task, phase : (n,) int8 -- index into ``tasks`` / ``phases``
    crew_min, crew_max : (n,) int32 [robot] -- crew range (zone-capped)
    equipment : (n,) int8 -- index into ``equipment_kinds``, -1 none
    zone : (n,) int32 -- 0 site yard, 1..B buildings, then bays, then cells
    delivery : (n,) bool -- needs a material delivery
    pred, succ : (m,) int64 -- precedence arcs
    equipment_capacity : (k,) int64 -- shared construction equipment counts
    zone_capacity : (z,) int64 [robot]
    n_lines, n_buildings, units_per_line : plant size
    """

    kind: np.ndarray
    building: np.ndarray
    bay: np.ndarray
    cell: np.ndarray
    unit: np.ndarray
    step: np.ndarray
    work_rh: np.ndarray
    task: np.ndarray
    phase: np.ndarray
    crew_min: np.ndarray
    crew_max: np.ndarray
    equipment: np.ndarray
    zone: np.ndarray
    delivery: np.ndarray
    pred: np.ndarray
    succ: np.ndarray
    equipment_capacity: np.ndarray
    zone_capacity: np.ndarray
    kinds: tuple[str, ...]
    tasks: tuple[str, ...]
    phases: tuple[str, ...]
    equipment_kinds: tuple[str, ...]
    step_names: tuple[str, ...]
    n_lines: int
    n_buildings: int
    units_per_line: int
    cells_per_line: int
    lines_per_building: int
    template: Template

    @property
    def n(self) -> int:
        return int(self.kind.shape[0])

    def label(self, i: int) -> str:
        """A readable name of activity ``i`` (e.g. ``B3/L12/laminator#2/connect_tool``)."""
        parts = []
        if self.building[i] >= 0:
            parts.append(f"B{int(self.building[i]) + 1}")
        if self.bay[i] >= 0:
            parts.append(f"L{int(self.bay[i]) + 1}")
        if self.cell[i] >= 0:
            parts.append(f"C{int(self.cell[i]) + 1}")
        if self.step[i] >= 0:
            parts.append(f"{self.step_names[self.step[i]]}#{int(self.unit[i]) + 1}")
        parts.append(self.kinds[self.kind[i]])
        return "/".join(parts) if len(parts) > 1 else f"site/{parts[0]}"

    def zone_name(self, z: int) -> str:
        return zone_name(z, self.n_buildings, self.n_lines, self.cells_per_line)


def zone_name(z: int, n_buildings: int, n_lines: int, cells_per_line: int) -> str:
    """Readable name of work zone ``z`` (site yard, building, bay or cell)."""
    if z == 0:
        return "site yard"
    if z <= n_buildings:
        return f"building B{z}"
    z -= n_buildings + 1
    if z < n_lines:
        return f"bay L{z + 1}"
    z -= n_lines
    return f"cell L{z // cells_per_line + 1}/C{z % cells_per_line + 1}"


def plant_size(goal: Goal, template: Template) -> tuple[int, int]:
    """(lines, buildings) needed for the goal's output rate."""
    per_line = template.figures["line_output"].value  # 1/day
    lines = max(1, math.ceil(goal.rate_per_day / per_line - 1e-9))
    lpb = max(1, int(template.figures["lines_per_building"].value))
    return lines, math.ceil(lines / lpb)


# Peak resident memory [byte] of planning (``plan_goal``, 30,000 robots, heuristic) and of then
# simulating (``simulate_plan``, default settings) against the activity count n: the least-
# squares line ``base + per_activity * n`` through peaks (getrusage maxrss) measured on
# chip-packaging goals of 99,764, 299,114 and 997,106 activities (2-core VM, 30 Nov 2026; fit
# within 1.5 %; a 280,500-activity humanoid plan peaked 14 % above its line). See docs/fleet.md,
# "Size limits".
PLAN_BASE_BYTES = 320_000_000
PLAN_BYTES_PER_ACTIVITY = 650
SIM_BASE_BYTES = 375_000_000
SIM_BYTES_PER_ACTIVITY = 2_100


@dataclass(frozen=True, slots=True)
class ProjectSize:
    """How big :func:`expand` would make a goal's project, counted without building it.

    Counts are Python integers (exact for any finite rate, however large): ``lines``,
    ``buildings``, ``cells_per_line``, ``units_per_line``, ``instances`` per scope,
    ``activities`` and precedence ``arcs``; ``plan_bytes`` and ``sim_bytes`` [byte] estimate the
    peak memory of planning and of simulating it.
    """

    lines: int
    buildings: int
    cells_per_line: int
    units_per_line: int
    instances: dict[str, int]
    activities: int
    arcs: int

    @property
    def plan_bytes(self) -> int:
        return PLAN_BASE_BYTES + PLAN_BYTES_PER_ACTIVITY * self.activities

    @property
    def sim_bytes(self) -> int:
        return SIM_BASE_BYTES + SIM_BYTES_PER_ACTIVITY * self.activities


def _instances(tpl: Template, lines: int, buildings: int, cells_per_line: int) -> dict[str, int]:
    """Instances of every scope (site, building, bay = line, cell, equipment = tool)."""
    upl = sum(s.units_per_line for s in tpl.steps)
    return {"site": 1, "building": buildings, "bay": lines, "cell": lines * cells_per_line,
            "equipment": lines * upl}


def _count(rec: Recipe, counts: dict[str, int]) -> tuple[int, int]:
    """(activities, arcs) of the recipe over ``counts`` instances per scope (as :func:`expand`
    builds them: a coarser predecessor gives one arc per successor instance, a finer one one
    arc per predecessor instance)."""
    scope = {k.id: k.scope for k in rec.kinds}
    n = sum(counts[k.scope] for k in rec.kinds)
    m = sum(counts[k.scope] if scope[p] in _ancestors(k.scope) else counts[scope[p]]
            for k in rec.kinds for p in k.after)
    return n, m


def cells_per_line(tpl: Template, reg: Registry) -> int:
    """Work cells (takt areas of ``fleet.construction.work_area``) per line bay."""
    return max(1, math.ceil(tpl.si("line_floor_area") / reg.si("fleet.construction.work_area")
                            - 1e-9))


def project_size(goal: Goal, reg: Registry) -> ProjectSize:
    """Count what :func:`expand` would build for ``goal`` (no arrays are made)."""
    tpl = load_template(goal.product)
    rec = load_recipe()
    lines, blds = plant_size(goal, tpl)
    cpl = cells_per_line(tpl, reg)
    counts = _instances(tpl, lines, blds, cpl)
    n, m = _count(rec, counts)
    return ProjectSize(lines, blds, cpl, counts["equipment"] // lines, counts, n, m)


def _approx(x: Decimal | int | float, digits: int = 2) -> str:
    """``x`` to ``digits`` significant figures for a message: with thousands separators below
    10^7, in scientific notation above (for any Python int, however large)."""
    d = Decimal(x)
    if d >= 10_000_000:
        return f"{d:.{digits - 1}e}".replace("E", "e")
    r = float(f"{float(d):.{digits}g}")
    return f"{r:,.0f}" if r >= 10 ** (digits - 1) else f"{r:.{digits}g}"


def _number(n: int) -> str:
    """A count for a message: exact below 10^7, else three significant figures."""
    return f"{n:,}" if n < 10_000_000 else _approx(n, 3)


def _gib(n_bytes: int) -> str:
    return _approx(Decimal(n_bytes) / 2**30) + " GiB"


def check_size(goal: Goal, reg: Registry, max_activities: int | None = None) -> ProjectSize:
    """The :class:`ProjectSize` of ``goal``; refused (:class:`UserError`) above
    ``max_activities``, naming the goal's rate, the activities and memory it would need and the
    largest rate allowed. ``max_activities`` defaults to ``fleet.limits.max_activities``."""
    if max_activities is None:
        max_activities = int(reg.si("fleet.limits.max_activities"))
    size = project_size(goal, reg)
    if size.activities <= max_activities:
        return size
    tpl = load_template(goal.product)
    rec = load_recipe()
    lpb = max(1, int(tpl.figures["lines_per_building"].value))

    def n_of(lines: int) -> int:
        return _count(rec, _instances(tpl, lines, -(-lines // lpb), size.cells_per_line))[0]

    lo, hi = 0, size.lines  # the most lines within the limit (n_of grows with the lines)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if n_of(mid) <= max_activities else (lo, mid - 1)
    per_line = tpl.figures["line_output"].value
    at_limit = ProjectSize(0, 0, 0, 0, {}, max_activities, 0)
    allowed = (f"a rate up to {_approx(lo * per_line, 3)} {goal.product} per day ({lo:,} lines "
               f"of {per_line:,.6g} per day)" if lo else f"no {goal.product} factory")
    raise UserError(
        f"{goal.source}: key 'rate_per_day': value {goal.rate_per_day:.6g} {goal.product} per "
        f"day needs {_number(size.lines)} line{'s' if size.lines > 1 else ''} and "
        f"{_number(size.activities)} activities "
        f"(~{_gib(size.plan_bytes)} to plan, ~{_gib(size.sim_bytes)} to simulate); allowed: at "
        f"most {max_activities:,} activities (~{_gib(at_limit.plan_bytes)} to plan, "
        f"~{_gib(at_limit.sim_bytes)} to simulate), i.e. {allowed}")


def skill_efficiency(reg: Registry, level: int) -> float:
    """Speed of a robot at skill ``level`` relative to an expert (level 3) [-]."""
    if level <= 0:
        return 0.0
    if level >= 3:
        return 1.0
    return reg.si(f"fleet.skill.level{level}_efficiency")


def expand(goal: Goal, reg: Registry, max_activities: int | None = None) -> Project:
    """Expand ``goal`` into a :class:`Project` (see module docstring).

    The project is counted first (:func:`check_size`) and refused above ``max_activities``
    before any array is made."""
    tpl = load_template(goal.product)
    rec = load_recipe()
    size = check_size(goal, reg, max_activities)
    n_lines, n_bld = size.lines, size.buildings
    lpb = max(1, int(tpl.figures["lines_per_building"].value))
    units = np.concatenate([np.full(s.units_per_line, k, np.int16)
                            for k, s in enumerate(tpl.steps)])  # step of each tool in a line
    upl = int(units.shape[0])
    install = np.array([s.install_factor for s in tpl.steps])[units]
    unit_in_step = np.concatenate([np.arange(s.units_per_line) for s in tpl.steps])

    # plant geometry [m2] and counts per scope instance
    line_area = tpl.si("line_floor_area")
    lines_in_bld = np.bincount(np.arange(n_lines) // lpb, minlength=n_bld)
    bld_area = lines_in_bld * line_area
    site_area = reg.si("fleet.construction.site_area_factor") * bld_area.sum()
    ws = reg.si("fleet.crew.workspace_per_robot")
    cpl = size.cells_per_line
    cell_area = line_area / cpl
    counts = size.instances
    # labour s -> robot h
    to_rh = 1.0 / reg.si("fleet.robot.human_hours_per_robot_hour") / SECONDS_PER_HOUR
    labour_m2 = reg.si("fleet.construction.labour_per_floor_area")
    site_m2 = reg.si("fleet.construction.site_prep_per_site_area")
    tool = reg.si("fleet.construction.equipment_install_per_unit")
    line_work = tpl.si("line_commissioning_work")

    def basis_amount(kind: ActivityKind) -> np.ndarray:  # labour seconds per instance
        if kind.basis == "site":  # the whole site, or each building's plot of it
            plot: np.ndarray = {"site": np.array([site_area]),
                                "building": site_area * bld_area / bld_area.sum()}[kind.scope]
            return plot * site_m2
        if kind.basis == "floor":
            area = {"building": bld_area, "bay": np.full(n_lines, line_area),
                    "cell": np.full(n_lines * cpl, cell_area),
                    "site": np.array([bld_area.sum()]),
                    "equipment": np.full(n_lines * upl, line_area / upl)}[kind.scope]
            return area * labour_m2
        if kind.basis == "equipment":
            return np.tile(install, n_lines) * tool
        # "line": per line, summed over the lines inside a building / site
        per = {"bay": np.ones(n_lines), "building": lines_in_bld.astype(float),
               "site": np.array([float(n_lines)]), "cell": np.full(n_lines * cpl, 1.0 / cpl),
               "equipment": np.full(n_lines * upl, 1.0 / upl)}[kind.scope]
        return per * line_work

    def zone_of(scope: str) -> np.ndarray:
        if scope == "site":
            return np.zeros(1, np.int32)
        if scope == "building":
            return np.arange(1, n_bld + 1, dtype=np.int32)
        if scope == "bay":
            return (1 + n_bld + np.arange(n_lines)).astype(np.int32)
        if scope == "cell":
            return (1 + n_bld + n_lines + np.arange(n_lines * cpl)).astype(np.int32)
        return (1 + n_bld + np.repeat(np.arange(n_lines), upl)).astype(np.int32)

    zone_cap = np.concatenate([[site_area], bld_area, np.full(n_lines, line_area),
                               np.full(n_lines * cpl, cell_area)]) / ws
    zone_cap = np.maximum(1, np.floor(zone_cap)).astype(np.int64)

    # equipment pool
    eq_kinds = tuple(sorted({k.equipment for k in rec.kinds if k.equipment}))
    for kind in goal.equipment:
        if kind not in eq_kinds:
            raise UserError(f"{goal.source}: key 'equipment.{kind}': unknown equipment; "
                            f"allowed: {', '.join(eq_kinds)}")
    eq_cap = np.array([goal.equipment.get(e, max(1, rec.equipment_per_building[e] * n_bld))
                       for e in eq_kinds], np.int64)

    tasks = rec.tasks  # the goal's skills name only these (checked by Fleet)
    eff = {}
    for t in tasks:
        lvl = goal.fleet.level(t)
        need = rec.min_level.get(t, 1)
        if lvl < need:
            key = t if t in goal.fleet.skills else "default"
            raise UserError(f"{goal.source}: key 'fleet.skills.{key}': value {lvl}; allowed: "
                            f">= {need} (the {tpl.product} template has '{t}' work)")
        m = goal.fleet.time_multiplier.get(t)  # measured by the training centre
        eff[t] = skill_efficiency(reg, lvl) if m is None else 1.0 / m

    kid = {k.id: i for i, k in enumerate(rec.kinds)}
    offsets = np.zeros(len(rec.kinds) + 1, np.int64)
    offsets[1:] = np.cumsum([counts[k.scope] for k in rec.kinds])

    # ancestors of scope instances
    parent_index = {"building": np.zeros(n_bld, np.int64),
                    "bay": np.arange(n_lines) // lpb,
                    "cell": np.repeat(np.arange(n_lines), cpl),
                    "equipment": np.repeat(np.arange(n_lines), upl)}

    def ancestor(scope: str, target: str) -> np.ndarray:
        """Index of the ``target``-scope ancestor of every ``scope`` instance."""
        idx = np.arange(counts[scope])
        while scope != target:
            idx = parent_index[scope][idx]
            scope = _PARENT[scope]
        return idx

    arrays: dict[str, list[np.ndarray]] = {k: [] for k in (
        "kind", "building", "bay", "cell", "unit", "step", "work", "task", "phase", "cmin", "cmax",
        "eq", "zone", "delivery")}
    src_l, dst_l = [], []
    for i, k in enumerate(rec.kinds):
        c = counts[k.scope]
        zone = zone_of(k.scope)
        cap = zone_cap[zone]
        arrays["kind"].append(np.full(c, i, np.int16))
        arrays["building"].append(
            np.full(c, -1, np.int32) if k.scope == "site" else ancestor(k.scope, "building")
            .astype(np.int32))
        arrays["bay"].append(ancestor(k.scope, "bay").astype(np.int32)
                             if "bay" in _ancestors(k.scope) else np.full(c, -1, np.int32))
        arrays["cell"].append((np.arange(c) % cpl).astype(np.int32) if k.scope == "cell"
                              else np.full(c, -1, np.int32))
        arrays["unit"].append(np.tile(unit_in_step, n_lines).astype(np.int32)
                              if k.scope == "equipment" else np.full(c, -1, np.int32))
        arrays["step"].append(np.tile(units, n_lines) if k.scope == "equipment"
                              else np.full(c, -1, np.int16))
        arrays["work"].append(basis_amount(k) * k.share * to_rh / eff[k.task])
        arrays["task"].append(np.full(c, tasks.index(k.task), np.int8))
        arrays["phase"].append(np.full(c, rec.phases.index(k.phase), np.int8))
        cmax = np.minimum(k.crew_max, cap)
        arrays["cmin"].append(np.minimum(k.crew_min, cmax).astype(np.int32))
        arrays["cmax"].append(cmax.astype(np.int32))
        arrays["eq"].append(np.full(c, eq_kinds.index(k.equipment) if k.equipment else -1,
                                    np.int8))
        arrays["zone"].append(zone)
        arrays["delivery"].append(np.full(c, k.delivery))
        for p in k.after:
            pk = rec.kinds[kid[p]]
            if pk.scope in _ancestors(k.scope):
                s = offsets[kid[p]] + ancestor(k.scope, pk.scope)
                d = offsets[i] + np.arange(c)
            else:
                s = offsets[kid[p]] + np.arange(counts[pk.scope])
                d = offsets[i] + ancestor(pk.scope, k.scope)
            src_l.append(s)
            dst_l.append(d)

    cat = {k: np.concatenate(v) for k, v in arrays.items()}
    pred, succ = np.concatenate(src_l).astype(np.int64), np.concatenate(dst_l).astype(np.int64)
    assert (cat["kind"].shape[0], pred.shape[0]) == (size.activities, size.arcs), \
        "project_size is out of step with expand"
    return Project(
        kind=cat["kind"], building=cat["building"], bay=cat["bay"], cell=cat["cell"],
        unit=cat["unit"],
        step=cat["step"], work_rh=cat["work"], task=cat["task"], phase=cat["phase"],
        crew_min=cat["cmin"], crew_max=cat["cmax"], equipment=cat["eq"], zone=cat["zone"],
        delivery=cat["delivery"],
        pred=pred, succ=succ,
        equipment_capacity=eq_cap, zone_capacity=zone_cap,
        kinds=tuple(k.id for k in rec.kinds), tasks=tasks, phases=rec.phases,
        equipment_kinds=eq_kinds, step_names=tuple(s.equipment for s in tpl.steps),
        n_lines=n_lines, n_buildings=n_bld, units_per_line=upl, cells_per_line=cpl,
        lines_per_building=lpb,
        template=tpl,
    )
