"""Numba-compiled inner loops: time-indexed resource profile, serial and parallel SGS.

The resource profile is a time-indexed array ``free[t, r]`` of remaining capacity with a
block-maximum index (``bmax[b, r]`` >= max of ``free`` over block ``b`` of ``_B`` periods,
tightened lazily when a block is scanned in vain), so that the earliest-fit search skips
saturated stretches ``_B`` periods at a time; it grows by doubling, so the horizon need not be
known in advance.

References
----------
Kolisch, R. (1996). Serial and parallel resource-constrained project scheduling methods
revisited: Theory and computation. European Journal of Operational Research 90(2), 320-333.
https://doi.org/10.1016/0377-2217(95)00357-6
"""

from __future__ import annotations

import math

import numba
import numpy as np

_B = 32  # periods per block of the block-maximum index

# ruff: noqa: PLR0913


@numba.njit(cache=True, nogil=True)
def _new_profile(h: int, cap: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover
    nb = h // _B + 1
    h = nb * _B
    r = cap.shape[0]
    free = np.empty((h, r), np.int64)
    bmax = np.empty((nb, r), np.int64)
    for t in range(h):
        for k in range(r):
            free[t, k] = cap[k]
    for b in range(nb):
        for k in range(r):
            bmax[b, k] = cap[k]
    return free, bmax


@numba.njit(cache=True, nogil=True)
def _grow(free: np.ndarray, bmax: np.ndarray, need: int, cap: np.ndarray):  # pragma: no cover
    h = free.shape[0]
    while h < need:
        h *= 2
    nf, nbm = _new_profile(h, cap)
    nf[: free.shape[0]] = free
    nbm[: bmax.shape[0]] = bmax
    return nf, nbm


@numba.njit(cache=True, nogil=True)
def _next_free(free: np.ndarray, bmax: np.ndarray, t: int, r: int,
               q: int) -> int:  # pragma: no cover
    """Smallest tau >= t with free[tau, r] >= q (the profile's tail is always free).

    ``bmax`` is an upper bound of each block's free capacity, tightened lazily here: a block
    scanned in full without success gets its exact maximum, so later searches skip it.
    """
    h = free.shape[0]
    while t < h:
        b = t // _B
        if t % _B == 0:
            if bmax[b, r] < q:
                t += _B
                continue
            m = free[t, r]
            end = min(t + _B, h)
            for tau in range(t, end):
                v = free[tau, r]
                if v >= q:
                    return tau
                if v > m:
                    m = v
            bmax[b, r] = m
            t = end
            continue
        if free[t, r] >= q:
            return t
        t += 1
    return h


@numba.njit(cache=True, nogil=True)
def _fit(free, bmax, t0, d, rs, qs, nr):  # pragma: no cover
    """Earliest t >= t0 with free[tau, rs[k]] >= qs[k] for tau in [t, t + d), k < nr."""
    t = t0
    h = free.shape[0]
    while True:
        if t + d > h:
            return -1  # ran off the profile: the caller grows it and retries
        ok = True
        tau = t
        end = t + d
        while tau < end and ok:
            for k in range(nr):
                if free[tau, rs[k]] < qs[k]:
                    t = _next_free(free, bmax, tau + 1, rs[k], qs[k])
                    ok = False
                    break
            tau += 1
        if ok:
            return t


@numba.njit(cache=True, nogil=True)
def _fit_grow(free, bmax, cap, t0, d, rs, qs, nr):  # pragma: no cover
    """:func:`_fit`, growing the profile until the earliest fit lies inside it."""
    while True:
        t = _fit(free, bmax, t0, d, rs, qs, nr)
        if t >= 0:
            return t, free, bmax
        free, bmax = _grow(free, bmax, 2 * free.shape[0], cap)


@numba.njit(cache=True, nogil=True)
def _reserve(free, bmax, t, d, rs, qs, nr):  # pragma: no cover
    # free only decreases, so bmax stays a valid upper bound; _next_free tightens it lazily
    for k in range(nr):
        r = rs[k]
        q = qs[k]
        for tau in range(t, t + d):
            free[tau, r] -= q


@numba.njit(cache=True, nogil=True)
def crew_duration(w: float, c: int, e: float) -> int:  # pragma: no cover
    return int(math.ceil(w / float(c) ** e - 1e-9))


@numba.njit(cache=True, nogil=True)
def _base_demands(i, dem_ptr, dem_res, dem_q, crew_res, no_crew, rs, qs):  # pragma: no cover
    """Write activity ``i``'s demands into ``rs``/``qs``, leaving out the crew resource unless
    the activity has no crew (``no_crew``); returns how many were written."""
    nr = 0
    for k in range(dem_ptr[i], dem_ptr[i + 1]):
        if dem_res[k] != crew_res or no_crew:
            rs[nr] = dem_res[k]
            qs[nr] = dem_q[k]
            nr += 1
    return nr


@numba.njit(cache=True, nogil=True)
def _place_fixed(i, t, dur, work, cmax, crew_e, dem_ptr, dem_res, dem_q, crew_res, rs, qs,
                 free, bmax, cap):  # pragma: no cover
    """Reserve fixed activity ``i`` at time ``t`` with its largest crew; returns
    (duration, crew, free, bmax)."""
    c = cmax[i]
    d = dur[i] if c == 0 else crew_duration(work[i], c, crew_e)
    nr = _base_demands(i, dem_ptr, dem_res, dem_q, crew_res, c == 0, rs, qs)
    if c > 0:
        rs[nr] = crew_res
        qs[nr] = c
        nr += 1
    if t + d + 1 > free.shape[0]:
        free, bmax = _grow(free, bmax, t + d + 1, cap)
    if d > 0:
        _reserve(free, bmax, t, d, rs, qs, nr)
    return d, c, free, bmax


@numba.njit(cache=True, nogil=True)
def serial_sgs(
    order, dur, dem_ptr, dem_res, dem_q, cap,
    pred_ptr, pred_idx, pred_lag, release, fixed,
    work, cmin, cmax, crew_res, crew_e, ncand, h0,
):  # pragma: no cover
    """Serial schedule-generation scheme over a precedence-feasible activity list.

    Returns (starts, durations, crews, makespan).  Work-content activities (``cmax > 0``) try
    up to ``ncand`` crew sizes between ``cmin`` and ``cmax`` and keep the earliest finish
    (ties: the smaller crew).  Activities with ``fixed >= 0`` are placed first at that time.
    """
    n = order.shape[0]
    r = cap.shape[0]
    free, bmax = _new_profile(max(h0, 64), cap)
    start = np.full(n, -1, np.int64)
    d_out = dur.copy()
    c_out = np.zeros(n, np.int64)
    rs = np.empty(r + 1, np.int64)
    qs = np.empty(r + 1, np.int64)
    hi = 0
    # fixed activities first
    for i in range(n):
        if fixed[i] >= 0:
            d, c, free, bmax = _place_fixed(i, fixed[i], dur, work, cmax, crew_e, dem_ptr,
                                            dem_res, dem_q, crew_res, rs, qs, free, bmax, cap)
            start[i] = fixed[i]
            d_out[i] = d
            c_out[i] = c
            hi = max(hi, fixed[i] + d)
    for p in range(n):
        i = order[p]
        if fixed[i] >= 0:
            continue
        t0 = release[i]
        for k in range(pred_ptr[i], pred_ptr[i + 1]):
            j = pred_idx[k]
            v = start[j] + d_out[j] + pred_lag[k]
            if v > t0:
                t0 = v
        nr = _base_demands(i, dem_ptr, dem_res, dem_q, crew_res, cmax[i] == 0, rs, qs)
        if cmax[i] == 0:
            d = dur[i]
            need = max(hi, t0) + d + 1
            if need > free.shape[0]:
                free, bmax = _grow(free, bmax, need, cap)
            t = t0
            if d > 0:
                t, free, bmax = _fit_grow(free, bmax, cap, t0, d, rs, qs, nr)
            best_c = 0
        else:
            # candidate crews: geometric spread from cmax down to cmin
            best_f = -1
            best_c = cmax[i]
            t = t0
            d = dur[i]
            lo = cmin[i]
            hi_c = cmax[i]
            m = ncand if hi_c - lo + 1 > ncand else hi_c - lo + 1
            prev = -1
            for a in range(m):
                if m == 1:
                    c = hi_c
                else:
                    c = int(round(hi_c * (lo / hi_c) ** (a / (m - 1))))
                c = min(max(c, lo), hi_c)
                if c == prev:
                    continue
                prev = c
                dc = crew_duration(work[i], c, crew_e)
                need = max(hi, t0) + dc + 1
                if need > free.shape[0]:
                    free, bmax = _grow(free, bmax, need, cap)
                rs[nr] = crew_res
                qs[nr] = c
                tc = t0
                if dc > 0:
                    tc, free, bmax = _fit_grow(free, bmax, cap, t0, dc, rs, qs, nr + 1)
                if best_f < 0 or tc + dc < best_f or (tc + dc == best_f and c < best_c):
                    best_f = tc + dc
                    best_c = c
                    t = tc
                    d = dc
            rs[nr] = crew_res
            qs[nr] = best_c
            nr += 1
        if d > 0:
            _reserve(free, bmax, t, d, rs, qs, nr)
        start[i] = t
        d_out[i] = d
        c_out[i] = best_c
        if t + d > hi:
            hi = t + d
    return start, d_out, c_out, hi


@numba.njit(cache=True, nogil=True)
def _hpush(hk, hv, size, k, v):  # pragma: no cover
    i = size
    hk[i] = k
    hv[i] = v
    while i > 0:
        p = (i - 1) // 2
        if hk[p] > hk[i] or (hk[p] == hk[i] and hv[p] > hv[i]):
            hk[p], hk[i] = hk[i], hk[p]
            hv[p], hv[i] = hv[i], hv[p]
            i = p
        else:
            break
    return size + 1


@numba.njit(cache=True, nogil=True)
def _hpop(hk, hv, size):  # pragma: no cover
    k = hk[0]
    v = hv[0]
    size -= 1
    hk[0] = hk[size]
    hv[0] = hv[size]
    i = 0
    while True:
        a = 2 * i + 1
        b = a + 1
        m = i
        if a < size and (hk[a] < hk[m] or (hk[a] == hk[m] and hv[a] < hv[m])):
            m = a
        if b < size and (hk[b] < hk[m] or (hk[b] == hk[m] and hv[b] < hv[m])):
            m = b
        if m == i:
            break
        hk[m], hk[i] = hk[i], hk[m]
        hv[m], hv[i] = hv[i], hv[m]
        i = m
    return k, v, size


@numba.njit(cache=True, nogil=True)
def list_from_keys(keys, succ_ptr, succ_idx, npred):  # pragma: no cover
    """Precedence-feasible activity list: repeatedly take the eligible activity of least key."""
    n = keys.shape[0]
    cnt = npred.copy()
    hk = np.empty(n, np.float64)
    hv = np.empty(n, np.int64)
    size = 0
    for i in range(n):
        if cnt[i] == 0:
            size = _hpush(hk, hv, size, keys[i], i)
    out = np.empty(n, np.int64)
    p = 0
    while size > 0:
        _, i, size = _hpop(hk, hv, size)
        out[p] = i
        p += 1
        for k in range(succ_ptr[i], succ_ptr[i + 1]):
            j = succ_idx[k]
            cnt[j] -= 1
            if cnt[j] == 0:
                size = _hpush(hk, hv, size, keys[j], j)
    return out[:p]


@numba.njit(cache=True, nogil=True)
def seed_numba(seed: int) -> None:  # pragma: no cover
    np.random.seed(seed)


@numba.njit(cache=True, nogil=True)
def rbrs_list(pri, succ_ptr, succ_idx, npred, alpha):  # pragma: no cover
    """Regret-based biased random sampling (Drexl 1991) of an activity list.

    ``pri``: smaller is better (e.g. latest finish time).  Among eligible activities the
    probability of ``j`` is proportional to ``(max_E pri - pri_j + 1) ** alpha``.
    """
    n = pri.shape[0]
    cnt = npred.copy()
    elig = np.empty(n, np.int64)
    w = np.empty(n, np.float64)
    ne = 0
    for i in range(n):
        if cnt[i] == 0:
            elig[ne] = i
            ne += 1
    out = np.empty(n, np.int64)
    for p in range(n):
        mx = pri[elig[0]]
        for a in range(1, ne):
            if pri[elig[a]] > mx:
                mx = pri[elig[a]]
        tot = 0.0
        for a in range(ne):
            w[a] = (mx - pri[elig[a]] + 1.0) ** alpha
            tot += w[a]
        u = np.random.random() * tot
        a = 0
        acc = w[0]
        while acc < u and a < ne - 1:
            a += 1
            acc += w[a]
        i = elig[a]
        elig[a] = elig[ne - 1]
        ne -= 1
        out[p] = i
        for k in range(succ_ptr[i], succ_ptr[i + 1]):
            j = succ_idx[k]
            cnt[j] -= 1
            if cnt[j] == 0:
                elig[ne] = j
                ne += 1
    return out


@numba.njit(cache=True, nogil=True)
def crossover2(mother, father, q1, q2):  # pragma: no cover
    """Two-point crossover of activity lists (Hartmann 1998); the child stays feasible."""
    n = mother.shape[0]
    taken = np.zeros(n, np.bool_)
    child = np.empty(n, np.int64)
    p = 0
    for a in range(q1):
        child[p] = mother[a]
        taken[mother[a]] = True
        p += 1
    for a in range(n):
        if p >= q2:
            break
        if not taken[father[a]]:
            child[p] = father[a]
            taken[father[a]] = True
            p += 1
    for a in range(n):
        if not taken[mother[a]]:
            child[p] = mother[a]
            taken[mother[a]] = True
            p += 1
    return child


@numba.njit(cache=True, nogil=True)
def mutate(lst, pos_rank, succ_ptr, succ_idx, prob):  # pragma: no cover
    """Swap neighbours with probability ``prob`` unless the first precedes the second."""
    n = lst.shape[0]
    for a in range(n - 1):
        if np.random.random() < prob:
            i = lst[a]
            j = lst[a + 1]
            ok = True
            for k in range(succ_ptr[i], succ_ptr[i + 1]):
                if succ_idx[k] == j:
                    ok = False
                    break
            if ok:
                lst[a] = j
                lst[a + 1] = i
    return lst


@numba.njit(cache=True, nogil=True)
def parallel_sgs(
    keys, dur, dem_ptr, dem_res, dem_q, cap,
    pred_ptr, pred_idx, pred_lag, succ_ptr, succ_idx, succ_lag, release, fixed,
    work, cmin, cmax, crew_res, crew_e, h0,
):  # pragma: no cover
    """Parallel schedule-generation scheme (Kelley 1963; Kolisch 1996).

    At each decision time the eligible activities are started in order of least ``keys``
    while they fit for their whole duration.  Work-content activities take the largest crew
    that fits (at least ``cmin``).  Fixed activities are reserved first.
    Returns (starts, durations, crews, makespan).
    """
    n = keys.shape[0]
    r = cap.shape[0]
    free, bmax = _new_profile(max(h0, 64), cap)
    start = np.full(n, -1, np.int64)
    d_out = dur.copy()
    c_out = np.zeros(n, np.int64)
    es = release.copy()
    cnt = np.zeros(n, np.int64)
    for i in range(n):
        cnt[i] = pred_ptr[i + 1] - pred_ptr[i]
    rs = np.empty(r + 1, np.int64)
    qs = np.empty(r + 1, np.int64)
    hi = 0
    # pending heap keyed by earliest start, eligible heap keyed by priority
    pk = np.empty(n, np.float64)
    pv = np.empty(n, np.int64)
    ps = 0
    ek = np.empty(n, np.float64)
    ev = np.empty(n, np.int64)
    es_ = 0
    fk = np.empty(n, np.float64)  # finish-time heap (next decision points)
    fv = np.empty(n, np.int64)
    fs = 0
    back = np.empty(n, np.int64)
    for i in range(n):
        if fixed[i] >= 0:
            d, c, free, bmax = _place_fixed(i, fixed[i], dur, work, cmax, crew_e, dem_ptr,
                                            dem_res, dem_q, crew_res, rs, qs, free, bmax, cap)
            start[i] = fixed[i]
            d_out[i] = d
            c_out[i] = c
            hi = max(hi, fixed[i] + d)
            fs = _hpush(fk, fv, fs, float(fixed[i] + d), i)
    for i in range(n):
        if cnt[i] == 0:
            if fixed[i] >= 0:
                ps = _hpush(pk, pv, ps, -1.0, i)  # fixed: release successors at once
            else:
                ps = _hpush(pk, pv, ps, float(es[i]), i)
    done = 0
    t = 0
    while done < n:
        # move everything pending with es <= t into the eligible heap
        while ps > 0 and pk[0] <= t:
            _, i, ps = _hpop(pk, pv, ps)
            if fixed[i] >= 0:
                done += 1
                for k in range(succ_ptr[i], succ_ptr[i + 1]):
                    j = succ_idx[k]
                    v = start[i] + d_out[i] + succ_lag[k]
                    if v > es[j]:
                        es[j] = v
                    cnt[j] -= 1
                    if cnt[j] == 0:
                        ps = _hpush(pk, pv, ps, -1.0 if fixed[j] >= 0 else float(es[j]), j)
                continue
            es_ = _hpush(ek, ev, es_, keys[i], i)
        nb = 0
        while es_ > 0:
            _, i, es_ = _hpop(ek, ev, es_)
            nr = _base_demands(i, dem_ptr, dem_res, dem_q, crew_res, cmax[i] == 0, rs, qs)
            c = 0
            d = dur[i]
            if cmax[i] > 0:
                # largest crew that fits now for its own duration
                c = cmax[i]
                fitted = False
                while c >= cmin[i]:
                    d = crew_duration(work[i], c, crew_e)
                    if t + d + 1 > free.shape[0]:
                        free, bmax = _grow(free, bmax, t + d + 1, cap)
                    rs[nr] = crew_res
                    qs[nr] = c
                    if d == 0 or _fit(free, bmax, t, d, rs, qs, nr + 1) == t:
                        fitted = True
                        break
                    c -= 1 if c - cmin[i] < 8 else (c - cmin[i]) // 4
                if not fitted:
                    back[nb] = i
                    nb += 1
                    continue
                nr += 1
            else:
                if t + d + 1 > free.shape[0]:
                    free, bmax = _grow(free, bmax, t + d + 1, cap)
                if d > 0 and _fit(free, bmax, t, d, rs, qs, nr) != t:
                    back[nb] = i
                    nb += 1
                    continue
            if d > 0:
                _reserve(free, bmax, t, d, rs, qs, nr)
            start[i] = t
            d_out[i] = d
            c_out[i] = c
            done += 1
            if t + d > hi:
                hi = t + d
            fs = _hpush(fk, fv, fs, float(t + d), i)
            for k in range(succ_ptr[i], succ_ptr[i + 1]):
                j = succ_idx[k]
                v = t + d + succ_lag[k]
                if v > es[j]:
                    es[j] = v
                cnt[j] -= 1
                if cnt[j] == 0:
                    ps = _hpush(pk, pv, ps, -1.0 if fixed[j] >= 0 else float(es[j]), j)
        for a in range(nb):
            es_ = _hpush(ek, ev, es_, keys[back[a]], back[a])
        if done >= n:
            break
        # next decision time: next finish after t, or next pending release
        nt = -1
        while fs > 0 and fk[0] <= t:
            _, _, fs = _hpop(fk, fv, fs)
        if fs > 0:
            nt = int(fk[0])
        if ps > 0 and (nt < 0 or pk[0] < nt):
            nt = max(int(pk[0]), t + 1)
        if nt < 0 or nt <= t:
            nt = t + 1
        t = nt
    return start, d_out, c_out, hi
