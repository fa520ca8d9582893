"""Plotly figures the HTML reports do not have (presentation only).

The explorer and the runs page reuse the report builders (:mod:`terawatt.report.stack_report`,
:mod:`terawatt.report.claims_report`, :mod:`terawatt.report.sweep_report`) wherever a figure
exists there (a fleet plan's Gantt and resource profile: :mod:`terawatt.report.fleet_report`).
The figures here are the ones that do not: the robot population, the cost per W-year, and the
charts of a *saved* stack run, drawn from its ``summary.json`` records (a saved run holds no
:class:`~terawatt.stack.result.StackResult`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

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
