"""The JSON API behind every page (``/api/...``), documented in ``/openapi.json``.

Endpoints are thin: they check the request against its schema (:mod:`terawatt.web.schemas`),
run one function of :mod:`terawatt.web.explore`, :mod:`terawatt.web.claims` or
:mod:`terawatt.web.runs` in the model thread pool under the request time limit, and return its
result as JSON. Errors are one line (:mod:`terawatt.web.errors`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from terawatt.assumptions.loader import DEFAULT_SCENARIO
from terawatt.web import claims, explore, limits
from terawatt.web.encode import JSON
from terawatt.web.errors import WebError
from terawatt.web.runs import MAX_ACTIVITY_CHARS, Runs
from terawatt.web.schemas import (
    CLAIM_ID,
    MAX_KEY_CHARS,
    MAX_NAME_CHARS,
    ClaimRequest,
    CostsRequest,
    ExploreRequest,
    FlipRequest,
    Overrides,
    ScenarioRequest,
    StackRequest,
)

router = APIRouter(prefix="/api", default_response_class=JSON)

ScenarioQuery = Annotated[str, Query(min_length=1, max_length=MAX_NAME_CHARS,
                                     description="Packaged scenario name.")]
ClaimId = Annotated[str, Path(pattern=CLAIM_ID, description="Claim id, e.g. C03.")]
#: Most keys one GET /api/assumptions may name [-] (the page asks for one at a time).
_MAX_KEYS_QUERY = 50


async def compute(request: Request, fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` in the model thread pool, answered with 503 after
    :data:`~terawatt.web.limits.REQUEST_TIME_LIMIT_S` (the computation finishes in its thread,
    which the pool's size bounds)."""
    loop = asyncio.get_running_loop()
    job = loop.run_in_executor(request.app.state.model_pool, partial(fn, *args))
    try:
        return await asyncio.wait_for(job, limits.REQUEST_TIME_LIMIT_S)
    except TimeoutError:
        raise WebError(503, f"{request.url.path}: took longer than "
                            f"{limits.REQUEST_TIME_LIMIT_S:g} s; allowed: requests that finish "
                            "within the limit (use the CLI for long runs)") from None


async def answer(request: Request, fn: Callable[..., Any], *args: Any) -> JSON:
    """:func:`compute` as a :class:`JSON` response, so FastAPI does not re-encode the result:
    model results hold numpy arrays (datetime64 too) that :mod:`terawatt.io.jsonsafe` takes."""
    return JSON(await compute(request, fn, *args))


def _runs(request: Request) -> Runs:
    runs: Runs = request.app.state.runs
    return runs


# --------------------------------------------------------------------------- scenarios
@router.get("/scenarios", summary="Packaged scenarios")
def get_scenarios() -> Any:
    """Every packaged scenario with its parent and description, and the default."""
    return {"default": DEFAULT_SCENARIO, "scenarios": explore.scenarios()}


@router.get("/assumptions", summary="Assumptions of a scenario")
async def get_assumptions(
    request: Request, scenario: ScenarioQuery = DEFAULT_SCENARIO,
    key: Annotated[list[Annotated[str, Query(max_length=MAX_KEY_CHARS)]] | None,
                   Query(max_length=_MAX_KEYS_QUERY,
                         description="Only these keys (repeatable).")] = None,
) -> Any:
    """Every assumption (or the named keys): value, unit, low/high range, physical min/max,
    source with link, note, whether the explorer features it, and its slider bounds."""
    return await answer(request, explore.assumptions, scenario, key)


@router.post("/explore", summary="Explorer: stack + costs + charts")
async def post_explore(request: Request, body: ExploreRequest) -> Any:
    """The central stack run of the scenario with the overrides (``terawatt run``, robot
    factory from the cached fleet plan), the costs on its launch cadence (``terawatt costs``)
    and every explorer chart as Plotly JSON (``figures``: compute, bottleneck, stranded,
    robots, cost_mtok, cost_w_yr), with the time each part took."""
    return await answer(request, explore.explore, body.scenario, body.values, body.year)


@router.post("/stack", summary="Stack run")
async def post_stack(request: Request, body: StackRequest) -> Any:
    """A stack run: per-year records as ``terawatt run --json``, the bottleneck timeline,
    the planned robot factory and the stack charts; ``samples`` > 1 gives medians over Monte
    Carlo samples (see the field's limit)."""
    return await answer(request, explore.stack, body.scenario, body.values, body.samples,
                         body.seed, body.allocation)


@router.post("/costs", summary="Costs, ground vs orbit")
async def post_costs(request: Request, body: CostsRequest) -> Any:
    """USD per W-year and per million tokens per year, crossover, break-evens, tornado
    (``terawatt costs --json``) and the cost charts."""
    return await answer(request, explore.costs, body.scenario, body.values, body.year)


@router.post("/scenario-toml", summary="Save as scenario", response_class=Response,
             responses={200: {"content": {"application/toml": {}},
                              "description": "The scenario file."}})
async def post_scenario_toml(request: Request, body: ScenarioRequest) -> Response:
    """A scenario TOML (``parent`` = the scenario, the overrides in ``[set]``) that
    ``terawatt run --scenario FILE`` loads to the same assumptions; sent as a download."""
    text = await compute(request, explore.scenario_toml, body.scenario, body.values,
                         body.name, body.description)
    return Response(text, media_type="application/toml",
                    headers={"Content-Disposition": f'attachment; filename="{body.name}.toml"'})


# --------------------------------------------------------------------------- claims
@router.post("/claims", summary="Claims audit")
async def post_claims(request: Request, body: Overrides) -> Any:
    """Every claim (C01-C25): claimed vs model value, verdict, break-evens, why, and the
    inputs each depends on (value, unit, range, source)."""
    return await answer(request, claims.table, body.scenario, body.values)


@router.post("/claims/{claim_id}", summary="One claim re-evaluated")
async def post_claim(request: Request, claim_id: ClaimId, body: ClaimRequest) -> Any:
    """One claim on the scenario with the overrides (e.g. one input moved by a slider)."""
    return await answer(request, claims.evaluate, body.scenario, body.values, claim_id)


@router.post("/claims/{claim_id}/flip", summary="Where a claim's verdict flips")
async def post_flip(request: Request, claim_id: ClaimId, body: FlipRequest) -> Any:
    """The claim evaluated at ``points`` values of ``key`` across its range: the verdict and
    model value at each, and the intervals where the verdict changes."""
    return await answer(request, claims.flip, body.scenario, body.values, claim_id, body.key,
                         body.points)


# --------------------------------------------------------------------------- runs
@router.get("/runs", summary="Run folders")
def get_runs(request: Request) -> Any:
    """The run folders in the server's runs folder (``--runs``), newest first: id (the folder
    name), kind (stack, sweep, fleet-plan), time, whether it has a report."""
    return {"runs": _runs(request).listing()}


@router.get("/runs/{run_id}/why", summary="Why an activity started then")
async def get_why(
    request: Request, run_id: str,
    activity: Annotated[str, Query(min_length=1, max_length=MAX_ACTIVITY_CHARS,
                                   description="Activity index or label.")],
) -> Any:
    """For a fleet plan: why the activity started when it did (predecessor, robots,
    equipment, zone), as ``terawatt fleet explain PLAN ACTIVITY``."""
    return await answer(request, _runs(request).why, run_id, activity)


@router.get("/runs/{run_id:path}", summary="One run")
async def get_run(request: Request, run_id: str) -> Any:
    """One run by id: a stack run's summary and charts; a sweep's fan charts, crossover and
    Sobol' bars; a fleet plan's Gantt, resource profile, critical path and latest simulation."""
    return await answer(request, _runs(request).detail, run_id)
