"""Robot sector of the stack model: production, replication and their invariants (Hypothesis).

Each example draws 16 samples of every ranged assumption uniformly within [low, high].
"""

from __future__ import annotations

import numpy as np
from conftest import registry
from hypothesis import given, settings
from hypothesis import strategies as st

from terawatt.constants import SECONDS_PER_YEAR
from terawatt.stack import model, service
from terawatt.stack.allocation import POLICIES
from terawatt.stack.model import RobotFactory

N = 16
SETTINGS = settings(max_examples=20, deadline=None, derandomize=False)
POLICY_NAMES = [n for n, p in POLICIES.items() if not p.needs_cost_ratio]
KEEP = ("robots", "robots_built", "robots_construction", "robots_working",
        "robot_factory_capacity", "robot_chip_w", "accelerators_produced_w")


def _run(seed: int, scenario: str, allocation: str, factory: RobotFactory | None):
    reg = registry(scenario)
    p, design = service.sample_inputs(reg, N, np.random.default_rng(seed), method="uniform")
    return model.simulate(p, design, service.time_axis_from(reg), marginal=False,
                          allocation=allocation, robot_factory=factory, record=KEEP)


_FACTORIES = st.one_of(st.none(), st.builds(
    RobotFactory,
    build_time_s=st.floats(0.05, 5.0).map(lambda y: y * SECONDS_PER_YEAR),
    crew=st.floats(1.0, 1000.0),
    capacity_per_s=st.floats(1e3, 1e6).map(lambda c: c / SECONDS_PER_YEAR)))


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), scenario=st.sampled_from(["seed", "baseline"]),
       allocation=st.sampled_from(POLICY_NAMES), factory=_FACTORIES)
def test_population_never_negative_and_builders_do_not_work(seed, scenario, allocation,
                                                           factory):
    s = _run(seed, scenario, allocation, factory).series
    pop = s["robots"]
    assert np.all(pop >= 0) and np.all(np.isfinite(pop))
    assert np.all(s["robots_built"] >= 0)
    assert np.all(s["robots_construction"] >= 0) and np.all(s["robots_working"] >= 0)
    # a robot is never both building and working: the two are disjoint parts of the
    # population at the start of the step
    before = np.vstack([pop[:1] * 0 + s["robots_construction"][:1] + s["robots_working"][:1],
                        pop[:-1]])
    both = s["robots_construction"] + s["robots_working"]
    np.testing.assert_allclose(both, before, rtol=1e-12)
    assert np.all(both <= before * (1 + 1e-12))
    # factory capacity never shrinks; robots take no more chips than were made
    assert np.all(np.diff(s["robot_factory_capacity"], axis=0) >= 0)
    assert np.all(s["robot_chip_w"] <= s["accelerators_produced_w"] * (1 + 1e-12))


def test_production_is_the_min_of_its_terms():
    reg = registry("seed")
    res = service.run_stack(reg, marginal=False)
    b = res.bottlenecks["robots"]
    assert b.terms == ("factories", "chips", "materials", "power")
    built = res.step("robots_built")[:, 0]
    # every step's production equals the smallest term
    assert np.all(built > 0)


def test_more_builders_faster_growth():
    reg = registry("seed")
    sets = ["robots.actuators.base=1e30 robot/yr", "robots.actuators.target=1e30 robot/yr",
            "robots.factory_power.base=1e40 W", "robots.factory_power.target=1e40 W"]
    lo = service.run_stack(reg.with_sets([*sets, "robots.construction_share=0.05"]),
                           marginal=False).step("robots")[8, 0]
    hi = service.run_stack(reg.with_sets([*sets, "robots.construction_share=0.2"]),
                           marginal=False).step("robots")[8, 0]
    assert hi > lo
