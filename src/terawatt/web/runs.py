"""The runs page: run folders under the server's runs folder, addressed by id only.

A run id is the name of a folder directly inside the runs folder, as :meth:`Runs.listing`
returns it. A request's id is checked against that listing and never joined to a path as
given: an id with a path separator, ``..`` or any character outside letters, digits, ``-``,
``_`` and ``.`` is refused with 400, an id that is not listed with 404. Inside a run folder
only fixed file names are read (``summary.json``, ``analysis.json``, ``plan.parquet``,
``report.html``, ...), each through the library's checked readers
(:func:`terawatt.io.runfolder.read_json`, :func:`terawatt.fleet.plan.load_plan`), so a damaged
folder is one line naming the file. Nothing is written and no model is started: fleet plans
are made with ``terawatt fleet plan``, sweeps with ``terawatt sweep``.

Kinds: ``stack`` (``terawatt run``: ``summary.json`` + ``timeseries.parquet``), ``sweep``
(``terawatt sweep``: ``sweep.json``, ``summary.json``, ``analysis.json`` when finished) and
``fleet-plan`` (``terawatt fleet plan``: ``plan.parquet`` ...; its latest simulation, if any,
is read with it).
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from terawatt.errors import UserError
from terawatt.io.runfolder import read_json
from terawatt.web import limits
from terawatt.web.errors import WebError

#: What a run id may look like: a folder name made by ``run_folder`` or ``terawatt sweep``.
RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$")
#: Most runs listed, newest first (a runs folder of a long project can hold thousands).
MAX_RUNS_LISTED = 500
#: Longest activity text of a "why" question (a label such as B1/L1/C2/laminator#1/connect_tool).
MAX_ACTIVITY_CHARS = 200

_FIX = "a run folder written by terawatt; run the command again to replace it"
#: The plan summary figures shown at the top of a fleet plan.
_PLAN_HEAD = ("goal", "completion", "deadline", "makespan_days", "lower_bound_h", "robots",
              "robots_scheduled", "activities", "lines", "buildings", "crew_slots",
              "mean_utilisation", "cost_estimate_usd", "budget_usd", "solver", "start",
              "scenario")

T = TypeVar("T")


def kind_of(folder: Path) -> str | None:
    """``stack``, ``sweep``, ``fleet-plan`` or None (not a run folder), from its files."""
    if (folder / "plan.parquet").is_file():
        return "fleet-plan"
    if (folder / "sweep.json").is_file() or (folder / "analysis.json").is_file():
        return "sweep"
    if (folder / "timeseries.parquet").is_file() and (folder / "summary.json").is_file():
        return "stack"
    return None


def check_id(run_id: str) -> str:
    """``run_id`` if it can be a run folder's name; 400 if it is path-like or malformed."""
    if not RUN_ID.match(run_id) or ".." in run_id:
        raise WebError(400, f"run id {run_id[:80]!r}: not a run id; allowed: the name of a run "
                            "folder as listed by /api/runs (letters, digits, '-', '_', '.'; no "
                            "path)")
    return run_id


class Runs:
    """The run folders directly inside ``base`` (which need not exist yet)."""

    def __init__(self, base: Path) -> None:
        self.base = Path(base)
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[str, int, str], Any] = OrderedDict()

    # ------------------------------------------------------------------ listing and lookup
    def _entries(self) -> list[os.DirEntry[str]]:
        try:
            with os.scandir(self.base) as it:
                return [e for e in it if not e.name.startswith(".") and RUN_ID.match(e.name)
                        and e.is_dir(follow_symlinks=False)]
        except (FileNotFoundError, NotADirectoryError):
            return []

    def listing(self) -> list[dict[str, Any]]:
        """Run folders, newest first: id, kind, modification time, label, report present."""
        out = []
        for e in self._entries():
            folder = Path(e.path)
            kind = kind_of(folder)
            if kind is None:
                continue
            mtime = e.stat(follow_symlinks=False).st_mtime
            out.append({"id": e.name, "kind": kind, "_mtime": mtime,
                        "modified": _dt.datetime.fromtimestamp(mtime, _dt.UTC)
                        .isoformat(timespec="seconds"),
                        "report": (folder / "report.html").is_file()})
        out.sort(key=lambda r: (-r["_mtime"], r["id"]))
        for r in out:
            del r["_mtime"]
        return out[:MAX_RUNS_LISTED]

    def folder(self, run_id: str) -> tuple[Path, str]:
        """The folder and kind of a listed run; 400 for a path-like id, 404 if not listed."""
        check_id(run_id)
        for e in self._entries():
            if e.name == run_id:
                kind = kind_of(Path(e.path))
                if kind is not None:
                    return Path(e.path), kind
        raise WebError(404, f"run {run_id!r}: no such run in the runs folder; allowed: an id "
                            "listed by /api/runs")

    @contextmanager
    def _quiet_paths(self, folder: Path, run_id: str) -> Iterator[None]:
        """A damaged-file message names the file by run id, not by the server's path."""
        try:
            yield
        except UserError as exc:
            raise UserError(str(exc).replace(str(folder), run_id)
                            .replace(str(self.base), "runs")) from None

    def _cached(self, run_id: str, folder: Path, what: str, make: Callable[[], T]) -> T:
        """``make()`` cached per run, file version and ``what`` (a few entries: plans are big)."""
        key = (run_id, folder.stat().st_mtime_ns, what)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]  # type: ignore[no-any-return]
        value = make()
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > 2 * limits.PLAN_CACHE_SIZE:
                self._cache.popitem(last=False)
        return value

    # ------------------------------------------------------------------ details
    def detail(self, run_id: str) -> dict[str, Any]:
        """What the runs page shows for one run (kind-specific, with its charts)."""
        folder, kind = self.folder(run_id)
        with self._quiet_paths(folder, run_id):
            body = {"stack": _stack, "sweep": _sweep, "fleet-plan": self._plan_detail}[kind]
            doc = self._cached(run_id, folder, "detail", lambda: body(folder))
        return {"id": run_id, "kind": kind, "report": (folder / "report.html").is_file(), **doc}

    def report(self, run_id: str) -> Path:
        """The run's own ``report.html`` (404 if it has none)."""
        folder, _ = self.folder(run_id)
        path = folder / "report.html"
        if not path.is_file():
            raise WebError(404, f"run {run_id!r}: has no report.html")
        return path

    def _plan(self, folder: Path) -> Any:
        from terawatt.fleet.plan import load_plan

        return self._cached(folder.name, folder, "plan", lambda: load_plan(folder))

    def _plan_detail(self, folder: Path) -> dict[str, Any]:
        return _plan(folder, self._plan(folder))

    def why(self, run_id: str, activity: str) -> dict[str, Any]:
        """Why an activity of a fleet plan started when it did
        (:func:`terawatt.fleet.explain.why_started`)."""
        from terawatt.fleet.explain import why_started

        folder, kind = self.folder(run_id)
        if kind != "fleet-plan":
            raise WebError(400, f"run {run_id!r}: a {kind} run, not a fleet plan; allowed: the "
                                "id of a fleet plan (kind fleet-plan in /api/runs)")
        if len(activity) > MAX_ACTIVITY_CHARS:
            raise WebError(400, f"activity: {len(activity)} characters; allowed: an index or a "
                                f"label of at most {MAX_ACTIVITY_CHARS} characters")
        with self._quiet_paths(folder, run_id):
            data = self._plan(folder)
            return why_started(data, data.find(activity))


# ---------------------------------------------------------------------- kinds
def _stack(folder: Path) -> dict[str, Any]:
    from terawatt.web.figures import robots_figure, saved_compute_figure, saved_stranded_figure

    doc = read_json(folder / "summary.json", _FIX)
    if not isinstance(doc, dict) or not isinstance(doc.get("years"), list) or not doc["years"]:
        raise UserError(f"{folder / 'summary.json'}: key 'years' is missing or empty; allowed: "
                        f"{_FIX}")
    recs = doc["years"]
    figs = {"compute": saved_compute_figure(recs).to_plotly_json(),
            "stranded": saved_stranded_figure(recs).to_plotly_json()}
    if "robots" in recs[0]:
        figs["robots"] = robots_figure(recs).to_plotly_json()
    summary = {k: v for k, v in doc.items() if k != "run_folder"}  # the server's own path
    return {"scenario": doc.get("scenario"), "summary": summary, "figures": figs}


def _sweep(folder: Path) -> dict[str, Any]:
    from terawatt.report import sweep_report as sr

    finished = (folder / "analysis.json").is_file()
    doc = read_json(folder / ("analysis.json" if finished else "summary.json"), _FIX)
    if not isinstance(doc, dict) or "fan_chart" not in doc or "years" not in doc:
        raise UserError(f"{folder}: the sweep's {'analysis' if finished else 'summary'}.json "
                        f"has no fan chart; allowed: {_FIX}")
    figs: dict[str, Any] = {
        "fan_compute": sr.fan_figure(doc, ("ground_compute_w", "orbital_compute_w"),
                                     "Compute [GW]", "GW").to_plotly_json()}
    if "ground_usd_per_mtok" in doc["fan_chart"]:
        figs["fan_cost"] = sr.fan_figure(doc, ("ground_usd_per_mtok", "orbit_usd_per_mtok"),
                                         "USD per million tokens", "USD/Mtok",
                                         log=True).to_plotly_json()
    if finished:
        figs["crossover"] = sr.crossover_figure(doc).to_plotly_json()
        sobol = sr.sobol_figures(doc)
        # pairs: (S1/ST bars, convergence) per output; the page shows the bars
        figs["sobol"] = [f.to_plotly_json() for f in sobol[::2]]
    spec = doc.get("spec") or {}
    return {"scenario": spec.get("scenario"), "finished": finished, "spec": spec,
            "analysis": doc, "figures": figs}


def _plan(folder: Path, data: Any) -> dict[str, Any]:
    from terawatt.fleet.explain import explain
    from terawatt.fleet.simulate import load_simulation
    from terawatt.report.fleet_report import gantt_phases, phase_spans, profiles

    s = data.summary
    start = _dt.date.fromisoformat(s["start"])
    ex = explain(data)
    phases = phase_spans(data)
    sim = load_simulation(folder, data)
    cp = ex["critical_path"]["activities"]
    return {
        "scenario": s.get("scenario"), "plan": {k: s.get(k) for k in _PLAN_HEAD},
        "phases": phases, "makespan_h": ex["makespan_h"],
        "critical_path": {"length": len(cp), "activities": cp[:limits.MAX_CRITICAL_PATH_ROWS]},
        "utilisation": ex["utilisation"], "utilisation_profile": ex["utilisation_profile"],
        "simulation": ({k: v for k, v in sim[2].items() if k != "run_folder"}
                       if sim is not None else None),
        "figures": {"gantt": gantt_phases(data, start).to_plotly_json(),
                    "profile": profiles(data, start).to_plotly_json()},
    }
