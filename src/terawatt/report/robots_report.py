"""The robot economy as one document and as report sections (presentation only).

:func:`robot_economy` gathers, for a registry and its stack result, what the robot-economy
layer computes: the reference robot factory planned by the fleet planner and the doubling time
that plan implies (:mod:`terawatt.robots.replication`), robots by year from the stack model,
the usefulness index and its three factors (:mod:`terawatt.robots.usefulness`), the lunar
option for arrays and radiators (:func:`terawatt.physics.lunar.lunar_comparison`) and, when
the stack result has it, distributed power for robot factories. The document is JSON-able and
finite: a value that is not finite (a population that does not grow has no doubling time) is
``null`` with a ``*_note`` saying why, so ``summary.json`` is strict JSON.

:func:`robot_sections` turns the document into report sections; ``terawatt robots`` writes
them as its own report (:func:`write_report`) and ``terawatt run`` appends them to the stack
report (:func:`terawatt.report.stack_report.sections`): one builder, two callers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from terawatt.assumptions import Registry
from terawatt.constants import SECONDS_PER_YEAR
from terawatt.physics.lunar import lunar_comparison
from terawatt.report.html import Section, table_html, write
from terawatt.robots.replication import (
    NEVER_DOUBLES_NOTE,
    NO_GROWTH_NOTE,
    factory_goal,
    finite_or_note,
    replication_from,
    robot_years,
    stack_doubling_if_factories_bind,
)
from terawatt.robots.usefulness import FACTORS, UsefulnessParams, usefulness
from terawatt.stack.result import StackResult

#: title of the first robot section (``terawatt run`` and ``terawatt robots`` reports)
ROBOT_SECTION_TITLE = "Robot economy: robots building robots"
#: stack series of firm distributed (solar + storage) power for robot factories [W], when the
#: stack model records it
DISTRIBUTED_FACTORY_SERIES = "power_distributed_factory_w"


_AXIS = {"gridcolor": "#e5e5e5", "zerolinecolor": "#ccc"}
_LAYOUT: dict[str, Any] = {"height": 420, "margin": {"l": 60, "r": 20, "t": 50, "b": 40},
                           "plot_bgcolor": "white", "xaxis": _AXIS, "yaxis": _AXIS}
_PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]


def _num(x: Any) -> float | None:
    """A finite float, or None (JSON has no NaN or Infinity)."""
    v = float(x)
    return v if math.isfinite(v) else None


# ------------------------------------------------------------------------------------------
# the document
# ------------------------------------------------------------------------------------------
def _factory(reg: Registry, res: StackResult) -> dict[str, Any]:
    rep = replication_from(reg)
    f = rep.factory
    out: dict[str, Any] = {
        "goal": factory_goal(reg), "source": f.source, "build_time_s": f.build_time_s,
        "build_time_days": f.build_time_s / 86400.0, "crew": f.crew,
        "capacity_per_yr": f.capacity_per_s * SECONDS_PER_YEAR,
        "construction_share": rep.construction_share,
        "lifetime_yr": rep.lifetime_s / SECONDS_PER_YEAR, "step_yr": rep.dt_s / SECONDS_PER_YEAR,
    }
    finite_or_note(out, "doubling_time_from_plan_yr", rep.doubling_time_s / SECONDS_PER_YEAR,
                    NEVER_DOUBLES_NOTE)
    finite_or_note(out, "doubling_time_from_plan_continuous_yr",
                    rep.doubling_time_continuous_s / SECONDS_PER_YEAR, NEVER_DOUBLES_NOTE)
    # the same factory with a crew trained first in the training centre (fleet.training)
    trained = replication_from(reg, trained=True)
    out["trained_build_time_days"] = trained.factory.build_time_s / 86400.0
    out["trained_source"] = trained.factory.source
    finite_or_note(out, "trained_doubling_time_from_plan_yr",
                   trained.doubling_time_s / SECONDS_PER_YEAR, NEVER_DOUBLES_NOTE)
    measured, why = stack_doubling_if_factories_bind(reg)
    out["doubling_time_stack_if_factories_bind_yr"] = measured
    if measured is None:
        out["doubling_time_stack_if_factories_bind_yr_note"] = why
    # this run: which input binds robot production, in how many steps
    b = res.bottlenecks.get("robots")
    names = b.binding_names() if b is not None else []
    out["steps"] = len(names)
    out["binding_steps"] = {n: names.count(n) for n in dict.fromkeys(names)}
    out["factory_bound_steps"] = names.count("factories")
    return out


def _years(res: StackResult) -> list[dict[str, Any]]:
    rows = robot_years(res)
    working = res.annual_median("robots_working")
    b = res.bottlenecks.get("robots")
    limits: dict[str, np.ndarray] = {}
    if b is not None:
        yi = np.floor(res.time + 1e-9)
        for j, term in enumerate(b.terms):
            limits[term] = np.array([np.median(b.values[yi == y, j].sum(axis=0))
                                     for y in res.years])
    out = []
    for i, r in enumerate(rows):
        rec: dict[str, Any] = {k: v for k, v in r.items() if k != "robot_doubling_time_yr"}
        rec["robots_working"] = float(working[i])
        finite_or_note(rec, "robot_doubling_time_yr", r["robot_doubling_time_yr"],
                        NO_GROWTH_NOTE)
        rec["production_limits_per_yr"] = {t: _num(v[i]) for t, v in limits.items()}
        out.append(rec)
    return out


def _usefulness(reg: Registry, years: np.ndarray) -> dict[str, Any]:
    u = usefulness(years, UsefulnessParams.from_registry(reg))
    shares = u.shares()
    params: dict[str, Any] = {"base_year": reg.value("usefulness.base_year", "yr")}
    for f in FACTORS:
        key = f"usefulness.{f}.doubling_time"
        t2 = reg.value(key, "yr")
        params[f] = {"doubling_time_yr": t2, "growth_per_yr": math.log(2.0) / t2,
                     "source": reg.get(key).source.cite()}
    params["task_time_elasticity"] = reg.si("usefulness.task_time_elasticity")
    params["reach_share_base"] = reg.si("usefulness.reach.share_base")
    params["reach_width"] = reg.si("usefulness.reach.width")
    rows = []
    for i, y in enumerate(years):
        rec: dict[str, Any] = {"year": int(y)}
        for f in FACTORS:
            rec[f] = float(getattr(u, f)[i])
        rec["usefulness"] = float(u.usefulness[i])
        rec["log_usefulness"] = float(np.log(u.usefulness[i]))
        rec["log_contribution"] = {f: float(u.log_contribution(f)[i]) for f in FACTORS}
        rec["share_of_log_growth"] = {f: _num(shares[f][i]) for f in FACTORS}
        if any(v is None for v in rec["share_of_log_growth"].values()):
            rec["share_of_log_growth_note"] = "ln U = 0 in the base year: no growth to share"
        rec["task_time_multiplier"] = float(u.task_time[i])
        rec["task_reach"] = float(u.task_reach[i])
        rows.append(rec)
    return {"params": params, "years": rows}


def _lunar(reg: Registry, years: np.ndarray) -> dict[str, Any]:
    c = lunar_comparison(reg, years)
    gain = c.gain
    start = reg.value("lunar.plant.start_year", "yr")
    plant_kg = c.plant_mass_kg
    rows = [{"year": int(y), "earth_launch_mass_kg_per_yr": float(c.earth_launch_mass_kg[i]),
             "compute_without_w_per_yr": float(c.compute_without_w[i]),
             "compute_with_w_per_yr": float(c.compute_with_w[i]), "gain": _num(gain[i]),
             "lunar_array_area_m2": float(c.lunar_array_area_m2[i]),
             "lunar_radiator_area_m2": float(c.lunar_radiator_area_m2[i]),
             "plant_mass_kg": float(plant_kg[i]), "plant_energy_j": float(c.energy_j[i])}
            for i, y in enumerate(years)]
    return {
        "start_year": start,
        "seed_mass_kg": reg.si("lunar.plant.seed_mass"),
        "satellite_mass_per_w_kg": c.satellite_mass_per_w_kg,
        "array_mass_per_w_kg": c.array_mass_per_w_kg,
        "radiator_mass_per_w_kg": c.radiator_mass_per_w_kg,
        "note": "Earth launch mass per year is constant (launch.payload_per_flight x "
                "launch.launches_per_year x orbital.launch_share), not the stack's ramps; "
                "lunar parts delivered in a year are the plant's output over that year; plant "
                "mass is 0 before the plant's start year",
        "years": rows,
    }


def _distributed(res: StackResult) -> dict[str, Any] | None:
    if DISTRIBUTED_FACTORY_SERIES not in res.series:
        return None
    p = res.annual_median(DISTRIBUTED_FACTORY_SERIES)
    return {"series": DISTRIBUTED_FACTORY_SERIES, "unit": "W",
            "years": [{"year": int(y), "power_w": _num(p[i])} for i, y in enumerate(res.years)]}


def robot_economy(reg: Registry, res: StackResult) -> dict[str, Any]:
    """The robot economy of a run as one JSON-able document with finite numbers only.

    Parameters
    ----------
    reg : Registry
        The assumptions the stack ran with (the factory plan, usefulness and lunar figures are
        evaluated at their central values).
    res : StackResult
        A run of :func:`terawatt.robots.replication.run_stack_planned` (robot series by year
        are medians over its samples).

    Returns
    -------
    dict
        ``factory`` (the planned factory; doubling time from the plan vs measured in the
        stack), ``years`` (population, production, capacity, builders vs working, doubling
        time, binding input and every production limit [robot/yr]), ``usefulness`` (factors,
        U, each factor's share of ln U, task-time multiplier, task reach), ``lunar`` (compute
        added per year with and without lunar arrays and radiators [W/yr]) and
        ``distributed_factory_power`` (None when the stack does not record it).
    """
    years = np.asarray(res.years, dtype=np.float64)
    return {
        "scenario": reg.scenario,
        "scenario_chain": list(reg.scenario_chain),
        "statistic": "median over samples" if res.n_samples > 1 else "central case",
        "factory": _factory(reg, res),
        "years": _years(res),
        "usefulness": _usefulness(reg, years),
        "lunar": _lunar(reg, years),
        "distributed_factory_power": _distributed(res),
    }


def by_year_rows(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One flat record per year (robots, usefulness, lunar, distributed power) for a table."""
    use = {r["year"]: r for r in doc["usefulness"]["years"]}
    lun = {r["year"]: r for r in doc["lunar"]["years"]}
    dist = {r["year"]: r for r in (doc["distributed_factory_power"] or {}).get("years", [])}
    out = []
    for r in doc["years"]:
        y = r["year"]
        rec = {k: v for k, v in r.items() if not isinstance(v, dict) and not k.endswith("_note")}
        rec.update({f"limit_{k}_per_yr": v for k, v in r["production_limits_per_yr"].items()})
        u = use[y]
        rec.update({f"usefulness_{f}": u[f] for f in FACTORS})
        rec.update({f"usefulness_share_{f}": u["share_of_log_growth"][f] for f in FACTORS})
        rec.update(usefulness=u["usefulness"], task_time_multiplier=u["task_time_multiplier"],
                   task_reach=u["task_reach"],
                   lunar_compute_without_w_per_yr=lun[y]["compute_without_w_per_yr"],
                   lunar_compute_with_w_per_yr=lun[y]["compute_with_w_per_yr"])
        if dist:
            rec["power_distributed_factory_w"] = dist[y]["power_w"]
        out.append(rec)
    return out


# ------------------------------------------------------------------------------------------
# figures and sections
# ------------------------------------------------------------------------------------------
def _col(rows: Sequence[Mapping[str, Any]], key: str, scale: float = 1.0) -> list[float | None]:
    return [None if r.get(key) is None else r[key] / scale for r in rows]


def population_figure(doc: Mapping[str, Any]) -> go.Figure:
    rows = doc["years"]
    x = [r["year"] for r in rows]
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    series = [("robots", "population (year end)"),
              ("robots_built_per_yr", "robots built per year"),
              ("robot_factory_capacity_per_yr", "factory capacity per year")]
    for i, (key, name) in enumerate(series):
        fig.add_trace(go.Scatter(x=x, y=_col(rows, key, 1e6), name=name,
                                 line={"color": _PALETTE[i]}), secondary_y=False)
    fig.add_trace(go.Scatter(x=x, y=_col(rows, "robot_doubling_time_yr"), name="doubling time",
                             line={"dash": "dot", "color": "#000"}), secondary_y=True)
    fig.update_layout(title="Robot population, production and factory capacity [million]; "
                      "doubling time [yr]", **_LAYOUT)
    fig.update_yaxes(title_text="million robots (per yr for flows)", type="log",
                     secondary_y=False)
    fig.update_yaxes(title_text="doubling time [yr]", secondary_y=True)
    return fig


def limits_figure(doc: Mapping[str, Any]) -> go.Figure:
    """Each input's limit on robot production per year; production is their minimum."""
    rows = doc["years"]
    x = [r["year"] for r in rows]
    fig = go.Figure()
    terms = list(rows[0]["production_limits_per_yr"]) if rows else []
    for i, t in enumerate(terms):
        fig.add_trace(go.Scatter(x=x, y=[r["production_limits_per_yr"][t] for r in rows],
                                 name=f"limit: {t}", line={"color": _PALETTE[i % 6]}))
    fig.add_trace(go.Scatter(x=x, y=_col(rows, "robots_built_per_yr"), name="robots built",
                             mode="markers", marker={"color": "#000", "size": 8},
                             text=[f"binds: {r['bottleneck_robots']}" for r in rows]))
    fig.update_layout(title="What limits robot production: robots per year each input allows "
                      "(production = the minimum)", yaxis_title="robots/yr",
                      **{**_LAYOUT, "yaxis": {**_AXIS, "type": "log"}})
    return fig


def builders_figure(doc: Mapping[str, Any]) -> go.Figure:
    rows = doc["years"]
    x = [r["year"] for r in rows]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=_col(rows, "robots_construction", 1e6), stackgroup="r",
                             name="building robot factories", line={"color": _PALETTE[3]}))
    fig.add_trace(go.Scatter(x=x, y=_col(rows, "robots_working", 1e6), stackgroup="r",
                             name="working elsewhere (fabs, solar, data centres)",
                             line={"color": _PALETTE[0]}))
    fig.update_layout(title="Robots building factories vs working (last step of each year) "
                      "[million]", yaxis_title="million robots", **_LAYOUT)
    return fig


def usefulness_figure(doc: Mapping[str, Any]) -> go.Figure:
    rows = doc["usefulness"]["years"]
    x = [r["year"] for r in rows]
    fig = make_subplots(rows=1, cols=2, subplot_titles=(
        "factors and U = intelligence x chips x dexterity (log)",
        "each factor's share of ln U"))
    for i, f in enumerate(FACTORS):
        fig.add_trace(go.Scatter(x=x, y=[r[f] for r in rows], name=f,
                                 line={"color": _PALETTE[i]}), row=1, col=1)
        fig.add_trace(go.Bar(x=x, y=[r["share_of_log_growth"][f] for r in rows],
                             name=f"{f} share", marker_color=_PALETTE[i], showlegend=False),
                      row=1, col=2)
    fig.add_trace(go.Scatter(x=x, y=[r["usefulness"] for r in rows], name="usefulness U",
                             line={"color": "#000", "width": 3}), row=1, col=1)
    fig.update_yaxes(type="log", row=1, col=1)
    fig.update_yaxes(range=[0, 1], tickformat=".0%", row=1, col=2)
    fig.update_layout(title=f"Robot usefulness (1 in {doc['usefulness']['params']['base_year']:g})",
                      barmode="stack", **{**_LAYOUT, "margin": {**_LAYOUT["margin"], "t": 90}})
    return fig


def effects_figure(doc: Mapping[str, Any]) -> go.Figure:
    rows = doc["usefulness"]["years"]
    x = [r["year"] for r in rows]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=[r["task_time_multiplier"] for r in rows],
                             name="task time multiplier U^(-e)", line={"color": _PALETTE[1]}))
    fig.add_trace(go.Scatter(x=x, y=[r["task_reach"] for r in rows],
                             name="task reach (share of task types)",
                             line={"color": _PALETTE[2]}))
    fig.update_layout(title="What usefulness does: task time (1 = base year) and task reach",
                      yaxis_title="[-]", **_LAYOUT)
    return fig


def lunar_figure(doc: Mapping[str, Any]) -> go.Figure:
    lun = doc["lunar"]
    rows = lun["years"]
    x = [r["year"] for r in rows]
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Scatter(x=x, y=_col(rows, "compute_without_w_per_yr", 1e9),
                             name="without lunar parts", line={"color": _PALETTE[0]}))
    fig.add_trace(go.Scatter(x=x, y=_col(rows, "compute_with_w_per_yr", 1e9),
                             name="with lunar arrays and radiators",
                             line={"color": _PALETTE[3]}))
    fig.add_trace(go.Bar(x=x, y=[(r["gain"] or 1.0) - 1.0 for r in rows], name="gain",
                         marker_color="#bbb", opacity=0.5), secondary_y=True)
    fig.update_layout(title=f"Orbital compute added per year, with and without a lunar plant "
                      f"(seed {lun['seed_mass_kg'] / 1e3:,.0f} t landing {lun['start_year']:g})",
                      **_LAYOUT)
    fig.update_yaxes(title_text="GW added per year", secondary_y=False)
    fig.update_yaxes(title_text="gain (with / without - 1)", tickformat=".1%", secondary_y=True)
    return fig


def distributed_figure(doc: Mapping[str, Any]) -> go.Figure | None:
    dist = doc.get("distributed_factory_power")
    if not dist:
        return None
    rows = dist["years"]
    fig = go.Figure(go.Scatter(x=[r["year"] for r in rows], y=_col(rows, "power_w", 1e9),
                               name="distributed solar + storage for factories",
                               line={"color": _PALETTE[2]}))
    fig.update_layout(title="Distributed power for factories (solar + storage, off the grid) "
                      "[GW]", yaxis_title="GW", **_LAYOUT)
    return fig


def _fmt_yr(v: float | None) -> str:
    return "none (see note)" if v is None else f"{v:.3g}"


def _with_note(rec: Mapping[str, Any], key: str) -> str:
    v = rec.get(key)
    return f"{v:.3g}" if v is not None else f"none: {rec.get(key + '_note', 'not finite')}"


def binding_text(f: Mapping[str, Any]) -> str:
    """``materials 59 of 60 steps, factories 1`` (this run's binding inputs of production)."""
    parts = [f"{n} {k}" for n, k in sorted(f["binding_steps"].items(), key=lambda x: -x[1])]
    return (", ".join(parts) + f" (of {f['steps']} steps)") if parts else "(not recorded)"


def factory_rows(doc: Mapping[str, Any]) -> list[dict[str, object]]:
    """The planned factory and the doubling times as (figure, value) rows."""
    f = doc["factory"]
    return [
        {"figure": "goal given to the fleet planner", "value": f["goal"]},
        {"figure": "plan", "value": f["source"]},
        {"figure": "build time [days]", "value": f"{f['build_time_days']:,.0f}"},
        {"figure": "crew [robots]", "value": f"{f['crew']:,.0f}"},
        {"figure": "capacity of one factory [robots/yr]", "value": f"{f['capacity_per_yr']:,.0f}"},
        {"figure": "share of robots building factories", "value": f"{f['construction_share']:.0%}"},
        {"figure": "doubling time if factories bind, from the plan [yr] (model step)",
         "value": _with_note(f, "doubling_time_from_plan_yr")},
        {"figure": "doubling time if factories bind, from the plan [yr] (dt -> 0)",
         "value": _with_note(f, "doubling_time_from_plan_continuous_yr")},
        {"figure": "doubling time if factories bind, measured in the stack model [yr] (other "
                   "robot inputs ample, last year)",
         "value": _with_note(f, "doubling_time_stack_if_factories_bind_yr")},
        {"figure": "with a crew trained in the training centre: build time [days]",
         "value": f"{f['trained_build_time_days']:,.0f}"},
        {"figure": "with a crew trained in the training centre: doubling time if factories "
                   "bind, from the plan [yr]",
         "value": _with_note(f, "trained_doubling_time_from_plan_yr")},
        {"figure": "what binds robot production in this run", "value": binding_text(f)},
    ]


def year_rows(doc: Mapping[str, Any]) -> list[dict[str, object]]:
    return [{"year": r["year"], "population": f"{r['robots']:,.0f}",
             "built [/yr]": f"{r['robots_built_per_yr']:,.0f}",
             "factory capacity [/yr]": f"{r['robot_factory_capacity_per_yr']:,.0f}",
             "building factories": f"{r['robots_construction']:,.0f}",
             "working": f"{r['robots_working']:,.0f}",
             "doubling time [yr]": _fmt_yr(r["robot_doubling_time_yr"]),
             "binding input": r["bottleneck_robots"]} for r in doc["years"]]


def usefulness_rows(doc: Mapping[str, Any]) -> list[dict[str, object]]:
    def pct(v: float | None) -> str:
        return "-" if v is None else f"{v:.0%}"

    return [{"year": r["year"], **{f: f"{r[f]:,.3g}" for f in FACTORS},
             "U": f"{r['usefulness']:,.3g}",
             **{f"{f} share of ln U": pct(r["share_of_log_growth"][f]) for f in FACTORS},
             "task time x": f"{r['task_time_multiplier']:.3f}",
             "task reach": f"{r['task_reach']:.1%}"} for r in doc["usefulness"]["years"]]


def lunar_rows(doc: Mapping[str, Any]) -> list[dict[str, object]]:
    return [{"year": r["year"], "without [GW/yr]": f"{r['compute_without_w_per_yr'] / 1e9:,.3f}",
             "with [GW/yr]": f"{r['compute_with_w_per_yr'] / 1e9:,.3f}",
             "gain": "-" if r["gain"] is None else f"{r['gain'] - 1:+.2%}",
             "lunar arrays [km²]": f"{r['lunar_array_area_m2'] / 1e6:,.3g}",
             "lunar radiators [km²]": f"{r['lunar_radiator_area_m2'] / 1e6:,.3g}",
             "plant mass [t]": f"{r['plant_mass_kg'] / 1e3:,.3g}"} for r in doc["lunar"]["years"]]


def robot_sections(doc: Mapping[str, Any]) -> list[Section]:
    """Report sections of the robot economy (:func:`robot_economy`'s document)."""
    f = doc["factory"]
    p = doc["usefulness"]["params"]
    src = "; ".join(f"{n}: doubling every {p[n]['doubling_time_yr']:.3g} yr ({p[n]['source']})"
                    for n in FACTORS)
    secs = [
        Section(ROBOT_SECTION_TITLE,
                "A share of the robots builds new robot factories; one factory's build time, "
                "crew and capacity come from the fleet planner's plan of the humanoid_robot "
                f"template ({f['goal']}), not from a typed-in number. Robots built per year are "
                "the minimum of factory capacity, chips, actuators/materials and factory power; "
                "the binding input is named per year. The doubling time from the plan holds "
                "while factories bind; in other years the binding input sets it. "
                f"Statistic: {doc['statistic']}.",
                [population_figure(doc), limits_figure(doc), builders_figure(doc)],
                [table_html(factory_rows(doc)), table_html(year_rows(doc))]),
        Section("Robot usefulness: intelligence x chips x dexterity",
                "U = intelligence x chips x dexterity, each 1 in the base year and growing "
                f"exponentially ({src}). Each factor's contribution is its share of ln U. "
                "Task time falls as U^(-e) "
                f"(e = {p['task_time_elasticity']:.3g}); task reach, the share of task types "
                "robots can do, is a logistic in ln U "
                f"({p['reach_share_base']:.0%} of task types at U = 1).",
                [usefulness_figure(doc), effects_figure(doc)],
                [table_html(usefulness_rows(doc))]),
        Section("Lunar arrays and radiators (option)",
                "Orbital compute one year's Earth launch mass supports, with and without solar "
                "arrays and radiators made from regolith on the Moon. " + doc["lunar"]["note"]
                + ".", [lunar_figure(doc)], [table_html(lunar_rows(doc))]),
    ]
    dist = distributed_figure(doc)
    if dist is not None:
        rows = [{"year": r["year"], "solar + storage for factories [GW]":
                 "-" if r["power_w"] is None else f"{r['power_w'] / 1e9:,.3g}"}
                for r in doc["distributed_factory_power"]["years"]]
        secs.append(Section("Distributed power for factories",
                            "Firm power from dedicated solar + storage for factories "
                            f"(stack series {DISTRIBUTED_FACTORY_SERIES}), year end.", [dist],
                            [table_html(rows)]))
    return secs


def write_report(path: Path, doc: Mapping[str, Any], meta: str = "") -> None:
    """Write the self-contained HTML report of ``terawatt robots`` to ``path``."""
    write(path, f"terawatt robots: {doc['scenario']}", robot_sections(doc), meta)
