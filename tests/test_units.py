"""The value and unit parser: one number and a unit, nothing else; fuzzed with Hypothesis."""

from __future__ import annotations

import math
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terawatt.errors import UserError
from terawatt.units import (
    MAX_UNIT_CHARS,
    Q_,
    Reading,
    is_offset_unit,
    parse_quantity,
    parse_unit,
    parse_value,
)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("150t", 150.0, "t"),
        ("150 t", 150.0, "t"),
        ("  1.2 kW/kg ", 1.2, "kW/kg"),
        ("42", 42.0, ""),
        ("-2.5", -2.5, ""),
        ("+3", 3.0, ""),
        (".5", 0.5, ""),
        ("5.", 5.0, ""),
        ("1.5e6 W/m**2", 1.5e6, "W/m**2"),
        ("1E-3 kg*m/s^2", 1e-3, "kg*m/s^2"),
        ("7 USD/(kW*h)", 7.0, "USD/(kW*h)"),
        ("5 %", 5.0, "%"),
        ("5%", 5.0, "%"),
        ("5 percent", 5.0, "percent"),
        ("3 %/yr", 3.0, "%/yr"),
        ("0.1/yr", 0.1, "1/yr"),
        ("0.1 1/yr", 0.1, "1/yr"),
        ("0.09 1/(yr*h)", 0.09, "1/(yr*h)"),
        ("2 m^-2", 2.0, "m^-2"),
        ("10 meter per second", 10.0, "meter per second"),
        ("80 degC", 80.0, "degC"),
        ("1e308", 1e308, ""),
    ],
)
def test_reads_a_number_and_a_unit(text, value, unit):
    assert parse_value(text) == Reading(value, unit)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("10**10**10 t", "arithmetic, which is not evaluated"),
        ("2*3 t", "arithmetic"),
        ("5=6", "unexpected '=6'"),
        ("5 6", "a second number '6'"),
        ("5 +6", "a second number"),
        ("5 1", "a second number"),
        ("5 1/2", "a number (2) inside the unit"),
        ("5 10/yr", "a second number"),
        ("5,5", "decimals take a point"),
        ("t", "does not start with a number"),
        ("(5) t", "does not start with a number"),
        ("sqrt(4) t", "does not start with a number"),
        ("nan", "does not start with a number"),
        ("\u0663 t", "does not start with a number"),  # Arabic-Indic 3: ASCII digits only
        ("5 m**\u0663", "unexpected character"),
        ("inf t", "does not start with a number"),
        ("1e400 t", "not finite"),
        ("1e5000", "exponent is malformed or out of range"),
        ("5 t extra", "unknown unit 't extra'"),
        ("5 t 6", "a number (6) inside the unit"),
        ("5 (6) t", "a number (6) inside the unit"),
        ("5 kg**10**10", "chained powers"),
        ("5 m**99", "power 99 is too large"),
        ("5 m**(2)", "must follow a unit and be followed by an integer power"),
        ("5 t)", "unbalanced"),
        ("5 (t", "unbalanced"),
        ("5 t/", "ends with an operator"),
        ("5 t//s", "'/' has no unit before it"),
        ("5 t; rm", "unexpected character ';'"),
        ("5 __import__('os')", "unexpected character"),
        ("5 " + "k" * (MAX_UNIT_CHARS + 1), "longer than"),
        ("", "empty value"),
        ("   ", "empty value"),
    ],
)
def test_refuses_anything_else_in_one_line(text, fragment):
    with pytest.raises(UserError) as err:
        parse_value(text)
    msg = str(err.value)
    assert fragment in msg
    assert "\n" not in msg


def test_value_errors_say_what_is_allowed():
    with pytest.raises(UserError) as err:
        parse_value("10**10**10 t")
    assert str(err.value) == (
        "cannot read '10**10**10 t': '**10**10 t' after '10' is arithmetic, which is not "
        "evaluated; expected one number and an optional unit, e.g. '150 t', '-2.5', "
        "'1.2e6 W/m**2', '5 %'")


def test_percent_is_a_hundredth():
    assert Q_(5.0, parse_unit("%")).to("dimensionless").magnitude == pytest.approx(0.05)
    assert parse_quantity("5%").to("dimensionless").magnitude == pytest.approx(0.05)
    assert parse_quantity("5 percent").to("dimensionless").magnitude == pytest.approx(0.05)


def test_unit_grammar_accepts_every_packaged_unit():
    from terawatt.assumptions import load_registry

    reg = load_registry()
    for key in reg:
        parse_unit(reg.get(key).unit)  # raises on any unit the grammar would refuse


def test_a_number_then_any_packaged_unit_is_read():
    """The claims audit sets values as ``f"{x!r} {unit}"`` with the assumption's own unit."""
    from terawatt.assumptions import load_registry

    reg = load_registry()
    for key in reg:
        unit = reg.get(key).unit
        for x in (0.15, 1e-07, 2.5e22, -3.0):
            assert parse_value(f"{x!r} {unit}") == Reading(x, unit)


def test_offset_units_are_detected():
    assert is_offset_unit("degC") and is_offset_unit("°F")
    assert not is_offset_unit("K") and not is_offset_unit("delta_degC")
    assert not is_offset_unit("t")


# ------------------------------------------------------------------------------------------
# fuzzing: any text either reads to a finite number or is refused with a one-line UserError,
# and returns quickly (the deadline fails an example that takes longer)
# ------------------------------------------------------------------------------------------
def _check(text: str) -> None:
    try:
        r = parse_value(text)
    except UserError as exc:
        assert "\n" not in str(exc)
    else:
        assert math.isfinite(r.value)
        if r.unit:
            parse_unit(r.unit)


_FUZZ = settings(max_examples=600, deadline=500,
                 suppress_health_check=[HealthCheck.too_slow])

_numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.from_regex(r"[+-]?\d{0,4}(\.\d{0,4})?([eE][+-]?\d{1,5})?", fullmatch=True),
    st.sampled_from(["10**10**10", "9**9**9**9", "2**1000", "(5)", "1_000", "0x10", "1e",
                     "inf", "-nan", "1/0", "5=6", "1,5", "", "--5", "+-5"]),
)
_unit_parts = st.sampled_from([
    "t", "kg", "W", "m", "s", "yr", "h", "USD", "H100e", "%", "‰", "degC", "°C", "µm",
    "*", "/", "**", "^", "(", ")", " ", "2", "-1", "10", "99", "**10**10", "1", "e", "E",
    "per", "square", "inf", "nan", "__class__", "[", "]", "'", '"', "\\", ";", "=", ".", "_",
])
_units = st.lists(_unit_parts, max_size=12).map("".join)


@_FUZZ
@given(st.text(max_size=120))
def test_fuzz_any_text(text):
    _check(text)


@_FUZZ
@given(st.text(alphabet=string.printable, max_size=120))
def test_fuzz_printable_text(text):
    _check(text)


@_FUZZ
@given(_numbers, st.sampled_from(["", " ", "  "]), _units)
def test_fuzz_number_then_unit(number, space, unit):
    _check(f"{number}{space}{unit}")


@_FUZZ
@given(_units)
def test_fuzz_unit_parser(unit):
    try:
        parse_unit(unit)
    except UserError as exc:
        assert "\n" not in str(exc)
