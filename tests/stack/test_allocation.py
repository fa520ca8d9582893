"""Chip allocation policies (``terawatt.stack.allocation``): names, invariants, reproduction.

The default policy, ``deploy-where-usable``, must never leave chips waiting for a launch while
the ground has room for them (nor stranded on the ground while a launch goes unused), and
must keep the chips not installed anywhere (stranded + waiting for launch) within the
inventory horizon (``allocation.inventory_horizon``, sourced in data/allocation.toml):

    inventory after a step <= max(limit, inventory before the step)

with ``limit = horizon x (orbit capacity + ground capacity / chips.lifetime)`` per year
(``inventory_limit_w``); the second term only lets an excess (e.g. a drop in capacity) run
down. The packaged scenarios start with no inventory, so there ``inventory <= limit`` and, in
the form of the issue, ``stranded <= horizon x annual chip output``.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import registry
from hypothesis import given, settings
from hypothesis import strategies as st

from terawatt.errors import UserError
from terawatt.stack import model, run_stack, service
from terawatt.stack.allocation import DEFAULT_POLICY, POLICIES, check_policy
from terawatt.stack.service import ALLOCATION_POLICIES

SCENARIOS = ["seed", "baseline", "conservative", "history"]
N = 16
SETTINGS = settings(max_examples=25, deadline=None, derandomize=False)
#: W: below one accelerator (W per GB300-class package ~1.4 kW), far below any stock here
TOL_W = 1.0


def _draw(scenario: str, seed: int) -> tuple[dict, model.Design, np.ndarray]:
    reg = registry(scenario)
    p, design = service.sample_inputs(reg, N, np.random.default_rng(seed), method="uniform")
    return p, design, service.time_axis_from(reg)


def _rel_tol(*arrays: np.ndarray) -> float:
    return 1e-9 * max(1.0, *(float(np.max(np.abs(a))) for a in arrays))


def _check_where_usable(s: dict, survival: np.ndarray) -> None:
    """No chips wait for a launch while the ground has room; none are stranded on the ground
    while orbit leaves capacity unused; the inventory never grows past its limit."""
    tol = _rel_tol(s["awaiting_launch_w"], s["ground_room_w"], s["stranded_w"])
    waiting_while_room = np.minimum(s["awaiting_launch_w"], s["ground_room_w"])
    assert np.all(waiting_while_room <= tol + TOL_W), waiting_while_room.max()
    unused_orbit = s["orbit_capacity_w"] * survival - s["orbital_compute_added_w"]
    stranded_while_launch = np.minimum(s["stranded_w"], unused_orbit)
    assert np.all(stranded_while_launch <= tol + TOL_W), stranded_while_launch.max()
    inv, limit = s["inventory_w"], s["inventory_limit_w"]
    np.testing.assert_allclose(inv, s["stranded_w"] + s["awaiting_launch_w"], rtol=1e-12)
    before = np.vstack([np.zeros((1, inv.shape[1])), inv[:-1]])
    assert np.all(inv <= np.maximum(limit, before) * (1 + 1e-9) + TOL_W)


# ---------------------------------------------------------------------------------------------
# names and the public API


def test_policy_names_and_default():
    assert ALLOCATION_POLICIES == ("fixed-share", "deploy-where-usable", "cheapest-per-token")
    assert DEFAULT_POLICY == "deploy-where-usable"
    assert check_policy("fixed-share") is POLICIES["fixed-share"]


@pytest.mark.parametrize("bad", ["fixed_share", "Deploy-Where-Usable", "", None, 3])
def test_unknown_policy_is_refused_in_one_line(bad):
    for call in (lambda: run_stack(registry("seed"), allocation=bad, marginal=False),
                 lambda: model.simulate({}, None, np.arange(4.0), allocation=bad)):
        with pytest.raises(UserError) as info:
            call()
        msg = str(info.value)
        assert "\n" not in msg
        assert repr(bad) in msg
        assert "fixed-share, deploy-where-usable, cheapest-per-token" in msg


def test_cheapest_per_token_needs_a_cost_ratio_per_year():
    reg = registry("baseline")
    with pytest.raises(UserError, match="needs orbit_cost_ratio") as info:
        run_stack(reg, allocation="cheapest-per-token", marginal=False)
    assert "\n" not in str(info.value)
    with pytest.raises(UserError, match=r"orbit_cost_ratio: shape \(3,\).*\(15,\)"):
        run_stack(reg, allocation="cheapest-per-token", orbit_cost_ratio=np.ones(3))
    with pytest.raises(UserError, match="allowed: finite values > 0"):
        run_stack(reg, allocation="cheapest-per-token", orbit_cost_ratio=np.zeros(15))


# ---------------------------------------------------------------------------------------------
# what each policy does


def test_fixed_share_has_no_demand_feedback_and_keeps_the_share():
    """fixed-share is the model before policies: output = min(wafers, packaging, HBM), the
    orbital.chip_share of the chips after the robots' goes to orbit, whatever the room."""
    res = run_stack(registry("seed"), allocation="fixed-share")
    chips = res.bottlenecks["chips"]
    assert np.all(np.isinf(chips.values[:, chips.terms.index("deployable")]))
    assert "deployable" not in chips.binding_names()
    s = res.series
    supply = chips.values[:, :3].min(axis=1)
    np.testing.assert_allclose(s["accelerators_produced"], supply, rtol=1e-12)
    after_robots = s["accelerators_produced_w"] - s["robot_chip_w"]
    share = s["chips_to_orbit_w"] / np.where(after_robots > 0, after_robots, 1.0)
    assert np.all(np.diff(share[:, 0]) >= -1e-12)     # the chip_share ramp, never re-routed
    # the seed's plan leaves chips waiting for launch while the ground is chip-bound
    assert np.max(np.minimum(s["awaiting_launch_w"], s["ground_room_w"])) > 1e10


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_default_policy_packaged_scenarios(scenario):
    """Central run: chips go where usable; inventory within the horizon of output and limit."""
    reg = registry(scenario)
    res = run_stack(reg)
    assert res.allocation == DEFAULT_POLICY
    s = res.series
    _check_where_usable(s, 1.0 - reg.si("launch.failure_rate"))
    # no inventory at the start: it never exceeds its limit ...
    assert np.all(s["inventory_w"] <= s["inventory_limit_w"] * (1 + 1e-9) + TOL_W)
    # ... nor the horizon times the year's chip output (the form), every year
    horizon_yr = reg.value("allocation.inventory_horizon", "yr")
    inventory = res.annual("inventory_w")[:, 0]
    output_w = res.annual("accelerators_produced_w")[:, 0]          # W made per year
    assert np.all(inventory <= horizon_yr * output_w * (1 + 1e-9))
    stranded = res.annual("stranded_w")[:, 0]
    assert np.all(stranded <= horizon_yr * output_w * (1 + 1e-9))


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), scenario=st.sampled_from(SCENARIOS))
def test_default_policy_invariants_over_draws(seed, scenario):
    p, design, year = _draw(scenario, seed)
    run = model.simulate(p, design, year, detail=False, marginal=False)
    _check_where_usable(run.series, 1.0 - p["launch.failure_rate"])


def test_seed_chips_no_longer_wait_in_a_warehouse():
    """The issue's case: fixed-share leaves ~hundreds of GW of chips waiting for launch in the
    seed while the ground is chip-bound; deploy-where-usable installs them on the ground, keeps
    orbit at its launch limit and ends with more compute installed."""
    reg = registry("seed")
    fixed = run_stack(reg, allocation="fixed-share", marginal=False)
    usable = run_stack(reg, marginal=False)
    assert fixed.annual_median("awaiting_launch_w")[-1] > 1e11
    assert usable.annual_median("awaiting_launch_w")[-1] < 0.1 * fixed.annual_median(
        "awaiting_launch_w")[-1]
    assert usable.annual_median("terrestrial_compute_w")[-1] > fixed.annual_median(
        "terrestrial_compute_w")[-1]
    assert usable.annual_median("total_compute_w")[-1] > fixed.annual_median(
        "total_compute_w")[-1]
    assert usable.binding_by_year("orbital")[-1] == "launch"


def test_baseline_chip_output_answers_to_deployment():
    """The issue's upstream case: in the power-bound baseline, fixed-share strands a growing
    warehouse; with the default policy chip output is cut to what can be deployed, and the
    chip sector's bottleneck says so."""
    reg = registry("baseline")
    fixed = run_stack(reg, allocation="fixed-share", marginal=False)
    usable = run_stack(reg, marginal=False)
    assert fixed.annual_median("stranded_accelerators")[-1] > 5e7
    assert usable.annual_median("stranded_accelerators")[-1] < 0.2 * fixed.annual_median(
        "stranded_accelerators")[-1]
    assert set(usable.binding_by_year("chips")[1:]) == {"deployable"}
    # the ground is power-bound either way: installed compute is the same
    np.testing.assert_allclose(usable.annual_median("terrestrial_compute_w"),
                               fixed.annual_median("terrestrial_compute_w"), rtol=1e-9)


def test_marginal_gains_follow_the_policy():
    """Power-bound baseline: with demand feedback more wafers add nothing (deployable binds)
    and power adds the most, under both policies."""
    usable = run_stack(registry("baseline"))
    gains = dict(usable.now())
    assert gains["wafers"] == 0.0 and gains["packaging"] == 0.0 and gains["hbm"] == 0.0
    assert usable.now()[0][0] == "power" and gains["power"] > 0


def test_cheapest_per_token_ranks_by_cost():
    """Orbit cheaper in every year: orbit takes first, as deploy-where-usable. Ground cheaper:
    orbit gets only the chips the ground cannot install now."""
    reg = registry("seed")
    years = 15
    usable = run_stack(reg, marginal=False)
    orbit_cheaper = run_stack(reg, allocation="cheapest-per-token", marginal=False,
                              orbit_cost_ratio=np.full(years, 0.5))
    for name, arr in usable.series.items():
        np.testing.assert_array_equal(orbit_cheaper.series[name], arr, err_msg=name)
    ground_cheaper = run_stack(reg, allocation="cheapest-per-token", marginal=False,
                               orbit_cost_ratio=np.full(years, 2.0))
    s = ground_cheaper.series
    room_left = s["ground_room_w"] > TOL_W
    assert room_left.any()
    assert np.all(s["orbital_compute_added_w"][room_left] <= TOL_W)
    assert (ground_cheaper.annual_median("orbital_compute_w")[-1]
            < usable.annual_median("orbital_compute_w")[-1])
    _check_where_usable(s, 1.0 - reg.si("launch.failure_rate"))


def test_cost_ratio_per_year_maps_onto_steps():
    reg = registry("seed")
    ratio = np.where(np.arange(15) < 5, 2.0, 0.5)          # ground cheaper until 2030
    mixed = run_stack(reg, allocation="cheapest-per-token", marginal=False,
                      orbit_cost_ratio=ratio)
    usable = run_stack(reg, marginal=False)
    late = mixed.time >= 2031.0                               # same rule after 2030 ...
    first = int(np.argmax(mixed.time >= 2026.0))
    assert mixed.series["orbital_compute_added_w"][first, 0] <= usable.series[
        "orbital_compute_added_w"][first, 0]
    # ... so after 2030 every step places what orbit can take whenever the stock allows
    s = mixed.series
    full = s["inventory_w"][late] > TOL_W
    np.testing.assert_allclose(
        s["orbital_compute_added_w"][late][full],
        (s["orbit_capacity_w"][late] * (1 - reg.si("launch.failure_rate")))[full], rtol=1e-9)
