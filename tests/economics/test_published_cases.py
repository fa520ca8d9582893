"""Each published study reproduced by its packaged scenario (``terawatt costs --scenario NAME``)
within 15 % of the study's own headline figure, with the study's own inputs.

The expected values below are the studies' published numbers, typed in from the sources cited
in each docstring, not our output. Where a study's input cannot be expressed in the model the
test says which (docs/published.md explains the gap).
"""

from __future__ import annotations

import json
from functools import cache

import pytest
from typer.testing import CliRunner

from terawatt.assumptions import load_assumptions
from terawatt.cli import app
from terawatt.economics.published import CASES, TOLERANCE, published_case
from terawatt.economics.service import costs_summary
from terawatt.errors import UserError


@cache
def figures(case: str, year: float = 2026.0) -> dict[str, dict]:
    """The comparison rows of ``costs_summary`` for the packaged scenario ``case``."""
    s = costs_summary(load_assumptions(case, []), year=year, top=1)
    (cmp,) = s["published"]
    assert cmp["case"] == case
    return {row["figure"]: row for row in cmp["figures"]}


def ours(case: str, figure: str) -> float:
    value = figures(case)[figure]["ours"]
    assert value is not None, f"{case}.{figure}: the model gave no value"
    return float(value)


def within(value: float, published: float, tol: float = TOLERANCE) -> bool:
    return abs(value / published - 1.0) <= tol


# ------------------------------------------------------------------------------------------
def test_suncatcher_launch_price_reaches_200_usd_per_kg_by_2035():
    """Aguera y Arcas et al., "Towards a future space-based, highly scalable AI infrastructure
    system design" (Project Suncatcher), Google, arXiv:2511.19468, 2025, s2.4 and s4.4,
    https://arxiv.org/abs/2511.19468: with ~20 % per doubling of cumulative launched mass from
    Falcon Heavy, prices "may fall to less than $200/kg by the mid-2030s" (~180 Starship flights
    a year). Ours: the same curve and cadence, launch price in 2035; tolerance 15 %."""
    assert within(ours("suncatcher", "launch_price_2035"), 200.0)


@pytest.mark.parametrize(("figure", "published"), [
    ("launched_power_price_200", 810.0), ("launched_power_price_3600", 14_700.0)])
def test_suncatcher_launched_power_price(figure, published):
    """Suncatcher (arXiv:2511.19468, 2025), s2.4 and Table 1: a Starlink V2 mini-like satellite
    (575 kg, ~28 kW, 5-yr life) has a launched-power price of ~810 USD/kW/yr at 200 USD/kg and
    ~14,700 at 3,600 USD/kg. Ours: the launch term of the orbit cost model (annualised with the
    scenario's zero discount rate over the 5-yr life); tolerance 15 %."""
    assert within(ours("suncatcher", figure), published)


@pytest.mark.parametrize(("figure", "published"), [
    ("orbital_usd_per_w", 51.1), ("terrestrial_usd_per_w", 15.9), ("orbit_over_ground", 3.2)])
def test_mccalip_calculator_defaults(figure, published):
    """A. McCalip, "Economics of Orbital vs Terrestrial Data Centers" (calculator), 2025,
    https://andrewmccalip.com/space-datacenters, formula and defaults in
    github.com/andrewmccalip/thoughts static/js/math.js (commit 278ecbc): 1 GW for 5 years costs
    51.1 B USD in orbit (satellites 23.6 + launch 14.7 + ops 1.2 + GPU replacement 10.6 + NRE
    1.0) and 15.9 B USD on Earth (The Economist, 2 Mar 2026, quotes 15.9 bn USD), x3.2.
    Ours differ in how failures and array sizing are costed (docs/published.md);
    tolerance 15 %."""
    assert within(ours("mccalip", figure), published)


@pytest.mark.parametrize(("figure", "published"), [
    ("orbit_usd_per_gpu_hour_2026", 10.91), ("ground_usd_per_gpu_hour_2026", 2.49)])
def test_semianalysis_2026_cost_per_gpu_hour(figure, published):
    """D. Nishball et al., "To Boldly Go: The Case for Space Datacenters", SemiAnalysis,
    3 Jun 2026, https://newsletter.semianalysis.com/p/to-boldly-go-the-case-for-space-datacenters:
    a 30.5 kW, 16-GPU B300 cluster in 2026 has a levelized cost of compute of 10.91 USD/hr/GPU
    in orbit and 2.49 on the ground (capex 4.1 M USD incl. 1.6 M launch vs 1.4 M USD; 5-yr
    space life, 15-yr Earth facility). Ours per GPU-hour with our IT power per accelerator
    (1,831 W vs the study's 1,906); WACC and utilisation are ours (not published);
    tolerance 15 %."""
    assert within(ours("semianalysis", figure), published)


@pytest.mark.xfail(strict=True, reason=(
    "SemiAnalysis does not publish its launch-price, solar-array and radiator cost paths after "
    "2026 (only the 2026 snapshot), so the parity year cannot be rebuilt from its inputs: our "
    "launch learning on the baseline Falcon 9 cadence leaves no parity by 2040"))
def test_semianalysis_parity_around_2040():
    """SemiAnalysis (Jun 2026): space-Earth parity ~2040 in the base case; tolerance 3 years."""
    value = figures("semianalysis")["parity_year"]["ours"]
    assert value is not None and abs(value - 2040.0) <= 3.0


def test_spacedc_orbit_is_19x_ground_per_delivered_compute():
    """jman4162, spacedc-mdao (orbitdc) README, 2026, https://github.com/jman4162/spacedc-mdao:
    the 1 MW text-inference design costs 1,237 USD per delivered PFLOP-day against 66 for a
    hyperscale Earth baseline, ~19x. Its delivered-compute waterfall (0.75 optical-downlink
    availability) enters as our delivery availability; tolerance 15 %."""
    assert within(ours("spacedc", "orbit_over_ground"), 19.0)


@pytest.mark.parametrize(("figure", "published"), [
    ("capex_per_facility_w", 29.0), ("tco_per_it_w_yr", 8.5)])
def test_epoch_data_centre_costs(figure, published):
    """Epoch AI, Frontier Data Centers hub (Nov 2025, via nextbigfuture), ~29 B USD per GW of
    facility power; Epoch AI, "Servers account for 60% of the total cost of ownership of a
    one-gigawatt AI data center", 2026,
    https://epoch.ai/data-insights/ai-datacenter-cost-breakdown: ~8.5 B USD/yr TCO for 1 GW of
    IT (IT 5 yr, facility 14 yr). Our inputs are rack quotes and McCalip's facility USD/W;
    tolerance 15 %."""
    assert within(ours("epoch", figure), published)


# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", list(CASES))
def test_reference_values_in_the_registry_are_the_published_ones(case):
    """The figures shown by `terawatt costs` are the studies' numbers (checked against the
    literals of the tests above) and every figure carries a source."""
    published = {
        ("suncatcher", "launch_price_2035"): 200.0,
        ("suncatcher", "launched_power_price_200"): 810.0,
        ("suncatcher", "launched_power_price_3600"): 14_700.0,
        ("mccalip", "orbital_usd_per_w"): 51.1,
        ("mccalip", "terrestrial_usd_per_w"): 15.9,
        ("mccalip", "orbit_over_ground"): 3.2,
        ("semianalysis", "orbit_usd_per_gpu_hour_2026"): 10.91,
        ("semianalysis", "ground_usd_per_gpu_hour_2026"): 2.49,
        ("semianalysis", "parity_year"): 2040.0,
        ("spacedc", "orbit_over_ground"): 19.0,
        ("epoch", "capex_per_facility_w"): 29.0,
        ("epoch", "tco_per_it_w_yr"): 8.5,
    }
    for name, row in figures(case).items():
        assert row["published"] == pytest.approx(published[(case, name)], rel=1e-12)
        assert row["source"]


def test_unknown_published_case_is_one_line():
    with pytest.raises(UserError, match="unknown published case 'nope'"):
        published_case("nope")


def test_costs_cli_prints_the_comparison_and_reasoned_break_evens():
    """`terawatt costs --scenario suncatcher --json`: the published block and a value or a
    reasoned 'none' for each of the three drivers."""
    r = CliRunner().invoke(app, ["costs", "--scenario", "suncatcher", "--year", "2035",
                                 "--top", "1", "--json"])
    assert r.exit_code == 0, r.stderr
    s = json.loads(r.stdout)
    (cmp,) = s["published"]
    assert all(row["within"] for row in cmp["figures"])
    assert {b["driver"] for b in s["break_evens"]} == {
        "launch_usd_per_kg", "satellite_usd_per_w", "specific_power_w_per_kg"}
    for b in s["break_evens"]:
        assert b["value"] is not None or b["text"].startswith("none")


def test_unknown_scenario_is_refused_in_one_line():
    r = CliRunner().invoke(app, ["costs", "--scenario", "suncatcher-typo", "--json"])
    assert r.exit_code == 2
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "unknown scenario 'suncatcher-typo'" in lines[0]
    assert r.stdout == ""
