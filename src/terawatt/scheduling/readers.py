"""Readers for standard project-scheduling files: PSPLIB ``.sm`` and Patterson (``.rcp``/``.txt``).

Parsing is done by the ``psplib`` package (Lan & Berkhout, MIT).  Because it reports no line
numbers, each file is first scanned here with a small line-aware grammar check so that a
malformed file gives one line naming the file, the line and what was expected.

References
----------
Kolisch, R., Sprecher, A. (1997). PSPLIB - A project scheduling problem library. European
Journal of Operational Research 96(1), 205-216. https://doi.org/10.1016/S0377-2217(96)00170-1
Patterson, J.H. (1984). A comparison of exact approaches for solving the multiple constrained
resource project scheduling problem. Management Science 30(7), 854-867.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import numpy as np
import psplib

from terawatt.errors import UserError
from terawatt.scheduling.problem import Problem

__all__ = ["read_instance", "read_patterson", "read_psplib"]

_MAX_INT = 2**31 - 1

#: Largest project the engine is built and benchmarked for [activity] (docs/scheduling.md).
MAX_ACTIVITIES = 1_000_000
#: Bytes of file text per activity allowed on average [byte]: a PSPLIB .sm activity takes a
#: precedence line and a duration/request line (~90 B in j30-j120), a Patterson activity one
#: line (~64 B in J120); 128 leaves room for wider padding and more successors.
BYTES_PER_ACTIVITY = 128
#: Largest instance file read [byte]: MAX_ACTIVITIES x BYTES_PER_ACTIVITY (128 MB). The largest
#: PSPLIB/Patterson files are a few hundred kB.
MAX_FILE_BYTES = MAX_ACTIVITIES * BYTES_PER_ACTIVITY
_ALLOWED = "allowed: a PSPLIB .sm or Patterson .rcp/.txt text file"
#: Control bytes that never occur in a text instance file (tab, LF, VT, FF, CR are whitespace).
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a named pipe"),
          (stat.S_ISSOCK, "a socket"))


def _fail(path: Path, line: int | None, what: str) -> UserError:
    where = f"{path.name}:{line}" if line else path.name
    return UserError(f"{where}: {what}")


def _too_large(path: Path, size: str) -> UserError:
    return UserError(f"{path}: {size}; allowed: at most {MAX_FILE_BYTES:,} bytes "
                     f"({MAX_ACTIVITIES:,} activities, the engine's largest project, x "
                     f"{BYTES_PER_ACTIVITY} bytes per activity)")


def _read_text(path: Path) -> str:
    """The file's text: a regular file of at most :data:`MAX_FILE_BYTES`, UTF-8, no binary
    bytes (the type is checked before opening, so a FIFO or device is never read)."""
    try:
        st = os.stat(path)
        kind = next((k for test, k in _KINDS if test(st.st_mode)), None)
        if kind is not None or not stat.S_ISREG(st.st_mode):
            raise UserError(f"{path}: {kind or 'not a regular file'}; {_ALLOWED}")
        if st.st_size > MAX_FILE_BYTES:
            raise _too_large(path, f"{st.st_size:,} bytes")
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror or exc}); {_ALLOWED}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise _too_large(path, f"more than {MAX_FILE_BYTES:,} bytes")
    m = _BINARY.search(raw)
    if m is not None:
        line = raw[: m.start()].count(b"\n") + 1
        raise _fail(path, line, f"binary content (byte 0x{raw[m.start()]:02x}); {_ALLOWED}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _fail(path, line, f"not UTF-8 text; {_ALLOWED}") from None


def _int(path: Path, line: int, tok: str, what: str, lo: int = 0) -> int:
    if not re.fullmatch(r"[+-]?\d+", tok):
        raise _fail(path, line, f"{what}: {tok!r} is not an integer")
    v = int(tok)
    if v < lo or v > _MAX_INT:
        raise _fail(path, line, f"{what}: {v}; allowed {lo}..{_MAX_INT}")
    return v


# --------------------------------------------------------------------------- Patterson
def _check_patterson(path: Path, text: str) -> None:
    toks: list[tuple[str, int]] = []
    for ln, line in enumerate(text.splitlines(), start=1):
        toks.extend((t, ln) for t in line.split())
    last = len(text.splitlines()) or 1
    pos = 0

    def nxt(what: str, lo: int = 0) -> int:
        nonlocal pos
        if pos >= len(toks):
            raise _fail(path, last, f"unexpected end of file; expected {what}")
        tok, ln = toks[pos]
        pos += 1
        return _int(path, ln, tok, what, lo)

    n = nxt("number of activities", 1)
    r = nxt("number of resources")
    for k in range(r):
        nxt(f"capacity of resource {k + 1}")
    for a in range(1, n + 1):
        nxt(f"duration of activity {a}")
        for k in range(r):
            nxt(f"demand of activity {a} for resource {k + 1}")
        ns = nxt(f"successor count of activity {a}")
        for _ in range(ns):
            ln = toks[pos][1] if pos < len(toks) else last
            s = nxt(f"successor of activity {a}", 1)
            if s > n:
                raise _fail(path, ln, f"activity {a}: successor {s}; allowed 1..{n}")
    if pos < len(toks):
        tok, ln = toks[pos]
        raise _fail(path, ln, f"unexpected extra value {tok!r} after {n} activities")


def read_patterson(path: str | Path, *, time_unit_s: float) -> Problem:
    """Read a Patterson-format RCPSP file (``.rcp``, and the ``J30_k.txt`` files).

    Parameters
    ----------
    path : file path
    time_unit_s : float [s]
        Seconds per period (benchmark periods carry no unit).
    """
    p = Path(path)
    inst = _parse(p, _check_patterson, psplib.parse_patterson, "Patterson")
    return _to_problem(inst, p, time_unit_s)


def _parse(p: Path, check: Any, parse: Any, kind: str) -> Any:
    """Our line-numbered grammar check of the text, then the ``psplib`` parser."""
    check(p, _read_text(p))
    try:
        return parse(p)
    except (ValueError, StopIteration, IndexError, OSError) as exc:  # pragma: no cover
        raise _fail(p, None, f"malformed {kind} file ({exc})") from None


# --------------------------------------------------------------------------- PSPLIB .sm
def _find(path: Path, lines: list[tuple[int, str]], pattern: str) -> int:
    for k, (_, line) in enumerate(lines):
        if pattern in line:
            return k
    raise _fail(path, None, f"section {pattern!r} not found")


def _ints(path: Path, ln: int, line: str, what: str) -> list[int]:
    return [_int(path, ln, t, what) for t in line.split()]


def _check_psplib(path: Path, text: str) -> None:
    lines = [(ln, s.strip()) for ln, s in enumerate(text.splitlines(), start=1) if s.strip()]
    prec = _find(path, lines, "PRECEDENCE RELATIONS")
    req = _find(path, lines, "REQUESTS/DURATIONS")
    avail = _find(path, lines, "AVAILABILITIES")
    if not prec < req < avail or avail + 2 >= len(lines):
        raise _fail(path, None, "sections PRECEDENCE RELATIONS, REQUESTS/DURATIONS, "
                    "RESOURCEAVAILABILITIES missing or out of order")
    ln, kinds = lines[avail + 1]
    ren = [c for c in kinds.split() if c in ("R", "N")]
    ln2, caps = lines[avail + 2]
    cap = _ints(path, ln2, caps, "resource capacity")
    if len(cap) != len(ren) or not cap:
        raise _fail(path, ln2, f"{len(cap)} capacities for {len(ren)} resources")
    r = len(cap)
    prec_rows = lines[prec + 2: req - 1]
    mode_rows = lines[req + 3: avail - 1]
    if req - 1 < prec + 2 or avail - 1 < req + 3:
        raise _fail(path, lines[req][0], "malformed section layout")
    n = len(prec_rows)
    if n == 0:
        raise _fail(path, lines[prec][0], "no activities")
    for ln, line in prec_rows:
        v = _ints(path, ln, line, "precedence table value")
        if len(v) < 3:
            raise _fail(path, ln, "expected: jobnr, modes, successor count, successors")
        if v[1] != 1:
            raise _fail(path, ln, f"activity {v[0]}: {v[1]} modes; allowed: 1 (single-mode)")
        if len(v) - 3 != v[2]:
            raise _fail(path, ln, f"activity {v[0]}: {len(v) - 3} successors listed, "
                        f"{v[2]} declared")
        for s in v[3:]:
            if not 1 <= s <= n:
                raise _fail(path, ln, f"activity {v[0]}: successor {s}; allowed 1..{n}")
    if len(mode_rows) != n:
        ln = mode_rows[-1][0] if mode_rows else lines[req][0]
        raise _fail(path, ln, f"{len(mode_rows)} duration/request rows for {n} activities")
    for ln, line in mode_rows:
        v = _ints(path, ln, line, "duration/request value")
        if len(v) < r + 1:
            raise _fail(path, ln, f"expected duration and {r} requests")
        if any(d and not isren for d, isren in zip(v[-r:], [c == "R" for c in ren],
                                                      strict=True)):
            raise _fail(path, ln, "non-renewable resource requests; allowed: renewable only")


def read_psplib(path: str | Path, *, time_unit_s: float) -> Problem:
    """Read a single-mode PSPLIB ``.sm`` file (j30, j60, j90, j120).

    Parameters
    ----------
    path : file path
    time_unit_s : float [s]
        Seconds per period (benchmark periods carry no unit).
    """
    p = Path(path)
    inst = _parse(p, _check_psplib, psplib.parse_psplib, "PSPLIB")
    keep = [k for k, res in enumerate(inst.resources) if res.renewable]
    inst.resources = [inst.resources[k] for k in keep]
    for a in inst.activities:
        a.modes[0].demands = [a.modes[0].demands[k] for k in keep]
    return _to_problem(inst, p, time_unit_s)


# --------------------------------------------------------------------------- common
def _to_problem(inst: psplib.ProjectInstance, path: Path, time_unit_s: float) -> Problem:
    acts = inst.activities
    n = len(acts)
    r = len(inst.resources)
    dur = np.array([a.modes[0].duration for a in acts], dtype=np.int64)
    dem = np.array([a.modes[0].demands for a in acts], dtype=np.int64).reshape(n, r)
    cap = np.array([res.capacity for res in inst.resources], dtype=np.int64)
    src = np.array([i for i, a in enumerate(acts) for _ in a.successors], dtype=np.int64)
    dst = np.array([s for a in acts for s in a.successors], dtype=np.int64)
    return Problem.from_arrays(
        dur, dem, cap, pred=src, succ=dst, time_unit_s=time_unit_s,
        resource_names=[f"R{k + 1}" for k in range(r)],
        activity_ids=np.arange(1, n + 1), name=path.name,
    )


def read_instance(path: str | Path, *, time_unit_s: float, fmt: str | None = None) -> Problem:
    """Read an RCPSP instance, choosing the format from the suffix or the content.

    Parameters
    ----------
    path : file path (``.sm`` PSPLIB; ``.rcp``/``.txt`` Patterson)
    time_unit_s : float [s]
        Seconds per period.
    fmt : {"psplib", "patterson"}, optional
        Force a format.
    """
    p = Path(path)
    if fmt is None:
        if p.suffix.lower() == ".sm":
            fmt = "psplib"
        elif p.suffix.lower() in (".rcp", ".txt"):
            fmt = "patterson"
        else:
            fmt = "psplib" if "PRECEDENCE RELATIONS" in _read_text(p) else "patterson"
    if fmt == "psplib":
        return read_psplib(p, time_unit_s=time_unit_s)
    if fmt == "patterson":
        return read_patterson(p, time_unit_s=time_unit_s)
    raise UserError(f"{p.name}: format {fmt!r}; allowed: psplib, patterson")
