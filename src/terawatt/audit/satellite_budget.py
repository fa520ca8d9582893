"""How far the whole satellite budget can move its system specific power (W of compute per kg).

:func:`search_budget` takes every ranged assumption the satellite budget reads
(:func:`terawatt.physics.satellite.satellite_keys` and the orbit altitude), evaluates the budget
with each at the low and the high end of its published range (one vectorised call), then with
every key at its favourable end at once (the best case the published ranges allow), finds for
each key alone the value that reaches a target W/kg (Brent's method), and gives the W/kg the
satellite would have if each mass part weighed nothing. A claim sized at a W/kg the best case
does not reach is then "none within the published ranges", with the reason in numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from terawatt.assumptions import Registry
from terawatt.audit.provenance import packaged_range
from terawatt.physics import satellite as sat


@dataclass(frozen=True)
class KeyEffect:
    """One key at the ends of its range: W/kg at ``low`` and ``high`` [key's unit], the end
    that raises W/kg, and the value reaching the target alone (None: not within the range)."""

    key: str
    unit: str
    low: float
    high: float
    w_per_kg_low: float
    w_per_kg_high: float
    break_even: float | None

    @property
    def best_end(self) -> str:
        return "high" if self.w_per_kg_high >= self.w_per_kg_low else "low"

    @property
    def best_value(self) -> float:
        return self.high if self.best_end == "high" else self.low

    @property
    def best_w_per_kg(self) -> float:
        return max(self.w_per_kg_low, self.w_per_kg_high)


@dataclass(frozen=True)
class BudgetSearch:
    """Result of :func:`search_budget`; W/kg figures are W of compute per kg of satellite."""

    target_w_per_kg: float
    central_w_per_kg: float
    best_w_per_kg: float
    per_key: tuple[KeyEffect, ...]
    massless_w_per_kg: Mapping[str, float]

    @property
    def reachable(self) -> bool:
        return self.best_w_per_kg >= self.target_w_per_kg

    def strongest(self, n: int = 3) -> list[KeyEffect]:
        """The ``n`` keys that raise W/kg most on their own."""
        return sorted(self.per_key, key=lambda e: -e.best_w_per_kg)[:n]

    def break_evens(self) -> list[KeyEffect]:
        return [e for e in self.per_key if e.break_even is not None]

    def as_dict(self) -> dict[str, object]:
        return {
            "target_w_per_kg": self.target_w_per_kg,
            "central_w_per_kg": self.central_w_per_kg,
            "best_w_per_kg": self.best_w_per_kg,
            "best_case": {e.key: e.best_value for e in self.per_key},
            "break_evens": {e.key: e.break_even for e in self.break_evens()},
            "massless_part_w_per_kg": dict(self.massless_w_per_kg),
        }


def _ranges(reg: Registry, keys: tuple[str, ...]) -> dict[str, tuple[float, float, float]]:
    """key -> (low, high, SI factor) over the published range (the packaged one when the
    scenario's value left its range)."""
    out = {}
    for k in keys:
        a = reg.get(k)
        if a.low is not None and a.high is not None and a.low < a.high:
            out[k] = (a.low, a.high, a.si_factor)
        else:
            rng = packaged_range(k)
            if rng is not None:
                out[k] = (rng[0], rng[1], a.si_factor)
    return out


class _Budget:
    """W/kg of the satellite with some keys changed (SI values), the orbit re-derived when
    the altitude changes."""

    def __init__(self, reg: Registry) -> None:
        self.reg = reg
        self.keys = sat.satellite_keys()
        self.p = reg.sample(1, keys=self.keys)
        self._orbits: dict[float, sat.OrbitFigures] = {}

    def _orbit(self, alt_m: float) -> sat.OrbitFigures:
        if alt_m not in self._orbits:
            sub = self.reg.with_values({"satellite.altitude": f"{alt_m!r} m"}, "budget search")
            self._orbits[alt_m] = sat.registry_orbit(sub)
        return self._orbits[alt_m]

    def w_per_kg(self, changes: list[Mapping[str, float]]) -> np.ndarray:
        """W/kg for each dict of SI changes (one vectorised budget call)."""
        n = len(changes)
        p = {k: np.repeat(v, n) for k, v in self.p.items()}
        for i, ch in enumerate(changes):
            for k, v in ch.items():
                p[k][i] = v
        alts = p["satellite.altitude"]
        figs = [self._orbit(float(a)) for a in alts]
        b = sat.satellite_budget(
            p,
            np.array([f.mean_sunlit_fraction for f in figs]),
            np.array([f.max_eclipse_s for f in figs]),
            np.array([f.orbital_period_s for f in figs]),
        )
        return np.asarray(b.specific_power_w_per_kg, dtype=float)


def _massless(budget: sat.SatelliteBudget, p: Mapping[str, np.ndarray]) -> dict[str, float]:
    """W/kg if each mass part weighed nothing (the others as budgeted)."""
    parts = {k: float(v[0]) for k, v in budget.mass_parts_kg().items()}
    fractions = {k: float(p[f"satellite.fraction.{k}"][0]) for k in
                 ("structure", "avionics", "propulsion", "comms")}
    direct = {k: v for k, v in parts.items() if k not in fractions}
    f_sum = sum(fractions.values())
    power = float(budget.compute_power_w[0])
    out = {}
    for part in parts:
        if part in fractions:
            total = sum(direct.values()) / (1.0 - (f_sum - fractions[part]))
        else:
            total = (sum(direct.values()) - direct[part]) / (1.0 - f_sum)
        out[part] = power / total if total > 0 else float("inf")
    return out


def search_budget(reg: Registry, target_w_per_kg: float) -> BudgetSearch:
    """Search the satellite budget's published ranges for ``target_w_per_kg`` [W/kg]."""
    bud = _Budget(reg)
    ranges = _ranges(reg, bud.keys)
    keys = tuple(ranges)
    changes: list[Mapping[str, float]] = [{}]
    for k in keys:
        lo, hi, f = ranges[k]
        changes += [{k: lo * f}, {k: hi * f}]
    w = bud.w_per_kg(changes)
    central = float(w[0])
    effects = []
    for i, k in enumerate(keys):
        lo, hi, f = ranges[k]
        w_lo, w_hi = float(w[1 + 2 * i]), float(w[2 + 2 * i])
        be = None
        if max(w_lo, w_hi) >= target_w_per_kg > central:
            end = hi if w_hi >= w_lo else lo
            cur = bud.p[k][0] / f

            def gap(x: float, k: str = k, f: float = f) -> float:
                return float(bud.w_per_kg([{k: x * f}])[0]) - target_w_per_kg

            be = float(brentq(gap, cur, end, xtol=1e-9 * max(abs(end), 1.0)))
        effects.append(KeyEffect(k, reg.get(k).unit, lo, hi, w_lo, w_hi, be))
    best = {e.key: e.best_value * ranges[e.key][2] for e in effects}
    best_w = float(bud.w_per_kg([best])[0])
    massless = _massless(sat.satellite_from_registry(reg), bud.p)
    return BudgetSearch(target_w_per_kg, central, best_w, tuple(effects), massless)
