"""The scenario explorer's computations: a packaged scenario with overrides -> the stack run,
the costs on its launch cadence, and their charts; "save as scenario".

Overrides are applied by :meth:`terawatt.assumptions.Registry.with_values`, the code path of
``--set``, so the web refuses exactly what the CLI refuses, with the same one-line message
(the origin is named ``values``, the request field). The stack run is
:func:`terawatt.robots.replication.run_stack_planned`, as in ``terawatt run``: the reference
robot factory is planned once per set of fleet inputs and cached, so a change of any other key
reruns only the stack model (~50 ms).
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import time
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import numpy as np

from terawatt.assumptions import Registry, available_scenarios, load_assumptions
from terawatt.assumptions.loader import read_scenario, read_toml
from terawatt.economics.service import DEFAULT_COST_YEAR
from terawatt.errors import UserError
from terawatt.robots.replication import factory_record, run_stack_planned, year_records
from terawatt.stack import ALLOCATION_POLICIES, DEFAULT_POLICY
from terawatt.stack.result import StackResult
from terawatt.stack.service import time_axis_from

#: Origin of the request's overrides in messages (``values: key 'x': value ...``).
ORIGIN = "values"

#: The key assumptions the explorer shows as sliders (any other key can be added on the page):
#: launch cadence and payload (C01/C02), launch price, the satellite's array W/kg and radiator
#: temperature (its mass budget), the chip share sent to orbit, TeraFab, the turbine order book
#: and data-centre construction (ground power), grid price and discount rate (costs), and the
#: share of robots building robot factories.
FEATURED: tuple[str, ...] = (
    "launch.launches_per_year",
    "launch.payload_per_flight",
    "costs.launch.price_base",
    "satellite.array.specific_power",
    "thermal.radiator_temperature",
    "orbital.chip_share.target",
    "chips.terafab.capacity",
    "power.gas.orders",
    "terrestrial.construction.target",
    "costs.power.grid_price",
    "economics.discount_rate",
    "robots.construction_share",
)

#: Steps of a slider across an assumption's range [-].
SLIDER_STEPS = 100

#: A slider over a value without a published range spans value / SPAN .. value x SPAN [-].
SPAN = 2.0


# --------------------------------------------------------------------------- registries
def check_scenario(name: str) -> str:
    """``name`` if it is a packaged scenario (the web never reads a scenario by path)."""
    names = available_scenarios()
    if name not in names:
        raise UserError(f"scenario: value {name!r}; allowed: a packaged scenario "
                        f"({', '.join(names)})")
    return name


@lru_cache(maxsize=16)
def scenario_registry(name: str) -> Registry:
    """The packaged scenario ``name`` resolved (cached: a registry is immutable)."""
    return load_assumptions(check_scenario(name))


def resolve(scenario: str, values: Mapping[str, Any]) -> Registry:
    """Scenario + overrides, refused as ``--set`` refuses (one-line :class:`UserError`)."""
    reg = scenario_registry(check_scenario(scenario))
    return reg.with_values(dict(values), ORIGIN) if values else reg


def scenarios() -> list[dict[str, Any]]:
    """Packaged scenarios: name, parent and description."""
    out = []
    for name in available_scenarios():
        sc = read_scenario(name)
        out.append({"name": name, "parent": sc.parent, "description": " ".join(
            sc.description.split())})
    return out


def _slider(a: Any) -> dict[str, float]:
    """Slider bounds in the assumption's unit: its low..high, else value / SPAN .. value x SPAN
    (0..1 around zero), always within its physical min..max."""
    if a.has_range:
        lo, hi = float(a.low), float(a.high)
    elif a.value > 0:
        lo, hi = a.value / SPAN, a.value * SPAN
    elif a.value < 0:
        lo, hi = a.value * SPAN, a.value / SPAN
    else:
        lo, hi = 0.0, 1.0
    if a.min is not None:
        lo = max(lo, float(a.min))
    if a.max is not None:
        hi = min(hi, float(a.max))
    return {"lo": lo, "hi": hi, "step": (hi - lo) / SLIDER_STEPS if hi > lo else 0.0}


def assumption_row(reg: Registry, key: str) -> dict[str, Any]:
    """One assumption for the pages: value, unit, range, bounds, source (with link), note."""
    a = reg.get(key)
    origin = [o.origin for o in reg.overrides if o.key == key]
    return {"key": key, "value": a.value, "unit": a.unit, "low": a.low, "high": a.high,
            "min": a.min, "max": a.max, "note": a.note, "featured": key in FEATURED,
            "source": {"title": a.source.title, "publisher": a.source.publisher,
                       "year": a.source.year, "link": a.source.link, "cite": a.source.cite()},
            "set_by": origin[-1].rsplit("/", 1)[-1] if origin else None,
            "slider": _slider(a)}


def assumptions(scenario: str, keys: list[str] | None = None) -> dict[str, Any]:
    """Every assumption of a packaged scenario (or ``keys`` only), featured ones first."""
    reg = scenario_registry(check_scenario(scenario))
    chosen = list(reg) if not keys else [reg.get(k).key for k in keys]
    order = [k for k in FEATURED if k in chosen] + [k for k in chosen if k not in FEATURED]
    return {"scenario": reg.scenario, "scenario_chain": list(reg.scenario_chain),
            "featured": list(FEATURED), "assumptions": [assumption_row(reg, k) for k in order]}


def overrides_record(reg: Registry, values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The overrides as applied: each key's value in its own unit and its range after it."""
    return [{"key": k, "requested": v, "value": reg.get(k).value, "unit": reg.get(k).unit,
             "low": reg.get(k).low, "high": reg.get(k).high} for k, v in values.items()]


# --------------------------------------------------------------------------- stack and costs
def stack_run(reg: Registry, samples: int = 1, seed: int = 0,
              allocation: str = DEFAULT_POLICY) -> StackResult:
    """The stack run of ``terawatt run`` (planned robot factory; cost ratio for
    ``cheapest-per-token``)."""
    if allocation not in ALLOCATION_POLICIES:
        raise UserError(f"allocation: value {allocation!r}; allowed: "
                        f"{', '.join(ALLOCATION_POLICIES)}")
    ratio = None
    if allocation == "cheapest-per-token":
        from terawatt.economics.service import orbit_cost_ratio

        ratio = orbit_cost_ratio(reg)
    return run_stack_planned(reg, samples, np.random.default_rng(seed), allocation=allocation,
                             orbit_cost_ratio=ratio)


def _segments(names: list[str], years: list[int]) -> list[dict[str, Any]]:
    """Runs of the same binding term: ``[{"term", "from", "to"}]``."""
    out: list[dict[str, Any]] = []
    for name, year in zip(names, years, strict=True):
        if out and out[-1]["term"] == name:
            out[-1]["to"] = year
        else:
            out.append({"term": name, "from": year, "to": year})
    return out


def stack_doc(reg: Registry, res: StackResult) -> dict[str, Any]:
    """Per-year records (the ``years`` of ``terawatt run --json``), bottleneck timeline, the
    planned robot factory, design figures and what would add the most compute now."""
    years = [int(y) for y in res.years]
    recs = year_records(res)
    return {
        "scenario": res.scenario, "allocation": res.allocation, "n_samples": res.n_samples,
        "statistic": "median over samples" if res.n_samples > 1 else "central case",
        "design": dict(res.design), "years": recs,
        "bottleneck_timeline": {s: _segments(res.binding_by_year(s), years)
                                for s in res.bottlenecks},
        "robot_factory": factory_record(reg),
        "add_most_compute_now": [{"constraint": c, "gain_w": g} for c, g in res.now()],
    }


def cost_year(reg: Registry, year: int | None) -> int:
    """The costs' break-even year: ``year`` if it lies in the run's horizon (UserError
    otherwise), else :data:`DEFAULT_COST_YEAR` clipped to the horizon."""
    axis = time_axis_from(reg)
    first, last = int(math.floor(axis[0])), int(math.floor(axis[-1]))
    if year is None:
        return min(max(DEFAULT_COST_YEAR, first), last)
    if not first <= year <= last:
        raise UserError(f"year: value {year}; allowed: a whole year {first}..{last} (the run's "
                        f"horizon in scenario {reg.scenario!r})")
    return year


def costs_doc(reg: Registry, res: StackResult, year: int | None) -> dict[str, Any]:
    """``terawatt costs --json`` on the stack run's launch cadence (no Monte Carlo)."""
    from terawatt.economics.service import costs_summary

    return costs_summary(reg, year=float(cost_year(reg, year)), stack=res)


def stack_figures(res: StackResult, doc: dict[str, Any]) -> dict[str, Any]:
    """The stack charts: the report's compute, bottleneck and stranded figures, and robots."""
    from terawatt.report import stack_report
    from terawatt.web.figures import robots_figure

    return {"compute": stack_report.compute_figure(res).to_plotly_json(),
            "bottleneck": stack_report.bottleneck_figure(res).to_plotly_json(),
            "stranded": stack_report.stranded_figure(res).to_plotly_json(),
            "robots": robots_figure(doc["years"]).to_plotly_json()}


def cost_figures(costs: dict[str, Any]) -> dict[str, Any]:
    """The cost charts: USD per million tokens (the report's) and per W-year."""
    from terawatt.report.claims_report import cost_path_figure
    from terawatt.web.figures import cost_w_yr_figure

    return {"cost_mtok": cost_path_figure(costs).to_plotly_json(),
            "cost_w_yr": cost_w_yr_figure(costs).to_plotly_json()}


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000.0, 1)


def explore(scenario: str, values: Mapping[str, Any], year: int | None) -> dict[str, Any]:
    """Everything the explorer shows for one set of inputs (central case)."""
    t0 = time.perf_counter()
    reg = resolve(scenario, values)
    res = stack_run(reg)
    t_stack = _ms(t0)
    doc = stack_doc(reg, res)
    costs = costs_doc(reg, res, year)
    t_model = _ms(t0)
    figures = {**stack_figures(res, doc), **cost_figures(costs)}
    return {"scenario": reg.scenario, "overrides": overrides_record(reg, values),
            "stack": doc, "costs": costs, "figures": figures,
            "timing_ms": {"stack": t_stack, "model": t_model, "total": _ms(t0)}}


def stack(scenario: str, values: Mapping[str, Any], samples: int, seed: int,
          allocation: str) -> dict[str, Any]:
    """A stack run (``terawatt run --json``'s records) with its charts."""
    reg = resolve(scenario, values)
    res = stack_run(reg, samples, seed, allocation)
    doc = stack_doc(reg, res)
    return {**doc, "seed": seed if samples > 1 else None,
            "overrides": overrides_record(reg, values), "figures": stack_figures(res, doc)}


def costs(scenario: str, values: Mapping[str, Any], year: int | None) -> dict[str, Any]:
    """``terawatt costs --json`` (on the planned stack run's cadence) with its charts."""
    reg = resolve(scenario, values)
    doc = costs_doc(reg, stack_run(reg), year)
    return {**doc, "overrides": overrides_record(reg, values), "figures": cost_figures(doc)}


# --------------------------------------------------------------------------- save as scenario
def _toml_string(text: str) -> str:
    """A TOML basic string (JSON escapes are TOML escapes; DEL must be escaped too)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def scenario_toml(scenario: str, values: Mapping[str, Any], name: str,
                  description: str = "") -> str:
    """A scenario file with ``parent = scenario`` and the overrides as applied (each key's
    value in its own unit), which ``terawatt run --scenario FILE`` loads to the same registry.

    The overrides are validated first (the same refusals as the explorer); the text is read
    back with the CLI's TOML reader before it is returned.
    """
    reg = resolve(scenario, values)
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"# Written by terawatt serve, {stamp}: scenario {scenario!r} with "
             f"{len(values)} change(s).",
             f"# Use it: terawatt run --scenario {name}.toml",
             f"name = {_toml_string(name)}",
             f"parent = {_toml_string(scenario)}",
             f"description = {_toml_string(description)}",
             "",
             "[set]"]
    for key in values:
        a = reg.get(key)
        lines.append(f"{_toml_string(key)} = {{ value = {a.value!r}, unit = "
                     f"{_toml_string(a.unit)} }}")
    text = "\n".join(lines) + "\n"
    back = read_toml(f"{name}.toml", text)
    if set(back["set"]) != set(values):
        raise RuntimeError(f"scenario TOML of {name!r} does not read back")
    return text
