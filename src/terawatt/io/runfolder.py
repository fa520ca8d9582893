"""Run folders: ``runs/<time>-<scenario>/`` written atomically.

Everything is written into a hidden temporary folder beside the target and renamed into place
only when the whole run succeeded, so an error or Ctrl-C never leaves a half-written result.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from terawatt.assumptions import Registry


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(text).stem)[:60] or "run"


def _default(obj: Any) -> Any:
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def write_json(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, indent=2, default=_default, allow_nan=True) + "\n",
                    encoding="utf-8")


def registry_snapshot(reg: Registry) -> dict[str, Any]:
    """The resolved assumptions as a JSON-able dict (value, unit, range, source, origin)."""
    origin = {o.key: o.origin for o in reg.overrides}
    return {
        "scenario": reg.scenario,
        "scenario_chain": list(reg.scenario_chain),
        "assumptions": {
            k: {**reg.get(k).model_dump(exclude={"key"}), "overridden_by": origin.get(k)}
            for k in reg
        },
    }


@dataclass(frozen=True)
class RunFolder:
    """``path`` is where to write during the run; ``final`` is where it lands on success."""

    path: Path
    final: Path


@contextmanager
def run_folder(base: Path | str, label: str,
               now: _dt.datetime | None = None) -> Iterator[RunFolder]:
    """Yield a :class:`RunFolder`; on success its temporary ``path`` is renamed to ``final``
    (``base/<UTC time>-<label>``); on any error or Ctrl-C the temporary folder is removed."""
    base = Path(base)
    base.mkdir(parents=True, exist_ok=True)
    stamp = (now or _dt.datetime.now(_dt.UTC)).strftime("%Y%m%dT%H%M%S")
    final = base / f"{stamp}-{_slug(label)}"
    k = 1
    while final.exists():
        k += 1
        final = base / f"{stamp}-{_slug(label)}-{k}"
    tmp = Path(tempfile.mkdtemp(prefix=".partial-", dir=base))
    try:
        yield RunFolder(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    os.replace(tmp, final)
