"""HTML report of a sweep (presentation only: figures and tables from ``analysis.json``).

Sections: fan charts of compute and of USD per million tokens, binding-share heat maps per
sector, the crossover-year histogram, Sobol' indices (S1 and ST with CI error bars) and their
convergence, the PRIM boxes, the probability that each claim holds (with its Wilson 95 %
interval). Plotly is embedded once by :mod:`terawatt.report.html`, so the
file opens offline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from terawatt.report.html import Section, table_html, write

_AXIS = {"gridcolor": "#e5e5e5", "zerolinecolor": "#ccc"}
_LAYOUT: dict[str, Any] = {"height": 420, "margin": {"l": 60, "r": 20, "t": 50, "b": 40},
                           "plot_bgcolor": "white", "xaxis": _AXIS, "yaxis": _AXIS}
_PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]
_FANS = (("ground_compute_w", "ground compute", 1e9, "GW", _PALETTE[0]),
         ("orbital_compute_w", "orbital compute", 1e9, "GW", _PALETTE[3]),
         ("ground_usd_per_mtok", "ground", 1.0, "USD/Mtok", _PALETTE[0]),
         ("orbit_usd_per_mtok", "orbit", 1.0, "USD/Mtok", _PALETTE[3]))


def _scaled(v: list[float | None], scale: float) -> list[float | None]:
    return [None if x is None else x / scale for x in v]


def fan_figure(doc: dict[str, Any], columns: tuple[str, ...], title: str, unit: str,
               log: bool = False) -> go.Figure:
    """P5-P95 and P25-P75 bands and the median per year of ``columns``."""
    years = doc["years"]
    fig = go.Figure()
    for col, name, scale, _, color in (f for f in _FANS if f[0] in columns):
        q = {p: _scaled(v, scale) for p, v in doc["fan_chart"][col].items()}
        for lo, hi, op in (("p05", "p95", 0.15), ("p25", "p75", 0.3)):
            fig.add_trace(go.Scatter(x=years + years[::-1], y=q[hi] + q[lo][::-1],
                                     fill="toself", fillcolor=color, opacity=op,
                                     line={"width": 0}, hoverinfo="skip",
                                     name=f"{name} {lo[1:]}-{hi[1:]} %"))
        fig.add_trace(go.Scatter(x=years, y=q["p50"], name=f"{name} median",
                                 line={"color": color}))
    fig.update_layout(title=title, yaxis_title=unit, **_LAYOUT)
    if log:
        fig.update_yaxes(type="log")
    return fig


def binding_figures(doc: dict[str, Any]) -> list[go.Figure]:
    """One heat map per sector: share of samples in which each term binds, per year."""
    figs = []
    for sector, shares in doc["binding_share"].items():
        terms = list(shares)
        fig = go.Figure(go.Heatmap(x=doc["years"], y=terms, z=[shares[t] for t in terms],
                                   zmin=0, zmax=1, colorscale="Blues",
                                   colorbar={"title": "share"}))
        fig.update_layout(title=f"{sector}: share of samples in which each term binds",
                          **{**_LAYOUT, "height": 120 + 40 * len(terms)})
        figs.append(fig)
    return figs


def crossover_figure(doc: dict[str, Any]) -> go.Figure:
    c = doc["crossover"]
    x = [str(y) for y in c["years"]] + [f"none by {c['end_year']}"]
    fig = go.Figure(go.Bar(x=x, y=[*c["share"], c["none_share"]],
                           marker_color=[_PALETTE[0]] * len(c["years"]) + ["#999"]))
    fig.update_layout(title="First year orbit costs at most the ground per token",
                      yaxis_title="share of samples", **_LAYOUT)
    return fig


def sobol_figures(doc: dict[str, Any], top: int = 15) -> list[go.Figure]:
    """Per headline output: S1 and ST bars with CI error bars, and the convergence of ST."""
    s = doc.get("sobol")
    if not s:
        return []
    figs = []
    for entry in s["outputs"].values():
        if "indices" not in entry:
            continue
        names = entry["ranked"][:top]
        ix = entry["indices"]
        fig = go.Figure()
        for idx, color in (("S1", _PALETTE[0]), ("ST", _PALETTE[1])):
            fig.add_trace(go.Bar(x=names, y=[ix[n][idx] for n in names], name=idx,
                                 marker_color=color,
                                 error_y={"type": "data",
                                          "array": [ix[n][f"{idx}_conf"] for n in names]}))
        fig.update_layout(title=f"Sobol' indices: {entry['label']} ({entry['year']}), "
                          f"N = {s['n_base']}", barmode="group", yaxis_title="index [-]",
                          **{**_LAYOUT, "height": 480})
        figs.append(fig)
        conv = entry["convergence"]
        cfig = go.Figure()
        for i, (name, v) in enumerate(conv["inputs"].items()):
            cfig.add_trace(go.Scatter(x=conv["n_base"], y=v["ST"], name=name,
                                      line={"color": _PALETTE[i % len(_PALETTE)]},
                                      error_y={"type": "data", "array": v["ST_conf"]}))
        cfig.update_layout(title=f"Convergence of ST: {entry['label']}",
                           xaxis_title="base size N'", yaxis_title="ST [-]", **_LAYOUT)
        cfig.update_xaxes(type="log")
        figs.append(cfig)
    return figs


def claims_figure(doc: dict[str, Any]) -> go.Figure | None:
    """P(holds) per claim with its Wilson 95 % interval as error bars."""
    rows = doc.get("claims")
    if not rows:
        return None
    ids = [r["id"] for r in rows]
    p = [r["p_holds"] for r in rows]
    fig = go.Figure(go.Bar(
        x=ids, y=p, marker_color=_PALETTE[2],
        customdata=[[r["p_holds_low"], r["p_holds_high"], r["n"]] for r in rows],
        hovertemplate="%{x}: P(holds) %{y:.2f} [%{customdata[0]:.2f}, %{customdata[1]:.2f}], "
                      "n = %{customdata[2]}<extra></extra>",
        error_y={"type": "data", "symmetric": False,
                 "array": [r["p_holds_high"] - r["p_holds"] for r in rows],
                 "arrayminus": [r["p_holds"] - r["p_holds_low"] for r in rows]}))
    fig.update_layout(title=f"Probability that each claim holds ({rows[0]['n']} sampled input "
                      "sets, Wilson 95 % interval)", yaxis_title="P(holds) [-]",
                      **{**_LAYOUT, "yaxis": {**_AXIS, "range": [0, 1.05]}})
    return fig


def claims_table(doc: dict[str, Any]) -> str:
    rows: list[dict[str, object]] = []
    for r in doc.get("claims") or []:
        rows.append({"claim": r["id"], "n": r["n"], "P(holds)": r["p_holds"],
                     "low": r["p_holds_low"], "high": r["p_holds_high"],
                     **{k: v for k, v in r["shares"].items()}})
    return table_html(rows)


def prim_table(doc: dict[str, Any]) -> tuple[str, str]:
    """The PRIM boxes as (text, HTML table)."""
    d = doc["discovery"]
    text = (f"Outcome {d['outcome']}: {d['description']} (year {d['year']}); holds in "
            f"{d['share']:.1%} of {d['cases']} cases.")
    if "skipped" in d:
        return f"{text} PRIM skipped: {d['skipped']}.", ""
    rows: list[dict[str, object]] = []
    for i, b in enumerate(d["boxes"], 1):
        for k, lim in b["limits"].items():
            rows.append({"box": i, "coverage": b["coverage"], "density": b["density"],
                         "input": k, "low": lim["low"], "high": lim["high"],
                         "unit": lim["unit"],
                         "sampled range": f"{lim['range_low']:.4g} .. {lim['range_high']:.4g}"})
    return text, table_html(rows)


def sobol_table(doc: dict[str, Any], top: int = 5) -> str:
    s = doc.get("sobol")
    if not s:
        return ""
    rows: list[dict[str, object]] = []
    for entry in s["outputs"].values():
        for n in entry.get("ranked", [])[:top]:
            ix = entry["indices"][n]
            rows.append({"output": entry["label"], "input": n, "S1": ix["S1"],
                         "S1 CI ±": ix["S1_conf"], "ST": ix["ST"], "ST CI ±": ix["ST_conf"]})
    return table_html(rows)


def write_report(folder: Path, doc: dict[str, Any]) -> Path:
    """``report.html`` in ``folder`` from the analysis ``doc``."""
    spec = doc["spec"]
    c = doc["crossover"]
    text, table = prim_table(doc)
    sections = [
        Section("Compute", "Accelerator power installed at year end: median, 25-75 % and "
                "5-95 % of samples.",
                [fan_figure(doc, ("ground_compute_w", "orbital_compute_w"),
                            "Compute [GW]", "GW")]),
        Section("Cost per token", "USD per million tokens; orbit for satellites launched "
                "that year.",
                [fan_figure(doc, ("ground_usd_per_mtok", "orbit_usd_per_mtok"),
                            "USD per million tokens", "USD/Mtok", log=True)]),
        Section("Crossover year", f"{c['none_share']:.1%} of samples: orbit not cheaper "
                f"by {c['end_year']}.", [crossover_figure(doc)]),
        Section("Binding constraints", "", binding_figures(doc)),
    ]
    if doc.get("sobol"):
        sections.append(Section("Sensitivity (Sobol')", "First-order (S1) and total (ST) "
                                "indices with 95 % bootstrap intervals, inputs ranked by ST.",
                                sobol_figures(doc), [sobol_table(doc)]))
    sections.append(Section("Scenario discovery (PRIM)", text, (), [table] if table else []))
    cfig = claims_figure(doc)
    if cfig is not None:
        sections.append(Section(
            "Claims", "Share of the audited input sets in which each claim holds (verdict "
            "consistent), with its Wilson 95 % score interval, and the share of every verdict. "
            "A claim whose verdict is input holds there only because the scenario took its "
            "figure from the claim: it counts as not established by the model.",
            [cfig], [claims_table(doc)]))
    path = folder / "report.html"
    write(path, "terawatt sweep", sections,
          meta=f"scenario {spec['scenario']}, {doc['rows']:,} rows ({spec['method']}, "
               f"N = {spec['n_samples']}, seed {spec['seed']})")
    return path
