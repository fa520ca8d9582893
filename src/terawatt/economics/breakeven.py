"""Break-even values of the orbital cost drivers, searched over their physical bounds.

"What would have to be true" for orbit to cost no more than the ground in a year is a value
of one driver found by root-finding (:func:`terawatt.economics.crossover.first_root`), or a
reasoned "none": the driver is pushed to the end physics allows and the answer says how far
orbit still is from the ground and which cost term is left.

The physical bound of each driver:

* ``launch_usd_per_kg``: the propellant alone (``costs.launch.propellant``): a chemical rocket
  cannot sell a kg to orbit for less than the fuel it burns for it;
* ``satellite_usd_per_w``: 0, a free platform (bus, solar array and radiators);
* ``specific_power_w_per_kg``: a satellite as light as its solar array alone
  (``satellite.array.specific_power`` over the array W per compute W): nothing that powers the
  compute can weigh less than the array that makes the power.

References
----------
.. [1] R. P. Brent, *Algorithms for Minimization without Derivatives*, Prentice-Hall, 1973,
   ch. 4 (zero finding).
.. [2] B. Aguera y Arcas et al., "Towards a future space-based, highly scalable AI
   infrastructure system design" (Project Suncatcher), arXiv:2511.19468, 2025, s4.4
   (Starship propellant floor ~8 USD/kg).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from terawatt.constants import SECONDS_PER_YEAR
from terawatt.economics.crossover import first_root
from terawatt.economics.learning import capital_recovery_factor

if TYPE_CHECKING:
    from terawatt.economics.service import CostModel


@dataclass(frozen=True, slots=True)
class DriverSpec:
    """A break-even driver: its unit, the :meth:`CostModel.orbit` keyword that sets it, and
    whether orbit gets cheaper as it falls (``cheaper_below``) or as it rises."""

    unit: str
    keyword: str
    cheaper_below: bool
    log: bool


#: driver -> how it enters the orbit cost model
DRIVERS: dict[str, DriverSpec] = {
    "launch_usd_per_kg": DriverSpec("USD/kg", "launch_usd_per_kg", True, True),
    "satellite_usd_per_w": DriverSpec("USD/W", "platform_usd_per_w", True, False),
    "specific_power_w_per_kg": DriverSpec("W/kg", "specific_power_w_per_kg", False, True),
}

#: upper end of the launch-price and platform-cost searches (above any price ever paid:
#: Space Shuttle ~54,500 USD/kg, Jones, NASA ICES-2018-81)
_LAUNCH_HI_USD_PER_KG = 1e5
_PLATFORM_HI_USD_PER_W = 1e4
_SPECIFIC_POWER_LO_W_PER_KG = 0.1

#: names of the delivered orbit cost terms, as shown in a reasoned "none"
TERM_LABELS: dict[str, str] = {
    "accelerators": "the accelerators (at the flight premium)",
    "platform": "the satellite platform (bus, array, radiators)",
    "launch": "launch",
    "insurance": "insurance",
    "ground_segment": "the ground segment",
}


@dataclass(frozen=True, slots=True)
class BreakEven:
    """Value of one driver at which orbit costs the same as ground in ``year``.

    ``value`` is None when no value in [lo, hi] makes them equal; ``text`` then says why:
    orbit's cost at the driver's physical ``bound`` as a multiple of ground's
    (``ratio_at_bound``) and the largest remaining delivered cost term. ``current`` is the
    model's own value of the driver. Costs in USD per W-year of delivered compute.
    """

    driver: str
    unit: str
    year: float
    value: float | None
    current: float
    lo: float
    hi: float
    bound: float
    bound_label: str
    ratio_at_bound: float
    largest_term: str
    largest_term_usd_per_w_yr: float
    orbit_at_bound_usd_per_w_yr: float
    ground_usd_per_w_yr: float
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


def orbit_terms_usd_per_w_yr(model: CostModel, year: float, **overrides: Any) -> dict[str, float]:
    """Delivered orbital cost in ``year`` split by term (central sample) [USD per W-year].

    Each capital term is annualised over the satellite's life and, like the ground segment,
    divided by utilisation x accelerator survival x compute availability, so the terms add up
    to :attr:`OrbitCost.delivered_usd_per_w_s`.
    """
    o = model.orbit(year, **overrides)
    p = model.p
    crf = capital_recovery_factor(p["economics.discount_rate"], p["satellite.design_life"])
    losses = (
        np.asarray(p["economics.utilisation"], dtype=float)
        * o.survival_fraction
        * np.asarray(model.compute_availability, dtype=float)
        * np.asarray(p["costs.orbit.delivery_availability"], dtype=float)
    )
    per_yr = SECONDS_PER_YEAR / losses
    capex = {
        "accelerators": o.compute_usd_per_w,
        "platform": o.platform_usd_per_w,
        "launch": o.launch_usd_per_w,
        "insurance": o.insurance_usd_per_w,
    }
    out = {k: float((np.asarray(v) * crf * per_yr)[0]) for k, v in capex.items()}
    out["ground_segment"] = float((o.ground_segment_usd_per_w_s * per_yr)[0])
    return out


def _bracket(model: CostModel, driver: str, year: float) -> tuple[float, float, float, str]:
    """(lo, hi, physical bound, what the bound is) of a driver's search."""
    p = model.p
    if driver == "launch_usd_per_kg":
        fuel = float(np.asarray(p["costs.launch.propellant"])[0])
        if fuel > 0:
            return fuel, _LAUNCH_HI_USD_PER_KG, fuel, "the propellant alone, no vehicle hardware"
        return 1e-3, _LAUNCH_HI_USD_PER_KG, 0.0, "a free launch"
    if driver == "satellite_usd_per_w":
        return 0.0, _PLATFORM_HI_USD_PER_W, 0.0, "a free platform: bus, array and radiators"
    array_w_per_kg = float(np.asarray(p["satellite.array.specific_power"])[0])
    bound = array_w_per_kg / float(np.asarray(model.array_w_per_compute_w)[0])
    current = float(np.asarray(model.specific_power_w_per_kg)[0])
    hi = max(bound, current * (1 + 1e-9), _SPECIFIC_POWER_LO_W_PER_KG * 10)
    label = f"a satellite as light as its solar array alone, {array_w_per_kg:.4g} W/kg of array"
    return _SPECIFIC_POWER_LO_W_PER_KG, hi, bound, label


def _current(model: CostModel, driver: str, year: float) -> float:
    if driver == "launch_usd_per_kg":
        return float(model.launch_price_usd_per_kg(year)[0])
    if driver == "satellite_usd_per_w":
        return float(model.orbit(year).platform_usd_per_w[0])
    return float(np.asarray(model.specific_power_w_per_kg)[0])


def break_even(model: CostModel, driver: str, year: float) -> BreakEven:
    """Solve ``orbit(year, driver = x) = ground`` for ``x`` within the driver's physical bounds.

    ``launch_usd_per_kg`` is the launch price, ``satellite_usd_per_w`` the platform cost (bus
    + array + radiators, ex compute) per W of compute, ``specific_power_w_per_kg`` the whole
    system's W/kg. Scan + Brent (:func:`first_root`); without a root the answer is a reasoned
    "none" (see :class:`BreakEven`).
    """
    if driver not in DRIVERS:
        raise ValueError(f"unknown driver {driver!r} (known: {', '.join(DRIVERS)})")
    spec = DRIVERS[driver]
    lo, hi, bound, label = _bracket(model, driver, year)
    current = _current(model, driver, year)

    def gap(x: float) -> float:
        return model.cost_gap_usd_per_w_yr(year, **{spec.keyword: x})

    root = first_root(gap, lo, hi, n_scan=24, log=spec.log and lo > 0)
    terms = orbit_terms_usd_per_w_yr(model, year, **{spec.keyword: bound})
    orbit_at_bound = sum(terms.values())
    ground = float(model.ground.delivered_usd_per_w_s[0] * SECONDS_PER_YEAR)
    largest = max(terms, key=lambda k: terms[k])
    ratio = orbit_at_bound / ground
    text = _explain(driver, spec, root.value, current, bound, label, ratio, terms, largest,
                    orbit_at_bound, ground, gap, lo, hi)
    return BreakEven(
        driver=driver, unit=spec.unit, year=float(year), value=root.value, current=current,
        lo=lo, hi=hi, bound=bound, bound_label=label, ratio_at_bound=ratio,
        largest_term=largest, largest_term_usd_per_w_yr=terms[largest],
        orbit_at_bound_usd_per_w_yr=orbit_at_bound, ground_usd_per_w_yr=ground, text=text,
    )


def _explain(
    driver: str,
    spec: DriverSpec,
    value: float | None,
    current: float,
    bound: float,
    label: str,
    ratio: float,
    terms: dict[str, float],
    largest: str,
    orbit_at_bound: float,
    ground: float,
    gap: Callable[[float], float],
    lo: float,
    hi: float,
) -> str:
    """One line: the value, or 'none: even at <bound>, orbit is X x ground because ...'."""
    u = spec.unit
    if value is not None:
        side = "below" if spec.cheaper_below else "above"
        return f"{value:.4g} {u} (model: {current:.4g} {u}; orbit no dearer than ground {side} it)"
    if ratio <= 1.0:
        worst = hi if spec.cheaper_below else lo
        return (f"none needed: orbit is no dearer than ground anywhere in [{lo:.4g}, {hi:.4g}] "
                f"{u} (at {worst:.4g} {u} the gap is {gap(worst):+.3g} USD/W-yr)")
    what = TERM_LABELS[largest]
    part = terms[largest]
    if part >= ground:
        why = (f"{what} alone cost {part:.3g} USD/W-yr delivered, more than the ground's "
               f"whole {ground:.3g}")
    else:
        rest = orbit_at_bound - part
        why = (f"{what} cost {part:.3g} of orbit's {orbit_at_bound:.3g} USD/W-yr delivered "
               f"(the rest {rest:.3g}; ground, all in: {ground:.3g})")
    return f"none: even at {bound:.4g} {u} ({label}), orbit is {ratio:.2f}x ground because {why}"
