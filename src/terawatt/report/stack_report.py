"""HTML report of a stack-model run (presentation only: figures and tables from a StackResult).

Sections: compute stack (orbit vs ground), bottleneck timeline per sector, "what would add the
most compute now", stranded chips, launches and mass to orbit, solar split, power by source,
the robot economy (when given: :func:`terawatt.report.robots_report.robot_sections`, the same
builder as ``terawatt robots``), backtest errors (history scenario), design figures. Plotly
is embedded by :mod:`terawatt.report.html`, so the file works offline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from terawatt.constants import SECONDS_PER_YEAR
from terawatt.report.html import Section, table_html, write
from terawatt.report.robots_report import robot_sections
from terawatt.stack.history import SeriesError
from terawatt.stack.result import StackResult

# explicit colours instead of a named template: loading plotly's templates costs ~1 s
_AXIS = {"gridcolor": "#e5e5e5", "zerolinecolor": "#ccc"}
_LAYOUT: dict[str, Any] = {"height": 420, "margin": {"l": 60, "r": 20, "t": 50, "b": 40},
                           "plot_bgcolor": "white", "xaxis": _AXIS, "yaxis": _AXIS}
_PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
            "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939"]


def _band(fig: go.Figure, x: np.ndarray, arr: np.ndarray, name: str, color: str,
          scale: float, **kw: Any) -> None:
    """Median line plus a 5-95 % band when there are several samples."""
    if arr.shape[1] > 1:
        lo, hi = np.percentile(arr, 5, axis=1) / scale, np.percentile(arr, 95, axis=1) / scale
        fig.add_trace(go.Scatter(x=np.r_[x, x[::-1]], y=np.r_[hi, lo[::-1]], fill="toself",
                                 line={"width": 0}, fillcolor=color, opacity=0.2,
                                 name=f"{name} 5-95 %", hoverinfo="skip", **kw))
    fig.add_trace(go.Scatter(x=x, y=np.median(arr, axis=1) / scale, name=name,
                             line={"color": color}, **kw))


def compute_figure(res: StackResult) -> go.Figure:
    years = res.years
    fig = go.Figure()
    ground = res.annual_median("terrestrial_compute_w") / 1e9
    orbit = res.annual_median("orbital_compute_w") / 1e9
    fig.add_trace(go.Scatter(x=years, y=ground, stackgroup="c", name="ground (installed)",
                             line={"color": _PALETTE[0]}))
    fig.add_trace(go.Scatter(x=years, y=orbit, stackgroup="c", name="orbit",
                             line={"color": _PALETTE[3]}))
    if res.n_samples > 1:
        _band(fig, years, res.annual("total_compute_w"), "total", "#444", 1e9)
    fig.update_layout(title="Compute stack: accelerator power installed at year end [GW]",
                      yaxis_title="GW of accelerator power", **_LAYOUT)
    return fig


def bottleneck_figure(res: StackResult) -> go.Figure:
    fig = go.Figure()
    names = sorted({t for b in res.bottlenecks.values() for t in b.terms})
    color = {t: _PALETTE[i % len(_PALETTE)] for i, t in enumerate(names)}
    sectors = list(res.bottlenecks)
    for term in names:
        xs, ys, txt = [], [], []
        for s in sectors:
            b = res.bottlenecks[s]
            if term not in b.terms:
                continue
            j = b.terms.index(term)
            for k, t in enumerate(res.time):
                if int(np.argmax(b.share[k])) == j:
                    xs.append(t)
                    ys.append(s)
                    txt.append(f"{s}: {term} binds in {b.share[k, j]:.0%} of samples")
        if xs:
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="markers", name=term, text=txt,
                                     hoverinfo="text+x", marker={"symbol": "square", "size": 11,
                                                                 "color": color[term]}))
    fig.update_layout(title="Bottleneck timeline: the binding term of each sector, per quarter",
                      xaxis_title="year", **{**_LAYOUT, "height": 360})
    return fig


def marginal_figure(res: StackResult) -> go.Figure | None:
    if res.marginal_w is None:
        return None
    z = np.median(res.marginal_w, axis=2).T / 1e6
    fig = go.Figure(go.Heatmap(x=res.time, y=list(res.constraints), z=z, colorscale="Viridis",
                               colorbar={"title": "MW"}))
    fig.update_layout(title="Marginal gain: extra compute installed in a quarter if a constraint "
                      "were 10 % larger [MW]", **{**_LAYOUT, "height": 380})
    return fig


def stranded_figure(res: StackResult) -> go.Figure:
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    _band(fig, res.years, res.annual("stranded_accelerators"), "stranded accelerators (M)",
          _PALETTE[1], 1e6)
    fig.add_trace(go.Scatter(x=res.years, y=res.annual_median("awaiting_launch_w") / 1e9,
                             name="chips waiting for launch (GW)", line={"dash": "dot",
                                                                         "color": _PALETTE[3]}),
                  secondary_y=True)
    fig.update_layout(title="Stranded chips: delivered to the ground but not powered (C13)",
                      **_LAYOUT)
    fig.update_yaxes(title_text="million accelerators", secondary_y=False)
    fig.update_yaxes(title_text="GW", secondary_y=True)
    return fig


def launch_figure(res: StackResult) -> go.Figure:
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Bar(x=res.years, y=res.annual_median("launches"), name="launches (all)",
                         marker_color="#bbb"))
    fig.add_trace(go.Bar(x=res.years, y=res.annual_median("odc_launches"),
                         name="launches for compute satellites", marker_color=_PALETTE[3]))
    fig.add_trace(go.Scatter(x=res.years, y=res.annual_median("mass_to_orbit_kg") / 1e6,
                             name="compute-satellite mass launched (kt)",
                             line={"color": _PALETTE[0]}), secondary_y=True)
    fig.update_layout(title="Launches and mass to orbit per year", barmode="overlay", **_LAYOUT)
    fig.update_yaxes(title_text="launches/yr", secondary_y=False)
    fig.update_yaxes(title_text="kt/yr", secondary_y=True)
    return fig


def solar_figure(res: StackResult) -> go.Figure:
    fig = go.Figure()
    fig.add_trace(go.Bar(x=res.years, y=res.annual_median("solar_ground_w") / 1e9,
                         name="ground PV", marker_color=_PALETTE[2]))
    fig.add_trace(go.Bar(x=res.years, y=res.annual_median("solar_space_w") / 1e9,
                         name="space-qualified", marker_color=_PALETTE[3]))
    fig.add_trace(go.Scatter(x=res.years, y=res.annual_median("solar_space_used_w") / 1e9,
                             name="space arrays launched on compute satellites",
                             line={"color": "#000"}))
    fig.update_layout(title="Solar production split, ground vs space [GW/yr]", barmode="stack",
                      yaxis_title="GW/yr", **_LAYOUT)
    return fig


def power_figure(res: StackResult) -> go.Figure:
    fig = go.Figure()
    for i, (name, label) in enumerate([("power_rest_w", "grid, rest of world (incl. start)"),
                                       ("power_china_w", "grid, China"),
                                       ("power_gas_w", "gas turbines"),
                                       ("power_distributed_w", "distributed solar+storage")]):
        fig.add_trace(go.Scatter(x=res.years, y=res.annual_median(name) / 1e9, name=label,
                                 stackgroup="p", line={"color": _PALETTE[i]}))
    fig.add_trace(go.Scatter(x=res.years, y=res.annual_median("gas_lead_time_s") / SECONDS_PER_YEAR,
                             name="turbine lead time (yr)", yaxis="y2",
                             line={"dash": "dot", "color": "#000"}))
    fig.update_layout(title="Facility power available to AI data centres [GW]", **{
        **_LAYOUT, "yaxis": {**_AXIS, "title": "GW"},
        "yaxis2": {"title": "years", "overlaying": "y", "side": "right"}})
    return fig


def backtest_figure(errors: Sequence[SeriesError]) -> go.Figure:
    fig = make_subplots(rows=1, cols=max(1, len(errors)),
                        subplot_titles=[e.series.title for e in errors])
    for i, e in enumerate(errors, 1):
        recs = e.records()
        fig.add_trace(go.Scatter(x=[r["year"] for r in recs], y=[r["observed"] for r in recs],
                                 mode="markers", name=f"{e.series.name} observed",
                                 marker={"color": "#000"}), row=1, col=i)
        fig.add_trace(go.Scatter(x=[r["year"] for r in recs], y=[r["model"] for r in recs],
                                 name=f"{e.series.name} model", line={"color": _PALETTE[i]}),
                      row=1, col=i)
    fig.update_layout(title="Backtest: model vs observed", **_LAYOUT)
    return fig


def backtest_rows(errors: Sequence[SeriesError]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for e in errors:
        for r in e.records():
            rows.append({**r, "rel_error": f"{float(r['rel_error']):+.1%}"})
    return rows


def sections(res: StackResult, errors: Sequence[SeriesError] = (),
             robots: Mapping[str, Any] | None = None) -> list[Section]:
    """All report sections for a result (and backtest errors, and the robot economy of
    :func:`terawatt.report.robots_report.robot_economy`, when given)."""
    now = res.now()
    now_rows = [{"constraint": c, "extra compute in the first quarter [MW]": g / 1e6}
                for c, g in now]
    marg = marginal_figure(res)
    secs = [
        Section("Compute in orbit and on the ground", "Installed accelerator power at each "
                "year end (accelerators x their power); medians over samples with a 5-95 % band "
                "when the run has several samples.", [compute_figure(res)]),
        Section("Bottleneck timeline", "For every sector and quarter the term of its min() that "
                "binds. Sectors: chips (wafers, packaging, HBM), power_gas (turbine factory "
                "output vs order backlog), power_distributed (storage vs PV), terrestrial "
                "(chips delivered, facility power, built shells), orbital (chips, space solar, "
                "launch mass, satellite factory), robots (robots built = min of factory "
                "capacity, grown by robots building factories to the fleet plan's build time, "
                "chips, actuators/materials and factory power).",
                [bottleneck_figure(res)]),
        Section("What would add the most compute now", "Gain in installed compute at the end "
                "of the first quarter from relaxing each constraint by 10 %.",
                [marg] if marg is not None else [], [table_html(now_rows)]),
        Section("Stranded chips", "Accelerators delivered to terrestrial data centres that "
                "have no powered, built capacity to run in (claim C13).", [stranded_figure(res)]),
        Section("Launches and mass to orbit", "", [launch_figure(res)]),
        Section("Solar split", "", [solar_figure(res)]),
        Section("Power for data centres", "", [power_figure(res)]),
    ]
    if robots is not None:
        secs.extend(robot_sections(robots))
    if errors:
        secs.append(Section("Backtest errors (history scenario)", "Model vs sourced "
                            "observations; rel_error = model / observed - 1.",
                            [backtest_figure(errors)], [table_html(backtest_rows(errors))]))
    secs.append(Section("Design figures used", "From the physics layer (satellite budget, "
                        "data-centre power), medians over samples.",
                        tables_html=[table_html([{"figure": k, "value": v}
                                                 for k, v in res.design.items()])]))
    return secs


def write_report(path: Path, res: StackResult, errors: Sequence[SeriesError] = (),
                 meta: str = "", robots: Mapping[str, Any] | None = None) -> None:
    """Write the self-contained HTML report of a stack run to ``path`` (with the robot
    sections when ``robots``, :func:`terawatt.report.robots_report.robot_economy`, is given)."""
    write(path, f"terawatt run: {res.scenario}", sections(res, errors, robots), meta)
