"""The probability that each claim holds over a sweep's sampled inputs.

A full claims audit (:func:`terawatt.audit.claims.audit`) takes seconds per assumption set,
so it runs on ``M`` of the sweep's sampled input sets only (:func:`claim_rows`): the first
``M`` rows for random and LHS designs (independent draws), the first ``M`` rows of the A
matrix for a Saltelli (sobol) design (row ``i*(k+2)`` of base sample ``i``). Each sample is
the scenario's registry with the sampled values (each key keeps its source, note and range,
so an input the scenario took from a claim still counts as taken from it:
:func:`sample_registry`).

Per-sample verdicts go to ``claims-verdicts.parquet`` (columns ``sample`` int64, ``claim``
string, ``verdict`` string, ``model_value`` float64 in the claim's unit, null when none),
written under a temporary name and renamed; its schema metadata records ``M``, the sweep
spec and a digest of the claims file, and a rerun with the same ones reuses the file.

:func:`summarize` turns the verdicts into, per claim: ``n`` (samples evaluated), the share of
each verdict (:data:`terawatt.audit.claims.VERDICTS`), and ``p_holds`` (share ``consistent``)
with its Wilson 95 % score interval (:func:`wilson`). A sample whose verdict is ``input``
counts as not holding: the claim holds there only because the scenario took its figure from
the claim itself, so the model does not establish it.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from terawatt.assumptions import Registry
from terawatt.errors import UserError
from terawatt.io.atomic import write_atomic

#: file of the per-sample verdicts in the sweep folder
VERDICTS_FILE = "claims-verdicts.parquet"
#: format of the verdict file's metadata
CLAIMS_FORMAT = 1
#: default number of sampled input sets the audit runs on
DEFAULT_CLAIMS_SAMPLES = 32
#: two-sided 95 % normal quantile
Z95 = 1.959963984540054
#: verdicts, in the order of :data:`terawatt.audit.claims.VERDICTS` (kept here so that the
#: analysis does not import the audit engine)
VERDICT_NAMES: tuple[str, ...] = ("consistent", "inconsistent", "conditional", "input",
                                  "not-checkable")
_META_KEY = b"terawatt"


def check_claims_samples(m: int) -> int:
    """``m`` if it is a valid ``--claims-samples``; UserError (one line) otherwise."""
    if m < 0:
        raise UserError(f"--claims-samples: value {m}; allowed: an integer >= 0 (0 disables)")
    return m


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a proportion ``k`` of ``n`` (Wilson 1927; Newcombe 1998,
    method 3); (nan, nan) for ``n = 0``."""
    if n <= 0:
        return math.nan, math.nan
    p = k / n
    z2 = z * z
    denom = 1.0 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    lo = 0.0 if k == 0 else max(0.0, centre - half)  # exact ends, free of round-off
    hi = 1.0 if k == n else min(1.0, centre + half)
    return lo, hi


def claim_rows(method: str, n_base: int, k: int, rows: int, m: int) -> np.ndarray:
    """Design rows of the first ``m`` independent input sets: the A rows of a Saltelli design
    (``i*(k+2)``), else the first rows."""
    if method == "sobol":
        return np.arange(min(m, n_base), dtype=np.int64) * (k + 2)
    return np.arange(min(m, rows), dtype=np.int64)


def sample_registry(reg: Registry, keys: Sequence[str], values_si: np.ndarray,
                    origin: str) -> Registry:
    """``reg`` with ``keys`` at ``values_si`` [SI]; each key keeps its source (so a scenario
    input cited from a claim stays cited), its note and its range."""
    spec: dict[str, Any] = {}
    for key, v in zip(keys, values_si, strict=True):
        a = reg.get(key)
        x = float(v) / a.si_factor
        if a.low is not None and a.high is not None:  # guard against round-off at the ends
            x = min(max(x, a.low), a.high)
        spec[key] = {"value": x, "source": a.source.model_dump()}
    return reg.with_values(spec, origin)


@dataclass(frozen=True, slots=True)
class ClaimsTask:
    """One sample's audit, picklable for a worker process."""

    sample: int
    keys: tuple[str, ...]
    values_si: np.ndarray
    reg: Registry


def run_claims_task(task: ClaimsTask) -> tuple[int, list[tuple[str, str, float | None]]]:
    """Audit every claim on the task's sample: (sample, [(claim id, verdict, model value)])."""
    from terawatt.audit.claims import audit

    reg = sample_registry(task.reg, task.keys, task.values_si, f"sweep sample {task.sample}")
    return task.sample, [(r.spec.id, r.verdict, r.model_value) for r in audit(reg)]


def claims_digest() -> str:
    """Digest of the packaged claims file (a changed file invalidates stored verdicts)."""
    from terawatt.audit.spec import packaged_claims_path

    return hashlib.sha256(Path(packaged_claims_path()).read_bytes()).hexdigest()[:16]


def _meta(m: int, spec: dict[str, Any]) -> dict[str, Any]:
    return {"format": CLAIMS_FORMAT, "m": m, "spec": spec, "claims": claims_digest()}


def read_meta(path: Path) -> dict[str, Any] | None:
    """The metadata stored in a verdict file, None when absent or unreadable."""
    import pyarrow.parquet as pq

    try:
        md = pq.read_schema(path).metadata or {}
        return json.loads(md[_META_KEY])  # type: ignore[no-any-return]
    except (OSError, KeyError, ValueError):
        return None


def _write(path: Path, rows: list[tuple[int, str, str, float | None]],
           meta: dict[str, Any]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({
        "sample": pa.array([r[0] for r in rows], pa.int64()),
        "claim": pa.array([r[1] for r in rows], pa.string()),
        "verdict": pa.array([r[2] for r in rows], pa.string()),
        "model_value": pa.array([r[3] for r in rows], pa.float64()),
    }).replace_schema_metadata({_META_KEY: json.dumps(meta, sort_keys=True).encode()})
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    write_atomic(path, buf.getvalue())


Progress = Callable[[int, int], None]


def run_claims(reg: Registry, folder: Path, spec: dict[str, Any], m: int, *,
               workers: int = 1, progress: Progress | None = None) -> Path | None:
    """Audit the claims on ``m`` sampled input sets of the finished sweep in ``folder`` and
    write :data:`VERDICTS_FILE`; reuse it when ``m``, ``spec`` and the claims file are
    unchanged. Returns the file (None for ``m = 0``)."""
    from terawatt.uncertainty.analysis import load

    check_claims_samples(m)
    if workers < 1:
        raise UserError(f"--workers: value {workers}; allowed: an integer >= 1")
    if m == 0:
        return None
    path = folder / VERDICTS_FILE
    meta = _meta(m, spec)
    if path.is_file() and read_meta(path) == json.loads(json.dumps(meta)):
        return path
    d = load(folder)
    rows = claim_rows(d.method, d.n_base, len(d.keys), d.inputs_si.shape[0], m)
    tasks = [ClaimsTask(int(i), d.keys, np.ascontiguousarray(d.inputs_si[i]), reg)
             for i in rows]
    if progress:
        progress(0, len(tasks))
    results: dict[int, list[tuple[str, str, float | None]]] = {}
    if workers == 1 or len(tasks) == 1:
        for t in tasks:
            s, res = run_claims_task(t)
            results[s] = res
            if progress:
                progress(len(results), len(tasks))
    else:
        with ProcessPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
            try:
                for s, res in pool.map(run_claims_task, tasks):
                    results[s] = res
                    if progress:
                        progress(len(results), len(tasks))
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    out = [(s, cid, verdict, None if v is None or not math.isfinite(v) else float(v))
           for s in sorted(results) for cid, verdict, v in results[s]]
    _write(path, out, meta)
    return path


def summarize(path: Path) -> list[dict[str, Any]]:
    """Per claim (in file order): ``id``, ``n``, ``p_holds`` with its Wilson 95 % interval
    (``p_holds_low``, ``p_holds_high``) and ``shares`` of every verdict."""
    import pyarrow.parquet as pq

    t = pq.read_table(path)
    claim = t.column("claim").to_pylist()
    verdict = t.column("verdict").to_pylist()
    counts: dict[str, dict[str, int]] = {}
    for c, v in zip(claim, verdict, strict=True):
        counts.setdefault(c, dict.fromkeys(VERDICT_NAMES, 0))
        counts[c][v] = counts[c].get(v, 0) + 1
    out = []
    for c, cnt in counts.items():
        n = sum(cnt.values())
        k = cnt["consistent"]
        lo, hi = wilson(k, n)
        out.append({"id": c, "n": n, "p_holds": k / n, "p_holds_low": lo, "p_holds_high": hi,
                    "shares": {v: cnt[v] / n for v in cnt}})
    return out
