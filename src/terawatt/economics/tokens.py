"""From cost per delivered watt to cost per million tokens of a reference model.

``USD/Mtok = (USD per W-second delivered) x (W per accelerator) / (tokens/s per accelerator)
x 1e6``. The reference model's throughput and the accelerator's IT power are sourced
assumption (``economics.reference_model.*``) and the physics layer
(:func:`terawatt.physics.datacenter.datacenter_power`); the same figures are used on the
ground and in orbit, so the ratio of the two costs does not depend on them.

References
----------
.. [1] Microsoft, "Azure's ND GB200 v6 delivers record performance for inference workloads",
   2025 (Llama 2 70B, 865,000 tokens/s on one GB200 NVL72).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]

TOKEN_KEYS: tuple[str, ...] = ("economics.reference_model.tokens_per_s_per_accelerator",)


def usd_per_million_tokens(
    delivered_usd_per_w_s: ArrayLike,
    power_per_accelerator_w: ArrayLike,
    tokens_per_s_per_accelerator: ArrayLike,
) -> FloatArray:
    """Cost of one million tokens.

    Parameters
    ----------
    delivered_usd_per_w_s : array_like
        Cost per W-second of delivered compute power [USD/(W*s)].
    power_per_accelerator_w : array_like
        IT power per accelerator [W].
    tokens_per_s_per_accelerator : array_like
        Throughput of the reference model per accelerator [token/s].

    Returns
    -------
    numpy.ndarray
        Cost [USD per 1e6 tokens].
    """
    usd_per_token = (
        np.asarray(delivered_usd_per_w_s, dtype=float)
        * np.asarray(power_per_accelerator_w, dtype=float)
        / np.asarray(tokens_per_s_per_accelerator, dtype=float)
    )
    return usd_per_token * 1e6
