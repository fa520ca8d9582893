"""Load the packaged assumption files, apply a scenario chain and ``--set`` overrides.

Assumption files live in ``terawatt/assumptions/data/<prefix>[.<part>].toml``; each table that
has a ``value`` is one assumption whose key is ``<prefix>.<table path>`` (several files may share
a prefix; a key defined twice is refused). Scenarios are TOML files with
``name``, optional ``parent`` and ``description``, and a ``[set]`` table of overrides. Packaged
scenarios are ``terawatt/scenarios/<name>.toml`` plus optional fragments
``terawatt/scenarios/<name>/*.toml`` (each with a ``[set]`` table), merged in name order.

``parent`` is a packaged scenario name or a path to a scenario file; a relative path is read
from the folder of the file that names it (not the working directory).

An override is a bare number (in the assumption's own unit), a string with one number and an
optional unit (``"150 t"``, ``"5 %"``; read by :func:`terawatt.units.parse_value`, never
evaluated), or a table with ``value`` and optionally ``unit``, ``low``, ``high``, ``source``,
``note`` and ``distribution``. An explicit ``low``/``high`` must bracket the value; every value,
low and high must lie within the assumption's physical ``min``/``max``. A new point value
outside the current projection range drops that range. Every error is a one-line
:class:`~terawatt.errors.UserError` naming the file (or ``--set``), key, value and what is allowed.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import math
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pint
from pydantic import ValidationError

from terawatt.assumptions.sampling import Marginal, draw, marginal
from terawatt.assumptions.schema import DISTRIBUTIONS, Assumption, Source
from terawatt.errors import UserError
from terawatt.units import Q_, convert, is_offset_unit, parse_unit, parse_value

DEFAULT_SCENARIO = "seed"
_SCENARIO_KEYS = {"name", "parent", "description", "set"}
_OVERRIDE_KEYS = {"value", "unit", "low", "high", "source", "note", "distribution"}


# --------------------------------------------------------------------------------------------
# reading TOML
# --------------------------------------------------------------------------------------------
def read_toml(path: Path | str, text: str | None = None) -> dict[str, Any]:
    """Parse a TOML file; a syntax error becomes a one-line UserError with the line number."""
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise UserError(f"{path}: file not found") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"{path}: cannot read file ({exc})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"line (\d+)", msg)
        where = f":{m.group(1)}" if m else ""
        raise UserError(f"{path}{where}: malformed TOML: {msg}") from None


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)


def _iter_assumption_tables(
    table: Mapping[str, Any], prefix: str
) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, body in table.items():
        key = f"{prefix}.{name}"
        if not isinstance(body, dict):
            raise UserError(f"key {key!r}: expected a table with value, unit and source, "
                            f"got {body!r}")
        if "value" in body:
            yield key, body
        else:
            yield from _iter_assumption_tables(body, key)


def parse_assumption_file(path: Path | str, text: str | None = None,
                          prefix: str | None = None) -> list[Assumption]:
    """Parse one assumption file into validated :class:`Assumption` objects."""
    data = read_toml(path, text)
    # "launch.toml" and "launch.ramp.toml" both hold keys under the prefix "launch"
    prefix = prefix or Path(path).name.split(".")[0]
    out = []
    for key, body in _iter_assumption_tables(data, prefix):
        try:
            out.append(Assumption(key=key, **body))
        except ValidationError as exc:
            raise UserError(f"{path}: key {key!r}: {_validation_message(exc)}") from None
        except UserError as exc:
            raise UserError(f"{path}: key {key!r}: {exc}") from None
    return out


def _data_dir() -> Path:
    return Path(str(resources.files("terawatt.assumptions") / "data"))


def _scenario_dir() -> Path:
    return Path(str(resources.files("terawatt") / "scenarios"))


@lru_cache(maxsize=1)
def _packaged_assumptions() -> tuple[Assumption, ...]:
    items: list[Assumption] = []
    seen: dict[str, Path] = {}
    for path in sorted(_data_dir().glob("*.toml")):
        for a in parse_assumption_file(path):
            if a.key in seen:
                raise UserError(f"{path}: key {a.key!r} is already defined in {seen[a.key]}")
            seen[a.key] = path
            items.append(a)
    return tuple(items)


# --------------------------------------------------------------------------------------------
# the registry
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Override:
    """Where an assumption's value was changed: scenario file or the command line."""

    key: str
    origin: str


@dataclass(frozen=True)
class Registry:
    """An immutable, resolved set of assumptions (after scenario and overrides)."""

    items: Mapping[str, Assumption]
    scenario: str = "packaged defaults"
    scenario_chain: tuple[str, ...] = ()
    overrides: tuple[Override, ...] = field(default=())

    # mapping-like access -----------------------------------------------------------------
    def __contains__(self, key: object) -> bool:
        return key in self.items

    def __iter__(self) -> Iterator[str]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def get(self, key: str) -> Assumption:
        """The assumption for ``key``; an unknown key raises a UserError with a suggestion."""
        try:
            return self.items[key]
        except KeyError:
            raise UserError(f"unknown assumption key {key!r}{self.suggest(key)}") from None

    def suggest(self, key: str) -> str:
        close = difflib.get_close_matches(key, list(self.items), n=1, cutoff=0.5)
        if not close:
            # fall back to the last path component
            tail = key.rsplit(".", 1)[-1]
            cands = {k.rsplit(".", 1)[-1]: k for k in self.items}
            near = difflib.get_close_matches(tail, list(cands), n=1, cutoff=0.6)
            close = [cands[near[0]]] if near else []
        return f" (did you mean {close[0]!r}?)" if close else " (see `terawatt assumptions`)"

    def si(self, key: str) -> float:
        """The value of ``key`` in SI base units."""
        return self.get(key).si

    def value(self, key: str, unit: str) -> float:
        """The value of ``key`` converted to ``unit``."""
        a = self.get(key)
        try:
            return convert(a.value, a.unit, unit)
        except UserError as exc:
            raise UserError(f"assumption {key!r}: {exc}") from None

    def low_high(self, key: str, unit: str) -> tuple[float, float]:
        """The (low, high) range of ``key`` in ``unit`` (value, value when it has no range)."""
        a = self.get(key)
        lo = a.low if a.low is not None else a.value
        hi = a.high if a.high is not None else a.value
        return convert(lo, a.unit, unit), convert(hi, a.unit, unit)

    def keys(self, prefix: str = "") -> list[str]:
        return [k for k in self.items if k.startswith(prefix)]

    def ranged_keys(self, prefix: str = "") -> list[str]:
        """Keys under ``prefix`` that carry a low/high range (the uncertain inputs)."""
        return [k for k in self.keys(prefix) if self.items[k].has_range]

    # changing values ---------------------------------------------------------------------
    def with_values(self, values: Mapping[str, Any], origin: str,
                    files: Mapping[str, str] | None = None) -> Registry:
        """A new registry with overrides applied (each as in a scenario's ``[set]`` table).

        ``origin`` is recorded for every key; an error names ``files[key]`` when given (the
        scenario fragment that set the key) and ``origin`` otherwise.
        """
        items = dict(self.items)
        log = list(self.overrides)
        for key, spec in values.items():
            items[key] = _apply_override(self, key, spec, origin, (files or {}).get(key))
            log.append(Override(key, origin))
        return Registry(items, self.scenario, self.scenario_chain, tuple(log))

    def with_sets(self, sets: Sequence[str]) -> Registry:
        """Apply ``--set key=value`` strings."""
        values: dict[str, Any] = {}
        for s in sets:
            if "=" not in s:
                raise UserError(f"--set {s!r}: expected KEY=VALUE, "
                                "e.g. launch.payload_per_flight=150t")
            key, val = s.split("=", 1)
            values[key.strip()] = val.strip()
        return self.with_values(values, "--set")

    # arrays for vectorised models ----------------------------------------------------------
    def sample(self, n: int, rng: np.random.Generator | None = None,
               keys: Iterable[str] | None = None, method: str = "central") -> dict[str, np.ndarray]:
        """SI arrays of shape (n,) for ``keys`` (default all).

        ``method="central"`` repeats the value. ``"random"`` and ``"lhs"`` draw every ranged
        key from its declared distribution (:attr:`Assumption.sampling_distribution`) through
        :func:`terawatt.assumptions.sampling.draw`, the one sampling code path, with ``rng``;
        ``"uniform"`` and ``"triangular"`` are ``"random"`` with that distribution forced on
        every ranged key. Keys without a range repeat their value.
        """
        keys = list(self.items) if keys is None else list(keys)
        items = [self.get(k) for k in keys]
        if method == "central":
            return {a.key: np.full(n, a.si) for a in items}
        forced = {"uniform": "uniform", "triangular": "triangular"}.get(method)
        design = "random" if forced else method
        if design not in _REGISTRY_METHODS:
            raise UserError(f"sampling method {method!r} is unknown (allowed: central, "
                            f"{', '.join(_REGISTRY_METHODS)}, uniform, triangular)")
        if rng is None:
            raise ValueError("sampling needs a numpy Generator")
        out = {a.key: np.full(n, a.si) for a in items if not a.has_range}
        ranged = [a for a in items if a.has_range]
        if ranged:
            margs = [marginal(a) for a in ranged]
            if forced:
                margs = [Marginal(m.low, m.mode, m.high, forced) for m in margs]
            out.update(draw([a.key for a in ranged], margs, n, method=design, rng=rng,
                            keep_unit=False).as_dict())
        return {k: out[k] for k in keys}


#: designs ``Registry.sample`` accepts (sobol changes the row count: use the uncertainty layer)
_REGISTRY_METHODS = ("random", "lhs")


def _source_for(origin: str) -> Source:
    return Source(title=f"override from {origin}", publisher="terawatt user input",
                  year=_dt.date.today().year)


def _fmt(v: float) -> str:
    return f"{v:.10g}"


def _number(v: Any, where: str, name: str) -> float:
    """A TOML number as a finite float; UserError naming ``name`` otherwise."""
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise UserError(f"{where}: {name} {v!r} is not a number")
    try:
        x = float(v)
    except OverflowError:
        raise UserError(f"{where}: {name} {str(v)[:20]}... is too large (at most ~1e308)") from None
    if not math.isfinite(x):
        raise UserError(f"{where}: {name} {v!r} is not a finite number")
    return x


def _to_unit(where: str, value: float, unit: str, base_unit: str) -> Callable[[float], float]:
    """A function converting numbers in ``unit`` to ``base_unit``; UserError on a wrong dimension.

    Multiplicative units convert with one factor (as always, so figures stay bit-identical);
    offset units (degC) convert each number on its own.
    """
    try:
        factor = float(Q_(1.0, parse_unit(unit)).to(parse_unit(base_unit)).magnitude)
    except pint.errors.DimensionalityError:
        raise UserError(
            f"{where}: value {_fmt(value)} {unit} has the wrong dimension; "
            f"expected a quantity in {base_unit} ({parse_unit(base_unit).dimensionality})"
        ) from None
    except UserError as exc:
        raise UserError(f"{where}: {exc}; the key's unit is {base_unit}") from None
    if is_offset_unit(unit) or is_offset_unit(base_unit):
        return lambda x: convert(x, unit, base_unit)
    return lambda x: x * factor


def _apply_override(reg: Registry, key: str, spec: Any, origin: str,
                    file: str | None = None) -> Assumption:
    """``key`` with ``spec`` applied; every error names ``file`` (default ``origin``) and key."""
    base = reg.get(key) if key in reg.items else None
    if base is None:
        raise UserError(f"{file or origin}: unknown assumption key {key!r}{reg.suggest(key)}")
    where = f"{file or origin}: key {key!r}"
    fields: dict[str, Any] = {}
    given: dict[str, float] = {}  # explicit low/high, in ``unit``
    if isinstance(spec, bool):
        raise UserError(f"{where}: value {spec!r} is not a number")
    if isinstance(spec, int | float):
        value, unit = _number(spec, where, "value"), base.unit
    elif isinstance(spec, str):
        try:
            reading = parse_value(spec)
        except UserError as exc:
            raise UserError(f"{where}: {exc}; the key's unit is {base.unit}") from None
        value, unit = reading.value, reading.unit or base.unit
    elif isinstance(spec, dict):
        extra = set(spec) - _OVERRIDE_KEYS
        if extra:
            raise UserError(f"{where}: unknown field {sorted(extra)[0]!r} "
                            f"(allowed: {', '.join(sorted(_OVERRIDE_KEYS))})")
        if "value" not in spec:
            raise UserError(f"{where}: missing field 'value'")
        value = _number(spec["value"], where, "value")
        unit = spec.get("unit", base.unit)
        if not isinstance(unit, str):
            raise UserError(f"{where}: unit {unit!r} is not text (e.g. unit = \"t\")")
        given = {k: _number(spec[k], where, k) for k in ("low", "high") if k in spec}
        if "note" in spec:
            if not isinstance(spec["note"], str):
                raise UserError(f"{where}: note must be text")
            fields["note"] = spec["note"]
        if "distribution" in spec:
            if not isinstance(spec["distribution"], str):
                raise UserError(f"{where}: distribution {spec['distribution']!r} is not text "
                                f"(allowed: {', '.join(DISTRIBUTIONS)})")
            fields["distribution"] = spec["distribution"]
        if "source" in spec:
            try:
                fields["source"] = Source(**spec["source"])
            except (ValidationError, TypeError) as exc:
                detail = _validation_message(exc) if isinstance(exc, ValidationError) else str(exc)
                raise UserError(f"{where}: source: {detail}") from None
    else:
        raise UserError(f"{where}: cannot use value {spec!r}; expected a number, a string such "
                        "as \"150 t\" or a table with value, unit, low, high, source, note")

    # convert everything into the base assumption's unit, refusing a wrong dimension
    to_base = _to_unit(where, value, unit, base.unit)
    same_unit = unit == base.unit

    def shown(v_user: float, v_base: float) -> str:
        if same_unit:
            return f"{_fmt(v_user)} {base.unit}"
        return f"{_fmt(v_user)} {unit} (= {_fmt(v_base)} {base.unit})"

    new_value = to_base(value)
    in_base = {k: to_base(v) for k, v in given.items()}
    for name, v_user, v_base in [("value", value, new_value),
                                 *((k, given[k], in_base[k]) for k in given)]:
        if not math.isfinite(v_base):
            raise UserError(f"{where}: {name} {_fmt(v_user)} {unit} is too large: it is not a "
                            f"finite number in {base.unit}")
    if "low" in given and "high" in given and given["low"] > given["high"]:
        raise UserError(f"{where}: low {_fmt(given['low'])} is above high "
                        f"{_fmt(given['high'])} {unit}; low must not exceed high")
    if given:
        low = in_base.get("low", base.low)
        high = in_base.get("high", base.high)
        if low is not None and high is not None and low > high:
            lo = (shown(given["low"], low) if "low" in given
                  else f"{_fmt(low)} {base.unit} (the current low)")
            hi = (shown(given["high"], high) if "high" in given
                  else f"{_fmt(high)} {base.unit} (the current high)")
            raise UserError(f"{where}: low {lo} is above high {hi}; give both low and high, "
                            "with low <= high")
        if low is not None and new_value < low or high is not None and new_value > high:
            raise UserError(
                f"{where}: value {shown(value, new_value)} is outside its own range "
                f"[{'-inf' if low is None else _fmt(low)}, {'inf' if high is None else _fmt(high)}]"
                f" {base.unit}; the value must lie between low and high")
    else:
        low, high = base.low, base.high
        if low is not None and new_value < low or high is not None and new_value > high:
            low = high = None  # a point value outside the old projection range: drop the range

    # physical bounds of the registry
    lo_b = base.min if base.min is not None else -math.inf
    hi_b = base.max if base.max is not None else math.inf
    checks = [("value", value, new_value), *((k, given[k], in_base[k]) for k in given)]
    for name, v_user, v_base in checks:
        if not lo_b <= v_base <= hi_b:
            raise UserError(
                f"{where}: {name} {shown(v_user, v_base)} is outside the allowed range "
                f"[{_bound(base.min)}, {_bound(base.max)}] {base.unit}")

    data = base.model_dump()
    data.update(value=new_value, low=low, high=high,
                source=fields.get("source", _source_for(origin)))
    if "note" in fields:
        data["note"] = fields["note"]
    if "distribution" in fields:
        data["distribution"] = fields["distribution"]
    try:
        return Assumption(**data)
    except ValidationError as exc:
        raise UserError(f"{where}: {_validation_message(exc)}") from None


def _bound(v: float | None) -> str:
    return "unbounded" if v is None else _fmt(v)


# --------------------------------------------------------------------------------------------
# scenarios
# --------------------------------------------------------------------------------------------
def available_scenarios() -> list[str]:
    return sorted(p.stem for p in _scenario_dir().glob("*.toml"))


@dataclass(frozen=True)
class Scenario:
    """One scenario file (with its fragments): overrides and the parent it builds on.

    ``parent`` is a packaged scenario name or the path of a scenario file, already resolved
    against the folder of the file that names it. ``files`` maps each overridden key to the
    file that sets it (the main file or a fragment), for error messages.
    """

    name: str
    path: str
    parent: str | None
    description: str
    values: Mapping[str, Any]
    files: Mapping[str, str] = field(default_factory=dict)


def read_scenario(name_or_path: str) -> Scenario:
    """Read a packaged scenario by name, or a scenario file by path."""
    p = Path(name_or_path)
    if name_or_path in available_scenarios():
        path = _scenario_dir() / f"{name_or_path}.toml"
        fragments = sorted((_scenario_dir() / name_or_path).glob("*.toml"))
    elif p.suffix == ".toml" or p.exists():
        path, fragments = p, []
        if not p.exists():
            raise UserError(f"scenario file {name_or_path!r} not found")
    else:
        raise UserError(f"unknown scenario {name_or_path!r} (packaged scenarios: "
                        f"{', '.join(available_scenarios())}; or give a path to a .toml file)")
    data = read_toml(path)
    extra = set(data) - _SCENARIO_KEYS
    if extra:
        raise UserError(f"{path}: unknown top-level key {sorted(extra)[0]!r} "
                        f"(allowed: {', '.join(sorted(_SCENARIO_KEYS))})")
    values: dict[str, Any] = dict(_set_table(path, data))
    files = dict.fromkeys(values, str(path))
    for frag in fragments:
        fdata = read_toml(frag)
        if set(fdata) - {"set"}:
            raise UserError(f"{frag}: a scenario fragment holds only a [set] table")
        for k, v in _set_table(frag, fdata).items():
            if k in values:
                raise UserError(f"{frag}: key {k!r} is already set by another file of this "
                                "scenario")
            values[k] = v
            files[k] = str(frag)
    for k in ("name", "description"):
        if k in data and not isinstance(data[k], str):
            raise UserError(f"{path}: key {k!r}: expected text, got {data[k]!r}")
    name = data.get("name", p.stem)
    parent = data.get("parent")
    if parent is not None:
        parent = _resolve_parent(path, parent)
    return Scenario(str(name), str(path), parent, str(data.get("description", "")), values,
                    files)


def _resolve_parent(path: Path, parent: Any) -> str:
    """A packaged scenario name stays a name; a file path is taken relative to ``path``'s folder."""
    if not isinstance(parent, str) or not parent.strip():
        raise UserError(f"{path}: key 'parent': expected a scenario name or a .toml path, "
                        f"got {parent!r}")
    if parent in available_scenarios():
        return parent
    target = Path(parent)
    if not target.is_absolute():
        target = path.parent / target
    if not target.is_file():
        raise UserError(f"{path}: key 'parent': {parent!r} is neither a packaged scenario "
                        f"({', '.join(available_scenarios())}) nor a scenario file "
                        f"({target} not found; a relative path is read from the folder of "
                        f"{path.name})")
    return str(target)


def _scenario_id(name_or_path: str) -> str:
    """What makes two references the same scenario (for the parent-cycle check)."""
    if name_or_path in available_scenarios():
        return name_or_path
    return str(Path(name_or_path).resolve())


def _set_table(path: Path, data: Mapping[str, Any]) -> dict[str, Any]:
    table = data.get("set", {})
    if not isinstance(table, dict):
        raise UserError(f"{path}: key 'set' must be a table of assumption overrides")
    # TOML turns dotted bare keys into nested tables: flatten back to dotted keys
    flat: dict[str, Any] = {}

    def walk(t: Mapping[str, Any], prefix: str) -> None:
        for k, v in t.items():
            key = f"{prefix}.{k}" if prefix else k
            if isinstance(v, dict) and "value" not in v:
                walk(v, key)
            else:
                flat[key] = v

    walk(table, "")
    return flat


def load_registry() -> Registry:
    """The packaged assumptions with no scenario applied."""
    items = {a.key: a for a in _packaged_assumptions()}
    return Registry(items)


def load_assumptions(scenario: str | None = DEFAULT_SCENARIO,
                     sets: Sequence[str] = ()) -> Registry:
    """Packaged assumptions, then the scenario chain (root first), then ``--set`` overrides."""
    reg = load_registry()
    chain: list[Scenario] = []
    if scenario:
        seen: list[str] = []
        shown: list[str] = []
        cur: str | None = scenario
        while cur is not None:
            ident = _scenario_id(cur)
            if ident in seen:
                raise UserError(f"scenario parent cycle: {' -> '.join([*shown, cur])}")
            seen.append(ident)
            shown.append(cur)
            sc = read_scenario(cur)
            chain.append(sc)
            cur = sc.parent
        for sc in reversed(chain):
            reg = reg.with_values(sc.values, sc.path, sc.files)
    names = tuple(sc.name for sc in reversed(chain))
    reg = Registry(reg.items, chain[0].name if chain else "packaged defaults", names, reg.overrides)
    if sets:
        reg = reg.with_sets(sets)
    return reg
