"""Robots build factories only while the factories would be short of what the other inputs
(chips, actuator sets, factory power) can feed: the builders respond to the binding input."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from terawatt.assumptions import load_assumptions
from terawatt.robots.replication import FACTORIES_ONLY
from terawatt.stack import run_stack

SEED = load_assumptions("seed", [])


def _run(*sets: str):
    return run_stack(SEED.with_sets(list(sets)), detail=True, marginal=False)


@settings(max_examples=8, deadline=None)
@given(headroom=st.floats(0.0, 1.0), share=st.floats(0.0, 0.5))
def test_capacity_never_outruns_the_other_inputs_and_builders_never_exceed_the_share(
        headroom, share):
    """Capacity after a step <= max(capacity before, (1 + headroom) x the production the
    other inputs allow); builders <= share x population; nobody builds and works at once."""
    res = _run(f"robots.factory.capacity_headroom={headroom}",
               f"robots.construction_share={share}")
    b = res.bottlenecks["robots"]
    terms = {t: b.values[:, j, :] for j, t in enumerate(b.terms)}
    others = np.minimum(np.minimum(terms["chips"], terms["materials"]), terms["power"])
    cap = res.step("robot_factory_capacity")
    before = np.vstack([cap[:1] * 0 + terms["factories"][:1] / res.dt_s, cap[:-1]])
    bound = np.maximum(before, (1.0 + headroom) * others / res.dt_s)
    assert np.all(cap <= bound * (1 + 1e-9) + 1e-9)
    pop_before = np.vstack([np.full_like(cap[:1], SEED.si("robots.initial_population")),
                            res.step("robots")[:-1]])
    builders = res.step("robots_construction")
    assert np.all(builders <= share * pop_before * (1 + 1e-9) + 1e-9)
    assert np.all(builders >= 0) and np.all(res.step("robots_working") >= -1e-9)


def test_when_actuators_bind_most_robots_work_and_capacity_tracks_output():
    """Seed: actuator sets bind every year, so factory capacity stays within the headroom of
    what is built (here < 2x by 2040) instead of growing on its own, and builders are a small
    share of the population."""
    res = _run()
    built = res.annual_median("robots_built")
    cap_end = res.annual_median("robot_factory_capacity") * 365.25 * 86400
    assert np.all(cap_end[-5:] < 2.0 * built[-5:])
    builders = res.annual_median("robots_construction")
    pop = res.annual_median("robots")
    assert builders[-1] < 0.5 * SEED.si("robots.construction_share") * pop[-1]


def test_when_only_factories_bind_the_full_share_builds():
    """With every other input ample the builders are the full share (the self-replication
    regime whose doubling time the fleet plan gives, tests/robots/test_replication.py)."""
    reg = SEED.with_sets(list(FACTORIES_ONLY))
    res = run_stack(reg, detail=True, marginal=False)
    pop_before = res.step("robots")[:-1]
    builders = res.step("robots_construction")[1:]
    share = reg.si("robots.construction_share")
    # the first ten years: by the run's end (1e28 robots) even the 'ample' inputs run short
    ten = int(round(10 * reg.value("run.steps_per_year", "1/yr")))
    np.testing.assert_allclose(builders[:ten], share * pop_before[:ten], rtol=1e-9)


def test_more_headroom_never_builds_fewer_robots():
    low = _run("robots.factory.capacity_headroom=0.1").annual_median("robots_built")
    high = _run("robots.factory.capacity_headroom=0.5").annual_median("robots_built")
    assert np.all(high >= low * (1 - 1e-9))
