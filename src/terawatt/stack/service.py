"""Service API of the stack model: ``run_stack(reg, n, rng, allocation=...) -> StackResult``.

Reads the time axis and every model assumption from the registry, takes the satellite design
from :mod:`terawatt.physics.satellite` and the data-centre overhead from
:mod:`terawatt.physics.datacenter`, runs :func:`terawatt.stack.model.simulate` and attributes
bottlenecks. Bad inputs (end year before start year, a lifetime of zero, a launch failure rate
of 1) raise :class:`~terawatt.errors.UserError` naming where the value came from.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from terawatt.assumptions import Registry
from terawatt.errors import UserError
from terawatt.physics import datacenter as dc
from terawatt.physics import satellite as sat
from terawatt.stack import model
from terawatt.stack.allocation import DEFAULT_POLICY, POLICIES, check_policy
from terawatt.stack.bottleneck import attribute
from terawatt.stack.result import StackResult

RUN_KEYS = ("run.start_year", "run.end_year", "run.steps_per_year")

#: keys whose value must be strictly positive (divisors of the model)
_POSITIVE = ("chips.lifetime", "satellite.design_life", "robots.lifetime",
             "chips.accelerators_per_wafer", "chips.packages_per_cowos_wafer",
             "chips.hbm_stacks_per_accelerator", "compute.gb300.gpu_tdp",
             "launch.payload_per_flight", "robots.chip_power", "power.distributed.pv_per_firm_w",
             "chips.h100.flops", "chips.gen.successor.cadence", "robots.energy_per_robot",
             "robots.factory.fallback_build_time", "robots.factory.fallback_crew",
             "robots.factory.rate")


def _origin(reg: Registry, key: str) -> str:
    origins = [o.origin for o in reg.overrides if o.key == key]
    return origins[-1] if origins else "assumptions"


def time_axis_from(reg: Registry) -> np.ndarray:
    """The model's time axis from ``run.*``; UserError if it is empty or reversed."""
    start = reg.value("run.start_year", "yr")
    end = reg.value("run.end_year", "yr")
    spy = reg.value("run.steps_per_year", "1/yr")
    if end < start:
        raise UserError(f"{_origin(reg, 'run.end_year')}: key 'run.end_year': value {end:g} is "
                        f"before run.start_year = {start:g}; allowed: a year >= {start:g}")
    if spy < 1 or abs(spy - round(spy)) > 1e-9:
        raise UserError(f"{_origin(reg, 'run.steps_per_year')}: key 'run.steps_per_year': "
                        f"value {spy:g}; allowed: a whole number >= 1")
    return model.time_axis(start, end, int(round(spy)))


def validate(reg: Registry) -> None:
    """Refuse values the model cannot run with (one-line UserError)."""
    for k in _POSITIVE:
        v = reg.get(k).value
        if not v > 0:
            raise UserError(f"{_origin(reg, k)}: key {k!r}: value {v:g} {reg.get(k).unit}; "
                            "allowed: a value > 0")
    f = reg.get("launch.failure_rate").value
    if not 0 <= f < 1:
        raise UserError(f"{_origin(reg, 'launch.failure_rate')}: key 'launch.failure_rate': "
                        f"value {f:g}; allowed: 0 <= value < 1")
    dc_share, factory_share = (reg.get(k).value for k in _STORAGE_SHARES)
    _check_storage_shares(dc_share, factory_share, _shares_origin(reg), "value")


#: shares of the storage deployments taken by distributed power: together at most 1
_STORAGE_SHARES = ("power.distributed.dc_share", "power.distributed.factory_share")


def _shares_origin(reg: Registry) -> str:
    """Where the storage shares were last set (a scenario file or --set), else the registry."""
    origins = (_origin(reg, k) for k in reversed(_STORAGE_SHARES))
    return next((o for o in origins if o != "assumptions"), "assumptions")


def _check_storage_shares(dc: Any, factory: Any, where: str, what: str) -> None:
    """UserError (one line) if data centres and factories take more than all the storage."""
    total = np.asarray(dc, dtype=float) + np.asarray(factory, dtype=float)
    worst = float(np.max(total))
    if worst > 1.0 + 1e-12:
        raise UserError(f"{where}: keys {_STORAGE_SHARES[0]!r} + {_STORAGE_SHARES[1]!r}: "
                        f"{what} {worst:g}; allowed: a sum <= 1 (the storage deployed)")


def model_keys() -> tuple[str, ...]:
    """Every assumption key a stack run samples (model + satellite + data centre)."""
    later = (*model.ALLOCATION_KEYS, *model.ROBOT_KEYS, *model.FACTORY_POWER_KEYS,
             *model.BUILDER_KEYS)
    own = (k for k in model.MODEL_KEYS if k not in later)
    keys = dict.fromkeys((*own, *sat.satellite_keys(), *dc.datacenter_keys(), *later))
    return tuple(keys)


def design_from(p: dict[str, np.ndarray], orbit_fig: sat.OrbitFigures) -> model.Design:
    """Satellite and data-centre figures per sample from the physics layer."""
    budget = sat.satellite_budget(p, orbit_fig.mean_sunlit_fraction, orbit_fig.max_eclipse_s,
                                  orbit_fig.orbital_period_s)
    compute_w = np.asarray(budget.compute_power_w, dtype=float)
    facility_per_acc = dc.datacenter_power(1.0, p).facility_power_per_accelerator_w
    return model.Design(
        mass_per_compute_w_kg=np.asarray(budget.total_mass_kg) / compute_w,
        array_w_per_compute_w=np.asarray(budget.array_power_bol_w) / compute_w,
        compute_w_per_satellite=compute_w,
        facility_w_per_accelerator_w=np.asarray(facility_per_acc) / p["compute.gb300.gpu_tdp"],
    )


def sample_inputs(reg: Registry, n_samples: int = 1, rng: np.random.Generator | None = None,
                  method: str = "random") -> tuple[dict[str, np.ndarray], model.Design]:
    """SI parameter arrays (n,) and the physics design for a run (central if n == 1)."""
    if n_samples < 1:
        raise UserError(f"--samples: value {n_samples}; allowed: an integer >= 1")
    validate(reg)
    if n_samples > 1 and rng is None:
        rng = np.random.default_rng()
    p = reg.sample(n_samples, rng, keys=model_keys(),
                   method="central" if n_samples == 1 else method)
    if n_samples > 1:
        _check_storage_shares(p[_STORAGE_SHARES[0]], p[_STORAGE_SHARES[1]],
                              _shares_origin(reg), "sampled sum up to")
    design = design_from(p, sat.registry_orbit(reg))
    return p, design


#: names of the chip allocation policies (``run_stack(..., allocation=name)``)
ALLOCATION_POLICIES: tuple[str, ...] = tuple(POLICIES)


def step_cost_ratio(year: np.ndarray, orbit_cost_ratio: np.ndarray | None) -> np.ndarray | None:
    """A cost ratio given per calendar year of the run, shape (Y,) or (Y, n), as one per step.

    UserError (one line) if it does not have one row per year of ``year``.
    """
    if orbit_cost_ratio is None:
        return None
    r = np.asarray(orbit_cost_ratio, dtype=float)
    years = np.unique(np.floor(year + 1e-9))
    if r.ndim not in (1, 2) or r.shape[0] != len(years):
        raise UserError(f"orbit_cost_ratio: shape {r.shape}; allowed: ({len(years)},) or "
                        f"({len(years)}, n_samples), one value per year "
                        f"{int(years[0])}-{int(years[-1])}")
    return r[np.searchsorted(years, np.floor(year + 1e-9))]


def run_stack(reg: Registry, n_samples: int = 1, rng: np.random.Generator | None = None, *,
              detail: bool = True, marginal: bool = True,
              method: str = "random", allocation: str = DEFAULT_POLICY,
              orbit_cost_ratio: np.ndarray | None = None,
              robot_factory: model.RobotFactory | None = None) -> StackResult:
    """Run the stack model for a registry.

    Parameters
    ----------
    reg : Registry
        Resolved assumptions (scenario + overrides).
    n_samples : int
        1 = the central case; more draws every ranged assumption (``method``) through ``rng``.
    rng : numpy.random.Generator, optional
        Source of randomness for ``n_samples > 1``.
    detail, marginal : bool
        Record sector terms / marginal gains (see :func:`terawatt.stack.model.simulate`).
    allocation : str
        Chip allocation policy, one of :data:`ALLOCATION_POLICIES`: ``"deploy-where-usable"``
        (default: install where there is room now, chip output answers to demand within
        ``allocation.inventory_horizon``), ``"fixed-share"`` (the ``orbital.chip_share`` of
        chips waits for orbit, no demand feedback; the model before this option existed) or
        ``"cheapest-per-token"`` (the cheaper side by ``orbit_cost_ratio`` claims chips first).
        An unknown name raises UserError.
    orbit_cost_ratio : numpy.ndarray, optional
        USD per token in orbit / on the ground for each calendar year of the run, shape (Y,)
        or (Y, n_samples) [-] (e.g. ``orbit_usd_per_mtok / ground_usd_per_mtok`` of
        :func:`terawatt.economics.service.cost_path`); needed by ``cheapest-per-token`` only.
    robot_factory : RobotFactory, optional
        One robot factory's build time, crew and capacity from the fleet plan (pass
        :func:`terawatt.robots.replication.plan_factory`; ``terawatt run`` always does).
        None: the registry fallbacks ``robots.factory.fallback_*``, used only without the
        planner (the stack does not import the fleet layer).

    Returns
    -------
    StackResult
    """
    policy = check_policy(allocation)
    year = time_axis_from(reg)
    ratio = step_cost_ratio(year, orbit_cost_ratio) if policy.needs_cost_ratio else None
    p, design = sample_inputs(reg, n_samples, rng, method)
    run = model.simulate(p, design, year, detail=detail, marginal=marginal,
                         allocation=policy.name, orbit_cost_ratio=ratio,
                         robot_factory=robot_factory)
    bnecks = {s: attribute(s, model.SECTOR_TERMS[s], model.SECTOR_UNITS[s], v)
              for s, v in run.terms.items()}
    d: dict[str, Any] = {
        "satellite_specific_power_w_per_kg": float(np.median(1.0 / design.mass_per_compute_w_kg)),
        "satellite_mass_per_compute_w_kg": float(np.median(design.mass_per_compute_w_kg)),
        "array_w_per_compute_w": float(np.median(design.array_w_per_compute_w)),
        "compute_w_per_satellite": float(np.median(design.compute_w_per_satellite)),
        "facility_w_per_accelerator_w": float(np.median(design.facility_w_per_accelerator_w)),
        "accelerator_power_w": float(np.median(p["compute.gb300.gpu_tdp"])),
    }
    return StackResult(
        scenario=reg.scenario, n_samples=n_samples, time=run.year, dt_s=run.dt_s,
        series=run.series, bottlenecks=bnecks, constraints=model.CONSTRAINTS,
        marginal_w=run.marginal_w, design=d, h100_flops=float(reg.si("chips.h100.flops")),
        allocation=policy.name,
    )
