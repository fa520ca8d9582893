"""Audit quantities of the fleet orchestrator (C22-C24).

C23 runs the whole orchestration of :mod:`terawatt.fleet` on a small goal: goal text ->
construction task network -> schedule (the engine's heuristic, one pool) -> named robots ->
discrete-event simulation with breakdowns, late deliveries and re-planning -> the factory's
first product. The model value is the number of days from the goal to that product. The run
takes well under a second and is cached per set of fleet and scheduling assumptions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from terawatt.assumptions import Registry
from terawatt.audit.context import (
    INTERVIEW_DATE,
    INTERVIEW_YEAR,
    MODELS,
    AuditContext,
    Measurement,
    quantity,
)
from terawatt.constants import SECONDS_PER_DAY, SECONDS_PER_HOUR, SECONDS_PER_YEAR
from terawatt.fleet import (
    SimConfig,
    critical_path,
    make_plan,
    parse_line,
    plan_data,
    simulate,
)
from terawatt.fleet.simulate import precedence_violations
from terawatt.fleet.training import train
from terawatt.robots.replication import PLAN_START, factory_goal, replication_from

#: C23's test goal: the claim names no product, rate or fleet, so the audit asks for the
#: smallest factory the templates hold (one line of compute satellites) and a fleet that
#: staffs its largest crew several times over; planned from the interview date.
C23_GOAL = "build a factory making 2 compute satellites per day with 150 robots"
#: seed of the simulation's random breakdowns and late deliveries
C23_SEED = 0


@dataclass(frozen=True)
class FleetRun:
    """One goal planned and simulated: the plan, the simulation and the figures shown."""

    goal_text: str
    plan: Any
    data: Any
    sim: Any
    first_product_day: float | None
    violations: int


_RUNS: dict[tuple[Any, ...], FleetRun] = {}


def _fingerprint(reg: Registry) -> tuple[Any, ...]:
    return tuple((k, reg.get(k).value, reg.get(k).unit) for k in MODELS["fleet"](reg))


def fleet_run(reg: Registry) -> FleetRun:
    """The C23 goal planned and simulated on ``reg`` (cached per fleet/scheduling values)."""
    key = _fingerprint(reg)
    if key not in _RUNS:
        goal = parse_line(C23_GOAL, today=INTERVIEW_DATE)
        assert goal.fleet.count is not None
        plan = make_plan(goal, reg, goal.fleet.count, solver="heuristic", guard=False)
        data = plan_data(plan)
        res = simulate(data, SimConfig.from_registry(reg, seed=C23_SEED))
        prod = res.production
        made = prod[prod["output"] > 0]
        first = float(made["day"].iloc[0]) if len(made) else None
        if len(_RUNS) >= 8:
            _RUNS.pop(next(iter(_RUNS)))
        _RUNS[key] = FleetRun(C23_GOAL, plan, data, res, first,
                              precedence_violations(data, res.start_s, res.finish_s))
    return _RUNS[key]


@quantity(
    "factory_goal_to_first_product_days",
    keys=("fleet.construction.labour_per_floor_area", "fleet.crew.exponent"),
    models=("fleet",),
)
def orchestrator(ctx: AuditContext) -> Measurement:
    """C23: days from a factory goal to the factory's first product, through the fleet
    orchestrator's plan and simulation [day]."""
    run = fleet_run(ctx.reg)
    s, sim = run.plan.summary, run.sim.summary
    unit = s["unit"]
    done = sim["done"] == sim["activities"] and bool(sim["executed_once"])
    achieved = done and run.violations == 0 and run.first_product_day is not None
    phases = ", ".join(run.plan.project.phases)
    if run.first_product_day is None:
        last = float(run.sim.production["day"].iloc[-1]) if len(run.sim.production) else 0.0
        value, made = last, f"no {unit} within the {last:.0f} simulated days"
    else:
        value = run.first_product_day
        made = (f"the first {unit} on day {value:.0f}; {sim['produced']:,.1f} {unit}s by the end "
                "of the production horizon")
    return Measurement(
        value,
        f"Goal '{run.goal_text}' -> {s['activities']:,} tasks in phases {phases} -> "
        f"{s['solver']} schedule of {s['makespan_days']:.0f} days for {s['robots']:,} named "
        f"robots -> simulation with {sim['breakdowns']:,} breakdowns, "
        f"{sim['late_deliveries']:,} late deliveries and {sim['replans']:,} re-plans: "
        f"{sim['done']:,} of {sim['activities']:,} tasks done once each, "
        f"{run.violations} precedence violations, construction finished after "
        f"{sim['simulated_makespan_h'] / 24:.0f} days, {made}.",
        details={"achieved": achieved, "planned_days": s["makespan_days"],
                 "construction_days": sim["simulated_makespan_h"] / 24,
                 "produced": sim["produced"]},
    )


@quantity("explain_tool_available", models=("fleet",))
def explain_tool(ctx: AuditContext) -> Measurement:
    """C24: not checkable; the fleet's own explanation of the C23 plan is shown."""
    run = fleet_run(ctx.reg)
    chain = critical_path(run.data, run.sim.start_s / SECONDS_PER_HOUR,
                          run.sim.finish_s / SECONDS_PER_HOUR)
    links = Counter(str(c["linked_by"]) for c in chain)
    return Measurement(
        None,
        f"The model's analogue for its own plans: `terawatt fleet explain` traces the C23 "
        f"simulation's critical path back through {len(chain)} tasks ("
        + ", ".join(f"{n} linked by {k}" for k, n in links.most_common()) + ").",
        not_checkable="the claim is about tools for AI-model interpretability research; the "
        "project models no AI training or debugging, so there is nothing to measure.",
    )


@quantity("training_centre_robots", models=("stack", "fleet"))
def training_centre(ctx: AuditContext) -> Measurement:
    """C22: humanoid robots in service worldwide at the end of the interview's year, from the
    stack run -- the stock a training centre of the claimed size is drawn from [robot]
    (a necessary condition; the stack has no company-level accounting). The training model
    (:func:`terawatt.fleet.training.train`) shows what the centre buys: the cut in the
    reference robot factory's work content after ``training.days`` of practice."""
    year = int(INTERVIEW_YEAR)
    stock = float(np.asarray(ctx.annual("robots", year)))
    built = float(np.asarray(ctx.annual("robots_built", year)))
    reg = ctx.reg
    robots = int(round(reg.si("training.robots")))
    days = int(round(reg.si("training.days")))
    goal = parse_line(factory_goal(reg), today=PLAN_START)
    tr = train(reg, robots, days, goal)
    before, after = tr.work_content_h(0), tr.work_content_h(days)
    plain, skilled = replication_from(reg, trained=False), replication_from(reg, trained=True)
    return Measurement(
        stock,
        f"Stack run, end {year}: {stock:,.0f} humanoid robots in service worldwide "
        f"({built:,.0f} built that year), the stock a training centre draws on. Training "
        f"model: {robots:,} robots practising {days} days (learning rate "
        f"{reg.si('training.learning_rate'):.0%} per doubling, with transfer) cut the work "
        f"content of the reference robot factory ('{goal.describe()}') from "
        f"{before:,.0f} to {after:,.0f} robot-hours ({1 - after / before:.0%} less); planned "
        f"with the skills reached, it is built in "
        f"{skilled.factory.build_time_s / SECONDS_PER_DAY:,.0f} days instead of "
        f"{plain.factory.build_time_s / SECONDS_PER_DAY:,.0f}, and robots building robots "
        f"would double every {skilled.doubling_time_s / SECONDS_PER_YEAR:.3g} yr instead of "
        f"{plain.doubling_time_s / SECONDS_PER_YEAR:.3g} yr where factories bind.",
        details={"robots_in_service": stock, "work_content_cut": 1 - after / before,
                 "build_time_days": plain.factory.build_time_s / SECONDS_PER_DAY,
                 "trained_build_time_days": skilled.factory.build_time_s / SECONDS_PER_DAY},
    )
