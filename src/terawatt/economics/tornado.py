"""One-at-a-time sensitivity (tornado) of USD per million tokens, on the ground and in orbit.

Every ranged assumption the cost model reads is set to its low and to its high value while all
others stay central; all 2K + 1 cases are evaluated in ONE vectorised call of the cost model
(row 0 central, rows 2i+1 / 2i+2 = key i at low / high). Rows are sorted by the larger of the
two swings (orbit or ground).

References
----------
.. [1] A. Saltelli et al., *Global Sensitivity Analysis: The Primer*, Wiley, 2008, ch. 1
   (one-at-a-time designs and their limits).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from terawatt.assumptions import Registry
from terawatt.economics.service import cost_keys, cost_model

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class TornadoRow:
    key: str
    unit: str
    low: float
    high: float
    ground_low: float
    ground_high: float
    orbit_low: float
    orbit_high: float

    @property
    def swing(self) -> float:
        return max(abs(self.ground_high - self.ground_low), abs(self.orbit_high - self.orbit_low))


@dataclass(frozen=True)
class Tornado:
    """USD per million tokens in ``year``: central values and one row per ranged assumption."""

    year: float
    ground_central: float
    orbit_central: float
    rows: tuple[TornadoRow, ...]


def tornado(
    reg: Registry,
    year: float,
    *,
    launches_per_year: object = None,
    years: object = None,
    tokens_gain: object = None,
    top: int | None = None,
) -> Tornado:
    """Tornado of USD/Mtok (ground and orbit) in ``year`` over each ranged cost assumption.

    Parameters
    ----------
    reg : Registry
        Assumptions; the keys with a low/high range among :func:`cost_keys` are varied.
    year : float
        Calendar year of the launch price used.
    launches_per_year, years, tokens_gain : optional
        Launch cadence and throughput paths (e.g. from the stack run), as for
        :func:`cost_model`.
    top : int, optional
        Keep only the ``top`` rows with the largest swing.
    """
    keys = cost_keys()
    ranged = [k for k in keys if reg.get(k).has_range]
    n = 2 * len(ranged) + 1
    p = reg.sample(n, keys=keys)
    for i, k in enumerate(ranged):
        a = reg.get(k)
        p[k][2 * i + 1] = a.si_low
        p[k][2 * i + 2] = a.si_high
    model = cost_model(
        reg, p=p, years=years, launches_per_year=launches_per_year, tokens_gain=tokens_gain
    )  # type: ignore[arg-type]
    ground = model.usd_per_mtok(model.ground.delivered_usd_per_w_s, year)
    orbit = model.usd_per_mtok(model.orbit(year).delivered_usd_per_w_s, year)
    rows = [
        TornadoRow(
            k,
            reg.get(k).unit,
            *reg.low_high(k, reg.get(k).unit),
            float(ground[2 * i + 1]),
            float(ground[2 * i + 2]),
            float(orbit[2 * i + 1]),
            float(orbit[2 * i + 2]),
        )
        for i, k in enumerate(ranged)
    ]
    rows.sort(key=lambda r: r.swing, reverse=True)
    if top is not None:
        rows = rows[:top]
    return Tornado(year, float(ground[0]), float(orbit[0]), tuple(rows))
