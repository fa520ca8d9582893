"""HTML report of a fleet plan (and its simulation): Gantt by phase with drill-down by building,
resource profiles, simulated vs planned completion, and the ``--robots auto`` trade-off curve.

Presentation only: figures are built from a :class:`~terawatt.fleet.plan.PlanData` and an
optional :class:`~terawatt.fleet.simulate.SimResult`; no model logic here.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from terawatt.constants import SECONDS_PER_HOUR
from terawatt.fleet.explain import critical_path, utilisation
from terawatt.fleet.plan import PlanData
from terawatt.report.html import Section, render, table_html

MAX_BUILDINGS_DRILL = 12  # buildings offered in the drill-down menu
MAX_BARS = 400  # bars per building Gantt (activities grouped by kind beyond this)


def _dates(start: _dt.date, hours: np.ndarray) -> pd.DatetimeIndex:
    return pd.Timestamp(start) + pd.to_timedelta(np.asarray(hours, float), unit="h")


def phase_spans(data: PlanData) -> list[dict[str, Any]]:
    """Each construction phase's span over all buildings, in order of start: first start and
    last finish [h], activities and work content [robot-hour]."""
    t = data.table
    g = t.groupby("phase").agg(s=("start_h", "min"), f=("finish_h", "max"),
                               n=("start_h", "size"), w=("work_rh", "sum")).reset_index()
    names = data.names["phases"]
    return [{"phase": names[int(r.phase)], "start_h": float(r.s), "finish_h": float(r.f),
             "activities": int(r.n), "work_robot_h": float(r.w)}
            for r in g.sort_values("s").itertuples()]


def gantt_phases(data: PlanData, start: _dt.date) -> go.Figure:
    """One bar per construction phase, from its first start to its last finish."""
    fig = go.Figure()
    for p in phase_spans(data):
        s0, f0 = _dates(start, [p["start_h"], p["finish_h"]])
        fig.add_trace(go.Bar(
            x=[(f0 - s0).total_seconds() * 1000], y=[p["phase"]], base=[s0],
            orientation="h", name=p["phase"],
            hovertext=f"{p['activities']:,} activities, {p['work_robot_h']:,.0f} robot-h",
            showlegend=False))
    fig.update_layout(title="Construction phases (span of all buildings)", xaxis_type="date",
                      yaxis_autorange="reversed", height=320, barmode="overlay")
    return fig


def _gantt_buildings(data: PlanData, start: _dt.date) -> go.Figure:
    """Per building, one bar per phase; a dropdown switches building (drill-down)."""
    t = data.table
    names = data.names["phases"]
    blds = sorted(int(b) for b in t["building"].unique() if b >= 0)[:MAX_BUILDINGS_DRILL]
    fig = go.Figure()
    buttons = []
    ntr = 0
    for k, b in enumerate(blds):
        sub = t[t["building"] == b]
        grp = sub.groupby(["phase", "kind"]).agg(s=("start_h", "min"), f=("finish_h", "max"),
                                                 n=("start_h", "size")).reset_index()
        grp = grp.sort_values("s").head(MAX_BARS)
        s0 = _dates(start, grp["s"].to_numpy())
        f0 = _dates(start, grp["f"].to_numpy())
        labels = [f"{names[int(p)]}: {data.names['kinds'][int(q)]}"
                  for p, q in zip(grp["phase"], grp["kind"], strict=True)]
        fig.add_trace(go.Bar(x=(f0 - s0).total_seconds() * 1000, y=labels, base=s0,
                             orientation="h", visible=k == 0, name=f"B{b + 1}",
                             hovertext=[f"{int(x):,} activities" for x in grp["n"]]))
        ntr += 1
    for k, b in enumerate(blds):
        vis = [j == k for j in range(ntr)]
        buttons.append({"label": f"building B{b + 1}", "method": "update",
                        "args": [{"visible": vis}]})
    fig.update_layout(title="Drill-down by building (activities grouped by kind)",
                      xaxis_type="date", yaxis_autorange="reversed", height=520,
                      updatemenus=[{"buttons": buttons, "x": 1.0, "y": 1.15}] if buttons else [])
    return fig


def profiles(data: PlanData, start: _dt.date, sim: Any = None) -> go.Figure:
    """Share of each resource's capacity in use over the plan (and the simulation's robots)."""
    u = utilisation(data, bins=200)
    x = _dates(start, 0.5 * (u["t0_h"] + u["t1_h"]))
    fig = go.Figure()
    for col in u.columns:
        if col in ("t0_h", "t1_h"):
            continue
        fig.add_trace(go.Scatter(x=x, y=u[col], mode="lines", name=f"{col} (planned)"))
    if sim is not None:
        us = utilisation(data, sim.start_s / SECONDS_PER_HOUR, sim.finish_s / SECONDS_PER_HOUR,
                         sim.crew, bins=200)
        xs = _dates(start, 0.5 * (us["t0_h"] + us["t1_h"]))
        fig.add_trace(go.Scatter(x=xs, y=us["robots"], mode="lines", name="robots (simulated)",
                                 line={"dash": "dot"}))
    fig.update_layout(title="Resource utilisation (share of capacity in use)",
                      yaxis_title="share of capacity", height=380)
    return fig


def _progress(data: PlanData, start: _dt.date, sim: Any) -> go.Figure:
    fig = go.Figure()
    f = np.sort(data.col("finish_h").astype(float))
    k = np.arange(1, f.size + 1) / max(f.size, 1)
    step = max(1, f.size // 2000)
    fig.add_trace(go.Scatter(x=_dates(start, f[::step]), y=k[::step], name="planned"))
    if sim is not None:
        fs = np.sort(sim.finish_s / SECONDS_PER_HOUR)
        fig.add_trace(go.Scatter(x=_dates(start, fs[::step]), y=k[::step], name="simulated"))
    fig.update_layout(title="Share of activities finished: simulated vs planned",
                      yaxis_title="share finished", height=360)
    return fig


def _curve(curve: list[dict[str, Any]]) -> go.Figure:
    df = pd.DataFrame(curve)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=df["robots"], y=df["makespan_h"] / 24, mode="lines+markers",
                             name="planned completion (best of <= fleet size)"))
    if "raw_makespan_h" in df:
        fig.add_trace(go.Scatter(x=df["robots"], y=df["raw_makespan_h"] / 24, mode="markers",
                                 name="single schedule at this size"))
    if "energy_bound_h" in df:
        fig.add_trace(go.Scatter(x=df["robots"], y=np.maximum(df["energy_bound_h"],
                                                             df["lower_bound_h"]) / 24,
                                 mode="lines", name="lower bound", line={"dash": "dash"}))
    fig.update_layout(title="--robots auto: fleet size vs construction time", xaxis_type="log",
                      xaxis_title="robots", yaxis_title="days to completion", height=380)
    return fig


def _production(sim: Any, start: _dt.date) -> go.Figure:
    p = sim.production
    fig = go.Figure()
    x = pd.Timestamp(start) + pd.to_timedelta(p["time_s"], unit="s")
    fig.add_trace(go.Scatter(x=x, y=p["output"], name="output per day"))
    if p["fleet"].nunique() > 1:
        fig.add_trace(go.Scatter(x=x, y=p["fleet"], name="robot fleet", yaxis="y2"))
        fig.update_layout(yaxis2={"overlaying": "y", "side": "right", "title": "robots"})
    fig.update_layout(title="Production phase: ramp-up (and robots joining the fleet)",
                      height=360)
    return fig


def fleet_report(data: PlanData, sim: Any = None) -> str:
    """The whole report as one HTML string."""
    s = data.summary
    start = _dt.date.fromisoformat(s["start"])
    head = {k: s.get(k) for k in ("goal", "completion", "deadline", "makespan_days",
                                  "lower_bound_h", "robots", "robots_scheduled", "activities",
                                  "lines", "buildings", "crew_slots", "mean_utilisation",
                                  "cost_estimate_usd", "budget_usd", "solver")}
    sections = [Section("Plan", f"{s['goal']}: completion {s['completion']}.",
                        tables_html=[table_html([head])]),
                Section("Gantt", "Phases over all buildings, then one building at a time.",
                        figures=[gantt_phases(data, start), _gantt_buildings(data, start)])]
    sections.append(Section("Resource profiles", figures=[profiles(data, start, sim)]))
    cp = critical_path(data)
    sections.append(Section("Critical path", f"{len(cp)} activities fix the completion date.",
                            tables_html=[table_html(cp[:60])]))
    if s.get("curve"):
        sections.append(Section("Fleet size trade-off", "Monotone by construction: each point "
                                "keeps the best plan of any smaller fleet.",
                                figures=[_curve(s["curve"])], tables_html=[table_html(s["curve"])]))
    if sim is not None:
        sections.append(Section(
            "Simulated vs planned",
            f"Simulated completion after {sim.summary['simulated_makespan_h']:.0f} h vs "
            f"{sim.summary['planned_makespan_h']:.0f} h planned.",
            figures=[_progress(data, start, sim), _production(sim, start)],
            tables_html=[table_html([{k: v for k, v in sim.summary.items()}])]))
    return render(f"Fleet plan: {s['goal']}", sections,
                  meta=f"scenario {s.get('scenario')}; times in hours from {s['start']}")


def write_fleet_report(path: Path, data: PlanData, sim: Any = None) -> None:
    """Write the report to ``path`` (a self-contained HTML file)."""
    Path(path).write_text(fleet_report(data, sim), encoding="utf-8")
