"""The FastAPI application of ``terawatt serve``: pages, the JSON API and Plotly, all offline.

Pages (plain HTML + JavaScript in ``terawatt/web/static/``, each fetching the JSON API):

* ``/``: the scenario explorer (sliders on key assumptions, stack and cost charts, "save as
  scenario");
* ``/claims``: the claims audit, each row's inputs with a slider that re-evaluates the claim and
  shows where its verdict flips;
* ``/runs``: run folders under ``--runs`` (stack runs, sweeps, fleet plans);
* ``/api``: the API reference, rendered in the page from ``/openapi.json``.

Plotly is served from the installed ``plotly`` package (``/static/plotly.min.js``), so nothing
is fetched from a CDN. FastAPI's own ``/docs`` and ``/redoc`` pages load their JavaScript from a
CDN and are switched off; the OpenAPI document itself is at ``/openapi.json``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles

from terawatt import __version__
from terawatt.assumptions.loader import DEFAULT_SCENARIO
from terawatt.web import api, errors, explore, limits
from terawatt.web.runs import Runs

#: Seconds a browser may keep plotly.min.js (it changes only with the installed plotly).
PLOTLY_CACHE_S = 24 * 3600
#: Page path -> file in ``static/``.
PAGES = {"/": "index.html", "/claims": "claims.html", "/runs": "runs.html", "/api": "api.html"}

_DESCRIPTION = (
    "The JSON API of the terawatt web explorer: every page is built from these endpoints, so "
    "anything shown can be scripted. Model inputs are a packaged `scenario` and `values`, a "
    "map of assumption key to override read exactly as `--set KEY=VALUE` (a bare number is in "
    "the key's unit; text may carry a unit: `\"300 W/kg\"`). Errors are `{\"error\": \"one "
    "line\"}` with status 400 (refused by the models: unknown key, wrong unit, out of range), "
    f"404 (unknown run or claim), 413 (body over {limits.MAX_BODY_BYTES // 1024} KiB), 422 "
    "(request does not match the schema) or 503 (over the time limit of "
    f"{limits.REQUEST_TIME_LIMIT_S:g} s)."
)


def static_dir() -> Path:
    """The packaged ``static/`` folder (HTML, JavaScript, CSS)."""
    return Path(str(resources.files("terawatt.web") / "static"))


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _page(file: Path) -> Callable[[], FileResponse]:
    """An endpoint serving one fixed file; it takes no parameter, so no request can name
    another file."""

    def page() -> FileResponse:
        return FileResponse(file, media_type="text/html")

    return page


def create_app(runs_dir: Path | str = Path("runs")) -> FastAPI:
    """The application; ``runs_dir`` is the folder whose run folders the runs page lists."""
    pool = ThreadPoolExecutor(limits.MODEL_WORKERS, thread_name_prefix="terawatt-model")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # warm up in the background: imports, compiled kernels and the default scenario's
        # robot-factory plan (~1 s), so the first slider change is as fast as the next ones
        pool.submit(explore.explore, DEFAULT_SCENARIO, {}, None)
        yield
        pool.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(title="terawatt", version=__version__, description=_DESCRIPTION,
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json", lifespan=lifespan)
    app.state.runs = Runs(Path(runs_dir))
    app.state.model_pool = pool
    errors.install(app)
    app.add_middleware(errors.BodyLimit, max_bytes=limits.MAX_BODY_BYTES)
    app.include_router(api.router)
    folder = static_dir()

    for path, name in PAGES.items():
        app.add_api_route(path, _page(folder / name), methods=["GET"], include_in_schema=False,
                          response_class=FileResponse)

    @app.get("/runs/{run_id}/report.html", include_in_schema=False)
    def run_report(run_id: str) -> FileResponse:
        return FileResponse(app.state.runs.report(run_id), media_type="text/html")

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> Response:
        return Response(_plotly_js(), media_type="text/javascript",
                        headers={"Cache-Control": f"max-age={PLOTLY_CACHE_S}"})

    app.mount("/static", StaticFiles(directory=folder), name="static")
    return app
