"""Run folders: ``runs/<time>-<scenario>/`` written atomically.

Everything is written into a hidden temporary folder beside the target and renamed into place
only when the whole run succeeded, so an error or Ctrl-C never leaves a half-written result.
"""

from __future__ import annotations

import contextlib
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
from terawatt.errors import UserError


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


def _cannot(base: Path, exc: OSError) -> UserError:
    reason = exc.strerror or type(exc).__name__
    return UserError(f"{base}: cannot write a run folder there ({reason}); "
                     "allowed: a writable folder (it is created if missing)")


def _reserve(base: Path, stem: str) -> Path:
    """Create and return an empty folder ``base/stem`` (or ``stem-2``, ``stem-3``, ...).
    ``mkdir`` is atomic, so two runs started in the same second never get the same name."""
    k = 1
    while True:
        final = base / (stem if k == 1 else f"{stem}-{k}")
        try:
            final.mkdir()
        except FileExistsError:
            k += 1
            continue
        except OSError as exc:
            raise _cannot(base, exc) from None
        return final


@contextmanager
def run_folder(base: Path | str, label: str,
               now: _dt.datetime | None = None) -> Iterator[RunFolder]:
    """Yield a :class:`RunFolder`; on success its temporary ``path`` is renamed to ``final``
    (``base/<UTC time>-<label>``); on any error or Ctrl-C both the temporary folder and the
    reserved final name are removed, so nothing half-written is left.

    The final name is reserved at the start as an empty folder (atomic ``mkdir``), so
    concurrent runs with the same ``base`` get distinct names and ``final`` can be recorded
    inside the run; the finished temporary folder then replaces the empty one in one
    ``rename`` (POSIX allows a rename onto an empty directory).
    """
    base = Path(base)
    try:
        base.mkdir(parents=True, exist_ok=True)
        if not base.is_dir():
            raise NotADirectoryError(20, "Not a directory")
    except OSError as exc:
        raise _cannot(base, exc) from None
    stamp = (now or _dt.datetime.now(_dt.UTC)).strftime("%Y%m%dT%H%M%S")
    final = _reserve(base, f"{stamp}-{_slug(label)}")
    try:
        tmp = Path(tempfile.mkdtemp(prefix=".partial-", dir=base))
    except OSError as exc:
        final.rmdir()
        raise _cannot(base, exc) from None
    try:
        yield RunFolder(tmp, final)
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        with contextlib.suppress(OSError):
            final.rmdir()  # only if still the empty reservation
        raise
