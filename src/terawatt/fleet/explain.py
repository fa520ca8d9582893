"""Why the plan looks the way it does: critical path, why an activity started when it did,
and the utilisation of every resource over time (the "debugging tool" of claim C24).

All times are in plan hours from the construction start (1 period = 1 h).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from terawatt.constants import SECONDS_PER_HOUR
from terawatt.fleet.expand import zone_name
from terawatt.fleet.plan import PlanData


@dataclass(frozen=True, slots=True, eq=False)
class _Index:
    pred_ptr: np.ndarray
    pred_idx: np.ndarray
    fin_order: np.ndarray
    fin_sorted: np.ndarray


def _index(plan: PlanData, finishes: np.ndarray) -> _Index:
    order = np.argsort(plan.succ, kind="stable")
    ptr = np.zeros(plan.n + 1, np.int64)
    np.cumsum(np.bincount(plan.succ, minlength=plan.n), out=ptr[1:])
    fo = np.argsort(finishes, kind="stable")
    return _Index(ptr, plan.pred[order], fo, finishes[fo])


def _times(plan: PlanData, starts: np.ndarray | None,
           finishes: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    s = plan.col("start_h").astype(float) if starts is None else np.asarray(starts, float)
    f = plan.col("finish_h").astype(float) if finishes is None else np.asarray(finishes, float)
    return s, f


def critical_path(plan: PlanData, starts: np.ndarray | None = None,
                  finishes: np.ndarray | None = None, tol: float = 1e-6) -> list[dict[str, Any]]:
    """The chain of activities that fixes the completion, last one first reversed to first.

    From the activity that finishes last, step back to what it waited for: a predecessor
    finishing exactly at its start (precedence), else any activity finishing exactly then
    (it freed the robots or equipment); stop at the start of the project or at a gap (a release
    date or a late delivery).
    """
    s, f = _times(plan, starts, finishes)
    if plan.n == 0:
        return []
    ix = _index(plan, f)
    i = int(np.argmax(f))
    chain = [(i, "finishes last")]
    seen = {i}
    while s[i] > tol:
        preds = ix.pred_idx[ix.pred_ptr[i]:ix.pred_ptr[i + 1]]
        hit = preds[np.abs(f[preds] - s[i]) <= tol] if preds.size else preds
        if hit.size:
            j, why = int(hit[np.argmax(f[hit])]), "precedence"
        else:
            lo = np.searchsorted(ix.fin_sorted, s[i] - tol)
            hi = np.searchsorted(ix.fin_sorted, s[i] + tol, side="right")
            cand = [int(x) for x in ix.fin_order[lo:hi] if int(x) not in seen]
            if not cand:
                break
            j, why = cand[0], "resources freed"
        if j in seen:
            break
        seen.add(j)
        chain.append((j, why))
        i = j
    chain.reverse()
    names = plan.names
    out = []
    for i, why in chain:
        out.append({"activity": i, "label": plan.label(i),
                    "phase": names["phases"][int(plan.table["phase"].iat[i])],
                    "task": names["tasks"][int(plan.table["task"].iat[i])],
                    "start_h": float(s[i]), "finish_h": float(f[i]), "linked_by": why})
    return out


def _busy(plan: PlanData, s: np.ndarray, f: np.ndarray, t: float, crews: np.ndarray,
          exclude: int) -> np.ndarray:
    m = (s <= t) & (f > t)
    m[exclude] = False
    return m


def why_started(plan: PlanData, i: int, starts: np.ndarray | None = None,
                finishes: np.ndarray | None = None, crews: np.ndarray | None = None,
                events: Any = None) -> dict[str, Any]:
    """Why activity ``i`` started when it did: each reason with the activity or resource.

    Reasons: ``project start``, ``waiting on predecessor X``, ``crew of task type Y`` (all
    robots busy), ``equipment E`` (all units busy), ``zone Z`` (shared with running work),
    and in a simulation ``breakdown`` and ``late delivery`` events of the activity.
    """
    s, f = _times(plan, starts, finishes)
    c = plan.col("crew") if crews is None else np.asarray(crews)
    t = plan.table
    names = plan.names
    ix = _index(plan, f)
    preds = ix.pred_idx[ix.pred_ptr[i]:ix.pred_ptr[i + 1]]
    reasons: list[dict[str, Any]] = []
    ready = float(f[preds].max()) if preds.size else 0.0
    task = names["tasks"][int(t["task"].iat[i])]
    if preds.size:
        j = int(preds[np.argmax(f[preds])])
        reasons.append({"reason": "waiting on predecessor", "activity": j,
                        "label": plan.label(j), "until_h": float(f[j]),
                        "binding": bool(abs(f[j] - s[i]) < 1e-6)})
    elif s[i] < 1e-6:
        reasons.append({"reason": "project start", "until_h": 0.0, "binding": True})
    if s[i] > ready + 1e-6:
        # it was ready but waited: what was full just before it started?
        tq = s[i] - 1e-3
        run = _busy(plan, s, f, tq, c, i)
        pool = int(plan.summary["model"]["pool"])
        used = int(c[run].sum())
        if used + int(c[i]) > pool:
            freed = np.flatnonzero(np.abs(f - s[i]) < 1e-6)
            reasons.append({
                "reason": f"crew of task type {task}", "resource": "robots",
                "busy": used, "capacity": pool, "needed": int(c[i]), "until_h": float(s[i]),
                "freed_by": [plan.label(int(k)) for k in freed[:5]], "binding": True})
        q = int(t["equipment"].iat[i])
        if q >= 0:
            eq = plan.col("equipment")
            cap = int(plan.summary["model"]["equipment_capacity"][q])
            n_eq = int((run & (eq == q)).sum())
            if n_eq >= cap:
                reasons.append({"reason": f"equipment {names['equipment_kinds'][q]}",
                                "resource": names["equipment_kinds"][q], "busy": n_eq,
                                "capacity": cap, "until_h": float(s[i]), "binding": True})
        if len(reasons) == (1 if preds.size or s[i] < 1e-6 else 0):
            reasons.append({"reason": "plan priority (resources were free, the scheduler "
                            "placed it later to keep the crews for more critical work)",
                            "until_h": float(s[i]), "binding": True})
    zone = int(t["zone"].iat[i])
    zrun = _busy(plan, s, f, s[i], c, i) & (plan.col("zone") == zone)
    if zrun.any():
        mm = plan.summary["model"]
        zname = zone_name(zone, int(mm["n_buildings"]), int(mm["n_lines"]),
                          int(mm["cells_per_line"]))
        reasons.append({"reason": f"zone {zname} shared", "running_in_zone": int(zrun.sum()),
                        "robots_in_zone": int(c[zrun].sum()), "binding": False})
    if events is not None and len(events):
        ev = events[events["activity"] == i]
        for name in ("breakdown", "late_delivery"):
            k = int((ev["event"] == name).sum())
            if k:
                reasons.append({"reason": name.replace("_", " "), "count": k,
                                "binding": name == "late_delivery"})
    return {"activity": i, "label": plan.label(i), "task": task,
            "phase": names["phases"][int(t["phase"].iat[i])],
            "start_h": float(s[i]), "finish_h": float(f[i]), "crew": int(c[i]),
            "ready_h": ready, "reasons": reasons}


def utilisation(plan: PlanData, starts: np.ndarray | None = None,
                finishes: np.ndarray | None = None, crews: np.ndarray | None = None,
                bins: int = 200) -> Any:
    """Share of each resource in use over time, in ``bins`` equal time bins.

    Returns a pandas DataFrame: ``t0_h``, ``t1_h`` and one column per resource (robots and
    each equipment kind) holding the mean share of capacity in use [-].
    """
    import pandas as pd

    s, f = _times(plan, starts, finishes)
    c = (plan.col("crew") if crews is None else np.asarray(crews)).astype(float)
    end = float(f.max()) if plan.n else 1.0
    edges = np.linspace(0.0, max(end, 1e-9), bins + 1)
    width = edges[1] - edges[0]

    hours = int(np.ceil(end)) + 1
    si = np.clip(np.floor(s).astype(np.int64), 0, hours)
    fi = np.clip(np.ceil(f).astype(np.int64), 0, hours)
    hb = np.minimum((np.arange(hours) / max(width, 1e-9)).astype(np.int64), bins - 1)

    def profile(weight: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Mean use per bin from an hourly difference array (exact at integer plan times)."""
        d = np.zeros(hours + 1)
        np.add.at(d, si[mask], weight[mask])
        np.add.at(d, fi[mask], -weight[mask])
        per_hour = np.cumsum(d)[:hours]
        return np.bincount(hb, per_hour, bins) / np.maximum(np.bincount(hb, minlength=bins), 1)

    m = plan.summary["model"]
    out = {"t0_h": edges[:-1], "t1_h": edges[1:],
           "robots": profile(c, np.ones(plan.n, bool)) / max(int(m["pool"]), 1)}
    eq = plan.col("equipment")
    for q, name in enumerate(plan.names["equipment_kinds"]):
        cap = max(int(m["equipment_capacity"][q]), 1)
        out[name] = profile(np.ones(plan.n), eq == q) / cap
    return pd.DataFrame(out)


def explain(plan: PlanData, activity: int | None = None, events: Any = None,
            sim_times: tuple[np.ndarray, ...] | None = None) -> dict[str, Any]:
    """Everything ``terawatt fleet explain`` prints, as one JSON-able dict."""
    cp = critical_path(plan)
    ut = utilisation(plan, bins=50)
    res_cols = [c for c in ut.columns if c not in ("t0_h", "t1_h")]
    out: dict[str, Any] = {
        "makespan_h": float(plan.col("finish_h").max()) if plan.n else 0.0,
        "critical_path": {"length": len(cp), "activities": cp},
        "utilisation": {r: {"mean": float(ut[r].mean()), "peak": float(ut[r].max())}
                        for r in res_cols},
        "utilisation_profile": ut.round(4).to_dict(orient="list"),
    }
    if activity is not None:
        out["activity"] = why_started(plan, activity)
        if sim_times is not None:
            crews = sim_times[2] if len(sim_times) > 2 else None
            out["activity_simulated"] = why_started(
                plan, activity, sim_times[0] / SECONDS_PER_HOUR, sim_times[1] / SECONDS_PER_HOUR,
                crews, events=events)
    return out


def explain_plan(folder: Any, activity: str | None = None) -> dict[str, Any]:
    """Service of ``terawatt fleet explain``: read a plan (and its latest simulation)."""
    from terawatt.fleet.plan import load_plan
    from terawatt.fleet.simulate import load_simulation

    data = load_plan(folder)
    sim = load_simulation(folder, data)
    idx = data.find(activity) if activity is not None else None
    times = None
    events = None
    if sim is not None:
        acts, events, _ = sim
        times = (acts["start_s"].to_numpy(), acts["finish_s"].to_numpy(),
                 acts["crew"].to_numpy())
    doc = explain(data, idx, events, times)
    doc["plan"] = str(folder)
    doc["simulation"] = sim[2].get("run_folder") if sim is not None else None
    return doc
