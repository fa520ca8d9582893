"""Plotly figures the HTML reports do not have (presentation only).

The explorer and the runs page reuse the report builders (:mod:`terawatt.report.stack_report`,
:mod:`terawatt.report.claims_report`, :mod:`terawatt.report.sweep_report`) wherever a figure
exists there. The figures here are the ones that do not: the robot population, the cost per
W-year, and the charts of a *saved* run, which are drawn from its ``summary.json`` records (a
saved run holds no :class:`~terawatt.stack.result.StackResult`) or from a plan folder's
tables.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from terawatt.constants import SECONDS_PER_HOUR

_AXIS = {"gridcolor": "#e5e5e5", "zerolinecolor": "#ccc"}
_LAYOUT: dict[str, Any] = {"height": 380, "margin": {"l": 60, "r": 20, "t": 50, "b": 40},
                           "plot_bgcolor": "white", "xaxis": _AXIS, "yaxis": _AXIS}
_GROUND, _ORBIT, _ROBOT, _WAIT = "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"
#: W per GW, accelerators per million: the charts' display units
_GIGA, _MEGA = 1e9, 1e6


def _years(records: Sequence[Mapping[str, Any]]) -> list[int]:
    return [int(r["year"]) for r in records]


def robots_figure(records: Sequence[Mapping[str, Any]]) -> go.Figure:
    """Robot population at year end and robots built per year [million]."""
    x = _years(records)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=[r["robots"] / _MEGA for r in records],
                             name="robot population (year end)", line={"color": _ROBOT}))
    if records and "robots_built_per_yr" in records[0]:
        fig.add_trace(go.Bar(x=x, y=[r["robots_built_per_yr"] / _MEGA for r in records],
                             name="robots built per year", marker_color="#98df8a"))
    fig.update_layout(title="Robot population [million]", yaxis_title="million robots",
                      **_LAYOUT)
    return fig


def cost_w_yr_figure(costs: Mapping[str, Any]) -> go.Figure:
    """USD per W-year of delivered compute, ground vs orbit, with the crossover year."""
    rows = costs["path"]
    x = [r["year"] for r in rows]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=[r["ground_usd_per_w_yr"] for r in rows], name="ground",
                             mode="lines+markers", line={"color": _GROUND}))
    fig.add_trace(go.Scatter(x=x, y=[r["orbit_usd_per_w_yr"] for r in rows], name="orbit",
                             mode="lines+markers", line={"color": _ORBIT}))
    cy = costs.get("crossover_year")
    if cy is not None:
        fig.add_vline(x=cy, line_dash="dash", line_color="#333",
                      annotation_text=f"crossover {cy:.1f}")
    fig.update_layout(title="Cost of delivered compute [USD per W-year]",
                      yaxis_title="USD per W-yr", **_LAYOUT)
    fig.update_yaxes(rangemode="tozero")
    return fig


def saved_compute_figure(records: Sequence[Mapping[str, Any]]) -> go.Figure:
    """Compute in orbit and on the ground at year end [GW], from a run's ``summary.json``."""
    x = _years(records)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=[r["terrestrial_compute_w"] / _GIGA for r in records],
                             stackgroup="c", name="ground", line={"color": _GROUND}))
    fig.add_trace(go.Scatter(x=x, y=[r["orbital_compute_w"] / _GIGA for r in records],
                             stackgroup="c", name="orbit", line={"color": _ORBIT}))
    fig.update_layout(title="Compute stack: accelerator power installed at year end [GW]",
                      yaxis_title="GW", **_LAYOUT)
    return fig


def saved_stranded_figure(records: Sequence[Mapping[str, Any]]) -> go.Figure:
    """Stranded accelerators [million] and chips waiting for launch [GW], from a run's
    ``summary.json``."""
    x = _years(records)
    fig = go.Figure()
    fig.add_trace(go.Bar(x=x, y=[r["stranded_accelerators"] / _MEGA for r in records],
                         name="stranded accelerators (M)", marker_color=_WAIT))
    fig.add_trace(go.Scatter(x=x, y=[r["awaiting_launch_w"] / _GIGA for r in records],
                             name="waiting for launch (GW)", yaxis="y2",
                             line={"dash": "dot", "color": _ORBIT}))
    fig.update_layout(title="Stranded chips", **{
        **_LAYOUT, "yaxis": {**_AXIS, "title": "million accelerators"},
        "yaxis2": {"title": "GW", "overlaying": "y", "side": "right"}})
    return fig


def _at(start: _dt.date, hours: float) -> str:
    """Plan hour -> ISO date-time (Plotly reads it as a date axis)."""
    t = _dt.datetime.combine(start, _dt.time()) + _dt.timedelta(hours=float(hours))
    return t.isoformat(timespec="minutes")


def gantt_figure(phases: Sequence[Mapping[str, Any]], start: _dt.date) -> go.Figure:
    """One bar per construction phase, from its first start to its last finish."""
    fig = go.Figure()
    ms_per_hour = SECONDS_PER_HOUR * 1000.0
    for p in phases:
        fig.add_trace(go.Bar(
            x=[(p["finish_h"] - p["start_h"]) * ms_per_hour], y=[p["phase"]],
            base=[_at(start, p["start_h"])], orientation="h", name=p["phase"],
            showlegend=False,
            hovertext=f"{p['phase']}: {p['activities']:,} activities, "
                      f"{p['work_robot_h']:,.0f} robot-h, hours {p['start_h']:,.0f}-"
                      f"{p['finish_h']:,.0f}"))
    fig.update_layout(title="Gantt: construction phases (span over all buildings)",
                      xaxis_type="date", yaxis_autorange="reversed", barmode="overlay",
                      **{**_LAYOUT, "height": 120 + 36 * max(len(phases), 1),
                         "margin": {"l": 160, "r": 20, "t": 50, "b": 40}})
    return fig


def profile_figure(profile: Mapping[str, Sequence[float]], start: _dt.date) -> go.Figure:
    """Share of each resource's capacity in use over the plan (robots, each equipment kind)."""
    mid = [0.5 * (a + b) for a, b in zip(profile["t0_h"], profile["t1_h"], strict=True)]
    x = [_at(start, h) for h in mid]
    fig = go.Figure()
    for name, share in profile.items():
        if name in ("t0_h", "t1_h"):
            continue
        fig.add_trace(go.Scatter(x=x, y=list(share), mode="lines", name=name))
    fig.update_layout(title="Resource profile: share of capacity in use",
                      yaxis_title="share of capacity", **_LAYOUT)
    fig.update_yaxes(rangemode="tozero")
    return fig
