"""Analysis of a finished sweep, from its files only (the same whatever the worker count).

:func:`analyze` reads the chunk files (outputs), the inputs files (sampled inputs [SI]),
``inputs.json`` (keys and units) and ``summary.json`` (binding shares) of a sweep folder
(:mod:`terawatt.uncertainty.sweep`) and returns, as one JSON-ready dict (``analysis.json``):

- ``fan_chart``: P5/P25/P50/P75/P95 per year of ground and orbital compute [W] and of USD per
  million tokens on the ground and in orbit [USD/Mtok];
- ``crossover``: distribution of the first year in which orbit is at most as expensive per
  token as the ground, per sample, with the samples where that never happens counted apart;
- ``binding_share``: share of samples in which each term binds, per sector and year (from
  ``summary.json``);
- ``sobol`` (sobol sweeps only): first- and total-order indices with bootstrap CIs of the
  headline outputs (:data:`HEADLINES`), inputs ranked by ST, and a convergence series
  (:func:`terawatt.uncertainty.sensitivity.sobol_convergence`, N' = 2^8 .. N);
- ``discovery``: PRIM boxes (:func:`terawatt.uncertainty.discovery.prim_boxes`) of a named
  outcome (:data:`OUTCOMES`), limits in each input's own unit; skipped, with the reason,
  when the outcome is too rare or too common;
- ``claims``: per claim, the probability that it holds over ``M`` sampled input sets, with
  its Wilson 95 % interval and the share of every verdict
  (:mod:`terawatt.uncertainty.claims_probability`, from ``claims-verdicts.parquet``); null
  when the sweep ran no claims audit.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from terawatt.assumptions.sampling import Samples
from terawatt.errors import UserError
from terawatt.uncertainty import sweep as sw

FloatArray = sw.FloatArray

#: percentiles of the fan charts [%]
FAN_PERCENTILES: tuple[int, ...] = (5, 25, 50, 75, 95)
#: output columns of the fan charts
FAN_COLUMNS: tuple[str, ...] = ("ground_compute_w", "orbital_compute_w",
                                "ground_usd_per_mtok", "orbit_usd_per_mtok")
#: PRIM runs only when the outcome's share of cases lies in this range [-]
PRIM_SHARE_RANGE: tuple[float, float] = (0.01, 0.99)
#: cases PRIM looks at, at most (the first ones: random and LHS rows are exchangeable)
PRIM_MAX_CASES = 20_000
#: bootstrap resamples of the headline indices and of the convergence series
N_BOOT, N_BOOT_CONVERGENCE = 1000, 200
#: inputs ranked by ST kept per headline output
TOP_INPUTS = 10
#: smallest base size of the convergence series
CONVERGENCE_START = 256


@dataclass(frozen=True, slots=True)
class SweepData:
    """Outputs (rows, years) per column and inputs (rows, k) [SI] of a sweep, by design row."""

    years: np.ndarray
    outputs: dict[str, FloatArray]
    keys: tuple[str, ...]
    inputs_si: FloatArray
    unit: tuple[str, ...]
    si_factor: FloatArray
    method: str
    n_base: int

    def at(self, column: str, year: int) -> tuple[FloatArray, int]:
        """Column values (rows,) in ``year`` (the last year of the sweep if it ends earlier)
        and the year used."""
        y = int(min(year, int(self.years[-1])))
        return self.outputs[column][:, int(np.searchsorted(self.years, y))], y


@dataclass(frozen=True, slots=True)
class Headline:
    """A scalar output of each sample for the Sobol' analysis."""

    name: str
    label: str
    unit: str
    value: Callable[[SweepData], tuple[FloatArray, int]]


def _ratio(d: SweepData, year: int) -> tuple[FloatArray, int]:
    o, y = d.at("orbit_usd_per_mtok", year)
    g, _ = d.at("ground_usd_per_mtok", year)
    return o / g, y


HEADLINES: tuple[Headline, ...] = (
    Headline("orbital_compute_2040", "orbital compute 2040", "W",
             lambda d: d.at("orbital_compute_w", 2040)),
    Headline("ground_compute_2040", "ground compute 2040", "W",
             lambda d: d.at("ground_compute_w", 2040)),
    Headline("usd_per_token_ratio_2030", "orbit / ground USD per token 2030", "-",
             lambda d: _ratio(d, 2030)),
)


@dataclass(frozen=True, slots=True)
class Outcome:
    """A yes/no outcome of each sample, for scenario discovery."""

    name: str
    description: str
    value: Callable[[SweepData], tuple[np.ndarray, int]]


def _cheaper(year: int) -> Callable[[SweepData], tuple[np.ndarray, int]]:
    def f(d: SweepData) -> tuple[np.ndarray, int]:
        r, y = _ratio(d, year)
        return r <= 1.0, y
    return f


def _orbit_above(year: int, watts: float) -> Callable[[SweepData], tuple[np.ndarray, int]]:
    def f(d: SweepData) -> tuple[np.ndarray, int]:
        v, y = d.at("orbital_compute_w", year)
        return v > watts, y
    return f


OUTCOMES: dict[str, Outcome] = {o.name: o for o in (
    Outcome("orbit-cheaper-2030", "orbit costs at most the ground per token in 2030",
            _cheaper(2030)),
    Outcome("orbit-cheaper-2035", "orbit costs at most the ground per token in 2035",
            _cheaper(2035)),
    Outcome("orbital-compute-2040-above-100gw", "orbital compute above 100 GW in 2040",
            _orbit_above(2040, 100e9)),
)}
DEFAULT_OUTCOME = "orbit-cheaper-2030"


def check_outcome(name: str) -> Outcome:
    """The named outcome; UserError (one line) for an unknown name."""
    if name not in OUTCOMES:
        raise UserError(f"--outcome: value {name!r}; allowed: {', '.join(OUTCOMES)}")
    return OUTCOMES[name]


# ------------------------------------------------------------------------------ reading
def load(folder: Path) -> SweepData:
    """Outputs and inputs of every chunk of the sweep in ``folder``, by design row."""
    import pyarrow.parquet as pq

    meta_path = folder / "inputs.json"
    if not meta_path.is_file():
        raise UserError(f"{folder}: no inputs.json; allowed: a sweep folder of format "
                        f"{sw.SWEEP_FORMAT}")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    done = sorted(sw.completed_chunks(folder))
    if not done:
        raise UserError(f"{folder}: no complete chunk; allowed: a finished sweep folder")
    out = [pq.read_table(sw.chunk_path(folder, i)) for i in done]
    inp = [pq.read_table(sw.inputs_path(folder, i)) for i in done]
    sample = np.concatenate([t.column("sample").to_numpy() for t in out])
    year = np.concatenate([t.column("year").to_numpy() for t in out]).astype(np.int64)
    years = np.unique(year)
    rows = int(sample.max()) + 1
    if rows != meta["rows"]:
        raise UserError(f"{folder}: {rows} rows on disk, {meta['rows']} in inputs.json; "
                        "allowed: rerun the sweep command to finish it")
    yi = np.searchsorted(years, year)
    outputs: dict[str, FloatArray] = {}
    for col in FAN_COLUMNS:
        grid = np.full((rows, len(years)), np.nan)
        grid[sample, yi] = np.concatenate([t.column(col).to_numpy() for t in out])
        outputs[col] = grid
    keys = tuple(meta["keys"])
    inputs_si = np.empty((rows, len(keys)))
    idx = np.concatenate([t.column("sample").to_numpy() for t in inp])
    for j, k in enumerate(keys):
        inputs_si[idx, j] = np.concatenate([t.column(k).to_numpy() for t in inp])
    return SweepData(years, outputs, keys, inputs_si, tuple(meta["unit"]),
                     np.asarray(meta["si_factor"], dtype=float), meta["method"],
                     int(meta["n_base"]))


# ------------------------------------------------------------------------------ parts
def _num(v: float) -> float | None:
    """A JSON-safe float (None for NaN or infinity)."""
    v = float(v)
    return v if math.isfinite(v) else None


def fan_charts(d: SweepData) -> dict[str, dict[str, list[float | None]]]:
    out = {}
    for col in FAN_COLUMNS:
        q = np.nanpercentile(d.outputs[col], FAN_PERCENTILES, axis=0)
        out[col] = {f"p{p:02d}": [_num(v) for v in q[j]] for j, p in enumerate(FAN_PERCENTILES)}
    return out


def crossover(d: SweepData) -> dict[str, Any]:
    """First year with orbit_usd_per_mtok <= ground_usd_per_mtok, per sample."""
    cheaper = d.outputs["orbit_usd_per_mtok"] <= d.outputs["ground_usd_per_mtok"]
    has = cheaper.any(axis=1)
    first = d.years[np.argmax(cheaper, axis=1)][has]
    n = cheaper.shape[0]
    counts = [int(np.sum(first == y)) for y in d.years]
    pct = {f"p{p:02d}": int(np.percentile(first, p, method="lower")) if has.any() else None
           for p in (5, 50, 95)}
    return {"years": d.years.tolist(), "count": counts,
            "share": [c / n for c in counts], "none_count": int(n - has.sum()),
            "none_share": float(1 - has.mean()), "end_year": int(d.years[-1]),
            "samples": n, "percentiles_of_crossing_samples": pct}


def _samples(d: SweepData) -> Samples:
    """A Samples view of the design for the Sobol' analysis (marginals are not needed)."""
    return Samples(d.keys, d.inputs_si, None, tuple(None for _ in d.keys),  # type: ignore[misc]
                   "sobol", d.n_base)


def sobol(d: SweepData, seed: int) -> dict[str, Any]:
    """Sobol' indices of each headline output, inputs ranked by ST, convergence series."""
    from terawatt.uncertainty.sensitivity import sobol_convergence, sobol_indices

    s = _samples(d)
    out: dict[str, Any] = {"n_base": d.n_base, "conf_level": 0.95, "n_boot": N_BOOT,
                           "outputs": {}}
    for h in HEADLINES:
        y, year = h.value(d)
        entry: dict[str, Any] = {"label": h.label, "unit": h.unit, "year": year}
        out["outputs"][h.name] = entry
        if not np.all(np.isfinite(y)):
            entry["skipped"] = "the output is not finite in every sample"
            continue
        if np.ptp(y) <= 1e-12 * max(1.0, float(np.max(np.abs(y)))):
            entry["skipped"] = "the output is the same in every sample"
            continue
        ix = sobol_indices(s, y, n_boot=N_BOOT, seed=seed)
        order = np.argsort(-np.nan_to_num(ix.st, nan=-np.inf), kind="stable")
        entry["indices"] = {n: {k: _num(v) for k, v in row.items()}
                            for n, row in ix.as_dict().items()}
        entry["ranked"] = [ix.names[i] for i in order]
        start = min(CONVERGENCE_START, d.n_base)
        conv = sobol_convergence(s, y, start=start, n_boot=N_BOOT_CONVERGENCE, seed=seed)
        top = [ix.names[i] for i in order[:TOP_INPUTS]]
        entry["convergence"] = {
            "n_base": [c.n_base for c in conv],
            "inputs": {k: {"S1": [_num(c.s1[ix.names.index(k)]) for c in conv],
                           "ST": [_num(c.st[ix.names.index(k)]) for c in conv],
                           "ST_conf": [_num(c.st_conf[ix.names.index(k)]) for c in conv]}
                       for k in top}}
    return out


def _prim_rows(d: SweepData) -> np.ndarray:
    """Rows PRIM looks at: the A and B rows of a Saltelli design (independent points), else
    the first :data:`PRIM_MAX_CASES` rows."""
    rows = d.inputs_si.shape[0]
    if d.method == "sobol":
        per = len(d.keys) + 2
        base = np.arange(d.n_base) * per
        return np.sort(np.concatenate([base, base + per - 1]))[:PRIM_MAX_CASES]
    return np.arange(min(rows, PRIM_MAX_CASES))


def discovery(d: SweepData, outcome: str) -> dict[str, Any]:
    """PRIM boxes of ``outcome`` over the inputs, limits in each input's own unit."""
    from terawatt.uncertainty.discovery import prim_boxes

    o = check_outcome(outcome)
    hit_all, year = o.value(d)
    rows = _prim_rows(d)
    hit = np.asarray(hit_all[rows], dtype=bool)
    share = float(hit.mean())
    out: dict[str, Any] = {"outcome": o.name, "description": o.description, "year": year,
                           "cases": int(len(rows)), "share": share, "boxes": []}
    lo, hi = PRIM_SHARE_RANGE
    if not lo <= share <= hi:
        out["skipped"] = (f"the outcome holds in {share:.2%} of {len(rows)} cases; PRIM needs "
                          f"between {lo:.0%} and {hi:.0%}")
        return out
    x = pd.DataFrame(d.inputs_si[rows] / d.si_factor, columns=list(d.keys))
    unit = dict(zip(d.keys, d.unit, strict=True))
    # the box must be denser than the whole space: at least halfway from the base rate to 1
    threshold = max(0.8, (1.0 + share) / 2)
    out["threshold"] = threshold
    for b in prim_boxes(x, hit, threshold=threshold):
        out["boxes"].append({
            "coverage": b.coverage, "density": b.density, "mass": b.mass,
            "n_restricted": b.n_restricted,
            "limits": {k: {"low": v[0], "high": v[1], "unit": unit[k],
                           "range_low": float(x[k].min()), "range_high": float(x[k].max())}
                       for k, v in b.limits.items()}})
    if not out["boxes"]:
        out["skipped"] = "PRIM found no box"
    return out


# ------------------------------------------------------------------------------ entry point
def claims(folder: Path, claims_samples: int | None = None) -> list[dict[str, Any]] | None:
    """Per-claim probability of holding from ``claims-verdicts.parquet``; None when
    ``claims_samples`` is 0, or when it is None and there is no verdict file. A verdict file
    made for another M is refused."""
    from terawatt.uncertainty import claims_probability as cp

    path = folder / cp.VERDICTS_FILE
    if claims_samples == 0 or (claims_samples is None and not path.is_file()):
        return None
    meta = cp.read_meta(path) if path.is_file() else None
    if meta is None or (claims_samples is not None and meta.get("m") != claims_samples):
        raise UserError(f"{folder}: no {cp.VERDICTS_FILE} for --claims-samples "
                        f"{claims_samples}; allowed: rerun the sweep command")
    return cp.summarize(path)


def analyze(folder: Path, *, outcome: str = DEFAULT_OUTCOME,
            claims_samples: int | None = None) -> dict[str, Any]:
    """The whole analysis of the sweep in ``folder`` (see the module docstring);
    ``claims_samples``: see :func:`claims`."""
    check_outcome(outcome)
    summary_path = folder / "summary.json"
    if not summary_path.is_file():
        raise UserError(f"{folder}: no summary.json; allowed: a finished sweep folder")
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    d = load(folder)
    spec = summary["spec"]
    doc: dict[str, Any] = {
        "format": sw.SWEEP_FORMAT, "spec": spec, "rows": int(d.inputs_si.shape[0]),
        "inputs": list(d.keys), "years": d.years.tolist(),
        "percentiles": list(FAN_PERCENTILES), "fan_chart": fan_charts(d),
        "crossover": crossover(d), "binding_share": summary["binding_share"],
        "sobol": sobol(d, int(spec["seed"]) % 2**32) if d.method == "sobol" else None,
        "discovery": discovery(d, outcome),
        "claims": claims(folder, claims_samples),
    }
    return doc


def write_analysis(folder: Path, *, outcome: str = DEFAULT_OUTCOME,
                   claims_samples: int | None = None) -> dict[str, Any]:
    """:func:`analyze` and write it to ``analysis.json`` in ``folder`` (atomically)."""
    doc = analyze(folder, outcome=outcome, claims_samples=claims_samples)
    sw.write_json(folder / "analysis.json", doc)
    return doc
