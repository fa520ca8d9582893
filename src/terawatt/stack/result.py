"""The result of a stack-model run: per-step and per-year arrays, bottlenecks, marginal gains.

This is the API other layers (economics, claims audit, report, CLI) consume; see docs/stack.md.
All arrays are SI (W, kg, FLOP/s, counts); per-year values are year-end stocks or annual sums
of flows (see :data:`FLOWS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from terawatt.stack.allocation import DEFAULT_POLICY
from terawatt.stack.bottleneck import SectorBottleneck, rank_marginal

FloatArray = NDArray[np.float64]

#: series that are flows per step: their per-year value is the sum over the year's steps
FLOWS: frozenset[str] = frozenset({
    "accelerators_produced", "accelerators_produced_w", "wafer_starts", "terafab_wafer_starts",
    "chips_to_orbit_w", "chips_to_ground_w", "solar_production_w", "solar_space_w",
    "solar_ground_w", "solar_space_used_w", "gas_deliveries_w", "launches", "odc_launches",
    "mass_to_orbit_kg", "mass_placed_kg", "mass_lost_kg", "satellites_launched", "robots_built",
    "robot_chip_w", "orbital_compute_added_w", "orbital_flops_added", "orbital_compute_lost_w",
    "chips_deployable_w", "orbit_capacity_w", "power_distributed_added_w",
})

#: unit of every series (per step for flows; per year after :meth:`StackResult.annual`)
UNITS: dict[str, str] = {
    "terrestrial_compute_w": "W", "orbital_compute_w": "W", "total_compute_w": "W",
    "terrestrial_accelerators": "accelerator", "orbital_accelerators": "accelerator",
    "terrestrial_flops": "FLOP/s", "orbital_flops": "FLOP/s", "total_flops": "FLOP/s",
    "orbital_compute_added_w": "W", "orbital_flops_added": "FLOP/s",
    "orbital_compute_lost_w": "W",
    "h100e": "H100e", "stranded_w": "W", "stranded_accelerators": "accelerator",
    "awaiting_launch_w": "W", "inventory_w": "W", "inventory_limit_w": "W",
    "chips_deployable_w": "W", "ground_room_w": "W", "orbit_capacity_w": "W",
    "accelerators_produced": "accelerator",
    "accelerators_produced_w": "W", "wafer_starts": "wafer", "terafab_wafer_starts": "wafer",
    "flops_per_w": "FLOP/s/W", "chips_to_orbit_w": "W", "chips_to_ground_w": "W",
    "solar_production_w": "W", "solar_space_w": "W", "solar_ground_w": "W",
    "solar_space_used_w": "W", "power_capacity_w": "W", "power_china_w": "W",
    "power_rest_w": "W", "power_gas_w": "W", "power_distributed_w": "W",
    "power_distributed_factory_w": "W", "power_distributed_added_w": "W",
    "robot_factory_power_w": "W", "robot_factory_power_grid_w": "W",
    "gas_deliveries_w": "W", "gas_backlog_w": "W", "gas_lead_time_s": "s", "dc_built_w": "W",
    "launches": "launch", "odc_launches": "launch", "mass_to_orbit_kg": "kg",
    "mass_placed_kg": "kg", "mass_lost_kg": "kg", "satellites_launched": "satellite",
    "satellites_in_orbit": "satellite", "robots": "robot", "robots_built": "robot",
    "robot_chip_w": "W", "robot_power_w": "W",
}


@dataclass(frozen=True)
class StackResult:
    """Everything one run of the stack model produced.

    Attributes
    ----------
    scenario : str
        Scenario name of the registry.
    n_samples : int
    time : numpy.ndarray
        Start of each step [calendar year], shape (T,).
    dt_s : float
        Step length [s].
    series : mapping of str to numpy.ndarray
        Per-step arrays of shape (T, n) (flows are per step), see :data:`UNITS`.
    bottlenecks : mapping of str to SectorBottleneck
        Per sector: terms, binding index, slack, binding shares (empty when run without
        ``detail``).
    constraints : tuple of str
        Names of the constraints relaxed for :attr:`marginal_w`.
    marginal_w : numpy.ndarray or None
        Gain in installed compute [W] from relaxing each constraint by 10 % in each step,
        shape (T, K, n).
    design : mapping of str to float
        Central satellite and data-centre figures used (W/kg, kg/W, W per satellite, ...).
    h100_flops : float
        FLOP/s of one H100-equivalent [FLOP/s] (conversion for :meth:`annual` ``h100e``).
    allocation : str
        Chip allocation policy the run used (:data:`terawatt.stack.allocation.POLICIES`).
    """

    scenario: str
    n_samples: int
    time: FloatArray
    dt_s: float
    series: Mapping[str, FloatArray]
    bottlenecks: Mapping[str, SectorBottleneck]
    constraints: tuple[str, ...]
    marginal_w: FloatArray | None
    design: Mapping[str, float] = field(default_factory=dict)
    h100_flops: float = 1.0
    allocation: str = DEFAULT_POLICY

    # ------------------------------------------------------------------------------------
    @property
    def years(self) -> NDArray[np.int64]:
        """Calendar years covered, shape (Y,)."""
        return np.unique(np.floor(self.time + 1e-9).astype(np.int64))

    def _year_index(self) -> NDArray[np.int64]:
        return np.floor(self.time + 1e-9).astype(np.int64)

    def step(self, name: str) -> FloatArray:
        """Per-step array (T, n) of a series, including derived totals."""
        s = self.series
        if name == "total_compute_w":
            return s["terrestrial_compute_w"] + s["orbital_compute_w"]
        if name == "total_flops":
            return s["terrestrial_flops"] + s["orbital_flops"]
        if name == "h100e":
            return (s["terrestrial_flops"] + s["orbital_flops"]) / self.h100_flops
        return s[name]

    def annual(self, name: str) -> FloatArray:
        """Per-year array (Y, n): annual sum for flows (:data:`FLOWS`), year-end value else."""
        arr = self.step(name)
        yi = self._year_index()
        out = []
        for y in self.years:
            sel = yi == y
            out.append(arr[sel].sum(axis=0) if name in FLOWS else arr[sel][-1])
        return np.asarray(out)

    def annual_median(self, name: str) -> FloatArray:
        """Median over samples of :meth:`annual` [unit of the series], shape (Y,)."""
        return np.median(self.annual(name), axis=1)

    def binding_by_year(self, sector: str) -> list[str]:
        """The term binding most often (over the year's steps and samples) in each year."""
        b = self.bottlenecks[sector]
        yi = self._year_index()
        names = []
        for y in self.years:
            share = b.share[yi == y].mean(axis=0)
            names.append(b.terms[int(np.argmax(share))])
        return names

    def marginal_by_year(self) -> list[list[tuple[str, float]]]:
        """Constraints ranked by marginal gain [W] at each year's first step (median)."""
        if self.marginal_w is None:
            return [[] for _ in self.years]
        yi = self._year_index()
        return [rank_marginal(self.marginal_w[np.argmax(yi == y)], self.constraints)
                for y in self.years]

    def now(self) -> list[tuple[str, float]]:
        """'What would add the most compute now': ranking at the first step."""
        if self.marginal_w is None:
            return []
        return rank_marginal(self.marginal_w[0], self.constraints)

    # ------------------------------------------------------------------------------------
    def per_year_records(self) -> list[dict[str, Any]]:
        """One JSON-able dict per year (medians over samples; see docs/stack.md)."""
        fields = {
            "orbital_compute_w": "orbital_compute_w",
            "terrestrial_compute_w": "terrestrial_compute_w",
            "total_compute_w": "total_compute_w",
            "orbital_flops": "orbital_flops", "terrestrial_flops": "terrestrial_flops",
            "orbital_compute_added_w_per_yr": "orbital_compute_added_w",
            "orbital_flops_added_per_yr": "orbital_flops_added",
            "orbital_compute_lost_w_per_yr": "orbital_compute_lost_w",
            "h100e": "h100e",
            "orbital_accelerators": "orbital_accelerators",
            "terrestrial_accelerators": "terrestrial_accelerators",
            "stranded_accelerators": "stranded_accelerators", "stranded_w": "stranded_w",
            "awaiting_launch_w": "awaiting_launch_w",
            "accelerators_produced": "accelerators_produced",
            "launches": "launches", "odc_launches": "odc_launches",
            "mass_to_orbit_kg": "mass_to_orbit_kg", "mass_lost_kg": "mass_lost_kg",
            "satellites_launched": "satellites_launched",
            "satellites_in_orbit": "satellites_in_orbit",
            "solar_production_w_per_yr": "solar_production_w",
            "solar_space_w_per_yr": "solar_space_w", "solar_ground_w_per_yr": "solar_ground_w",
            "power_capacity_w": "power_capacity_w", "power_china_w": "power_china_w",
            "power_rest_w": "power_rest_w", "power_gas_w": "power_gas_w",
            "power_distributed_w": "power_distributed_w",
            "power_distributed_factory_w": "power_distributed_factory_w",
            "robot_factory_power_w": "robot_factory_power_w", "gas_backlog_w": "gas_backlog_w",
            "gas_lead_time_s": "gas_lead_time_s", "robots": "robots",
            "robot_power_w": "robot_power_w",
        }
        cols = {k: self.annual_median(v) for k, v in fields.items()}
        spread = {}
        if self.n_samples > 1:
            for k in ("orbital_compute_w", "terrestrial_compute_w"):
                a = self.annual(k)
                spread[k + "_p05"] = np.percentile(a, 5, axis=1)
                spread[k + "_p95"] = np.percentile(a, 95, axis=1)
        binding = {s: self.binding_by_year(s) for s in self.bottlenecks}
        marg = self.marginal_by_year()
        recs = []
        for i, y in enumerate(self.years):
            r: dict[str, Any] = {"year": int(y)}
            r.update({k: float(v[i]) for k, v in cols.items()})
            r.update({k: float(v[i]) for k, v in spread.items()})
            for s, names in binding.items():
                r[f"bottleneck_{s}"] = names[i]
            r["marginal_gain_w"] = {c: g for c, g in marg[i]}
            r["top_constraint"] = marg[i][0][0] if marg[i] and marg[i][0][1] > 0 else None
            recs.append(r)
        return recs

    def frame(self) -> Any:
        """Per-step table (pandas DataFrame; medians over samples when n > 1)."""
        import pandas as pd

        cols: dict[str, Any] = {"time": self.time, "year": self._year_index()}
        for name in [*self.series, "total_compute_w", "h100e"]:
            cols[name] = np.median(self.step(name), axis=1)
        for s, b in self.bottlenecks.items():
            cols[f"bottleneck_{s}"] = b.binding_names()
            for j, term in enumerate(b.terms):
                cols[f"slack_{s}_{term}"] = np.median(b.slack[:, j], axis=1)
        if self.marginal_w is not None:
            for j, c in enumerate(self.constraints):
                cols[f"marginal_{c}_w"] = np.median(self.marginal_w[:, j], axis=1)
        return pd.DataFrame(cols)
