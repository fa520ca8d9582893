"""The claims engine: load declarative claim entries, evaluate them, compute verdicts.

A claim entry (``[[claim]]`` in a TOML file) names the model quantity that tests it (a function
registered with :func:`terawatt.audit.quantities.quantity`), the claimed value (or range
``claimed``..``claimed_high``) in ``unit``, a ``relation`` (``approx``: within ``tolerance``
of the claimed value or range; ``at_least``; ``at_most``) and a relative ``tolerance``.
Optional ``break_even`` specs name an assumption key (``assumption = "..."``) or a model
driver (``driver = "..."``, see :data:`terawatt.audit.quantities.DRIVERS`) and a search
bracket; ``units_slip`` names an alternative unit and the registry key of its conversion factor.

Verdicts (computed, never typed in):

* ``not-checkable``: the quantity returns no value (it says why);
* ``consistent``: the relation holds for the model value;
* ``conditional``: it does not hold, but it would if one named assumption or driver took a
  value inside its bracket; that value (the break-even) is found by root-finding;
* ``inconsistent``: it does not hold and no break-even lies inside any bracket.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from terawatt.assumptions import Registry
from terawatt.assumptions.loader import read_toml
from terawatt.economics.crossover import first_root
from terawatt.errors import UserError
from terawatt.units import convert, parse_unit

VERDICTS = ("consistent", "inconsistent", "conditional", "not-checkable")
RELATIONS = ("approx", "at_least", "at_most")
_REQUIRED = ("id", "text", "section", "subsystem", "quantity", "relation", "sources")
_OPTIONAL = ("claimed", "claimed_high", "unit", "tolerance", "break_even", "units_slip", "note")
_EPS = 1e-9
_BE_FIELDS = {"assumption", "driver", "unit", "lo", "hi", "log"}
_SLIP_FIELDS = {"unit", "factor", "label"}


# ------------------------------------------------------------------------------------------
# declarative entries
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BreakEvenSpec:
    """Where to search for the value that makes a claim hold: an assumption key or a driver,
    with the bracket [lo, hi] in ``unit`` (default: the assumption's published low/high)."""

    assumption: str | None
    driver: str | None
    unit: str
    lo: float | None  # None: the assumption's published low (packaged value if overridden)
    hi: float | None
    log: bool

    @property
    def name(self) -> str:
        return self.assumption or self.driver or ""


@dataclass(frozen=True)
class UnitsSlip:
    """An alternative reading of the claimed figure: the model value x ``factor`` (a registry
    key, e.g. ``reference.cny_per_usd``) expressed in ``unit``."""

    unit: str
    factor: str
    label: str


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

    def claimed_text(self) -> str:
        if self.claimed is None:
            return "(qualitative)"
        rng = (
            f"{self.claimed:g}"
            if self.claimed_high is None
            else f"{self.claimed:g}-{self.claimed_high:g}"
        )
        rel = {"approx": "~", "at_least": ">=", "at_most": "<="}[self.relation]
        return f"{rel} {rng} {self.unit_label}".strip()

    @property
    def unit_label(self) -> str:
        return "" if self.unit in ("", "dimensionless") else self.unit


def _num(path: str, cid: str, key: str, v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        raise UserError(f"{path}: claim {cid}: key {key!r}: value {v!r} is not a finite number")
    return float(v)


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
        bes = []
        for j, b in enumerate(e.get("break_even", [])):
            where = f"{path}: claim {cid}: break_even[{j}]"
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
            lo = _num(where, cid, "lo", b["lo"]) if "lo" in b else None
            hi = _num(where, cid, "hi", b["hi"]) if "hi" in b else None
            if lo is not None and hi is not None and not lo < hi:
                raise UserError(f"{where}: bracket lo = {lo:g} is not below hi = {hi:g}")
            bes.append(
                BreakEvenSpec(
                    b.get("assumption"),
                    b.get("driver"),
                    str(b.get("unit", "")),
                    lo,
                    hi,
                    bool(b.get("log", False)),
                )
            )
        slip = None
        if "units_slip" in e:
            s = e["units_slip"]
            if not isinstance(s, dict) or set(s) - _SLIP_FIELDS or not {"unit", "factor"} <= set(s):
                raise UserError(
                    f"{path}: claim {cid}: key 'units_slip': expected a table with unit, factor "
                    "and optional label"
                )
            if s["factor"] not in reg:
                raise UserError(
                    f"{path}: claim {cid}: key 'units_slip.factor': unknown assumption key "
                    f"{s['factor']!r}"
                )
            slip = UnitsSlip(str(s["unit"]), str(s["factor"]), str(s.get("label", s["unit"])))
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
                cid,
                str(e["text"]),
                str(e["section"]),
                str(e["subsystem"]),
                str(e["quantity"]),
                str(e["relation"]),
                tuple(srcs),
                claimed,
                high,
                unit,
                tol,
                tuple(bes),
                slip,
                str(e.get("note", "")),
            )
        )
    return tuple(out)


def packaged_claims_path() -> Path:
    return Path(str(resources.files("terawatt.audit") / "data" / "claims.toml"))


# ------------------------------------------------------------------------------------------
# verdicts
# ------------------------------------------------------------------------------------------
def margin(spec: ClaimSpec, value: float) -> float:
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


@dataclass(frozen=True)
class BreakEvenResult:
    """A break-even search: ``value`` where the claim starts to hold (None: nowhere in
    [lo, hi]); ``side`` says where it holds: ``"<="`` below the value, ``">="`` above it,
    ``"in"`` over the whole bracket (then ``value`` is ``lo``)."""

    name: str
    unit: str
    value: float | None
    current: float | None
    lo: float
    hi: float
    side: str = ""

    def describe(self) -> str:
        if self.value is None:
            return f"{self.name}: no value in [{self.lo:.4g}, {self.hi:.4g}] {self.unit}"
        now = f" (model: {self.current:.4g})" if self.current is not None else ""
        if self.side == "in":
            return f"{self.name} anywhere in its range {self.lo:.4g}-{self.hi:.4g} {self.unit}{now}"
        rel = self.side or "="
        return f"{self.name} {rel} {self.value:.4g} {self.unit}{now}"


@dataclass(frozen=True)
class ClaimResult:
    """The audit of one claim (JSON fields: see :meth:`as_dict`)."""

    spec: ClaimSpec
    verdict: str
    model_value: float | None
    explanation: str
    assumption: str | None = None
    break_even: float | None = None
    break_even_unit: str = ""
    break_evens: tuple[BreakEvenResult, ...] = ()
    units_slip: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    def model_text(self) -> str:
        """The model value with the claim's unit for tables, '-' when there is none."""
        v = self.model_value
        if v is None:
            return "-"
        num = f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}"
        return f"{num} {self.spec.unit_label}".strip()

    def as_dict(self) -> dict[str, Any]:
        s = self.spec
        return {
            "id": s.id,
            "claim": s.text,
            "section": s.section,
            "subsystem": s.subsystem,
            "verdict": self.verdict,
            "claimed_value": s.claimed,
            "claimed_high": s.claimed_high,
            "relation": s.relation,
            "tolerance": s.tolerance,
            "model_value": self.model_value,
            "unit": s.unit,
            "quantity": s.quantity,
            "assumption": self.assumption,
            "break_even": self.break_even,
            "break_even_unit": self.break_even_unit or None,
            "break_evens": [
                {
                    "name": b.name,
                    "value": b.value,
                    "unit": b.unit,
                    "current": b.current,
                    "holds": b.side or None,
                    "bracket": [b.lo, b.hi],
                }
                for b in self.break_evens
            ],
            "units_slip": self.units_slip,
            "explanation": self.explanation,
            "sources": list(s.sources),
            "details": dict(self.details),
        }


def _q(value: float, spec: ClaimSpec, digits: int = 4) -> str:
    """A model value with the claim's unit (none for dimensionless)."""
    u = spec.unit_label
    return f"{value:.{digits}g} {u}" if u else f"{value:.{digits}g}"


def _assumption_value(reg: Registry, key: str, unit: str) -> float:
    return reg.value(key, unit)


def _solve_break_even(spec: ClaimSpec, be: BreakEvenSpec, ctx: Any, fn: Any) -> BreakEvenResult:
    """Root-find the value of one assumption or driver at which the claim's margin is 0."""
    from terawatt.audit import quantities as q

    if be.assumption is not None:
        a = ctx.reg.get(be.assumption)
        if a.low is None or a.high is None:  # an override outside the range dropped it:
            from terawatt.assumptions import load_registry  # search the published range

            packaged = load_registry()
            if be.assumption in packaged:
                a = packaged.get(be.assumption)
        unit = be.unit or a.unit
        lo = (
            be.lo
            if be.lo is not None
            else (convert(a.low, a.unit, unit) if a.low is not None else None)
        )
        hi = (
            be.hi
            if be.hi is not None
            else (convert(a.high, a.unit, unit) if a.high is not None else None)
        )
        current = _assumption_value(ctx.reg, be.assumption, unit)
        if lo is None or hi is None or not lo < hi:
            return BreakEvenResult(be.assumption, unit, None, current, current, current)

        def evaluate(x: float) -> float:
            sub = ctx.with_values({be.assumption: f"{x!r} {unit}" if unit else x})
            m = fn(sub)
            return margin(spec, m.value) if m.value is not None else -1.0
    else:
        assert be.driver is not None
        unit, lo, hi = be.unit, float(be.lo or 0.0), float(be.hi or 0.0)
        current = q.driver_current(ctx, be.driver)

        def evaluate(x: float) -> float:
            m = fn(ctx.with_driver(be.driver, x))
            return margin(spec, m.value) if m.value is not None else -1.0

    log = be.log or (lo > 0 and hi / lo >= 100.0)
    # an assumption change re-runs the models; a driver only re-evaluates the cost formulas
    n_scan = 10 if be.assumption is not None else 16
    try:
        root = first_root(evaluate, lo, hi, n_scan=n_scan, log=log, xtol=1e-6, rtol=1e-6)
    except UserError:
        return BreakEvenResult(be.name, unit, None, current, lo, hi)
    if root.value is None and root.sign_at_lo > 0:
        # holds over the whole bracket: its near end is a value that makes the claim hold
        return BreakEvenResult(be.name, unit, lo, current, lo, hi, "in")
    side = "<=" if root.sign_at_lo > 0 else ">="  # it holds on the side of lo iff it holds at lo
    return BreakEvenResult(be.name, unit, root.value, current, lo, hi, side)


def evaluate_claim(spec: ClaimSpec, ctx: Any) -> ClaimResult:
    """Evaluate one claim against the model context and compute its verdict."""
    from terawatt.audit import quantities as q

    fn = q.REGISTRY[spec.quantity]
    m = fn(ctx)
    if m.value is None or spec.claimed is None or m.not_checkable:
        why = m.not_checkable or "the claim has no number to compare"
        return ClaimResult(
            spec,
            "not-checkable",
            m.value,
            f"Not checkable: {why} {m.explanation}".strip(),
            details=m.details,
        )
    holds = margin(spec, m.value) >= 0.0
    slip = None
    if spec.units_slip is not None:
        factor = ctx.reg.si(spec.units_slip.factor)
        alt = m.value * factor
        if not holds and margin(spec, alt) >= 0.0:
            slip = (
                f"units slip: the claimed {spec.claimed_text()} matches the model's {alt:.3g} "
                f"{spec.units_slip.unit} ({spec.units_slip.label}), "
                f"not {_q(m.value, spec, 3)}"
            )
    bes: list[BreakEvenResult] = []
    if not holds:  # a consistent claim needs no break-even (and each search costs model runs)
        bes = [_solve_break_even(spec, b, ctx, fn) for b in spec.break_even]
    if holds:
        verdict = "consistent"
        text = (
            f"Model gives {_q(m.value, spec)}, claim {spec.claimed_text()}: holds. {m.explanation}"
        )
        return ClaimResult(
            spec, verdict, m.value, text.strip(), None, None, "", tuple(bes), slip, m.details
        )
    found = [b for b in bes if b.value is not None]
    if found:
        b = found[0]
        text = (
            f"Model gives {_q(m.value, spec)}, claim {spec.claimed_text()}: holds only if "
            + "; or ".join(x.describe() for x in found)
            + f". {m.explanation}"
        )
        if slip:
            text += f" Note {slip}."
        return ClaimResult(
            spec,
            "conditional",
            m.value,
            text.strip(),
            b.name,
            b.value,
            b.unit,
            tuple(bes),
            slip,
            m.details,
        )
    text = f"Model gives {_q(m.value, spec)}, claim {spec.claimed_text()}: does not hold."
    if bes:
        text += (
            " No break-even inside the searched ranges ("
            + "; ".join(b.describe() for b in bes)
            + ")."
        )
    if slip:
        text += f" Flag: {slip}."
    text += f" {m.explanation}"
    return ClaimResult(
        spec, "inconsistent", m.value, text.strip(), None, None, "", tuple(bes), slip, m.details
    )


def audit(
    reg: Registry,
    *,
    claims_file: Path | str | None = None,
    stack: Any = None,
    ids: Sequence[str] | None = None,
) -> list[ClaimResult]:
    """Audit every claim of ``claims_file`` (default: the packaged C01-C25) against ``reg``.

    Parameters
    ----------
    reg : Registry
        Assumptions (scenario + overrides).
    claims_file : path, optional
        A claims TOML file; default the packaged one.
    stack : StackResult, optional
        A finished stack run of ``reg`` to reuse (otherwise one central run is made lazily).
    ids : sequence of str, optional
        Only these claim ids.
    """
    from terawatt.audit.quantities import AuditContext

    path = claims_file or packaged_claims_path()
    specs = parse_claims(path, reg=reg)
    if ids:
        unknown = sorted(set(ids) - {s.id for s in specs})
        if unknown:
            raise UserError(
                f"--id {unknown[0]!r}: no such claim (known: {specs[0].id}..{specs[-1].id})"
            )
        specs = tuple(s for s in specs if s.id in set(ids))
    ctx = AuditContext(reg, stack=stack)
    return [evaluate_claim(s, ctx) for s in specs]
