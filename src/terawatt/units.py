"""One pint registry for the whole project, with the few non-SI units the models need.

Quantities carry units only at the boundaries (loading assumptions, reporting); inner loops use
plain floats/arrays in SI units with the unit in the variable name.

User text is never handed to pint's expression parser as a whole (it evaluates ``10**10**10``
as an integer power and never returns). :func:`parse_value` reads a *number* with a regular
expression and ``float()``, and a *unit* that must pass :func:`parse_unit`'s small grammar
(unit names joined by ``*``, ``/`` and juxtaposition, small integer powers with ``**`` or ``^``,
parentheses, a leading ``1`` as in ``1/yr``, ``%``) before pint resolves the names.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
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

#: Longest unit text read (the longest packaged unit, ``accelerator/wafer``, has 17).
MAX_UNIT_CHARS = 64
#: Longest value text (number and unit) read from ``--set`` or a scenario string.
MAX_VALUE_CHARS = 100
#: Largest power written in a unit (``m**3``); bigger ones are refused before pint sees them.
MAX_UNIT_POWER = 12
#: Deepest parenthesis nesting in a unit.
MAX_UNIT_DEPTH = 4

VALUE_HELP = "one number and an optional unit, e.g. '150 t', '-2.5', '1.2e6 W/m**2', '5 %'"
UNIT_HELP = ("unit names joined by '*', '/' or a space, with small integer powers "
             "('**2', '^-1') and parentheses, e.g. 't', 'W/m**2', 'kg*m/s^2', 'USD/(kW*h)', '%'")

# sign, digits with an optional fraction (or a bare fraction), an exponent of at most 3 digits
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3}(?!\d))?", re.ASCII)
_UNIT_TOKEN = re.compile(
    r"(?P<name>[°Δ]*[^\W\d]\w*|[°Δ]+)"   # a unit name: kg, H100e, µm, °C, Δ°C
    r"|(?P<pow>\*\*|\^)"                 # power
    r"|(?P<op>[*/])"                     # product, quotient
    r"|(?P<open>\()|(?P<close>\))"
    r"|(?P<int>[+-]?[0-9]+)"             # only as a power, or a 1 before '/'
    r"|(?P<pct>[%‰])"
)


@dataclass(frozen=True, slots=True)
class Reading:
    """A value read from user text.

    Attributes
    ----------
    value : float
        The number as written (finite) [unit].
    unit : str
        The unit written after it, checked by :func:`parse_unit`; ``""`` when none was written.
    """

    value: float
    unit: str


def _unit_grammar_problem(text: str) -> str | None:
    """What keeps ``text`` from being unit names, operators, small powers and parentheses.

    ``None`` when the text passes; pint resolves the names only after that.
    """
    if len(text) > MAX_UNIT_CHARS:
        return f"longer than {MAX_UNIT_CHARS} characters"
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        m = _UNIT_TOKEN.match(text, pos)
        if m is None:
            return f"unexpected character {text[pos]!r}"
        tokens.append((m.lastgroup or "", m.group()))
        pos = m.end()
    if not tokens:
        return None  # "" is dimensionless, as in pint

    depth = 0
    expect_operand = True  # at the start, after an operator or an opening parenthesis
    prev = ""
    for i, (kind, tok) in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ("", "")
        if kind == "int":
            if prev == "pow":
                if abs(int(tok)) > MAX_UNIT_POWER:
                    return f"power {tok} is too large (at most {MAX_UNIT_POWER})"
                if nxt[0] in ("pow", "int"):
                    return "chained powers"
                expect_operand = False
            elif tok == "1" and expect_operand and nxt == ("op", "/"):
                expect_operand = False  # 1/yr
            else:
                return f"a number ({tok}) inside the unit"
        elif kind == "pow":
            if expect_operand or nxt[0] != "int":
                return f"'{tok}' must follow a unit and be followed by an integer power"
        elif kind == "op":
            if expect_operand:
                return f"'{tok}' has no unit before it"
            expect_operand = True
        elif kind == "open":
            depth += 1
            if depth > MAX_UNIT_DEPTH:
                return f"parentheses nested deeper than {MAX_UNIT_DEPTH}"
            expect_operand = True
        elif kind == "close":
            if depth == 0 or expect_operand:
                return "unbalanced or empty parentheses"
            depth -= 1
            expect_operand = False
        else:  # a name or %: juxtaposed names multiply ("kW h")
            expect_operand = False
        prev = kind
    if depth:
        return "unbalanced parentheses"
    if expect_operand:
        return "it ends with an operator"
    return None


@lru_cache(maxsize=4096)
def parse_unit(unit: str) -> pint.Unit:
    """Parse a unit string; raise :class:`UserError` naming it if it is not a unit pint knows.

    The text must pass a small grammar first (see the module docstring), so no expression
    ever reaches pint's evaluator.
    """
    if not isinstance(unit, str):
        raise UserError(f"unit {unit!r} is not text")
    problem = _unit_grammar_problem(unit)
    if problem is not None:
        raise UserError(f"bad unit {unit[:MAX_UNIT_CHARS]!r}: {problem}; allowed: {UNIT_HELP}")
    try:
        return ureg.Unit(unit)
    except Exception as exc:  # pint raises many kinds (tokenize, syntax, undefined) on bad text
        detail = " ".join(str(exc).split())[:120]
        raise UserError(f"unknown unit {unit!r} ({detail}); expected a unit such as t, kg, "
                        "W/m**2, USD/kg or %") from None


def parse_value(text: str) -> Reading:
    """Read ``"150t"``, ``"1.2 kW/kg"``, ``"5 %"`` or ``"42"``: one number, then an optional unit.

    The number is a decimal with an optional sign, fraction and exponent (at most three
    digits); the unit is checked by :func:`parse_unit`. Anything else (a second number,
    arithmetic, ``inf``/``nan``, a bare unit, trailing text) raises a one-line
    :class:`UserError` saying what is allowed.
    """
    if not isinstance(text, str):
        raise UserError(f"value {text!r} is not text")
    s = text.strip()
    if not s:
        raise UserError(f"empty value; expected {VALUE_HELP}")
    if len(s) > MAX_VALUE_CHARS:
        raise UserError(f"value {s[:20]!r}... is longer than {MAX_VALUE_CHARS} characters; "
                        f"expected {VALUE_HELP}")
    m = _NUMBER.match(s)
    if m is None:
        raise UserError(f"cannot read {s!r}: it does not start with a number; expected "
                        f"{VALUE_HELP}")
    number, rest = m.group(), s[m.end():]
    if re.match(r"[eE][+-]?[0-9]", rest) or not math.isfinite(float(number)):
        raise UserError(f"cannot read {s!r}: the number is not finite or its exponent is "
                        f"malformed or out of range (at most e+308); expected {VALUE_HELP}")
    value = float(number)
    unit = rest.strip()
    if not unit:
        return Reading(value, "")
    if unit[0] in "*^+-=.,0123456789" and not re.match(r"1\s*/", unit):  # "0.1 1/yr" is fine
        if unit[0].isdigit() or unit[0] in "+-":
            problem = f"a second number {unit!r} follows {number!r}"
        elif unit[0] in "*^":
            problem = f"{unit!r} after {number!r} is arithmetic, which is not evaluated"
        elif unit[0] == ",":
            problem = f"unexpected {unit!r} after {number!r} (decimals take a point: 1.5)"
        else:
            problem = f"unexpected {unit!r} after {number!r}"
        raise UserError(f"cannot read {s!r}: {problem}; expected {VALUE_HELP}")
    if unit.startswith("/"):
        unit = "1" + unit  # "0.1/yr" reads as 0.1 1/yr
    try:
        parse_unit(unit)
    except UserError as exc:
        raise UserError(f"cannot read {s!r}: {exc}") from None
    return Reading(value, unit)


def parse_quantity(text: str) -> pint.Quantity:
    """:func:`parse_value` as a pint quantity (dimensionless when no unit was written)."""
    r = parse_value(text)
    return Q_(r.value, parse_unit(r.unit) if r.unit else "")


def is_offset_unit(unit: str) -> bool:
    """True for units with a zero offset such as degC, which cannot be scaled by a factor."""
    u = parse_unit(unit)
    q = Q_(0.0, u)
    return float(q.to_base_units().magnitude) != 0.0


def si_factor(unit: str) -> tuple[float, str]:
    """Return (factor, base-unit string) such that ``x [unit] == x * factor [base]``."""
    q = Q_(1.0, parse_unit(unit)).to_base_units()
    return float(q.magnitude), f"{q.units:~}" or "1"


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert a plain number between units; UserError on a dimension mismatch."""
    try:
        return float(Q_(value, parse_unit(from_unit)).to(parse_unit(to_unit)).magnitude)
    except pint.errors.DimensionalityError:
        raise UserError(
            f"unit {from_unit!r} has dimension {parse_unit(from_unit).dimensionality}, "
            f"expected one convertible to {to_unit!r} "
            f"({parse_unit(to_unit).dimensionality})"
        ) from None
