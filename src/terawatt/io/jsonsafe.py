"""Strict JSON (RFC 8259) out of model results: NaN and infinities become ``null``.

Every JSON the project writes -- run folders, ``--json`` on stdout, the web API -- goes through
:func:`finite` and is dumped with ``allow_nan=False``, so a reader in any language parses it.
A value that can legitimately be infinite (the doubling time of a population that does not
grow) carries a ``*_note`` beside its ``null`` where it is produced.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from pathlib import Path
from typing import Any

import numpy as np


def finite(obj: Any) -> Any:
    """``obj`` as plain JSON types: dict keys as str, tuples and numpy arrays as lists, numpy
    scalars as Python numbers, paths as str, dates and times (also numpy datetime64 arrays and
    pandas timestamps) as ISO text, and every NaN or infinite float as None."""
    if isinstance(obj, dict):
        return {str(k): finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [finite(v) for v in obj]
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind == "M":
            return [str(v) for v in np.datetime_as_string(obj)]
        return finite(obj.tolist())
    if isinstance(obj, np.generic):
        return finite(obj.item())
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, _dt.date) or hasattr(obj, "isoformat"):  # also datetime, Timestamp
        return obj.isoformat()
    return obj


def dumps(obj: Any, indent: int | None = 2, compact: bool = False) -> str:
    """``obj`` as a strict JSON document (see :func:`finite`); ``compact``: no spaces."""
    return json.dumps(finite(obj), indent=None if compact else indent, allow_nan=False,
                      separators=(",", ":") if compact else None)
