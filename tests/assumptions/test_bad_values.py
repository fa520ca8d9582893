"""Bad values in ``--set`` and in scenario files: each refused in one line naming where it came
from (``--set`` or the file), the key, the value and what is allowed; physical bounds in the
registry; scenario parents resolved from the scenario's own folder."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terawatt.assumptions import load_assumptions, load_registry
from terawatt.assumptions import loader as loader_module
from terawatt.assumptions.loader import parse_assumption_file
from terawatt.errors import UserError
from terawatt.units import parse_unit

SRC = 'source = { title = "T", publisher = "P", year = 2025 }'


def _refused(sets=(), scenario="baseline") -> str:
    with pytest.raises(UserError) as err:
        load_assumptions(scenario, list(sets))
    msg = str(err.value)
    assert "\n" not in msg
    return msg


# ------------------------------------------------------------------------------------------
# --set
# ------------------------------------------------------------------------------------------
P = "launch.payload_per_flight"
U = "economics.utilisation"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("10**10**10 t",
         "--set: key 'launch.payload_per_flight': cannot read '10**10**10 t': '**10**10 t' after "
         "'10' is arithmetic, which is not evaluated; expected one number and an optional unit, "
         "e.g. '150 t', '-2.5', '1.2e6 W/m**2', '5 %'; the key's unit is t"),
        ("5=6",
         "--set: key 'launch.payload_per_flight': cannot read '5=6': unexpected '=6' after '5'; "
         "expected one number and an optional unit, e.g. '150 t', '-2.5', '1.2e6 W/m**2', '5 %'; "
         "the key's unit is t"),
        ("5 6",
         "--set: key 'launch.payload_per_flight': cannot read '5 6': a second number '6' follows "
         "'5'; expected one number and an optional unit, e.g. '150 t', '-2.5', '1.2e6 W/m**2', "
         "'5 %'; the key's unit is t"),
        ("t",
         "--set: key 'launch.payload_per_flight': cannot read 't': it does not start with a "
         "number; expected one number and an optional unit, e.g. '150 t', '-2.5', "
         "'1.2e6 W/m**2', '5 %'; the key's unit is t"),
        ("-5 t",
         "--set: key 'launch.payload_per_flight': value -5 t is outside the allowed range "
         "[0, unbounded] t"),
        ("1e300 Gt",
         "--set: key 'launch.payload_per_flight': value 1e+300 Gt is too large: it is not a "
         "finite number in t"),
        ("150 W",
         "--set: key 'launch.payload_per_flight': value 150 W has the wrong dimension; expected "
         "a quantity in t ([mass])"),
    ],
)
def test_bad_set_values_exact_message(value, message):
    assert _refused([f"{P}={value}"]) == message


@pytest.mark.parametrize(
    ("sets", "message"),
    [
        ([f"{U}=1.5"],
         "--set: key 'economics.utilisation': value 1.5 dimensionless is outside the allowed "
         "range [0, 1] dimensionless"),
        ([f"{U}=150 %"],
         "--set: key 'economics.utilisation': value 150 % (= 1.5 dimensionless) is outside the "
         "allowed range [0, 1] dimensionless"),
        ([f"{U}=-0.1"],
         "--set: key 'economics.utilisation': value -0.1 dimensionless is outside the allowed "
         "range [0, 1] dimensionless"),
    ],
)
def test_fraction_outside_physical_bounds(sets, message):
    assert _refused(sets) == message


@pytest.mark.parametrize(
    "value",
    ["", " ", "5 t t", "5 t extra", "nan", "inf", "-inf t", "1e999", "5 kg**10**10", "(150) t",
     "150 t)", "0x10", "1_000", "5 %%", "abs(-5) t", "150 t 3", "150t=3", "5 m**2**3"],
)
def test_bad_set_values_are_one_line_naming_set_key_and_value(value):
    msg = _refused([f"{P}={value}"])
    assert msg.startswith(f"--set: key '{P}': ")
    if value.strip():
        assert repr(value.strip())[1:-1] in msg or value.strip() in msg
    assert re.search(r"expected|allowed", msg)


def test_percent_is_a_hundredth_of_a_dimensionless_assumption():
    for text in ("5 %", "5%", "5 percent"):
        assert load_assumptions("baseline", [f"{U}={text}"]).get(U).value == pytest.approx(0.05)
    assert load_assumptions("baseline", [f"{U}=8%"]).get(U).value == pytest.approx(0.08)
    # a percentage per year on a 1/yr rate
    reg = load_assumptions("baseline", ["orbital.failure_rate=9 %/yr"])
    assert reg.get("orbital.failure_rate").value == pytest.approx(0.09)


def test_offset_unit_converts_the_value_not_the_factor():
    """80 degC is 353.15 K (a factor-only conversion would give 80 x 274.15 K)."""
    reg = load_assumptions("baseline", ["solar.space_cell_temperature=80 degC"])
    assert reg.get("solar.space_cell_temperature").value == pytest.approx(353.15)


def test_set_that_would_hang_pint_returns_at_once_with_exit_2(tmp_path):
    """pint's parser evaluates 10**10**10 as an integer and never returns; the CLI must not."""
    proc = subprocess.run(
        [sys.executable, "-m", "terawatt", "assumptions", "--json",
         "--set", "launch.payload_per_flight=10**10**10 t"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "launch.payload_per_flight" in lines[0] and "10**10**10 t" in lines[0]


# ------------------------------------------------------------------------------------------
# scenario files
# ------------------------------------------------------------------------------------------
def _scenario(tmp_path: Path, body: str, name: str = "s.toml") -> str:
    p = tmp_path / name
    p.write_text(f'parent = "baseline"\n[set]\n{body}\n', encoding="utf-8")
    return str(p)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (f'"{P}" = {{ value = 100, unit = "t", low = 150, high = 60, {SRC} }}',
         "{f}: key 'launch.payload_per_flight': low 150 is above high 60 t; low must not exceed "
         "high"),
        (f'"{P}" = {{ value = 200, unit = "t", low = 60, high = 150, {SRC} }}',
         "{f}: key 'launch.payload_per_flight': value 200 t is outside its own range [60, 150] t; "
         "the value must lie between low and high"),
        (f'"{U}" = {{ value = 0.8, low = 0.5, high = 1.2 }}',
         "{f}: key 'economics.utilisation': high 1.2 dimensionless is outside the allowed range "
         "[0, 1] dimensionless"),
        (f'"{U}" = {{ value = 0.8, low = -0.1, high = 0.9 }}',
         "{f}: key 'economics.utilisation': low -0.1 dimensionless is outside the allowed range "
         "[0, 1] dimensionless"),
        (f'"{U}" = 1.5',
         "{f}: key 'economics.utilisation': value 1.5 dimensionless is outside the allowed range "
         "[0, 1] dimensionless"),
        (f'"{U}" = "150 %"',
         "{f}: key 'economics.utilisation': value 150 % (= 1.5 dimensionless) is outside the "
         "allowed range [0, 1] dimensionless"),
        (f'"{P}" = "10**10**10 t"',
         "{f}: key 'launch.payload_per_flight': cannot read '10**10**10 t': '**10**10 t' after "
         "'10' is arithmetic, which is not evaluated; expected one number and an optional unit, "
         "e.g. '150 t', '-2.5', '1.2e6 W/m**2', '5 %'; the key's unit is t"),
        (f'"{P}" = nan',
         "{f}: key 'launch.payload_per_flight': value nan is not a finite number"),
        (f'"{P}" = {{ value = inf }}',
         "{f}: key 'launch.payload_per_flight': value inf is not a finite number"),
        (f'"{P}" = {{ value = 100, low = nan, high = 150 }}',
         "{f}: key 'launch.payload_per_flight': low nan is not a finite number"),
        (f'"{P}" = {{ value = 100, unit = 5 }}',
         "{f}: key 'launch.payload_per_flight': unit 5 is not text (e.g. unit = \"t\")"),
        (f'"{P}" = true',
         "{f}: key 'launch.payload_per_flight': value True is not a number"),
        (f'"{P}" = [1, 2]',
         "{f}: key 'launch.payload_per_flight': cannot use value [1, 2]; expected a number, a "
         "string such as \"150 t\" or a table with value, unit, low, high, source, note"),
    ],
)
def test_bad_scenario_values_exact_message(tmp_path, body, message):
    f = _scenario(tmp_path, body)
    assert _refused(scenario=f) == message.format(f=f)


def test_bad_unit_in_scenario_table_names_file_key_and_unit(tmp_path):
    f = _scenario(tmp_path, f'"{P}" = {{ value = 100, unit = "t**10**10" }}')
    msg = _refused(scenario=f)
    assert msg.startswith(f"{f}: key '{P}': bad unit 't**10**10': chained powers; allowed: ")
    assert msg.endswith("; the key's unit is t")


def test_huge_toml_integer_is_refused(tmp_path):
    f = _scenario(tmp_path, f'"{P}" = 1{"0" * 400}')
    assert _refused(scenario=f) == (f"{f}: key '{P}': value 10000000000000000000... is too "
                                    "large (at most ~1e308)")


def test_one_sided_range_conflicting_with_the_kept_bound(tmp_path):
    # the packaged range of payload_per_flight ends at 150 t; a low of 180 t above it is refused
    a = load_registry().get(P)
    assert a.high is not None
    f = _scenario(tmp_path, f'"{P}" = {{ value = 200, unit = "t", low = 180 }}')
    assert _refused(scenario=f) == (
        f"{f}: key '{P}': low 180 t is above high {a.high:g} t (the current high); give both low "
        "and high, with low <= high")


def test_point_value_outside_inherited_range_still_drops_the_range():
    """Only an explicit range is checked; a new point value simply has no range."""
    a = load_assumptions("baseline", [f"{P}=1000 t"]).get(P)
    assert (a.value, a.low, a.high) == (1000.0, None, None)


def test_explicit_range_in_another_unit_is_converted(tmp_path):
    f = _scenario(tmp_path,
                  f'"{P}" = {{ value = 100000, unit = "kg", low = 60000, high = 150000 }}')
    a = load_assumptions(f).get(P)
    assert (a.value, a.low, a.high) == pytest.approx((100.0, 60.0, 150.0))


def test_fragment_error_names_the_fragment_file(tmp_path, monkeypatch):
    (tmp_path / "mine.toml").write_text('name = "mine"\nparent = "baseline"\n[set]\n')
    (tmp_path / "baseline.toml").write_text('name = "baseline"\n[set]\n')
    (tmp_path / "mine").mkdir()
    frag = tmp_path / "mine" / "launch.toml"
    frag.write_text(f'[set]\n"{P}" = {{ value = 100, low = 150, high = 60 }}\n')
    monkeypatch.setattr(loader_module, "_scenario_dir", lambda: tmp_path)
    assert _refused(scenario="mine") == (
        f"{frag}: key '{P}': low 150 is above high 60 t; low must not exceed high")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('unit = "degC"',
         "key 'demo.thing': unit: unit 'degC' has an offset; give the value in K (or another "
         "unit without offset)"),
        ('unit = "t**10**10"', "key 'demo.thing': bad unit 't**10**10': chained powers"),
        ('unit = "5 t"', "key 'demo.thing': bad unit '5 t': a number (5) inside the unit"),
    ],
)
def test_bad_unit_in_assumption_file(tmp_path, line, message):
    p = tmp_path / "demo.toml"
    p.write_text(f'[thing]\nvalue = 20\n{line}\n{SRC}\n')
    with pytest.raises(UserError) as err:
        parse_assumption_file(p)
    assert str(err.value).startswith(f"{p}: {message}")
    assert "\n" not in str(err.value)


# ------------------------------------------------------------------------------------------
# scenario parents
# ------------------------------------------------------------------------------------------
def test_relative_parent_is_read_from_the_scenario_folder(tmp_path, monkeypatch):
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "base.toml").write_text(
        f'name = "base"\nparent = "baseline"\n[set]\n"{P}" = "90 t"\n')
    (folder / "child.toml").write_text(
        f'name = "child"\nparent = "base.toml"\n[set]\n"{U}" = 0.5\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    reg = load_assumptions(str(folder / "child.toml"))
    assert reg.scenario_chain == ("baseline", "base", "child")
    assert reg.get(P).value == 90.0 and reg.get(U).value == 0.5


def test_relative_parent_in_another_folder_and_cwd_relative_top(tmp_path, monkeypatch):
    (tmp_path / "bases").mkdir()
    (tmp_path / "cases").mkdir()
    (tmp_path / "bases" / "root.toml").write_text(
        f'name = "root"\nparent = "baseline"\n[set]\n"{P}" = "80 t"\n')
    (tmp_path / "cases" / "leaf.toml").write_text(
        'name = "leaf"\nparent = "../bases/root.toml"\n[set]\n')
    monkeypatch.chdir(tmp_path / "cases")
    reg = load_assumptions("leaf.toml")  # the top scenario is given relative to the cwd
    assert reg.scenario_chain == ("baseline", "root", "leaf")
    assert reg.get(P).value == 80.0


def test_packaged_names_stay_names(tmp_path, monkeypatch):
    """A sibling file called baseline.toml does not shadow the packaged 'baseline'."""
    (tmp_path / "baseline.toml").write_text(f'name = "impostor"\n[set]\n"{P}" = "1 t"\n')
    child = tmp_path / "child.toml"
    child.write_text('name = "child"\nparent = "baseline"\n[set]\n')
    monkeypatch.chdir(tmp_path)
    reg = load_assumptions(str(child))
    assert reg.scenario_chain == ("baseline", "child")
    assert reg.get(P).value == load_registry().get(P).value


def test_missing_relative_parent_names_file_and_folder(tmp_path, monkeypatch):
    child = tmp_path / "child.toml"
    child.write_text('name = "child"\nparent = "nope.toml"\n[set]\n')
    monkeypatch.chdir("/")
    msg = _refused(scenario=str(child))
    assert msg.startswith(f"{child}: key 'parent': 'nope.toml' is neither a packaged scenario (")
    assert f"({tmp_path / 'nope.toml'} not found;" in msg


@pytest.mark.parametrize("parent", ["5", '""', "[1]"])
def test_parent_must_be_a_name_or_path(tmp_path, parent):
    child = tmp_path / "child.toml"
    child.write_text(f"parent = {parent}\n[set]\n")
    assert "key 'parent': expected a scenario name or a .toml path" in _refused(
        scenario=str(child))


def test_relative_parent_cycle_is_detected(tmp_path, monkeypatch):
    (tmp_path / "a.toml").write_text('parent = "b.toml"\n[set]\n')
    (tmp_path / "b.toml").write_text('parent = "a.toml"\n[set]\n')
    monkeypatch.chdir(tmp_path)
    assert "scenario parent cycle" in _refused(scenario="a.toml")


# ------------------------------------------------------------------------------------------
# physical bounds in the registry
# ------------------------------------------------------------------------------------------
# A dimensionless fraction (0..1) by its name: shares, efficiencies, probabilities, losses...
_FRACTION_NAME = re.compile(
    r"fraction|share|efficiency|probability|degradation|losses|albedo|emissivity|absorptance"
    r"|utilisation|availability|insurance_rate|discount_rate|learning_rate|failure_rate"
    r"|packing_factor|depth_of_discharge|battery_reserve|incidence_factor|iam_b0|regolith"
    r"|illumination_factor|view_factor|refurbishment|sun_synchronous")
# ... or by its note
_FRACTION_NOTE = re.compile(
    r"\b(as a |the )?(fraction|share) of\b|\bprobability\b|\befficiency\b", re.IGNORECASE)
# Ratios whose note mentions one of those words but that are not fractions: no upper bound.
_NOT_FRACTIONS = {
    "chips.gen.ai6.flops_per_w_gain": "a gain (ratio of efficiencies), > 1 by design",
    "chips.gen.successor.flops_per_w_gain": "a gain per generation, > 1 by design",
    "costs.power.heat_rate": "fuel heat per electric energy (Btu/kWh), >= 3,412 by physics",
}


def _is_per_year(unit: str) -> bool:
    return parse_unit(unit).dimensionality == parse_unit("1/yr").dimensionality


def _fraction_keys() -> list[str]:
    reg = load_registry()
    out = []
    for key in reg:
        a = reg.get(key)
        name = key.split(".", 1)[1]
        if "growth" in name or key in _NOT_FRACTIONS:
            continue  # growth rates may exceed 100 %/yr; gains exceed 1
        dimensionless = parse_unit(a.unit).dimensionless
        per_year = _is_per_year(a.unit) and a.unit in ("1/yr", "%/yr")
        if not (dimensionless or per_year):
            continue
        if _FRACTION_NAME.search(name) or (dimensionless and _FRACTION_NOTE.search(a.note)):
            out.append(key)
    return out


def test_fraction_keys_are_found():
    keys = _fraction_keys()
    for expected in ("economics.utilisation", "datacenter.reserve_fraction",
                     "satellite.array.degradation_per_year", "orbital.failure_rate",
                     "fleet.construction.late_delivery_probability", "power.gas.dc_share",
                     "satellite.array.cell_efficiency"):
        assert expected in keys
    assert len(keys) >= 50


@pytest.mark.parametrize("key", _fraction_keys())
def test_every_fraction_share_efficiency_probability_or_yearly_rate_has_bounds(key):
    a = load_registry().get(key)
    assert a.min is not None and a.max is not None, f"{key}: add min/max to the registry"
    assert 0 <= a.min and a.max <= 1, f"{key}: a fraction lies within [0, 1]"
    assert a.min <= a.value <= a.max


# Quantities that may be negative (signed by nature), each with the reason.
_SIGNED = {
    "solar.sapm_a": "empirical exponent coefficient, negative",
    "solar.sapm_b": "empirical wind coefficient, negative",
    "solar.temperature_coefficient": "power falls with temperature",
    "orbit.obliquity_rate": "the obliquity decreases",
    "orbit.epoch": "days from J2000, either side",
}


def test_every_other_quantity_has_a_lower_bound():
    """Counts, masses, powers, prices and durations cannot be negative: each has min >= 0;
    growth rates have min = -1 (a sector cannot shrink by more than all of it per year)."""
    reg = load_registry()
    for key in reg:
        a = reg.get(key)
        if key in _SIGNED:
            continue
        assert a.min is not None, f"{key}: add a physical lower bound (min) to the registry"
        if "growth" in key:
            assert a.min == -1, key
        else:
            assert a.min >= 0, f"{key}: min = {a.min}"


def test_calendar_years_are_bounded():
    reg = load_registry()
    years = [k for k in reg if reg.get(k).unit == "yr" and re.search(r"(^|[._])year$", k)]
    assert len(years) >= 30
    for key in years:
        a = reg.get(key)
        assert a.min is not None and a.max is not None, key


# ------------------------------------------------------------------------------------------
# fuzzing the whole path: --set strings and scenario values
# ------------------------------------------------------------------------------------------
@settings(max_examples=300, deadline=2000)
@given(st.sampled_from([P, U, "solar.space_cell_temperature", "orbital.failure_rate",
                        "satellite.altitude"]),
       st.one_of(st.text(max_size=40),
                 st.from_regex(r"[+-]?\d{1,4}(\.\d{1,3})?([eE][+-]?\d{1,3})? ?"
                               r"(t|kg|%|degC|K|W|1/yr|%/yr|km|m\*\*2|Gt|)", fullmatch=True)))
def test_fuzz_set_strings(key, value):
    try:
        reg = load_registry().with_sets([f"{key}={value}"])
    except UserError as exc:
        assert "\n" not in str(exc)
        assert str(exc).startswith("--set")
    else:
        a = reg.get(key)
        lo = -float("inf") if a.min is None else a.min
        hi = float("inf") if a.max is None else a.max
        assert lo <= a.value <= hi
        if a.low is not None and a.high is not None:
            assert a.low <= a.value <= a.high


_num = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**30, 10**30),
                 st.booleans(), st.text(max_size=6))


@settings(max_examples=300, deadline=2000)
@given(st.sampled_from([P, U]),
       st.fixed_dictionaries({"value": _num},
                             optional={"low": _num, "high": _num,
                                       "unit": st.sampled_from(["t", "kg", "%", "", "W", 3])}))
def test_fuzz_override_tables(key, spec):
    try:
        a = load_registry().with_values({key: spec}, "fuzz.toml").get(key)
    except UserError as exc:
        assert "\n" not in str(exc)
        assert str(exc).startswith("fuzz.toml: key")
    else:
        if a.low is not None and a.high is not None:
            assert a.low <= a.value <= a.high
        assert (a.min is None or a.min <= a.value) and (a.max is None or a.value <= a.max)
