"""Distributed solar + storage for data centres and for robot factories off the grid (claim C18).

The ``power_distributed`` sector adds ``min(storage x (dc_share + factory_share), ground PV x
pv_share / pv_per_firm_w)`` of firm power per step and splits it ``dc_share : factory_share``
between AI data centres and robot factories; robot factories run on the grid ramp
``robots.factory_power.*`` plus their accumulated part. The expected values here are
recomputed from the assumptions by other code than the model's (the vectorised
:func:`terawatt.stack.sectors.ramp_from`, cumulative sums), or follow from reasoning about the
min(); none is copied from a model run. Hypothesis examples draw 16 samples of every ranged
assumption uniformly within [low, high].
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import registry
from hypothesis import given, settings
from hypothesis import strategies as st

from terawatt.constants import SECONDS_PER_YEAR
from terawatt.errors import UserError
from terawatt.stack import model, run_stack, sectors, service
from terawatt.stack.allocation import POLICIES

N = 16
SETTINGS = settings(max_examples=20, deadline=None, derandomize=False)
POLICY_NAMES = [n for n, p in POLICIES.items() if not p.needs_cost_ratio]
FACTORY_SHARE = "power.distributed.factory_share"
DC_SHARE = "power.distributed.dc_share"
ROBOT_TERMS = model.SECTOR_TERMS["robots"]
#: the supplies of the distributed sector (Tesla storage deployments, world ground PV)
DISTRIBUTED_SUPPLY_KEYS = ("power.distributed.storage.base", "power.distributed.storage.target",
                           "pvmfg.global.base", "pvmfg.global.target")
#: a supply so large that the other term of the distributed min() binds [W/yr]
HUGE = "1e18 W/yr"


def _draw(scenario: str, seed: int):
    reg = registry(scenario)
    p, design = service.sample_inputs(reg, N, np.random.default_rng(seed), method="uniform")
    return p, design, service.time_axis_from(reg)


def _simulate(p, design, year, policy: str = "deploy-where-usable", detail: bool = True):
    return model.simulate(p, design, year, detail=detail, marginal=False, allocation=policy)


def _dt_s(year: np.ndarray) -> float:
    return float(year[1] - year[0]) * SECONDS_PER_YEAR


def _per_step(p, prefix: str, year: np.ndarray) -> np.ndarray:
    """A ramp's flow in each step, its rate at mid-step x dt (vectorised ramp), (T, n)."""
    dt_yr = float(year[1] - year[0])
    return sectors.ramp_from(p, prefix, (year + 0.5 * dt_yr)[:, None]) * _dt_s(year)


def _added(stock: np.ndarray) -> np.ndarray:
    """Per-step additions of a stock that starts at 0 and never retires (T, n)."""
    return np.diff(stock, axis=0, prepend=np.zeros((1, stock.shape[1])))


def _with_factory_share(p, share) -> dict:
    q = dict(p)
    q[FACTORY_SHARE] = np.broadcast_to(np.asarray(share, dtype=float), (N,)).copy()
    return q


# ---------------------------------------------------------------------------------------------
# balance: what is added is min(storage, PV), split between data centres and factories


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1),
       scenario=st.sampled_from(["seed", "baseline", "conservative"]),
       share=st.floats(0.0, 0.2), policy=st.sampled_from(POLICY_NAMES))
def test_added_power_is_the_min_split_between_data_centres_and_factories(seed, scenario, share,
                                                                          policy):
    p, design, year = _draw(scenario, seed)
    p = _with_factory_share(p, share)
    run = _simulate(p, design, year, policy)
    s = run.series
    # the two terms, recomputed from the ramps
    storage = _per_step(p, "power.distributed.storage", year) * (p[DC_SHARE] + p[FACTORY_SHARE])
    pv = (_per_step(p, "pvmfg.global", year) * p["power.distributed.pv_share"]
          / p["power.distributed.pv_per_firm_w"])
    terms = run.terms["power_distributed"]
    np.testing.assert_allclose(terms[:, 0], storage, rtol=1e-9)
    np.testing.assert_allclose(terms[:, 1], pv, rtol=1e-9)
    added = np.minimum(storage, pv)
    np.testing.assert_allclose(s["power_distributed_added_w"], added, rtol=1e-9)
    # balance: data-centre part + factory part == added, each step; neither negative
    dc, factory = _added(s["power_distributed_w"]), _added(s["power_distributed_factory_w"])
    tol_w = 1e-12 * (s["power_distributed_w"] + s["power_distributed_factory_w"])
    np.testing.assert_allclose(dc + factory, added, rtol=1e-9, atol=float(np.max(tol_w)))
    assert np.all(dc >= -tol_w) and np.all(factory >= -tol_w)
    # split in proportion dc_share : factory_share
    np.testing.assert_allclose(factory * p[DC_SHARE], dc * p[FACTORY_SHARE], rtol=1e-9,
                               atol=float(np.max(tol_w)))
    # robot factories: grid ramp + their distributed part; the power term is its energy
    grid = sectors.ramp_from(p, "robots.factory_power",
                             (year + 0.5 * float(year[1] - year[0]))[:, None])
    np.testing.assert_allclose(s["robot_factory_power_grid_w"], grid, rtol=1e-9)
    np.testing.assert_allclose(s["robot_factory_power_w"], grid + s["power_distributed_factory_w"],
                               rtol=1e-9)
    power_term = run.terms["robots"][:, ROBOT_TERMS.index("power")]
    np.testing.assert_allclose(power_term, s["robot_factory_power_w"] * _dt_s(year)
                               / p["robots.energy_per_robot"], rtol=1e-9)
    np.testing.assert_array_equal(s["robots_built"], run.terms["robots"].min(axis=1))


@pytest.mark.parametrize("scenario", ["seed", "baseline", "conservative", "history"])
def test_no_factory_share_leaves_factories_on_the_grid_alone(scenario):
    """factory_share = 0: no distributed power for factories; data centres get min(storage x
    dc_share, PV) as before factories had a share; robot production is the grid-only case and
    does not depend on the distributed supplies at all."""
    p, design, year = _draw(scenario, 7)
    p = _with_factory_share(p, 0.0)
    run = _simulate(p, design, year)
    s = run.series
    assert np.all(s["power_distributed_factory_w"] == 0)
    storage = _per_step(p, "power.distributed.storage", year) * p[DC_SHARE]
    pv = (_per_step(p, "pvmfg.global", year) * p["power.distributed.pv_share"]
          / p["power.distributed.pv_per_firm_w"])
    np.testing.assert_allclose(s["power_distributed_w"], np.cumsum(np.minimum(storage, pv), 0),
                               rtol=1e-9)
    grid = _per_step(p, "robots.factory_power", year)            # W x dt = J per step
    np.testing.assert_allclose(run.terms["robots"][:, ROBOT_TERMS.index("power")],
                               grid / p["robots.energy_per_robot"], rtol=1e-9)
    np.testing.assert_array_equal(s["robot_factory_power_w"], s["robot_factory_power_grid_w"])
    # the distributed supplies no longer reach the robots
    q = dict(p)
    for k in DISTRIBUTED_SUPPLY_KEYS:
        q[k] = p[k] * 3.0
    more = _simulate(q, design, year).series
    np.testing.assert_array_equal(more["robots_built"], s["robots_built"])
    np.testing.assert_array_equal(more["robots"], s["robots"])


# ---------------------------------------------------------------------------------------------
# monotonicity: more supply never fewer robots nor less data-centre power


def _never_lower(more: np.ndarray, base: np.ndarray, name: str) -> None:
    assert np.all(more >= base * (1 - 1e-9) - 1e-9), name


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), key=st.sampled_from(DISTRIBUTED_SUPPLY_KEYS),
       factor=st.floats(1.01, 3.0), scenario=st.sampled_from(["seed", "baseline"]),
       policy=st.sampled_from(POLICY_NAMES))
def test_more_storage_or_pv_never_fewer_robots_nor_less_data_centre_power(seed, key, factor,
                                                                         scenario, policy):
    """Robots built = min(factories, materials, factory power, chip supply): the chip term never
    binds below the others' minimum (robots take their chips first, and under a demand-led
    policy deployable >= the robots' chip demand), so more power never builds fewer."""
    p, design, year = _draw(scenario, seed)
    base = _simulate(p, design, year, policy, detail=False).series
    q = dict(p)
    q[key] = p[key] * factor
    more = _simulate(q, design, year, policy, detail=False).series
    for name in ("robots_built", "robots", "robot_factory_capacity", "power_distributed_w",
                 "power_distributed_factory_w", "robot_factory_power_w"):
        _never_lower(more[name], base[name], name)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), step=st.floats(0.01, 1.0),
       scenario=st.sampled_from(["seed", "baseline"]), policy=st.sampled_from(POLICY_NAMES))
def test_more_factory_share_never_less_factory_power(seed, step, scenario, policy):
    """A larger factory share (up to all the storage not taken by data centres) never gives
    robot factories less power nor fewer robots; data centres never get more."""
    p, design, year = _draw(scenario, seed)
    base = _simulate(p, design, year, policy, detail=False).series
    room = 1.0 - p[DC_SHARE] - p[FACTORY_SHARE]
    q = _with_factory_share(p, p[FACTORY_SHARE] + step * room)
    more = _simulate(q, design, year, policy, detail=False).series
    for name in ("power_distributed_factory_w", "robot_factory_power_w", "robots_built",
                 "robots"):
        _never_lower(more[name], base[name], name)
    _never_lower(base["power_distributed_w"], more["power_distributed_w"], "power_distributed_w")


# ---------------------------------------------------------------------------------------------
# which term binds: battery supply or PV supply


def _binding(res, sector: str) -> np.ndarray:
    return np.asarray(res.bottlenecks[sector].binding)[:, 0]


@pytest.mark.parametrize("scenario", ["seed", "baseline"])
def test_storage_binds_when_pv_is_plentiful_and_pv_when_storage_is(scenario):
    reg = registry(scenario)
    terms = model.SECTOR_TERMS["power_distributed"]
    plenty_pv = run_stack(reg.with_sets([f"pvmfg.global.base={HUGE}",
                                         f"pvmfg.global.target={HUGE}"]), marginal=False)
    assert np.all(_binding(plenty_pv, "power_distributed") == terms.index("storage"))
    assert set(plenty_pv.binding_by_year("power_distributed")) == {"storage"}
    plenty_storage = run_stack(reg.with_sets([f"power.distributed.storage.base={HUGE}",
                                              f"power.distributed.storage.target={HUGE}"]),
                               marginal=False)
    assert np.all(_binding(plenty_storage, "power_distributed") == terms.index("pv"))
    assert set(plenty_storage.binding_by_year("power_distributed")) == {"pv"}
    # PV-bound, each side gets its share of the PV limit, whatever the storage
    v = plenty_storage.bottlenecks["power_distributed"].values
    pv = v[:, terms.index("pv"), 0]
    dc, f = reg.value(DC_SHARE, "dimensionless"), reg.value(FACTORY_SHARE, "dimensionless")
    np.testing.assert_allclose(_added(plenty_storage.step("power_distributed_factory_w"))[:, 0],
                               pv * f / (dc + f), rtol=1e-9)
    np.testing.assert_allclose(_added(plenty_storage.step("power_distributed_w"))[:, 0],
                               pv * dc / (dc + f), rtol=1e-9)


# ---------------------------------------------------------------------------------------------
# factories fully off the grid


OFF_GRID = ["robots.factory_power.base=0 W", "robots.factory_power.target=0 W"]


@pytest.mark.parametrize("scenario", ["seed", "baseline"])
def test_off_grid_factories_build_robots_only_with_distributed_power(scenario):
    reg = registry(scenario).with_sets(OFF_GRID)
    power = ROBOT_TERMS.index("power")
    none = run_stack(reg.with_sets([f"{FACTORY_SHARE}=0"]), marginal=False)
    assert np.all(none.step("robots_built") == 0)
    assert np.all(_binding(none, "robots") == power)
    assert set(none.binding_by_year("robots")) == {"power"}
    some = run_stack(reg, marginal=False)                      # the packaged factory share
    assert reg.value(FACTORY_SHARE, "dimensionless") > 0
    assert np.all(some.step("robots_built") > 0)
    np.testing.assert_array_equal(some.step("robot_factory_power_w"),
                                  some.step("power_distributed_factory_w"))


# ---------------------------------------------------------------------------------------------
# the counterfactual for claim C18 and bad input


def test_counterfactual_without_factory_share_for_the_audit():
    """C18's counterfactual: the same scenario with factory_share = 0. A bare ``--set`` keeps
    the packaged range (0 lies in it), so a Monte Carlo counterfactual pins low = high = 0."""
    reg = registry("seed")
    pinned = reg.with_values({FACTORY_SHARE: {"value": 0, "low": 0, "high": 0}}, "test")
    res = run_stack(pinned, 8, np.random.default_rng(3), marginal=False)
    assert np.all(res.step("power_distributed_factory_w") == 0)
    np.testing.assert_array_equal(res.step("robot_factory_power_w"),
                                  res.step("robot_factory_power_grid_w"))
    central = run_stack(reg, marginal=False)
    without = run_stack(reg.with_sets([f"{FACTORY_SHARE}=0"]), marginal=False)
    assert np.all(central.annual("robots_built") >= without.annual("robots_built") * (1 - 1e-9))
    assert np.all(central.annual("robot_factory_power_w")
                  > without.annual("robot_factory_power_w"))
    assert len(without.binding_by_year("robots")) == len(without.years)


def test_storage_shares_above_one_refused_in_one_line():
    reg = registry("baseline").with_sets([f"{DC_SHARE}=0.95", f"{FACTORY_SHARE}=0.1"])
    with pytest.raises(UserError) as exc:
        run_stack(reg, marginal=False)
    msg = str(exc.value)
    assert "\n" not in msg and "--set" in msg and FACTORY_SHARE in msg and DC_SHARE in msg
    # central values within bounds, but the sampled ranges can exceed all the storage
    wide = registry("baseline").with_values(
        {DC_SHARE: {"value": 0.9, "low": 0.8, "high": 0.99}}, "test")
    run_stack(wide, marginal=False)
    with pytest.raises(UserError, match="sampled sum"):
        run_stack(wide, 64, np.random.default_rng(0), marginal=False)


def test_packaged_factory_share_matches_teslas_own_factory_solar():
    """The packaged factory share keeps Tesla's ratio of factory solar to storage deployed:
    32.4 MW of solar on its factories at the end of 2022 (Tesla Impact Report 2022) against
    6,541 MWh of storage deployed in 2022 (Tesla Q4 2022 update) at 4 h per Megapack, i.e.
    1.64 GW; 32.4 / 1,635 = 1.98 %. Tolerance: half a percentage point."""
    factory_solar_w = 32.4e6
    storage_2022_w = 6_541e6 / 4.0
    assert registry("baseline").value(FACTORY_SHARE, "dimensionless") == pytest.approx(
        factory_solar_w / storage_2022_w, abs=0.005)
