"""The robot-fleet orchestrator: goal -> construction task network -> schedule by the
scheduling engine (:mod:`terawatt.scheduling`) -> named robots -> discrete-event execution with
breakdowns, charging and re-planning -> production; explanations of the result.

See docs/fleet.md.
"""

from terawatt.fleet.assign import Assignment, assign_robots
from terawatt.fleet.expand import Project, Template, expand, load_template, templates_index
from terawatt.fleet.explain import critical_path, explain, explain_plan, utilisation, why_started
from terawatt.fleet.goal import Fleet, Goal, load_goal, parse_line, parse_robots
from terawatt.fleet.plan import (
    Plan,
    PlanData,
    load_plan,
    make_plan,
    plan_data,
    plan_goal,
    robots_auto,
    save_plan,
)
from terawatt.fleet.simulate import SimConfig, SimResult, simulate, simulate_plan

__all__ = [
    "Assignment",
    "Fleet",
    "Goal",
    "Plan",
    "PlanData",
    "Project",
    "SimConfig",
    "SimResult",
    "Template",
    "assign_robots",
    "critical_path",
    "expand",
    "explain",
    "explain_plan",
    "load_goal",
    "load_plan",
    "load_template",
    "make_plan",
    "parse_line",
    "parse_robots",
    "plan_data",
    "plan_goal",
    "robots_auto",
    "save_plan",
    "simulate",
    "simulate_plan",
    "templates_index",
    "utilisation",
    "why_started",
]
