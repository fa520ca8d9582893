"""Explanations: the critical path is a real chain and ends at the completion."""

from __future__ import annotations

import numpy as np

from terawatt.fleet.explain import critical_path, explain, utilisation, why_started


def test_critical_path_is_a_chain(small_data):
    cp = critical_path(small_data)
    assert cp[-1]["finish_h"] == small_data.col("finish_h").max()
    assert cp[0]["start_h"] == 0
    for a, b in zip(cp, cp[1:], strict=False):
        assert abs(a["finish_h"] - b["start_h"]) < 1e-9


def test_why_first_activity(small_data):
    i = int(np.argmin(small_data.col("start_h")))
    w = why_started(small_data, i)
    assert w["reasons"][0]["reason"] in ("project start", "waiting on predecessor")


def test_why_names_binding_predecessor(small_data):
    d = small_data
    for i in range(d.n):
        w = why_started(d, i)
        assert any(r.get("binding") for r in w["reasons"]), w


def test_utilisation_within_capacity(small_data):
    u = utilisation(small_data, bins=20)
    cols = [c for c in u.columns if c not in ("t0_h", "t1_h")]
    assert (u[cols].to_numpy() <= 1 + 1e-9).all() and (u[cols].to_numpy() >= 0).all()


def test_explain_dict(small_data):
    e = explain(small_data, 5)
    assert e["critical_path"]["length"] >= 2
    assert "robots" in e["utilisation"]
