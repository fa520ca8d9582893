"""Self-contained HTML reports: Plotly embedded inline, so a report opens offline.

Presentation only: callers pass finished figures and tables; no model logic lives here.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs


@dataclass(frozen=True)
class Section:
    """One part of a report: a heading, optional prose, figures and HTML tables."""

    title: str
    text: str = ""
    figures: Sequence[go.Figure] = field(default_factory=tuple)
    tables_html: Sequence[str] = field(default_factory=tuple)


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    return get_plotlyjs()


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:1200px;
color:#1b1f23;padding:0 1rem}h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.2rem;
border-bottom:1px solid #ddd;padding-bottom:.3rem}table{border-collapse:collapse;font-size:.85rem;
margin:.6rem 0}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f6f8}.meta{color:#555;font-size:.9rem}.fig{margin:1rem 0}
"""


def table_html(rows: Sequence[dict[str, object]], columns: Sequence[str] | None = None) -> str:
    """A plain HTML table from a list of dicts (values escaped)."""
    if not rows:
        return "<p><em>(none)</em></p>"
    cols = list(columns or rows[0].keys())
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in cols)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_fmt(r.get(c, '')))}</td>" for c in cols) + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def render(title: str, sections: Sequence[Section], meta: str = "") -> str:
    """The whole report as one HTML string with plotly.js inlined once."""
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title><style>{_CSS}</style>",
        f"<script type='text/javascript'>{_plotly_js()}</script></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    if meta:
        parts.append(f"<p class='meta'>{html.escape(meta)}</p>")
    for sec in sections:
        parts.append(f"<h2>{html.escape(sec.title)}</h2>")
        if sec.text:
            parts.append(f"<p>{html.escape(sec.text)}</p>")
        for fig in sec.figures:
            parts.append("<div class='fig'>" + fig.to_html(full_html=False, include_plotlyjs=False)
                         + "</div>")
        parts.extend(sec.tables_html)
    parts.append("</body></html>")
    return "\n".join(parts)


def write(path: Path, title: str, sections: Sequence[Section], meta: str = "") -> None:
    path.write_text(render(title, sections, meta), encoding="utf-8")
