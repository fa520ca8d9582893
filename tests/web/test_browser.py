"""The web explorer in a real browser: Debian's chromium (headless) driven by Selenium through
Debian's chromium-driver, against uvicorn serving the app in a background thread.

Nothing is downloaded: the driver is given by path, so Selenium Manager is never asked for one
(and ``SE_OFFLINE`` forbids it anyway); Plotly comes from the server. Screenshots are saved in
each test's ``tmp_path`` and their paths printed (``pytest -s`` shows them).
"""

from __future__ import annotations

import base64
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
#: Longest wait for a page to reach a state [s]; the claims audit takes ~4 s on a cold server.
WAIT_S = 60.0
#: Longest wait for uvicorn to start or stop [s].
SERVER_WAIT_S = 20.0
#: Browser window [px]: wide enough for the explorer's two columns.
WINDOW = "1400,1800"
#: Poll interval while waiting [s].
POLL_S = 0.1


def _missing() -> str | None:
    for path, pkg in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not path.exists():
            return (f"{path} is missing (Debian package {pkg}): install the browser tests' "
                    "browser with `apt-get install chromium chromium-driver`")
    return None


@pytest.fixture(scope="module")
def server(plan_runs: Path) -> Iterator[str]:
    """uvicorn serving the app on a free loopback port, in a thread; its base URL."""
    import uvicorn

    from terawatt.web.app import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(plan_runs), log_level="warning", ws="none",
                            lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    t0 = time.monotonic()
    while not srv.started:
        assert thread.is_alive() and time.monotonic() - t0 < SERVER_WAIT_S, "uvicorn did not start"
        time.sleep(POLL_S)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(SERVER_WAIT_S)
    sock.close()


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    """Headless chromium through chromium-driver, both Debian's (skip if not installed)."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={WINDOW}"):
        opts.add_argument(arg)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SE_OFFLINE", "true")  # Selenium Manager must never download a driver
        d = webdriver.Chrome(options=opts, service=Service(executable_path=str(CHROMEDRIVER)))
    d.set_script_timeout(WAIT_S)
    yield d
    d.quit()


def wait_for(d: Any, script: str, what: str) -> Any:
    """Poll ``script`` (a JS expression) until it is truthy; its value."""
    t0 = time.monotonic()
    while True:
        value = d.execute_script(f"return {script};")
        if value:
            return value
        if time.monotonic() - t0 > WAIT_S:
            err = d.execute_script("var e = document.getElementById('error');"
                                   "return e ? e.textContent : '';")
            raise AssertionError(f"timed out waiting for {what}; page error: {err!r}")
        time.sleep(POLL_S)


def shot(d: Any, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    assert d.save_screenshot(str(path))
    print(f"screenshot: {path}")  # noqa: T201 - the issue asks for the paths (pytest -s)
    return path


#: JS: the y data of the orbit trace of the compute chart (a list, or Plotly's typed-array
#: form {dtype, bdata} as the server sent it).
ORBIT = ("(function(){var g=document.getElementById('chart-compute');"
         "if(!g||!g.data)return null;var t=g.data.filter(function(t){return t.name==='orbit'})[0];"
         "return t?t.y:null;})()")


def orbit(d: Any) -> list[float] | None:
    """The compute chart's orbit series as the browser holds it in the Plotly div's data."""
    y = d.execute_script(f"return {ORBIT};")
    if isinstance(y, dict):
        return np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]).tolist()
    return y


def test_explorer_slider_changes_the_chart(server: str, driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    d = driver
    d.get(server + "/")
    wait_for(d, "window.twExplorer && window.twExplorer.updates >= 1", "the first charts")
    wait_for(d, ORBIT, "the compute chart's data")
    before = orbit(d)
    n = d.execute_script("return window.twExplorer.updates;")
    slider = d.find_element(By.CSS_SELECTOR,
                            '[data-key="launch.launches_per_year"] input[type=range]')
    slider.send_keys(Keys.END)  # the user drags the launch rate to the top of its range
    wait_for(d, f"window.twExplorer.updates > {n}", "the new chart data")
    t0 = time.monotonic()
    after = orbit(d)
    while after == before:  # the update that follows the last key event
        assert time.monotonic() - t0 < WAIT_S, "the chart did not change"
        time.sleep(POLL_S)
        after = orbit(d)
    assert d.execute_script("return window.twExplorer.values['launch.launches_per_year'];") \
        == float(slider.get_attribute("max"))
    assert after[-1] > before[-1]  # more launches, more compute in orbit (seed: launch binds)
    assert d.find_element(By.ID, "error").text == ""
    shot(d, tmp_path, "explorer")
    # a value in the wrong unit: one line on the page, the charts stay
    box = d.find_element(By.CSS_SELECTOR,
                         '[data-key="launch.payload_per_flight"] input[type=text]')
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("5 kg/s", Keys.ENTER)
    msg = wait_for(d, "document.getElementById('error').textContent.indexOf('wrong dimension')"
                   " >= 0 && document.getElementById('error').textContent", "the error line")
    assert "'launch.payload_per_flight'" in msg and "5 kg/s" in msg and "\n" not in msg
    assert "bad" in box.find_element(By.XPATH, "../..").get_attribute("class")
    assert orbit(d) == after
    shot(d, tmp_path, "explorer-error")


def test_claims_page_rows_and_a_verdict_flip(server: str, driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    d = driver
    d.get(server + "/claims")
    wait_for(d, "window.twClaims && window.twClaims.loaded", "the claims table")
    rows = d.find_elements(By.CSS_SELECTOR, "#claims tbody tr")
    assert len(rows) >= 25
    verdicts = {r.find_elements(By.TAG_NAME, "td")[4].text for r in rows}
    assert verdicts <= {"consistent", "inconsistent", "conditional", "input", "not-checkable"}
    d.find_element(By.CSS_SELECTOR, '#claim-C11 .key[data-key="datacenter.pue"]').click()
    wait_for(d, "window.twClaims.scans >= 1", "the verdict scan")
    assert d.execute_script("return document.getElementById('flip-chart').data.length;") == 1
    assert "flips" in d.find_element(By.ID, "flip-text").text
    shot(d, tmp_path, "claims")


def test_runs_page_opens_a_fleet_plan(server: str, driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    d = driver
    d.get(server + "/runs")
    link = wait_for(d, "document.querySelector('#runs tbody tr.clickable a')", "the run list")
    link.click()
    wait_for(d, "window.twRuns.kind === 'fleet-plan'", "the fleet plan")
    bars = d.execute_script("return document.getElementById('run-gantt').data.length;")
    assert bars >= 3  # one bar per construction phase
    assert d.execute_script("return document.getElementById('run-profile').data.length;") >= 1
    d.find_elements(By.CSS_SELECTOR, "#critical-path tr.clickable")[2].click()
    wait_for(d, "window.twRuns.whys >= 1", "the explanation")
    reasons = d.find_elements(By.CSS_SELECTOR, "#why-reasons li")
    assert reasons and any("predecessor" in r.text or "start" in r.text for r in reasons)
    shot(d, tmp_path, "fleet-plan")


def test_no_browser_download_configured() -> None:
    """The tests name Debian's binaries; a missing one skips with the install command."""
    reason = _missing()
    assert reason is None or "apt-get install chromium chromium-driver" in reason
    assert os.environ.get("SE_OFFLINE") in (None, "true")
