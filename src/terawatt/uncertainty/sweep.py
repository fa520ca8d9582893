"""Resumable Monte Carlo sweeps of the stack model, in chunks, locally or on a Dask cluster.

A sweep draws every ranged assumption once (:func:`terawatt.uncertainty.sampling.sample`, on
the driver, so the draws do not depend on the worker count), cuts the samples into chunks of
``chunk_size`` and runs the vectorised stack model (:func:`terawatt.stack.model.simulate`) and
the cost model (:func:`terawatt.economics.service.cost_model`) on each chunk
(:func:`evaluate_chunk`). A worker returns the chunk as Parquet bytes; the driver writes them
to ``.chunk-00042.<random>.tmp`` and renames it to ``chunk-00042.parquet`` (``os.replace``), so
a chunk file is either complete or absent, whatever is killed when. Workers need no shared
file system. Next to each chunk the driver writes the chunk's sampled inputs,
``inputs-00042.parquet`` (column ``sample`` and one column per sampled key [SI]), the same way;
a chunk counts as done only when both files are there. ``inputs.json`` lists the sampled keys
with their units, so the analysis (:mod:`terawatt.uncertainty.analysis`) needs only the folder.

With ``method="sobol"`` the design has N*(k+2) rows for the k sampled inputs
(``SweepSpec.rows``); every row is evaluated, in the order of the Saltelli design.

The sweep folder is named from the command's inputs (:func:`sweep_folder_name`: scenario,
overrides, resolved assumptions, samples, method, seed, chunk size), so rerunning the same
command resumes it: chunks already on disk are skipped. ``summary.json`` is computed from the
chunk files only (:func:`summarize`), so it is the same whatever the number of workers.

Chunk table (one row per sample and calendar year; values at the last step of the year):

========================  ==========  ==================================================
column                    type        meaning
========================  ==========  ==================================================
sample                    int64       index of the sample in the sweep (0 .. n-1)
year                      int16       calendar year
ground_compute_w          float64     accelerator power installed on the ground [W]
orbital_compute_w         float64     accelerator power in orbit [W]
binding_<sector>          dictionary  binding term of each sector of
                                      :data:`terawatt.stack.model.SECTORS`
ground_usd_per_mtok       float64     USD per million tokens on the ground [USD/Mtok]
orbit_usd_per_mtok        float64     USD per million tokens in orbit, satellites
                                      launched that year [USD/Mtok]
========================  ==========  ==================================================
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from terawatt.assumptions import Registry
from terawatt.assumptions.sampling import Marginal, marginal, unit_design
from terawatt.constants import SECONDS_PER_YEAR
from terawatt.economics import service as econ
from terawatt.economics.learning import wright_cost
from terawatt.errors import UserError
from terawatt.io.atomic import write_atomic
from terawatt.io.runfolder import registry_snapshot
from terawatt.physics import satellite as sat
from terawatt.robots.replication import plan_factory
from terawatt.stack import model
from terawatt.stack import service as stack_service
from terawatt.stack.bottleneck import TIE_REL

FloatArray = NDArray[np.float64]

#: sampling methods of :func:`terawatt.uncertainty.sampling.sample`
METHODS: tuple[str, ...] = ("sobol", "lhs", "random")
#: series the sweep keeps from the stack model, by chunk column
SERIES_COLUMNS: dict[str, str] = {"ground_compute_w": "terrestrial_compute_w",
                                  "orbital_compute_w": "orbital_compute_w"}
#: percentiles of the fan chart in ``summary.json``
PERCENTILES: tuple[int, ...] = (5, 50, 95)
CHUNK_RE = re.compile(r"^chunk-(\d{5})\.parquet$")
INPUTS_RE = re.compile(r"^inputs-(\d{5})\.parquet$")
#: 2: inputs files; sobol sweeps evaluate all N*(k+2) rows; only the keys the model reads
SWEEP_FORMAT = 2


@dataclass(frozen=True, slots=True)
class SweepSpec:
    """The inputs that define a sweep (and name its folder)."""

    scenario: str
    sets: tuple[str, ...]
    n_samples: int
    method: str
    seed: int
    chunk_size: int
    #: rows of the design (N*(k+2) for sobol); 0 until :func:`resolve` sets it
    n_rows: int = 0

    def __post_init__(self) -> None:
        if self.n_samples < 1:
            raise UserError(f"--samples: value {self.n_samples}; allowed: an integer >= 1")
        if self.chunk_size < 1:
            raise UserError(f"--chunk-size: value {self.chunk_size}; allowed: an integer >= 1")
        if self.method not in METHODS:
            raise UserError(f"--method: value {self.method!r}; allowed: {', '.join(METHODS)}")
        if not 0 <= self.seed < 2**63:
            raise UserError(f"--seed: value {self.seed}; allowed: 0 <= seed < 2**63")

    @property
    def rows(self) -> int:
        """Rows of the design: ``n_rows`` once resolved, else ``n_samples``."""
        return self.n_rows or self.n_samples

    @property
    def n_chunks(self) -> int:
        return -(-self.rows // self.chunk_size)

    def bounds(self, index: int) -> tuple[int, int]:
        """First and one-past-last sample (design row) of chunk ``index``."""
        start = index * self.chunk_size
        return start, min(start + self.chunk_size, self.rows)


def sampled_keys(reg: Registry) -> tuple[str, ...]:
    """The ranged assumptions the model reads: the columns of the design."""
    return tuple(k for k in model_inputs() if reg.get(k).has_range)


def resolve(spec: SweepSpec, reg: Registry) -> SweepSpec:
    """``spec`` with ``n_rows`` set: N*(k+2) for sobol (k sampled keys), else ``n_samples``."""
    k = len(sampled_keys(reg))
    rows = spec.n_samples * (k + 2) if spec.method == "sobol" else spec.n_samples
    return replace(spec, n_rows=rows)


def sweep_folder_name(spec: SweepSpec, reg: Registry) -> str:
    """``sweep-<scenario>-<hash>``: the hash covers the spec and the resolved assumptions, so
    the same command finds the same folder and any changed input gets a new one."""
    doc = {"format": SWEEP_FORMAT, "spec": asdict(resolve(spec, reg)),
           "registry": registry_snapshot(reg)}
    digest = hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(spec.scenario).stem)[:40] or "scenario"
    return f"sweep-{slug}-{digest[:12]}"


def chunk_path(folder: Path, index: int) -> Path:
    return folder / f"chunk-{index:05d}.parquet"


def inputs_path(folder: Path, index: int) -> Path:
    return folder / f"inputs-{index:05d}.parquet"


def completed_chunks(folder: Path) -> set[int]:
    """Indices of the chunks whose output and inputs files are both present (each file was
    renamed into place only when complete)."""
    if not folder.is_dir():
        return set()
    names = [p.name for p in folder.iterdir()]
    out = {int(m.group(1)) for n in names if (m := CHUNK_RE.match(n))}
    return out & {int(m.group(1)) for n in names if (m := INPUTS_RE.match(n))}


def model_inputs() -> tuple[str, ...]:
    """Every assumption key a sweep evaluation reads (stack model, physics, costs)."""
    return tuple(dict.fromkeys((*stack_service.model_keys(), *econ.cost_keys())))


# ------------------------------------------------------------------------------ evaluation
def _parameters(reg: Registry, keys: Sequence[str], values_si: FloatArray
                ) -> dict[str, FloatArray]:
    """SI arrays (n,) for every model input: sampled columns, central value for the rest."""
    n = values_si.shape[0]
    col = {k: j for j, k in enumerate(keys)}
    return {k: (np.ascontiguousarray(values_si[:, col[k]], dtype=float) if k in col
                else np.full(n, reg.si(k))) for k in model_inputs()}


def _year_ends(year: FloatArray) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Calendar years of the axis and the index of each one's last step."""
    cal = np.floor(year + 1e-9).astype(np.int64)
    years = np.unique(cal)
    return years, np.searchsorted(cal, years, side="right") - 1


def _costs(reg: Registry, p: dict[str, FloatArray], years: NDArray[np.int64]
           ) -> tuple[FloatArray, FloatArray]:
    """USD per million tokens (Y, n) on the ground and in orbit (satellites launched that year).

    Same arithmetic as :meth:`terawatt.economics.service.CostModel.launch_price_usd_per_kg`
    with its constant launch cadence, evaluated for all samples at once (that method
    interpolates sample by sample); ``tests/uncertainty/test_sweep.py`` checks they agree.
    """
    yrs = years.astype(float)
    m = econ.cost_model(reg, p=p, years=yrs)
    per_year = np.asarray(p["launch.launches_per_year"]) * SECONDS_PER_YEAR
    floor = m.launch_cost_floor_usd_per_kg()
    ground_usd_per_w_s = m.ground.delivered_usd_per_w_s
    g_out = np.empty((len(yrs), m.n))
    o_out = np.empty((len(yrs), m.n))
    for i, y in enumerate(yrs):
        mass_kg = p["costs.launch.cumulative_mass_start"] + i * per_year * \
            p["launch.payload_per_flight"]
        price = np.maximum(wright_cost(p["costs.launch.price_base"], mass_kg,
                                       p["costs.launch.cumulative_mass_base"],
                                       p["costs.launch.learning_rate"]), floor)
        o_out[i] = m.usd_per_mtok(m.orbit(float(y), launch_usd_per_kg=price).delivered_usd_per_w_s,
                                  float(y))
        g_out[i] = m.usd_per_mtok(ground_usd_per_w_s, float(y))
    return g_out, o_out


def binding(values: FloatArray) -> NDArray[np.int64]:
    """Index of the binding term (Y, n) of term values (Y, K, n): the tie rule of
    :func:`terawatt.stack.bottleneck.attribute` (last of the terms tied with the minimum)
    without its slack table, which a sweep does not keep."""
    low = np.min(values, axis=1, keepdims=True)
    tied = values <= low + np.abs(low) * TIE_REL
    return values.shape[1] - 1 - np.argmax(tied[:, ::-1, :], axis=1)


def evaluate_chunk(reg: Registry, keys: Sequence[str], values_si: FloatArray,
                   first_sample: int) -> Any:
    """The chunk table (a ``pyarrow.Table``, columns in the module docstring) for the samples
    ``values_si`` (n, k) [SI] of ``keys``; unsampled inputs take their central value."""
    import pyarrow as pa

    stack_service.validate(reg)
    year = stack_service.time_axis_from(reg)
    p = _parameters(reg, keys, np.asarray(values_si, dtype=float))
    design = stack_service.design_from(p, sat.registry_orbit(reg))
    # the robot factory as in `terawatt run`: planned by the fleet planner once for the central
    # assumptions (cached per process); sampled fleet.* values do not re-plan it
    run = model.simulate(p, design, year, detail=True, marginal=False,
                         record=tuple(SERIES_COLUMNS.values()), robot_factory=plan_factory(reg))
    years, last = _year_ends(year)
    n = values_si.shape[0]
    Y = len(years)
    cols: dict[str, Any] = {
        "sample": pa.array(np.tile(np.arange(first_sample, first_sample + n, dtype=np.int64),
                                   Y)),
        "year": pa.array(np.repeat(years.astype(np.int16), n)),
    }
    for col, series in SERIES_COLUMNS.items():
        cols[col] = pa.array(run.series[series][last].reshape(-1))
    for s in model.SECTORS:
        cols[f"binding_{s.name}"] = pa.DictionaryArray.from_arrays(
            pa.array(binding(run.terms[s.name][last]).reshape(-1).astype(np.int8)),
            pa.array(list(s.terms)))
    ground, orbit = _costs(reg, p, years)
    cols["ground_usd_per_mtok"] = pa.array(ground.reshape(-1))
    cols["orbit_usd_per_mtok"] = pa.array(orbit.reshape(-1))
    return pa.table(cols)


def chunk_bytes(reg: Registry, keys: Sequence[str], values_si: FloatArray,
                first_sample: int) -> bytes:
    """:func:`evaluate_chunk` as Parquet bytes (zstd), ready for :func:`write_chunk`."""
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(evaluate_chunk(reg, keys, values_si, first_sample), buf,
                   compression="zstd")
    return buf.getvalue()


def inputs_bytes(keys: Sequence[str], values_si: FloatArray, first_sample: int) -> bytes:
    """The inputs table of a chunk as Parquet bytes: ``sample`` and one column per key [SI]."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = values_si.shape[0]
    cols = {"sample": pa.array(np.arange(first_sample, first_sample + n, dtype=np.int64))}
    for j, k in enumerate(keys):
        cols[k] = pa.array(np.ascontiguousarray(values_si[:, j], dtype=float))
    buf = io.BytesIO()
    pq.write_table(pa.table(cols), buf, compression="zstd")
    return buf.getvalue()


def write_chunk(folder: Path, index: int, data: bytes, prefix: str = "chunk") -> Path:
    """Write ``data`` under a unique temporary name, then rename it to
    ``<prefix>-XXXXX.parquet`` (``chunk`` or ``inputs``).

    The temporary name carries a random part so that two writers of the same chunk (a task
    re-run after a worker was lost) never share a file; on any error, or Ctrl-C, it is removed.
    """
    return write_atomic(folder / f"{prefix}-{index:05d}.parquet", data)


# ------------------------------------------------------------------------------ running
@dataclass(frozen=True, slots=True)
class ChunkTask:
    """One chunk's work, picklable: sent to a process or a Dask worker. It carries the chunk's
    rows of the unit-hypercube design; the worker maps them through the inputs' inverse CDFs,
    runs the models and serialises both Parquet files, so the driver only draws the design and
    writes bytes (the mapping and serialising were the serial part that kept 2 workers from
    beating 1)."""

    index: int
    first_sample: int
    keys: tuple[str, ...]
    marginals: tuple[Marginal, ...]
    unit: FloatArray
    reg: Registry

    def values_si(self) -> FloatArray:
        """The chunk's sampled inputs (rows, k) [SI units], column by column as ``draw``."""
        values = np.empty_like(self.unit, order="F")
        for j, m in enumerate(self.marginals):
            values[:, j] = m.ppf(self.unit[:, j])
        return values


def run_task(task: ChunkTask) -> tuple[int, bytes, bytes]:
    """Evaluate one chunk; returns its index, the outputs' and the inputs' Parquet bytes (the
    driver writes them, so remote workers need no shared disk)."""
    values = task.values_si()
    return (task.index, chunk_bytes(task.reg, task.keys, values, task.first_sample),
            inputs_bytes(task.keys, values, task.first_sample))


def draw(reg: Registry, spec: SweepSpec) -> tuple[tuple[str, ...], FloatArray]:
    """Every ranged assumption the model reads, sampled (keys, values (n, k) [SI])."""
    keys, marginals, unit = draw_design(reg, spec)
    task = ChunkTask(0, 0, keys, marginals, unit, reg)
    return keys, task.values_si()


def draw_design(reg: Registry, spec: SweepSpec
                ) -> tuple[tuple[str, ...], tuple[Marginal, ...], FloatArray]:
    """The sampled keys, their marginals and the unit-hypercube design (rows, k): the same
    draw as :func:`terawatt.uncertainty.sampling.sample` with the sweep's seed and method,
    before the inverse CDFs (which the workers apply chunk by chunk)."""
    keys = tuple(k for k in model_inputs() if reg.get(k).has_range)
    marginals = tuple(marginal(reg.get(k)) for k in keys)
    unit = unit_design(spec.n_samples, len(keys), spec.method,
                       np.random.default_rng(spec.seed))
    return keys, marginals, np.asarray(unit, dtype=float)


def write_json(path: Path, doc: dict[str, Any]) -> None:
    """Write ``doc`` as JSON to ``path`` under a temporary name, then rename it."""
    write_atomic(path, (json.dumps(doc, indent=2, allow_nan=False) + "\n").encode(),
                 fsync=False)


def write_inputs_meta(folder: Path, reg: Registry, spec: SweepSpec) -> None:
    """``inputs.json``: the sampled keys in column order, with unit and SI factor each."""
    keys = sampled_keys(reg)
    a = [reg.get(k) for k in keys]
    write_json(folder / "inputs.json", {
        "format": SWEEP_FORMAT, "method": spec.method, "n_base": spec.n_samples,
        "rows": spec.rows, "keys": list(keys), "unit": [x.unit for x in a],
        "si_unit": [x.si_unit for x in a], "si_factor": [x.si_factor for x in a]})


def prepare(folder: Path, spec: SweepSpec) -> None:
    """Create the sweep folder, record ``sweep.json`` and remove stale temporary files."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"{folder}: cannot create the sweep folder ({exc.strerror}); allowed: "
                        "a writable folder") from None
    for stale in folder.glob(".*.tmp"):
        stale.unlink(missing_ok=True)
    meta = folder / "sweep.json"
    if not meta.exists():
        write_json(meta, {"format": SWEEP_FORMAT, **asdict(spec)})


Progress = Callable[[int, int], None]


def run_sweep(reg: Registry, spec: SweepSpec, folder: Path, *, workers: int = 1,
              client: Any = None, progress: Progress | None = None) -> dict[str, Any]:
    """Run (or resume) a sweep into ``folder`` and return its summary (also ``summary.json``).

    Parameters
    ----------
    workers : int
        Local processes (1 = in this process); ignored when ``client`` is given.
    client : distributed.Client, optional
        Run the chunks on this Dask cluster.
    progress : callable, optional
        ``progress(done, total)`` after each chunk (and once at the start) [chunk].
    """
    if workers < 1:
        raise UserError(f"--workers: value {workers}; allowed: an integer >= 1")
    spec = resolve(spec, reg)
    prepare(folder, spec)
    write_inputs_meta(folder, reg, spec)
    done = completed_chunks(folder)
    todo = [i for i in range(spec.n_chunks) if i not in done]
    total = spec.n_chunks
    count = total - len(todo)
    if progress:
        progress(count, total)
    if todo:
        keys, marginals, unit = draw_design(reg, spec)
        tasks = (ChunkTask(i, a, keys, marginals, np.ascontiguousarray(unit[a:b]), reg)
                 for i in todo for a, b in [spec.bounds(i)])
        for index, data, inputs in _execute(tasks, workers, client):
            write_chunk(folder, index, inputs, prefix="inputs")
            write_chunk(folder, index, data)
            count += 1
            if progress:
                progress(count, total)
    return write_summary(folder, spec)


def _execute(tasks: Iterable[ChunkTask], workers: int, client: Any
             ) -> Iterable[tuple[int, bytes, bytes]]:
    if client is not None:
        yield from _execute_dask(tasks, client)
    elif workers == 1:
        for t in tasks:
            yield run_task(t)
    else:
        yield from _execute_pool(tasks, workers)


def _execute_pool(tasks: Iterable[ChunkTask], workers: int) -> Iterable[tuple[int, bytes, bytes]]:
    """At most ``2 x workers`` chunks in flight (bounded memory), results as they finish."""
    it = iter(tasks)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: set[Future[tuple[int, bytes, bytes]]] = set()
        try:
            while True:
                while len(pending) < 2 * workers and (t := next(it, None)) is not None:
                    pending.add(pool.submit(run_task, t))
                if not pending:
                    return
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in finished:
                    yield f.result()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _execute_dask(tasks: Iterable[ChunkTask], client: Any) -> Iterable[tuple[int, bytes, bytes]]:
    """Submit to the cluster with a bounded window; a task lost with a worker is re-run by
    the scheduler (``pure=False`` keeps the chunk's own key)."""
    from distributed import as_completed

    it = iter(tasks)
    window = max(2, 2 * len(client.scheduler_info().get("workers", {})))
    first = [client.submit(run_task, t, key=f"terawatt-chunk-{t.index:05d}-{uuid.uuid4().hex}",
                           pure=False)
             for t in _take(it, window)]
    ac = as_completed(first, loop=client.loop)
    try:
        for fut in ac:
            result = fut.result()
            fut.release()
            for t in _take(it, 1):
                ac.add(client.submit(run_task, t, pure=False,
                                     key=f"terawatt-chunk-{t.index:05d}-{uuid.uuid4().hex}"))
            yield result
    except BaseException:
        for f in list(ac.futures):
            f.cancel()
        raise


def _take(it: Iterable[ChunkTask], k: int) -> list[ChunkTask]:
    out = []
    for t in it:
        out.append(t)
        if len(out) == k:
            break
    return out


def connect(address: str, timeout_s: float = 5.0) -> Any:
    """A ``distributed.Client`` for ``address``; UserError (one line) if no scheduler answers
    within ``timeout_s``."""
    from distributed import Client

    try:
        return Client(address, timeout=timeout_s, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        why = "no Dask scheduler answered within" if not isinstance(exc, ValueError) else \
            "not a scheduler address; allowed: tcp://HOST:PORT,"
        raise UserError(f"--scheduler {address}: {why} {timeout_s:g} s") from None


# ------------------------------------------------------------------------------ summary
def summarize(folder: Path, spec: SweepSpec) -> dict[str, Any]:
    """Fan chart (P5/P50/P95 per year of ground and orbital compute) and the share of samples
    in which each term binds per sector and year, from the chunk files only."""
    import pyarrow.parquet as pq

    done = completed_chunks(folder)
    missing = [i for i in range(spec.n_chunks) if i not in done]
    if missing:
        raise UserError(f"{folder}: chunk {missing[0]:05d} is missing ({len(missing)} of "
                        f"{spec.n_chunks}); allowed: rerun the same command to resume")
    tables = [pq.read_table(chunk_path(folder, i)) for i in range(spec.n_chunks)]
    year = np.concatenate([t.column("year").to_numpy() for t in tables])
    years = np.unique(year)
    out: dict[str, Any] = {"years": years.tolist(), "fan_chart": {}, "binding_share": {}}
    for col in (*SERIES_COLUMNS, "ground_usd_per_mtok", "orbit_usd_per_mtok"):
        v = np.concatenate([t.column(col).to_numpy() for t in tables])
        q = np.stack([np.percentile(v[year == y], PERCENTILES) for y in years])
        out["fan_chart"][col] = {f"p{p:02d}": q[:, j].tolist() for j, p in enumerate(PERCENTILES)}
    for s in model.SECTORS:
        codes = np.concatenate([_term_codes(t.column(f"binding_{s.name}"), s.terms)
                                for t in tables])
        out["binding_share"][s.name] = {
            term: [float(np.mean(codes[year == y] == j)) for y in years]
            for j, term in enumerate(s.terms)}
    return out


def _term_codes(column: Any, terms: tuple[str, ...]) -> NDArray[np.int64]:
    """Index into ``terms`` of each value of a dictionary (or string) column."""
    import pyarrow as pa

    arr = column.combine_chunks()
    if not pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_encode()
    lookup = np.array([terms.index(str(v)) for v in arr.dictionary.to_pylist()], dtype=np.int64)
    return lookup[arr.indices.to_numpy(zero_copy_only=False)]


def write_summary(folder: Path, spec: SweepSpec) -> dict[str, Any]:
    doc = {"format": SWEEP_FORMAT, "spec": asdict(spec), "chunks": spec.n_chunks,
           "percentiles": list(PERCENTILES), **summarize(folder, spec)}
    write_json(folder / "summary.json", doc)
    return doc
