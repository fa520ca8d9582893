"""``terawatt robots``: the JSON document agrees with the library, the run folder is strict JSON
with a report, and bad input is one line with exit 2.

The factory plan is cached per assumption set, so after the first call each run takes well
under a second.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from tests.conftest import refused, strict_loads

from terawatt.assumptions import load_assumptions
from terawatt.constants import SECONDS_PER_YEAR
from terawatt.physics.lunar import lunar_comparison
from terawatt.report.robots_report import ROBOT_SECTION_TITLE
from terawatt.robots.replication import plan_factory, replication_from, run_stack_planned
from terawatt.robots.usefulness import FACTORS, UsefulnessParams, usefulness


@pytest.fixture(scope="module")
def doc():
    from typer.testing import CliRunner

    from terawatt.cli import app

    r = CliRunner().invoke(app, ["robots", "--no-save", "--json"], catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    return strict_loads(r.stdout)


def test_population_and_production_equal_the_library(doc):
    reg = load_assumptions("seed")
    res = run_stack_planned(reg, marginal=False)
    assert [y["year"] for y in doc["years"]] == [int(y) for y in res.years]
    np.testing.assert_allclose([y["robots"] for y in doc["years"]],
                               res.annual_median("robots"), rtol=1e-12)
    np.testing.assert_allclose([y["robots_built_per_yr"] for y in doc["years"]],
                               res.annual_median("robots_built"), rtol=1e-12)
    assert [y["bottleneck_robots"] for y in doc["years"]] == res.binding_by_year("robots")
    for y in doc["years"]:
        # a robot is never both building factories and working; production is the minimum
        # of its limits
        assert y["robots_construction"] >= 0 and y["robots_working"] >= 0
        lim = y["production_limits_per_yr"]
        assert y["robots_built_per_yr"] <= min(lim.values()) * (1 + 1e-9)
        assert lim[y["bottleneck_robots"]] == pytest.approx(min(lim.values()), rel=0.05)


def test_factory_from_the_plan_and_both_doubling_times(doc):
    reg = load_assumptions("seed")
    f, rep = doc["factory"], replication_from(reg)
    plan = plan_factory(reg)
    assert f["build_time_s"] == plan.build_time_s and f["crew"] == plan.crew
    assert f["capacity_per_yr"] == pytest.approx(plan.capacity_per_s * SECONDS_PER_YEAR)
    assert "fleet plan" in f["source"] and "humanoid robots per day" in f["goal"]
    assert f["doubling_time_from_plan_yr"] == pytest.approx(
        rep.doubling_time_s / SECONDS_PER_YEAR, rel=1e-12)
    # the stack model, with factories the only limit, doubles as fast as the plan says
    assert f["doubling_time_stack_if_factories_bind_yr"] == pytest.approx(
        f["doubling_time_from_plan_yr"], rel=1e-6)
    assert sum(f["binding_steps"].values()) == f["steps"] == 60


def test_usefulness_is_the_product_of_its_factors(doc):
    rows = doc["usefulness"]["years"]
    ref = usefulness([r["year"] for r in rows],
                     UsefulnessParams.from_registry(load_assumptions("seed")))
    np.testing.assert_allclose([r["usefulness"] for r in rows], ref.usefulness, rtol=1e-12)
    for r in rows:
        assert r["usefulness"] == pytest.approx(math.prod(r[f] for f in FACTORS), rel=1e-12)
        # each factor's contribution separately: log contributions add to ln U, shares to 1
        assert sum(r["log_contribution"].values()) == pytest.approx(r["log_usefulness"])
        assert sum(r["share_of_log_growth"].values()) == pytest.approx(1.0)
        assert 0 < r["task_time_multiplier"] <= 1 and 0 < r["task_reach"] < 1
    assert [r["task_time_multiplier"] for r in rows] == sorted(
        (r["task_time_multiplier"] for r in rows), reverse=True)


def test_lunar_with_never_below_without(doc):
    rows = doc["lunar"]["years"]
    ref = lunar_comparison(load_assumptions("seed"), [r["year"] for r in rows])
    np.testing.assert_allclose([r["compute_with_w_per_yr"] for r in rows], ref.compute_with_w)
    for r in rows:
        assert r["compute_with_w_per_yr"] >= r["compute_without_w_per_yr"]
    assert rows[-1]["compute_with_w_per_yr"] > rows[-1]["compute_without_w_per_yr"]
    start = doc["lunar"]["start_year"]
    assert all(r["plant_mass_kg"] == 0 for r in rows if r["year"] < start)


def test_distributed_factory_power_shown_only_if_recorded(doc):
    res = run_stack_planned(load_assumptions("seed"), marginal=False)
    dist = doc["distributed_factory_power"]
    if "power_distributed_factory_w" in res.series:
        np.testing.assert_allclose([r["power_w"] for r in dist["years"]],
                                   res.annual_median("power_distributed_factory_w"))
    else:
        assert dist is None


def test_tables_and_run_folder(cli, tmp_path):
    r = cli("robots", "--out", str(tmp_path))
    assert r.exit_code == 0, r.stderr
    for title in ("Reference robot factory from the fleet plan", "Robots by year",
                  "Usefulness U = intelligence", "Lunar option", "Run folder:"):
        assert title in r.stdout, title
    (folder,) = tmp_path.iterdir()
    assert folder.name.endswith("-robots-seed")
    names = {p.name for p in folder.iterdir()}
    assert names == {"summary.json", "report.html", "assumptions.json", "years.parquet"}
    summary = strict_loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["run_folder"] == str(folder)
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert ROBOT_SECTION_TITLE in html and "Robot usefulness" in html and "Lunar" in html
    assert "<script src=" not in html          # Plotly inlined: opens offline
    df = pd.read_parquet(folder / "years.parquet")
    assert len(df) == 15 and {"robots", "usefulness", "usefulness_share_chips"} <= set(df)


def test_no_growth_is_null_with_a_reason_not_infinity(cli, tmp_path):
    """No builders: the plan's doubling time is infinite; summary.json says null and why."""
    r = cli("robots", "--set", "robots.construction_share=0", "--out", str(tmp_path))
    assert r.exit_code == 0, r.stderr
    (folder,) = tmp_path.iterdir()
    f = strict_loads((folder / "summary.json").read_text(encoding="utf-8"))["factory"]
    assert f["doubling_time_from_plan_yr"] is None
    assert "construction_share" in f["doubling_time_from_plan_yr_note"]


@pytest.mark.parametrize("args, needles", [
    (["--set", "robots.nope=3"], ("robots.nope",)),
    (["--set", "robots.initial_population=-5"], ("robots.initial_population", "-5")),
    (["--set", "robots.construction_share=1.5"], ("robots.construction_share", "1.5")),
])
def test_bad_input_is_one_line_exit_2(tmp_path, args, needles):
    out = tmp_path / "runs"
    refused(["robots", *args, "--out", str(out)], *needles)
    assert not out.exists()
