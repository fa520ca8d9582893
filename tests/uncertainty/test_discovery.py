"""PRIM recovers a planted box (x0 < 0.3 and x1 > 0.6) from noisy labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from terawatt.errors import UserError
from terawatt.uncertainty.discovery import prim_boxes


def test_prim_recovers_planted_box():
    rng = np.random.default_rng(0)
    x = pd.DataFrame(rng.random((5000, 5)), columns=[f"x{i}" for i in range(5)])
    clean = ((x.x0 < 0.3) & (x.x1 > 0.6)).to_numpy()
    y = clean ^ (rng.random(5000) < 0.05)  # 5 % label noise
    # threshold 0.9: the planted box holds 95 % True under this noise; 0.8 admits boxes
    # too large by ~0.07 in x1
    (box,) = prim_boxes(x, y, threshold=0.9)
    assert set(box.limits) == {"x0", "x1"}
    assert abs(box.limits["x0"][1] - 0.3) <= 0.05
    assert abs(box.limits["x1"][0] - 0.6) <= 0.05
    inside = ((x.x0 >= box.limits["x0"][0]) & (x.x0 <= box.limits["x0"][1])
              & (x.x1 >= box.limits["x1"][0]) & (x.x1 <= box.limits["x1"][1])).to_numpy()
    # against the clean labels: coverage and density > 0.8
    assert clean[inside].mean() > 0.8
    assert inside[clean].mean() > 0.8
    # against the noisy labels PRIM sees: density > 0.8; coverage is capped near
    # 0.114 / 0.158 = 0.72 by the false positives outside the box
    assert box.density > 0.8
    assert 0.6 < box.coverage <= 0.75


def test_prim_refuses_non_bool_labels():
    x = pd.DataFrame({"a": [0.1, 0.2]})
    with pytest.raises(UserError, match="allowed: bool"):
        prim_boxes(x, np.array([0, 1]))
