"""Declarative claim entries (``[[claim]]`` in ``audit/data/claims.toml``): parsing, validation
and the signed margin by which a model value meets a claim.

A claim entry names the model quantity that tests it (registered in
:mod:`terawatt.audit.quantities`), the claimed value (or range ``claimed``..``claimed_high``)
in ``unit``, a ``relation`` and a relative ``tolerance``:

* ``approx``: within ``tolerance`` of the claimed value or range;
* ``at_least`` / ``at_most``: not below the low end / not above the high end (less tolerance);
* ``achieved``: a qualitative claim ("it can be done") that holds when the quantity reports
  ``details['achieved']`` true; the value it shows is how (e.g. days to the first product).

Optional fields: ``parts`` (further halves of the claim, each judged on a figure of the
quantity's ``details``: the claim holds only if every part does), ``break_even`` (where
root-finding looks for the value that makes the claim hold: an assumption key or a model
driver, a bracket, and optionally a wider ``search_lo``/``search_hi`` where a value outside the
bracket is still reported), ``units_slip`` (an alternative unit, the registry key of its
conversion factor and optionally the article's own figures in that unit) and ``note``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from terawatt.assumptions import Registry
from terawatt.assumptions.loader import read_toml
from terawatt.errors import UserError
from terawatt.units import parse_unit

RELATIONS = ("approx", "at_least", "at_most", "achieved")
_REQUIRED = ("id", "text", "section", "subsystem", "quantity", "relation", "sources")
_OPTIONAL = ("claimed", "claimed_high", "unit", "tolerance", "parts", "break_even",
             "units_slip", "note")
_EPS = 1e-9
_BE_FIELDS = {"assumption", "driver", "unit", "lo", "hi", "log", "search_lo", "search_hi"}
_SLIP_FIELDS = {"unit", "factor", "label", "article_low", "article_high"}
_PART_FIELDS = {"label", "relation", "claimed", "claimed_high", "tolerance", "value"}
_SYMBOL = {"approx": "~", "at_least": ">=", "at_most": "<="}


# ------------------------------------------------------------------------------------------
# declarative entries
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BreakEvenSpec:
    """Where to search for the value that makes a claim hold: an assumption key or a driver,
    with the bracket [lo, hi] in ``unit`` (default: the assumption's published low/high) and an
    optional wider [search_lo, search_hi] where a value outside the bracket is still reported
    (it does not make the claim conditional)."""

    assumption: str | None
    driver: str | None
    unit: str
    lo: float | None  # None: the assumption's published low (packaged value if overridden)
    hi: float | None
    log: bool
    search_lo: float | None = None
    search_hi: float | None = None

    @property
    def name(self) -> str:
        return self.assumption or self.driver or ""


@dataclass(frozen=True)
class UnitsSlip:
    """An alternative reading of the claimed figure: the model value x ``factor`` (a registry
    key, e.g. ``reference.cny_per_usd``) expressed in ``unit``; ``article_low``/``article_high``:
    the article's own figures in that unit, if it gives them."""

    unit: str
    factor: str
    label: str
    article_low: float | None = None
    article_high: float | None = None


@dataclass(frozen=True)
class PartSpec:
    """A further half of a claim, judged on ``details[value]`` of the claim's quantity (in the
    claim's unit)."""

    label: str
    relation: str
    claimed: float
    value: str
    claimed_high: float | None = None
    tolerance: float = 0.0


@dataclass(frozen=True)
class ClaimSpec:
    id: str
    text: str
    section: str
    subsystem: str
    quantity: str
    relation: str
    sources: tuple[str, ...]
    claimed: float | None = None
    claimed_high: float | None = None
    unit: str = ""
    tolerance: float = 0.0
    break_even: tuple[BreakEvenSpec, ...] = ()
    units_slip: UnitsSlip | None = None
    note: str = ""
    parts: tuple[PartSpec, ...] = ()

    def claimed_text(self) -> str:
        if self.relation == "achieved":
            return "(achieved)"
        if self.claimed is None:
            return "(qualitative)"
        return relation_text(self.relation, self.claimed, self.claimed_high, self.unit_label)

    @property
    def unit_label(self) -> str:
        return "" if self.unit in ("", "dimensionless") else self.unit

    @property
    def targets(self) -> tuple[float, ...]:
        """The claimed values a support check compares with: the main one, then the parts'."""
        main = () if self.claimed is None else (self.claimed,)
        return main + tuple(p.claimed for p in self.parts)


def relation_text(relation: str, lo: float, hi: float | None, unit: str) -> str:
    from terawatt.audit.context import fmt

    rng = fmt(lo) if hi is None else f"{fmt(lo)}-{fmt(hi)}"
    return f"{_SYMBOL[relation]} {rng} {unit}".strip()


def _num(path: str, cid: str, key: str, v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        raise UserError(f"{path}: claim {cid}: key {key!r}: value {v!r} is not a finite number")
    return float(v)


def _break_even(where: str, cid: str, b: Any, reg: Registry,
                known_drivers: Sequence[str]) -> BreakEvenSpec:
    if not isinstance(b, dict):
        raise UserError(f"{where}: expected a table with assumption or driver")
    bad = set(b) - _BE_FIELDS
    if bad:
        raise UserError(
            f"{where}: unknown field {sorted(bad)[0]!r} "
            f"(allowed: {', '.join(sorted(_BE_FIELDS))})"
        )
    if ("assumption" in b) == ("driver" in b):
        raise UserError(f"{where}: give exactly one of 'assumption' or 'driver'")
    if "driver" in b and b["driver"] not in known_drivers:
        raise UserError(
            f"{where}: key 'driver': unknown driver {b['driver']!r} "
            f"(known: {', '.join(known_drivers)})"
        )
    if "assumption" in b and b["assumption"] not in reg:
        raise UserError(
            f"{where}: key 'assumption': unknown assumption key "
            f"{b['assumption']!r}{reg.suggest(b['assumption'])}"
        )
    if "driver" in b and not ("lo" in b and "hi" in b and "unit" in b):
        raise UserError(f"{where}: a driver needs 'unit', 'lo' and 'hi'")
    vals = {k: _num(where, cid, k, b[k]) if k in b else None
            for k in ("lo", "hi", "search_lo", "search_hi")}
    lo, hi = vals["lo"], vals["hi"]
    if lo is not None and hi is not None and not lo < hi:
        raise UserError(f"{where}: bracket lo = {lo:g} is not below hi = {hi:g}")
    slo, shi = vals["search_lo"], vals["search_hi"]
    if slo is not None and lo is not None and slo > lo:
        raise UserError(f"{where}: search_lo = {slo:g} must not be above lo = {lo:g}")
    if shi is not None and hi is not None and shi < hi:
        raise UserError(f"{where}: search_hi = {shi:g} must not be below hi = {hi:g}")
    return BreakEvenSpec(b.get("assumption"), b.get("driver"), str(b.get("unit", "")), lo, hi,
                         bool(b.get("log", False)), slo, shi)


def _part(where: str, cid: str, p: Any) -> PartSpec:
    if not isinstance(p, dict) or set(p) - _PART_FIELDS or not {"label", "relation", "claimed",
                                                                   "value"} <= set(p):
        raise UserError(f"{where}: expected a table with label, relation, claimed and value "
                        f"(allowed: {', '.join(sorted(_PART_FIELDS))})")
    if p["relation"] not in _SYMBOL:
        raise UserError(f"{where}: key 'relation': value {p['relation']!r} "
                        f"(allowed: {', '.join(_SYMBOL)})")
    claimed = _num(where, cid, "claimed", p["claimed"])
    high = _num(where, cid, "claimed_high", p["claimed_high"]) if "claimed_high" in p else None
    tol = _num(where, cid, "tolerance", p.get("tolerance", 0.0))
    if tol < 0 or (high is not None and high < claimed):
        raise UserError(f"{where}: tolerance must be >= 0 and claimed_high >= claimed")
    return PartSpec(str(p["label"]), str(p["relation"]), claimed, str(p["value"]), high, tol)


def _units_slip(path: Path | str, cid: str, s: Any, reg: Registry) -> UnitsSlip:
    if not isinstance(s, dict) or set(s) - _SLIP_FIELDS or not {"unit", "factor"} <= set(s):
        raise UserError(
            f"{path}: claim {cid}: key 'units_slip': expected a table with unit, factor "
            "and optional label, article_low, article_high"
        )
    if s["factor"] not in reg:
        raise UserError(
            f"{path}: claim {cid}: key 'units_slip.factor': unknown assumption key "
            f"{s['factor']!r}"
        )
    where = f"{path}: claim {cid}: units_slip"
    lo = _num(where, cid, "article_low", s["article_low"]) if "article_low" in s else None
    hi = _num(where, cid, "article_high", s["article_high"]) if "article_high" in s else lo
    return UnitsSlip(str(s["unit"]), str(s["factor"]), str(s.get("label", s["unit"])), lo, hi)


def parse_claims(
    path: Path | str,
    text: str | None = None,
    known_quantities: Mapping[str, Any] | None = None,
    known_drivers: Sequence[str] | None = None,
    *,
    reg: Registry,
) -> tuple[ClaimSpec, ...]:
    """Parse and validate a claims file against ``reg`` (break-even and units-slip keys must
    name its assumptions); any problem is a one-line UserError (file, key)."""
    from terawatt.audit import quantities as q

    known_quantities = q.REGISTRY if known_quantities is None else known_quantities
    known_drivers = tuple(q.DRIVERS) if known_drivers is None else tuple(known_drivers)
    data = read_toml(path, text)
    extra = set(data) - {"claim"}
    if extra:
        raise UserError(f"{path}: unknown top-level key {sorted(extra)[0]!r} (allowed: claim)")
    entries = data.get("claim")
    if not isinstance(entries, list) or not entries:
        raise UserError(f"{path}: key 'claim': expected one or more [[claim]] tables")
    out: list[ClaimSpec] = []
    seen: set[str] = set()
    for i, e in enumerate(entries):
        cid = str(e.get("id", f"#{i + 1}")) if isinstance(e, dict) else f"#{i + 1}"
        if not isinstance(e, dict):
            raise UserError(f"{path}: claim {cid}: expected a table")
        for k in _REQUIRED:
            if k not in e:
                raise UserError(f"{path}: claim {cid}: missing field {k!r}")
        unknown = set(e) - set(_REQUIRED) - set(_OPTIONAL)
        if unknown:
            raise UserError(
                f"{path}: claim {cid}: unknown field {sorted(unknown)[0]!r} "
                f"(allowed: {', '.join((*_REQUIRED, *_OPTIONAL))})"
            )
        if cid in seen:
            raise UserError(f"{path}: claim {cid}: id defined twice")
        seen.add(cid)
        if e["quantity"] not in known_quantities:
            raise UserError(
                f"{path}: claim {cid}: key 'quantity': unknown quantity {e['quantity']!r} "
                f"(registered: {', '.join(sorted(known_quantities))})"
            )
        if e["relation"] not in RELATIONS:
            raise UserError(
                f"{path}: claim {cid}: key 'relation': value {e['relation']!r} "
                f"(allowed: {', '.join(RELATIONS)})"
            )
        unit = str(e.get("unit", ""))
        try:
            parse_unit(unit or "dimensionless")
        except UserError as exc:
            raise UserError(f"{path}: claim {cid}: key 'unit': {exc}") from None
        claimed = _num(str(path), cid, "claimed", e["claimed"]) if "claimed" in e else None
        high = (
            _num(str(path), cid, "claimed_high", e["claimed_high"]) if "claimed_high" in e else None
        )
        if claimed is None and high is not None:
            raise UserError(f"{path}: claim {cid}: key 'claimed_high' needs 'claimed'")
        if claimed is not None and high is not None and high < claimed:
            raise UserError(
                f"{path}: claim {cid}: key 'claimed_high': {high:g} is below claimed {claimed:g}"
            )
        tol = _num(str(path), cid, "tolerance", e.get("tolerance", 0.0))
        if tol < 0:
            raise UserError(f"{path}: claim {cid}: key 'tolerance': {tol:g} must be >= 0")
        bes = tuple(
            _break_even(f"{path}: claim {cid}: break_even[{j}]", cid, b, reg, known_drivers)
            for j, b in enumerate(e.get("break_even", []))
        )
        parts = tuple(
            _part(f"{path}: claim {cid}: parts[{j}]", cid, p) for j, p in enumerate(e.get("parts",
                                                                                            []))
        )
        slip = _units_slip(path, cid, e["units_slip"], reg) if "units_slip" in e else None
        srcs = e["sources"]
        if (
            not isinstance(srcs, list)
            or not srcs
            or not all(isinstance(x, str) and x for x in srcs)
        ):
            raise UserError(
                f"{path}: claim {cid}: key 'sources': expected a non-empty list of strings"
            )
        out.append(
            ClaimSpec(
                cid, str(e["text"]), str(e["section"]), str(e["subsystem"]), str(e["quantity"]),
                str(e["relation"]), tuple(srcs), claimed, high, unit, tol, bes, slip,
                str(e.get("note", "")), parts,
            )
        )
    return tuple(out)


def packaged_claims_path() -> Path:
    return Path(str(resources.files("terawatt.audit") / "data" / "claims.toml"))


# ------------------------------------------------------------------------------------------
# margins
# ------------------------------------------------------------------------------------------
def margin(spec: ClaimSpec | PartSpec, value: float) -> float:
    """Signed, scale-free distance from the claim's boundary: >= 0 means the relation holds."""
    assert spec.claimed is not None
    lo = spec.claimed
    hi = spec.claimed_high if spec.claimed_high is not None else spec.claimed
    scale = max(abs(lo), abs(hi), 1e-300)
    tol = spec.tolerance + _EPS  # a value equal to the claim (up to rounding) meets it
    lo_ok = (value - (lo - tol * abs(lo))) / scale
    hi_ok = ((hi + tol * abs(hi)) - value) / scale
    if spec.relation == "at_least":
        return lo_ok
    if spec.relation == "at_most":
        return hi_ok
    return min(lo_ok, hi_ok)


def part_values(spec: ClaimSpec, details: Mapping[str, Any]) -> list[tuple[PartSpec, float | None]]:
    """Each part with the figure it is judged on (None when the quantity did not give it)."""
    out = []
    for p in spec.parts:
        v = details.get(p.value)
        out.append((p, float(v) if isinstance(v, int | float) else None))
    return out


def claim_margin(spec: ClaimSpec, value: float | None, details: Mapping[str, Any]) -> float:
    """The margin of the whole claim: the smallest over its main relation and its parts
    (``achieved``: +1 when ``details['achieved']`` is true, else -1; -1 without a value)."""
    if value is None:
        return -1.0
    if spec.relation == "achieved":
        m = 1.0 if details.get("achieved") else -1.0
    else:
        m = margin(spec, value)
    for p, v in part_values(spec, details):
        m = min(m, margin(p, v) if v is not None else -1.0)
    return m
