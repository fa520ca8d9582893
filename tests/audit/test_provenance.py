"""Audit provenance: no verdict rests on an input taken from the claim it judges, every
quantity's declared keys are real and cover what it reads, and the values respond to them."""

from __future__ import annotations

from functools import cache, lru_cache

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from terawatt.assumptions import load_assumptions, load_registry
from terawatt.audit.claims import audit, packaged_claims_path, parse_claims
from terawatt.audit.context import (
    MODELS,
    REGISTRY,
    AuditContext,
    Measurement,
    QuantitySpec,
    load_records,
    undeclared_reads,
)
from terawatt.audit.provenance import (
    RecordingRegistry,
    cited_claims,
    claim_inputs,
    packaged_range,
    without,
)
from terawatt.audit.spec import claim_margin

SEED = load_assumptions("seed", [])


@lru_cache(maxsize=1)
def _seed_results() -> tuple:
    return tuple(audit(SEED))


def _without_claim(reg, claim_id: str):
    """``reg`` with every override that cites ``claim_id`` put back (not only those the
    quantity declares: this also checks the declarations)."""
    keys = {k for k, ci in claim_inputs(reg).items() if claim_id in ci.claims}
    keys &= set(load_registry().items)
    return without(reg, keys), keys


# --- the verdicts over all 25 claims ------------------------------------------------------
def test_no_consistent_verdict_rests_on_an_input_from_its_own_claim():
    """For every claim judged consistent, the model value is the one the model gives with
    every scenario input citing that claim put back to its packaged value; an `input` verdict
    holds on the scenario and fails without those inputs."""
    specs = {s.id: s for s in parse_claims(packaged_claims_path(), reg=SEED)}
    seen_input = 0
    for r in _seed_results():
        q = REGISTRY[r.spec.quantity]
        reg0, keys = _without_claim(SEED, r.spec.id)
        if r.verdict == "consistent":
            m0 = q(AuditContext(reg0))
            assert m0.value == pytest.approx(r.model_value, rel=1e-9), r.spec.id
            assert claim_margin(specs[r.spec.id], m0.value, m0.details) >= 0
        if r.verdict == "input":
            seen_input += 1
            assert {c.key for c in r.own_inputs} <= keys
            assert claim_margin(r.spec, r.model_value, r.details) >= 0
            m0 = q(AuditContext(reg0))
            assert claim_margin(r.spec, m0.value, m0.details) < 0, r.spec.id
            assert r.independent_value == pytest.approx(m0.value, rel=1e-9)
    assert seen_input >= 1


def test_seed_launches_are_an_input_and_robots_are_computed():
    """C01 (10,000 launches/yr) is typed into the seed from the claim itself: `input`, with what
    the published ranges and the rest of the stack support. C21's robot production is computed
    by the stack's robot sector (robots building robot factories), so the seed's claimed ramp
    no longer decides it: never `input`."""
    by_id = {r.spec.id: r for r in _seed_results()}
    assert by_id["C21"].verdict != "input"
    for cid in ("C01",):
        r = by_id[cid]
        assert r.verdict == "input"
        bases = [s.basis for s in r.support]
        assert bases == ["published range", "rest of the stack"]
        assert all(s.holds in (True, False) for s in r.support)
        assert r.independent_value is not None and r.independent_value < r.model_value
    assert {c.key for c in by_id["C01"].own_inputs} >= {"launch.launches_per_year"}


def test_a_scenario_value_citing_the_claim_makes_it_an_input(tmp_path):
    """The Chinese cell price set to the claimed ~0.275 USD/W: from a scenario citing C09 it is
    an `input` (the packaged SolarBe price does not meet the claim); the same value typed with
    --set cites no claim and is judged `consistent` on it."""
    sc = tmp_path / "c09.toml"
    sc.write_text(
        'name = "c09"\nparent = "seed"\n[set]\n"costs.solar.cell_price_china" = '
        '{ value = 1.98, unit = "CNY/W", low = 1.7, high = 2.1, note = "as quoted", '
        'source = { title = "Musk interview 6 Feb 2026, claim C09", publisher = "seed", '
        "year = 2026 } }\n"
    )
    (r,) = audit(load_assumptions(str(sc), []), ids=["C09"])
    assert r.verdict == "input"
    assert [c.key for c in r.own_inputs] == ["costs.solar.cell_price_china"]
    assert r.independent_value < 0.25 * 0.9
    assert r.support and r.support[0].basis == "published range" and r.support[0].holds is False
    (typed,) = audit(load_assumptions("seed", ["costs.solar.cell_price_china=1.98 CNY/W"]),
                     ids=["C09"])
    assert typed.verdict == "consistent" and not typed.own_inputs


def test_a_claim_that_holds_without_its_inputs_is_consistent_on_the_independent_value(tmp_path):
    """US consumption set to exactly half a TW, citing C07: the claim holds without it too
    (the packaged EIA figure), so it is consistent and the value shown is the EIA one."""
    sc = tmp_path / "c07.toml"
    sc.write_text(
        'name = "c07"\nparent = "seed"\n[set]\n"reference.us_electricity_consumption" = '
        '{ value = 4383, unit = "TW*h/yr", source = { title = "claim C07", publisher = "seed",'
        " year = 2026 } }\n"
    )
    (r,) = audit(load_assumptions(str(sc), []), ids=["C07"])
    (eia,) = audit(SEED, ids=["C07"])
    assert r.verdict == "consistent"
    assert r.model_value == pytest.approx(eia.model_value, rel=1e-12)
    assert r.own_inputs and "without the scenario's inputs" in r.explanation


def test_citations_are_read_from_the_override_not_from_an_inherited_note():
    """An override's source names its claim; a packaged note that mentions a claim id does not
    make a plain override claim-sourced."""
    ci = claim_inputs(SEED)
    assert ci["launch.launches_per_year"].claims == ("C01",)
    assert set(ci["orbital.launch_share"].claims) == {"C01", "C19"}
    assert "launch.payload_per_flight" not in ci  # sourced from a company statement
    packaged = load_registry()
    note_cites = [k for k in packaged if cited_claims(packaged.get(k), None)]
    assert note_cites, "expected packaged notes that mention a claim id"
    key = note_cites[0]
    a = packaged.get(key)
    plain = packaged.with_values({key: a.value}, "--set")
    assert key not in claim_inputs(plain)


def test_without_restores_the_packaged_assumption():
    reg0 = without(SEED, ["launch.launches_per_year"])
    assert reg0.get("launch.launches_per_year") == load_registry().get("launch.launches_per_year")
    assert "launch.launches_per_year" not in {o.key for o in reg0.overrides}
    assert "launch.launches_per_year" not in claim_inputs(reg0)


# --- declarations --------------------------------------------------------------------------
def test_every_declared_key_exists():
    """Each quantity's keys, its models' keys and its records exist (in the packaged registry
    and in audit/data/records.toml)."""
    reg = load_registry()
    records = load_records()
    for name, q in REGISTRY.items():
        assert set(q.models) <= set(MODELS), name
        missing = sorted(k for k in q.reads(reg) if k not in reg)
        assert not missing, f"{name}: {missing}"
        assert all(k in records for k in q.records), name
        assert set(q.keys).isdisjoint(q.context_keys), name


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_quantity_reads_only_declared_keys(name):
    """Each quantity runs on a registry that records every access; what it read is declared."""
    assert undeclared_reads(REGISTRY[name], SEED) == set()


def test_an_undeclared_read_is_caught():
    """A quantity reading a key it does not declare is reported by name, also through a
    registry derived with with_values (as break-even searches and C15 do; overriding a key
    reads its entry too, for the unit and bounds)."""

    def sneaky(ctx: AuditContext) -> Measurement:
        sub = ctx.reg.with_values({"launch.failure_rate": 0.01}, "test")
        return Measurement(ctx.reg.si("datacenter.pue") + sub.si("launch.payload_per_flight"))

    q = QuantitySpec("sneaky", sneaky, keys=("datacenter.pue",))
    assert undeclared_reads(q, SEED) == {"launch.failure_rate", "launch.payload_per_flight"}
    rec = RecordingRegistry.wrap(SEED)
    rec.with_values({"datacenter.pue": 1.3}, "test").si("datacenter.pue")
    assert rec.log == {"datacenter.pue"}


# --- the values respond to the declared keys ----------------------------------------------
def _range(key: str) -> tuple[float, float]:
    """The key's range in the seed (its packaged one if the seed dropped it), else +-10 %."""
    a = SEED.get(key)
    if a.low is not None and a.high is not None and a.low < a.high:
        return a.low, a.high
    r = packaged_range(key)
    if r is not None:
        return r
    lo, hi = 0.9 * a.value, 1.1 * a.value
    if a.min is not None:
        lo = max(lo, a.min)
    if a.max is not None:
        hi = min(hi, a.max)
    return lo, hi


_WITH_KEYS = sorted(n for n, q in REGISTRY.items() if q.keys)


@cache
def _at(name: str, key: str, x: float) -> float | None:
    a = SEED.get(key)
    return REGISTRY[name](AuditContext(SEED.with_values({key: f"{x!r} {a.unit}"}, "test"))).value


@pytest.mark.parametrize("name", _WITH_KEYS)
@given(data=st.data())
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_changing_a_declared_key_changes_the_value(name, data):
    """Each declared key moves the model value within its range: a value drawn in the range
    and the range's two ends do not all give the same value. (The value may be flat over part
    of the range, where another term of a min() binds, e.g. no chips stranded once power is
    ample; so the draw is compared with both ends, not only with the current value.)"""
    q = REGISTRY[name]
    key = data.draw(st.sampled_from(q.keys), label="key")
    lo, hi = _range(key)
    x = data.draw(st.floats(lo, hi, allow_nan=False), label="value")
    assume(min(x - lo, hi - x) >= 0.1 * (hi - lo))
    values = [_at(name, key, v) for v in (lo, x, hi)]
    assert all(v is not None for v in values)
    assert len({round(float(v), 12) for v in values if v is not None}) > 1, (key, x, values)


def test_the_own_inputs_of_input_verdicts_are_declared_keys():
    """An `input` verdict's own inputs are among the keys its value responds to (so the
    property test above covers them)."""
    for r in _seed_results():
        if r.verdict == "input":
            assert {c.key for c in r.own_inputs} & set(REGISTRY[r.spec.quantity].keys)
