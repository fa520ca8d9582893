"""The physics summary behind ``terawatt physics``: one scenario, every physics model, central case.

:func:`physics_summary` returns a JSON-ready dict whose field names carry their units
(``specific_power_w_per_kg``, ``max_eclipse_s``); docs/physics.md documents every field.
Sections: ``solar``, ``solar_orbit_vs_ground``, ``orbit``, ``radiator``, ``satellite``,
``launch``, ``datacenter``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import json
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from terawatt.constants import J_PER_WH
from terawatt.physics import orbit, solar
from terawatt.physics.datacenter import datacenter_keys, datacenter_power
from terawatt.physics.launch import LAUNCH_KEYS, launch_budget
from terawatt.physics.radiator import RADIATOR_KEYS, radiator_sizing
from terawatt.physics.satellite import (
    OrbitFigures,
    compute_power_per_launch_w,
    orbit_figures,
    registry_orbit,
    satellite_budget,
    satellite_keys,
)

if TYPE_CHECKING:
    from terawatt.assumptions import Registry

_MW = 1e6
#: Ground mountings of the orbit-vs-ground comparison: fixed latitude tilt (rooftop and
#: distributed PV) and single-axis tracking (utility scale), as solar.py models them.
SOLAR_GROUND_MOUNTINGS: tuple[str, ...] = ("fixed", "single_axis")


def _x(a: Any) -> float:
    """First element of an array (the central case) as a float."""
    return float(np.asarray(a, dtype=float).reshape(-1)[0])


def _clean(obj: Any) -> Any:
    """Round floats to 12 significant digits (drops unit-conversion noise such as
    19999.999999999996 launches/yr; far below any model's accuracy)."""
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_clean(v) for v in obj]
    if isinstance(obj, float) and math.isfinite(obj):
        return float(f"{obj:.12g}")
    return obj


# ------------------------------------------------------------------------------------------
# sections
# ------------------------------------------------------------------------------------------
def _orbit_dict(fig: OrbitFigures, ltan_h: float | None) -> dict[str, Any]:
    return {
        "altitude_m": fig.altitude_m,
        "inclination_deg": math.degrees(fig.inclination_rad),
        "sun_synchronous": fig.sun_synchronous,
        "ltan_h": ltan_h if fig.sun_synchronous else None,
        "orbital_period_s": fig.orbital_period_s,
        "mean_sunlit_fraction": fig.mean_sunlit_fraction,
        "min_sunlit_fraction": fig.min_sunlit_fraction,
        "max_eclipse_s": fig.max_eclipse_s,
        "eclipse_days_per_year": fig.eclipse_days_per_year,
    }


def orbit_section(reg: Registry) -> tuple[dict[str, Any], OrbitFigures]:
    """The configured orbit and the 53°/550 km reference shell."""
    const = orbit.OrbitConstants.from_registry(reg)
    fig = registry_orbit(reg)
    ltan = reg.value("satellite.ltan", "hour")
    shell = orbit_figures(reg.si("satellite.reference_shell.altitude"),
                          reg.si("satellite.reference_shell.inclination"), None, const)
    alt = reg.si("satellite.altitude")
    return {
        "configured": _orbit_dict(fig, ltan),
        "reference_shell": _orbit_dict(shell, None),
        "sso_inclination_deg_at_configured_altitude": math.degrees(
            float(orbit.sso_inclination_rad(alt, constants=const))),
    }, fig


def radiator_section(reg: Registry, altitude_m: float) -> dict[str, Any]:
    p = reg.sample(1, keys=RADIATOR_KEYS)
    r = radiator_sizing(p, _MW, altitude_m)
    return {
        "temperature_k": reg.si("thermal.radiator_temperature"),
        "emissivity": reg.si("thermal.emissivity"),
        "solar_absorptance": reg.si("thermal.solar_absorptance"),
        "sides": reg.si("thermal.radiator_sides"),
        "altitude_m": altitude_m,
        "earth_view_factor": _x(r.earth_view_factor),
        "emitted_flux_w_per_m2": _x(r.emitted_flux_w_per_m2),
        "absorbed_flux_w_per_m2": _x(r.absorbed_flux_w_per_m2),
        "net_flux_w_per_m2": _x(r.net_flux_w_per_m2),
        "areal_density_kg_per_m2": reg.si("thermal.radiator_areal_density"),
        "area_m2_per_mw_heat": _x(r.area_m2),
        "mass_kg_per_mw_heat": _x(r.mass_kg),
    }


def satellite_section(reg: Registry, fig: OrbitFigures) -> tuple[dict[str, Any], Any]:
    p = reg.sample(1, keys=satellite_keys())
    b = satellite_budget(p, fig.mean_sunlit_fraction, fig.max_eclipse_s, fig.orbital_period_s)
    return {
        "generation": "gb300",
        "compute_power_w": _x(b.compute_power_w),
        "bus_power_w": _x(b.bus_power_w),
        "array_power_bol_w": _x(b.array_power_bol_w),
        "array_power_eol_w": _x(b.array_power_eol_w),
        "heat_load_w": _x(b.heat_load_w),
        "battery_energy_wh": _x(b.battery_energy_j) / J_PER_WH,
        "array_area_m2": _x(b.array_area_m2),
        "radiator_area_m2": _x(b.radiator_area_m2),
        "total_mass_kg": _x(b.total_mass_kg),
        "mass_kg": {k: _x(v) for k, v in b.mass_parts_kg().items()},
        "specific_power_w_per_kg": _x(b.specific_power_w_per_kg),
        "average_specific_power_w_per_kg": _x(b.average_specific_power_w_per_kg),
        "mass_per_mw_kg": _x(b.mass_per_mw_kg),
        "compute_availability": _x(b.compute_availability),
    }, b


def launch_section(reg: Registry, budget: Any) -> dict[str, Any]:
    lb = launch_budget(reg.sample(1, keys=LAUNCH_KEYS))
    per_launch = compute_power_per_launch_w(budget, lb.payload_per_flight_kg)
    mass_yr = _x(lb.mass_to_orbit_kg_per_yr)
    return {
        "payload_per_flight_kg": _x(lb.payload_per_flight_kg),
        "launches_per_year": _x(lb.launches_per_year),
        "failure_rate": _x(lb.failure_rate),
        "mass_to_orbit_kg_per_yr": mass_yr,
        "compute_per_launch_w": _x(per_launch),
        "compute_launched_w_per_yr": mass_yr * _x(budget.specific_power_w_per_kg),
    }


def datacenter_section(reg: Registry) -> dict[str, Any]:
    p = reg.sample(1, keys=datacenter_keys())
    sizes = [reg.si("datacenter.c11_cluster_small"), reg.si("datacenter.c11_cluster_large")]
    d = datacenter_power(np.array(sizes), p)
    return {
        "generation": "gb300",
        "gpu_tdp_w": reg.si("compute.gb300.gpu_tdp"),
        "rack_it_power_w": _x(d.rack_it_power_w),
        "it_power_per_accelerator_w": _x(d.it_power_per_accelerator_w),
        "facility_power_per_accelerator_w": _x(d.facility_power_per_accelerator_w),
        "pue": reg.si("datacenter.pue"),
        "reserve_fraction": reg.si("datacenter.reserve_fraction"),
        "clusters": [{"n_accelerators": n, "facility_power_w": float(w)}
                     for n, w in zip(sizes, d.facility_power_w, strict=True)],
    }


# ------------------------------------------------------------------------------------------
# a small on-disk cache for the slow, scenario-independent ground-site years
# ------------------------------------------------------------------------------------------
def cache_dir() -> Path:
    """Where computed ground-site years are kept: ``$TERAWATT_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/terawatt``, else ``~/.cache/terawatt``."""
    env = os.environ.get("TERAWATT_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "terawatt"


def _cached_json(tag: str, material: dict[str, Any],
                 compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``compute()`` memoised on disk under a hash of ``material`` (inputs + code versions).

    A cache that cannot be read or written is simply bypassed (the result is recomputed);
    files are written atomically, so an interrupted run leaves no half-written entry.
    """
    digest = hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()[:24]
    path = cache_dir() / f"{tag}-{digest}.json"
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass
    value = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(value, fh)
        os.replace(tmp, path)
    except OSError:
        pass
    return value


def _code_versions(module: Any) -> dict[str, str]:
    src = Path(module.__file__).read_bytes() if getattr(module, "__file__", None) else b""
    return {"module": hashlib.sha256(src).hexdigest(),
            "pvlib": importlib.metadata.version("pvlib")}


def solar_sections(reg: Registry, fig: OrbitFigures) -> dict[str, Any]:
    """AM0/AM1.5G and orbit-vs-ground energy ratios from physics.solar."""
    versions = _code_versions(solar)
    solar_values = {k: reg.si(k) for k in solar.SOLAR_KEYS}
    out: dict[str, Any] = {"solar": _cached_json("g173", versions, lambda: {
        "am0_irradiance_w_per_m2": float(solar.am0_irradiance_w_m2()),
        "am15g_irradiance_w_per_m2": float(solar.am15g_irradiance_w_m2()),
        "atmospheric_loss_fraction": float(solar.atmospheric_loss_fraction()),
    })}
    rows = []
    for site in solar.ground_sites():
        for mounting in SOLAR_GROUND_MOUNTINGS:
            def year(site_key: str = site.key, mount: str = mounting) -> dict[str, Any]:
                return dataclasses.asdict(solar.annual_poa_energy_tmy(site_key, mount, reg=reg))

            ground = solar.AnnualEnergy(**_cached_json(
                "ground", {**versions, "site": site.key, "mounting": mounting,
                           "solar": solar_values}, year))
            r = solar.orbit_vs_ground_energy_ratio(
                ground, sunlit_fraction=fig.mean_sunlit_fraction, reg=reg)
            rows.append({
                "site": site.key,
                "site_name": site.name,
                "latitude_deg": site.latitude_deg,
                "mounting": mounting,
                "ground_poa_kwh_per_m2_yr": r.ground.poa_kwh_m2,
                "ground_capacity_factor": r.ground.capacity_factor,
                "orbit_poa_kwh_per_m2_yr": r.orbit_poa_kwh_m2,
                "orbit_sunlit_fraction": r.sunlit_fraction,
                "ratio_per_m2": r.ratio_per_m2,
                "ratio_per_rated_w": r.ratio_per_rated_w,
            })
    out["solar_orbit_vs_ground"] = rows
    return out


# ------------------------------------------------------------------------------------------
# the service function
# ------------------------------------------------------------------------------------------
def physics_summary(reg: Registry) -> dict[str, Any]:
    """Every physics model of a scenario, central case, as one JSON-ready dict.

    Parameters
    ----------
    reg : Registry
        Resolved assumptions (scenario and ``--set`` overrides applied).

    Returns
    -------
    dict
        ``scenario``, ``solar``/``solar_orbit_vs_ground``, ``orbit``, ``radiator``,
        ``satellite``, ``launch``, ``datacenter``; field names carry their units (see
        docs/physics.md).
    """
    out: dict[str, Any] = {"scenario": reg.scenario,
                           "overrides": [o.key for o in reg.overrides if o.origin == "--set"]}
    orbit_d, fig = orbit_section(reg)
    out.update(solar_sections(reg, fig))
    out["orbit"] = orbit_d
    out["radiator"] = radiator_section(reg, fig.altitude_m)
    sat, budget = satellite_section(reg, fig)
    out["satellite"] = sat
    out["launch"] = launch_section(reg, budget)
    out["datacenter"] = datacenter_section(reg)
    return dict(_clean(out))
