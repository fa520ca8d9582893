"""Scenario discovery: which input ranges make an outcome of interest likely (PRIM).

:func:`prim_boxes` wraps the Patient Rule Induction Method of ``ema_workbench.analysis.prim``
(Friedman & Fisher 1999; Bryant & Lempert 2010): it peels the input space down to boxes where
the share of cases of interest (density) is high while keeping as many of them as possible
(coverage). From each box's peeling trajectory the point kept is the one with the highest
coverage among those whose density reaches ``threshold`` (the last point when none does).

References
----------
Friedman, J. H., Fisher, N. I. (1999). Bump hunting in high-dimensional data. Statistics and
Computing 9, 123-143. doi:10.1023/A:1008894516817
Bryant, B. P., Lempert, R. J. (2010). Thinking inside the box: a participatory,
computer-assisted approach to scenario discovery. Technol. Forecast. Soc. Change 77, 34-49.
doi:10.1016/j.techfore.2009.08.002
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from terawatt.errors import UserError

__all__ = ["PrimBox", "prim_boxes"]


@dataclass(frozen=True, slots=True)
class PrimBox:
    """One box: ``limits`` maps each restricted input to its (low, high) bounds (in the
    input's own unit); ``coverage``, ``density`` and ``mass`` are shares [-]."""

    limits: dict[str, tuple[float, float]]
    coverage: float
    density: float
    mass: float
    n_restricted: int


def _prim_module() -> Any:
    with warnings.catch_warnings():  # ema_workbench warns at import about optional extras
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim
    return prim


def prim_boxes(x: pd.DataFrame, y_bool: np.ndarray, *, threshold: float = 0.8,
               peel_alpha: float = 0.05, paste_alpha: float = 0.05, mass_min: float = 0.05,
               max_boxes: int = 1) -> list[PrimBox]:
    """Find up to ``max_boxes`` PRIM boxes of ``y_bool`` over the numeric inputs ``x``.

    Parameters
    ----------
    x : DataFrame (n, k)
        Inputs, one column per input [own units].
    y_bool : array (n,) of bool
        True where the outcome of interest happens.
    threshold : float
        Density a box must reach [-].
    peel_alpha, paste_alpha : float
        Share of cases peeled or pasted per step [-].
    mass_min : float
        Smallest share of all cases a box may hold [-].
    """
    y = np.asarray(y_bool)
    if y.ndim != 1 or y.shape[0] != len(x):
        raise UserError(f"y_bool has shape {y.shape}; allowed: one value per row of x "
                        f"({len(x)})")
    if y.dtype != bool:
        raise UserError(f"y_bool has dtype {y.dtype}; allowed: bool")
    if not y.any():
        raise UserError("y_bool has no True case; nothing to discover")
    if not 0 < threshold <= 1:
        raise UserError(f"threshold = {threshold}; allowed: 0 < threshold <= 1")
    prim = _prim_module()
    out: list[PrimBox] = []
    # ema_workbench 2.5 uses pandas API deprecated in pandas 3 (``drop(inplace=True)``): its
    # deprecation warnings are silenced here, and only here
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        warnings.filterwarnings("ignore", category=Warning, module=r"ema_workbench\..*")
        warnings.filterwarnings("ignore", message=r"The inplace keyword")
        finder = prim.Prim(x.reset_index(drop=True), y.astype(int), threshold=threshold,
                           peel_alpha=peel_alpha, paste_alpha=paste_alpha, mass_min=mass_min)
        for _ in range(max_boxes):
            box = finder.find_box()
            if box is None:
                break
            out.append(_chosen(finder, box, threshold))
    return out


def _chosen(finder: Any, box: Any, threshold: float) -> PrimBox:
    traj = box.peeling_trajectory
    ok = traj.index[traj["density"] >= threshold]
    i = int(traj.loc[ok, "coverage"].idxmax()) if len(ok) else int(traj.index[-1])
    box.select(i)
    lims = box.box_lims[i]
    full = finder.box_init
    limits = {str(c): (float(lims[c].iloc[0]), float(lims[c].iloc[1]))
              for c in lims.columns
              if (lims[c].iloc[0], lims[c].iloc[1]) != (full[c].iloc[0], full[c].iloc[1])}
    row = traj.loc[i]
    return PrimBox(limits, float(row["coverage"]), float(row["density"]), float(row["mass"]),
                   int(row["res_dim"]))
