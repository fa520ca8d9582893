"""One pint registry for the whole project, with the few non-SI units the models need.

Quantities carry units only at the boundaries (loading assumptions, reporting); inner loops use
plain floats/arrays in SI units with the unit in the variable name.
"""

from __future__ import annotations

from functools import lru_cache

import pint

from terawatt.errors import UserError

ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
# Currency is its own dimension so a price in USD/W can never be mixed with a power.
# Other currencies are deliberately *not* defined as fixed multiples of USD: exchange rates are
# assumptions with sources (see assumptions/data/economics.toml), not unit definitions.
ureg.define("USD = [currency] = usd = dollar")
ureg.define("CNY = [currency_cny] = cny = yuan")
# Countable things are dimensionless so that "launches/yr" and "1/yr" convert freely.
for _name in ("launch", "flight", "wafer", "accelerator", "satellite", "robot", "token",
              "chip", "turbine", "rack", "unit_item", "activity"):
    ureg.define(f"{_name} = 1")
ureg.define("FLOP = 1 = flop")
ureg.define("H100e = 1")
Q_ = ureg.Quantity


@lru_cache(maxsize=4096)
def parse_unit(unit: str) -> pint.Unit:
    """Parse a unit string; raise :class:`UserError` naming it if pint does not know it."""
    try:
        return ureg.Unit(unit)
    except Exception as exc:  # pint raises many kinds (tokenize, syntax, undefined) on bad text
        raise UserError(f"unknown unit {unit!r} ({exc})") from None


def si_factor(unit: str) -> tuple[float, str]:
    """Return (factor, base-unit string) such that ``x [unit] == x * factor [base]``."""
    q = Q_(1.0, parse_unit(unit)).to_base_units()
    return float(q.magnitude), f"{q.units:~}" or "1"


def parse_quantity(text: str) -> pint.Quantity:
    """Parse ``"150t"``, ``"1.2 kW/kg"`` or ``"42"`` into a quantity; UserError if malformed."""
    try:
        q = Q_(text.strip())
    except Exception as exc:  # pint raises many kinds for malformed text
        raise UserError(f"cannot read quantity {text!r} ({exc})") from None
    if not isinstance(q, pint.Quantity):
        q = Q_(float(q), "")
    return q


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert a plain number between units; UserError on a dimension mismatch."""
    try:
        return float(Q_(value, parse_unit(from_unit)).to(parse_unit(to_unit)).magnitude)
    except pint.errors.DimensionalityError:
        raise UserError(
            f"unit {from_unit!r} has dimension {ureg.Unit(from_unit).dimensionality}, "
            f"expected one convertible to {to_unit!r} "
            f"({ureg.Unit(to_unit).dimensionality})"
        ) from None
