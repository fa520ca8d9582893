"""Probability that each claim holds over a sweep's sampled inputs."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from terawatt.audit.claims import VERDICTS
from terawatt.uncertainty import claims_probability as cp


def test_wilson_matches_newcombe_1998_table_1():
    # Newcombe (1998), Statistics in Medicine 17:857-872, Table I: 81/263, score interval
    lo, hi = cp.wilson(81, 263)
    assert (round(lo, 4), round(hi, 4)) == (0.2553, 0.3662)


def test_wilson_edges():
    assert cp.wilson(0, 10)[0] == 0.0 and cp.wilson(10, 10)[1] == 1.0
    assert all(math.isnan(x) for x in cp.wilson(0, 0))


def test_verdict_names_follow_the_audit():
    assert cp.VERDICT_NAMES == VERDICTS


def test_claim_rows_take_the_a_matrix_of_a_saltelli_design():
    assert cp.claim_rows("sobol", 8, 3, 40, 4).tolist() == [0, 5, 10, 15]
    assert cp.claim_rows("sobol", 2, 3, 10, 4).tolist() == [0, 5]
    assert cp.claim_rows("random", 5, 3, 5, 3).tolist() == [0, 1, 2]


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    from typer.testing import CliRunner

    from terawatt.cli import app

    out = tmp_path_factory.mktemp("claims")
    args = ["sweep", "--samples", "8", "--method", "random", "--workers", "1",
            "--claims-samples", "3", "--out", str(out), "--json"]
    r = CliRunner().invoke(app, args, catch_exceptions=False)
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    return args, out / doc["folder"].rsplit("/", 1)[-1], doc


def test_claims_in_analysis(swept):
    _, folder, doc = swept
    claims = doc["analysis"]["claims"]
    assert len(claims) == 25 and {c["n"] for c in claims} == {3}
    for c in claims:
        assert set(c["shares"]) == set(VERDICTS)
        assert sum(c["shares"].values()) == pytest.approx(1.0)
        assert c["p_holds"] == c["shares"]["consistent"]
        assert c["p_holds_low"] <= c["p_holds"] <= c["p_holds_high"]
    assert json.loads((folder / "analysis.json").read_text())["claims"] == claims
    assert "Probability that each claim holds" in (folder / "report.html").read_text()
    import pyarrow.parquet as pq

    t = pq.read_table(folder / cp.VERDICTS_FILE)
    assert t.num_rows == 75 and sorted(set(t.column("sample").to_pylist())) == [0, 1, 2]
    assert set(t.column("verdict").to_pylist()) <= set(VERDICTS)


def test_resume_reuses_the_verdict_file(swept, cli):
    args, folder, doc = swept
    path = folder / cp.VERDICTS_FILE
    before = path.stat().st_mtime_ns
    again = cli(*args)
    assert again.exit_code == 0
    assert path.stat().st_mtime_ns == before
    assert json.loads(again.stdout)["analysis"]["claims"] == doc["analysis"]["claims"]


def test_sample_registry_keeps_range_and_source():
    from terawatt.assumptions import load_assumptions

    reg = load_assumptions("baseline", [])
    key = next(k for k in reg.ranged_keys())
    a = reg.get(key)
    v = np.array([a.high * a.si_factor * (1 + 1e-15)])  # round-off just above the range
    b = cp.sample_registry(reg, (key,), v, "test").get(key)
    assert b.value == a.high and (b.low, b.high) == (a.low, a.high) and b.source == a.source
