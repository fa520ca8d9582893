"""Per-sample loops of the demand-led chip allocation, compiled with numba.

The demand-led policies of :mod:`terawatt.stack.allocation` need some thirty element-wise
operations per step; written as numpy expressions they made the 100,000-sample benchmark
(``benchmarks/bench_stack.py``) about 15 % slower. Each function here is one pass over the
samples with the arithmetic written out as scalar formulas (the same formulas the docstrings
of :mod:`terawatt.stack.allocation` state), so a step costs one memory pass instead of thirty.
Inputs are 1-d float64 arrays of one length; results are new arrays.
"""

from __future__ import annotations

import signal

import numpy as np


def _import_numba():  # noqa: ANN202 - returns the module
    """``import numba`` with Ctrl-C held back until it is done.

    A Ctrl-C arriving while numba loads (and initialises LLVM) killed the process outright
    (exit -2, measured) instead of raising KeyboardInterrupt, so ``terawatt run`` could not
    report "interrupted" with exit 130. The signal is blocked during the import and
    delivered, as a KeyboardInterrupt, right after it (Windows has no signal mask).
    """
    if not hasattr(signal, "pthread_sigmask"):
        import numba  # noqa: PLC0415
        return numba
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        import numba  # noqa: PLC0415
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    return numba


numba = _import_numba()

# ruff: noqa: PLR0913


@numba.njit(cache=True, nogil=True)
def demand_kernel(pool_w: np.ndarray, cap_g: np.ndarray, waiting_w: np.ndarray,
                  solar_w: np.ndarray, launch_w: np.ndarray, sat_w: np.ndarray,
                  survival: np.ndarray, retire: np.ndarray, inventory_steps: np.ndarray,
                  robot_production: np.ndarray,
                  robot_chip_w: np.ndarray):  # pragma: no cover (compiled)
    """Room, take-up rates and chips worth making, per sample (see ``allocation.Demand``).

    Returns (stranded, ground room, orbit capacity, ground absorption, inventory limit, share
    of the waiting stock kept for orbit, deployable), each [W] per step except the share [-].
    """
    n = pool_w.shape[0]
    stranded = np.empty(n)
    room_g = np.empty(n)
    cap_o = np.empty(n)
    absorption = np.empty(n)
    limit = np.empty(n)
    share_o = np.empty(n)
    deployable = np.empty(n)
    for i in range(n):
        excess = pool_w[i] - cap_g[i]
        s = excess if excess > 0.0 else 0.0
        stranded[i] = s
        room_g[i] = s - excess                                 # max(cap_g - pool, 0)
        co = min(min(solar_w[i], launch_w[i]), sat_w[i]) / survival[i]
        cap_o[i] = co
        # ground take-up: the turnover of its capacity (a level: more supply never lowers it)
        ab = cap_g[i] * retire[i]
        absorption[i] = ab
        rate = co + ab
        lim = rate * inventory_steps[i]
        limit[i] = lim
        share_o[i] = co / rate if rate > 0.0 else 0.0
        free = co + room_g[i] + lim - waiting_w[i] - s
        deployable[i] = robot_production[i] * robot_chip_w[i] + (free if free > 0.0 else 0.0)
    return stranded, room_g, cap_o, absorption, limit, share_o, deployable


@numba.njit(cache=True, nogil=True)
def deploy_kernel(new_w: np.ndarray, claim: np.ndarray, waiting_w: np.ndarray,
                  waiting_flops: np.ndarray, pool_w: np.ndarray, pool_flops: np.ndarray,
                  stranded_w: np.ndarray, room_g: np.ndarray, cap_o: np.ndarray,
                  share_o: np.ndarray, flops_per_w: np.ndarray):  # pragma: no cover (compiled)
    """Deploy where usable, per sample (see ``allocation._deploy``).

    Returns (orbit's share of the stock [-], ground pool [W], its FLOP/s, chips offered to
    orbit [W], their FLOP/s).
    """
    n = new_w.shape[0]
    orbit_fraction = np.empty(n)
    pool_out = np.empty(n)
    pool_flops_out = np.empty(n)
    side_o_out = np.empty(n)
    side_o_flops = np.empty(n)
    for i in range(n):
        s = stranded_w[i]
        stock = waiting_w[i] + s + new_w[i]
        own_o = stock * claim[i]                           # orbit's first claim on the stock
        # orbit: its claim plus what the ground cannot install, up to its capacity
        spill_g = stock - own_o - room_g[i]
        installed_o = own_o + (spill_g if spill_g > 0.0 else 0.0)
        installed_o = installed_o if installed_o < cap_o[i] else cap_o[i]
        # what neither side can install waits, split so both queues clear together
        left = stock - cap_o[i] - room_g[i]
        left = left if left > 0.0 else 0.0
        side_o = installed_o + left * share_o[i]
        side_g = stock - side_o
        side_g = side_g if side_g > 0.0 else 0.0
        # the stock is mixed: stranded chips carry the ground pool's mean FLOP/s per W
        s_flops = pool_flops[i] * (s / pool_w[i]) if pool_w[i] > 0.0 else 0.0
        stock_flops = new_w[i] * flops_per_w[i] + waiting_flops[i] + s_flops
        mean = stock_flops / stock if stock > 0.0 else 0.0
        orbit_fraction[i] = side_o / stock if stock > 0.0 else 0.0
        pool_out[i] = (pool_w[i] - s) + side_g
        pool_flops_out[i] = (pool_flops[i] - s_flops) + side_g * mean
        side_o_out[i] = side_o
        side_o_flops[i] = side_o * mean
    return orbit_fraction, pool_out, pool_flops_out, side_o_out, side_o_flops
