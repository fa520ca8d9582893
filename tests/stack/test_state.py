"""The stack model's state and step: named frozen stocks, none negative; sectors as declared."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import registry

from terawatt.constants import SECONDS_PER_YEAR
from terawatt.stack import model, service
from terawatt.stack.allocation import POLICIES
from terawatt.stack.state import Drivers, StackState, initial_state, step_constants
from terawatt.stack.step import RELAX, RELAXED_TERM, SECTORS, step

SCENARIOS = ["seed", "baseline", "conservative", "history"]

STATE_FIELDS = (
    "ground_accelerators_w", "ground_flops", "orbit_accelerators_w", "orbit_flops",
    "orbit_waiting_w", "orbit_waiting_flops", "power_china_w", "power_rest_w", "power_gas_w",
    "power_distributed_w", "power_distributed_factory_w", "dc_built_w", "gas_backlog_w",
    "robots", "robot_factory_capacity",
)


def _inputs(scenario: str, n: int):
    reg = registry(scenario)
    rng = np.random.default_rng(11) if n > 1 else None
    p, design = service.sample_inputs(reg, n, rng, method="uniform")
    return p, design, service.time_axis_from(reg)


def _assert_no_negative(state: StackState, n: int, where: str) -> None:
    for name, arr in state.arrays().items():
        assert arr.shape == (n,), f"{where}: {name}"
        assert np.all(np.isfinite(arr)), f"{where}: {name}"
        assert np.all(arr >= 0), f"{where}: {name} min {arr.min()}"


def test_state_fields_are_named_frozen_and_slotted():
    assert tuple(f.name for f in dataclasses.fields(StackState)) == STATE_FIELDS
    p, design, _ = _inputs("seed", 1)
    st = initial_state(p, design)
    with pytest.raises(dataclasses.FrozenInstanceError):
        st.robots = np.ones(1)  # type: ignore[misc]
    assert not hasattr(st, "__dict__")


@pytest.mark.parametrize("policy", ["fixed-share", "deploy-where-usable"])
@pytest.mark.parametrize("n", [1, 64])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_no_negative_state_field_after_run(scenario, n, policy):
    """The stocks after a whole run (``StackRun.final_state``) are finite and >= 0."""
    p, design, year = _inputs(scenario, n)
    run = model.simulate(p, design, year, detail=False, marginal=False, record=(),
                         allocation=policy)
    assert isinstance(run.final_state, StackState)
    _assert_no_negative(run.final_state, n, scenario)


@pytest.mark.parametrize("policy", ["fixed-share", "deploy-where-usable"])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_no_negative_state_field_at_any_step(scenario, policy):
    """The same for the state after every step, stepping the model by hand."""
    n = 64
    p, design, year = _inputs(scenario, n)
    dt_s = float(year[1] - year[0]) * SECONDS_PER_YEAR
    c, drv = step_constants(p, design, dt_s), Drivers(p, dt_s)
    st = initial_state(p, design)
    _assert_no_negative(st, n, f"{scenario} start")
    for y in year:
        st = step(st, drv.at(float(y)), c, None, POLICIES[policy]).state_after()
        _assert_no_negative(st, n, f"{scenario} {y:.2f}")
    final = model.simulate(p, design, year, detail=False, marginal=False, record=(),
                           allocation=policy).final_state
    assert final is not None
    for name, arr in st.arrays().items():
        np.testing.assert_array_equal(arr, getattr(final, name), err_msg=name)


def test_constraints_derived_from_sectors_keep_their_order():
    """The marginal-gain constraints, in the order the JSON ranking breaks ties by."""
    assert model.CONSTRAINTS == ("wafers", "packaging", "hbm", "power", "construction",
                                 "space_solar", "launch", "sat_factory")
    assert model.SECTOR_TERMS == {s.name: s.terms for s in SECTORS}
    assert list(model.SECTOR_TERMS) == ["chips", "power_gas", "power_distributed", "terrestrial",
                                        "orbital", "robots"]


@pytest.mark.parametrize("policy", ["fixed-share", "deploy-where-usable"])
@pytest.mark.parametrize("constraint", model.CONSTRAINTS)
def test_relaxing_a_constraint_scales_only_its_term(constraint, policy):
    """Relaxing one constraint multiplies its declared term by RELAX and leaves the sector's
    other capacity terms as they were (same state, same step). Under fixed-share the chips
    a sector receives do not change either; under deploy-where-usable they may (the
    allocation sends chips where the relaxed capacity makes room)."""
    p, design, year = _inputs("baseline", 16)
    dt_s = float(year[1] - year[0]) * SECONDS_PER_YEAR
    c, drv = step_constants(p, design, dt_s), Drivers(p, dt_s)
    st, d = initial_state(p, design), drv.at(float(year[4]))
    pol = POLICIES[policy]
    base, relaxed = step(st, d, c, None, pol), step(st, d, c, constraint, pol)
    sector, term = RELAXED_TERM[constraint]
    allocated = {"terrestrial": "chips", "orbital": "chips"}
    for name, value in base.terms(sector).items():
        if policy != "fixed-share" and allocated.get(sector) == name:
            continue
        expected = value * RELAX if name == term else value
        np.testing.assert_array_equal(relaxed.terms(sector)[name], expected, err_msg=name)


def test_recorded_terms_are_the_step_functions_terms():
    """StackRun.terms[sector][k, j] is term j returned by the sector's step function."""
    p, design, year = _inputs("seed", 8)
    run = model.simulate(p, design, year, detail=True, marginal=False)
    dt_s = float(year[1] - year[0]) * SECONDS_PER_YEAR
    c, drv = step_constants(p, design, dt_s), Drivers(p, dt_s)
    st = initial_state(p, design)
    for k, y in enumerate(year[:6]):
        out = step(st, drv.at(float(y)), c, None)
        for spec in SECTORS:
            terms = out.terms(spec.name)
            assert tuple(terms) == spec.terms
            for j, arr in enumerate(terms.values()):
                np.testing.assert_array_equal(run.terms[spec.name][k, j], arr)
        st = out.state_after()
