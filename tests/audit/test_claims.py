"""The claims audit: every claim gets a computed verdict that follows the assumptions."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from tests.conftest import CHEAP_ORBIT

from terawatt.assumptions import load_assumptions
from terawatt.audit.claims import VERDICTS, audit, evaluate_claim, parse_claims
from terawatt.audit.context import fmt
from terawatt.audit.quantities import REGISTRY, AuditContext
from terawatt.constants import SECONDS_PER_HOUR, SECONDS_PER_YEAR
from terawatt.errors import UserError

ALL_IDS = [f"C{i:02d}" for i in range(1, 26)]


def _one(cid: str, *sets: str, scenario: str = "seed"):
    (res,) = audit(load_assumptions(scenario, list(sets)), ids=[cid])
    return res


def test_every_claim_has_a_computed_verdict():
    """Every id C01-C25 of seed/claims.md appears, with a verdict and an explanation; a
    not-checkable claim says why."""
    results = audit(load_assumptions("seed", []))
    assert [r.spec.id for r in results] == ALL_IDS
    for r in results:
        assert r.verdict in VERDICTS
        assert r.explanation
        if r.verdict == "not-checkable":
            assert r.explanation.startswith("Not checkable: ") and len(r.explanation) > 40
        else:
            assert r.model_value is not None
        if r.verdict == "conditional":
            assert r.assumption and r.break_even is not None
        if r.verdict == "input":
            assert r.own_inputs and all(r.spec.id in c.claims for c in r.own_inputs)
            assert r.explanation.startswith("Input: ") and r.support


def test_packaged_claims_match_the_seed_list():
    """claims.toml covers exactly the ids of the seed's numbered claims (a copy of
    shared/seed/claims.md in tests/reference/seed_claims.md)."""
    import re

    from terawatt.audit.claims import packaged_claims_path

    seed = Path(__file__).resolve().parents[1] / "reference" / "seed_claims.md"
    ids = sorted(set(re.findall(r"^\| (C\d\d) \|", seed.read_text(), flags=re.M)))
    assert len(ids) == 25
    specs = parse_claims(packaged_claims_path(), reg=load_assumptions("seed", []))
    assert [s.id for s in specs] == ids


# --- changing an assumption moves the model value and, past the break-even, the verdict ----
def test_c06_launch_cadence_crosses_break_even():
    """C06 (1 TW/yr launchable): compute launched is linear in launches per year; 40x the
    seed's cadence is 40x the compute, and enough flights pass 1 TW/yr."""
    base = _one("C06")
    assert base.verdict == "inconsistent"
    more = _one("C06", "launch.launches_per_year=400000 launch/yr")
    assert_allclose(more.model_value / base.model_value, 40.0, rtol=1e-9)
    assert more.verdict == "consistent"


def test_c06_reports_its_break_even_specific_power(tmp_path):
    """C06 prints the W/kg at which the cadence launches 0.7 TW/yr (the lower edge of 1 TW/yr
    -30 %) even outside the attainable 1-500 W/kg bracket: found by root-finding, checked
    against the algebra mass/yr x W/kg = 0.7e12 W/yr. With a bracket that contains it the claim
    is conditional on that value."""
    base = _one("C06")
    (wpk,) = [b for b in base.break_evens if b.name == "system_specific_power_w_per_kg"]
    mass_kg_per_yr = base.details["mass_to_orbit_t_per_yr"] * 1e3
    assert_allclose(wpk.value, 0.7e12 / mass_kg_per_yr, rtol=1e-6)
    assert_allclose(wpk.at_claimed, 1e12 / mass_kg_per_yr, rtol=1e-6)  # the claimed 1 TW/yr
    assert wpk.side == ">="
    if wpk.value > wpk.hi:
        assert not wpk.in_bracket and base.verdict == "inconsistent"
        assert fmt(wpk.value, "W/kg") in base.explanation
    reg = load_assumptions("seed", [])
    src = (__import__("terawatt.audit.claims", fromlist=["x"]).packaged_claims_path()).read_text()
    src = src.replace(
        '{ driver = "system_specific_power_w_per_kg", unit = "W/kg", lo = 1, hi = 500, '
        "search_hi = 100000 },\n  "
        '{ assumption = "launch.launches_per_year", unit = "launch/yr", lo = 100, hi = 100000 },',
        '{ driver = "system_specific_power_w_per_kg", unit = "W/kg", lo = 1, hi = 100000 },',
    )
    f = tmp_path / "claims.toml"
    f.write_text(src)
    (res,) = audit(reg, claims_file=f, ids=["C06"])
    assert res.verdict == "conditional"
    assert res.assumption == "system_specific_power_w_per_kg"
    assert_allclose(res.break_even, 0.7e12 / mass_kg_per_yr, rtol=1e-6)


def test_c07_reference_consumption_changes_the_verdict():
    assert _one("C07").verdict == "consistent"
    r = _one("C07", "reference.us_electricity_consumption=6000 TW*h/yr")
    assert r.verdict == "inconsistent"
    hours_per_year = SECONDS_PER_YEAR / SECONDS_PER_HOUR
    assert_allclose(r.model_value, 6000e12 / hours_per_year / 1e12, rtol=1e-9)


def test_c08_is_read_in_the_year_it_names():
    """C08 ('100 GW/yr of cells within a year'): the cells needed in the year after the
    interview to fill that year's launches (from the stack's ramp), not at the plateau; a ramp
    that reaches the plateau sooner needs more cells in that year."""
    from terawatt.audit.quantities import AuditContext

    r = _one("C08")
    year = r.details["year"]
    assert year == 2027
    reg = load_assumptions("seed", [])
    ctx = AuditContext(reg)
    launches = ctx.annual("launches", year)
    sat = ctx.satellite
    expected = (
        launches
        * reg.si("launch.payload_per_flight")
        * (1 - reg.si("launch.failure_rate"))
        * reg.si("orbital.launch_share")
        * float(sat.specific_power_w_per_kg[0])
        * float(sat.array_power_bol_w[0] / sat.compute_power_w[0])
        / 1e9
    )
    assert_allclose(r.model_value, expected, rtol=1e-9)
    assert launches < reg.value("launch.launches_per_year", "launch/yr")  # still ramping
    sooner = _one("C08", "launch.ramp.target_year=2028")
    assert sooner.model_value > r.model_value


def test_c09_flags_the_cny_usd_slip_and_follows_the_price():
    """C09: 0.25-0.30 matches the Chinese cell price in CNY/W (0.27 CNY/W, SolarBe 2025), not
    in USD/W; at 2 CNY/W the cell would cost ~0.28 USD/W and the claim would hold."""
    r = _one("C09")
    assert r.verdict == "inconsistent"
    assert r.units_slip and "CNY/W" in r.units_slip
    assert "slip lies in the quoted figure" in r.units_slip
    hi = _one("C09", "costs.solar.cell_price_china=2 CNY/W")
    assert hi.verdict == "consistent"
    assert hi.units_slip is None


def test_c11_is_judged_on_both_halves():
    """C11: 110,000 GB300 ~ 300 MW *and* 330,000 ~ 1 GW. Facility power is linear in the
    count (3x the accelerators, 3x the power), so the two halves imply 900 MW, not 1 GW; the
    claim holds only where both fall within 15 %, found by root-finding on the PUE."""
    r = _one("C11")
    (big,) = r.parts
    assert_allclose(big.value / r.model_value, 3.0, rtol=1e-9)
    both = (abs(r.model_value / 300 - 1) <= 0.15) and (abs(big.value / 1000 - 1) <= 0.15)
    assert (r.verdict == "consistent") == both
    if r.verdict == "conditional":
        assert r.assumption == "datacenter.pue"
        at = _one("C11", f"datacenter.pue={r.break_even * 1.001:.6f}")
        assert at.verdict == "consistent" and all(p.holds for p in at.parts)
    hot = _one("C11", "datacenter.pue=1.8")
    reg = load_assumptions("seed", [])
    assert_allclose(hot.model_value / r.model_value, 1.8 / reg.si("datacenter.pue"))


def test_c13_stranded_chips_follow_the_power_supply():
    """C13 (chips pile up unpowered by end 2026), from the stack run: less gas power for data
    centres strands more chips; when the published range of that share straddles the 1 %
    threshold, the verdict flips and the break-even share is found between."""
    scarce = _one("C13", "power.gas.dc_share=0.1")
    ample = _one("C13", "power.gas.dc_share=0.5")
    if scarce.model_value is None:
        pytest.skip("no stack model in this build")
    assert scarce.model_value >= ample.model_value
    if scarce.model_value >= 0.01 > ample.model_value:
        assert scarce.verdict in ("consistent", "input")  # input: only with its own premise
        assert ample.verdict == "conditional" and ample.assumption == "power.gas.dc_share"
        assert 0.1 <= ample.break_even < 0.5




def test_c03_break_even_launch_price_then_consistent_below_it():
    """C03 (space cheapest by early 2029): with cheap satellites the claim turns on the launch
    price: conditional with a break-even price at which the cost ratio is exactly 1 (and
    consistent below it), or already consistent, when a dear launch makes it fail again."""
    r = _one("C03", *CHEAP_ORBIT)
    ctx = AuditContext(load_assumptions("seed", CHEAP_ORBIT))
    q = REGISTRY["orbit_over_ground_cost_2029"]
    if r.verdict == "consistent":
        assert q(ctx.with_driver("launch_usd_per_kg", 1e4)).value > 1.0
        return
    assert r.verdict == "conditional"
    assert r.assumption == "launch_usd_per_kg"
    ratio = q(ctx.with_driver("launch_usd_per_kg", r.break_even))
    assert_allclose(ratio.value, 1.0, atol=1e-6)
    cheap = _one(
        "C03",
        *CHEAP_ORBIT,
        f"costs.launch.price_base={r.break_even * 0.5:.3f} USD/kg",
        "costs.launch.vehicle_cost=0",
        "costs.launch.propellant=0",
    )
    assert cheap.verdict == "consistent"


def test_c17_regolith_composition():
    """USGS Lunar Sourcebook Table 7.15: SiO2 40.6-48.1 wt% -> Si 19-22.5 wt%."""
    r = _one("C17")
    assert r.verdict == "consistent"
    assert 0.19 <= r.model_value <= 0.225
    low = _one("C17", "economics.lunar.regolith_sio2=0.25")
    assert low.model_value < r.model_value
    assert low.verdict == "conditional"  # holds again anywhere in the published 40.6-48.1 wt%
    assert 0.406 <= low.break_even <= 0.481


def test_unknown_quantity_and_missing_field_are_refused(tmp_path):
    bad = tmp_path / "c.toml"
    bad.write_text(
        '[[claim]]\nid = "X1"\ntext = "t"\nsection = "1"\nsubsystem = "s"\n'
        'quantity = "no_such_thing"\nrelation = "approx"\nsources = ["s"]\n'
    )
    with pytest.raises(
        UserError, match=r"c.toml: claim X1: key 'quantity': unknown quantity 'no_such_thing'"
    ):
        parse_claims(bad, reg=load_assumptions("seed", []))
    bad.write_text(
        '[[claim]]\nid = "X1"\ntext = "t"\nsection = "1"\nsubsystem = "s"\n'
        'relation = "approx"\nsources = ["s"]\n'
    )
    with pytest.raises(UserError, match=r"c.toml: claim X1: missing field 'quantity'"):
        parse_claims(bad, reg=load_assumptions("seed", []))


def test_evaluate_claim_uses_no_typed_verdict(tmp_path):
    """A claim's verdict comes from the model: the same entry with the claimed value moved
    to the model's value becomes consistent."""
    reg = load_assumptions("seed", [])
    ctx = AuditContext(reg)
    (spec,) = [
        s
        for s in parse_claims(
            __import__("terawatt.audit.claims", fromlist=["x"]).packaged_claims_path(), reg=reg
        )
        if s.id == "C06"
    ]
    r = evaluate_claim(spec, ctx)
    from dataclasses import replace

    moved = evaluate_claim(replace(spec, claimed=r.model_value), ctx)
    assert r.verdict == "inconsistent" and moved.verdict == "consistent"


def test_explanations_follow_the_assumptions():
    """Explanations are built from computed values: the design life C03 names and the cluster
    size C11 names follow the registry."""
    r = _one("C03", "satellite.design_life=10 yr")
    assert "10-yr design life" in r.explanation and "5-yr" not in r.explanation
    r = _one("C11", "datacenter.c11_cluster_small=220000")
    assert "220,000 GB300" in r.explanation


def test_report_and_verdicts_agree():
    """Every verdict has a report colour (and nothing else does)."""
    from terawatt.report.claims_report import _COLOURS

    assert set(_COLOURS) == set(VERDICTS)
    assert "input" in VERDICTS


@given(st.floats(-1e6, 1e6), st.floats(0.01, 1e6), st.floats(0.0, 2.0), st.floats(0.0, 0.5))
@settings(max_examples=200, deadline=None)
def test_margin_sign_matches_the_relation(value, claimed, width, tol):
    """margin >= 0 exactly when the relation holds with the tolerance (approx over a range)."""
    from dataclasses import replace

    from terawatt.audit.claims import ClaimSpec, margin

    base = ClaimSpec(
        "X", "t", "1", "s", "q", "approx", ("s",), claimed, claimed * (1 + width), "", tol
    )
    lo, hi = claimed * (1 - tol), claimed * (1 + width) * (1 + tol)
    eps = 1e-6 * claimed
    if abs(value - lo) > eps and abs(value - hi) > eps:
        assert (margin(base, value) >= 0) == (lo <= value <= hi)
        assert (margin(replace(base, relation="at_least"), value) >= 0) == (value >= lo)
        assert (margin(replace(base, relation="at_most"), value) >= 0) == (value <= hi)
