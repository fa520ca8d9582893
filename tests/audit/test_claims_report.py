"""Claims report sections render into a self-contained HTML report."""

from __future__ import annotations

from terawatt.assumptions import load_assumptions
from terawatt.report.claims_report import claims_sections
from terawatt.report.html import render


def test_claims_sections_render_with_table_and_figures():
    secs = claims_sections(load_assumptions("seed", []), top=5)
    assert [s.title for s in secs] == ["Claims audit (C01-C25)", "Cost of compute: orbit vs ground"]
    assert len(secs[1].figures) == 2
    html = render("t", secs)
    for cid in ("C01", "C13", "C25"):
        assert f"<td>{cid}</td>" in html
    assert "Tornado of USD per million tokens" in html
