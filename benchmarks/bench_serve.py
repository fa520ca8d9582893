"""Benchmark: ``terawatt serve``, from a slider change to the new chart data, vs the CLI.

Starts the web app on uvicorn (a real server on a free loopback port, in a thread of this
process) and times, for the central case of a scenario, each "slider change": one POST of
``/api/explore`` with one assumption changed (a new value each time, so nothing is served from
a cache) until the whole response (stack series, costs and every chart as Plotly JSON) has
been received and parsed. The first request, which pays for imports, compiled kernels and the
robot-factory plan, is reported apart. The baseline is the CLI on the same change measured in
the same run: ``terawatt run --no-save --set KEY=VALUE`` as a subprocess (start-up, imports,
factory plan, stack run and table). Target (issue 15): < 300 ms per slider change.

Run:  python benchmarks/bench_serve.py [--repeat 20] [--cli-repeat 3] [--key KEY]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any

#: Target of issue 15 for a slider change of the central scenario [s].
TARGET_S = 0.300
#: Longest wait for uvicorn to start [s].
START_WAIT_S = 30.0


def start_server(runs: str) -> tuple[Any, threading.Thread, int]:
    import uvicorn

    from terawatt.web.app import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # lifespan off: no background warm-up, so the first request's cost is measured here
    server = uvicorn.Server(uvicorn.Config(create_app(runs), log_level="warning", ws="none",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    t0 = time.monotonic()
    while not server.started:
        if time.monotonic() - t0 > START_WAIT_S:
            raise SystemExit("uvicorn did not start")
        time.sleep(0.05)
    return server, thread, port


def slider_change(port: int, scenario: str, key: str, value: float) -> tuple[float, dict]:
    """POST one change, read and parse the whole answer: (seconds, document)."""
    body = json.dumps({"scenario": scenario, "values": {key: value}})
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("POST", "/api/explore", body, {"Content-Type": "application/json"})
    resp = conn.getresponse()
    raw = resp.read()
    doc = json.loads(raw)
    dt = time.perf_counter() - t0
    conn.close()
    if resp.status != 200:
        raise SystemExit(f"{key}={value}: HTTP {resp.status}: {doc}")
    return dt, doc


def cli_run(scenario: str, key: str, value: float) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "terawatt", "run", "--no-save", "--scenario", scenario,
                    "--set", f"{key}={value:g}"], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="seed")
    ap.add_argument("--key", default="launch.launches_per_year")
    ap.add_argument("--repeat", type=int, default=20, help="slider changes timed")
    ap.add_argument("--cli-repeat", type=int, default=3, help="CLI runs timed")
    a = ap.parse_args()

    from terawatt.assumptions import load_assumptions

    reg = load_assumptions(a.scenario)
    asm = reg.get(a.key)
    lo, hi = (asm.low, asm.high) if asm.has_range else (asm.value / 2, asm.value * 2)
    values = [lo + (hi - lo) * (i + 1) / (a.repeat + 2) for i in range(a.repeat + 1)]

    with tempfile.TemporaryDirectory() as runs:
        server, thread, port = start_server(runs)
        try:
            first, _ = slider_change(port, a.scenario, a.key, values[0])
            times, model_ms = [], []
            for v in values[1:]:
                dt, doc = slider_change(port, a.scenario, a.key, v)
                times.append(dt)
                model_ms.append(doc["timing_ms"])
        finally:
            server.should_exit = True
            thread.join(START_WAIT_S)
    cli = [cli_run(a.scenario, a.key, v) for v in values[:a.cli_repeat]]

    med, best = statistics.median(times), min(times)
    p95 = sorted(times)[max(0, int(round(0.95 * len(times))) - 1)]
    cli_med = statistics.median(cli)
    part = {k: statistics.median(m[k] for m in model_ms) for k in ("stack", "model", "total")}
    print(f"terawatt serve, scenario {a.scenario}: slider change of {a.key} "
          f"({a.repeat} changes over {lo:g}..{hi:g} {asm.unit}), POST /api/explore on uvicorn")
    print(f"  first request (imports, kernels, factory plan): {first * 1000:8.0f} ms")
    print(f"  slider change -> new chart data, median:      {med * 1000:8.0f} ms   "
          f"target < {TARGET_S * 1000:.0f} ms {'(met)' if med < TARGET_S else '(MISSED)'}")
    print(f"  best / p95:                                   {best * 1000:8.0f} / "
          f"{p95 * 1000:.0f} ms")
    print(f"  of which on the server (median): stack run {part['stack']:.0f} ms, + costs "
          f"{part['model'] - part['stack']:.0f} ms, + charts {part['total'] - part['model']:.0f}"
          " ms")
    print(f"  CLI `terawatt run --no-save --set {a.key}=V`, median of {len(cli)}: "
          f"{cli_med * 1000:8.0f} ms")
    print(f"  ratio CLI / web:                              {cli_med / med:8.1f} x")
    print(f"  ({os.cpu_count()} CPU(s); load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
