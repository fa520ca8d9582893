"""Service API of the economics layer: cost paths over the run's years, crossover, break-evens.

:func:`cost_model` binds a registry (and optionally the stack run's launch cadence) to the
pure cost models; the returned :class:`CostModel` evaluates ground and orbit costs at any
fractional calendar year, so the crossover year and break-even values are found by
root-finding on the model itself (:mod:`terawatt.economics.crossover`).

The satellite's specific power, array oversizing and compute availability come from the
physics layer (:func:`terawatt.physics.satellite.satellite_budget` on the orbit of
:func:`terawatt.physics.satellite.registry_orbit`); the IT power per accelerator from
:func:`terawatt.physics.datacenter.datacenter_power`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from terawatt.assumptions import Registry
from terawatt.constants import J_PER_KWH, SECONDS_PER_YEAR
from terawatt.economics.breakeven import DRIVERS, break_even
from terawatt.economics.breakeven import BreakEven as BreakEven  # re-exported
from terawatt.economics.crossover import crossover_year
from terawatt.economics.learning import reusable_launch_cost_usd_per_kg, wright_cost
from terawatt.economics.orbital import ORBIT_KEYS, OrbitCost, orbit_cost
from terawatt.economics.terrestrial import GROUND_KEYS, GroundCost, ground_cost
from terawatt.economics.tokens import TOKEN_KEYS, usd_per_million_tokens
from terawatt.physics import datacenter as dc
from terawatt.physics import satellite as sat
from terawatt.stack.service import run_stack

FloatArray = NDArray[np.float64]

LAUNCH_PRICE_KEYS: tuple[str, ...] = (
    "costs.launch.price_base",
    "costs.launch.learning_rate",
    "costs.launch.cumulative_mass_base",
    "costs.launch.cumulative_mass_start",
    "costs.launch.vehicle_cost",
    "costs.launch.reuses",
    "costs.launch.refurbishment",
    "costs.launch.propellant",
    "launch.launches_per_year",
    "launch.payload_per_flight",
)
YEAR_KEYS: tuple[str, ...] = ("economics.first_year", "economics.last_year")
#: A study's own system W/kg (0 = the satellite budget's), read by :func:`cost_model`.
OVERRIDE_KEYS: tuple[str, ...] = ("costs.orbit.system_specific_power",)


def cost_keys(generation: str = sat.DEFAULT_GENERATION) -> tuple[str, ...]:
    """Every assumption key the cost model reads (deduplicated, in a stable order)."""
    keys = (
        *GROUND_KEYS,
        *ORBIT_KEYS,
        *TOKEN_KEYS,
        *LAUNCH_PRICE_KEYS,
        *YEAR_KEYS,
        *OVERRIDE_KEYS,
        *sat.satellite_keys(generation),
        *dc.datacenter_keys(generation),
    )
    return tuple(dict.fromkeys(keys))


@dataclass(frozen=True)
class CostModel:
    """Cost models bound to sampled inputs ``p`` (n samples) and a launch-cadence path.

    ``years`` are the calendar years of the path; ``launches_per_year`` has shape
    (len(years),) or (n, len(years)) and is integrated to the launches flown since the start
    of ``years[0]`` and, times ``launch.payload_per_flight``, to the cumulative launched mass
    from ``costs.launch.cumulative_mass_start``: the experience the launch price learns from.
    ``tokens_gain`` (shape (len(years),), default ones) multiplies the reference throughput in
    each year: the stack run's FLOP/s per W of new accelerators over its first year's (same on
    ground and in orbit).
    """

    p: Mapping[str, FloatArray]
    years: FloatArray
    launches_per_year: FloatArray
    specific_power_w_per_kg: FloatArray
    array_w_per_compute_w: FloatArray
    compute_availability: FloatArray
    power_per_accelerator_w: FloatArray
    ground: GroundCost
    source_of_cadence: str = "launch.launches_per_year"
    tokens_gain: FloatArray | None = None
    _cum: FloatArray = field(default=None, repr=False)  # type: ignore[assignment]
    _cum_mass_kg: FloatArray = field(default=None, repr=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        rate = np.atleast_2d(self.launches_per_year)
        cum = np.concatenate([np.zeros((rate.shape[0], 1)), np.cumsum(rate, axis=1)], axis=1)
        payload_kg = np.asarray(self.p["launch.payload_per_flight"], dtype=float)[:, None]
        start_kg = np.asarray(self.p["costs.launch.cumulative_mass_start"], dtype=float)[:, None]
        object.__setattr__(self, "_cum", cum)
        object.__setattr__(self, "_cum_mass_kg", start_kg + cum * payload_kg)

    @property
    def n(self) -> int:
        return int(np.asarray(self.p["economics.utilisation"]).shape[0])

    def _at(self, table: FloatArray, year: float) -> FloatArray:
        edges = np.append(self.years, self.years[-1] + 1.0)
        t = float(np.clip(year, edges[0], edges[-1]))
        out = np.array([np.interp(t, edges, row) for row in table])
        return np.broadcast_to(out, (self.n,)) if out.shape[0] == 1 else out

    def cumulative_launches(self, year: float) -> FloatArray:
        """Launches flown from the start of ``years[0]`` to the (fractional) calendar ``year``
        (linear within a year)."""
        return self._at(self._cum, year)

    def cumulative_mass_kg(self, year: float) -> FloatArray:
        """Cumulative launched mass at ``year`` [kg]: ``costs.launch.cumulative_mass_start`` +
        launches since the start x ``launch.payload_per_flight``."""
        return self._at(self._cum_mass_kg, year)

    def launch_price_usd_per_kg(self, year: float) -> FloatArray:
        """Launch price in ``year``: Wright's law on cumulative launched mass from the anchor
        (``costs.launch.price_base`` at ``costs.launch.cumulative_mass_base``), floored by the
        bottom-up reusable cost (a launch provider does not sell below its own cost).

        References
        ----------
        .. [1] Suncatcher (2025) s2.4, s4.4: ~20 % per doubling of SpaceX's cumulative launched
           mass, from Falcon Heavy; < 200 USD/kg by ~2035 after ~370,000 t.
        """
        p = self.p
        wright = wright_cost(
            p["costs.launch.price_base"],
            self.cumulative_mass_kg(year),
            p["costs.launch.cumulative_mass_base"],
            p["costs.launch.learning_rate"],
        )
        return np.maximum(wright, self.launch_cost_floor_usd_per_kg())

    def launch_cost_floor_usd_per_kg(self) -> FloatArray:
        p = self.p
        return reusable_launch_cost_usd_per_kg(
            p["costs.launch.vehicle_cost"],
            p["costs.launch.reuses"],
            p["costs.launch.refurbishment"],
            p["costs.launch.propellant"],
        )

    def orbit(
        self,
        year: float,
        *,
        launch_usd_per_kg: Any = None,
        platform_usd_per_w: Any = None,
        specific_power_w_per_kg: Any = None,
    ) -> OrbitCost:
        """Orbital cost of satellites launched in ``year``; keyword overrides for break-evens."""
        price = (
            self.launch_price_usd_per_kg(year) if launch_usd_per_kg is None else launch_usd_per_kg
        )
        sp = (
            self.specific_power_w_per_kg
            if specific_power_w_per_kg is None
            else specific_power_w_per_kg
        )
        return orbit_cost(
            self.p,
            launch_usd_per_kg=price,
            specific_power_w_per_kg=sp,
            array_w_per_compute_w=self.array_w_per_compute_w,
            compute_availability=self.compute_availability,
            platform_usd_per_w=platform_usd_per_w,
        )

    def gain(self, year: float | None) -> float:
        """Throughput multiplier of accelerators installed in ``year`` (1 without a path)."""
        if year is None or self.tokens_gain is None:
            return 1.0
        i = int(np.clip(np.searchsorted(self.years, np.floor(year + 1e-9)), 0, len(self.years) - 1))
        return float(self.tokens_gain[i])

    def usd_per_mtok(self, delivered_usd_per_w_s: Any, year: float | None = None) -> FloatArray:
        """USD per million tokens on accelerators installed in ``year`` (reference throughput
        x :meth:`gain`)."""
        return usd_per_million_tokens(
            delivered_usd_per_w_s,
            self.power_per_accelerator_w,
            np.asarray(self.p["economics.reference_model.tokens_per_s_per_accelerator"])
            * self.gain(year),
        )

    def cost_gap_usd_per_w_yr(self, year: float, **overrides: Any) -> float:
        """Orbit minus ground, delivered USD per W-year, sample 0 (the central case)."""
        o = self.orbit(year, **overrides).delivered_usd_per_w_s[0]
        return float((o - self.ground.delivered_usd_per_w_s[0]) * SECONDS_PER_YEAR)


def _orbit_inputs(
    reg: Registry, p: Mapping[str, FloatArray], generation: str
) -> tuple[FloatArray, FloatArray, FloatArray]:
    fig = sat.registry_orbit(reg)
    b = sat.satellite_budget(
        p, fig.mean_sunlit_fraction, fig.max_eclipse_s, fig.orbital_period_s, generation
    )
    return (
        b.specific_power_w_per_kg,
        b.array_power_bol_w / b.compute_power_w,
        b.compute_availability,
    )


def cost_model(
    reg: Registry,
    *,
    years: Sequence[float] | None = None,
    launches_per_year: Any = None,
    p: Mapping[str, FloatArray] | None = None,
    generation: str = sat.DEFAULT_GENERATION,
    tokens_gain: Any = None,
) -> CostModel:
    """Bind the cost models to a registry (central values unless ``p`` is given).

    Parameters
    ----------
    reg : Registry
        Assumptions (scenario + overrides).
    years : sequence of float, optional
        Calendar years of the path (default ``economics.first_year`` .. ``last_year``).
    launches_per_year : array_like, optional
        Launches per year over ``years`` (e.g. from the stack run) [launch/yr]; default a
        constant ``launch.launches_per_year``.
    p : mapping, optional
        Sampled SI arrays for :func:`cost_keys` (n samples); default the central case.
    generation : str
        Accelerator generation (``compute.<generation>.*``).
    tokens_gain : array_like, optional
        Throughput multiplier per year of ``years`` (see :class:`CostModel`).
    """
    keys = cost_keys(generation)
    if p is None:
        p = reg.sample(1, keys=keys)
    if years is None:
        y0, y1 = (
            int(reg.value("economics.first_year", "")),
            int(reg.value("economics.last_year", "")),
        )
        if y1 < y0:
            from terawatt.errors import UserError

            raise UserError(
                f"key 'economics.last_year': value {y1} is before economics.first_year = {y0}; "
                "allowed: a year >= first_year"
            )
        years = np.arange(y0, y1 + 1, dtype=float)
    yrs = np.asarray(years, dtype=float)
    if launches_per_year is None:
        rate = np.asarray(p["launch.launches_per_year"]) * SECONDS_PER_YEAR  # SI 1/s -> per year
        lpy = np.repeat(rate[:, None], len(yrs), axis=1)
        source = "launch.launches_per_year (constant)"
    else:
        lpy = np.asarray(launches_per_year, dtype=float)
        source = "stack run"
    sp, ratio, avail = _orbit_inputs(reg, p, generation)
    stated = np.asarray(p["costs.orbit.system_specific_power"], dtype=float)
    sp = np.where(stated > 0, stated, sp)  # a published case's own W/kg replaces the budget's
    power = dc.datacenter_power(1.0, p, generation).it_power_per_accelerator_w
    return CostModel(
        p=p,
        years=yrs,
        launches_per_year=lpy,
        specific_power_w_per_kg=sp,
        array_w_per_compute_w=ratio,
        compute_availability=avail,
        power_per_accelerator_w=power,
        ground=ground_cost(p),
        source_of_cadence=source,
        tokens_gain=None if tokens_gain is None else np.asarray(tokens_gain, dtype=float),
    )


# ------------------------------------------------------------------------------------------
# paths, crossover, break-evens
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CostPath:
    """Central-case costs per calendar year (arrays over ``years``).

    Costs per watt-year are in USD per W-year of delivered compute power (converted from SI
    for presentation); tokens in USD per million tokens of the reference model.
    """

    years: FloatArray
    cumulative_launches: FloatArray
    cumulative_mass_t: FloatArray
    launch_price_usd_per_kg: FloatArray
    ground_usd_per_w_yr: FloatArray
    orbit_usd_per_w_yr: FloatArray
    ground_usd_per_mtok: FloatArray
    orbit_usd_per_mtok: FloatArray
    crossover_year: float | None
    specific_power_w_per_kg: float
    cadence_source: str

    def as_rows(self) -> list[dict[str, float]]:
        return [
            {
                "year": int(y),
                "cumulative_launches": float(c),
                "cumulative_mass_t": float(cm),
                "launch_usd_per_kg": float(lp),
                "ground_usd_per_w_yr": float(g),
                "orbit_usd_per_w_yr": float(o),
                "ground_usd_per_mtok": float(gm),
                "orbit_usd_per_mtok": float(om),
            }
            for y, c, cm, lp, g, o, gm, om in zip(
                self.years,
                self.cumulative_launches,
                self.cumulative_mass_t,
                self.launch_price_usd_per_kg,
                self.ground_usd_per_w_yr,
                self.orbit_usd_per_w_yr,
                self.ground_usd_per_mtok,
                self.orbit_usd_per_mtok,
                strict=True,
            )
        ]


def cost_path(model: CostModel) -> CostPath:
    """Central-case ground and orbit costs for every year of ``model`` plus the crossover."""
    ys = model.years
    orbit = np.array([model.orbit(float(y)).delivered_usd_per_w_s[0] for y in ys])
    ground = np.full(len(ys), model.ground.delivered_usd_per_w_s[0])
    cross = crossover_year(
        lambda t: model.cost_gap_usd_per_w_yr(t), float(ys[0]), float(ys[-1]) + 1.0
    )
    return CostPath(
        years=ys,
        cumulative_launches=np.array([model.cumulative_launches(float(y))[0] for y in ys]),
        cumulative_mass_t=np.array([model.cumulative_mass_kg(float(y))[0] for y in ys]) / 1e3,
        launch_price_usd_per_kg=np.array([model.launch_price_usd_per_kg(float(y))[0] for y in ys]),
        ground_usd_per_w_yr=ground * SECONDS_PER_YEAR,
        orbit_usd_per_w_yr=orbit * SECONDS_PER_YEAR,
        ground_usd_per_mtok=np.array(
            [float(model.usd_per_mtok(g, float(y))[0]) for g, y in zip(ground, ys, strict=True)]
        ),
        orbit_usd_per_mtok=np.array(
            [float(model.usd_per_mtok(o, float(y))[0]) for o, y in zip(orbit, ys, strict=True)]
        ),
        crossover_year=cross,
        specific_power_w_per_kg=float(model.specific_power_w_per_kg[0]),
        cadence_source=model.source_of_cadence,
    )


def apply_cost_file(reg: Registry, path: str) -> Registry:
    """Override ``costs.*`` and ``economics.*`` assumptions from a cost file.

    The file has the layout of ``assumptions/data/costs.toml`` (tables with value, unit,
    source, optional low/high/note) under the prefix given by its first table level
    (``[costs.orbit.bus]`` or ``[economics.discount_rate]``). Every table must name a known
    assumption and carry every required field; anything else is a one-line UserError.
    """
    from terawatt.assumptions.loader import parse_assumption_file, read_toml
    from terawatt.errors import UserError

    data = read_toml(path)
    values: dict[str, Any] = {}
    for prefix, body in data.items():
        if prefix not in ("costs", "economics"):
            raise UserError(
                f"{path}: key {prefix!r}: a cost file holds only [costs.*] and [economics.*] tables"
            )
        if not isinstance(body, dict):
            raise UserError(f"{path}: key {prefix!r}: expected a table")
        # validate every table through the assumption schema (value, unit, source, ...)
        for a in parse_assumption_file(path, text=_dump_toml(body), prefix=prefix):
            if a.key not in reg:
                raise UserError(
                    f"{path}: key {a.key!r}: unknown cost assumption{reg.suggest(a.key)}"
                )
            spec: dict[str, Any] = {
                "value": a.value,
                "unit": a.unit,
                "source": a.source.model_dump(),
                "note": a.note,
            }
            if a.low is not None:
                spec["low"] = a.low
            if a.high is not None:
                spec["high"] = a.high
            values[a.key] = spec
    if not values:
        raise UserError(
            f"{path}: no cost assumption found (expected tables like [costs.orbit.bus])"
        )
    return reg.with_values(values, str(path))


def _dump_toml(table: Mapping[str, Any], prefix: str = "") -> str:
    """Re-serialise nested assumption tables (values: numbers, strings, inline source)."""
    lines: list[str] = []

    def scalar(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return repr(v)
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if isinstance(v, dict):
            return "{ " + ", ".join(f"{k} = {scalar(x)}" for k, x in v.items()) + " }"
        if isinstance(v, list):
            return "[" + ", ".join(scalar(x) for x in v) + "]"
        return '"' + str(v) + '"'

    def walk(t: Mapping[str, Any], path: str) -> None:
        leaves = {k: v for k, v in t.items() if not (isinstance(v, dict) and k != "source")}
        subs = {k: v for k, v in t.items() if isinstance(v, dict) and k != "source"}
        if path and (leaves or "source" in t):
            lines.append(f"[{path}]")
            for k, v in t.items():
                if k == "source" or k in leaves:
                    lines.append(f"{k} = {scalar(v)}")
        for k, v in subs.items():
            walk(v, f"{path}.{k}" if path else k)

    walk(table, prefix)
    return "\n".join(lines) + "\n"


def stack_paths(stack: Any) -> tuple[Any, Any, Any]:
    """(years, launches per year, token-throughput gain per year) of a stack run. The gain is
    the run's FLOP/s per W of new accelerators relative to its first year (None when that
    first year has none)."""
    fpw = stack.annual_median("flops_per_w")
    gain = fpw / fpw[0] if fpw[0] > 0 else None
    return stack.years.astype(float), stack.annual_median("launches"), gain


def central_stack(reg: Registry) -> Any:
    """A central stack run of ``reg`` (the launch cadence and throughput path of the costs)."""
    return run_stack(reg, detail=False, marginal=False)


def orbit_cost_ratio(reg: Registry) -> np.ndarray:
    """Orbit over ground cost per million tokens in each run year [dimensionless], on the
    central stack run's launch cadence: the ranking the stack model's ``cheapest-per-token``
    allocation policy needs (``run_stack(..., orbit_cost_ratio=...)``). The cadence and the
    FLOP/s per W it reads do not depend on the allocation, so there is no loop to close."""
    years, lpy, gain = stack_paths(central_stack(reg))
    path = cost_path(cost_model(reg, years=years, launches_per_year=lpy, tokens_gain=gain))
    return np.asarray(path.orbit_usd_per_mtok / path.ground_usd_per_mtok, dtype=float)


def ground_options(
    model: CostModel, reg: Registry, year: float | None = None
) -> list[dict[str, Any]]:
    """Terrestrial cost by power supply: the grid in each region of ``costs.power.region.*``
    (and the scenario's ``costs.power.grid_price``), on-site gas turbines, solar + storage.

    All options in one vectorised call of :func:`ground_cost` (central values otherwise).
    """
    regions = [k for k in reg.keys("costs.power.region.")]
    labels = ["grid (costs.power.grid_price)"] + [f"grid, {k.rsplit('.', 1)[-1]}" for k in regions]
    labels += ["on-site gas turbines", "solar + storage"]
    n = len(labels)
    p = {k: np.repeat(np.asarray(v)[:1], n) for k, v in model.p.items()}
    price = [reg.si("costs.power.grid_price")] + [reg.si(k) for k in regions]
    p["costs.power.grid_price"] = np.array(price + [price[0], price[0]])
    p["economics.ground_power_option"] = np.array([0.0] * len(price) + [1.0, 2.0])
    g = ground_cost(p)
    mtok = usd_per_million_tokens(
        g.delivered_usd_per_w_s,
        model.power_per_accelerator_w[0],
        float(model.p["economics.reference_model.tokens_per_s_per_accelerator"][0])
        * model.gain(year),
    )
    return [
        {
            "option": labels[i],
            "grid_usd_per_kwh": float(p["costs.power.grid_price"][i] * J_PER_KWH)
            if p["economics.ground_power_option"][i] == 0
            else None,
            "power_usd_per_w_yr": float(g.power_usd_per_w_s[i] * SECONDS_PER_YEAR),
            "ground_usd_per_w_yr": float(g.delivered_usd_per_w_s[i] * SECONDS_PER_YEAR),
            "ground_usd_per_mtok": float(mtok[i]),
        }
        for i in range(n)
    ]


def monte_carlo(
    reg: Registry,
    year: float,
    n_samples: int,
    rng: np.random.Generator,
    *,
    years: Any = None,
    launches_per_year: Any = None,
    tokens_gain: Any = None,
) -> dict[str, Any]:
    """Costs in ``year`` over ``n_samples`` draws of every ranged cost assumption
    (each from its declared distribution, through :func:`terawatt.assumptions.sampling.draw`;
    by default triangular on low/value/high), in one vectorised call: the share of draws in
    which orbit is no dearer than ground, and 5/50/95 % quantiles of USD per million tokens.
    The launch cadence path is the central one (pass the stack run's)."""
    p = reg.sample(n_samples, rng, keys=cost_keys(), method="random")
    m = cost_model(
        reg, p=p, years=years, launches_per_year=launches_per_year, tokens_gain=tokens_gain
    )
    orbit = m.usd_per_mtok(m.orbit(year).delivered_usd_per_w_s, year)
    ground = m.usd_per_mtok(m.ground.delivered_usd_per_w_s, year)
    q = (5, 50, 95)
    return {
        "samples": int(n_samples),
        "year": float(year),
        "method": "random (declared distributions)",
        "p_orbit_cheaper": float(np.mean(orbit <= ground)),
        "orbit_usd_per_mtok": dict(
            zip(("p05", "p50", "p95"), np.percentile(orbit, q).tolist(), strict=True)
        ),
        "ground_usd_per_mtok": dict(
            zip(("p05", "p50", "p95"), np.percentile(ground, q).tolist(), strict=True)
        ),
        "ratio_orbit_over_ground": dict(
            zip(("p05", "p50", "p95"), np.percentile(orbit / ground, q).tolist(), strict=True)
        ),
    }


#: Default year of the cost break-evens and tornado (``terawatt costs``, the web explorer): claim
#: C03's "within 30-36 months" of the interview (Feb 2026), i.e. early 2029 (seed/claims.md).
DEFAULT_COST_YEAR = 2029


def costs_summary(
    reg: Registry,
    *,
    year: float = 2029.0,
    top: int = 10,
    stack: Any = None,
    samples: int = 0,
    rng: np.random.Generator | None = None,
) -> dict[str, Any]:
    """Everything ``terawatt costs`` shows, as a JSON-able dict (units in the field names).

    ``samples`` > 1 adds a ``monte_carlo`` entry (see :func:`monte_carlo`) drawn through
    ``rng``.
    """
    from terawatt.economics.published import published_comparison
    from terawatt.economics.tornado import tornado

    st = stack if stack is not None else central_stack(reg)
    years, lpy, gain = stack_paths(st)
    model = cost_model(reg, years=years, launches_per_year=lpy, tokens_gain=gain)
    path = cost_path(model)
    tor = tornado(reg, year, years=years, launches_per_year=lpy, tokens_gain=gain, top=top)
    bes = [break_even(model, d, year) for d in DRIVERS]
    mc = None
    if samples > 1:
        if rng is None:
            raise ValueError("Monte Carlo sampling needs a numpy Generator")
        mc = monte_carlo(
            reg, year, samples, rng, years=years, launches_per_year=lpy, tokens_gain=gain
        )
    return {
        "ground_options": ground_options(model, reg, year),
        "monte_carlo": mc,
        "scenario": reg.scenario,
        "cadence_source": path.cadence_source,
        "path": path.as_rows(),
        "crossover_year": path.crossover_year,
        "specific_power_w_per_kg": path.specific_power_w_per_kg,
        "break_evens": [b.as_dict() for b in bes],
        "published": published_comparison(reg, model, path),
        "tornado": {
            "year": tor.year,
            "unit": "USD/Mtok",
            "ground_central": tor.ground_central,
            "orbit_central": tor.orbit_central,
            "rows": [
                {
                    "key": r.key,
                    "unit": r.unit,
                    "low": r.low,
                    "high": r.high,
                    "ground_low": r.ground_low,
                    "ground_high": r.ground_high,
                    "orbit_low": r.orbit_low,
                    "orbit_high": r.orbit_high,
                }
                for r in tor.rows
            ],
        },
    }
