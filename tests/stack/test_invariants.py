"""Invariants of the stack model over random assumption draws within their ranges (Hypothesis).

Each example draws 16 samples of every ranged assumption uniformly within [low, high] (one
vectorised run), so 25 examples check 400 parameter sets per property. Each test names the
chip allocation policy it checks (``terawatt.stack.allocation``); the allocation-specific
invariants of the default policy are in ``test_allocation.py``.
"""

from __future__ import annotations

import numpy as np
from conftest import registry
from hypothesis import given, settings
from hypothesis import strategies as st

from terawatt.stack import model, service
from terawatt.stack.allocation import DEFAULT_POLICY, POLICIES

N = 16
DEMAND_LED = [name for name, pol in POLICIES.items() if pol.demand_led and
              not pol.needs_cost_ratio]
SETTINGS = settings(max_examples=25, deadline=None, derandomize=False)

#: supplies: raising any of them must never lower total installed compute
SUPPLY_KEYS = (
    "chips.wafer_starts.base", "chips.wafer_starts.target", "chips.packaging.base",
    "chips.packaging.target", "chips.hbm.base", "chips.hbm.target", "chips.terafab.capacity",
    "chips.accelerators_per_wafer", "chips.packages_per_cowos_wafer",
    "power.grid.china.base", "power.grid.china.target", "power.grid.rest.base",
    "power.grid.rest.target", "power.gas.output.base", "power.gas.output.target",
    "power.gas.orders", "power.gas.initial_backlog", "power.distributed.storage.base",
    "power.distributed.storage.target", "pvmfg.global.base", "pvmfg.global.target",
    "pvmfg.space.base", "pvmfg.space.target", "terrestrial.construction.base",
    "terrestrial.construction.target", "launch.ramp.base", "launch.launches_per_year",
    "launch.payload_per_flight", "orbital.sat_factory.target",
)


#: the chip supplies among them (wafers, packaging, HBM and their yields)
CHIP_KEYS = tuple(k for k in SUPPLY_KEYS if k.startswith("chips."))

#: the supplies of distributed solar + storage, which also powers robot factories
#: (``power.distributed.factory_share``): more of them can build more robots, which take their
#: chips first, so they are checked here with no distributed power for factories (the robots'
#: side is checked in test_distributed_power.py)
DISTRIBUTED_KEYS = tuple(k for k in SUPPLY_KEYS
                         if k.startswith(("power.distributed.storage.", "pvmfg.global.")))


def _draw(scenario: str, seed: int):
    reg = registry(scenario)
    p, design = service.sample_inputs(reg, N, np.random.default_rng(seed), method="uniform")
    return p, design, service.time_axis_from(reg)


def _same_loss_rates(p: dict) -> dict:
    """``p`` with chips lost at the same rate in orbit as on the ground, and no launch losses:
    satellite design life = chip lifetime; no in-orbit failures, array degradation or failed
    launches."""
    q = dict(p)
    q["satellite.design_life"] = p["chips.lifetime"].copy()
    for k in ("orbital.failure_rate", "satellite.array.degradation_per_year",
              "launch.failure_rate"):
        q[k] = np.zeros_like(p[k])
    return q


def _total(run: model.StackRun) -> np.ndarray:
    return run.series["terrestrial_compute_w"] + run.series["orbital_compute_w"]


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1),
       scenario=st.sampled_from(["seed", "baseline", "conservative"]),
       policy=st.sampled_from(["fixed-share", *DEMAND_LED]))
def test_no_negative_stock_and_stranded_nonnegative(seed, scenario, policy):
    p, design, year = _draw(scenario, seed)
    run = model.simulate(p, design, year, detail=False, marginal=False, allocation=policy)
    for name, arr in run.series.items():
        assert np.all(np.isfinite(arr)), name
        assert np.all(arr >= -1e-9 * max(1.0, float(np.max(np.abs(arr))))), name
    assert np.all(run.series["stranded_accelerators"] >= 0)
    assert np.all(run.series["stranded_w"] >= 0)


def _more_never_lowers(p, design, year, key, factor, policy):
    if key in DISTRIBUTED_KEYS:
        p = dict(p)
        p["power.distributed.factory_share"] = np.zeros_like(p["power.distributed.factory_share"])
    base = _total(model.simulate(p, design, year, detail=False, marginal=False,
                                 allocation=policy))
    p2 = dict(p)
    p2[key] = p[key] * factor
    more = _total(model.simulate(p2, design, year, detail=False, marginal=False,
                                 allocation=policy))
    assert np.all(more >= base * (1 - 1e-9) - 1e-6), key


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), key=st.sampled_from(SUPPLY_KEYS),
       factor=st.floats(1.01, 3.0), scenario=st.sampled_from(["seed", "baseline"]))
def test_more_supply_never_lowers_total_compute_fixed_share(seed, key, factor, scenario):
    """fixed-share: chips are never moved between ground and orbit, every stock is a min()."""
    p, design, year = _draw(scenario, seed)
    _more_never_lowers(p, design, year, key, factor, "fixed-share")


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), key=st.sampled_from(SUPPLY_KEYS),
       factor=st.floats(1.01, 3.0),
       scenario=st.sampled_from(["seed", "baseline", "conservative"]))
def test_more_supply_never_lowers_total_compute_same_loss_rates(seed, key, factor, scenario):
    """deploy-where-usable, with chips lost at the same rate in orbit and on the ground: more
    of any supply never lowers installed compute (the allocation itself wastes nothing).

    With the packaged loss rates it can: more orbital capacity moves chips to orbit, where
    they are lost faster (docs/stack.md, "Chip allocation")."""
    p, design, year = _draw(scenario, seed)
    _more_never_lowers(_same_loss_rates(p), design, year, key, factor, DEFAULT_POLICY)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), key=st.sampled_from(CHIP_KEYS),
       factor=st.floats(1.01, 3.0),
       scenario=st.sampled_from(["seed", "baseline", "conservative"]))
def test_more_chip_supply_never_lowers_total_compute(seed, key, factor, scenario):
    """deploy-where-usable, packaged loss rates: more wafers, packaging or HBM never lower
    installed compute (extra chips are made only where they can be deployed or stocked)."""
    p, design, year = _draw(scenario, seed)
    _more_never_lowers(p, design, year, key, factor, DEFAULT_POLICY)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), scenario=st.sampled_from(["seed", "baseline"]),
       policy=st.sampled_from(["fixed-share", *DEMAND_LED]))
def test_mass_launched_equals_satellites_placed_plus_losses(seed, scenario, policy):
    """Mass balance: every kg launched is in a placed satellite or lost with a failed launch."""
    p, design, year = _draw(scenario, seed)
    s = model.simulate(p, design, year, detail=False, marginal=False, allocation=policy).series
    sat_mass_kg = design.compute_w_per_satellite * design.mass_per_compute_w_kg
    placed = s["satellites_launched"] * sat_mass_kg
    np.testing.assert_allclose(s["mass_placed_kg"], placed, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(s["mass_to_orbit_kg"], placed + s["mass_lost_kg"], rtol=1e-9,
                               atol=1e-6)
    lost_share = s["mass_lost_kg"] / np.where(s["mass_to_orbit_kg"] > 0, s["mass_to_orbit_kg"], 1)
    assert np.all((lost_share <= p["launch.failure_rate"] + 1e-12) | (s["mass_to_orbit_kg"] == 0))
    # launches flown for compute never exceed the share of the cadence they may use
    cap = s["launches"] * p["orbital.launch_share"]
    assert np.all(s["odc_launches"] <= cap * (1 + 1e-9) + 1e-9)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), policy=st.sampled_from(["fixed-share", *DEMAND_LED]))
def test_chip_balance(seed, policy):
    """Chips made = chips to robots + to orbit + to ground, every step."""
    p, design, year = _draw("seed", seed)
    s = model.simulate(p, design, year, detail=False, marginal=False, allocation=policy).series
    np.testing.assert_allclose(s["accelerators_produced_w"],
                               s["robot_chip_w"] + s["chips_to_orbit_w"] + s["chips_to_ground_w"],
                               rtol=1e-9)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), policy=st.sampled_from(["fixed-share", *DEMAND_LED]))
def test_orbit_stock_never_exceeds_compute_placed(seed, policy):
    """Satellites only leave the stock (failures, end of life): stock <= cumulative placements."""
    p, design, year = _draw("seed", seed)
    s = model.simulate(p, design, year, detail=False, marginal=False, allocation=policy).series
    placed = np.cumsum(s["orbital_compute_added_w"], axis=0)
    assert np.all(s["orbital_compute_w"] <= placed * (1 + 1e-9) + 1e-6)
    # stock-flow consistency: stock = previous stock - losses + placements
    stock = s["orbital_compute_w"]
    prev = np.vstack([np.zeros((1, stock.shape[1])), stock[:-1]])
    np.testing.assert_allclose(stock, prev - s["orbital_compute_lost_w"]
                               + s["orbital_compute_added_w"], rtol=1e-9, atol=1e-3)
