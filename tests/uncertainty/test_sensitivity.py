"""Sobol' indices on functions with analytic answers (Saltelli et al. 2008, The Primer).

Each analytic index must lie within 2x the bootstrap 95 % half-width of its estimate
(N = 2^12 base points, seeded): the CI is widened 2x because the bootstrap interval of the
Saltelli/Jansen estimators is itself estimated and is known to be slightly optimistic.
"""

from __future__ import annotations

import numpy as np
import pytest

from terawatt.assumptions.sampling import Marginal, draw
from terawatt.errors import UserError
from terawatt.uncertainty.sensitivity import sobol_convergence, sobol_indices

N = 2**12
WIDEN = 2.0

# Ishigami & Homma (1990), a = 7, b = 0.1; values from Saltelli et al. (2008), sec. 4.4.
ISHIGAMI_S1 = np.array([0.3139, 0.4424, 0.0])
ISHIGAMI_ST = np.array([0.5576, 0.4424, 0.2437])
SOBOL_G_A = np.array([0, 1, 4.5, 9, 99, 99, 99, 99])


def ishigami(x, a=7.0, b=0.1):
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def sobol_g(x, a=SOBOL_G_A):
    return np.prod((np.abs(4 * x - 2) + a) / (1 + a), axis=1)


def sobol_g_analytic(a=SOBOL_G_A):
    """V_i = 1 / (3 (1 + a_i)^2); V = prod(1 + V_i) - 1; S_i = V_i / V;
    S_Ti = V_i prod_{j != i}(1 + V_j) / V (Saltelli et al. 2008, sec. 3.6)."""
    v = 1 / (3 * (1 + a) ** 2)
    total = np.prod(1 + v) - 1
    st = np.array([v[i] * np.prod(np.delete(1 + v, i)) for i in range(len(a))]) / total
    return v / total, st


def _check(res, s1, st):
    assert np.all(np.abs(res.s1 - s1) <= WIDEN * res.s1_conf), (res.s1, s1, res.s1_conf)
    assert np.all(np.abs(res.st - st) <= WIDEN * res.st_conf), (res.st, st, res.st_conf)


def test_ishigami_indices_within_ci():
    s = draw(["x1", "x2", "x3"], [Marginal(-np.pi, 0.0, np.pi)] * 3, N, method="sobol", seed=1)
    _check(sobol_indices(s, ishigami(s.values_si), seed=2), ISHIGAMI_S1, ISHIGAMI_ST)


def test_sobol_g_indices_within_ci():
    names = [f"x{i}" for i in range(len(SOBOL_G_A))]
    s = draw(names, [Marginal(0.0, 0.5, 1.0)] * len(names), N, method="sobol", seed=3)
    s1, st = sobol_g_analytic()
    _check(sobol_indices(s, sobol_g(s.values_si), seed=4), s1, st)


def test_second_order_and_convergence_narrow_the_ci():
    s = draw(["x1", "x2", "x3"], [Marginal(-np.pi, 0.0, np.pi)] * 3, 2**10, method="sobol",
             seed=5, calc_second_order=True)
    y = ishigami(s.values_si)
    steps = sobol_convergence(s, y, start=2**8, seed=6)
    assert [r.n_base for r in steps] == [256, 512, 1024]
    assert steps[-1].st_conf.mean() < steps[0].st_conf.mean()
    # S13 = ST1 - S1 = 0.2437 (x1 and x3 interact only with each other)
    assert steps[-1].s2 is not None
    assert abs(steps[-1].s2[0, 2] - 0.2437) <= WIDEN * steps[-1].s2_conf[0, 2] + 0.02


def test_needs_a_sobol_sample_and_matching_output():
    s = draw(["x"], [Marginal(0.0, 0.5, 1.0)], 8, method="random", seed=0)
    with pytest.raises(UserError, match="'sobol' sample"):
        sobol_indices(s, np.zeros(8))
    s = draw(["x", "y"], [Marginal(0.0, 0.5, 1.0)] * 2, 8, method="sobol", seed=0)
    with pytest.raises(UserError, match="32 rows"):
        sobol_indices(s, np.zeros(7))
