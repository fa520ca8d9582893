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
    assert "Monte Carlo over the cost ranges" in html


def test_append_to_a_stack_report_keeps_one_plotly_and_adds_the_sections(tmp_path):
    from terawatt.report.claims_report import append_to_report
    from terawatt.report.html import Section, write

    reg = load_assumptions("seed", [])
    path = tmp_path / "report.html"
    write(path, "run", [Section("Compute in orbit and on the ground", "x")])
    append_to_report(path, reg)
    page = path.read_text()
    assert page.count("<script type='text/javascript'>") == 1  # plotly.js inlined once
    assert page.index("Compute in orbit") < page.index("Claims audit (C01-C25)")
    assert page.index("Cost of compute: orbit vs ground") < page.rindex("</body>")
    assert "<td>C25</td>" in page
