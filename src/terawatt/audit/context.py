"""What an audit quantity is: a model measurement that declares the registry keys it reads.

A quantity is a function ``fn(ctx: AuditContext) -> Measurement`` registered with
:func:`quantity`, which also records what it reads:

* ``keys``: the assumptions the value responds to directly (changing one within its range
  changes the value; ``tests/audit`` checks this with Hypothesis);
* ``context_keys``: assumptions read only for the explanation;
* ``models``: the shared models it evaluates through the context (``stack``, ``satellite``,
  ``costs``, ``solar``, ``datacenter``, ``launch``, ``fleet``); each contributes every key that
  model reads (:func:`model_keys`);
* ``records``: published facts of ``audit/data/records.toml`` it compares with (not
  assumptions: the models never read them).

``QuantitySpec.reads(reg)`` is the union of the first two: the audit's provenance check
(:mod:`terawatt.audit.provenance`) looks there for inputs a scenario took from the claim under
test, and a test runs every quantity on a registry that records each access and checks the
declaration covers it.

The context evaluates the models lazily and caches them per registry (one stack run, one cost
model, one satellite budget); break-even searches evaluate a quantity on a context with one
assumption changed (:meth:`AuditContext.with_values`) or one model *driver* overridden
(:meth:`AuditContext.with_driver`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from terawatt.assumptions import Registry
from terawatt.assumptions.loader import parse_assumption_file
from terawatt.economics.service import cost_keys, cost_model, stack_paths
from terawatt.physics import datacenter as dc
from terawatt.physics import orbit as orb
from terawatt.physics import satellite as sat
from terawatt.physics import solar
from terawatt.physics.launch import LAUNCH_KEYS
from terawatt.robots.replication import PLAN_PREFIXES, run_stack_planned
from terawatt.stack.service import RUN_KEYS
from terawatt.stack.service import model_keys as stack_model_keys

#: The interview's date (seed/claims.md: published 6 Feb 2026); claims' "within N years" count
#: from here.
INTERVIEW_DATE = _dt.date(2026, 2, 6)


def decimal_year(d: _dt.date) -> float:
    """A calendar date as a decimal year [yr] (day of year / days in the year)."""
    start = _dt.date(d.year, 1, 1)
    days = (_dt.date(d.year + 1, 1, 1) - start).days
    return d.year + (d - start).days / days


def date_of(year: float) -> _dt.date:
    """The calendar date of a decimal year (inverse of :func:`decimal_year`, to the day)."""
    y = int(year)
    start = _dt.date(y, 1, 1)
    days = (_dt.date(y + 1, 1, 1) - start).days
    return start + _dt.timedelta(days=round((year - y) * days))


def month_text(year: float) -> str:
    """A decimal year as 'Feb 2029'."""
    return date_of(year).strftime("%b %Y")


def fmt(value: float, unit: str = "", digits: int = 4) -> str:
    """A number for an explanation: thousands separated, calendar years plain, very large or
    small values in exponent form; with ``unit`` unless dimensionless."""
    v = float(value)
    a = abs(v)
    if unit == "yr" and 1000 <= a < 3000:
        num = f"{v:g}"
    elif a >= 1e7 or (0 < a < 1e-3):
        num = f"{v:.{digits}g}"
    elif a >= 1000:
        num = f"{v:,.0f}"
    else:
        num = f"{v:.{digits}g}"
    return f"{num} {unit}" if unit not in ("", "dimensionless") else num


#: :data:`INTERVIEW_DATE` as a decimal year [yr]
INTERVIEW_YEAR = decimal_year(INTERVIEW_DATE)


@dataclass(frozen=True)
class Measurement:
    """A model value in the claim's unit, how it was obtained, or why there is none.

    ``details`` holds further computed figures (a claim's ``parts`` name their value there);
    ``notes`` are conditional remarks shown after the explanation (e.g. C19's sizing).
    """

    value: float | None
    explanation: str = ""
    not_checkable: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


Quantity = Callable[["AuditContext"], Measurement]


@dataclass(frozen=True)
class Support:
    """Whether what the claim asserts, set as a scenario input, is supported by something the
    model computes without it (``basis``): ``holds`` None when the check cannot decide."""

    basis: str
    holds: bool | None
    value: float | None
    explanation: str

    def as_dict(self) -> dict[str, Any]:
        return {"basis": self.basis, "holds": self.holds, "value": self.value,
                "explanation": self.explanation}


#: a support check: the context and the claim's target values (main, then parts) -> Support
SupportCheck = Callable[["AuditContext", tuple[float, ...]], Support]


# ------------------------------------------------------------------------------------------
# the keys each shared model reads
# ------------------------------------------------------------------------------------------
def _orbit_keys() -> tuple[str, ...]:
    return (*sat.ORBIT_KEYS, "satellite.altitude", *orb.ORBIT_CONSTANT_KEYS)


def _satellite(reg: Registry) -> tuple[str, ...]:
    return (*sat.satellite_keys(), *_orbit_keys())


def _stack(reg: Registry) -> tuple[str, ...]:
    # the robot factory's build time and crew come from the fleet plan (robots.replication)
    plan = tuple(k for p in PLAN_PREFIXES for k in reg.keys(p))
    return (*stack_model_keys(), *RUN_KEYS, *_orbit_keys(), "chips.h100.flops", *plan)


def _costs(reg: Registry) -> tuple[str, ...]:
    return (*cost_keys(), *_satellite(reg))


def _solar(reg: Registry) -> tuple[str, ...]:
    return (*solar.SOLAR_KEYS, *_orbit_keys())


def _lunar(reg: Registry) -> tuple[str, ...]:
    # the lunar plant (physics.lunar) and its with/without comparison over one year of Earth
    # launches of compute satellites
    return (*reg.keys("lunar."), "solar.solar_constant", "run.end_year",
            "launch.payload_per_flight", "launch.launches_per_year", "orbital.launch_share",
            *_satellite(reg))


def _fleet(reg: Registry) -> tuple[str, ...]:
    # the fleet orchestrator publishes no key list; it reads fleet.*, the engine's
    # scheduling.* thresholds and the training centre's training.*
    return (*reg.keys("fleet."), *reg.keys("scheduling."), *reg.keys("training."))


#: model name -> function of the registry giving every key that model reads
MODELS: dict[str, Callable[[Registry], tuple[str, ...]]] = {
    "stack": _stack,
    "satellite": _satellite,
    "costs": _costs,
    "solar": _solar,
    "datacenter": lambda reg: dc.datacenter_keys(),
    "launch": lambda reg: LAUNCH_KEYS,
    "fleet": _fleet,
    "lunar": _lunar,
}


def model_keys(models: tuple[str, ...], reg: Registry) -> frozenset[str]:
    """Every key the named models read."""
    return frozenset(k for m in models for k in MODELS[m](reg))


# ------------------------------------------------------------------------------------------
# quantities
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QuantitySpec:
    """A registered quantity and what it reads (see the module docstring).

    ``support``: optional check of an ``input`` verdict against the model's other sectors
    (registered with :func:`support`).
    """

    name: str
    fn: Quantity
    keys: tuple[str, ...] = ()
    context_keys: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    records: tuple[str, ...] = ()
    support: SupportCheck | None = None

    def __call__(self, ctx: AuditContext) -> Measurement:
        return self.fn(ctx)

    def reads(self, reg: Registry) -> frozenset[str]:
        """Every assumption key the quantity may read: its keys, context keys and its models'
        keys."""
        return frozenset(self.keys) | frozenset(self.context_keys) | model_keys(self.models, reg)


REGISTRY: dict[str, QuantitySpec] = {}

#: model drivers a break-even can vary: name -> unit
DRIVERS: dict[str, str] = {
    "system_specific_power_w_per_kg": "W/kg",
    "launch_usd_per_kg": "USD/kg",
    "satellite_usd_per_w": "USD/W",
}


def quantity(
    name: str,
    *,
    keys: tuple[str, ...] = (),
    context_keys: tuple[str, ...] = (),
    models: tuple[str, ...] = (),
    records: tuple[str, ...] = (),
) -> Callable[[Quantity], Quantity]:
    """Register ``fn`` under ``name`` (the ``quantity`` field of a claim entry) with the keys
    it reads directly, the models it evaluates and the records it compares with."""
    unknown = sorted(set(models) - set(MODELS))
    if unknown:
        raise ValueError(f"quantity {name!r}: unknown model {unknown[0]!r}")

    def deco(fn: Quantity) -> Quantity:
        if name in REGISTRY:
            raise ValueError(f"quantity {name!r} registered twice")
        REGISTRY[name] = QuantitySpec(name, fn, tuple(keys), tuple(context_keys),
                                      tuple(models), tuple(records))
        return fn

    return deco


def support(name: str) -> Callable[[SupportCheck], SupportCheck]:
    """Register ``fn`` as the support check of quantity ``name``: what the model's other
    sectors allow for a claim whose value is a scenario input."""

    def deco(fn: SupportCheck) -> SupportCheck:
        REGISTRY[name] = replace(REGISTRY[name], support=fn)
        return fn

    return deco


# ------------------------------------------------------------------------------------------
# published records the audit compares with
# ------------------------------------------------------------------------------------------
def records_path() -> Path:
    return Path(str(resources.files("terawatt.audit") / "data" / "records.toml"))


@lru_cache(maxsize=1)
def load_records() -> Registry:
    """Published facts (``audit/data/records.toml``, keys ``record.*``), each with value, unit
    and source, held in a :class:`Registry` (never merged into the model assumptions)."""
    items = parse_assumption_file(records_path(), prefix="record")
    return Registry({a.key: a for a in items}, scenario="records")


# ------------------------------------------------------------------------------------------
# the context
# ------------------------------------------------------------------------------------------
class AuditContext:
    """The models of one registry, evaluated lazily and cached (one stack run, one cost model).

    ``drivers`` override derived model figures (see :data:`DRIVERS`) for break-even searches.
    """

    def __init__(
        self, reg: Registry, *, stack: Any = None, drivers: Mapping[str, float] | None = None
    ) -> None:
        self.reg = reg
        self.drivers = dict(drivers or {})
        if stack is not None:
            self.__dict__["stack"] = stack

    def with_registry(self, reg: Registry, changed: set[str] | frozenset[str]) -> AuditContext:
        """A context on ``reg`` (``self.reg`` with the keys ``changed``), sharing the stack run
        when the stack reads none of them."""
        sub = AuditContext(reg, drivers=self.drivers)
        if "stack" in self.__dict__ and not set(changed) & set(_stack(self.reg)):
            sub.__dict__["stack"] = self.__dict__["stack"]
        return sub

    def with_values(self, values: Mapping[str, Any], origin: str = "break-even search"
                    ) -> AuditContext:
        return self.with_registry(self.reg.with_values(values, origin), set(values))

    def with_driver(self, name: str, value: float) -> AuditContext:
        sub = AuditContext(self.reg, drivers={**self.drivers, name: value})
        for k in ("stack", "costs", "satellite", "orbit"):  # same registry: share caches
            if k in self.__dict__:
                sub.__dict__[k] = self.__dict__[k]
        return sub

    # models --------------------------------------------------------------------------------
    @cached_property
    def stack(self) -> Any:
        """Central stack run (with every sector's min() terms), its robot factory planned by
        the fleet planner as in ``terawatt run``."""
        return run_stack_planned(self.reg, detail=True, marginal=False)

    @cached_property
    def orbit(self) -> Any:
        return sat.registry_orbit(self.reg)

    @cached_property
    def satellite(self) -> Any:
        return sat.satellite_from_registry(self.reg, orbit_fig=self.orbit)

    @cached_property
    def costs(self) -> Any:
        """Cost model over the stack's years and launch cadence."""
        years, lpy, gain = stack_paths(self.stack)
        return cost_model(self.reg, years=years, launches_per_year=lpy, tokens_gain=gain)

    @property
    def records(self) -> Registry:
        return load_records()

    def specific_power_w_per_kg(self) -> float:
        """System W/kg of the satellite (driver-overridable)."""
        if "system_specific_power_w_per_kg" in self.drivers:
            return float(self.drivers["system_specific_power_w_per_kg"])
        return float(self.satellite.specific_power_w_per_kg[0])

    def annual(self, name: str, year: int) -> float:
        """Median per-year value of a stack series in calendar ``year`` (clipped to the run)."""
        st = self.stack
        idx = int(np.searchsorted(st.years, year))
        idx = min(max(idx, 0), len(st.years) - 1)
        return float(st.annual_median(name)[idx])


#: C03's "within 30-36 months": the end of its window, where the cost drivers are read [yr]
CHEAPEST_BY_YEAR = INTERVIEW_YEAR + 3.0


def undeclared_reads(q: QuantitySpec, reg: Registry) -> set[str]:
    """Keys ``q`` reads on ``reg`` that it did not declare: the quantity runs on a fresh
    context over a registry that records every access
    (:class:`terawatt.audit.provenance.RecordingRegistry`)."""
    from terawatt.audit.provenance import RecordingRegistry

    rec = RecordingRegistry.wrap(reg)
    q(AuditContext(rec))
    return set(rec.log) - set(q.reads(reg))


def driver_current(ctx: AuditContext, name: str) -> float | None:
    """The model's own value of a driver (reported next to its break-even; cost drivers in
    :data:`CHEAPEST_BY_YEAR`)."""
    year = CHEAPEST_BY_YEAR
    if name == "system_specific_power_w_per_kg":
        return float(ctx.satellite.specific_power_w_per_kg[0])
    if name == "launch_usd_per_kg":
        return float(ctx.costs.launch_price_usd_per_kg(year)[0])
    if name == "satellite_usd_per_w":
        return float(ctx.costs.orbit(year).platform_usd_per_w[0])
    return None
