"""Checks of command-line values, and one-line messages for Click/Typer usage errors.

Every command checks its numeric options here *before* it loads a model or creates a file, so a
bad value ends with one line on stderr (``error: OPTION: value V; allowed: ...``) and exit code 2,
never a traceback or a half-written run folder. Type errors found by Typer itself (``--samples
abc``, a missing argument, an unknown option) are turned into the same kind of line by
:func:`usage_error_line`, called from the Typer group in :mod:`terawatt.cli.commands`.
"""

from __future__ import annotations

import math
import os
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from terawatt.errors import UserError

#: Largest ``--seed`` [-]. Consumers: ``numpy.random.default_rng`` (SeedSequence takes any
#: integer >= 0) and CP-SAT's ``random_seed`` (a signed 32-bit integer, so at most 2**31 - 1;
#: a larger value is a TypeError in the ortools binding). The strictest common range is used by
#: every command, so a seed that works in one works in all.
SEED_MAX = 2**31 - 1
SEED_ALLOWED = (f"a whole number 0..{SEED_MAX} (2**31 - 1: CP-SAT's random_seed is a signed "
                "32-bit integer; numpy takes any value >= 0)")

#: Typer vendors Click (``typer._click``, private): reach its exception classes through the
#: public ``typer.BadParameter`` (a ``UsageError``, itself a ``ClickException``): every usage
#: error is a ``ClickException``.
_CLICK = {c.__name__: c for c in typer.BadParameter.__mro__}
ClickException: type[Exception] = _CLICK["ClickException"]

#: Pydantic error types (Typer converts values with pydantic) -> what the value is not.
_NOT_A = {
    "int_parsing": "a valid integer", "int_from_float": "a valid integer",
    "int_type": "a valid integer", "float_parsing": "a valid number",
    "float_type": "a valid number", "bool_parsing": "a valid boolean (true/false)",
    "finite_number": "a finite number",
}


def seed(value: int, option: str = "--seed") -> int:
    """``value`` if it is a valid seed for every consumer (see :data:`SEED_MAX`)."""
    if not 0 <= value <= SEED_MAX:
        raise UserError(f"{option}: value {value}; allowed: {SEED_ALLOWED}")
    return value


def int_range(option: str, value: int, lo: int, hi: int | None = None, why: str = "") -> int:
    """``value`` if ``lo <= value <= hi`` (``hi`` None: no upper bound)."""
    if value < lo or (hi is not None and value > hi):
        allowed = f"a whole number >= {lo:,}" if hi is None else f"a whole number {lo:,}..{hi:,}"
        raise UserError(f"{option}: value {value:,}; allowed: {allowed}"
                        + (f" ({why})" if why else ""))
    return value


def positive_seconds(option: str, value: float) -> float:
    """A finite duration > 0 [s] (time limits): NaN, inf, zero and negatives are refused."""
    if not (math.isfinite(value) and value > 0):
        raise UserError(f"{option}: value {value!r} s; allowed: a finite number of seconds > 0")
    return value


#: Largest ``--workers`` on a machine with fewer CPUs [thread]: each CP-SAT worker is a thread
#: with its own copy of the search state; above the CPU count they only take turns, but a
#: portfolio of a few dozen may still be worth trying on a small machine.
WORKERS_MAX = 64


def workers(value: int, option: str = "--workers") -> int:
    """CP-SAT worker threads: 1 .. max(:data:`WORKERS_MAX`, the CPU count)."""
    cpus = os.cpu_count() or 1
    return int_range(option, value, 1, max(WORKERS_MAX, cpus),
                     f"{WORKERS_MAX} or the CPU count if larger, here {cpus}: each CP-SAT "
                     "worker is a thread with its own search state")


def year(value: float, first: int, last: int, where: str, option: str = "--year") -> int:
    """A whole calendar year within the model's horizon ``first..last`` (from ``where``);
    NaN, inf and fractions are refused."""
    if not (math.isfinite(value) and value == int(value) and first <= value <= last):
        shown = f"{int(value)}" if math.isfinite(value) and value == int(value) else f"{value!r}"
        raise UserError(f"{option}: value {shown}; allowed: a whole year {first}..{last} "
                        f"({where})")
    return int(value)


def human_bytes(n: float) -> str:
    """``1.5 GiB``-style size (binary prefixes)."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024 or unit == "PiB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


# --------------------------------------------------------------------------- usage errors
def _name_command(exc: Exception, ctx: Any) -> None:
    if getattr(exc, "ctx", None) is None:  # the option parser leaves it out
        exc.ctx = ctx  # type: ignore[attr-defined]


class _NamesCommand:
    """Mixin: usage errors raised while parsing know their command (for the one-line
    message)."""

    def parse_args(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc]
        except ClickException as exc:
            _name_command(exc, ctx)
            raise


class Command(_NamesCommand, TyperCommand):
    """A Typer command whose usage errors know their command (for the one-line message)."""


class Group(_NamesCommand, TyperGroup):
    """A Typer group whose usage errors know their command (for the one-line message)."""


def _name(param: Any) -> str:
    if param is None:
        return ""
    if getattr(param, "param_type_name", "") == "argument":
        return str(param.metavar or param.name.upper())
    opts = list(param.opts)
    longs = [o for o in opts if o.startswith("--")]
    return (longs or opts or [param.name])[0]


def _lower_first(msg: str) -> str:
    return msg[0].lower() + msg[1:] if len(msg) > 1 and msg[1].islower() else msg


def usage_error_line(exc: Exception) -> str:
    """One line for a Click/Typer usage error (no usage box): the option, the value, why."""
    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else "terawatt"
    see = f"; see '{path} --help'"
    param = getattr(exc, "param", None)
    kind = type(exc).__name__
    if kind == "MissingParameter":
        msg = f"{path}: {_lower_first(exc.format_message().rstrip('.'))}{see}"  # type: ignore[attr-defined]
    elif kind == "BadParameter" and param is not None:
        cause = exc.__cause__
        errs = cause.errors() if cause is not None and hasattr(cause, "errors") else []
        err = errs[0] if errs else None
        name = _name(param)
        if err is not None and err.get("type") in _NOT_A:
            msg = f"{name}: {err.get('input')!r} is not {_NOT_A[err['type']]}"
        elif err is not None:
            msg = f"{name}: value {err.get('input')!r}; {err.get('msg', '')}"
        else:
            msg = f"{name}: {getattr(exc, 'message', str(exc))}"
    else:
        text = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        msg = f"{path}: {_lower_first(text.rstrip('.'))}{see}"
    return " ".join(msg.split())
