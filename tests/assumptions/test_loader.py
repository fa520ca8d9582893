"""Assumptions registry, scenarios and --set overrides: values, units and every bad input."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terawatt.assumptions import load_assumptions, load_registry
from terawatt.assumptions.loader import parse_assumption_file, read_toml
from terawatt.errors import UserError

GOOD = '''
[thing]
value = 2
unit = "t"
low = 1
high = 3
min = 0
source = { title = "A", publisher = "B", year = 2024 }
'''


def test_packaged_assumptions_all_have_source_and_unit():
    reg = load_registry()
    assert len(reg) > 0
    for key in reg:
        a = reg.get(key)
        assert a.source.title and a.source.publisher and a.source.year
        assert math.isfinite(a.si)


def test_units_converted_to_si(tmp_path):
    p = tmp_path / "demo.toml"
    p.write_text(GOOD)
    (a,) = parse_assumption_file(p)
    assert a.key == "demo.thing"
    assert a.si == pytest.approx(2000.0)  # 2 t = 2000 kg
    assert (a.si_low, a.si_high) == pytest.approx((1000.0, 3000.0))


def test_set_with_unit_converts_to_assumption_unit():
    reg = load_assumptions("baseline", ["reference.us_electricity_consumption=441 GW"])
    # 441 GW average over a (Julian) year = 3865.9 TWh/yr
    assert reg.value("reference.us_electricity_consumption", "TW*h/yr") == pytest.approx(
        3865.9, rel=1e-3)
    assert [o.origin for o in reg.overrides] == ["--set"]


def test_bare_number_is_in_the_assumptions_own_unit():
    reg = load_assumptions("baseline", ["reference.cny_per_usd=7.0"])
    assert reg.get("reference.cny_per_usd").value == 7.0


@pytest.mark.parametrize(
    ("sets", "fragment"),
    [
        (["reference.cny_per_us=7"], "did you mean 'reference.cny_per_usd'"),
        (["reference.cny_per_usd=7 kg"], "wrong dimension"),
        (["reference.cny_per_usd=-1"], "outside the allowed range"),
        (["reference.cny_per_usd"], "expected KEY=VALUE"),
        (["reference.cny_per_usd=abc"], "reference.cny_per_usd"),
    ],
)
def test_bad_set_is_one_line_user_error(sets, fragment):
    with pytest.raises(UserError) as err:
        load_assumptions("baseline", sets)
    assert fragment in str(err.value)
    assert "\n" not in str(err.value)


def test_unknown_scenario_lists_packaged_ones():
    with pytest.raises(UserError, match="packaged scenarios: .*baseline"):
        load_assumptions("no-such-scenario")


def test_malformed_toml_names_line(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text('name = "x"\n[set]\n"a.b" = = 3\n')
    with pytest.raises(UserError, match=r"bad.toml:3: malformed TOML"):
        load_assumptions(str(p))


def test_scenario_file_parent_chain_and_cycle(tmp_path):
    a = tmp_path / "a.toml"
    a.write_text('name = "a"\nparent = "baseline"\n[set]\n'
                 '"reference.cny_per_usd" = "7.3 CNY/USD"\n')
    reg = load_assumptions(str(a))
    assert reg.scenario_chain == ("baseline", "a")
    assert reg.get("reference.cny_per_usd").value == pytest.approx(7.3)
    b = tmp_path / "b.toml"
    c = tmp_path / "c.toml"
    b.write_text(f'name = "b"\nparent = "{c}"\n[set]\n')
    c.write_text(f'name = "c"\nparent = "{b}"\n[set]\n')
    with pytest.raises(UserError, match="cycle"):
        load_assumptions(str(b))


def test_unknown_field_in_assumption_file(tmp_path):
    p = tmp_path / "x.toml"
    p.write_text(GOOD.replace("min = 0", "minimum = 0"))
    with pytest.raises(UserError, match="x.thing.*minimum.*unknown field"):
        parse_assumption_file(p)


def test_value_outside_physical_bounds_in_file(tmp_path):
    p = tmp_path / "x.toml"
    p.write_text(GOOD.replace("value = 2", "value = -2").replace("low = 1", "low = -3"))
    with pytest.raises(UserError, match="outside the allowed range"):
        parse_assumption_file(p)


def test_override_table_with_source_and_range(tmp_path):
    s = tmp_path / "s.toml"
    s.write_text(
        'parent = "baseline"\n[set."reference.cny_per_usd"]\nvalue = 7.1\nlow = 7.0\nhigh = 7.2\n'
        'source = { title = "T", publisher = "P", year = 2025 }\n'
    )
    a = load_assumptions(str(s)).get("reference.cny_per_usd")
    assert (a.value, a.low, a.high, a.source.title) == (7.1, 7.0, 7.2, "T")


def test_sampling_stays_in_range():
    import numpy as np

    reg = load_registry()
    arr = reg.sample(1000, np.random.default_rng(1), ["reference.cny_per_usd"], "triangular")
    a = reg.get("reference.cny_per_usd")
    x = arr["reference.cny_per_usd"]
    assert x.min() >= a.si_low and x.max() <= a.si_high


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_assumption_parser_only_user_errors(text):
    """Any text either parses or is refused with a one-line UserError, never a traceback."""
    try:
        parse_assumption_file("fuzz.toml", text=text)
    except UserError as exc:
        assert "\n" not in str(exc)


_value = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(), st.text(max_size=20),
    st.booleans(), st.dictionaries(st.sampled_from(["value", "unit", "low", "high", "x", "source"]),
                                   st.one_of(st.floats(), st.text(max_size=8), st.integers()),
                                   max_size=4),
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["reference.cny_per_usd", "reference.us_electricity_consumption", "zz"]),
       _value)
def test_fuzz_overrides_only_user_errors(key, value):
    reg = load_registry()
    try:
        out = reg.with_values({key: value}, "fuzz")
    except UserError as exc:
        assert "\n" not in str(exc)
    else:
        assert math.isfinite(out.get(key).si)


def test_read_toml_missing_file():
    with pytest.raises(UserError, match="file not found"):
        read_toml("/nonexistent/x.toml")


def test_override_with_unparseable_unit_is_user_error():
    """A unit string pint cannot tokenise (found by fuzzing) is a one-line user error."""
    with pytest.raises(UserError, match=r"bad unit '\)'"):
        load_registry().with_values({"reference.cny_per_usd": {"value": 7, "unit": ")"}}, "t")
