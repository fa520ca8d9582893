"""The claims page's computations: the audit table with each claim's inputs, one claim
re-evaluated with changed inputs, and a scan of one input across its range showing where the
verdict flips.

Verdicts come from :func:`terawatt.audit.claims.audit` unchanged; this module only picks the
inputs a row links to: the keys the claim's quantity responds to directly
(:attr:`terawatt.audit.context.QuantitySpec.keys`), the assumptions its break-evens search over
and the inputs the scenario took from the claim itself. The whole audit (~2-4 s) is cached per
scenario and overrides, so the page opens at once after the first time.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import numpy as np

from terawatt.assumptions import Registry
from terawatt.assumptions.loader import DEFAULT_SCENARIO
from terawatt.audit.claims import ClaimResult, audit, packaged_claims_path, parse_claims
from terawatt.audit.context import REGISTRY
from terawatt.web.errors import WebError
from terawatt.web.explore import ORIGIN, assumption_row, resolve, scenario_registry

#: A scan over a range whose ends differ by more than this factor is spaced logarithmically
#: (e.g. a brain's FLOP/s, 1e13..1e17) [-]; a linear scan would put every point but one at the
#: top decade.
LOG_SCAN_RATIO = 100.0


def input_keys(r: ClaimResult, reg: Registry) -> list[str]:
    """The assumption keys a claim's row links to (each known to ``reg``), in this order: the
    quantity's direct keys, the break-even assumptions, the inputs taken from the claim."""
    q = REGISTRY.get(r.spec.quantity)
    keys = list(q.keys) if q is not None else []
    keys += [b.assumption for b in r.spec.break_even if b.assumption]
    keys += [c.key for c in r.own_inputs]
    return [k for k in dict.fromkeys(keys) if k in reg]


def row(r: ClaimResult, reg: Registry) -> dict[str, Any]:
    """One row of the audit table: the claim, claimed vs model value, verdict, break-evens,
    why, and its inputs with value, unit, range and source."""
    d = r.as_dict()
    return {
        "id": r.spec.id, "claim": r.spec.text, "section": r.spec.section,
        "subsystem": r.spec.subsystem, "claimed": r.spec.claimed_text(),
        "model": r.model_text(), "model_value": r.model_value, "unit": r.spec.unit,
        "verdict": r.verdict, "why": r.explanation,
        "break_evens": [b.describe() for b in r.break_evens],
        "break_even": {"assumption": r.assumption, "value": r.break_even,
                       "unit": r.break_even_unit or None},
        "inputs": [assumption_row(reg, k) for k in input_keys(r, reg)],
        "sources": d["sources"],
    }


@lru_cache(maxsize=1)
def claim_ids() -> tuple[str, ...]:
    """The packaged claim ids (C01 ... C25)."""
    return tuple(s.id for s in parse_claims(packaged_claims_path(),
                                            reg=scenario_registry(DEFAULT_SCENARIO)))


def _check_id(claim_id: str) -> str:
    ids = claim_ids()
    if claim_id not in ids:
        raise WebError(404, f"claim {claim_id!r}: no such claim; allowed: {ids[0]}..{ids[-1]} "
                            "(see /api/claims)")
    return claim_id


#: Audits kept (one per scenario and set of overrides) [-]: the packaged scenarios and a few
#: variations; each is ~100 kB.
AUDIT_CACHE_SIZE = 16


def table(scenario: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The whole audit (as ``terawatt claims``) with verdict counts."""
    return _table(scenario, tuple(values.items()))


@lru_cache(maxsize=AUDIT_CACHE_SIZE)
def _table(scenario: str, values: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    reg = resolve(scenario, dict(values))
    rows = [row(r, reg) for r in audit(reg)]
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["verdict"]] = counts.get(r["verdict"], 0) + 1
    return {"scenario": reg.scenario, "counts": counts, "claims": rows}


def evaluate(scenario: str, values: Mapping[str, Any], claim_id: str) -> dict[str, Any]:
    """One claim on the scenario with the overrides."""
    reg = resolve(scenario, values)
    (r,) = audit(reg, ids=[_check_id(claim_id)])
    return row(r, reg)


def _scan(lo: float, hi: float, points: int) -> np.ndarray:
    if lo > 0 and hi / lo > LOG_SCAN_RATIO:
        return np.geomspace(lo, hi, points)
    return np.linspace(lo, hi, points)


def flip(scenario: str, values: Mapping[str, Any], claim_id: str, key: str,
         points: int) -> dict[str, Any]:
    """The claim evaluated at ``points`` values of ``key`` across its slider range (its
    low..high, within its physical bounds), the other overrides kept: each value's verdict and
    model value, and where the verdict changes."""
    _check_id(claim_id)
    reg = resolve(scenario, values)
    info = assumption_row(reg, key)
    s = info["slider"]
    xs = _scan(s["lo"], s["hi"], points) if s["hi"] > s["lo"] else np.array([s["lo"]])
    scan = []
    for x in xs:
        sub = reg.with_values({key: float(x)}, ORIGIN)
        (r,) = audit(sub, ids=[claim_id])
        scan.append({"value": float(x), "verdict": r.verdict, "model_value": r.model_value,
                     "model": r.model_text()})
    flips = [{"between": [a["value"], b["value"]], "from": a["verdict"], "to": b["verdict"]}
             for a, b in zip(scan, scan[1:], strict=False) if a["verdict"] != b["verdict"]]
    return {"claim": claim_id, "scenario": reg.scenario, "input": info,
            "current": reg.get(key).value, "points": scan, "flips": flips}
