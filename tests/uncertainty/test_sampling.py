"""One sampling code path: designs, distributions, seeds, errors, the registry delegating."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from terawatt.assumptions import load_assumptions
from terawatt.assumptions.loader import parse_assumption_file
from terawatt.assumptions.sampling import Marginal, draw
from terawatt.errors import UserError
from terawatt.uncertainty.sampling import sample

REG = load_assumptions("seed", [])


@pytest.mark.parametrize("method", ["random", "lhs"])
def test_every_ranged_key_within_range_and_same_seed_same_samples(method):
    a = sample(REG, 64, method=method, seed=3)
    b = sample(REG, 64, method=method, seed=3)
    assert a.keys == tuple(REG.ranged_keys())
    assert a.values_si.shape == (64, len(a.keys))
    np.testing.assert_array_equal(a.values_si, b.values_si)
    for j, k in enumerate(a.keys):
        x = REG.get(k)
        assert np.all(a.values_si[:, j] >= x.si_low - 1e-12 * abs(x.si_low))
        assert np.all(a.values_si[:, j] <= x.si_high + 1e-12 * abs(x.si_high))


def test_sobol_rows_are_n_times_k_plus_2_or_2k_plus_2():
    a = sample(REG, 8, method="sobol", seed=1, keys=REG.ranged_keys()[:3])
    assert a.rows == 8 * (3 + 2)
    b = sample(REG, 8, method="sobol", seed=1, keys=REG.ranged_keys()[:3], calc_second_order=True)
    assert b.rows == 8 * (2 * 3 + 2)


def test_lhs_has_one_point_per_stratum():
    s = draw(["a", "b"], [Marginal(0, 0.5, 1)] * 2, 50, method="lhs", seed=0)
    for j in range(2):
        assert sorted(np.floor(s.unit[:, j] * 50).astype(int)) == list(range(50))


@pytest.mark.parametrize(
    ("dist", "ref"),
    [("uniform", stats.uniform(1, 3)), ("triangular", stats.triang(0.25, loc=1, scale=4)),
     ("loguniform", stats.loguniform(1, 100))],
)
def test_distributions_match_scipy_kolmogorov_smirnov(dist, ref):
    high = {"uniform": 4.0, "triangular": 5.0, "loguniform": 100.0}[dist]
    s = draw(["x"], [Marginal(1.0, 2.0, high, dist)], 20_000, method="random", seed=5)
    assert stats.kstest(s.values_si[:, 0], ref.cdf).pvalue > 0.01


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [({"method": "grid"}, "sampling method 'grid' is unknown (allowed: random, lhs, sobol)"),
     ({"n": 0}, "allowed: an integer >= 1"),
     ({"n": 6, "method": "sobol"}, "allowed: a power of two")],
)
def test_bad_method_or_n_is_one_line_user_error(kwargs, text):
    args = {"n": 4, "method": "random", **kwargs}
    with pytest.raises(UserError, match=None) as exc:
        sample(REG, args["n"], method=args["method"], seed=0)
    assert text in str(exc.value) and "\n" not in str(exc.value)


def test_default_distribution_triangular_inside_uniform_on_edge():
    text = """
[a]
value = 2
low = 1
high = 4
unit = "m"
source = {title = "t", publisher = "p", year = 2020}
[b]
value = 1
low = 1
high = 4
unit = "m"
source = {title = "t", publisher = "p", year = 2020}
[c]
value = 2
low = 1
high = 4
unit = "m"
distribution = "loguniform"
source = {title = "t", publisher = "p", year = 2020}
"""
    a, b, c = parse_assumption_file("x.toml", text)
    assert (a.sampling_distribution, b.sampling_distribution, c.sampling_distribution) == (
        "triangular", "uniform", "loguniform")


def test_unknown_distribution_names_file_key_value_and_allowed():
    text = """
[a]
value = 2
low = 1
high = 4
unit = "m"
distribution = "gauss"
source = {title = "t", publisher = "p", year = 2020}
"""
    with pytest.raises(UserError) as exc:
        parse_assumption_file("x.toml", text)
    msg = str(exc.value)
    assert "\n" not in msg
    for part in ("x.toml", "'x.a'", "'gauss'", "uniform, triangular, loguniform"):
        assert part in msg


def test_loguniform_needs_positive_low():
    text = """
[a]
value = 2
low = 0
high = 4
unit = "m"
distribution = "loguniform"
source = {title = "t", publisher = "p", year = 2020}
"""
    with pytest.raises(UserError, match="loguniform' needs low > 0"):
        parse_assumption_file("x.toml", text)


def test_registry_sample_delegates_to_the_one_sampler():
    keys = REG.ranged_keys()[:5] + [k for k in REG.keys() if not REG.get(k).has_range][:2]
    p = REG.sample(100, np.random.default_rng(9), keys=keys, method="random")
    s = sample(REG, 100, method="random", rng=np.random.default_rng(9), keys=keys)
    for k in s.keys:
        np.testing.assert_array_equal(p[k], s.column(k))
    for k in keys[5:]:
        np.testing.assert_array_equal(p[k], REG.si(k))
    with pytest.raises(UserError, match="unknown"):
        REG.sample(3, np.random.default_rng(0), keys=keys, method="sobol")
