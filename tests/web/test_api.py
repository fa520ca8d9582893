"""The web explorer's JSON API: every endpoint returns what the models compute (the same
numbers as the service functions the CLI calls), and bad input is refused with a one-line JSON
error and a 4xx status while the server keeps serving."""

from __future__ import annotations

import base64
import json
import socket
import tomllib

import numpy as np
import pytest
from tests.conftest import refused

from terawatt.assumptions import load_assumptions
from terawatt.audit.claims import audit
from terawatt.cli.common import registry as cli_registry
from terawatt.economics.service import costs_summary
from terawatt.fleet.explain import explain_plan
from terawatt.robots.replication import run_stack_planned
from terawatt.web import limits

LAUNCHES = "launch.launches_per_year"


def one_line_error(r, status: int, *needles: str) -> str:
    """``r`` is ``{"error": "<one line>"}`` with ``status`` and every needle in the line."""
    assert r.status_code == status, (r.status_code, r.text)
    doc = r.json()
    assert set(doc) == {"error"}, doc
    msg = doc["error"]
    assert msg and "\n" not in msg and "Traceback" not in msg, msg
    for n in needles:
        assert n in msg, (n, msg)
    return msg


def values(y) -> np.ndarray:
    """A Plotly trace's data array: a list, or plotly's typed-array form {dtype, bdata}."""
    if isinstance(y, dict):
        return np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"])
    return np.asarray(y, dtype=float)


def orbit_gw(doc: dict) -> np.ndarray:
    return np.array([r["orbital_compute_w"] for r in doc["stack"]["years"]]) / 1e9


# ------------------------------------------------------------------------------- scenarios
def test_scenarios_and_assumptions(client):
    doc = client.get("/api/scenarios").json()
    names = [s["name"] for s in doc["scenarios"]]
    assert doc["default"] == "seed" and {"seed", "baseline", "history"} <= set(names)
    r = client.get("/api/assumptions", params={"scenario": "seed",
                                               "key": ["launch.payload_per_flight"]})
    (a,) = r.json()["assumptions"]
    ref = load_assumptions("seed").get("launch.payload_per_flight")
    assert (a["value"], a["unit"], a["low"], a["high"]) == (ref.value, ref.unit, ref.low,
                                                            ref.high)
    assert a["source"]["link"] == ref.source.link and a["featured"]
    assert (a["slider"]["lo"], a["slider"]["hi"]) == (ref.low, ref.high)
    every = client.get("/api/assumptions", params={"scenario": "baseline"}).json()
    assert len(every["assumptions"]) == len(load_assumptions("baseline"))


# ------------------------------------------------------------------------------- explorer
def test_explore_is_the_stack_run_and_costs_of_the_same_registry(client):
    r = client.post("/api/explore", json={"scenario": "seed", "values": {LAUNCHES: 20000}})
    assert r.status_code == 200, r.text
    doc = r.json()
    reg = load_assumptions("seed", [f"{LAUNCHES}=20000"])
    res = run_stack_planned(reg)
    for name in ("orbital_compute_w", "terrestrial_compute_w", "stranded_accelerators",
                 "robots"):
        np.testing.assert_allclose([y[name] for y in doc["stack"]["years"]],
                                   res.annual_median(name), rtol=1e-12)
    # the chart shows the same series (GW), from the report's own figure builder
    traces = {t["name"]: t for t in doc["figures"]["compute"]["data"]}
    np.testing.assert_allclose(values(traces["orbit"]["y"]),
                               res.annual_median("orbital_compute_w") / 1e9, rtol=1e-12)
    costs = costs_summary(reg, year=2029.0, stack=res)
    assert doc["costs"]["crossover_year"] == costs["crossover_year"]
    for got, want in zip(doc["costs"]["path"], costs["path"], strict=True):
        assert got["orbit_usd_per_w_yr"] == pytest.approx(want["orbit_usd_per_w_yr"], rel=1e-12)
    assert set(doc["figures"]) == {"compute", "bottleneck", "stranded", "robots", "cost_mtok",
                                   "cost_w_yr"}
    assert doc["overrides"] == [{"key": LAUNCHES, "requested": 20000, "value": 20000.0,
                                 "unit": "launch/yr", "low": 10000.0, "high": 30000.0}]


def test_more_launches_more_compute_in_orbit(client):
    """Seed: launch capacity binds the orbital sector, so a higher launch rate puts more
    compute in orbit (and a value with a unit reads like --set)."""
    base = orbit_gw(client.post("/api/explore", json={}).json())
    more = orbit_gw(client.post("/api/explore",
                                json={"values": {LAUNCHES: "30000 launch/yr"}}).json())
    less = orbit_gw(client.post("/api/explore", json={"values": {LAUNCHES: 5000}}).json())
    assert np.all(more >= base - 1e-9) and more[-1] > 1.2 * base[-1]
    assert np.all(less <= base + 1e-9) and less[-1] < base[-1]


def test_stack_samples_and_costs_year(client):
    r = client.post("/api/stack", json={"samples": 16, "seed": 3})
    doc = r.json()
    assert r.status_code == 200 and doc["n_samples"] == 16 and doc["seed"] == 3
    first = doc["years"][0]
    assert first["orbital_compute_w_p05"] <= first["orbital_compute_w"] <= \
        first["orbital_compute_w_p95"]
    c = client.post("/api/costs", json={"year": 2035}).json()
    assert c["tornado"]["year"] == 2035 and {b["year"] for b in c["break_evens"]} == {2035}
    assert set(c["figures"]) == {"cost_mtok", "cost_w_yr"}


def test_save_as_scenario_round_trips_through_the_cli_loader(client, tmp_path):
    values = {LAUNCHES: "20000 launch/yr", "satellite.array.specific_power": "300 W/kg",
              "launch.payload_per_flight": 150, "costs.power.grid_price": "0.1 USD/(kW*h)"}
    r = client.post("/api/scenario-toml", json={"scenario": "seed", "values": values,
                                                "name": "my-case",
                                                "description": 'two\nlines, "quoted"'})
    assert r.status_code == 200, r.text
    assert 'filename="my-case.toml"' in r.headers["content-disposition"]
    doc = tomllib.loads(r.text)
    assert doc["parent"] == "seed" and doc["description"] == 'two\nlines, "quoted"'
    path = tmp_path / "my-case.toml"
    path.write_text(r.text, encoding="utf-8")
    saved = cli_registry(str(path), None)  # what `terawatt run --scenario my-case.toml` loads
    direct = cli_registry("seed", [f"{k}={v}" for k, v in values.items()])
    assert saved.scenario == "my-case" and list(saved.scenario_chain) == ["baseline", "seed",
                                                                          "my-case"]
    for key in direct:
        a, b = saved.get(key), direct.get(key)
        assert (a.value, a.unit, a.low, a.high) == (b.value, b.unit, b.low, b.high), key
    # 300 W/kg lies above the published range: the range is dropped in both
    assert saved.get("satellite.array.specific_power").low is None


# ------------------------------------------------------------------------------- claims
def test_claims_table_is_the_audit(client):
    doc = client.post("/api/claims", json={"scenario": "seed"}).json()
    want = {r.spec.id: r.verdict for r in audit(load_assumptions("seed"))}
    assert {r["id"]: r["verdict"] for r in doc["claims"]} == want
    assert sum(doc["counts"].values()) == len(want)
    c11 = next(r for r in doc["claims"] if r["id"] == "C11")
    assert "datacenter.pue" in [a["key"] for a in c11["inputs"]]


def test_claim_slider_and_where_the_verdict_flips(client):
    """C11 (data-centre power of 110,000 GB300) is conditional on the PUE: the scan over the
    PUE's range finds the flip, and each scanned verdict is the audit's at that value."""
    r = client.post("/api/claims/C11/flip", json={"key": "datacenter.pue", "points": 5})
    doc = r.json()
    assert r.status_code == 200, r.text
    verdicts = [p["verdict"] for p in doc["points"]]
    assert len(verdicts) == 5 and doc["flips"], verdicts
    f = doc["flips"][0]
    assert f["between"][0] < f["between"][1] and f["from"] != f["to"]
    hi = doc["points"][-1]
    (want,) = audit(load_assumptions("seed", [f"datacenter.pue={hi['value']!r}"]), ids=["C11"])
    assert hi["verdict"] == want.verdict and hi["model_value"] == pytest.approx(want.model_value)
    one = client.post("/api/claims/C11", json={"values": {"datacenter.pue": hi["value"]}})
    assert one.json()["verdict"] == hi["verdict"]


# ------------------------------------------------------------------------------- runs
def test_runs_listing_and_details(client, runs_dir):
    runs = {r["kind"]: r for r in client.get("/api/runs").json()["runs"]}
    assert set(runs) == {"stack", "sweep", "fleet-plan"}
    stack = client.get(f"/api/runs/{runs['stack']['id']}").json()
    saved = json.loads((runs_dir / runs["stack"]["id"] / "summary.json").read_text())
    assert stack["summary"]["years"] == saved["years"]
    orbit = [t for t in stack["figures"]["compute"]["data"] if t["name"] == "orbit"][0]
    np.testing.assert_allclose(values(orbit["y"]),
                               [y["orbital_compute_w"] / 1e9 for y in saved["years"]])
    sweep = client.get(f"/api/runs/{runs['sweep']['id']}").json()
    assert sweep["finished"] and len(sweep["figures"]["sobol"]) == len(
        [o for o in sweep["analysis"]["sobol"]["outputs"].values() if "indices" in o]) > 0
    assert {"fan_compute", "fan_cost", "crossover"} <= set(sweep["figures"])
    plan_id = runs["fleet-plan"]["id"]
    plan = client.get(f"/api/runs/{plan_id}").json()
    ref = explain_plan(runs_dir / plan_id, "3")
    assert plan["critical_path"]["activities"] == ref["critical_path"]["activities"][
        :limits.MAX_CRITICAL_PATH_ROWS]
    assert len(plan["figures"]["gantt"]["data"]) == len(plan["phases"]) > 0
    why = client.get(f"/api/runs/{plan_id}/why", params={"activity": "3"}).json()
    assert why == json.loads(json.dumps(ref["activity"]))
    page = client.get(f"/runs/{plan_id}/report.html")
    assert page.status_code == 200 and "<html" in page.text[:200]


# ------------------------------------------------------------------------------- refusals
@pytest.mark.parametrize(("path", "body", "status", "needles"), [
    ("/api/explore", {"values": {"launch.payload": 5}}, 400,
     ["unknown assumption key 'launch.payload'", "did you mean 'launch.payload_per_flight'"]),
    ("/api/explore", {"values": {"launch.failure_rate": 1.5}}, 400,
     ["'launch.failure_rate'", "1.5", "outside the allowed range [0, 1]"]),
    ("/api/explore", {"values": {"launch.payload_per_flight": "5 kg/s"}}, 400,
     ["'launch.payload_per_flight'", "5 kg/s", "wrong dimension", "expected a quantity in t"]),
    ("/api/explore", {"values": {"launch.payload_per_flight": "10**3 t"}}, 400,
     ["'launch.payload_per_flight'", "arithmetic"]),
    ("/api/claims/C02", {"values": {"launch.payload_per_flight": "-5 t"}}, 400,
     ["'launch.payload_per_flight'", "-5 t", "outside the allowed range"]),
    ("/api/explore", {"values": {"launch.payload_per_flight": True}}, 422,
     ["values.launch.payload_per_flight", "True", "a number in the key's own unit"]),
    ("/api/explore", {"scenario": "../scenarios/seed.toml"}, 400,
     ["scenario", "../scenarios/seed.toml", "a packaged scenario"]),
    ("/api/explore", {"year": 2099}, 400, ["year: value 2099", "2026..2040"]),
    ("/api/stack", {"samples": 10**6}, 422,
     ["samples", "1000000", f"less than or equal to {limits.MAX_SAMPLES}"]),
    ("/api/stack", {"allocation": "random"}, 400, ["allocation", "deploy-where-usable"]),
    ("/api/explore", {"vaules": {}}, 422, ["vaules", "extra inputs are not permitted"]),
    ("/api/claims/C99", {}, 404, ["claim 'C99'", "C01..C25"]),
    ("/api/claims/C11/flip", {"key": "nope.key"}, 400, ["unknown assumption key 'nope.key'"]),
    ("/api/scenario-toml", {"name": "../evil"}, 422, ["body.name", "'../evil'", "pattern"]),
])
def test_bad_input_is_one_line_4xx(client, path, body, status, needles):
    one_line_error(client.post(path, json=body), status, *needles)


def test_malformed_and_oversized_bodies(client):
    one_line_error(client.post("/api/explore", content=b"{bad",
                               headers={"Content-Type": "application/json"}),
                   422, "not valid JSON")
    big = json.dumps({"values": {f"k{i}": "x" * 100 for i in range(1000)}}).encode()
    assert len(big) > limits.MAX_BODY_BYTES
    one_line_error(client.post("/api/explore", content=big,
                               headers={"Content-Type": "application/json"}), 413, "65,536 bytes")
    # a body without Content-Length (chunked) is counted while it is read
    chunks = (b" " * 4096 for _ in range(limits.MAX_BODY_BYTES // 4096 + 2))
    one_line_error(client.post("/api/explore", content=chunks,
                               headers={"Content-Type": "application/json"}), 413)
    one_line_error(client.put("/api/explore"), 405, "allowed: POST")
    one_line_error(client.get("/no/such/page"), 404, "no such page")


@pytest.mark.parametrize(("run_id", "status"), [
    ("%2E%2E", 400), ("..%2F..%2Fetc%2Fpasswd", 400), ("%2Fetc%2Fpasswd", 400), ("a%2Fb", 400),
    (".partial-x", 400), ("run%00x", 400), ("nope", 404), ("20990101T000000-seed", 404),
])
def test_run_ids_are_looked_up_never_joined(client, run_id, status):
    one_line_error(client.get(f"/api/runs/{run_id}"), status, "run")
    one_line_error(client.get(f"/api/runs/{run_id}/why", params={"activity": "0"}),
                   status if "%2F" not in run_id else 400)


def test_why_refusals(client):
    runs = {r["kind"]: r["id"] for r in client.get("/api/runs").json()["runs"]}
    one_line_error(client.get(f"/api/runs/{runs['fleet-plan']}/why",
                              params={"activity": "no/such_kind"}), 400, "allowed")
    one_line_error(client.get(f"/api/runs/{runs['stack']}/why", params={"activity": "0"}),
                   400, "not a fleet plan")
    one_line_error(client.get("/runs/nope/report.html"), 404, "'nope'")


def test_server_keeps_serving_after_errors_and_limits(client, monkeypatch):
    for _ in range(3):
        one_line_error(client.post("/api/explore", json={"values": {"x.y": 1}}), 400)
    monkeypatch.setattr(limits, "REQUEST_TIME_LIMIT_S", 1e-4)
    one_line_error(client.post("/api/claims/C03", json={"values": {LAUNCHES: 12345}}), 503,
                   "took longer than")
    monkeypatch.undo()
    r = client.post("/api/explore", json={"values": {LAUNCHES: 15000}})
    assert r.status_code == 200 and r.json()["stack"]["years"]


def test_internal_error_is_one_line_500(runs_dir):
    from fastapi.testclient import TestClient

    from terawatt.web.app import create_app

    app = create_app(runs_dir)

    def boom() -> None:
        raise RuntimeError("secret\ninternal detail")

    app.add_api_route("/boom", boom)
    msg = one_line_error(TestClient(app, raise_server_exceptions=False).get("/boom"), 500,
                         "internal error (RuntimeError)")
    assert "secret" not in msg


# ------------------------------------------------------------------------------- offline
def test_pages_load_plotly_from_the_server_not_a_cdn(client):
    from plotly.offline import get_plotlyjs

    for page in ("/", "/claims", "/runs", "/api"):
        html = client.get(page).text
        assert '<script src="/static/plotly.min.js">' in html or page == "/api"
        assert 'src="http' not in html and "cdn" not in html.lower()
    js = client.get("/static/plotly.min.js")
    assert js.status_code == 200 and js.text == get_plotlyjs()
    spec = client.get("/openapi.json").json()
    assert {"/api/explore", "/api/claims/{claim_id}/flip", "/api/runs/{run_id}/why"} <= set(
        spec["paths"])
    assert client.get("/docs").status_code == 404  # FastAPI's page would load a CDN


def test_pages_serve_only_their_own_file(client):
    """A page takes no parameter: no query or path names another file."""
    index = client.get("/").text
    for q in ({"name": "../app.py"}, {"file": "../app.py"}, {"path": "/etc/passwd"}):
        assert client.get("/", params=q).text == index
    for path in ("/static/%2E%2E/app.py", "/static/..%2Fapp.py", "/static/../app.py"):
        r = client.get(path)
        assert r.status_code == 404 and "FastAPI" not in r.text, path


# ------------------------------------------------------------------------------- CLI
def test_serve_refuses_bad_options(tmp_path):
    refused(["serve", "--port", "0"], "--port", "allowed")
    (tmp_path / "file").write_text("x")
    refused(["serve", "--runs", str(tmp_path / "file")], "--runs", "is a file")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        refused(["serve", "--port", str(port)], f"--port: value {port}", "cannot listen")
