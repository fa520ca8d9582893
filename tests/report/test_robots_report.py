"""The robot sections of the reports: one builder for ``terawatt robots`` and ``terawatt run``;
``summary.json`` of a run is strict JSON (no NaN or Infinity), with null and a reason where a
doubling time is infinite."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from tests.conftest import strict_loads

from terawatt.assumptions import load_assumptions
from terawatt.cli.run_cmd import write_summary
from terawatt.io.jsonsafe import finite
from terawatt.report.robots_report import (
    ROBOT_SECTION_TITLE,
    by_year_rows,
    robot_economy,
    robot_sections,
)
from terawatt.report.stack_report import sections
from terawatt.robots.replication import run_stack_planned


@pytest.fixture(scope="module")
def seed():
    reg = load_assumptions("seed")
    res = run_stack_planned(reg, marginal=False)
    return reg, res, robot_economy(reg, res)


def test_stack_report_reuses_the_robot_sections(seed):
    reg, res, doc = seed
    robot_titles = [s.title for s in robot_sections(doc)]
    assert robot_titles[0] == ROBOT_SECTION_TITLE
    assert "Robot usefulness: intelligence x chips x dexterity" in robot_titles
    titles = [s.title for s in sections(res, robots=doc)]
    assert [t for t in titles if t in robot_titles] == robot_titles
    assert ROBOT_SECTION_TITLE not in [s.title for s in sections(res)]
    # the stale "placeholder ramp" description of the robot sector is gone
    assert not any("placeholder" in s.text for s in sections(res, robots=doc))


def test_document_is_strict_json_and_flat_rows_cover_every_year(seed):
    _, res, doc = seed
    strict_loads(json.dumps(doc, allow_nan=False))
    rows = by_year_rows(doc)
    assert [r["year"] for r in rows] == [int(y) for y in res.years]
    for r in rows:
        assert r["usefulness"] == pytest.approx(r["usefulness_intelligence"]
                                                * r["usefulness_chips"]
                                                * r["usefulness_dexterity"])


def test_finite_replaces_nan_and_infinity(tmp_path):
    doc = {"a": math.inf, "b": [1.0, -math.inf, np.float64("nan")], "c": np.array([np.inf, 2.0]),
           "d": {"e": np.float32(3.0)}}
    assert finite(doc) == {"a": None, "b": [1.0, None, None], "c": [None, 2.0], "d": {"e": 3.0}}
    write_summary(tmp_path / "s.json", doc)
    assert strict_loads((tmp_path / "s.json").read_text())["a"] is None


def test_run_report_has_the_robot_section_and_strict_summary(cli, tmp_path):
    """No robots built (actuator supply 0): the population shrinks, so its doubling time is
    infinite; summary.json writes null and why, never Infinity."""
    r = cli("run", "--out", str(tmp_path), "--set", "robots.actuators.base=0 robot/yr",
            "--set", "robots.actuators.target=0 robot/yr", "--set",
            "robots.construction_share=0")
    assert r.exit_code == 0, r.stderr
    (folder,) = tmp_path.iterdir()
    doc = strict_loads((folder / "summary.json").read_text(encoding="utf-8"))
    years = doc["years"]
    assert all(y["robot_doubling_time_yr"] is None for y in years)
    assert all("did not grow" in y["robot_doubling_time_yr_note"] for y in years)
    fac = doc["robot_factory"]
    assert fac["doubling_time_if_factories_bind_yr"] is None
    assert "construction_share" in fac["doubling_time_if_factories_bind_yr_note"]
    html = (folder / "report.html").read_text(encoding="utf-8")
    for title in (ROBOT_SECTION_TITLE, "Robot usefulness", "intelligence share of ln U",
                  "binding input"):
        assert title in html, title
    assert "—" in r.stdout  # the table shows no doubling time instead of inf
