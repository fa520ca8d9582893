"""Report sections for the claims audit and the cost comparison (presentation only).

:func:`claims_sections` returns the HTML-report sections ``terawatt run`` appends: the claims
table (C01-C25 with computed verdicts), the cost path of delivered compute on the ground and
in orbit, and a tornado of USD per million tokens. The numbers come from
:func:`terawatt.audit.claims.audit` and :func:`terawatt.economics.service.costs_summary`.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from terawatt.assumptions import Registry
from terawatt.report.html import Section, table_html

_COLOURS = {
    "consistent": "#2e7d32",
    "inconsistent": "#c62828",
    "conditional": "#f9a825",
    "input": "#1565c0",
    "not-checkable": "#757575",
}


def claims_table_rows(results: list[Any]) -> list[dict[str, object]]:
    return [
        {
            "id": r.spec.id,
            "claim": r.spec.text,
            "claimed": r.spec.claimed_text(),
            "model": r.model_text(),
            "verdict": r.verdict,
            "why": r.explanation,
        }
        for r in results
    ]


def cost_path_figure(summary: dict[str, Any]) -> go.Figure:
    """USD per million tokens per year, ground vs orbit, with the launch price (right axis)."""
    rows = summary["path"]
    years = [r["year"] for r in rows]
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(
        go.Scatter(
            x=years, y=[r["ground_usd_per_mtok"] for r in rows], name="ground", mode="lines+markers"
        ),
        secondary_y=False,
    )
    fig.add_trace(
        go.Scatter(
            x=years, y=[r["orbit_usd_per_mtok"] for r in rows], name="orbit", mode="lines+markers"
        ),
        secondary_y=False,
    )
    fig.add_trace(
        go.Scatter(
            x=years,
            y=[r["launch_usd_per_kg"] for r in rows],
            name="launch price",
            mode="lines",
            line={"dash": "dot"},
        ),
        secondary_y=True,
    )
    fig.update_yaxes(title_text="USD per million tokens", secondary_y=False, rangemode="tozero")
    fig.update_yaxes(title_text="launch USD/kg", type="log", secondary_y=True)
    fig.update_layout(
        title="Cost of delivered compute, reference model",
        height=420,
        margin={"l": 60, "r": 60, "t": 50, "b": 40},
    )
    return fig


def tornado_figure(tornado: dict[str, Any]) -> go.Figure:
    """Horizontal bars: change of USD/Mtok from the central value at each assumption's low
    and high end, for orbit and ground."""
    rows = list(reversed(tornado["rows"]))
    labels = [r["key"] for r in rows]
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        horizontal_spacing=0.02,
        subplot_titles=(
            f"orbit (central {tornado['orbit_central']:.4f})",
            f"ground (central {tornado['ground_central']:.4f})",
        ),
    )
    for col, side in ((1, "orbit"), (2, "ground")):
        c = tornado[f"{side}_central"]
        for end, colour in (("low", "#1565c0"), ("high", "#ef6c00")):
            fig.add_trace(
                go.Bar(
                    y=labels,
                    x=[r[f"{side}_{end}"] - c for r in rows],
                    base=c,
                    orientation="h",
                    name=f"assumption at its {end}",
                    marker_color=colour,
                    showlegend=col == 1,
                    customdata=[[r[end], r["unit"]] for r in rows],
                    hovertemplate="%{y}: %{customdata[0]:.4g} %{customdata[1]}"
                    "<br>USD/Mtok %{x:.4f}<extra></extra>",
                ),
                row=1,
                col=col,
            )
        fig.add_vline(x=c, line_color="#333", row=1, col=col)
    fig.update_layout(
        barmode="overlay",
        height=max(320, 26 * len(rows) + 120),
        title=f"Tornado of USD per million tokens in {tornado['year']:g}",
        margin={"l": 260, "r": 20, "t": 70, "b": 40},
    )
    return fig


def claims_sections(
    reg: Registry,
    stack_result: Any = None,
    *,
    year: float = 2029.0,
    top: int = 12,
    samples: int = 500,
    seed: int = 0,
) -> list[Section]:
    """Report sections: claims audit table, cost path and tornado.

    Parameters
    ----------
    reg : Registry
        The run's assumptions.
    stack_result : StackResult, optional
        The run's stack result (its launch cadence drives the launch-price learning curve and
        its series feed the stack-model claims); one central run is made if omitted.
    year : float
        Year of the break-evens and the tornado.
    top : int
        Tornado rows.
    samples, seed : int
        Monte Carlo draws of the cost ranges for the share of draws in which orbit wins
        (0 = none), and their seed.
    """
    import numpy as np

    from terawatt.audit.claims import audit
    from terawatt.economics.service import costs_summary

    results = audit(reg, stack=stack_result)
    counts = {v: sum(r.verdict == v for r in results) for v in _COLOURS}
    audit_sec = Section(
        title="Claims audit (C01-C25)",
        text=(
            "Each claim of the interview tested against the models; verdicts are computed, "
            "break-evens found by root-finding. "
            + ", ".join(f"{n} {v}" for v, n in counts.items())
            + "."
        ),
        tables_html=(
            table_html(
                claims_table_rows(results), ["id", "claim", "claimed", "model", "verdict", "why"]
            ),
        ),
    )
    s = costs_summary(
        reg,
        year=year,
        top=top,
        stack=stack_result,
        samples=samples,
        rng=np.random.default_rng(seed),
    )
    mc = s["monte_carlo"]
    mc_text = (
        f" Monte Carlo over the cost ranges ({mc['samples']} triangular draws, {year:g}): orbit "
        f"no dearer than ground in {mc['p_orbit_cheaper']:.1%} of draws; orbit/ground cost "
        f"ratio {mc['ratio_orbit_over_ground']['p05']:.2f} / "
        f"{mc['ratio_orbit_over_ground']['p50']:.2f} / "
        f"{mc['ratio_orbit_over_ground']['p95']:.2f} (5/50/95 %)."
        if mc is not None
        else ""
    )
    cy = s["crossover_year"]
    bes = "; ".join(
        f"{b['driver']} {b['value']:.4g} {b['unit']} (model {b['current']:.4g})"
        if b["value"] is not None
        else f"{b['driver']}: none in [{b['lo']:g}, {b['hi']:g}] {b['unit']}"
        for b in s["break_evens"]
    )
    cost_sec = Section(
        title="Cost of compute: orbit vs ground",
        text=(
            f"Crossover (orbit no dearer than ground): "
            f"{f'{cy:.1f}' if cy is not None else 'none in the run'}. "
            f"Break-evens in {year:g}: {bes}. "
            f"System specific power {s['specific_power_w_per_kg']:.1f} W/kg; "
            f"launch cadence from {s['cadence_source']}." + mc_text
        ),
        figures=(cost_path_figure(s), tornado_figure(s["tornado"])),
        tables_html=(table_html(s["path"]),),
    )
    return [audit_sec, cost_sec]


def sections_html(sections: list[Section]) -> str:
    """HTML of report sections without the page head (plotly.js must already be on the page,
    as :func:`terawatt.report.html.render` puts it)."""
    import html as _html

    parts: list[str] = []
    for sec in sections:
        parts.append(f"<h2>{_html.escape(sec.title)}</h2>")
        if sec.text:
            parts.append(f"<p>{_html.escape(sec.text)}</p>")
        for fig in sec.figures:
            parts.append(
                "<div class='fig'>"
                + fig.to_html(full_html=False, include_plotlyjs=False)
                + "</div>"
            )
        parts.extend(sec.tables_html)
    return "\n".join(parts)


def append_to_report(path: Any, reg: Registry, stack_result: Any = None) -> None:
    """Append :func:`claims_sections` to a report written by :func:`terawatt.report.html.write`
    (inserted before ``</body>``; the file is rewritten in place, inside the caller's run
    folder, so an error leaves no half-written run)."""
    from pathlib import Path

    p = Path(path)
    page = p.read_text(encoding="utf-8")
    end = page.rfind("</body>")
    if end < 0:
        raise ValueError(f"{p}: not a terawatt HTML report (no </body>)")
    extra = sections_html(claims_sections(reg, stack_result))
    p.write_text(page[:end] + extra + "\n" + page[end:], encoding="utf-8")
