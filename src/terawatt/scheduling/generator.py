"""Synthetic large projects for scale tests: a multi-zone construction site.

The project has ``n_zones`` zones; each zone's activities form a layered network (each
activity follows one to three activities of the previous layer of its zone, a small share
also follows an activity of the neighbouring zone, some arcs carry a lag).  Resources: one
robot pool (``n_robots``), a few equipment types, and one workspace resource per zone (how
many activities may run in the zone at once).  A share of the activities are work-content
activities whose crew size the scheduler chooses.  All structural numbers are synthetic
benchmark knobs, not assumptions about real sites.
"""

from __future__ import annotations

import numpy as np

from terawatt.constants import SECONDS_PER_HOUR
from terawatt.scheduling.problem import Problem

__all__ = ["generate_project"]


def generate_project(
    n_activities: int,
    n_robots: int,
    rng: np.random.Generator,
    *,
    n_zones: int = 40,
    layer_width: int = 250,
    n_equipment: int = 5,
    crew_share: float = 0.3,
    crew_exponent: float = 0.8,
    time_unit_s: float = SECONDS_PER_HOUR,
) -> Problem:
    """A random layered multi-zone project.

    Parameters
    ----------
    n_activities : int
    n_robots : int [robot]
        Capacity of the robot pool.
    rng : numpy.random.Generator
    n_zones : int
        Zones, each with its own workspace resource.
    layer_width : int
        Activities per layer in a zone.
    n_equipment : int
        Equipment types (cranes, printers, ...), each with a small capacity.
    crew_share : float [-]
        Share of work-content activities (crew chosen by the scheduler).
    crew_exponent : float [-]
        Crew-efficiency exponent of those activities.
    time_unit_s : float [s]
        Seconds per period.
    """
    n = int(n_activities)
    z = np.minimum(np.arange(n) * n_zones // max(n, 1), n_zones - 1)
    zone_start = np.searchsorted(z, np.arange(n_zones))
    pos = np.arange(n) - zone_start[z]
    layer = pos // layer_width
    # predecessors: 1-3 in the previous layer of the zone
    preds_s, preds_d = [], []
    has_prev = layer > 0
    idx = np.flatnonzero(has_prev)
    for k in range(3):
        take = idx if k == 0 else idx[rng.random(idx.size) < 0.5]
        prev_lo = zone_start[z[take]] + (layer[take] - 1) * layer_width
        pr = prev_lo + rng.integers(0, layer_width, take.size)
        preds_s.append(pr)
        preds_d.append(take)
    # cross-zone links: 2 % follow an activity of the previous zone's previous layer
    cz = idx[(rng.random(idx.size) < 0.02) & (z[idx] > 0)]
    zl = z[cz] - 1
    zone_len = np.diff(np.append(zone_start, n))
    pl = np.minimum(zone_start[zl] + (layer[cz] - 1) * layer_width
                    + rng.integers(0, layer_width, cz.size),
                    zone_start[zl] + zone_len[zl] - 1)
    preds_s.append(pl)
    preds_d.append(cz)
    src = np.concatenate(preds_s)
    dst = np.concatenate(preds_d)
    key = np.unique(src * n + dst)
    src, dst = key // n, key % n
    lag = np.where(rng.random(src.size) < 0.1, rng.integers(1, 5, src.size), 0)
    dur = rng.integers(1, 17, n)
    r = 1 + n_equipment + n_zones
    dem = np.zeros((n, r), np.int64)
    dem[:, 0] = rng.integers(2, 31, n)
    eq = rng.random(n) < 0.1
    dem[eq, 1 + rng.integers(0, n_equipment, int(eq.sum()))] = 1
    dem[np.arange(n), 1 + n_equipment + z] = 1
    cap = np.empty(r, np.int64)
    cap[0] = n_robots
    cap[1:1 + n_equipment] = rng.integers(20, 101, n_equipment)
    cap[1 + n_equipment:] = 60
    crew = rng.random(n) < crew_share
    work = np.where(crew, dur * dem[:, 0], np.nan).astype(np.float64)
    cmin = np.where(crew, np.maximum(1, dem[:, 0] // 3), 0)
    cmax = np.where(crew, np.minimum(n_robots, dem[:, 0] * 2), 0)
    names = ["robots"] + [f"equipment{k + 1}" for k in range(n_equipment)] + [
        f"zone{k + 1}" for k in range(n_zones)]
    return Problem.from_arrays(
        dur, dem, cap, pred=src, succ=dst, lag=lag, time_unit_s=time_unit_s,
        resource_names=names, work=work, crew_min=cmin, crew_max=cmax, crew_resource=0,
        crew_exponent=crew_exponent, name=f"generated-{n}",
    )
