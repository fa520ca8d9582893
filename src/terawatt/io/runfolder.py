"""Run folders: ``runs/<time>-<scenario>/`` written atomically, and read back with checks.

Everything is written into a hidden temporary folder beside the target and renamed into place
only when the whole run succeeded, so an error or Ctrl-C never leaves a half-written result.

Reading a run folder back (:func:`read_json`, :func:`read_parquet`) checks every file on open:
present, parseable, the expected keys, columns and column types. Any damage is one
:class:`UserError` naming the file, the key or column, the value and what is allowed.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pydantic

from terawatt.assumptions import Registry
from terawatt.errors import UserError
from terawatt.io.jsonsafe import dumps


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(text).stem)[:60] or "run"


def write_json(path: Path, obj: Any) -> None:
    """Write ``obj`` as strict JSON (NaN and infinity become null, :mod:`.jsonsafe`)."""
    path.write_text(dumps(obj) + "\n", encoding="utf-8")


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


# --------------------------------------------------------------------------- reading back
M = TypeVar("M", bound=pydantic.BaseModel)

#: Column kinds of :func:`read_parquet` and how a refusal names them.
COLUMN_KINDS: dict[str, str] = {"int": "integer", "float": "floating point", "bool": "boolean",
                                "str": "string"}


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _missing(path: Path, fix: str) -> UserError:
    what = "a folder" if path.is_dir() else "missing"
    return UserError(f"{path}: {what}; allowed: {fix}")


def read_json(path: Path, fix: str, schema: type[M] | None = None) -> Any:
    """The JSON document in ``path``; with ``schema`` (a pydantic model) also validated.

    Refused with one :class:`UserError` naming the file (and the key and value) when it is
    missing, unreadable, not JSON, or does not match ``schema``; ``fix`` says what is allowed
    (e.g. how to make the file again). Returns the parsed document (not the model).
    """
    if not path.is_file():
        raise _missing(path, fix)
    try:
        text = path.read_text(encoding="utf-8")
        doc = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else (
            getattr(exc, "reason", None) or getattr(exc, "strerror", None) or type(exc).__name__)
        where = (f" at line {exc.lineno} column {exc.colno}"
                 if isinstance(exc, json.JSONDecodeError) else "")
        raise UserError(f"{path}: not readable as JSON ({reason}{where}); allowed: {fix}"
                        ) from None
    if schema is not None:
        if not isinstance(doc, dict):
            raise UserError(f"{path}: value {_short(doc)}; allowed: a JSON object ({fix})")
        try:
            schema.model_validate(doc)
        except pydantic.ValidationError as exc:
            err = exc.errors()[0]
            key = ".".join(str(k) for k in err["loc"]) or "(document)"
            if err["type"] == "missing":
                raise UserError(f"{path}: key '{key}' is missing; allowed: {fix}") from None
            raise UserError(f"{path}: key '{key}': value {_short(err['input'])}; allowed: "
                            f"{err['msg'][0].lower()}{err['msg'][1:]} ({fix})") from None
    return doc


def _kind_ok(kind: str, typ: Any) -> bool:
    import pyarrow as pa

    if kind == "int":
        return bool(pa.types.is_integer(typ))
    if kind == "float":
        return bool(pa.types.is_floating(typ))
    if kind == "bool":
        return bool(pa.types.is_boolean(typ))
    if pa.types.is_dictionary(typ):
        typ = typ.value_type
    return bool(pa.types.is_string(typ) or pa.types.is_large_string(typ))


def read_parquet(path: Path, columns: Mapping[str, str], fix: str) -> Any:
    """The Parquet table ``path`` as a pandas DataFrame of exactly ``columns`` (name -> kind,
    one of :data:`COLUMN_KINDS`), in that order.

    Refused with one :class:`UserError` naming the file when it is missing, not a readable
    Parquet file (truncated, foreign), lacks a column, has a column of another type or with
    missing values; ``fix`` says what is allowed. Extra columns are ignored.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not path.is_file():
        raise _missing(path, fix)
    try:
        table = pq.read_table(path)
        names = table.schema.names
    except (pa.ArrowException, OSError, ValueError, EOFError, MemoryError) as exc:
        reason = re.sub(r"^Could not open Parquet input source '.*?': ", "",
                        str(exc).split("\n")[0])[:160]
        raise UserError(f"{path}: not a readable Parquet file ({reason}); allowed: {fix}"
                        ) from None
    for name, kind in columns.items():
        if name not in names:
            raise UserError(f"{path}: column '{name}' is missing (has: {', '.join(names)}); "
                            f"allowed: columns {', '.join(columns)} ({fix})")
        typ = table.schema.field(name).type
        if not _kind_ok(kind, typ):
            raise UserError(f"{path}: column '{name}': type {typ}; allowed: {COLUMN_KINDS[kind]}"
                            f" ({fix})")
        nulls = table.column(name).null_count
        if nulls:
            raise UserError(f"{path}: column '{name}': {nulls:,} missing values; allowed: none "
                            f"({fix})")
    try:
        return table.select(list(columns)).to_pandas()
    except (pa.ArrowException, ValueError, TypeError, KeyError) as exc:
        raise UserError(f"{path}: not readable as a table ({type(exc).__name__}); allowed: "
                        f"{fix}") from None
