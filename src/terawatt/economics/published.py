"""Published studies as packaged scenarios: each study's headline figures, reproduced.

Every case is a packaged scenario (``terawatt/scenarios/<case>.toml``) that sets the study's
own inputs on top of ``baseline``; the study's published headline figures are sourced
reference values in the registry (``economics.published.<case>.<figure>``, value, unit and
source). :func:`published_comparison` measures each figure on the cost model of that
scenario, so ``terawatt costs --scenario <case>`` shows the study's figure next to ours and
the deviation against the stated tolerance. docs/published.md explains, term by term, why
the seed and baseline answers differ from each study and which study inputs the model
cannot express.

References
----------
.. [1] B. Aguera y Arcas et al., "Towards a future space-based, highly scalable AI
   infrastructure system design" (Project Suncatcher), arXiv:2511.19468, Google, 2025.
.. [2] A. McCalip, "Economics of Orbital vs Terrestrial Data Centers" (calculator), 2025,
   https://andrewmccalip.com/space-datacenters (github.com/andrewmccalip/thoughts).
.. [3] D. Nishball et al., "To Boldly Go: The Case for Space Datacenters", SemiAnalysis,
   3 Jun 2026, https://newsletter.semianalysis.com/p/to-boldly-go-the-case-for-space-datacenters
.. [4] J. Hodge (jman4162), spacedc-mdao (orbitdc) README, 2026,
   https://github.com/jman4162/spacedc-mdao
.. [5] Epoch AI, Frontier Data Centers hub (2025) and "Servers account for 60% of the total
   cost of ownership of a one-gigawatt AI data center" (2026).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from terawatt.constants import SECONDS_PER_HOUR, SECONDS_PER_YEAR
from terawatt.economics.learning import capital_recovery_factor

if TYPE_CHECKING:
    from terawatt.assumptions import Registry
    from terawatt.economics.service import CostModel, CostPath

#: relative tolerance within which a headline figure counts as reproduced (issue "Answers to
#: trust": 15 % of the study's headline figure)
TOLERANCE = 0.15
#: tolerance of a year (crossover / parity) [yr]
YEAR_TOLERANCE = 3.0


@dataclass(frozen=True, slots=True)
class Context:
    """What a figure is measured on: the scenario's registry, cost model and cost path."""

    reg: Registry
    model: CostModel
    path: CostPath


@dataclass(frozen=True, slots=True)
class Figure:
    """One headline figure of a study.

    ``name`` is the last part of its reference key ``economics.published.<case>.<name>``;
    ``unit`` the unit it is compared in; ``measure`` computes our value on a
    :class:`Context` (None when the model has no such value, e.g. no crossover);
    ``is_year`` compares with :data:`YEAR_TOLERANCE` years instead of a relative tolerance.
    """

    name: str
    label: str
    unit: str
    measure: Callable[[Context], float | None]
    is_year: bool = False


@dataclass(frozen=True, slots=True)
class PublishedCase:
    """A study reproduced by the packaged scenario of the same name."""

    name: str
    title: str
    figures: tuple[Figure, ...]
    gaps: tuple[str, ...]


# ------------------------------------------------------------------------------------------
# measures
# ------------------------------------------------------------------------------------------
def _first(x: Any) -> float:
    return float(np.asarray(x, dtype=float).reshape(-1)[0])


def _launched_power_price(usd_per_kg: float) -> Callable[[Context], float]:
    """Suncatcher's launched-power price: launch cost per kW annualised over the life."""

    def measure(c: Context) -> float:
        p = c.model.p
        o = c.model.orbit(2035.0, launch_usd_per_kg=usd_per_kg)
        crf = capital_recovery_factor(p["economics.discount_rate"], p["satellite.design_life"])
        return _first(o.launch_usd_per_w * crf) * SECONDS_PER_YEAR * 1e3

    return measure


def _total_over_life(side: str, year: float) -> Callable[[Context], float]:
    """Cost per W of delivered power over the satellite's design life (McCalip's 'cost per
    watt' of a 1 GW system over the analysis period) [USD/W]."""

    def measure(c: Context) -> float:
        life_s = _first(c.model.p["satellite.design_life"])
        if side == "orbit":
            return _first(c.model.orbit(year).delivered_usd_per_w_s) * life_s
        return _first(c.model.ground.delivered_usd_per_w_s) * life_s

    return measure


def _orbit_over_ground(year: float) -> Callable[[Context], float]:
    def measure(c: Context) -> float:
        return _first(c.model.orbit(year).delivered_usd_per_w_s) / _first(
            c.model.ground.delivered_usd_per_w_s
        )

    return measure


def _per_gpu_hour(side: str, year: float) -> Callable[[Context], float]:
    """Delivered cost per accelerator-hour: USD per W-s x W per accelerator x 3,600 s."""

    def measure(c: Context) -> float:
        m = c.model
        delivered = m.orbit(year).delivered_usd_per_w_s if side == "orbit" else (
            m.ground.delivered_usd_per_w_s)
        return _first(delivered) * _first(m.power_per_accelerator_w) * SECONDS_PER_HOUR

    return measure


def _crossover(c: Context) -> float | None:
    return c.path.crossover_year


def _launch_price(year: float) -> Callable[[Context], float]:
    def measure(c: Context) -> float:
        return _first(c.model.launch_price_usd_per_kg(year))

    return measure


def _capex_per_facility_w(c: Context) -> float:
    p = c.model.p
    facility_per_it = _first(p["datacenter.pue"]) * (1 + _first(p["datacenter.reserve_fraction"]))
    return _first(c.model.ground.capex_usd_per_w) / facility_per_it


def _tco_per_it_w_yr(c: Context) -> float:
    return _first(c.model.ground.total_usd_per_w_s) * SECONDS_PER_YEAR


# ------------------------------------------------------------------------------------------
# the cases (the study's inputs are in the scenario files; its figures in economics.toml)
# ------------------------------------------------------------------------------------------
CASES: dict[str, PublishedCase] = {
    "suncatcher": PublishedCase(
        "suncatcher",
        "Google Project Suncatcher (Aguera y Arcas et al., arXiv:2511.19468, 2025)",
        (
            Figure("launch_price_2035", "launch price in 2035 on the learning curve", "USD/kg",
                   _launch_price(2035.0)),
            Figure("launched_power_price_200",
                   "launched-power price at 200 USD/kg (Starlink V2 mini, 5 yr)", "USD/kW/yr",
                   _launched_power_price(200.0)),
            Figure("launched_power_price_3600",
                   "launched-power price at 3,600 USD/kg (Falcon 9 today)", "USD/kW/yr",
                   _launched_power_price(3600.0)),
        ),
        (
            "Suncatcher's ~180 Starship flights/yr are a constant cadence from 2026 here (the "
            "study gives no ramp).",
            "The study prices launch only (no satellite build, chips or ground segment); the "
            "rest of our orbit cost is ours, not the study's.",
        ),
    ),
    "mccalip": PublishedCase(
        "mccalip",
        "A. McCalip, Economics of Orbital vs Terrestrial Data Centers (calculator defaults, "
        "1 GW, 5 yr)",
        (
            Figure("orbital_usd_per_w", "orbital cost per W over 5 yr (1 GW)", "USD/W",
                   _total_over_life("orbit", 2026.0)),
            Figure("terrestrial_usd_per_w", "terrestrial cost per W over 5 yr (1 GW)", "USD/W",
                   _total_over_life("ground", 2026.0)),
            Figure("orbit_over_ground", "orbit / ground", "dimensionless",
                   _orbit_over_ground(2026.0)),
        ),
        (
            "GPU failures: the calculator buys replacement hardware (9 %/yr x 5 yr of the "
            "satellite cost); we lose the failed accelerators' output instead.",
            "Array sizing: the calculator sizes for the 5-yr average of cell degradation and a "
            "98 % sun fraction; we size the array for end of life and take the sunlit fraction "
            "of the configured orbit from the orbit model.",
            "The calculator's capacity factor (0.85) lowers only the gas burnt; our utilisation "
            "is 1 on both sides for this case, so our fuel bill is ~18 % higher.",
            "NRE (1 B USD) has no term of its own: it is spread over the 1 GW as bus cost.",
        ),
    ),
    "semianalysis": PublishedCase(
        "semianalysis",
        "SemiAnalysis, To Boldly Go: The Case for Space Datacenters (Jun 2026), base case",
        (
            Figure("orbit_usd_per_gpu_hour_2026", "orbit LCOC in 2026", "USD/h",
                   _per_gpu_hour("orbit", 2026.0)),
            Figure("ground_usd_per_gpu_hour_2026", "ground LCOC in 2026", "USD/h",
                   _per_gpu_hour("ground", 2026.0)),
            Figure("parity_year", "space-Earth parity (base case)", "dimensionless",
                   _crossover, is_year=True),
        ),
        (
            "The study's split of capex into IT and facility is not published; the ground IT "
            "capex is its 1.4 M USD per 30.5 kW cluster minus our facility USD/W.",
            "Radiation availability and GPU redundancy/SLA provisioning (its TCO -> LCOC "
            "bridge) are our accelerator failure rate and the orbit's sunlit fraction.",
            "Its launch-price and hardware cost paths after 2026 are not published; the parity "
            "year uses our launch learning on its 2026 inputs.",
        ),
    ),
    "spacedc": PublishedCase(
        "spacedc",
        "spacedc-mdao / orbitdc (jman4162, 2026), 1 MW text inference vs hyperscale Earth",
        (
            Figure("orbit_over_ground", "orbit / ground per delivered compute", "dimensionless",
                   _orbit_over_ground(2026.0)),
        ),
        (
            "Its delivered-compute waterfall (software, power, thermal and network factors, "
            "0.75 optical-downlink availability) has no counterpart: the downlink availability "
            "is folded into the orbit's compute availability through the accelerator failure "
            "rate; docs/published.md gives the term-by-term gap.",
        ),
    ),
    "epoch": PublishedCase(
        "epoch",
        "Epoch AI: frontier AI data centres (~29 B USD per GW) and the 1 GW TCO breakdown",
        (
            Figure("capex_per_facility_w", "capex per W of facility power", "USD/W",
                   _capex_per_facility_w),
            Figure("tco_per_it_w_yr", "TCO per W of IT per year", "USD/W/yr", _tco_per_it_w_yr),
        ),
        (
            "Epoch's hub gives capex per GW of facility power; our capex is per W of IT, "
            "divided here by PUE x (1 + reserve).",
        ),
    ),
}


def published_case(name: str) -> PublishedCase:
    """The case of that name; an unknown name is a one-line UserError."""
    from terawatt.errors import UserError

    if name not in CASES:
        raise UserError(f"unknown published case {name!r} (known: {', '.join(CASES)})")
    return CASES[name]


def cases_of(reg: Registry) -> list[PublishedCase]:
    """The published cases in ``reg``'s scenario chain (a user scenario built on one keeps
    the comparison)."""
    return [CASES[n] for n in reg.scenario_chain if n in CASES]


def compare(case: PublishedCase, ctx: Context) -> dict[str, Any]:
    """The study's figures next to ours: deviation and whether it is within tolerance."""
    rows = []
    for f in case.figures:
        key = f"economics.published.{case.name}.{f.name}"
        published = ctx.reg.value(key, f.unit)
        ours = f.measure(ctx)
        if f.is_year:
            dev = None if ours is None else ours - published
            tol, within = YEAR_TOLERANCE, dev is not None and abs(dev) <= YEAR_TOLERANCE
        else:
            dev = None if ours is None else ours / published - 1.0
            tol, within = TOLERANCE, dev is not None and abs(dev) <= TOLERANCE
        rows.append({
            "figure": f.name, "label": f.label, "unit": f.unit, "published": published,
            "ours": ours, "deviation": dev, "tolerance": tol,
            "tolerance_kind": "years" if f.is_year else "relative", "within": within,
            "source": ctx.reg.get(key).source.cite(),
        })
    return {"case": case.name, "title": case.title, "figures": rows, "gaps": list(case.gaps)}


def published_comparison(reg: Registry, model: CostModel, path: CostPath) -> list[dict[str, Any]]:
    """Comparisons for every published case in ``reg``'s scenario chain (empty otherwise)."""
    ctx = Context(reg, model, path)
    return [compare(case, ctx) for case in cases_of(reg)]
