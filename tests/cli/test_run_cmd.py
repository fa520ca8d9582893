"""``terawatt run``: JSON fields, run folder contents, refused scenarios leave no folder."""

from __future__ import annotations

import json

import pandas as pd
import pytest

YEAR_FIELDS = ("year", "orbital_compute_w", "terrestrial_compute_w", "stranded_accelerators",
               "launches", "mass_to_orbit_kg", "bottleneck_orbital", "bottleneck_terrestrial",
               "h100e", "solar_space_w_per_yr", "solar_ground_w_per_yr", "marginal_gain_w")


def test_run_json_and_run_folder(cli, tmp_path):
    r = cli("run", "--json", "--out", str(tmp_path))
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["scenario"] == "seed"
    assert [y["year"] for y in doc["years"]] == list(range(2026, 2041))
    for f in YEAR_FIELDS:
        assert f in doc["years"][0], f
    assert doc["add_most_compute_now"]
    folders = list(tmp_path.iterdir())
    assert len(folders) == 1 and folders[0].name.endswith("-seed")
    names = {p.name for p in folders[0].iterdir()}
    assert names == {"summary.json", "timeseries.parquet", "report.html", "assumptions.json"}
    html = (folders[0] / "report.html").read_text(encoding="utf-8")
    assert "Bottleneck timeline" in html and "Plotly" in html and "<script src=" not in html
    df = pd.read_parquet(folders[0] / "timeseries.parquet")
    assert len(df) == 60 and "orbital_compute_w" in df and "bottleneck_orbital" in df
    assert "slack_terrestrial_power" in df and "marginal_launch_w" in df
    snap = json.loads((folders[0] / "assumptions.json").read_text())
    assert "run.start_year" in snap["assumptions"]


def test_run_rich_summary(cli, tmp_path):
    r = cli("run", "--scenario", "baseline", "--no-save", "--out", str(tmp_path))
    assert r.exit_code == 0, r.stderr
    assert "Bottleneck timeline" in r.stdout
    assert "What would add the most compute now" in r.stdout
    assert not tmp_path.exists() or not any(tmp_path.iterdir())


def test_history_prints_backtest(cli):
    r = cli("run", "--scenario", "history", "--json", "--no-save")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert {b["series"] for b in doc["backtest_summary"]} == {"launches_global",
                                                              "pv_installations"}
    assert all(abs(b["rel_error"]) < 0.5 for b in doc["backtest"])


def test_samples_give_bands(cli):
    r = cli("run", "--json", "--no-save", "--samples", "30", "--seed", "3")
    assert r.exit_code == 0, r.stderr
    y = json.loads(r.stdout)["years"][-1]
    assert y["terrestrial_compute_w_p05"] <= y["terrestrial_compute_w"] <= y[
        "terrestrial_compute_w_p95"]


@pytest.mark.parametrize("body, key", [
    ('"satellite.design_life" = -5', "satellite.design_life"),
    ('"run.end_year" = 2020', "run.end_year"),
    ('"chips.lifetime" = { value = -1, unit = "yr" }', "chips.lifetime"),
])
def test_bad_scenario_refused_without_run_folder(cli, tmp_path, body, key):
    scen = tmp_path / "bad.toml"
    scen.write_text(f'name = "bad"\nparent = "seed"\n[set]\n{body}\n', encoding="utf-8")
    out = tmp_path / "runs"
    r = cli("run", "--scenario", str(scen), "--out", str(out))
    assert r.exit_code == 2
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and key in lines[0] and "bad.toml" in lines[0]
    assert not out.exists()


@pytest.mark.parametrize("n", ["0", "1000000"])
def test_bad_samples_refused(cli, tmp_path, n):
    r = cli("run", "--samples", n, "--out", str(tmp_path / "runs"))
    assert r.exit_code == 2
    assert "--samples" in r.stderr
    assert not (tmp_path / "runs").exists()


def test_history_report_shows_backtest(cli, tmp_path):
    r = cli("run", "--scenario", "history", "--out", str(tmp_path))
    assert r.exit_code == 0, r.stderr
    assert "Backtest against observations" in r.stdout
    (folder,) = tmp_path.iterdir()
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "Backtest errors (history scenario)" in html and "launches_global" in html
    doc = json.loads((folder / "summary.json").read_text())
    assert doc["backtest_summary"]


def test_claims_sections_appended_on_request(cli, tmp_path):
    r = cli("run", "--claims", "--out", str(tmp_path))
    assert r.exit_code == 0, r.stderr
    (folder,) = tmp_path.iterdir()
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "Bottleneck timeline" in html and "Claims audit" in html
    assert html.count("<script type='text/javascript'>") == 1   # plotly.js inlined once


def test_unknown_allocation_policy_is_one_line(tmp_path):
    """--allocation names one of the stack model's policies; anything else: one line, exit 2,
    no run folder."""
    from tests.conftest import refused

    line = refused(["run", "--allocation", "first-come", "--out", str(tmp_path / "runs")],
                   "--allocation", "first-come")
    assert "deploy-where-usable" in line and "fixed-share" in line
    assert not (tmp_path / "runs").exists()
