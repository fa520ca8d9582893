"""The claims engine: evaluate declarative claim entries against the models, compute verdicts.

Claim entries and their margins: :mod:`terawatt.audit.spec`. Verdicts (computed, never typed
in):

* ``not-checkable``: the quantity returns no value (it says why);
* ``input``: the claim holds on the scenario only because the scenario took its figure from
  this very claim: an input the quantity reads cites the claim id, and with those inputs back
  at their packaged values the claim does not hold. The result says which inputs, what the
  model gives without them, and whether what the model computes independently supports the
  claim (the inputs anywhere in their published ranges; the quantity's own support check,
  e.g. the launches the rest of the stack can fill);
* ``consistent``: the relation (and every part) holds, and does so without any input taken
  from the claim: when the scenario took some, the model value shown is the one computed
  without them;
* ``conditional``: it does not hold, but it would if one named assumption or driver took a
  value inside its bracket; that value (the break-even) is found by root-finding;
* ``inconsistent``: it does not hold and no break-even lies inside any bracket (a value found
  outside it is still reported).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from terawatt.assumptions import Registry
from terawatt.audit import quantities as _quantities  # noqa: F401  (registers every quantity)
from terawatt.audit.context import (
    REGISTRY,
    AuditContext,
    Measurement,
    QuantitySpec,
    Support,
    driver_current,
    fmt,
)
from terawatt.audit.provenance import (
    ClaimInput,
    claim_inputs,
    packaged_range,
    with_packaged_values,
    without,
)
from terawatt.audit.spec import (
    RELATIONS,
    BreakEvenSpec,
    ClaimSpec,
    PartSpec,
    UnitsSlip,
    claim_margin,
    margin,
    packaged_claims_path,
    parse_claims,
    part_values,
    relation_text,
)
from terawatt.economics.crossover import first_root
from terawatt.errors import UserError
from terawatt.units import convert

__all__ = [
    "RELATIONS",
    "VERDICTS",
    "BreakEvenResult",
    "BreakEvenSpec",
    "ClaimResult",
    "ClaimSpec",
    "PartSpec",
    "UnitsSlip",
    "audit",
    "evaluate_claim",
    "margin",
    "packaged_claims_path",
    "parse_claims",
]

VERDICTS = ("consistent", "inconsistent", "conditional", "input", "not-checkable")


# ------------------------------------------------------------------------------------------
# results
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BreakEvenResult:
    """A break-even search: ``value`` where the claim starts to hold (None: nowhere searched);
    ``side`` says where it holds: ``"<="`` below the value, ``">="`` above it, ``"in"`` over
    the whole bracket (then ``value`` is ``lo``); ``in_bracket`` False for a value found only
    in the wider search range (reported, not a condition)."""

    name: str
    unit: str
    value: float | None
    current: float | None
    lo: float
    hi: float
    side: str = ""
    in_bracket: bool = True
    at_claimed: float | None = None  # where the model meets the claimed value itself

    def describe(self) -> str:
        u = "" if self.unit in ("", "dimensionless") else self.unit

        def f(x: float) -> str:
            return fmt(x, u)

        if self.value is None:
            return f"{self.name}: no value in {fmt(self.lo)}-{f(self.hi)}"
        now = f" (model: {fmt(self.current)})" if self.current is not None else ""
        if self.side == "in":
            return f"{self.name} anywhere in its range {fmt(self.lo)}-{f(self.hi)}{now}"
        rel = self.side or "="
        out = "" if self.in_bracket else f", outside the attainable {fmt(self.lo)}-{f(self.hi)}"
        exact = ("" if self.at_claimed is None
                 else f"; the claimed value itself needs {f(self.at_claimed)}")
        return f"{self.name} {rel} {f(self.value)}{now}{out}{exact}"


@dataclass(frozen=True)
class PartResult:
    """One further half of a claim: its figure and whether it holds."""

    label: str
    claimed: str
    value: float | None
    holds: bool

    def describe(self, unit: str) -> str:
        v = "no value" if self.value is None else fmt(self.value, unit)
        return f"{self.label}: {v}, claim {self.claimed}: {'holds' if self.holds else 'does not'}"


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
    parts: tuple[PartResult, ...] = ()
    own_inputs: tuple[ClaimInput, ...] = ()
    claim_inputs: tuple[ClaimInput, ...] = ()
    independent_value: float | None = None
    support: tuple[Support, ...] = ()
    notes: tuple[str, ...] = ()
    units_slip_check: Mapping[str, Any] | None = None

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
            "parts": [
                {"label": p.label, "claimed": p.claimed, "model_value": p.value, "holds": p.holds}
                for p in self.parts
            ],
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
                    "in_bracket": b.in_bracket,
                    "at_claimed": b.at_claimed,
                }
                for b in self.break_evens
            ],
            "own_inputs": [c.as_dict() for c in self.own_inputs],
            "claim_inputs": [c.as_dict() for c in self.claim_inputs],
            "independent_value": self.independent_value,
            "support": [x.as_dict() for x in self.support],
            "units_slip": self.units_slip,
            "units_slip_check": dict(self.units_slip_check) if self.units_slip_check else None,
            "notes": list(self.notes),
            "explanation": self.explanation,
            "sources": list(s.sources),
            "details": dict(self.details),
        }


def _q(value: float, spec: ClaimSpec, digits: int = 4) -> str:
    """A model value with the claim's unit (none for dimensionless)."""
    return fmt(value, spec.unit_label, digits)


def _parts(spec: ClaimSpec, details: Mapping[str, Any]) -> tuple[PartResult, ...]:
    return tuple(
        PartResult(p.label, relation_text(p.relation, p.claimed, p.claimed_high, spec.unit_label),
                   v, v is not None and margin(p, v) >= 0)
        for p, v in part_values(spec, details)
    )


def _parts_text(spec: ClaimSpec, parts: Sequence[PartResult]) -> str:
    return "".join(f" {p.describe(spec.unit_label)}." for p in parts)


# ------------------------------------------------------------------------------------------
# break-evens
# ------------------------------------------------------------------------------------------
def _solve_break_even(spec: ClaimSpec, be: BreakEvenSpec, ctx: AuditContext,
                      fn: QuantitySpec) -> BreakEvenResult:
    """Root-find the value of one assumption or driver at which the claim's margin is 0."""
    if be.assumption is not None:
        a = ctx.reg.get(be.assumption)
        rng = None if a.low is not None and a.high is not None else packaged_range(be.assumption)
        low, high = (a.low, a.high) if rng is None else rng  # a dropped range: the published one
        unit = be.unit or a.unit
        lo = be.lo if be.lo is not None else (
            convert(low, a.unit, unit) if low is not None else None)
        hi = be.hi if be.hi is not None else (
            convert(high, a.unit, unit) if high is not None else None)
        current = ctx.reg.value(be.assumption, unit)
        if lo is None or hi is None or not lo < hi:
            return BreakEvenResult(be.assumption, unit, None, current, current, current)
        key = be.assumption

        def measure(x: float) -> Measurement:
            return fn(ctx.with_values({key: f"{x!r} {unit}" if unit else x}))
    else:
        assert be.driver is not None
        unit, lo, hi = be.unit, float(be.lo or 0.0), float(be.hi or 0.0)
        current = driver_current(ctx, be.driver)
        driver = be.driver

        def measure(x: float) -> Measurement:
            return fn(ctx.with_driver(driver, x))

    def evaluate(x: float) -> float:
        m = measure(x)
        return claim_margin(spec, m.value, m.details)

    # an assumption change re-runs the models; a driver only re-evaluates formulas, so its
    # scan can be fine enough not to step over the narrow window of an 'approx' claim
    n_scan = 10 if be.assumption is not None else 48

    def search(a: float, b: float) -> Any:
        log = be.log or (a > 0 and b / a >= 100.0)
        return first_root(evaluate, a, b, n_scan=n_scan, log=log, xtol=1e-6, rtol=1e-6)

    def exact(value: float, side: str) -> float | None:
        """Where the model meets the claimed value itself (no tolerance), beyond ``value``:
        the root of model value - the claimed end the tolerance edge at ``value`` belongs to."""
        if spec.tolerance <= 0.0 or spec.claimed is None:
            return None
        v0 = measure(value).value
        if v0 is None:
            return None
        c_hi = spec.claimed_high if spec.claimed_high is not None else spec.claimed
        ref = spec.claimed if v0 < spec.claimed else c_hi
        far = (max(x for x in (hi, be.search_hi) if x is not None) if side == ">="
               else min(x for x in (lo, be.search_lo) if x is not None))
        if far == value:
            return None

        def gap(x: float) -> float:
            m = measure(x).value
            return float("nan") if m is None else (m - ref) / abs(ref)

        a, b = min(value, far), max(value, far)
        try:
            r = first_root(gap, a, b, n_scan=n_scan, log=be.log or (a > 0 and b / a >= 100.0),
                           xtol=1e-6, rtol=1e-6)
        except (UserError, ValueError):
            return None
        return r.value

    try:
        root = search(lo, hi)
    except UserError:
        return BreakEvenResult(be.name, unit, None, current, lo, hi)
    if root.value is None and root.sign_at_lo > 0:
        # holds over the whole bracket: its near end is a value that makes the claim hold
        return BreakEvenResult(be.name, unit, lo, current, lo, hi, "in")
    if root.value is None:
        for a, b in ((hi, be.search_hi), (be.search_lo, lo)):
            if a is None or b is None:
                continue
            try:
                wide = search(min(a, b), max(a, b))
            except UserError:
                continue
            if wide.value is not None:
                side = "<=" if wide.sign_at_lo > 0 else ">="
                return BreakEvenResult(be.name, unit, wide.value, current, lo, hi, side, False,
                                       exact(wide.value, side))
        return BreakEvenResult(be.name, unit, None, current, lo, hi)
    side = "<=" if root.sign_at_lo > 0 else ">="  # it holds on the side of lo iff it holds at lo
    return BreakEvenResult(be.name, unit, root.value, current, lo, hi, side, True,
                           exact(root.value, side))


# ------------------------------------------------------------------------------------------
# units slip
# ------------------------------------------------------------------------------------------
def _units_slip(spec: ClaimSpec, slip: UnitsSlip, value: float, reg: Registry
                ) -> tuple[str, dict[str, Any]] | None:
    """Does the claimed figure match the model value read in the slip's unit? If so, the
    flag, re-derived against the article's own figures in that unit when it gives them."""
    assert spec.claimed is not None
    factor_key = slip.factor
    fa = reg.get(factor_key)
    alt = value * reg.si(factor_key)
    if margin(spec, alt) < 0.0:
        return None
    text = (
        f"units slip: the claimed {spec.claimed_text()} matches the model's {alt:.3g} "
        f"{slip.unit} ({slip.label}), not {_q(value, spec, 3)}"
    )
    check: dict[str, Any] = {"model_in_slip_unit": alt, "slip_unit": slip.unit}
    if slip.article_low is not None and slip.article_high is not None:
        hi_claim = spec.claimed_high if spec.claimed_high is not None else spec.claimed
        rates = (slip.article_low / spec.claimed, slip.article_high / hi_claim)
        lo_r, hi_r = reg.low_high(factor_key, fa.unit)
        at_market = all(lo_r <= r <= hi_r for r in rates)
        ratio = (slip.article_low / alt, slip.article_high / alt)
        check.update(article_low=slip.article_low, article_high=slip.article_high,
                     implied_rate=list(rates), rate_range=[lo_r, hi_r],
                     converted_at_market_rate=at_market, article_over_model=list(ratio))
        text += (
            f"; the article's own {slip.article_low:g}-{slip.article_high:g} {slip.unit} are the "
            f"claimed figure converted at {rates[0]:.3g}-{rates[1]:.3g} {fa.unit} ("
            + (f"within {factor_key}'s {lo_r:g}-{hi_r:g}: the article read the figure in "
               f"{spec.unit_label}, so the slip lies in the quoted figure, not in the translation"
               if at_market else
               f"outside {factor_key}'s {lo_r:g}-{hi_r:g}: the article's conversion does not "
               "follow the market rate")
            + f"); read as {slip.unit}, the article's figures are {ratio[0]:.2g}-{ratio[1]:.2g}x "
            "the model's"
        )
    return text, check


# ------------------------------------------------------------------------------------------
# provenance: inputs taken from the claim
# ------------------------------------------------------------------------------------------
def _inputs_text(own: Sequence[ClaimInput]) -> str:
    files = sorted({c.origin_name for c in own})
    return f"{'; '.join(c.describe() for c in own)} (set from this claim in {', '.join(files)})"


def _range_support(spec: ClaimSpec, q: QuantitySpec, ctx: AuditContext,
                   own: Sequence[ClaimInput]) -> Support | None:
    """The claim's inputs all at the low, then all at the high end of their published
    (packaged) ranges: does either make the claim hold?"""
    keys = [c.key for c in own if c.key in q.keys] or [c.key for c in own]
    ranges = {k: r for k in keys if (r := packaged_range(k)) is not None}
    if not ranges:
        return None
    best: tuple[float, float | None, str] | None = None
    for end in (0, 1):
        values = {k: r[end] for k, r in ranges.items()}
        sub = ctx.with_registry(with_packaged_values(ctx.reg, values, "published range"),
                                set(values))
        m = q(sub)
        mg = claim_margin(spec, m.value, m.details)
        if best is None or mg > best[0]:
            best = (mg, m.value, "low" if end == 0 else "high")
    assert best is not None
    holds = best[0] >= 0.0
    shown = "-" if best[1] is None else _q(best[1], spec)
    reg0 = ctx.reg
    rng = "; ".join(f"{k} {fmt(lo)}-{fmt(hi, reg0.get(k).unit)}" for k, (lo, hi) in ranges.items())
    return Support(
        "published range", holds, best[1],
        f"with the {'input' if len(ranges) == 1 else 'inputs'} anywhere in the published "
        f"range ({rng}) the model gives at best {shown} (at the {best[2]} end): "
        f"{'supports' if holds else 'does not support'} the claim",
    )


def _input_result(spec: ClaimSpec, q: QuantitySpec, ctx: AuditContext, m: Measurement,
                  m0: Measurement, own: Sequence[ClaimInput], used: Sequence[ClaimInput]
                  ) -> ClaimResult:
    checks: list[Support] = []
    rs = _range_support(spec, q, ctx, own)
    if rs is not None:
        checks.append(rs)
    if q.support is not None:
        checks.append(q.support(ctx, spec.targets))
    assert m.value is not None
    without_text = "no value" if m0.value is None else _q(m0.value, spec)
    parts = _parts(spec, m.details)
    one = len(own) == 1
    text = (
        f"Input: {_inputs_text(own)}; the model value follows {'it' if one else 'them'}: "
        f"{_q(m.value, spec)}, claim {spec.claimed_text()}.{_parts_text(spec, parts)} With "
        f"the packaged {'value' if one else 'values'} ("
        + ", ".join(fmt(c.packaged, c.unit) for c in own if c.packaged is not None)
        + f") the model gives {without_text}, which does not meet the claim."
    )
    for c in checks:
        text += f" Support ({c.basis}): {c.explanation.rstrip('.')}."
    text += f" {m.explanation}"
    return ClaimResult(
        spec, "input", m.value, text.strip(), details=m.details, parts=parts,
        own_inputs=tuple(own), claim_inputs=tuple(used), independent_value=m0.value,
        support=tuple(checks), notes=m.notes,
    )


# ------------------------------------------------------------------------------------------
# the verdict
# ------------------------------------------------------------------------------------------
def evaluate_claim(spec: ClaimSpec, ctx: AuditContext) -> ClaimResult:
    """Evaluate one claim against the model context and compute its verdict."""
    q = REGISTRY[spec.quantity]
    cis = claim_inputs(ctx.reg)
    used = tuple(cis[k] for k in sorted(q.reads(ctx.reg)) if k in cis)
    own = tuple(c for c in used if spec.id in c.claims and c.packaged is not None)
    m = q(ctx)
    notes = "".join(f" {n}" for n in m.notes)
    if m.value is None or m.not_checkable or (spec.claimed is None
                                               and spec.relation != "achieved"):
        why = m.not_checkable or "the claim has no number to compare"
        text = f"Not checkable: {why} {m.explanation}".strip()
        if own:
            text += f" The scenario takes {_inputs_text(own)}."
        return ClaimResult(spec, "not-checkable", m.value, text + notes, details=m.details,
                           own_inputs=own, claim_inputs=used, notes=m.notes)
    holds = claim_margin(spec, m.value, m.details) >= 0.0
    m_own: Measurement | None = None
    if own and holds:  # does it hold without the inputs taken from the claim?
        keys = {c.key for c in own}
        m0 = q(ctx.with_registry(without(ctx.reg, keys), keys))
        if claim_margin(spec, m0.value, m0.details) < 0.0:
            return _input_result(spec, q, ctx, m, m0, own, used)
        assert m0.value is not None
        if abs(m0.value - m.value) > 1e-9 * max(abs(m.value), 1e-300):
            m, m_own = m0, m  # judge (and show) the model without the claim's inputs
            notes = "".join(f" {n}" for n in m.notes)
    assert m.value is not None
    parts = _parts(spec, m.details)
    common = dict(details=m.details, parts=parts, own_inputs=own, claim_inputs=used,
                  notes=m.notes)
    head = f"Model gives {_q(m.value, spec)}, claim {spec.claimed_text()}"
    if holds:
        text = f"{head}: holds.{_parts_text(spec, parts)}"
        if m_own is not None and m_own.value is not None:
            text += (
                f" It holds without the scenario's inputs taken from this claim too: "
                f"{_inputs_text(own)} give {_q(m_own.value, spec)}; shown is the model without "
                "them."
            )
        elif own:
            text += f" The scenario's inputs from this claim ({_inputs_text(own)}) do not move it."
        return ClaimResult(spec, "consistent", m.value, f"{text} {m.explanation}{notes}".strip(),
                           independent_value=m.value if own else None, **common)  # type: ignore[arg-type]
    slip, slip_check = None, None
    if spec.units_slip is not None:
        found_slip = _units_slip(spec, spec.units_slip, m.value, ctx.reg)
        if found_slip is not None:
            slip, slip_check = found_slip
    bes = tuple(_solve_break_even(spec, b, ctx, q) for b in spec.break_even)
    own_text = f" It does not hold even with {_inputs_text(own)}." if own else ""
    found = [b for b in bes if b.value is not None and b.in_bracket]
    if found:
        b = found[0]
        text = (
            f"{head}: holds only if " + "; or ".join(x.describe() for x in found) + "."
            + _parts_text(spec, parts) + own_text + f" {m.explanation}"
        )
        if slip:
            text += f" Note {slip}."
        return ClaimResult(
            spec, "conditional", m.value, (text + notes).strip(), b.name, b.value, b.unit, bes,
            slip, units_slip_check=slip_check, **common,  # type: ignore[arg-type]
        )
    text = f"{head}: does not hold.{_parts_text(spec, parts)}"
    if bes:
        text += (
            " No break-even inside the attainable ranges ("
            + "; ".join(b.describe() for b in bes)
            + ")."
        )
    text += own_text
    if slip:
        text += f" Flag: {slip}."
    text += f" {m.explanation}"
    return ClaimResult(
        spec, "inconsistent", m.value, (text + notes).strip(), None, None, "", bes, slip,
        units_slip_check=slip_check, **common,  # type: ignore[arg-type]
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
