"""Training centre: robots practise the construction task types and get faster (Wright's law).

Model (assumptions ``training.*``, ``assumptions/data/training.toml``):

* **Learning curve.** Task type ``j`` with fleet-wide cumulative practice ``P_j`` [robot-hour]
  takes ``m_j = max(m_floor, m0_j * (P_j / P0) ** log2(LR))`` of an expert's (level 3) time,
  where ``LR = training.learning_rate`` (Wright 1936: 80 % per doubling), ``P0 =
  training.initial_practice`` the practice embodied in the starting skill, ``m0_j = 1 /
  fleet.skill.level<L>_efficiency`` at the target goal's level ``L`` of the task type (1 at level
  3; level 0 starts as level 1) and ``m_floor = training.min_time_multiplier``. The failure rate
  falls the same way: ``f_j = f0 * (P_j / P0) ** log2(training.failure_learning_rate)``.
* **Transfer.** Practising ``i`` for ``h`` robot-hours adds ``T[i, j] * h`` to ``P_j``:
  ``T = I + s * R`` with ``R[i, j] = 1`` when ``i != j`` occur in the same phase of the
  construction recipe and ``s = training.transfer_share`` (Irwin & Klenow 1994 by analogy) [U].
* **Allocation (greedy).** Each day's ``robots * training.practice_hours_per_day`` robot-hours
  go out in ``training.chunks_per_day`` equal chunks; each chunk goes to the task type whose
  practice most reduces the target's work content ``W = sum_j w_j m_j`` (``w_j`` the target
  goal's expanded expert work per task type [robot-hour]) -- a proxy of the planned build time,
  not a re-plan per day. Without a target all task types weigh ``w_j = 1``.
* **Skill level** of the result: the highest level ``L`` with ``m_j <= 1 / eff(L)`` (3 when
  ``m_j <= 1``); the skills file carries the level and the measured ``m_j``.

Skills file (TOML, read by ``terawatt fleet plan --skills FILE``)::

    [skills.steel]
    level = 3
    time_multiplier = 0.74

References
----------
T. P. Wright, "Factors affecting the cost of airplanes", J. Aeronautical Sciences 3(4) 122-128,
1936, doi:10.2514/8.155. D. A. Irwin, P. J. Klenow, "Learning-by-doing spillovers in the
semiconductor industry", J. Political Economy 102(6) 1200-1227, 1994, doi:10.1086/261968.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from terawatt.assumptions import Registry
from terawatt.errors import UserError
from terawatt.fleet.expand import Recipe, expand, load_recipe, skill_efficiency
from terawatt.fleet.goal import SKILL_LEVELS, Goal

MAX_TRAIN_ROBOTS = 1_000_000  # as fleet.goal.MAX_ROBOTS: per-fleet arrays stay small
MAX_TRAIN_DAYS = 3650


# --------------------------------------------------------------------------- learning curve
def wright_multiplier(practice_h: np.ndarray | float, initial_h: float,
                      learning_rate: float) -> np.ndarray:
    """Wright's law: time multiplier ``(practice / initial) ** log2(learning_rate)`` [-].

    Parameters
    ----------
    practice_h : cumulative practice [robot-hour], > 0
    initial_h : cumulative practice of the starting point (multiplier 1) [robot-hour], > 0
    learning_rate : progress ratio per doubling, in (0, 1) [-]

    References
    ----------
    Wright 1936, doi:10.2514/8.155 (80 % per doubling for airframe labour).
    """
    if not 0.0 < learning_rate < 1.0:
        raise UserError(f"training.learning_rate: value {learning_rate!r}; allowed: a number in "
                        "(0, 1)")
    return (np.asarray(practice_h, float) / initial_h) ** math.log2(learning_rate)


def transfer_matrix(recipe: Recipe, share: float) -> np.ndarray:
    """``T[i, j]``: practice on task type ``i`` that counts for ``j`` [-] (1 on the diagonal,
    ``share`` for task types sharing a recipe phase, 0 otherwise), over ``recipe.tasks``."""
    tasks = recipe.tasks
    phases: dict[str, set[str]] = {t: set() for t in tasks}
    for k in recipe.kinds:
        phases[k.task].add(k.phase)
    t = np.eye(len(tasks))
    for i, a in enumerate(tasks):
        for j, b in enumerate(tasks):
            if i != j and phases[a] & phases[b]:
                t[i, j] = share
    return t


def level_of(multiplier: float, reg: Registry) -> int:
    """The highest skill level whose expert-relative time ``1 / eff(level)`` the measured
    ``multiplier`` reaches (0 when it is slower than a novice)."""
    for lvl in (3, 2, 1):
        if multiplier <= 1.0 / skill_efficiency(reg, lvl) * (1 + 1e-12):
            return lvl
    return 0


# --------------------------------------------------------------------------- skills files
@dataclass(frozen=True, slots=True)
class Skills:
    """Per task type a skill level 0-3 and (optionally) a measured time multiplier [-]."""

    levels: Mapping[str, int]
    time_multiplier: Mapping[str, float]
    source: str = "skills"


def load_skills(path: Path | str) -> Skills:
    """Read a skills file; unknown task types, keys or levels outside 0-3 are refused."""
    from terawatt.assumptions.loader import read_toml

    where = str(path)
    data = read_toml(Path(path))
    tasks = load_recipe().tasks
    if set(data) - {"skills"} or not isinstance(data.get("skills"), Mapping):
        raise UserError(f"{where}: expected one table 'skills' (keys: task types); found: "
                        f"{', '.join(sorted(data)) or 'nothing'}")
    levels: dict[str, int] = {}
    mult: dict[str, float] = {}
    for task, entry in data["skills"].items():
        if task not in tasks:
            raise UserError(f"{where}: key 'skills.{task}': unknown task type; allowed: "
                            f"{', '.join(tasks)}")
        if not isinstance(entry, Mapping) or set(entry) - {"level", "time_multiplier"} \
                or "level" not in entry:
            raise UserError(f"{where}: key 'skills.{task}': value {entry!r}; allowed: a table "
                            "with 'level' (0-3) and optional 'time_multiplier' (> 0)")
        lvl = entry["level"]
        if isinstance(lvl, bool) or not isinstance(lvl, int) or lvl not in SKILL_LEVELS:
            raise UserError(f"{where}: key 'skills.{task}.level': value {lvl!r}; allowed: a "
                            "whole-number skill level 0, 1, 2 or 3")
        levels[task] = lvl
        if "time_multiplier" in entry:
            m = entry["time_multiplier"]
            if isinstance(m, bool) or not isinstance(m, int | float) or not (
                    math.isfinite(m) and m > 0):
                raise UserError(f"{where}: key 'skills.{task}.time_multiplier': value {m!r}; "
                                "allowed: a finite number > 0")
            mult[task] = float(m)
    return Skills(levels, mult, where)


def skills_toml(skills: Skills, header: str = "") -> str:
    """The skills file text of ``skills`` (read back by :func:`load_skills`)."""
    lines = [f"# {line}" for line in header.splitlines()]
    for task in sorted(skills.levels):
        lines += ["", f"[skills.{task}]", f"level = {int(skills.levels[task])}"]
        if task in skills.time_multiplier:
            lines.append(f"time_multiplier = {float(skills.time_multiplier[task])!r}")
    return "\n".join(lines).lstrip("\n") + "\n"


def apply_skills(goal: Goal, skills: Skills) -> Goal:
    """``goal`` with the file's levels overriding the goal's (and its measured multipliers)."""
    fleet = goal.fleet
    merged = {**fleet.skills, **skills.levels}
    mult = {**fleet.time_multiplier, **skills.time_multiplier}
    fleet = dataclasses.replace(fleet, skills=merged, time_multiplier=mult)
    return dataclasses.replace(goal, fleet=fleet)


# --------------------------------------------------------------------------- training
@dataclass(frozen=True, slots=True, eq=False)
class Training:
    """Result of :func:`train`: daily curves per task type (rows: day 0..days).

    ``practice_h`` (days+1, k) cumulative effective practice [robot-hour] (incl. ``P0``),
    ``multiplier`` and ``failure_rate`` (days+1, k) [-], ``allocated_h`` (days, k) practice
    hours given to each task type per day [robot-hour], ``weight_h`` (k,) expert work content
    of the target per task type [robot-hour] (ones without a target).
    """

    tasks: tuple[str, ...]
    robots: int
    days: int
    practice_h: np.ndarray
    multiplier: np.ndarray
    failure_rate: np.ndarray
    allocated_h: np.ndarray
    weight_h: np.ndarray
    start_multiplier: np.ndarray
    skills: Skills

    def work_content_h(self, day: int) -> float:
        """Target work content ``sum_j w_j m_j`` after ``day`` days [robot-hour]."""
        return float(self.weight_h @ self.multiplier[day])


def _check_counts(robots: int, days: int) -> None:
    if isinstance(robots, bool) or not isinstance(robots, int) or \
            not 1 <= robots <= MAX_TRAIN_ROBOTS:
        raise UserError(f"--robots: value {robots!r}; allowed: a whole number "
                        f"1..{MAX_TRAIN_ROBOTS:,}")
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_TRAIN_DAYS:
        raise UserError(f"--days: value {days!r}; allowed: a whole number 0..{MAX_TRAIN_DAYS:,}")


def expert_work_by_task(goal: Goal, reg: Registry) -> np.ndarray:
    """The goal's expanded work content per task type at expert speed [robot-hour]."""
    project = expand(goal, reg)
    rec = load_recipe()
    per = np.bincount(project.task, weights=project.work_rh, minlength=len(rec.tasks))
    work: np.ndarray = per / np.array([_start_multiplier(goal, reg, t) for t in rec.tasks])
    return work


def _start_multiplier(goal: Goal | None, reg: Registry, task: str) -> float:
    if goal is None:
        return 1.0
    m = goal.fleet.time_multiplier.get(task)
    if m is not None:
        return float(m)
    return 1.0 / skill_efficiency(reg, max(1, goal.fleet.level(task)))


def train(reg: Registry, robots: int, days: int, target: Goal | None = None) -> Training:
    """Simulate ``robots`` robots practising for ``days`` days (see module docstring)."""
    _check_counts(robots, days)
    rec = load_recipe()
    tasks = rec.tasks
    k = len(tasks)
    lr = reg.si("training.learning_rate")
    lr_f = reg.si("training.failure_learning_rate")
    for key, v in (("training.learning_rate", lr), ("training.failure_learning_rate", lr_f)):
        if not 0.0 < v < 1.0:
            raise UserError(f"{key}: value {v!r}; allowed: a number in (0, 1)")
    p0 = reg.value("training.initial_practice", "h")
    f0 = reg.si("training.initial_failure_rate")
    floor = reg.si("training.min_time_multiplier")
    hours = reg.value("training.practice_hours_per_day", "h")
    chunks = max(1, int(reg.si("training.chunks_per_day")))
    tm = transfer_matrix(rec, reg.si("training.transfer_share"))
    m0 = np.array([_start_multiplier(target, reg, t) for t in tasks])
    w = expert_work_by_task(target, reg) if target is not None else np.ones(k)

    def mult(p: np.ndarray) -> np.ndarray:
        m: np.ndarray = np.maximum(floor, m0 * wright_multiplier(p, p0, lr))
        return m

    chunk_h = robots * hours / chunks
    p = np.full(k, p0)
    practice = [p.copy()]
    alloc = np.zeros((days, k))
    for d in range(days):
        for _ in range(chunks):
            cur = w * mult(p)
            after = w * mult(p[None, :] + tm * chunk_h)  # row i: practise type i
            gain = (cur[None, :] - after).sum(axis=1)
            i = int(np.argmax(gain))
            p = p + tm[i] * chunk_h
            alloc[d, i] += chunk_h
        practice.append(p.copy())
    practice_h = np.array(practice)
    multiplier = np.maximum(floor, m0 * wright_multiplier(practice_h, p0, lr))
    failure = f0 * wright_multiplier(practice_h, p0, lr_f)
    final = multiplier[-1]
    levels = {t: max(level_of(float(final[j]), reg),
                     target.fleet.level(t) if target is not None else 0)
              for j, t in enumerate(tasks)}
    skills = Skills(levels, {t: float(final[j]) for j, t in enumerate(tasks)}, "training")
    return Training(tasks, robots, days, practice_h, multiplier, failure, alloc, w, m0, skills)


# --------------------------------------------------------------------------- service
def train_service(reg: Registry, robots: int | None = None, days: int | None = None,
                  target: str | None = None, out: Any = "runs", solver: str = "heuristic",
                  time_limit_s: float = 5.0, seed: int = 0) -> dict[str, Any]:
    """Service of ``terawatt train``: train, write ``skills.toml`` and ``summary.json`` to a run
    folder and, with a target goal, plan it with and without the trained skills."""
    from terawatt.fleet.goal import load_goal
    from terawatt.fleet.plan import make_plan
    from terawatt.io.runfolder import run_folder, write_json

    n = int(reg.si("training.robots")) if robots is None else robots
    d = int(reg.si("training.days")) if days is None else days
    _check_counts(n, d)
    goal = load_goal(target) if target is not None else None
    if goal is not None and goal.fleet.count is None:
        raise UserError(f"--target: value {target!r}; allowed: a goal with a robot count "
                        "(e.g. '... with 60 robots ...')")
    tr = train(reg, n, d, goal)
    summary: dict[str, Any] = {
        "robots": n, "days": d, "target": goal.describe() if goal is not None else None,
        "learning_rate": reg.si("training.learning_rate"),
        "transfer_share": reg.si("training.transfer_share"),
        "tasks": {t: {"level": tr.skills.levels[t],
                      "time_multiplier_start": float(tr.start_multiplier[j]),
                      "time_multiplier": float(tr.multiplier[-1, j]),
                      "failure_rate": float(tr.failure_rate[-1, j]),
                      "practice_h": float(tr.practice_h[-1, j]),
                      "allocated_h": float(tr.allocated_h[:, j].sum()),
                      "target_expert_work_h": float(tr.weight_h[j]) if goal else None}
                  for j, t in enumerate(tr.tasks)},
        "curves": {"day": list(range(d + 1)),
                   **{t: {"time_multiplier": tr.multiplier[:, j].tolist(),
                          "failure_rate": tr.failure_rate[:, j].tolist(),
                          "practice_h": tr.practice_h[:, j].tolist()}
                      for j, t in enumerate(tr.tasks)}},
        "scenario": reg.scenario,
    }
    if goal is not None:
        before = make_plan(goal, reg, solver=solver, time_limit_s=time_limit_s, seed=seed,
                           check_deadline=False).summary
        after = make_plan(apply_skills(goal, tr.skills), reg, solver=solver,
                          time_limit_s=time_limit_s, seed=seed, check_deadline=False).summary
        summary["completion"] = {
            "without_training": before["completion"], "with_training": after["completion"],
            "makespan_h_without": before["makespan_h"], "makespan_h_with": after["makespan_h"],
            "work_robot_h_without": before["work_robot_h"],
            "work_robot_h_with": after["work_robot_h"],
            "days_saved": (before["makespan_h"] - after["makespan_h"]) / 24.0,
            "solver": solver}
    header = (f"terawatt train: {n:,} robots, {d} days"
              + (f", target: {goal.describe()}" if goal else "")
              + "\nlevel 0-3 per task type; time_multiplier = measured time / expert time")
    with run_folder(out, "train") as rf:
        summary["run_folder"] = str(rf.final)
        (rf.path / "skills.toml").write_text(skills_toml(tr.skills, header), encoding="utf-8")
        write_json(rf.path / "summary.json", summary)
    summary["skills_file"] = str(rf.final / "skills.toml")
    return summary
